/**
 * The execution history as AWS records it (the events GetExecutionHistory lists), derived from an execution's
 * trace. One mapping serves both the API and the 25,000-event cap of Standard workflows, so the count a user
 * sees is the count the cap applies. Event types, detail fields and `previousEventId` links follow histories
 * recorded against AWS (sequential states, retries, catches, inline Map, task tokens, timeouts, stops).
 */
import { compileJsonPath, evaluateJsonPath } from '../events/json-path';
import { parseResource } from './bindings/resource-arn';
import { type AslDefinition, type AslState, walkStates } from './definition';
import type { TaskCallRecord, TraceEvent } from './trace';

/** AWS's hard quota on a Standard execution's history. */
export const HISTORY_EVENT_LIMIT = 25_000;
export const HISTORY_LIMIT_ERROR = 'States.Runtime';
export const HISTORY_LIMIT_CAUSE = `The execution reached the maximum number of history events (${HISTORY_EVENT_LIMIT}).`;

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch milliseconds on the runtime clock. */
  readonly timestamp: number;
  readonly type: string;
  /** The HistoryEvent member holding the details, e.g. `stateEnteredEventDetails`. */
  readonly detailsKey?: string;
  /** `input`, `output` and `parameters` hold JSON values here; the API sends them as JSON text. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface HistorySource {
  readonly definition: AslDefinition;
  /** The definition's states by name, Map and Parallel included (`statesByName`), when the caller keeps them. */
  readonly states?: ReadonlyMap<string, AslState>;
  /** The state machine's ARN (its region goes into TaskScheduled events). */
  readonly stateMachineArn: string;
  readonly roleArn?: string;
  /** Every Task call of the execution, in start order (`ExecutionRecord.calls`). */
  readonly calls: readonly TaskCallRecord[];
  /** Fail the execution at this many events, as AWS does for Standard workflows. @default no limit */
  readonly limit?: number;
}

interface Lane {
  last: number;
  /** The state entered in this lane and not yet left. */
  open?: { readonly name: string; readonly type: string };
  ended?: boolean;
}

interface Scope {
  readonly kind: 'Map' | 'Parallel';
  readonly name: string;
  readonly owner: Lane;
  readonly input: unknown;
  /** Map: one lane per iteration index. Parallel: one lane for every branch's events. */
  iterations: Map<number, Lane>;
  /** Map: how many iterations run at once (MaxConcurrency; 40 for an inline Map without one). */
  readonly concurrency: number;
  /**
   * Map: iterations the engine started before the trace showed a running one end. They wait here, in order,
   * until a slot frees (or the Map fails, and AWS would never have started them).
   */
  deferred: Map<number, TraceEvent[]>;
  branches: Lane;
  startedId: number;
  /** Where the next Map iteration links to: MapStateStarted, then the last event of the last finished iteration. */
  tail: number;
  lastIterationEndId?: number;
  failedTail?: number;
  pendingFailure: boolean;
  failedId?: number;
}

const DATA_NOT_TRUNCATED = Object.freeze({ truncated: false });
/** An inline Map runs at most 40 iterations at once. */
const INLINE_MAP_CONCURRENCY = 40;
/** State types AWS records a `<Type>StateAborted` event for when an in-flight state is cut short. */
const ABORTABLE_STATES = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/**
 * Builds the history event by event as trace events arrive (`push`), for the live count and the cap, or all
 * at once (`historyOf`) for GetExecutionHistory. Both run the same code over the same trace.
 */
export class ExecutionHistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private readonly states: ReadonlyMap<string, AslState>;
  private readonly region: string;
  private readonly root: Lane = { last: 0 };
  private readonly scopes: Scope[] = [];
  private readonly emittedCalls = new Set<TaskCallRecord>();
  private nextId = 1;
  private capped = false;

  constructor(
    private readonly source: HistorySource,
    private readonly collect = false,
  ) {
    this.states = source.states ?? statesByName(source.definition);
    this.region = /^arn:[^:]+:states:([^:]*):/.exec(source.stateMachineArn)?.[1] ?? 'us-east-1';
  }

  /** How many events the history has so far. */
  get count(): number {
    return this.nextId - 1;
  }

  /** Whether the history hit the limit: its last event is then the ExecutionFailed AWS records for that. */
  get limitReached(): boolean {
    return this.capped;
  }

  /** Adds the events of one trace event; returns true when this event made the history reach its limit. */
  push(event: TraceEvent): boolean {
    if (this.capped) return false;
    this.map(event);
    return this.capped;
  }

  /** The events of Task calls still in flight (a running execution): scheduled, started, submitted. */
  pushInFlightCalls(): void {
    for (const call of this.source.calls) {
      const lane = this.laneOf(call.state, call.index);
      if (this.emittedCalls.has(call) || this.capped || !lane) continue;
      this.emitCall(call, lane, { kind: 'in-flight' });
    }
  }

  private map(event: TraceEvent): void {
    if (this.deferIteration(event)) return;
    const at = Date.parse(event.at);
    switch (event.type) {
      case 'ExecutionStarted':
        this.emit(this.root, 0, at, 'ExecutionStarted', 'executionStartedEventDetails', {
          input: event.input,
          inputDetails: DATA_NOT_TRUNCATED,
          ...(this.source.roleArn && { roleArn: this.source.roleArn }),
        });
        this.root.last = 0;
        return;
      case 'StateEntered':
        this.stateEntered(event, at);
        return;
      case 'StateExited':
        this.stateExited(event, at);
        return;
      case 'StateFailed':
        this.stateFailed(event, at);
        return;
      case 'StateRetried':
        this.stateRetried(event.state, at);
        return;
      case 'StateCaught':
        this.stateCaught(event.state, at);
        return;
      case 'MapIterationStarted':
        this.iterationStarted(event.state, event.index, at);
        return;
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.iterationEnded(event.state, event.index, event.type, at);
        return;
      case 'ExecutionSucceeded':
        this.emitOn(this.root, at, 'ExecutionSucceeded', 'executionSucceededEventDetails', {
          output: event.output,
          outputDetails: DATA_NOT_TRUNCATED,
        });
        return;
      case 'ExecutionFailed':
        this.resolvePendingFailures(at);
        this.emitOn(this.root, at, 'ExecutionFailed', 'executionFailedEventDetails', errorDetails(event));
        return;
      case 'ExecutionAborted':
        this.pushInFlightCalls();
        this.emit(this.root, 0, at, 'ExecutionAborted', 'executionAbortedEventDetails', errorDetails(event));
        return;
      case 'ExecutionTimedOut':
        this.pushInFlightCalls();
        this.emit(this.root, 0, at, 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: 'States.Timeout' });
        return;
    }
  }

  private stateEntered(event: Extract<TraceEvent, { type: 'StateEntered' }>, at: number): void {
    const lane = this.laneOf(event.state, event.index);
    if (!lane) return;
    const details = { name: event.state, input: event.input, inputDetails: DATA_NOT_TRUNCATED };
    const entered = this.emitOn(lane, at, `${event.stateType}StateEntered`, 'stateEnteredEventDetails', details);
    lane.open = { name: event.state, type: event.stateType };
    if (event.stateType !== 'Map' && event.stateType !== 'Parallel') return;
    const scope: Scope = {
      kind: event.stateType,
      name: event.state,
      owner: lane,
      input: event.input,
      iterations: new Map(),
      concurrency: mapConcurrency(this.states.get(event.state)),
      deferred: new Map(),
      branches: { last: 0 },
      startedId: 0,
      tail: 0,
      pendingFailure: false,
    };
    this.scopes.push(scope);
    this.startScope(scope, entered, at);
  }

  private startScope(scope: Scope, previous: number, at: number): void {
    const started =
      scope.kind === 'Map'
        ? this.emit(scope.owner, previous, at, 'MapStateStarted', 'mapStateStartedEventDetails', {
            length: this.mapLength(scope.name, scope.input),
          })
        : this.emit(scope.owner, previous, at, 'ParallelStateStarted');
    Object.assign(scope, {
      startedId: started,
      tail: started,
      iterations: new Map(),
      deferred: new Map(),
      branches: { last: started },
      lastIterationEndId: undefined,
      failedTail: undefined,
      pendingFailure: false,
      failedId: undefined,
    });
  }

  private stateExited(event: Extract<TraceEvent, { type: 'StateExited' }>, at: number): void {
    const scope = this.ownScope(event.state);
    if (scope) {
      this.scopeExited(scope, event.output, at);
      return;
    }
    const lane = this.laneOf(event.state, event.index);
    if (!lane) return;
    if (event.call) this.emitCall(event.call, lane, { kind: 'succeeded' });
    lane.open = undefined;
    this.emitOn(lane, at, `${event.stateType}StateExited`, 'stateExitedEventDetails', {
      name: event.state,
      output: event.output,
      outputDetails: DATA_NOT_TRUNCATED,
    });
  }

  private stateFailed(event: Extract<TraceEvent, { type: 'StateFailed' }>, at: number): void {
    const scope = this.ownScope(event.state);
    if (scope) {
      scope.pendingFailure = true;
      if (scope.kind === 'Parallel') scope.failedTail = scope.branches.last;
      return;
    }
    const lane = this.laneOf(event.state, event.index);
    if (!event.call || !lane) return;
    const outcome =
      event.error === 'States.Timeout'
        ? ({ kind: 'timed-out', at } as const)
        : ({ kind: 'failed', error: event.error, cause: event.cause } as const);
    this.emitCall(event.call, lane, outcome);
  }

  private stateRetried(state: string, at: number): void {
    const scope = this.ownScope(state);
    if (!scope?.pendingFailure) return;
    const previous = scope.failedTail ?? scope.tail;
    this.abortOpenIterations(scope, previous, at);
    this.startScope(scope, previous, at);
  }

  private stateCaught(state: string, at: number): void {
    const scope = this.ownScope(state);
    if (!scope?.pendingFailure) return;
    scope.failedId = this.scopeFailed(scope, at);
    scope.pendingFailure = false;
  }

  private scopeExited(scope: Scope, output: unknown, at: number): void {
    const exited = { name: scope.name, output, outputDetails: DATA_NOT_TRUNCATED };
    let previous: number;
    if (scope.failedId !== undefined) previous = scope.failedId;
    else if (scope.kind === 'Map') {
      previous = scope.lastIterationEndId ?? scope.startedId;
      this.emit(scope.owner, previous, at, 'MapStateSucceeded');
    } else previous = scope.branches.last;
    this.popScope(scope);
    scope.owner.open = undefined;
    this.emit(scope.owner, previous, at, `${scope.kind}StateExited`, 'stateExitedEventDetails', exited);
  }

  private scopeFailed(scope: Scope, at: number): number {
    const previous = scope.failedTail ?? scope.tail;
    this.abortOpenIterations(scope, previous, at);
    return this.emit(scope.owner, previous, at, `${scope.kind}StateFailed`);
  }

  /** A Map or Parallel whose failure was neither retried nor caught: it fails before its parent does. */
  private resolvePendingFailures(at: number): void {
    for (const scope of [...this.scopes].reverse()) {
      if (!scope.pendingFailure) continue;
      this.scopeFailed(scope, at);
      this.popScope(scope);
    }
  }

  private abortOpenIterations(scope: Scope, previous: number, at: number): void {
    for (const [index, lane] of scope.iterations) {
      if (lane.ended) continue;
      lane.ended = true;
      if (lane.open && ABORTABLE_STATES.has(lane.open.type))
        this.emit(lane, previous, at, `${lane.open.type}StateAborted`);
      this.emit(lane, previous, at, 'MapIterationAborted', 'mapIterationAbortedEventDetails', {
        name: scope.name,
        index,
      });
    }
  }

  /**
   * Holds back the events of a Map iteration the trace shows starting while MaxConcurrency others still run:
   * the engine starts the next item as soon as one settles, which the trace may report a little later.
   */
  private deferIteration(event: TraceEvent): boolean {
    if (event.index === undefined) return false;
    const scope = event.type === 'MapIterationStarted' ? this.ownScope(event.state) : this.innermost('Map');
    if (scope?.kind !== 'Map') return false;
    const waiting = scope.deferred.get(event.index);
    if (waiting) {
      waiting.push(event);
      return true;
    }
    if (event.type !== 'MapIterationStarted' || scope.failedTail !== undefined) return false;
    const running = [...scope.iterations.values()].filter((lane) => !lane.ended).length;
    if (running < scope.concurrency) return false;
    scope.deferred.set(event.index, [event]);
    return true;
  }

  /** Lets the first held-back iteration of a Map run now that one of its iterations ended. */
  private releaseDeferred(scope: Scope): void {
    const next = scope.deferred.entries().next();
    if (next.done) return;
    const [index, events] = next.value;
    scope.deferred.delete(index);
    for (const event of events) this.map(event);
  }

  private innermost(kind: Scope['kind']): Scope | undefined {
    for (let position = this.scopes.length - 1; position >= 0; position--) {
      if (this.scopes[position].kind === kind) return this.scopes[position];
    }
    return undefined;
  }

  private iterationStarted(state: string, index: number, at: number): void {
    const scope = this.ownScope(state);
    // After an iteration failed, AWS starts no more iterations (the engine may still start the next one).
    if (!scope || scope.failedTail !== undefined) return;
    const lane: Lane = { last: 0 };
    scope.iterations.set(index, lane);
    this.emit(lane, scope.tail, at, 'MapIterationStarted', 'mapIterationStartedEventDetails', { name: state, index });
  }

  private iterationEnded(state: string, index: number, type: string, at: number): void {
    const scope = this.ownScope(state);
    const lane = scope?.iterations.get(index);
    if (!scope || !lane || lane.ended) return;
    lane.ended = true;
    const last = lane.last;
    const id = this.emit(lane, last, at, type, `mapIteration${type.slice('MapIteration'.length)}EventDetails`, {
      name: state,
      index,
    });
    if (type === 'MapIterationSucceeded') {
      scope.tail = last;
      scope.lastIterationEndId = id;
      this.releaseDeferred(scope);
      return;
    }
    // The first failed iteration fails the Map: AWS aborts the iterations still running and starts no more.
    scope.failedTail = last;
    scope.deferred.clear();
    this.abortOpenIterations(scope, last, at);
  }

  private emitCall(
    call: TaskCallRecord,
    lane: Lane,
    outcome:
      | { readonly kind: 'succeeded' | 'in-flight' }
      | { readonly kind: 'failed'; readonly error: string; readonly cause: string }
      | { readonly kind: 'timed-out'; readonly at: number },
  ): void {
    if (this.emittedCalls.has(call)) return;
    this.emittedCalls.add(call);
    const state = this.states.get(call.state);
    const started = Date.parse(call.startedAt);
    const parsed = parseResource(call.resource);
    if (parsed.kind === 'lambda-function') {
      this.emitOn(lane, started, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
        resource: call.resource,
        input: call.params,
        inputDetails: DATA_NOT_TRUNCATED,
        ...timeoutsOf(state, false),
      });
      this.emitOn(lane, started, 'LambdaFunctionStarted');
      if (outcome.kind === 'succeeded') {
        this.emitOn(lane, finishedAt(call), 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
          output: call.result ?? null,
          outputDetails: DATA_NOT_TRUNCATED,
        });
      } else if (outcome.kind === 'failed') {
        this.emitOn(lane, finishedAt(call), 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', {
          error: outcome.error,
          cause: outcome.cause,
        });
      } else if (outcome.kind === 'timed-out') {
        this.emitOn(lane, outcome.at, 'LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', {
          error: 'States.Timeout',
        });
      }
      return;
    }
    const resource = resourceNames(call.resource);
    this.emitOn(lane, started, 'TaskScheduled', 'taskScheduledEventDetails', {
      ...resource,
      region: this.region,
      parameters: call.params,
      ...timeoutsOf(state, true),
    });
    this.emitOn(lane, started, 'TaskStarted', 'taskStartedEventDetails', resource);
    if (call.submittedAt !== undefined) {
      this.emitOn(lane, Date.parse(call.submittedAt), 'TaskSubmitted', 'taskSubmittedEventDetails', {
        ...resource,
        output: call.submitted ?? null,
        outputDetails: DATA_NOT_TRUNCATED,
      });
    }
    if (outcome.kind === 'succeeded') {
      this.emitOn(lane, finishedAt(call), 'TaskSucceeded', 'taskSucceededEventDetails', {
        ...resource,
        output: call.result ?? null,
        outputDetails: DATA_NOT_TRUNCATED,
      });
    } else if (outcome.kind === 'failed') {
      this.emitOn(lane, finishedAt(call), 'TaskFailed', 'taskFailedEventDetails', {
        ...resource,
        error: outcome.error,
        cause: outcome.cause,
      });
    } else if (outcome.kind === 'timed-out') {
      this.emitOn(lane, outcome.at, 'TaskTimedOut', 'taskTimedOutEventDetails', {
        ...resource,
        error: 'States.Timeout',
      });
    }
  }

  /** Emits an event linked to the lane's last event and makes it the lane's last. */
  private emitOn(lane: Lane, at: number, type: string, detailsKey?: string, details?: Record<string, unknown>): number {
    return this.emit(lane, lane.last, at, type, detailsKey, details);
  }

  private emit(
    lane: Lane,
    previousEventId: number,
    timestamp: number,
    type: string,
    detailsKey?: string,
    details?: Record<string, unknown>,
  ): number {
    if (this.capped) return 0;
    const limit = this.source.limit;
    if (limit !== undefined && this.nextId === limit && type !== 'ExecutionSucceeded') {
      this.capped = true;
      this.append({
        id: this.nextId,
        previousEventId: this.nextId - 1,
        timestamp,
        type: 'ExecutionFailed',
        detailsKey: 'executionFailedEventDetails',
        details: { error: HISTORY_LIMIT_ERROR, cause: HISTORY_LIMIT_CAUSE },
      });
      return 0;
    }
    const id = this.nextId;
    this.append({ id, previousEventId, timestamp, type, ...(detailsKey && { detailsKey, details: details ?? {} }) });
    lane.last = id;
    return id;
  }

  private append(event: HistoryEvent): void {
    this.nextId += 1;
    if (this.collect) this.events.push(event);
  }

  /**
   * The lane an event of `state` belongs to: a Map iteration's, a Parallel's branches', or the root. None for
   * an iteration that ended (aborted, or started by the engine after another one failed): AWS records nothing
   * more for it.
   */
  private laneOf(state: string, index: number | undefined): Lane | undefined {
    const own = this.ownScope(state);
    if (own) return own.owner;
    for (let position = this.scopes.length - 1; position >= 0; position--) {
      const scope = this.scopes[position];
      if (index !== undefined && scope.kind === 'Map') {
        const lane = scope.iterations.get(index);
        return lane && !lane.ended ? lane : undefined;
      }
      if (index === undefined && scope.kind === 'Parallel') return scope.branches;
    }
    return index === undefined ? this.root : undefined;
  }

  /** The open Map or Parallel scope of the state named `name` itself (state names are unique in a machine). */
  private ownScope(name: string): Scope | undefined {
    for (let position = this.scopes.length - 1; position >= 0; position--) {
      if (this.scopes[position].name === name) return this.scopes[position];
    }
    return undefined;
  }

  private popScope(scope: Scope): void {
    const position = this.scopes.lastIndexOf(scope);
    if (position >= 0) this.scopes.splice(position, 1);
  }

  /** How many items a Map state iterates: its ItemsPath applied to its input after InputPath. */
  private mapLength(name: string, input: unknown): number {
    const state = this.states.get(name);
    try {
      const effective = selectPath(state?.InputPath, input);
      const items = selectPath(state?.ItemsPath, effective);
      return Array.isArray(items) ? items.length : 0;
    } catch {
      return 0;
    }
  }
}

/** Every state of a definition by name (names are unique across a machine, Map and Parallel included). */
export function statesByName(definition: AslDefinition): ReadonlyMap<string, AslState> {
  return new Map([...walkStates(definition)].map(({ name, state }) => [name, state]));
}

/** The full history of an execution: its trace mapped event by event, then any Task call still in flight. */
export function historyOf(source: HistorySource, trace: readonly TraceEvent[], running: boolean): HistoryEvent[] {
  const builder = new ExecutionHistoryBuilder(source, true);
  for (const event of trace) builder.push(event);
  if (running) builder.pushInFlightCalls();
  return builder.events;
}

function mapConcurrency(state: AslState | undefined): number {
  const limit = state?.MaxConcurrency;
  return typeof limit === 'number' && limit > 0 ? Math.min(limit, INLINE_MAP_CONCURRENCY) : INLINE_MAP_CONCURRENCY;
}

function selectPath(path: unknown, value: unknown): unknown {
  if (path === undefined || path === '$') return value;
  if (path === null) return {};
  return evaluateJsonPath(compileJsonPath(path, 'path'), value);
}

/** `arn:aws:states:::aws-sdk:dynamodb:getItem` -> `aws-sdk:dynamodb` + `getItem`, as TaskScheduled names them. */
function resourceNames(resource: string): { resourceType: string; resource: string } {
  const integration = resource.replace(/^arn:aws[a-z-]*:states:::/, '');
  const sdk = integration.startsWith('aws-sdk:');
  const rest = sdk ? integration.slice('aws-sdk:'.length) : integration;
  const separator = rest.indexOf(':');
  if (separator < 0) return { resourceType: sdk ? 'aws-sdk' : rest, resource: rest };
  const service = rest.slice(0, separator);
  return { resourceType: sdk ? `aws-sdk:${service}` : service, resource: rest.slice(separator + 1) };
}

function timeoutsOf(state: AslState | undefined, withHeartbeat: boolean): Record<string, number> {
  const timeouts: Record<string, number> = {};
  if (typeof state?.TimeoutSeconds === 'number') timeouts.timeoutInSeconds = state.TimeoutSeconds;
  if (withHeartbeat && typeof state?.HeartbeatSeconds === 'number')
    timeouts.heartbeatInSeconds = state.HeartbeatSeconds;
  return timeouts;
}

function finishedAt(call: TaskCallRecord): number {
  return Date.parse(call.finishedAt ?? call.startedAt);
}

function errorDetails(event: { readonly error?: string; readonly cause?: string }): Record<string, string> {
  const cause = reportedCause(event.error, event.cause);
  return { ...(event.error && { error: event.error }), ...(cause && { cause }) };
}

/**
 * The cause AWS reports with an error. A timeout has none on AWS; the engine's timeout error carries its own
 * name as the message, which is not a cause.
 */
export function reportedCause(error: string | undefined, cause: string | undefined): string | undefined {
  if (error === 'States.Timeout' && cause === 'States.Timeout') return undefined;
  return cause || undefined;
}

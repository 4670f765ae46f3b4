/**
 * One state machine on the local engine: the definition as synthesized, every Task bound to a local
 * implementation before the first execution, the one clock, fault injection, and a trace per execution.
 * Express machines keep Express semantics: the 5-minute limit, no name uniqueness, `express:` ARNs.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../clock';
import { parseResource } from './bindings/resource-arn';
import { type BindingDependencies, bindResource } from './bindings/resource-router';
import { asServiceTaskFailure } from './bindings/service-failure';
import type { TaskImplementation } from './bindings/task-call';
import { asContextObject, initialContext } from './context-object';
import { type AslDefinition, listTaskStates } from './definition';
import { engineOptions } from './engine-options';
import {
  ExecutionAlreadyExistsError,
  InvalidDefinitionError,
  StatesRuntimeError,
  UnboundResourceError,
} from './errors';
import {
  ExecutionHistoryBuilder,
  HISTORY_EVENT_LIMIT,
  HISTORY_LIMIT_CAUSE,
  HISTORY_LIMIT_ERROR,
  type HistoryEvent,
  type HistorySource,
  historyOf,
  statesByName,
} from './history-events';
import { assertWithinPayloadQuota } from './payload-quota';
import { type ChildExecutionTrace, TaskCallLedger, type TaskCallRecord, type TraceEvent, toTraceEvent } from './trace';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** The workflow's kebab name (`inventory-refresh`), when the machine came from the app. */
  readonly workflow?: string;
  readonly input: unknown;
  readonly startDate: string;
  status: ExecutionStatus;
  stopDate?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  readonly trace: TraceEvent[];
  readonly calls: TaskCallRecord[];
  /** How many events its AWS execution history has (GetExecutionHistory lists them); counted as it runs. */
  historyEventCount: number;
}

export interface StartedExecution {
  readonly executionArn: string;
  readonly startDate: string;
  readonly record: ExecutionRecord;
  readonly done: Promise<ExecutionRecord>;
  abort(): void;
  /** StopExecution: aborts the execution (status ABORTED) and records the optional error and cause. */
  stop(reason?: { readonly error?: string; readonly cause?: string }): void;
}

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface LocalStateMachineSpec {
  readonly name: string;
  readonly arn: string;
  readonly definition: AslDefinition;
  readonly roleArn?: string;
  /** @default 'STANDARD' */
  readonly type?: StateMachineType;
  readonly workflow?: string;
}

/** Where a Task call is about to go, for fault injection. */
export interface TaskTarget {
  readonly state: string;
  readonly resource: string;
  readonly service?: string;
  readonly action?: string;
}

export interface LocalStateMachineOptions {
  readonly clock: Clock;
  readonly bindings: BindingDependencies;
  /** Runs before every Task call; may wait (latency) or throw (an injected fault). */
  readonly beforeTask?: (target: TaskTarget) => Promise<void>;
  /** Random source for `JitterStrategy: FULL`. @default Math.random */
  readonly random?: () => number;
  readonly onExecutionFinished?: (record: ExecutionRecord) => void;
}

const REGION_ACCOUNT = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d+):stateMachine:/;
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
/** An Express execution runs for at most five minutes; beyond that it ends TIMED_OUT (`States.Timeout`). */
export const EXPRESS_MAX_DURATION_SECONDS = 300;

export class LocalStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly type: StateMachineType;
  readonly definition: AslDefinition;
  private readonly engine: StateMachine;
  private readonly handlers: Record<string, (input: unknown, context: Record<string, unknown>) => Promise<unknown>>;
  private readonly ledgers = new Map<string, TaskCallLedger>();
  /** For the AWS history of every execution: the definition's states by name, computed once. */
  private readonly states: ReturnType<typeof statesByName>;
  /** Names used so far; the execution itself is kept only while it runs (finished ones live in the history). */
  private readonly started = new Map<
    string,
    { readonly input: string; readonly executionArn: string; running?: StartedExecution }
  >();

  constructor(
    private readonly spec: LocalStateMachineSpec,
    private readonly options: LocalStateMachineOptions,
  ) {
    this.name = spec.name;
    this.arn = spec.arn;
    this.type = spec.type ?? 'STANDARD';
    this.definition = spec.definition;
    this.states = statesByName(spec.definition);
    this.handlers = this.bindTasks();
    try {
      this.engine = new StateMachine(
        engineDefinition(spec.definition, this.type) as never,
        engineOptions({ clock: options.clock, random: options.random }),
      );
    } catch (error) {
      throw new InvalidDefinitionError(`State machine "${spec.name}": ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Starts an execution; `done` settles when it ends (it never rejects: failures are in the record). As on
   * AWS (Standard), a name already used is refused, except that the same name and input while that
   * execution still runs returns it again (StartExecution is idempotent then). Express machines do not
   * manage idempotency: the same name starts another execution. Input over the payload quota is refused
   * (PayloadTooLargeError), as AWS refuses the call.
   */
  start(input: unknown, name: string = randomUUID()): StartedExecution {
    assertWithinPayloadQuota(input, 'input');
    if (this.type === 'EXPRESS') return this.startNew(input, name);
    const previous = this.started.get(name);
    if (previous) {
      if (previous.running && previous.input === JSON.stringify(input)) return previous.running;
      throw new ExecutionAlreadyExistsError(previous.executionArn);
    }
    const execution = this.startNew(input, name);
    const entry: { input: string; executionArn: string; running?: StartedExecution } = {
      input: JSON.stringify(input),
      executionArn: execution.executionArn,
      running: execution,
    };
    this.started.set(name, entry);
    void execution.done.then(() => {
      entry.running = undefined;
    });
    return execution;
  }

  /** Keeps a name used before a restart (a saved execution) unique, as AWS keeps names for 90 days. */
  rememberExecution(record: ExecutionRecord): void {
    this.started.set(record.name, { input: JSON.stringify(record.input), executionArn: record.executionArn });
  }

  private startNew(input: unknown, name: string): StartedExecution {
    const { clock } = this.options;
    const executionArn = this.executionArn(name);
    const ledger = new TaskCallLedger();
    this.ledgers.set(executionArn, ledger);
    const record: ExecutionRecord = {
      executionArn,
      name,
      stateMachineArn: this.arn,
      stateMachineName: this.name,
      ...(this.spec.workflow && { workflow: this.spec.workflow }),
      input,
      startDate: new Date(clock.now()).toISOString(),
      status: 'RUNNING',
      trace: [],
      calls: ledger.all,
      historyEventCount: 0,
    };
    const execution = this.engine.run(input as never, {
      context: initialContext({
        executionArn,
        executionName: name,
        stateMachineArn: this.arn,
        stateMachineName: this.name,
        roleArn: this.spec.roleArn,
      }) as never,
      overrides: { taskResourceLocalHandlers: this.handlers as never },
    });
    // Why the engine run was aborted: StopExecution (with its error and cause) or the history limit.
    let abortReason: { kind: 'stopped'; error?: string; cause?: string } | { kind: 'history-limit' } | undefined;
    const history = this.historyBuilder(record);
    const drainTrace = (async () => {
      for await (const event of execution.eventLogs) {
        const traced = toTraceEvent(event as never, ledger);
        if (!traced) continue;
        const final = traced.type === 'ExecutionAborted' ? asAbortEvent(traced, abortReason) : traced;
        record.trace.push(final);
        if (history.push(final) && !abortReason) {
          abortReason = { kind: 'history-limit' };
          execution.abort();
        }
      }
    })();
    const done = execution.result.then(
      (output) => settle(record, { status: 'SUCCEEDED', output }),
      (error) => settle(record, abortReason ? abortOutcome(abortReason) : outcomeOf(error)),
    );
    const finished = Promise.all([done, drainTrace]).then(() => {
      record.stopDate = new Date(clock.now()).toISOString();
      record.historyEventCount = history.count;
      this.ledgers.delete(executionArn);
      this.options.bindings.tokens.forgetExecution(executionArn);
      this.options.onExecutionFinished?.(record);
      return record;
    });
    const stop = (reason: { readonly error?: string; readonly cause?: string } = {}) => {
      abortReason ??= { kind: 'stopped', ...definedOnly(reason) };
      execution.abort();
    };
    return { executionArn, startDate: record.startDate, record, done: finished, abort: () => stop(), stop };
  }

  /** The execution's AWS history, as GetExecutionHistory lists it (in-flight Task calls last while it runs). */
  historyOf(record: ExecutionRecord): HistoryEvent[] {
    return historyOf(this.historySource(record), record.trace, record.status === 'RUNNING');
  }

  private historyBuilder(record: ExecutionRecord): ExecutionHistoryBuilder {
    return new ExecutionHistoryBuilder(this.historySource(record));
  }

  /** Standard executions fail at AWS's history limit; Express ones keep no history on AWS, so no limit applies. */
  private historySource(record: ExecutionRecord): HistorySource {
    return {
      definition: this.definition,
      states: this.states,
      stateMachineArn: this.arn,
      roleArn: this.spec.roleArn,
      calls: record.calls,
      ...(this.type === 'STANDARD' && { limit: HISTORY_EVENT_LIMIT }),
    };
  }

  async execute(input: unknown, name?: string): Promise<ExecutionRecord> {
    return this.start(input, name).done;
  }

  /** Standard: `...:execution:<machine>:<name>`; Express: `...:express:<machine>:<name>:<id>` (names may repeat). */
  private executionArn(name: string): string {
    const match = REGION_ACCOUNT.exec(this.arn);
    const [region, account] = match ? [match[1], match[2]] : ['us-east-1', '000000000000'];
    if (this.type === 'EXPRESS')
      return `arn:aws:states:${region}:${account}:express:${this.name}:${name}:${randomUUID()}`;
    return `arn:aws:states:${region}:${account}:execution:${this.name}:${name}`;
  }

  private bindTasks() {
    const handlers: Record<string, (input: unknown, context: Record<string, unknown>) => Promise<unknown>> = {};
    for (const task of listTaskStates(this.spec.definition)) {
      const implementation = bindResource(task.resource, this.options.bindings);
      if (!implementation) throw new UnboundResourceError(task.stateName, task.resource);
      const timeoutSeconds =
        task.state.TimeoutSecondsPath !== undefined
          ? undefined
          : Number(task.state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS);
      handlers[task.stateName] = this.instrument(task.stateName, task.resource, timeoutSeconds, implementation);
    }
    return handlers;
  }

  /** Adds what every Task gets: fault injection first, then the call, recorded in the execution's ledger. */
  private instrument(
    stateName: string,
    resource: string,
    timeoutSeconds: number | undefined,
    implementation: TaskImplementation,
  ) {
    const { clock, beforeTask } = this.options;
    const parsed = parseResource(resource);
    const target: TaskTarget = {
      state: stateName,
      resource,
      ...(parsed.kind === 'optimized' || parsed.kind === 'aws-sdk'
        ? { service: parsed.service, action: parsed.action }
        : {}),
    };
    return async (params: unknown, rawContext: Record<string, unknown>) => {
      const context = asContextObject(rawContext);
      // An execution that ended (a stop) may still retry a Task the engine had in flight: nothing more runs.
      if (!this.ledgers.has(context.Execution.Id)) {
        throw new StatesRuntimeError(`Execution ${context.Execution.Id} has ended; "${stateName}" does not run.`);
      }
      const started = clock.now();
      const index = context.Map?.Item.Index;
      const call: TaskCallRecord = {
        state: stateName,
        ...(index !== undefined && { index }),
        resource,
        params,
        startedAt: new Date(started).toISOString(),
        outcome: 'pending',
      };
      this.ledgers.get(context.Execution.Id)?.start(stateName, index, call);
      try {
        if (beforeTask) await injectFault(beforeTask, target, parsed.kind);
        const onSubmitted = (submitted: unknown) =>
          Object.assign(call, { submittedAt: new Date(clock.now()).toISOString(), submitted });
        const onChildExecution = (child: ChildExecutionTrace) => {
          call.childExecutions = [...(call.childExecutions ?? []), child];
        };
        const recordTelemetry = (telemetry: TaskCallRecord['telemetry']) => Object.assign(call, { telemetry });
        const result = await implementation({
          stateName,
          resource,
          params,
          context,
          timeoutSeconds,
          onSubmitted,
          onChildExecution,
          recordTelemetry,
        });
        Object.assign(call, finished(clock, started), { outcome: 'succeeded', result });
        return result;
      } catch (error) {
        const failure = error as Error;
        Object.assign(call, finished(clock, started), {
          outcome: 'failed',
          error: failure.name,
          cause: failure.message,
        });
        throw error;
      }
    };
  }
}

/** The definition the engine runs: an Express machine gets the 5-minute limit unless its own is shorter. */
function engineDefinition(definition: AslDefinition, type: StateMachineType): AslDefinition {
  if (type !== 'EXPRESS') return definition;
  const own = definition.TimeoutSeconds;
  return {
    ...definition,
    TimeoutSeconds: own === undefined ? EXPRESS_MAX_DURATION_SECONDS : Math.min(own, EXPRESS_MAX_DURATION_SECONDS),
  };
}

/** How a finished execution appears nested under the Task that started it. */
export function childExecutionTrace(record: ExecutionRecord): ChildExecutionTrace {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause, trace } =
    record;
  return {
    executionArn,
    stateMachineArn,
    name,
    status,
    startDate,
    ...(stopDate !== undefined && { stopDate }),
    input,
    ...(output !== undefined && { output }),
    ...(error !== undefined && { error }),
    ...(cause !== undefined && { cause }),
    trace,
  };
}

async function injectFault(beforeTask: (target: TaskTarget) => Promise<void>, target: TaskTarget, kind: string) {
  try {
    await beforeTask(target);
  } catch (error) {
    const isServiceCall = (kind === 'optimized' || kind === 'aws-sdk') && target.service !== 'lambda';
    throw isServiceCall ? asServiceTaskFailure(error, kind as 'optimized' | 'aws-sdk', target.service ?? '') : error;
  }
}

function finished(clock: Clock, started: number) {
  const now = clock.now();
  return { finishedAt: new Date(now).toISOString(), durationMs: now - started };
}

interface Outcome {
  readonly status: ExecutionStatus;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

function settle(record: ExecutionRecord, outcome: Outcome): void {
  Object.assign(record, outcome);
}

function abortOutcome(
  reason: { kind: 'stopped'; error?: string; cause?: string } | { kind: 'history-limit' },
): Outcome {
  if (reason.kind === 'history-limit') {
    return { status: 'FAILED', error: HISTORY_LIMIT_ERROR, cause: HISTORY_LIMIT_CAUSE };
  }
  return { status: 'ABORTED', ...definedOnly(reason) };
}

/** The engine reports every abort alike: say in the trace whether it was a stop (and why) or the history limit. */
function asAbortEvent(
  event: TraceEvent,
  reason: { kind: 'stopped'; error?: string; cause?: string } | { kind: 'history-limit' } | undefined,
): TraceEvent {
  if (reason?.kind === 'history-limit') {
    return { at: event.at, type: 'ExecutionFailed', error: HISTORY_LIMIT_ERROR, cause: HISTORY_LIMIT_CAUSE };
  }
  return { at: event.at, type: 'ExecutionAborted', ...(reason && definedOnly(reason)) };
}

function definedOnly(reason: { readonly error?: string; readonly cause?: string }): { error?: string; cause?: string } {
  return {
    ...(typeof reason.error === 'string' && { error: reason.error }),
    ...(typeof reason.cause === 'string' && { cause: reason.cause }),
  };
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ExecutionTimeoutError)
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'Execution timed out' };
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionError) {
    const cause = error.cause as Error;
    return { status: 'FAILED', error: cause.name, cause: cause.message };
  }
  const unexpected = error as Error;
  return { status: 'FAILED', error: unexpected.name ?? 'States.Runtime', cause: unexpected.message ?? String(error) };
}

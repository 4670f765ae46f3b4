/**
 * What one execution did, state by state, read from its history exactly as GetExecutionHistory returns it
 * (AWS's event types, `id` / `previousEventId` links, details with JSON text): each state's runs with input,
 * output, error, attempts and timings, its status for colouring (succeeded, failed, caught, retried, running,
 * not taken), and the edges the execution went along. Pure, so the console, the report and tests share it.
 */
import { endNodeId, isTerminalNode, startNodeId, type WorkflowGraph } from './asl-graph';

/** A history event in the API's shape (timestamps in epoch seconds, data members as JSON text). */
export interface ApiHistoryEvent {
  readonly id: number;
  readonly previousEventId?: number;
  readonly timestamp: number | string;
  readonly type: string;
  readonly [detailsKey: string]: unknown;
}

export type StateStatus = 'succeeded' | 'failed' | 'caught' | 'retried' | 'running' | 'not-taken';

export interface Attempt {
  readonly scheduledAt: number;
  startedAt?: number;
  endedAt?: number;
  outcome: 'running' | 'succeeded' | 'failed';
  error?: string;
  cause?: string;
  readonly resource?: string;
}

/** One entry into a state (inside a Map, one per iteration). */
export interface StateRun {
  readonly state: string;
  readonly enteredAt: number;
  /** The Map iteration it ran in. */
  readonly iteration?: number;
  readonly input?: string;
  exitedAt?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly attempts: Attempt[];
  status: Exclude<StateStatus, 'not-taken'>;
}

export interface StateView {
  readonly name: string;
  readonly status: StateStatus;
  readonly runs: readonly StateRun[];
  /** Attempts beyond the first, over every run. */
  readonly retries: number;
}

export interface ExecutionView {
  readonly states: ReadonlyMap<string, StateView>;
  /** `from\u0000to` of every edge the execution went along (start and end nodes included). */
  readonly takenEdges: ReadonlySet<string>;
  readonly eventCount: number;
}

export const edgeKey = (from: string, to: string): string => `${from}\u0000${to}`;

const PRIORITY: readonly StateStatus[] = ['running', 'failed', 'caught', 'retried', 'succeeded'];

/** `executionStatus` decides what an unfinished state is: still running, or cut short (failed). */
export function buildExecutionView(
  graph: WorkflowGraph,
  events: readonly ApiHistoryEvent[],
  executionStatus: string,
): ExecutionView {
  const scopeOf = new Map(graph.states.map((state) => [state.name, state.scope]));
  const typeOf = new Map(graph.states.map((state) => [state.name, state.type]));
  /** The Map or Parallel state whose scope holds a state (a branch scope's parent is the Parallel). */
  const containerOf = (state: string): string | undefined => {
    const scope = graph.scopes.find((candidate) => candidate.id === scopeOf.get(state));
    if (!scope || scope.kind === 'machine') return undefined;
    return scope.kind === 'branch' ? scope.parent : scope.id;
  };
  const latestRun = new Map<string, StateRun>();
  /** Container-level events link to the last event of an iteration or branch: climb to the container's run. */
  const climbTo = (run: StateRun | undefined, type: string): StateRun | undefined => {
    let current = run;
    while (current && typeOf.get(current.state) !== type) {
      const container = containerOf(current.state);
      current = container === undefined ? undefined : latestRun.get(container);
    }
    return current;
  };
  const runs: StateRun[] = [];
  /**
   * The run an Exited event closes: the one its previous event belongs to (concurrent Map iterations each
   * have their own chain), else the latest open run of that name (a Parallel exits after its branches).
   */
  const exitedRun = (linked: StateRun | undefined, name: string): StateRun | undefined => {
    if (linked?.state === name && linked.exitedAt === undefined) return linked;
    return runs.findLast((run) => run.state === name && run.exitedAt === undefined) ?? latestRun.get(name);
  };
  const runOfEvent = new Map<number, StateRun>();
  const iterationOfEvent = new Map<number, number>();
  const taken = new Set<string>();
  const open = (run: StateRun | undefined) => run?.attempts.at(-1);

  for (const event of events) {
    const previous = event.previousEventId ?? 0;
    const details = detailsOf(event);
    const iteration = event.type === 'MapIterationStarted' ? Number(details.index) : iterationOfEvent.get(previous);
    if (iteration !== undefined) iterationOfEvent.set(event.id, iteration);
    const at = seconds(event.timestamp);

    if (event.type.endsWith('StateEntered')) {
      const name = String(details.name);
      const run: StateRun = {
        state: name,
        enteredAt: at,
        ...(iteration !== undefined && { iteration }),
        ...(typeof details.input === 'string' && { input: details.input }),
        attempts: [],
        status: 'running',
      };
      runs.push(run);
      latestRun.set(name, run);
      runOfEvent.set(event.id, run);
      taken.add(edgeKey(predecessorNode(runOfEvent.get(previous), name, scopeOf), name));
      continue;
    }
    const container = /^(Map|Parallel)(State(Started|Succeeded|Failed|Aborted)|Iteration\w+)$/.exec(event.type)?.[1];
    if (event.type === 'MapIterationFailed') {
      const inner = runOfEvent.get(previous);
      if (inner && inner.exitedAt === undefined) inner.status = 'failed';
    }
    const run = event.type.endsWith('StateExited')
      ? exitedRun(runOfEvent.get(previous), String(details.name))
      : container
        ? climbTo(runOfEvent.get(previous), container)
        : runOfEvent.get(previous);
    if (run) runOfEvent.set(event.id, run);
    if (!run) continue;

    if (/^(Task|LambdaFunction)Scheduled$/.test(event.type)) {
      run.attempts.push({
        scheduledAt: at,
        outcome: 'running',
        ...(typeof details.resource === 'string' && {
          resource: `${details.resourceType ?? 'lambda'}:${details.resource}`,
        }),
      });
    } else if (/^(Task|LambdaFunction)Started$/.test(event.type)) {
      const attempt = open(run);
      if (attempt) attempt.startedAt = at;
    } else if (/^(Task|LambdaFunction)Succeeded$/.test(event.type)) {
      const attempt = open(run);
      if (attempt) Object.assign(attempt, { endedAt: at, outcome: 'succeeded' });
    } else if (/^(Task|LambdaFunction)(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/.test(event.type)) {
      const attempt = open(run);
      const error = String(details.error ?? (event.type.endsWith('TimedOut') ? 'States.Timeout' : 'States.TaskFailed'));
      if (attempt)
        Object.assign(attempt, {
          endedAt: at,
          outcome: 'failed',
          error,
          ...(details.cause !== undefined && { cause: String(details.cause) }),
        });
      run.error = error;
      if (details.cause !== undefined) run.cause = String(details.cause);
    } else if (/^(Map|Parallel)StateFailed$/.test(event.type)) {
      run.error = String(details.error ?? 'States.BranchFailed');
      if (details.cause !== undefined) run.cause = String(details.cause);
    } else if (event.type.endsWith('StateExited')) {
      run.exitedAt = at;
      if (typeof details.output === 'string') run.output = details.output;
      const caught = /(Failed|TimedOut)$/.test(eventById(events, previous)?.type ?? '');
      run.status = caught ? 'caught' : run.attempts.length > 1 ? 'retried' : 'succeeded';
      if (!caught) {
        delete run.error;
        delete run.cause;
      }
    } else if (event.type === 'ExecutionFailed' || event.type === 'ExecutionTimedOut') {
      run.status = 'failed';
      run.error ??= String(details.error ?? 'States.Timeout');
      if (details.cause !== undefined) run.cause ??= String(details.cause);
    } else if (event.type === 'ExecutionSucceeded') {
      taken.add(edgeKey(run.state, endNodeId(scopeOf.get(run.state) ?? '')));
    }
  }

  const finished = executionStatus !== 'RUNNING';
  for (const run of runs) {
    if (run.status === 'running' && finished) {
      run.status = 'failed';
      run.error ??= executionStatus === 'SUCCEEDED' ? undefined : `Execution ${executionStatus}`;
    }
    for (const attempt of run.attempts) if (attempt.outcome === 'running' && finished) attempt.outcome = 'failed';
    if (run.exitedAt !== undefined && run.status !== 'caught' && isEnd(graph, run.state)) {
      taken.add(edgeKey(run.state, endNodeId(scopeOf.get(run.state) ?? '')));
    }
  }

  const states = new Map<string, StateView>();
  for (const state of graph.states) {
    const own = runs.filter((run) => run.state === state.name);
    const status =
      own.length === 0 ? 'not-taken' : PRIORITY.find((candidate) => own.some((run) => run.status === candidate))!;
    const retries = own.reduce((total, run) => total + Math.max(0, run.attempts.length - 1), 0);
    states.set(state.name, { name: state.name, status, runs: own, retries });
  }
  return { states, takenEdges: taken, eventCount: events.length };
}

/**
 * The node an execution came from into `state`: the previous state, or the start node of the state's scope
 * when the previous event belongs to the Map or Parallel holding it (or to no state: the execution's start).
 */
function predecessorNode(previous: StateRun | undefined, state: string, scopeOf: ReadonlyMap<string, string>): string {
  const scope = scopeOf.get(state) ?? '';
  if (!previous) return startNodeId(scope);
  if (scopeOf.get(previous.state) !== scope) return startNodeId(scope);
  return previous.state;
}

function isEnd(graph: WorkflowGraph, state: string): boolean {
  return graph.edges.some((edge) => edge.from === state && edge.kind === 'end');
}

/** The `<type>EventDetails` member of an event, whatever its type. */
function detailsOf(event: ApiHistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') return value as Record<string, unknown>;
  }
  return {};
}

function eventById(events: readonly ApiHistoryEvent[], id: number): ApiHistoryEvent | undefined {
  // Ids are 1-based and dense in a history; fall back to a search if they are not.
  const candidate = events[id - 1];
  return candidate?.id === id ? candidate : events.find((event) => event.id === id);
}

function seconds(timestamp: number | string): number {
  return typeof timestamp === 'number' ? timestamp : Date.parse(timestamp) / 1000;
}

export { isTerminalNode };

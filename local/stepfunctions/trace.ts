/**
 * The path of one execution: states entered and exited with clock times, retries (attempt, error,
 * delay), catches, and the calls each Task made (with the child executions a call waited for, nested).
 * Built from the engine's event log plus the calls recorded by the resource bindings.
 */

import type { InvocationTelemetry } from './bindings/lambda-function';

export interface TaskCallRecord {
  /** The Task state that made the call, and its Map iteration when inside one. */
  readonly state: string;
  readonly index?: number;
  readonly resource: string;
  readonly params: unknown;
  readonly startedAt: string;
  /** `.waitForTaskToken` and `.sync`: when the service call returned and the Task began to wait, and its result. */
  submittedAt?: string;
  submitted?: unknown;
  finishedAt?: string;
  durationMs?: number;
  outcome: 'pending' | 'succeeded' | 'failed';
  result?: unknown;
  error?: string;
  cause?: string;
  /** Executions this call started and waited for (`startSyncExecution`, `startExecution.sync`), nested. */
  childExecutions?: ChildExecutionTrace[];
  /** A Lambda invocation's X-Ray spans and EMF metrics. */
  telemetry?: InvocationTelemetry;
}

/** A child execution as it appears under the Task that started it: its outcome and its own trace. */
export interface ChildExecutionTrace {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: string;
  readonly stopDate?: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly trace: readonly TraceEvent[];
}

interface TraceEventBase {
  readonly at: string;
  /** Map iteration index, when the event happened inside a Map state. */
  readonly index?: number;
}

export type TraceEvent =
  | (TraceEventBase & { readonly type: 'ExecutionStarted'; readonly input: unknown })
  | (TraceEventBase & {
      readonly type: 'StateEntered';
      readonly state: string;
      readonly stateType: string;
      readonly input: unknown;
    })
  | (TraceEventBase & {
      readonly type: 'MapIterationStarted' | 'MapIterationSucceeded';
      readonly state: string;
      readonly index: number;
    })
  | (TraceEventBase & {
      readonly type: 'MapIterationFailed';
      readonly state: string;
      readonly index: number;
      readonly error: string;
      readonly cause: string;
    })
  | (TraceEventBase & {
      readonly type: 'StateExited';
      readonly state: string;
      readonly stateType: string;
      readonly output: unknown;
      readonly call?: TaskCallRecord;
    })
  | (TraceEventBase & {
      readonly type: 'StateFailed';
      readonly state: string;
      readonly error: string;
      readonly cause: string;
      readonly call?: TaskCallRecord;
    })
  | (TraceEventBase & {
      readonly type: 'StateRetried';
      readonly state: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly errorEquals: readonly string[];
    })
  | (TraceEventBase & {
      readonly type: 'StateCaught';
      readonly state: string;
      readonly errorEquals: readonly string[];
      readonly next: string;
    })
  | (TraceEventBase & { readonly type: 'ExecutionSucceeded'; readonly output: unknown })
  | (TraceEventBase & { readonly type: 'ExecutionFailed'; readonly error: string; readonly cause: string })
  | (TraceEventBase & { readonly type: 'ExecutionTimedOut' })
  /** `error` and `cause` are what StopExecution was given, when it was given them. */
  | (TraceEventBase & { readonly type: 'ExecutionAborted'; readonly error?: string; readonly cause?: string });

/** Pairs each Task attempt's call with the engine event that ended that attempt. */
export class TaskCallLedger {
  private readonly open = new Map<string, TaskCallRecord[]>();
  readonly all: TaskCallRecord[] = [];

  start(stateName: string, mapIndex: number | undefined, record: TaskCallRecord): void {
    const key = ledgerKey(stateName, mapIndex);
    const queue = this.open.get(key) ?? [];
    queue.push(record);
    this.open.set(key, queue);
    this.all.push(record);
  }

  /** The earliest call of that state (and Map iteration) not yet paired with an engine event. */
  take(stateName: string, mapIndex: number | undefined): TaskCallRecord | undefined {
    return this.open.get(ledgerKey(stateName, mapIndex))?.shift();
  }
}

function ledgerKey(stateName: string, mapIndex: number | undefined): string {
  return `${stateName}\u0000${mapIndex ?? ''}`;
}

interface EngineEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly index?: number;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input?: unknown;
    readonly output?: unknown;
  };
  readonly parentState?: { readonly name: string; readonly type: string };
  readonly retry?: {
    readonly attempt: number;
    readonly delayMs?: number;
    readonly retrier: { readonly ErrorEquals: readonly string[] };
  };
  readonly catch?: { readonly catcher: { readonly ErrorEquals: readonly string[]; readonly Next: string } };
}

/** Converts one engine event into a trace event; returns undefined for the ones the trace leaves out. */
export function toTraceEvent(event: EngineEvent, ledger: TaskCallLedger): TraceEvent | undefined {
  const at = new Date(event.timestamp).toISOString();
  const index = event.index;
  const base = index === undefined ? { at } : { at, index };
  const state = event.state?.name ?? '';
  switch (event.type) {
    case 'ExecutionStarted':
      return { ...base, type: 'ExecutionStarted', input: event.input };
    case 'StateEntered':
      return { ...base, type: 'StateEntered', state, stateType: event.state?.type ?? '', input: event.state?.input };
    case 'StateExited': {
      const call = event.state?.type === 'Task' ? ledger.take(state, index) : undefined;
      return {
        ...base,
        type: 'StateExited',
        state,
        stateType: event.state?.type ?? '',
        output: event.state?.output,
        ...(call && { call }),
      };
    }
    case 'StateFailed': {
      const call = event.state?.type === 'Task' ? ledger.take(state, index) : undefined;
      return {
        ...base,
        type: 'StateFailed',
        state,
        error: event.Error ?? '',
        cause: causeText(event.Cause),
        ...(call && { call }),
      };
    }
    case 'StateRetried':
      return {
        ...base,
        type: 'StateRetried',
        state,
        attempt: event.retry?.attempt ?? 0,
        delayMs: event.retry?.delayMs ?? 0,
        errorEquals: event.retry?.retrier.ErrorEquals ?? [],
      };
    case 'StateCaught':
      return {
        ...base,
        type: 'StateCaught',
        state,
        errorEquals: event.catch?.catcher.ErrorEquals ?? [],
        next: event.catch?.catcher.Next ?? '',
      };
    case 'ExecutionSucceeded':
      return { ...base, type: 'ExecutionSucceeded', output: event.output };
    case 'ExecutionFailed':
      return { ...base, type: 'ExecutionFailed', error: event.Error ?? '', cause: causeText(event.Cause) };
    case 'ExecutionTimeout':
      return { ...base, type: 'ExecutionTimedOut' };
    case 'ExecutionAborted':
      return { ...base, type: 'ExecutionAborted' };
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
      return { at, type: event.type, state: event.parentState?.name ?? '', index: event.index ?? 0 };
    case 'MapIterationFailed':
      return {
        at,
        type: 'MapIterationFailed',
        state: event.parentState?.name ?? '',
        index: event.index ?? 0,
        error: event.Error ?? '',
        cause: causeText(event.Cause),
      };
    default:
      // Parallel branch bookkeeping: the states inside the branches are traced already.
      return undefined;
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}

/**
 * Retries per state from an execution's trace, and the workflow's retry rate: retries / task attempts, the
 * ratio the deployed metric filters give on AWS (TaskScheduled vs TaskStateEntered events in the state
 * machine's log group, see docs/error-handling.md), so a local run and a deployed one are read the same way.
 */
import type { TraceEvent } from './trace';

export interface StateRetries {
  readonly state: string;
  /** Times the state was entered (once per Map iteration inside a Map). */
  readonly entries: number;
  /** Calls made: entries plus retries. */
  readonly attempts: number;
  readonly retries: number;
  /** The errors that were retried, each with how many times. */
  readonly retriedErrors: Readonly<Record<string, number>>;
}

export interface RetrySummary {
  /** Task states only, in the order they were first entered. */
  readonly states: readonly StateRetries[];
  readonly taskAttempts: number;
  readonly retries: number;
  /** retries / taskAttempts; 0 when no Task ran. */
  readonly retryRate: number;
}

export function retrySummary(trace: readonly TraceEvent[]): RetrySummary {
  const byState = new Map<string, { entries: number; retries: number; retriedErrors: Record<string, number> }>();
  const taskStates = new Set<string>();
  const lastFailure = new Map<string, string>();
  for (const event of trace) {
    if (event.type === 'StateEntered' && event.stateType === 'Task') {
      taskStates.add(event.state);
      const counts = byState.get(event.state) ?? { entries: 0, retries: 0, retriedErrors: {} };
      counts.entries += 1;
      byState.set(event.state, counts);
    } else if (event.type === 'StateFailed') {
      lastFailure.set(retryKey(event.state, event.index), event.error);
    } else if (event.type === 'StateRetried' && taskStates.has(event.state)) {
      const counts = byState.get(event.state)!;
      counts.retries += 1;
      const error = lastFailure.get(retryKey(event.state, event.index)) ?? 'unknown';
      counts.retriedErrors[error] = (counts.retriedErrors[error] ?? 0) + 1;
    }
  }
  const states = [...byState.entries()].map(([state, counts]) => ({
    state,
    entries: counts.entries,
    attempts: counts.entries + counts.retries,
    retries: counts.retries,
    retriedErrors: counts.retriedErrors,
  }));
  const taskAttempts = states.reduce((total, state) => total + state.attempts, 0);
  const retries = states.reduce((total, state) => total + state.retries, 0);
  return { states, taskAttempts, retries, retryRate: taskAttempts === 0 ? 0 : retries / taskAttempts };
}

function retryKey(state: string, index: number | undefined): string {
  return `${state}\u0000${index ?? ''}`;
}

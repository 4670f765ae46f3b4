/** Counts for a batch of executions: by status, and Task calls by resource and by state. */
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';

export interface ExecutionSummary {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly callsByResource: Record<string, number>;
  readonly callsByState: Record<string, number>;
  readonly wallMs: number;
}

export function summarizeExecutions(executions: readonly ExecutionRecord[], wallMs: number): ExecutionSummary {
  const byStatus: Record<string, number> = {};
  const callsByResource: Record<string, number> = {};
  const callsByState: Record<string, number> = {};
  for (const execution of executions) {
    increment(byStatus, execution.status);
    for (const call of execution.calls) increment(callsByResource, call.resource);
    for (const event of execution.trace) {
      if ((event.type === 'StateExited' || event.type === 'StateFailed') && event.call)
        increment(callsByState, event.state);
    }
  }
  return { total: executions.length, byStatus, callsByResource, callsByState, wallMs };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

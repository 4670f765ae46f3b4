/** Human-readable lines for executions and their traces. */
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import type { TraceEvent } from '../local/stepfunctions/trace';

export function formatExecutionLine(execution: ExecutionRecord): string {
  const states = execution.trace.filter((event) => event.type === 'StateEntered').length;
  const children = execution.calls.reduce((total, call) => total + (call.childExecutions?.length ?? 0), 0);
  const nested = children > 0 ? ` (${children} nested execution${children === 1 ? '' : 's'})` : '';
  const elapsed = execution.stopDate ? Date.parse(execution.stopDate) - Date.parse(execution.startDate) : 0;
  const failure =
    execution.status === 'SUCCEEDED' ? '' : `  ${execution.error ?? ''}: ${truncate(execution.cause ?? '', 160)}`;
  return `${execution.status.padEnd(9)} ${execution.workflow ?? execution.stateMachineName}/${execution.name}  ${states} states, ${execution.calls.length} task calls${nested}, ${execution.historyEventCount} history events, ${formatDuration(elapsed)}${failure}`;
}

/** One line per interesting trace event, with the clock time relative to the execution start. */
export function formatTrace(execution: ExecutionRecord, indent = '    '): string[] {
  const start = Date.parse(execution.startDate);
  return execution.trace.flatMap((event) => {
    const line = describe(event);
    return line ? [`${indent}${formatOffset(Date.parse(event.at) - start)}  ${line}`] : [];
  });
}

function describe(event: TraceEvent): string | undefined {
  const where = event.index === undefined ? '' : ` [item ${event.index}]`;
  switch (event.type) {
    case 'StateEntered':
      return event.stateType === 'Task' || event.stateType === 'Choice' || event.stateType === 'Fail'
        ? `-> ${event.state}${where}`
        : undefined;
    case 'StateFailed':
      return `   ${event.state}${where} failed: ${event.error}`;
    case 'StateRetried':
      return `   ${event.state}${where} retry #${event.attempt} after ${formatDuration(event.delayMs)} (${event.errorEquals.join(', ')})`;
    case 'StateCaught':
      return `   ${event.state}${where} caught ${event.errorEquals.join(', ')} -> ${event.next}`;
    case 'ExecutionSucceeded':
      return 'SUCCEEDED';
    case 'ExecutionFailed':
      return `FAILED ${event.error}: ${truncate(event.cause, 120)}`;
    default:
      return undefined;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(1).padStart(6)}s`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

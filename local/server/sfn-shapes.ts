/**
 * Step Functions API shapes from the runtime's records: DescribeExecution, ListExecutions items, history
 * events and StartSyncExecution answers, with the fields AWS sends (and leaves out) for each status.
 */
import type { SyncExecutionResult } from '../runtime';
import { type HistoryEvent, reportedCause } from '../stepfunctions/history-events';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import { epochSeconds } from './aws-json';

const INCLUDED = Object.freeze({ included: true });
/** History detail members that carry execution data: JSON values locally, JSON text on the wire. */
const DATA_FIELDS = new Set(['input', 'output', 'parameters']);
const EXECUTION_DATA_FIELDS = new Set(['input', 'output']);

export function describeExecutionShape(record: ExecutionRecord): Record<string, unknown> {
  const finished = record.status !== 'RUNNING';
  const redrivable = finished && record.status !== 'SUCCEEDED';
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(finished && record.stopDate && { stopDate: epochSeconds(record.stopDate) }),
    input: JSON.stringify(record.input ?? null),
    inputDetails: INCLUDED,
    ...(record.status === 'SUCCEEDED' && { output: JSON.stringify(record.output ?? null), outputDetails: INCLUDED }),
    ...errorShape(record),
    redriveCount: 0,
    redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    ...(!redrivable && { redriveStatusReason: `Execution is ${record.status} and cannot be redriven` }),
  };
}

export function executionListItemShape(record: ExecutionRecord): Record<string, unknown> {
  const finished = record.status !== 'RUNNING';
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(finished && record.stopDate && { stopDate: epochSeconds(record.stopDate) }),
    ...(finished && { redriveCount: 0 }),
  };
}

/** A history event as GetExecutionHistory sends it: data members as JSON text, or left out without execution data. */
export function historyEventShape(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    timestamp: epochSeconds(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
  };
  if (event.detailsKey && event.details) {
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event.details)) {
      if (!includeExecutionData && EXECUTION_DATA_FIELDS.has(key)) continue;
      details[key] = DATA_FIELDS.has(key) ? JSON.stringify(value ?? null) : value;
    }
    shape[event.detailsKey] = details;
  }
  return shape;
}

/** StartSyncExecution's answer: the call succeeds whatever the execution's status. */
export function syncExecutionShape(result: SyncExecutionResult): Record<string, unknown> {
  return {
    executionArn: result.executionArn,
    stateMachineArn: result.stateMachineArn,
    name: result.name,
    startDate: epochSeconds(result.startDate),
    stopDate: epochSeconds(result.stopDate),
    status: result.status,
    ...(result.error !== undefined && { error: result.error }),
    ...(result.cause !== undefined && { cause: result.cause }),
    input: result.input,
    inputDetails: INCLUDED,
    ...(result.output !== undefined && { output: result.output }),
    outputDetails: INCLUDED,
    billingDetails: result.billingDetails,
  };
}

/**
 * `error` and `cause` as DescribeExecution has them: for a failure, and for a stop that gave them; never for a
 * timeout (AWS keeps States.Timeout in the history only).
 */
function errorShape(record: ExecutionRecord): Record<string, string> {
  if (record.status !== 'FAILED' && record.status !== 'ABORTED') return {};
  const cause = reportedCause(record.error, record.cause);
  return {
    ...(record.error !== undefined && { error: record.error }),
    ...(cause !== undefined && { cause }),
  };
}

/**
 * The result of a synchronous Express execution, in the two spellings AWS uses: the StartSyncExecution API
 * response (camelCase, what the SDK returns) and the `aws-sdk:sfn:startSyncExecution` Task result
 * (PascalCase, dates as ISO-8601 text). Either way the call succeeds when the execution fails or times
 * out: `status` says so, with `error` and `cause`, and there is no `output`.
 */
import type { ExecutionRecord } from './local-state-machine';

export type SyncExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** The fields of AWS's StartSyncExecution response (`@aws-sdk/client-sfn` StartSyncExecutionOutput). */
export interface SyncExecutionResult {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly status: SyncExecutionStatus;
  /** The input as the JSON text the execution received. */
  readonly input: string;
  readonly inputDetails: { readonly included: boolean };
  /** JSON text; only when the execution SUCCEEDED (AWS leaves it out otherwise). */
  readonly output?: string;
  readonly outputDetails?: { readonly included: boolean };
  /** Only when the execution FAILED or TIMED_OUT. */
  readonly error?: string;
  readonly cause?: string;
  readonly billingDetails: {
    readonly billedMemoryUsedInMB: number;
    readonly billedDurationInMilliseconds: number;
  };
}

/** Express bills duration in 100 ms steps and memory in 64 MB steps; locally memory is not measured. */
const BILLED_DURATION_STEP_MS = 100;
const BILLED_MEMORY_MB = 64;

export function syncExecutionResult(record: ExecutionRecord): SyncExecutionResult {
  const startDate = new Date(record.startDate);
  const stopDate = new Date(record.stopDate ?? record.startDate);
  const status: SyncExecutionStatus =
    record.status === 'SUCCEEDED' || record.status === 'TIMED_OUT' ? record.status : 'FAILED';
  const durationMs = Math.max(0, stopDate.getTime() - startDate.getTime());
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    startDate,
    stopDate,
    status,
    input: JSON.stringify(record.input ?? {}),
    inputDetails: { included: true },
    ...(status === 'SUCCEEDED'
      ? { output: JSON.stringify(record.output ?? null), outputDetails: { included: true } }
      : { error: record.error ?? 'States.Runtime', cause: record.cause ?? '' }),
    billingDetails: {
      billedMemoryUsedInMB: BILLED_MEMORY_MB,
      billedDurationInMilliseconds:
        Math.max(1, Math.ceil(durationMs / BILLED_DURATION_STEP_MS)) * BILLED_DURATION_STEP_MS,
    },
  };
}

/** The same result as an `aws-sdk:sfn:startSyncExecution` Task returns it (AWS SDK for Java v2 member names). */
export function syncExecutionTaskResult(result: SyncExecutionResult): Record<string, unknown> {
  return {
    BillingDetails: {
      BilledDurationInMilliseconds: result.billingDetails.billedDurationInMilliseconds,
      BilledMemoryUsedInMB: result.billingDetails.billedMemoryUsedInMB,
    },
    ExecutionArn: result.executionArn,
    Input: result.input,
    InputDetails: { Included: result.inputDetails.included },
    Name: result.name,
    ...(result.output !== undefined && {
      Output: result.output,
      OutputDetails: { Included: result.outputDetails?.included ?? true },
    }),
    ...(result.error !== undefined && { Error: result.error, Cause: result.cause ?? '' }),
    StartDate: result.startDate.toISOString(),
    StateMachineArn: result.stateMachineArn,
    Status: result.status,
    StopDate: result.stopDate.toISOString(),
  };
}

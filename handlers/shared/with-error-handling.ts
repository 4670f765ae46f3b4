/**
 * The wrapper of every Step Functions task handler: a correlation id on every log line and on the trace,
 * the invocation in its own `## <task>` subsegment, one structured log and one HandlerErrors datapoint per
 * failure, typed errors rethrown as they are (their `name` is what ASL Retry/Catch route on) and anything
 * else wrapped into `UnexpectedError`, so no task ever fails with a bare `Error`.
 */
import type { Context } from 'aws-lambda';
import { asHandlerError } from './errors';
import {
  annotateTrace,
  emitCount,
  HANDLER_ERROR_METRIC,
  invocationLogger,
  type logger,
  type TraceAnnotations,
  withHandlerSubsegment,
} from './powertools';

export interface TaskInvocation {
  /** From the input's `correlationId`, else its `executionId`, else the Lambda request id. */
  readonly correlationId: string;
  /** This invocation's logger: every line carries `correlationId` and `task`. */
  readonly logger: typeof logger;
  /** Makes the trace searchable by the circuit or table this invocation works on. */
  readonly annotate: (annotations: TraceAnnotations) => void;
}

export type TaskHandler<I, O> = (input: I, invocation: TaskInvocation) => Promise<O>;

/** Finds the id that ties this call to its workflow execution. */
export function correlationIdOf(input: unknown, context?: Pick<Context, 'awsRequestId'>): string {
  if (typeof input === 'object' && input !== null) {
    const fields = input as Record<string, unknown>;
    for (const key of ['correlationId', 'executionId']) {
      const value = fields[key];
      if (typeof value === 'string' && value.length > 0) return value;
    }
  }
  return context?.awsRequestId ?? 'uncorrelated';
}

/** Wraps a task handler; `task` names it in logs, metrics and the trace (e.g. `reconcile-inventory`). */
export function withErrorHandling<I, O>(
  task: string,
  handler: TaskHandler<I, O>,
): (input: I, context?: Context) => Promise<O> {
  return async (input, context) => {
    const correlationId = correlationIdOf(input, context);
    const log = invocationLogger({ correlationId, task }, context);
    return withHandlerSubsegment(task, async () => {
      annotateTrace({ correlationId });
      try {
        return await handler(input, { correlationId, logger: log, annotate: annotateTrace });
      } catch (error) {
        const typed = asHandlerError(error, task);
        log.error(`${task} failed with ${typed.name}`, {
          errorName: typed.name,
          code: typed.code,
          retryable: typed.retryable,
          countsForCircuit: typed.countsForCircuit,
          error: typed,
        });
        emitCount(HANDLER_ERROR_METRIC, 1, { ErrorName: typed.name });
        throw typed;
      }
    });
  };
}

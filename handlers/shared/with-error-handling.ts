/**
 * The wrapper of every Step Functions task handler: a correlation id on every log line, one structured
 * log per failure, typed errors rethrown as they are (their `name` is what ASL Retry/Catch route on) and
 * anything else wrapped into `UnexpectedError`, so no task ever fails with a bare `Error`.
 */
import type { Context } from 'aws-lambda';
import { isHandlerError, UnexpectedError } from './errors';
import { logger } from './powertools';

export interface TaskInvocation {
  /** From the input's `correlationId`, else its `executionId`, else the Lambda request id. */
  readonly correlationId: string;
  readonly logger: typeof logger;
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

/** Wraps a task handler; `task` names it in logs (e.g. `reconcile-inventory`). */
export function withErrorHandling<I, O>(
  task: string,
  handler: TaskHandler<I, O>,
): (input: I, context?: Context) => Promise<O> {
  return async (input, context) => {
    const correlationId = correlationIdOf(input, context);
    logger.appendKeys({ correlationId, task });
    try {
      return await handler(input, { correlationId, logger });
    } catch (error) {
      const typed = isHandlerError(error)
        ? error
        : new UnexpectedError(`${task} failed unexpectedly: ${messageOf(error)}`, { cause: error });
      logger.error(`${task} failed with ${typed.name}`, {
        errorName: typed.name,
        retryable: typed.retryable,
        error: typed,
      });
      throw typed;
    } finally {
      logger.removeKeys(['correlationId', 'task']);
    }
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The typed errors of every handler. Each `name` is what a Step Functions `ErrorEquals` routes on and what
 * the API Gateway wrapper maps to a status code, so a handler throws one of these and never a bare `Error`.
 */

/** What every typed handler error carries besides `name` and `message`. */
export interface HandlerErrorDetails {
  /** HTTP status an API handler answers with. */
  readonly statusCode: number;
  /** Whether trying the same call again later can succeed (Retry on it in ASL); a user error never can. */
  readonly retryable: boolean;
}

/** Base class of the typed errors: `instanceof HandlerError` separates them from unexpected failures. */
export abstract class HandlerError extends Error implements HandlerErrorDetails {
  abstract readonly statusCode: number;
  abstract readonly retryable: boolean;
}

/** The input is malformed or breaks a rule; fix the input, retrying the same call will fail again. */
export class InvalidInputError extends HandlerError {
  readonly statusCode = 400;
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/** The thing the input names does not exist. */
export class NotFoundError extends HandlerError {
  readonly statusCode = 404;
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** The current state forbids the change (a conditional write lost, a guard refused); re-read before retrying. */
export class ConflictError extends HandlerError {
  readonly statusCode = 409;
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** A dependency throttled us; back off and retry. */
export class ThrottledError extends HandlerError {
  readonly statusCode = 429;
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ThrottledError';
  }
}

/** A dependency failed or timed out (5xx, network); retry with backoff, count it against its circuit. */
export class DependencyUnavailableError extends HandlerError {
  readonly statusCode = 503;
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** Anything that is not one of the above: a bug or an unforeseen case. The original error is the `cause`. */
export class UnexpectedError extends HandlerError {
  readonly statusCode = 500;
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnexpectedError';
  }
}

/** The `name`s above, for ASL `ErrorEquals` lists and tests. */
export const HANDLER_ERROR_NAMES = [
  'InvalidInputError',
  'NotFoundError',
  'ConflictError',
  'ThrottledError',
  'DependencyUnavailableError',
  'UnexpectedError',
] as const;
export type HandlerErrorName = (typeof HANDLER_ERROR_NAMES)[number];

export function isHandlerError(error: unknown): error is HandlerError {
  return error instanceof HandlerError;
}
export function isInvalidInputError(error: unknown): error is InvalidInputError {
  return error instanceof InvalidInputError;
}
export function isNotFoundError(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError;
}
export function isConflictError(error: unknown): error is ConflictError {
  return error instanceof ConflictError;
}
export function isThrottledError(error: unknown): error is ThrottledError {
  return error instanceof ThrottledError;
}
export function isDependencyUnavailableError(error: unknown): error is DependencyUnavailableError {
  return error instanceof DependencyUnavailableError;
}
/** True for errors worth retrying: typed retryable errors only (unknown errors are not guessed at). */
export function isRetryableError(error: unknown): boolean {
  return isHandlerError(error) && error.retryable;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/**
 * Translates an AWS SDK v3 error into a typed error, so callers route on meaning, not on service names:
 * throttling -> ThrottledError, 5xx / network / timeout -> DependencyUnavailableError, conditional check ->
 * ConflictError, missing resource -> NotFoundError, other 4xx -> InvalidInputError. Typed errors pass through.
 */
export function fromAwsError(error: unknown, doing: string): HandlerError {
  if (isHandlerError(error)) return error;
  const name = (error as { name?: unknown })?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const fault = (error as { $fault?: unknown })?.$fault;
  const message = (error as { message?: unknown })?.message;
  const what = `${doing} failed: ${typeof name === 'string' ? name : 'error'}${typeof message === 'string' ? ` (${message})` : ''}`;
  if (typeof name === 'string' && THROTTLING_NAMES.has(name)) {
    return new ThrottledError(`${what}. The dependency is throttling; retry with backoff.`, { cause: error });
  }
  if (name === 'ConditionalCheckFailedException') {
    return new ConflictError(`${what}. The item changed meanwhile; re-read it and try again.`, { cause: error });
  }
  if (name === 'ResourceNotFoundException') {
    return new NotFoundError(`${what}. Check the table or resource name in the environment.`, { cause: error });
  }
  if (fault === 'server' || (typeof status === 'number' && status >= 500) || status === undefined) {
    return new DependencyUnavailableError(`${what}. The dependency is unavailable; retry with backoff.`, {
      cause: error,
    });
  }
  return new InvalidInputError(`${what}. The request was rejected; fix its parameters.`, { cause: error });
}

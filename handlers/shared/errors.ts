/**
 * The typed errors of every handler. Each `name` is what a Step Functions `ErrorEquals` routes on and what
 * the API wrapper maps to a status code, so a handler throws one of these and never a bare `Error`. Status,
 * code, retry and circuit semantics come from the catalog (`error-catalog.ts`).
 */
import { catalogEntry, type HandlerErrorCode, type HandlerErrorName } from './error-catalog';

export interface HandlerErrorOptions extends ErrorOptions {
  /** Seconds after which trying again makes sense; the API sends it as `Retry-After`. */
  readonly retryAfterSeconds?: number;
}

/** Base class of the typed errors: `instanceof HandlerError` separates them from unexpected failures. */
export abstract class HandlerError extends Error {
  declare readonly name: HandlerErrorName;
  readonly code: HandlerErrorCode;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly countsForCircuit: boolean;
  readonly retryAfterSeconds?: number;

  protected constructor(name: HandlerErrorName, message: string, options?: HandlerErrorOptions) {
    super(message, options);
    const entry = catalogEntry(name);
    this.name = name;
    this.code = entry.code as HandlerErrorCode;
    this.statusCode = entry.statusCode;
    this.retryable = entry.retryable;
    this.countsForCircuit = entry.countsForCircuit;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The input is malformed or breaks a rule; fix the input, retrying the same call will fail again. */
export class InvalidInputError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('InvalidInputError', message, options);
  }
}

/** The request carries no usable identity. */
export class UnauthorizedError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('UnauthorizedError', message, options);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('ForbiddenError', message, options);
  }
}

/** The thing the input names does not exist. */
export class NotFoundError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('NotFoundError', message, options);
  }
}

/** The route exists, but not with this method. */
export class MethodNotAllowedError extends HandlerError {
  readonly allowed: readonly string[];
  constructor(message: string, allowed: readonly string[], options?: HandlerErrorOptions) {
    super('MethodNotAllowedError', message, options);
    this.allowed = allowed;
  }
}

/** The current state forbids the change (a conditional write lost, a guard refused); re-read before retrying. */
export class ConflictError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('ConflictError', message, options);
  }
}

/** The request body is over the route's limit. */
export class PayloadTooLargeError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('PayloadTooLargeError', message, options);
  }
}

/** A dependency throttled us; back off and retry. Counts against the dependency's circuit. */
export class ThrottledError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('ThrottledError', message, options);
  }
}

/** Anything that is not one of the others: a bug or an unforeseen case. The original error is the `cause`. */
export class UnexpectedError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('UnexpectedError', message, options);
  }
}

/** A dependency failed (5xx, connection refused); retry with backoff. Counts against its circuit. */
export class DependencyUnavailableError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('DependencyUnavailableError', message, options);
  }
}

/** The dependency's circuit is open: the call was refused without reaching the dependency. */
export class CircuitOpenError extends HandlerError {
  readonly circuit: string;
  constructor(circuit: string, message: string, options?: HandlerErrorOptions) {
    super('CircuitOpenError', message, options);
    this.circuit = circuit;
  }
}

/** The circuit could not be consulted (its table is unreachable) and the circuit fails closed. */
export class CircuitUnavailableError extends HandlerError {
  readonly circuit: string;
  constructor(circuit: string, message: string, options?: HandlerErrorOptions) {
    super('CircuitUnavailableError', message, options);
    this.circuit = circuit;
  }
}

/** The table is under a disaster-recovery cutover: the API refuses writes to it until the cutover ends. */
export class MaintenanceError extends HandlerError {
  readonly table: string;
  constructor(table: string, message: string, options?: HandlerErrorOptions) {
    super('MaintenanceError', message, options);
    this.table = table;
  }
}

/** A dependency did not answer within the time budget; retry with backoff. Counts against its circuit. */
export class DependencyTimeoutError extends HandlerError {
  constructor(message: string, options?: HandlerErrorOptions) {
    super('DependencyTimeoutError', message, options);
  }
}

export function isHandlerError(error: unknown): error is HandlerError {
  return error instanceof HandlerError;
}
export function isInvalidInputError(error: unknown): error is InvalidInputError {
  return error instanceof InvalidInputError;
}
export function isUnauthorizedError(error: unknown): error is UnauthorizedError {
  return error instanceof UnauthorizedError;
}
export function isForbiddenError(error: unknown): error is ForbiddenError {
  return error instanceof ForbiddenError;
}
export function isNotFoundError(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError;
}
export function isMethodNotAllowedError(error: unknown): error is MethodNotAllowedError {
  return error instanceof MethodNotAllowedError;
}
export function isConflictError(error: unknown): error is ConflictError {
  return error instanceof ConflictError;
}
export function isPayloadTooLargeError(error: unknown): error is PayloadTooLargeError {
  return error instanceof PayloadTooLargeError;
}
export function isThrottledError(error: unknown): error is ThrottledError {
  return error instanceof ThrottledError;
}
export function isUnexpectedError(error: unknown): error is UnexpectedError {
  return error instanceof UnexpectedError;
}
export function isDependencyUnavailableError(error: unknown): error is DependencyUnavailableError {
  return error instanceof DependencyUnavailableError;
}
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof CircuitOpenError;
}
export function isCircuitUnavailableError(error: unknown): error is CircuitUnavailableError {
  return error instanceof CircuitUnavailableError;
}
export function isMaintenanceError(error: unknown): error is MaintenanceError {
  return error instanceof MaintenanceError;
}
export function isDependencyTimeoutError(error: unknown): error is DependencyTimeoutError {
  return error instanceof DependencyTimeoutError;
}
/** True for errors worth retrying: typed retryable errors only (unknown errors are not guessed at). */
export function isRetryableError(error: unknown): boolean {
  return isHandlerError(error) && error.retryable;
}
/** True for errors that are evidence of an unhealthy dependency, which its circuit counts. */
export function countsForCircuit(error: unknown): boolean {
  return isHandlerError(error) && error.countsForCircuit;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestLimitExceededException',
  'TooManyRequestsException',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/**
 * Translates an AWS SDK v3 error into a typed error, so callers route on meaning, not on service names:
 * throttling -> ThrottledError, timeout -> DependencyTimeoutError, 5xx / network -> DependencyUnavailableError,
 * conditional check -> ConflictError, missing resource -> NotFoundError, access denied -> UnexpectedError (the
 * function's role is wrong: a deployment bug, not the caller's fault), other 4xx -> InvalidInputError.
 * Typed errors pass through.
 */
export function fromAwsError(error: unknown, doing: string): HandlerError {
  if (isHandlerError(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof fields.name === 'string' ? fields.name : 'error';
  const status = fields.$metadata?.httpStatusCode;
  const what = `${doing} failed: ${name}${typeof fields.message === 'string' ? ` (${fields.message})` : ''}`;
  const options = { cause: error };
  if (THROTTLING_NAMES.has(name)) {
    return new ThrottledError(`${what}. The dependency is throttling; retry with backoff.`, options);
  }
  if (TIMEOUT_NAMES.has(name) || (typeof fields.code === 'string' && TIMEOUT_CODES.has(fields.code))) {
    return new DependencyTimeoutError(`${what}. The dependency did not answer in time; retry with backoff.`, options);
  }
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') {
    return new ConflictError(`${what}. The item changed meanwhile; re-read it and try again.`, options);
  }
  if (name === 'ResourceNotFoundException') {
    return new NotFoundError(`${what}. Check the table or resource name in the environment.`, options);
  }
  if (ACCESS_DENIED_NAMES.has(name)) {
    return new UnexpectedError(`${what}. The function's role lacks this permission: a deployment bug.`, options);
  }
  if (fields.$fault === 'server' || (typeof status === 'number' && status >= 500) || status === undefined) {
    return new DependencyUnavailableError(`${what}. The dependency is unavailable; retry with backoff.`, options);
  }
  return new InvalidInputError(`${what}. The request was rejected; fix its parameters.`, options);
}

/** Any thrown value as a typed error: typed errors unchanged, anything else an UnexpectedError with it as cause. */
export function asHandlerError(error: unknown, doing: string): HandlerError {
  if (isHandlerError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnexpectedError(`${doing} failed unexpectedly: ${message}`, { cause: error });
}

export { ERROR_CATALOG, HANDLER_ERROR_NAMES, type HandlerErrorCode, type HandlerErrorName } from './error-catalog';

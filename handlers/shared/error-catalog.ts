/**
 * The error catalog as data: every typed handler error with its HTTP status, stable code, retry and circuit
 * semantics, and how workflows route it. `errors.ts` builds its classes from these entries; the docs table
 * and the ASL routing test enumerate them.
 */

/**
 * How Step Functions workflows treat the error when a Lambda task throws it:
 * - `retry`: a Retry names it (a retry preset lists it), so a transient failure is absorbed;
 * - `named`: some ErrorEquals or Fail state names it (e.g. a refusal that ends the execution under its own name);
 * - `catch-all`: never retried; the Task's `States.ALL` catcher records it under its name;
 * - `api-only`: thrown only by API handlers; no state machine names it.
 */
export type WorkflowRouting = 'retry' | 'named' | 'catch-all' | 'api-only';

export interface ErrorCatalogEntry {
  /** The error's `name`: what ASL `ErrorEquals` matches and Lambda reports as `errorType`. */
  readonly name: string;
  /** Stable, machine-readable code in the API's error body; never changes once published. */
  readonly code: string;
  /** What the API answers with. */
  readonly statusCode: number;
  /** Whether the same call can succeed if tried again later, so a Retry (or the caller) may repeat it. */
  readonly retryable: boolean;
  /** Whether it is evidence that the dependency is unhealthy, so the dependency's circuit counts it. */
  readonly countsForCircuit: boolean;
  readonly workflowRouting: WorkflowRouting;
  /**
   * What the API says instead of the error's own message. Set for server-side failures, whose messages name
   * internal resources; the message itself goes to the log with the correlation id.
   */
  readonly publicMessage?: string;
  /** When to throw it, for the docs. */
  readonly when: string;
}

export const ERROR_CATALOG = [
  {
    name: 'InvalidInputError',
    code: 'INVALID_INPUT',
    statusCode: 400,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'catch-all',
    when: 'the input is malformed or breaks a rule (the message names the field and the fix)',
  },
  {
    name: 'UnauthorizedError',
    code: 'UNAUTHORIZED',
    statusCode: 401,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'api-only',
    when: 'the request carries no usable identity',
  },
  {
    name: 'ForbiddenError',
    code: 'FORBIDDEN',
    statusCode: 403,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'api-only',
    when: 'the caller is known but may not do this',
  },
  {
    name: 'NotFoundError',
    code: 'NOT_FOUND',
    statusCode: 404,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'catch-all',
    when: 'what the input names (an instance, a circuit, a route) does not exist',
  },
  {
    name: 'MethodNotAllowedError',
    code: 'METHOD_NOT_ALLOWED',
    statusCode: 405,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'api-only',
    when: 'the route exists but not with this HTTP method',
  },
  {
    name: 'ConflictError',
    code: 'CONFLICT',
    statusCode: 409,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'catch-all',
    when: 'the current state forbids the change (a lost conditional write, a guard); re-read before trying again',
  },
  {
    name: 'PayloadTooLargeError',
    code: 'PAYLOAD_TOO_LARGE',
    statusCode: 413,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'api-only',
    when: 'the request body is over the route limit',
  },
  {
    name: 'ThrottledError',
    code: 'THROTTLED',
    statusCode: 429,
    retryable: true,
    countsForCircuit: true,
    workflowRouting: 'retry',
    publicMessage: 'A dependency is throttling requests; retry with backoff.',
    when: 'a dependency throttled us',
  },
  {
    name: 'UnexpectedError',
    code: 'INTERNAL_ERROR',
    statusCode: 500,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'catch-all',
    publicMessage: 'An unexpected error occurred.',
    when: 'anything else: a bug or an unforeseen case; the original error is its `cause`',
  },
  {
    name: 'DependencyUnavailableError',
    code: 'DEPENDENCY_UNAVAILABLE',
    statusCode: 503,
    retryable: true,
    countsForCircuit: true,
    workflowRouting: 'retry',
    publicMessage: 'A dependency is unavailable; retry later.',
    when: 'a dependency failed (5xx, connection refused or reset)',
  },
  {
    name: 'CircuitOpenError',
    code: 'CIRCUIT_OPEN',
    statusCode: 503,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'named',
    when: "the dependency's circuit is open: the call was refused without reaching it (the message says until when)",
  },
  {
    name: 'CircuitUnavailableError',
    code: 'CIRCUIT_UNAVAILABLE',
    statusCode: 503,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'named',
    publicMessage: 'The circuit breaker could not be consulted; the call was refused.',
    when: 'the circuit table could not be read and the circuit fails closed',
  },
  {
    name: 'MaintenanceError',
    code: 'MAINTENANCE',
    statusCode: 503,
    retryable: false,
    countsForCircuit: false,
    workflowRouting: 'api-only',
    when: 'the table is under a disaster-recovery cutover: writes are refused until it ends',
  },
  {
    name: 'DependencyTimeoutError',
    code: 'DEPENDENCY_TIMEOUT',
    statusCode: 504,
    retryable: true,
    countsForCircuit: true,
    workflowRouting: 'retry',
    publicMessage: 'A dependency did not answer in time; retry later.',
    when: 'a dependency did not answer within the time budget',
  },
] as const satisfies readonly ErrorCatalogEntry[];

export type HandlerErrorName = (typeof ERROR_CATALOG)[number]['name'];
export type HandlerErrorCode = (typeof ERROR_CATALOG)[number]['code'];

/** Every catalog name, in catalog order. */
export const HANDLER_ERROR_NAMES: readonly HandlerErrorName[] = ERROR_CATALOG.map((entry) => entry.name);

const BY_NAME: ReadonlyMap<string, ErrorCatalogEntry> = new Map(ERROR_CATALOG.map((entry) => [entry.name, entry]));

export function catalogEntry(name: HandlerErrorName): ErrorCatalogEntry {
  return BY_NAME.get(name)!;
}

/** The entry for a name from outside the type system (an ASL file, a Lambda errorType), if it is ours. */
export function findCatalogEntry(name: string): ErrorCatalogEntry | undefined {
  return BY_NAME.get(name);
}

/** The names a Retry must list to absorb transient handler failures (what the handler retry preset retries). */
export const RETRYABLE_HANDLER_ERRORS: readonly HandlerErrorName[] = ERROR_CATALOG.filter(
  (entry) => entry.workflowRouting === 'retry',
).map((entry) => entry.name);

import { ERROR_CATALOG, HANDLER_ERROR_NAMES } from '../../../handlers/shared/error-catalog';
import {
  asHandlerError,
  CircuitOpenError,
  CircuitUnavailableError,
  ConflictError,
  countsForCircuit,
  DependencyTimeoutError,
  DependencyUnavailableError,
  ForbiddenError,
  fromAwsError,
  type HandlerError,
  InvalidInputError,
  isCircuitOpenError,
  isCircuitUnavailableError,
  isConflictError,
  isDependencyTimeoutError,
  isDependencyUnavailableError,
  isForbiddenError,
  isHandlerError,
  isInvalidInputError,
  isMaintenanceError,
  isMethodNotAllowedError,
  isNotFoundError,
  isPayloadTooLargeError,
  isRetryableError,
  isThrottledError,
  isUnauthorizedError,
  isUnexpectedError,
  MaintenanceError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ThrottledError,
  UnauthorizedError,
  UnexpectedError,
} from '../../../handlers/shared/errors';

/** One instance of every class, with the guard that must recognise it. */
const EVERY_ERROR: readonly [HandlerError, (error: unknown) => boolean][] = [
  [new InvalidInputError('x'), isInvalidInputError],
  [new UnauthorizedError('x'), isUnauthorizedError],
  [new ForbiddenError('x'), isForbiddenError],
  [new NotFoundError('x'), isNotFoundError],
  [new MethodNotAllowedError('x', ['GET']), isMethodNotAllowedError],
  [new ConflictError('x'), isConflictError],
  [new PayloadTooLargeError('x'), isPayloadTooLargeError],
  [new ThrottledError('x'), isThrottledError],
  [new UnexpectedError('x'), isUnexpectedError],
  [new DependencyUnavailableError('x'), isDependencyUnavailableError],
  [new CircuitOpenError('rds-api', 'x'), isCircuitOpenError],
  [new CircuitUnavailableError('rds-api', 'x'), isCircuitUnavailableError],
  [new MaintenanceError('rds-inventory', 'x'), isMaintenanceError],
  [new DependencyTimeoutError('x'), isDependencyTimeoutError],
];

const sdkError = (name: string, status?: number, fault?: string, extra: object = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    ...extra,
  });

describe('the error catalog', () => {
  it('has one class per entry, carrying the entry: name, code, status, retryable, circuit counting', () => {
    expect(EVERY_ERROR.map(([error]) => error.name)).toEqual([...HANDLER_ERROR_NAMES]);
    for (const [error] of EVERY_ERROR) {
      const entry = ERROR_CATALOG.find((candidate) => candidate.name === error.name)!;
      expect({
        code: error.code,
        statusCode: error.statusCode,
        retryable: error.retryable,
        countsForCircuit: error.countsForCircuit,
      }).toEqual({
        code: entry.code,
        statusCode: entry.statusCode,
        retryable: entry.retryable,
        countsForCircuit: entry.countsForCircuit,
      });
    }
  });

  it('keeps names and codes unique, and retries only what may succeed later', () => {
    expect(new Set(ERROR_CATALOG.map((entry) => entry.code)).size).toBe(ERROR_CATALOG.length);
    expect(new Set(HANDLER_ERROR_NAMES).size).toBe(ERROR_CATALOG.length);
    for (const entry of ERROR_CATALOG) {
      expect(entry.name).toMatch(/^[A-Z][A-Za-z]+Error$/);
      expect(entry.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      // A workflow Retry on the error exists exactly when the error is retryable.
      expect(entry.workflowRouting === 'retry').toBe(entry.retryable);
      // Only transient dependency failures are evidence against a circuit.
      if (entry.countsForCircuit) expect(entry.retryable).toBe(true);
      // Server-side failures get a public message instead of their own (which may name internal resources).
      if (entry.statusCode >= 500 && !['CircuitOpenError', 'MaintenanceError'].includes(entry.name)) {
        expect(entry).toHaveProperty('publicMessage');
      }
    }
  });

  it('gives every class a type guard that recognises it and nothing else', () => {
    for (const [error, guard] of EVERY_ERROR) {
      const recognised = EVERY_ERROR.filter(([other]) => guard(other)).map(([other]) => other.name);
      expect(recognised).toEqual([error.name]);
      expect(guard(new Error(error.message))).toBe(false);
    }
    expect(EVERY_ERROR.every(([error]) => isHandlerError(error))).toBe(true);
    expect(isHandlerError(new Error('plain'))).toBe(false);
  });

  it('keeps the cause and the details the API needs', () => {
    const cause = new Error('socket hang up');
    const error = new DependencyUnavailableError('Scanning failed', { cause, retryAfterSeconds: 5 });

    expect(error.cause).toBe(cause);
    expect(error.retryAfterSeconds).toBe(5);
    expect(new CircuitOpenError('rds-api', 'open').circuit).toBe('rds-api');
    expect(new MaintenanceError('rds-inventory', 'cutover').table).toBe('rds-inventory');
    expect(new MethodNotAllowedError('no', ['GET', 'POST']).allowed).toEqual(['GET', 'POST']);
    expect(isRetryableError(error)).toBe(true);
    expect(countsForCircuit(error)).toBe(true);
    expect(countsForCircuit(new CircuitOpenError('rds-api', 'open'))).toBe(false);
    expect(isRetryableError(new Error('unknown'))).toBe(false);
  });
});

describe('fromAwsError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 400, 'client', ThrottledError],
    ['ThrottlingException', 400, 'client', ThrottledError],
    ['Throttling', 400, 'client', ThrottledError],
    ['InternalServerError', 500, 'server', DependencyUnavailableError],
    ['ServiceUnavailable', 503, 'server', DependencyUnavailableError],
    ['TimeoutError', undefined, undefined, DependencyTimeoutError],
    ['ConditionalCheckFailedException', 400, 'client', ConflictError],
    ['TransactionConflictException', 400, 'client', ConflictError],
    ['ResourceNotFoundException', 400, 'client', NotFoundError],
    ['AccessDeniedException', 400, 'client', UnexpectedError],
    ['ValidationException', 400, 'client', InvalidInputError],
  ])('maps %s (%s) by meaning', (name, status, fault, expected) => {
    const mapped = fromAwsError(sdkError(name, status, fault), 'Scanning rds-inventory');

    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.message).toContain(`Scanning rds-inventory failed: ${name}`);
    expect(mapped.cause).toMatchObject({ name });
  });

  it('treats network failures without a response as an unavailable dependency, ETIMEDOUT as a timeout', () => {
    expect(fromAwsError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'Scan')).toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(fromAwsError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), 'Scan')).toBeInstanceOf(
      DependencyTimeoutError,
    );
  });

  it('passes typed errors through unchanged', () => {
    const typed = new NotFoundError('No such circuit.');
    expect(fromAwsError(typed, 'Scan')).toBe(typed);
    expect(asHandlerError(typed, 'x')).toBe(typed);
  });
});

describe('asHandlerError', () => {
  it('wraps anything else into UnexpectedError, keeping it as cause', () => {
    const original = new TypeError('undefined is not a function');
    const wrapped = asHandlerError(original, 'reconcile-inventory');

    expect(wrapped).toBeInstanceOf(UnexpectedError);
    expect(wrapped.message).toBe('reconcile-inventory failed unexpectedly: undefined is not a function');
    expect(wrapped.cause).toBe(original);
    expect(asHandlerError('a string', 'x').message).toContain('a string');
  });
});

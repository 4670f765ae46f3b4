import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createDocumentClient, dynamoEndpointFromEnv, requireEnv } from '../../handlers/shared/clients';
import {
  ConflictError,
  DependencyUnavailableError,
  fromAwsError,
  HANDLER_ERROR_NAMES,
  InvalidInputError,
  isDependencyUnavailableError,
  isHandlerError,
  isRetryableError,
  NotFoundError,
  ThrottledError,
  UnexpectedError,
} from '../../handlers/shared/errors';
import { withHttpErrorHandling } from '../../handlers/shared/http';
import { logger } from '../../handlers/shared/powertools';
import { correlationIdOf, withErrorHandling } from '../../handlers/shared/with-error-handling';

const apiEvent = (headers: Record<string, string> = {}) =>
  ({ headers, requestContext: { requestId: 'api-request-1' } }) as unknown as APIGatewayProxyEvent;

describe('typed handler errors', () => {
  it('carry the name Step Functions routes on, a status code, a retryable flag and the cause', () => {
    const cause = new Error('socket hang up');
    const errors = [
      new InvalidInputError('x'),
      new NotFoundError('x'),
      new ConflictError('x'),
      new ThrottledError('x'),
      new DependencyUnavailableError('x', { cause }),
      new UnexpectedError('x'),
    ];

    expect(errors.map((e) => e.name)).toEqual([...HANDLER_ERROR_NAMES]);
    expect(errors.map((e) => e.statusCode)).toEqual([400, 404, 409, 429, 503, 500]);
    expect(errors.map((e) => isRetryableError(e))).toEqual([false, false, false, true, true, false]);
    expect(errors[4]!.cause).toBe(cause);
    expect(isDependencyUnavailableError(errors[4])).toBe(true);
    expect(isHandlerError(new Error('plain'))).toBe(false);
  });

  it('translate AWS SDK errors by meaning', () => {
    const sdk = (name: string, status?: number, fault?: string) =>
      Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });

    expect(fromAwsError(sdk('ProvisionedThroughputExceededException', 400, 'client'), 'Scan')).toBeInstanceOf(
      ThrottledError,
    );
    expect(fromAwsError(sdk('InternalServerError', 500, 'server'), 'Scan')).toBeInstanceOf(DependencyUnavailableError);
    expect(fromAwsError(sdk('ConditionalCheckFailedException', 400, 'client'), 'Update')).toBeInstanceOf(ConflictError);
    expect(fromAwsError(sdk('ResourceNotFoundException', 400, 'client'), 'Scan')).toBeInstanceOf(NotFoundError);
    expect(fromAwsError(sdk('ValidationException', 400, 'client'), 'Scan')).toBeInstanceOf(InvalidInputError);
    expect(fromAwsError(new Error('ECONNREFUSED'), 'Scan')).toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('withErrorHandling', () => {
  let logError: jest.SpyInstance;
  beforeEach(() => {
    logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('takes the correlation id from the input, then the execution, then the Lambda request', () => {
    expect(correlationIdOf({ correlationId: 'c-1', executionId: 'e-1' })).toBe('c-1');
    expect(correlationIdOf({ executionId: 'e-1' })).toBe('e-1');
    expect(correlationIdOf({}, { awsRequestId: 'r-1' })).toBe('r-1');
  });

  it('rethrows typed errors unchanged and logs them once, with the correlation id', async () => {
    const appendKeys = jest.spyOn(logger, 'appendKeys');
    const thrown = new ThrottledError('slow down');
    const handler = withErrorHandling('demo', async () => {
      throw thrown;
    });

    await expect(handler({ correlationId: 'c-9' })).rejects.toBe(thrown);
    expect(appendKeys).toHaveBeenCalledWith({ correlationId: 'c-9', task: 'demo' });
    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError).toHaveBeenCalledWith(
      'demo failed with ThrottledError',
      expect.objectContaining({ errorName: 'ThrottledError', retryable: true }),
    );
  });

  it('wraps anything else into UnexpectedError, keeping the original as cause', async () => {
    const original = new TypeError('undefined is not a function');
    const handler = withErrorHandling('demo', async () => {
      throw original;
    });

    const rejection = await handler({}).catch((e: unknown) => e);

    expect(rejection).toBeInstanceOf(UnexpectedError);
    expect((rejection as Error).name).toBe('UnexpectedError');
    expect((rejection as Error).cause).toBe(original);
  });
});

describe('withHttpErrorHandling', () => {
  beforeEach(() => {
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('maps a typed error to its status with a JSON body and the caller correlation id', async () => {
    const handler = withHttpErrorHandling(async () => {
      throw new NotFoundError('No circuit named "nope".');
    });

    const response = await handler(apiEvent({ 'X-Correlation-Id': 'abc' }));

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({
      error: { type: 'NotFoundError', message: 'No circuit named "nope".', correlationId: 'abc' },
    });
  });

  it('answers 500 without the internal message or a stack trace for unknown errors', async () => {
    const handler = withHttpErrorHandling(async () => {
      throw new Error('password=hunter2 at Object.<anonymous> (/var/task/index.js:1:1)');
    });

    const response = await handler(apiEvent());

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/hunter2|index\.js/);
    expect(JSON.parse(response.body).error).toEqual(
      expect.objectContaining({ type: 'UnexpectedError', correlationId: 'api-request-1' }),
    );
  });
});

describe('clients', () => {
  it('honours AWS_ENDPOINT_URL_DYNAMODB, then DYNAMODB_ENDPOINT', async () => {
    expect(dynamoEndpointFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: 'http://a:1', DYNAMODB_ENDPOINT: 'http://b:2' })).toBe(
      'http://a:1',
    );
    expect(dynamoEndpointFromEnv({ DYNAMODB_ENDPOINT: 'http://b:2' })).toBe('http://b:2');
    expect(dynamoEndpointFromEnv({})).toBeUndefined();
    const client = createDocumentClient({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567', AWS_REGION: 'eu-west-1' });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    client.destroy();
  });

  it('names the missing variable and the fix', () => {
    expect(() => requireEnv('INVENTORY_TABLE_NAME', {})).toThrow(/INVENTORY_TABLE_NAME is not set; bind the table/);
  });
});

import { z } from 'zod';
import { ERROR_CATALOG } from '../../../handlers/shared/error-catalog';
import {
  CircuitOpenError,
  CircuitUnavailableError,
  ConflictError,
  DependencyTimeoutError,
  DependencyUnavailableError,
  ForbiddenError,
  type HandlerError,
  InvalidInputError,
  MaintenanceError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ThrottledError,
  UnauthorizedError,
  UnexpectedError,
} from '../../../handlers/shared/errors';
import { apiHandler, DEFAULT_MAX_BODY_BYTES, withHttpErrorHandling } from '../../../handlers/shared/http';
import { type ApiEventOptions, apiEvent, type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

const everyError = (): HandlerError[] => [
  new InvalidInputError('query.limit: must be at most 100.'),
  new UnauthorizedError('Sign the request with SigV4.'),
  new ForbiddenError('Your role may not reset circuits.'),
  new NotFoundError('No circuit named "nope".'),
  new MethodNotAllowedError('DELETE is not supported on /circuits.', ['GET']),
  new ConflictError('The circuit is already CLOSED.'),
  new PayloadTooLargeError('The body is too large.'),
  new ThrottledError('Scanning rds-inventory-1A2B failed: ThrottlingException'),
  new UnexpectedError('Cannot read properties of undefined (reading "Items") at /var/task/index.js:1:1'),
  new DependencyUnavailableError('Scanning rds-inventory-1A2B failed: InternalServerError'),
  new CircuitOpenError('rds-api', 'The rds-api circuit is open until 2026-01-01T00:05:00Z.', {
    retryAfterSeconds: 299.2,
  }),
  new CircuitUnavailableError('rds-api', 'GetItem on circuits-XYZ failed'),
  new MaintenanceError('rds-inventory', 'rds-inventory is being restored; writes resume when the cutover ends.'),
  new DependencyTimeoutError('DescribeDBInstances timed out after 10000 ms'),
];

const failingWith = (error: unknown) =>
  withHttpErrorHandling('demo', async () => {
    throw error;
  });

describe('withHttpErrorHandling', () => {
  let output: CapturedOutput;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers every catalog error with its status and code, the caller correlation id in body and header', async () => {
    const errors = everyError();
    expect(errors.map((error) => error.name)).toEqual(ERROR_CATALOG.map((entry) => entry.name));

    for (const error of errors) {
      const response = await failingWith(error)(apiEvent({ headers: { 'X-Correlation-Id': 'abc-1' } }));
      const entry = ERROR_CATALOG.find((candidate) => candidate.name === error.name)!;

      expect(response.statusCode).toBe(entry.statusCode);
      expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'abc-1' });
      expect(JSON.parse(response.body)).toEqual({
        error: { code: entry.code, message: expect.any(String), correlationId: 'abc-1' },
      });
    }
  });

  it('shows client errors their own message and server errors only a public one', async () => {
    const notFound = await failingWith(new NotFoundError('No circuit named "nope".'))(apiEvent());
    const unavailable = await failingWith(new DependencyUnavailableError('Scanning rds-inventory-1A2B failed'))(
      apiEvent(),
    );

    expect(JSON.parse(notFound.body).error.message).toBe('No circuit named "nope".');
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.body).not.toContain('rds-inventory-1A2B');
    expect(JSON.parse(unavailable.body).error.message).toBe(
      'A dependency is unavailable; retry later. Quote correlation id api-request-1 when reporting it.',
    );
  });

  it('answers 500 without the internal message or a stack trace for unknown errors, and logs them', async () => {
    const response = await failingWith(new Error('password=hunter2 at Object.<anonymous> (/var/task/index.js:1:1)'))(
      apiEvent(),
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/hunter2|index\.js|stack/);
    expect(JSON.parse(response.body).error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred. Quote correlation id api-request-1 when reporting it.',
      correlationId: 'api-request-1',
    });
    const [logged] = output.logs();
    expect(logged).toMatchObject({ level: 'ERROR', statusCode: 500, correlationId: 'api-request-1' });
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('logs 5xx at error and 4xx at warn, each with the correlation id, and counts the error by name', async () => {
    await failingWith(new ConflictError('already closed'))(apiEvent({ headers: { 'x-correlation-id': 'c-4xx' } }));
    await failingWith(new DependencyTimeoutError('slow'))(apiEvent({ headers: { 'x-correlation-id': 'c-5xx' } }));

    expect(output.logs().map((line) => [line.level, line.correlationId, line.statusCode])).toEqual([
      ['WARN', 'c-4xx', 409],
      ['ERROR', 'c-5xx', 504],
    ]);
    expect(output.emf().map((doc) => [doc.ErrorName, doc.HandlerErrors])).toEqual([
      ['ConflictError', 1],
      ['DependencyTimeoutError', 1],
    ]);
  });

  it('falls back to the API Gateway request id, then the Lambda request id, and ignores a malformed header', async () => {
    const ok = withHttpErrorHandling('demo', async (_event, { correlationId }) => ({
      statusCode: 200,
      body: correlationId,
    }));

    expect((await ok(apiEvent({ requestId: 'apigw-7' }))).body).toBe('apigw-7');
    expect((await ok({ ...apiEvent(), requestContext: undefined } as never, fakeContext())).body).toBe(
      'lambda-request-1',
    );
    const injected = await ok(apiEvent({ headers: { 'x-correlation-id': 'evil\r\nset-cookie: x=1' } }));
    expect(injected.body).toBe('api-request-1');
    expect(injected.headers?.['x-correlation-id']).toBe('api-request-1');
  });

  it('sends Retry-After for an open circuit and Allow for a wrong method', async () => {
    const open = await failingWith(new CircuitOpenError('rds-api', 'open until 00:05', { retryAfterSeconds: 299.2 }))(
      apiEvent(),
    );
    const method = await failingWith(new MethodNotAllowedError('DELETE is not supported.', ['GET', 'POST']))(
      apiEvent(),
    );

    expect(open.headers).toMatchObject({ 'retry-after': '300' });
    expect(JSON.parse(open.body).error.message).toBe('open until 00:05');
    expect(method.statusCode).toBe(405);
    expect(method.headers).toMatchObject({ allow: 'GET, POST' });
  });
});

describe('apiHandler', () => {
  let output: CapturedOutput;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    openCircuit.mockClear();
  });

  const openCircuit = jest.fn(async (name: string, reason: string) => ({ name, reason, state: 'OPEN' }));
  const handler = apiHandler(
    {
      operation: 'open-circuit',
      path: z.object({ name: z.enum(['rds-api', 'cost-explorer']) }),
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: z.object({ reason: z.string().min(3), minutes: z.number().int().positive().max(1440).optional() }),
      maxBodyBytes: 256,
    },
    async ({ path, query, body }) => ({
      statusCode: query.dryRun === 'true' ? 200 : 201,
      body: await openCircuit(path.name, body.reason),
    }),
  );
  const post = (options: ApiEventOptions) =>
    handler(
      apiEvent({ method: 'POST', path: '/circuits/rds-api/open', pathParameters: { name: 'rds-api' }, ...options }),
    );

  it('passes validated path, query and body to the handler and answers JSON with the correlation id', async () => {
    const response = await post({ body: '{"reason":"RDS maintenance"}', headers: { 'x-correlation-id': 'op-1' } });

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ name: 'rds-api', reason: 'RDS maintenance', state: 'OPEN' });
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'op-1' });
  });

  it('decodes a base64 body as API Gateway sends binary media types', async () => {
    const body = Buffer.from('{"reason":"drill"}').toString('base64');
    expect((await post({ body, isBase64Encoded: true })).statusCode).toBe(201);
  });

  it.each<[string, ApiEventOptions, number, RegExp]>([
    ['malformed JSON', { body: '{"reason": "x",' }, 400, /not valid JSON.*send a JSON object/],
    ['a missing body', { body: null }, 400, /^Invalid request body: body: /],
    ['a missing field', { body: '{}' }, 400, /body\.reason: /],
    ['a field of the wrong type', { body: '{"reason":"long enough","minutes":"ten"}' }, 400, /body\.minutes: /],
    ['an out-of-range field', { body: '{"reason":"long enough","minutes":99999}' }, 400, /body\.minutes: .*1440/],
    ['an unknown circuit', { pathParameters: { name: 'nope' }, body: '{"reason":"abc"}' }, 400, /path\.name: /],
    ['a bad query value', { query: { dryRun: 'maybe' }, body: '{"reason":"abc"}' }, 400, /query\.dryRun: /],
    [
      'an oversized body',
      { body: JSON.stringify({ reason: 'x'.repeat(300) }) },
      413,
      /\d+ bytes; this route accepts at most 256/,
    ],
  ])(
    'answers %s with a 4xx and the error body, without calling the handler',
    async (_case, options, status, message) => {
      const response = await post(options);

      expect(response.statusCode).toBe(status);
      const { error } = JSON.parse(response.body);
      expect(error).toEqual({
        code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT',
        message: expect.stringMatching(message),
        correlationId: 'api-request-1',
      });
      expect(openCircuit).not.toHaveBeenCalled();
      expect(output.logs()).toEqual([expect.objectContaining({ level: 'WARN', statusCode: status })]);
    },
  );

  it('refuses bodies over 16 KiB on a route that sets no limit', async () => {
    const echo = apiHandler({ operation: 'echo', body: z.object({ text: z.string() }) }, async ({ body }) => ({
      body,
    }));
    const atLimit = JSON.stringify({ text: 'x'.repeat(DEFAULT_MAX_BODY_BYTES - 11) });

    expect(Buffer.byteLength(atLimit)).toBe(DEFAULT_MAX_BODY_BYTES);
    expect((await echo(apiEvent({ method: 'POST', body: atLimit }))).statusCode).toBe(200);
    expect((await echo(apiEvent({ method: 'POST', body: `${atLimit} ` }))).statusCode).toBe(413);
  });
});

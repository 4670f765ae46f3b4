/**
 * The operations API through `rds-ops local serve`, over HTTP, from the synthesized app: the same routes, the
 * same handler code, API Gateway's answers from the template. Every bad request is answered 4xx with the error
 * body and leaves every table as it was.
 */
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CIRCUIT_ROUTES, READ_ROUTES } from '../../../lib/api/routes';
import { VirtualClock } from '../../../local/clock';
import type { LocalService } from '../../../local/server/local-service';
import { SUPPORTED_CONTEXT_VARIABLES } from '../../../local/server/rest-api/gateway-response';
import { loadAppModel } from '../../../local/template/synthesize';
import { startTestService } from '../../helpers/local-service';

let service: LocalService;
let clock: VirtualClock;
let dynamo: DynamoDBClient;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read field by field in each test.
  readonly body: Record<string, any>;
}

/** One request; a second of clock time passes first, so the token buckets never throttle a test by accident. */
async function call(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  clock.advance(1000);
  const response = await fetch(`${service.endpoint}/api${path}`, { method, ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** Every item of every table of the app, in a stable order. */
async function tables(): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of service.runtime.model.tables) {
    const { Items } = await dynamo.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }));
    snapshot[table.tableId ?? table.tableName] = (Items ?? []).map((item) => JSON.stringify(item)).sort();
  }
  return snapshot;
}

const SIGNED_BY_ALICE = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=alice/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
};

beforeAll(async () => {
  clock = new VirtualClock();
  service = await startTestService(loadAppModel(), { clock });
  dynamo = new DynamoDBClient({
    endpoint: service.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // A real inventory: the refresh workflow lists the RDS stand-in's fleet into rds-inventory.
  const refresh = await service.runtime.execute('inventory-refresh', { trigger: 'manual' });
  expect(refresh.status).toBe('SUCCEEDED');
  // Synthesizing the whole app (ten workflows, the API) takes most of this on a loaded 2-core machine.
}, 120_000);

afterAll(async () => {
  dynamo.destroy();
  await service.stop();
});

afterEach(() => jest.restoreAllMocks());

describe('the API as the local service reads it from the template', () => {
  it('has every route with IAM authorization and a Lambda proxy integration to a function of the app', () => {
    const [api] = service.runtime.model.restApis;
    const functions = new Set(service.runtime.model.functions.map((fn) => fn.arn));

    for (const route of [...READ_ROUTES, ...CIRCUIT_ROUTES]) {
      const method = api!.methods.find((m) => m.resourcePath === route.path && m.httpMethod === route.method);
      expect(method).toMatchObject({ authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY' } });
      expect(functions.has((method!.integration as { functionArn: string }).functionArn)).toBe(true);
    }
    expect(api!.methods.find((m) => m.resourcePath === '/costs' && m.httpMethod === 'GET')!.requiredQuery).toEqual([
      'from',
      'to',
    ]);
  });

  it('renders gateway responses that use only the $context variables it can fill', () => {
    const [api] = service.runtime.model.restApis;
    const templates = Object.values(api!.gatewayResponses).map((response) => response.template ?? '');

    expect(templates.length).toBeGreaterThan(5);
    const used = templates.flatMap((template) => [...template.matchAll(/\$context\.([A-Za-z.]+)/g)].map((m) => m[1]));
    for (const variable of used) expect(SUPPORTED_CONTEXT_VARIABLES).toContain(variable);
  });
});

describe('reads', () => {
  it('pages through the whole inventory with opaque tokens, each instance once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await call('GET', `/instances?limit=10${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((item: { instanceId: string }) => item.instanceId));
      token = answer.body.nextToken;
      pages += 1;
    } while (token && pages < 20);

    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(1);
  });

  it('filters by engine through the index and answers one instance by id', async () => {
    const all = await call('GET', '/instances?limit=100');
    const { engine, instanceId } = all.body.items[0];

    const byEngine = await call('GET', `/instances?engine=${engine}&limit=100`);
    const one = await call('GET', `/instances/${instanceId}`);

    expect(byEngine.body.items.length).toBeGreaterThan(0);
    expect(byEngine.body.items.every((item: { engine: string }) => item.engine === engine)).toBe(true);
    expect(one).toMatchObject({ status: 200, body: { instanceId, engine } });
  });

  it('describes an execution of a workflow by its ARN, percent-encoded as a path parameter', async () => {
    const [execution] = service.runtime.executions;

    const answer = await call('GET', `/executions/${encodeURIComponent(execution!.executionArn)}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      executionArn: execution!.executionArn,
      status: 'SUCCEEDED',
      input: { trigger: 'manual' },
    });
  });

  it('echoes the caller correlation id, else uses a UUID the caller sent as x-amzn-RequestId', async () => {
    const requestId = '0f4d2f1e-1111-4222-8333-944445555666';

    const withHeader = await call('GET', '/nope', { headers: { 'x-correlation-id': 'dash-7' } });
    const withRequestId = await call('GET', '/nope', { headers: { 'x-amzn-RequestId': requestId } });

    expect(withHeader.headers.get('x-correlation-id')).toBe('dash-7');
    expect(withHeader.body.error.correlationId).toBe('dash-7');
    expect(withRequestId.headers.get('x-amzn-requestid')).toBe(requestId);
    expect(withRequestId.body.error.correlationId).toBe(requestId);
  });
});

describe('circuit changes', () => {
  it('opens and closes a circuit, audited with the caller (the signing key locally) and announced', async () => {
    const putEvents = jest.spyOn(service.runtime.bus, 'putEvents');

    const opened = await call('POST', '/circuits/cost-explorer/open', {
      body: JSON.stringify({ reason: 'Cost Explorer maintenance', forSeconds: 600 }),
      headers: SIGNED_BY_ALICE,
    });
    const closed = await call('POST', '/circuits/cost-explorer/close', {
      body: JSON.stringify({ reason: 'maintenance over' }),
      headers: SIGNED_BY_ALICE,
    });
    const listed = await call('GET', '/circuits');

    expect(opened.status).toBe(200);
    expect(opened.body.circuit).toMatchObject({ state: 'OPEN', changedBy: 'api:arn:aws:iam::000000000000:user/alice' });
    expect(closed.body).toMatchObject({ previousState: 'OPEN', circuit: { state: 'CLOSED' }, announced: true });
    expect(listed.body.circuits).toContainEqual(expect.objectContaining({ circuit: 'cost-explorer', state: 'CLOSED' }));
    const audit = (await tables()).auditLog!.map((item) => JSON.parse(item as string));
    expect(audit).toContainEqual(
      expect.objectContaining({
        subject: { S: 'circuit#cost-explorer' },
        action: { S: 'circuit.open' },
        actor: { S: 'arn:aws:iam::000000000000:user/alice' },
        via: { S: 'api' },
      }),
    );
    expect(putEvents.mock.calls.flatMap(([entries]) => entries.map((entry) => entry.DetailType))).toEqual([
      'Circuit State Changed',
      'Circuit State Changed',
    ]);
    expect(service.runtime.services.cloudwatch.datapoints).toContainEqual(
      expect.objectContaining({ namespace: 'RdsOps/CircuitBreaker', metricName: 'CircuitStateChanged' }),
    );
  });
});

describe("the cutover's write holds", () => {
  it('answers 503 MAINTENANCE to a circuit change while a cutover holds audit-log, and changes nothing', async () => {
    // Prepare: the hold cutover-table puts in the coordination table before it copies into audit-log
    const coordination = service.runtime.model.tables.find((table) => table.tableId === 'coordination')!.tableName;
    const hold = { key: { S: 'writes#auditLog' } };
    await dynamo.send(
      new PutItemCommand({
        TableName: coordination,
        Item: {
          ...hold,
          kind: { S: 'write-hold' },
          table: { S: 'audit-log' },
          reason: { S: 'Cutover of audit-log' },
          executionArn: { S: 'arn:aws:states:us-east-1:000000000000:execution:cutover-table:c1' },
          since: { S: '2026-11-30T09:00:00.000Z' },
          expiresAt: { N: '4000000000' },
        },
      }),
    );
    const before = await tables();

    // Act
    const refused = await call('POST', '/circuits/rds-api/open', {
      body: JSON.stringify({ reason: 'RDS maintenance' }),
      headers: SIGNED_BY_ALICE,
    });
    await dynamo.send(new DeleteItemCommand({ TableName: coordination, Key: hold }));

    // Assess
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'MAINTENANCE' });
    expect(refused.body.error.message).toContain('Writes to audit-log are paused by a disaster-recovery cutover');
    const after = await tables();
    expect(after.auditLog).toEqual(before.auditLog);
    expect(after.circuitBreakers).toEqual(before.circuitBreakers);
  });
});

describe('bad requests: 4xx with the error body, and nothing changed', () => {
  const open = (body: string | undefined, name = 'rds-api') => ['POST', `/circuits/${name}/open`, body] as const;

  it.each<[string, readonly [string, string, string | undefined], number, string, string]>([
    ['malformed JSON', open('{"reason": '), 400, 'INVALID_INPUT', 'not valid JSON'],
    ['no body', open(undefined), 400, 'INVALID_INPUT', 'body: must be a JSON object with reason'],
    ['a JSON array', open('["why"]'), 400, 'INVALID_INPUT', 'body: must be a JSON object with reason'],
    ['missing reason', open('{}'), 400, 'INVALID_INPUT', 'body.reason: is required'],
    ['a reason too short', open('{"reason":"x"}'), 400, 'INVALID_INPUT', 'body.reason: must say why'],
    ['a negative forSeconds', open('{"reason":"why not","forSeconds":-5}'), 400, 'INVALID_INPUT', 'body.forSeconds'],
    ['an unexpected field', open('{"reason":"why not","actor":"bob"}'), 400, 'INVALID_INPUT', 'Unrecognized key'],
    ['an oversized body', open(JSON.stringify({ reason: 'x'.repeat(5000) })), 413, 'PAYLOAD_TOO_LARGE', '4096'],
    ['an unknown circuit', open('{"reason":"why not"}', 'sqs-api'), 404, 'NOT_FOUND', 'No circuit named "sqs-api"'],
    [
      'an unknown circuit action',
      ['POST', '/circuits/rds-api/explode', '{"reason":"boom"}'],
      404,
      'NOT_FOUND',
      'No route POST /circuits/rds-api/explode',
    ],
    [
      'closing a CLOSED circuit',
      ['POST', '/circuits/rds-api/close', '{"reason":"twice"}'],
      409,
      'CONFLICT',
      'already CLOSED',
    ],
    [
      'the wrong method on a route',
      ['GET', '/circuits/rds-api/open', undefined],
      405,
      'METHOD_NOT_ALLOWED',
      'takes POST',
    ],
    ['DELETE on a listing', ['DELETE', '/instances', undefined], 405, 'METHOD_NOT_ALLOWED', 'takes GET'],
    ['an unknown route', ['GET', '/databases', undefined], 404, 'NOT_FOUND', 'No route GET /databases'],
    ['a limit over 100', ['GET', '/instances?limit=1000', undefined], 400, 'INVALID_INPUT', 'query.limit'],
    [
      'a page token not issued by the API',
      ['GET', '/instances?nextToken=abc', undefined],
      400,
      'INVALID_INPUT',
      'query.nextToken',
    ],
    [
      'an engine name RDS does not have',
      ['GET', '/instances?engine=Oracle!', undefined],
      400,
      'INVALID_INPUT',
      'query.engine',
    ],
    [
      'an unknown query parameter',
      ['GET', '/alerts?sort=desc', undefined],
      400,
      'INVALID_INPUT',
      'Unrecognized key: "sort"',
    ],
    [
      'an alert status that does not exist',
      ['GET', '/alerts?status=closed', undefined],
      400,
      'INVALID_INPUT',
      'query.status',
    ],
    [
      'costs without dates (API Gateway validator)',
      ['GET', '/costs', undefined],
      400,
      'INVALID_INPUT',
      'Missing required request parameters: [from, to]',
    ],
    [
      'a day that does not exist',
      ['GET', '/costs?from=2026-02-30&to=2026-03-01', undefined],
      400,
      'INVALID_INPUT',
      'query.from: is not a calendar day',
    ],
    [
      'dates the wrong way round',
      ['GET', '/costs?from=2026-03-10&to=2026-03-01', undefined],
      400,
      'INVALID_INPUT',
      'query.to: must not be before from',
    ],
    ['an instance id RDS cannot have', ['GET', '/instances/9-lives', undefined], 400, 'INVALID_INPUT', 'path.id'],
    ['an execution ARN that is none', ['GET', '/executions/not-an-arn', undefined], 400, 'INVALID_INPUT', 'path.arn'],
  ])('%s', async (_name, [method, path, body], status, code, message) => {
    const before = await tables();

    const answer = await call(method, path, {
      ...(body !== undefined && { body }),
      headers: { 'x-correlation-id': 'bad-1' },
    });

    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body.error).toEqual({
      code,
      message: expect.stringContaining(message),
      correlationId: expect.any(String),
    });
    expect(await tables()).toEqual(before);
  });

  it('throttles a write method past its burst with 429 THROTTLED before the handler runs', async () => {
    const before = await tables();
    clock.advance(60_000);

    const answers: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const response = await fetch(`${service.endpoint}/api/circuits/rds-api/reset`, { method: 'POST', body: '{}' });
      answers.push(response.status);
      if (response.status === 429) {
        expect(await response.json()).toEqual({
          error: { code: 'THROTTLED', message: 'Too Many Requests', correlationId: expect.any(String) },
        });
      } else await response.text();
    }

    // writeThrottling: a burst of 5 (config default), then the bucket is empty at the same instant.
    expect(answers).toEqual([400, 400, 400, 400, 400, 429, 429]);
    expect(await tables()).toEqual(before);
  });
});

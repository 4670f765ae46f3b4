/** GET /instances and GET /instances/{id} with the SDK mocked: filters, pagination, bad input and SDK errors. */
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as getInstance } from '../../../handlers/api/get-instance';
import { handler as listInstances } from '../../../handlers/api/list-instances';
import { encodePageToken } from '../../../handlers/api/page-token';
import { apiEvent, captureOutput, fakeContext } from '../../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'RdsOps-Dev-Data-RdsInventory-1A2B';
const db = (instanceId: string, engine = 'postgres', status = 'available') => ({ instanceId, engine, status });
const throttling = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
  name: 'ProvisionedThroughputExceededException',
  $fault: 'client',
  $metadata: { httpStatusCode: 400 },
});

const list = (query?: Record<string, string>, headers: Record<string, string> = {}) =>
  listInstances(apiEvent({ path: '/instances', ...(query && { query }), headers }), fakeContext());
const body = (response: { body: string }) => JSON.parse(response.body);

describe('GET /instances', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    captureOutput();
    process.env.INVENTORY_TABLE_NAME = TABLE;
  });
  afterEach(() => {
    ddb.reset();
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('scans the fleet a page at a time and says where to continue', async () => {
    ddb.on(ScanCommand).resolves({ Items: [db('db-a'), db('db-b')], LastEvaluatedKey: { instanceId: 'db-b' } });

    const response = await list({ limit: '2' });

    expect(response.statusCode).toBe(200);
    const page = body(response);
    expect(page.items).toEqual([db('db-a'), db('db-b')]);
    expect(typeof page.nextToken).toBe('string');
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: TABLE, Limit: 2 });
  });

  it('continues from the key a token holds, and ends without a token', async () => {
    const token = encodePageToken('instances?engine=&status=', { instanceId: 'db-b' });
    ddb.on(ScanCommand).resolves({ Items: [db('db-c')] });

    const page = body(await list({ nextToken: token }));

    expect(page).toEqual({ items: [db('db-c')] });
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { ExclusiveStartKey: { instanceId: 'db-b' }, Limit: 25 });
  });

  it('queries the byEngine index for one engine, filtered by status', async () => {
    ddb.on(QueryCommand).resolves({ Items: [db('db-a', 'mysql', 'stopped')] });

    const page = body(await list({ engine: 'mysql', status: 'stopped' }));

    expect(page.items).toEqual([db('db-a', 'mysql', 'stopped')]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'byEngine',
      KeyConditionExpression: '#engine = :engine',
      FilterExpression: '#status = :status',
      ExpressionAttributeValues: { ':engine': 'mysql', ':status': 'stopped' },
    });
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  });

  it('fills a filtered page with further reads, each asking only for what is missing', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [db('db-a', 'postgres', 'MISSING')], LastEvaluatedKey: { instanceId: 'db-f' } })
      .resolvesOnce({ Items: [db('db-g', 'postgres', 'MISSING')], LastEvaluatedKey: { instanceId: 'db-g' } });

    const page = body(await list({ status: 'MISSING', limit: '2' }));

    expect(page.items.map((item: { instanceId: string }) => item.instanceId)).toEqual(['db-a', 'db-g']);
    expect(ddb.commandCalls(ScanCommand).map((call) => call.args[0].input.Limit)).toEqual([2, 1]);
    expect(ddb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ instanceId: 'db-f' });
  });

  it.each([
    ['limit 0', { limit: '0' }, 'query.limit: must be a whole number from 1 to 100'],
    ['limit over 100', { limit: '101' }, 'query.limit: must be a whole number from 1 to 100'],
    ['limit not a number', { limit: 'ten' }, 'query.limit'],
    ['engine in capitals', { engine: 'Postgres' }, 'query.engine: must be an RDS engine name'],
    ['unknown parameter', { sort: 'name' }, 'query: Unrecognized key: "sort"'],
    ['token not ours', { nextToken: 'not-a-token!' }, 'query.nextToken: is not a token this API issued'],
    [
      'token of another filter',
      { engine: 'mysql', nextToken: encodePageToken('instances?engine=&status=', { instanceId: 'db-b' }) },
      'query.nextToken: was issued for another query',
    ],
    [
      'token with another key',
      { nextToken: encodePageToken('instances?engine=&status=', { alertId: 'x' }) },
      'query.nextToken: does not hold a key of this listing',
    ],
  ])('refuses %s with 400 INVALID_INPUT naming the field, without reading', async (_name, query, message) => {
    const response = await list(query);

    expect(response.statusCode).toBe(400);
    expect(body(response).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) });
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('answers DynamoDB throttling with 429 THROTTLED, the public message and the caller correlation id', async () => {
    ddb.on(ScanCommand).rejects(throttling);

    const response = await list(undefined, { 'x-correlation-id': 'dashboard-42' });

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'x-correlation-id': 'dashboard-42' });
    expect(body(response)).toEqual({
      error: {
        code: 'THROTTLED',
        message:
          'A dependency is throttling requests; retry with backoff. Quote correlation id dashboard-42 when reporting it.',
        correlationId: 'dashboard-42',
      },
    });
  });

  it("uses API Gateway's request id as the correlation id when the caller sends none", async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });

    const response = await listInstances(apiEvent({ path: '/instances', requestId: 'apigw-7' }), fakeContext());

    expect(response.headers).toMatchObject({ 'x-correlation-id': 'apigw-7' });
  });
});

describe('GET /instances/{id}', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    captureOutput();
    process.env.INVENTORY_TABLE_NAME = TABLE;
  });
  afterEach(() => {
    ddb.reset();
    jest.restoreAllMocks();
    process.env = { ...saved };
  });
  const get = (id: string) =>
    getInstance(
      apiEvent({ path: `/instances/${id}`, resource: '/instances/{id}', pathParameters: { id } }),
      fakeContext(),
    );

  it('answers the inventory item', async () => {
    ddb.on(GetCommand).resolves({ Item: db('db-a') });

    const response = await get('db-a');

    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual(db('db-a'));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { instanceId: 'db-a' } });
  });

  it('answers 404 NOT_FOUND for an instance the inventory does not hold', async () => {
    ddb.on(GetCommand).resolves({});

    const response = await get('db-gone');

    expect(response.statusCode).toBe(404);
    expect(body(response).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"db-gone"') });
  });

  it('refuses an identifier RDS cannot have, without reading', async () => {
    const response = await get('1-starts-with-a-digit');

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain('path.id: must be an RDS DB instance identifier');
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});

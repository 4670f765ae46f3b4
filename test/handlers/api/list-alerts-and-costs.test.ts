/** GET /alerts and GET /costs with the SDK mocked: the index or scan each filter picks, dates, bad input. */
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as listAlerts } from '../../../handlers/api/list-alerts';
import { handler as listCosts } from '../../../handlers/api/list-costs';
import { apiEvent, captureOutput, fakeContext } from '../../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const body = (response: { body: string }) => JSON.parse(response.body);
const alert = { alertId: 'alarm#arn:aws:cloudwatch:eu-west-1:1:alarm:cpu', status: 'OPEN', severity: 'HIGH' };
const cost = { instanceId: 'db-a', date: '2026-03-01', cost: 12.5, currency: 'USD' };

const saved = { ...process.env };
beforeEach(() => {
  captureOutput();
  Object.assign(process.env, { ALERTS_TABLE_NAME: 'alerts-1', COSTS_TABLE_NAME: 'costs-1' });
});
afterEach(() => {
  ddb.reset();
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('GET /alerts', () => {
  const get = (query?: Record<string, string>) =>
    listAlerts(apiEvent({ path: '/alerts', ...(query && { query }) }), fakeContext());

  it('lists the open alerts by default', async () => {
    ddb.on(ScanCommand).resolves({ Items: [alert] });

    const response = await get();

    expect(body(response)).toEqual({ items: [alert] });
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'alerts-1',
      FilterExpression: '#status = :status',
      ExpressionAttributeValues: { ':status': 'OPEN' },
    });
  });

  it('reads one instance newest first from the byInstance index, resolved ones of one severity', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await get({ instanceId: 'db-a', status: 'resolved', severity: 'CRITICAL' });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byInstance',
      ScanIndexForward: false,
      FilterExpression: '#status = :status AND #severity = :severity',
      ExpressionAttributeValues: { ':instanceId': 'db-a', ':status': 'RESOLVED', ':severity': 'CRITICAL' },
    });
  });

  it('lists every alert with status=all, without a filter', async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });

    await get({ status: 'all' });

    const input = ddb.commandCalls(ScanCommand)[0]!.args[0].input;
    expect(input.FilterExpression).toBeUndefined();
    expect(input.ExpressionAttributeValues).toBeUndefined();
  });

  it.each([
    ['a status that does not exist', { status: 'closed' }, 'query.status: must be open, resolved or all'],
    ['a severity that does not exist', { severity: 'urgent' }, 'query.severity: must be one of CRITICAL, HIGH'],
  ])('refuses %s', async (_name, query, message) => {
    const response = await get(query);

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain(message);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /costs', () => {
  const get = (query: Record<string, string>) => listCosts(apiEvent({ path: '/costs', query }), fakeContext());

  it("queries one instance's days between from and to, both included", async () => {
    ddb.on(QueryCommand).resolves({ Items: [cost] });

    const response = await get({ from: '2026-03-01', to: '2026-03-31', instanceId: 'db-a' });

    expect(body(response)).toEqual({ from: '2026-03-01', to: '2026-03-31', items: [cost] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'costs-1',
      KeyConditionExpression: 'instanceId = :instanceId AND #date BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':instanceId': 'db-a', ':from': '2026-03-01', ':to': '2026-03-31' },
    });
  });

  it('scans the fleet filtered on the date when no instance is named', async () => {
    ddb.on(ScanCommand).resolves({ Items: [cost], LastEvaluatedKey: { instanceId: 'db-a', date: '2026-03-01' } });

    const page = body(await get({ from: '2026-03-01', to: '2026-03-01', limit: '1' }));

    expect(page.nextToken).toEqual(expect.any(String));
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { FilterExpression: '#date BETWEEN :from AND :to', Limit: 1 });
  });

  it.each([
    ['no dates', {}, 'query.from: is required, as YYYY-MM-DD; query.to: is required'],
    ['a day that does not exist', { from: '2026-02-30', to: '2026-03-01' }, 'query.from: is not a calendar day'],
    ['a month 13', { from: '2026-01-01', to: '2026-13-01' }, 'query.to: is not a calendar day'],
    [
      'a time instead of a day',
      { from: '2026-03-01T00:00:00Z', to: '2026-03-02' },
      'query.from: must be a day as YYYY-MM-DD',
    ],
    ['to before from', { from: '2026-03-02', to: '2026-03-01' }, 'query.to: must not be before from (2026-03-02)'],
    ['a range over a year', { from: '2025-01-01', to: '2026-03-01' }, 'query.to: must be at most 366 days after from'],
  ])('refuses %s with 400 naming the field', async (_name, query, message) => {
    const response = await get(query);

    expect(response.statusCode).toBe(400);
    expect(body(response).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) });
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});

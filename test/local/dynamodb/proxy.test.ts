import { ExecuteStatementCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

describe('the proxy', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function post(operation: string, body: object) {
    const response = await fetch(h.db.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        'X-Amz-Date': '20260101T000000Z',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers emulated errors in the AWS JSON error shape with status 400', async () => {
    // Prepare
    h = await startHarness();

    // Act
    const missing = await post('DescribeContinuousBackups', { TableName: 'Missing' });
    const restore = await post('RestoreTableToPointInTime', { SourceTableName: 'Missing', TargetTableName: 'Target' });

    // Assess
    expect(missing).toEqual({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#TableNotFoundException', message: 'Table not found: Missing' },
    });
    expect(restore.status).toBe(400);
    expect(restore.body.__type).toBe('com.amazon.coral.validate#ValidationException');
  });

  it('returns timestamps as epoch-second numbers, as the JSON protocol does', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    h.clock.advance(600_500);

    // Act
    const described = await post('DescribeContinuousBackups', { TableName: 'Orders' });

    // Assess
    const pitr = (described.body.ContinuousBackupsDescription as Record<string, Record<string, unknown>>)
      .PointInTimeRecoveryDescription;
    expect(pitr.EarliestRestorableDateTime).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(pitr.LatestRestorableDateTime).toBe(Date.parse('2026-01-01T00:05:00.500Z') / 1000);
  });

  it('forwards other operations untouched, including dynalite errors for what it lacks', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'PAID' } }));

    // Act
    const query = await h.doc.send(
      new QueryCommand({
        TableName: 'Orders',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'PAID' },
      }),
    );
    const partiQl = await errorOf(
      h.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Orders" VALUE {'pk': 'o-2'}` })),
    );

    // Assess
    expect(query.Items).toEqual([{ pk: 'o-1', status: 'PAID' }]);
    expect(partiQl.name).toBe('UnknownOperationException');
    expect(h.db.pitr.records('Orders')).toHaveLength(1);
  });
});

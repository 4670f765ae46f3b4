import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

describe('a restored table', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function restoreOrders() {
    h = await startHarness({ restoreDurationMs: 90_000 });
    await h.db.createTable(ordersTable({ timeToLiveAttribute: 'expiresAt', deletionProtection: true }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW' } }));
    h.clock.advance(10 * 60_000);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    const response = await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Orders',
        TargetTableName: 'Restored',
        UseLatestRestorableTime: true,
      }),
    );
    return { response, sourceArn: Table?.TableArn };
  }

  it('is CREATING with a RestoreSummary until restoreDurationMs has passed on the clock, then ACTIVE', async () => {
    // Prepare
    const { response, sourceArn } = await restoreOrders();

    // Act
    const creating = await h.client.send(new DescribeTableCommand({ TableName: 'Restored' }));
    h.clock.advance(89_999);
    const almost = await h.client.send(new DescribeTableCommand({ TableName: 'Restored' }));
    h.clock.advance(1);
    const active = await h.client.send(new DescribeTableCommand({ TableName: 'Restored' }));

    // Assess
    expect(response.TableDescription?.TableStatus).toBe('CREATING');
    expect(creating.Table?.TableStatus).toBe('CREATING');
    expect(creating.Table?.RestoreSummary).toEqual({
      SourceTableArn: sourceArn,
      RestoreDateTime: new Date(h.clock.now() - 90_000 - 5 * 60_000),
      RestoreInProgress: true,
    });
    expect(almost.Table?.TableStatus).toBe('CREATING');
    expect(active.Table?.TableStatus).toBe('ACTIVE');
    expect(active.Table?.RestoreSummary?.RestoreInProgress).toBe(false);
  });

  it('fails data-plane calls with ResourceNotFoundException while CREATING', async () => {
    // Prepare
    await restoreOrders();

    // Act
    const read = await errorOf(h.doc.send(new GetCommand({ TableName: 'Restored', Key: { pk: 'o-1' } })));
    const write = await errorOf(h.doc.send(new PutCommand({ TableName: 'Restored', Item: { pk: 'o-2' } })));
    h.clock.advance(90_000);
    const after = await h.doc.send(new GetCommand({ TableName: 'Restored', Key: { pk: 'o-1' } }));

    // Assess
    expect(read.name).toBe('ResourceNotFoundException');
    expect(write.name).toBe('ResourceNotFoundException');
    expect(after.Item).toEqual({ pk: 'o-1', status: 'NEW' });
  });

  it('gets neither PITR, TTL nor deletion protection from its source', async () => {
    // Prepare
    await restoreOrders();
    h.clock.advance(90_000);

    // Act
    const pitr = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Restored' }));
    const ttl = await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'Restored' }));
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Restored' }));
    await h.doc.send(new PutCommand({ TableName: 'Restored', Item: { pk: 'o-2', status: 'NEW' } }));

    // Assess
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
      'DISABLED',
    );
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(Table?.DeletionProtectionEnabled).toBe(false);
    expect(h.db.pitr.records('Restored')).toEqual([]);
  });
});

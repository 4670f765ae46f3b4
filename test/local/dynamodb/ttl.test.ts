import {
  DescribeTimeToLiveCommand,
  RestoreTableToPointInTimeCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, START, startHarness } from './harness';

describe('Time to Live', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  it('is switched on and described with UpdateTimeToLive / DescribeTimeToLive', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ pointInTimeRecovery: undefined }));

    // Act
    const before = await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }));
    const updated = await h.client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'Orders',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const after = await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }));
    const again = await errorOf(
      h.client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'Orders',
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      ),
    );
    const missing = await errorOf(h.client.send(new DescribeTimeToLiveCommand({ TableName: 'Missing' })));

    // Assess
    expect(before.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(updated.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    expect(after.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(again.name).toBe('ValidationException');
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('sweeps items whose TTL is at or before now and records the deletes for PITR', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ timeToLiveAttribute: 'expiresAt' }));
    const nowSeconds = START / 1000;
    await h.doc.send(
      new PutCommand({ TableName: 'Orders', Item: { pk: 'expires-now', status: 'A', expiresAt: nowSeconds + 60 } }),
    );
    await h.doc.send(
      new PutCommand({ TableName: 'Orders', Item: { pk: 'expires-later', status: 'A', expiresAt: nowSeconds + 3600 } }),
    );
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'no-ttl', status: 'A' } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'text-ttl', status: 'A', expiresAt: 'soon' } }));
    h.clock.advance(59_000);
    const early = await h.db.sweepExpiredItems();
    h.clock.advance(1_000);
    const sweptAt = h.clock.now();

    // Act
    const swept = await h.db.sweepExpiredItems();
    h.clock.advance(10 * 60_000);
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Orders',
        TargetTableName: 'BeforeSweep',
        RestoreDateTime: new Date(sweptAt - 1000),
      }),
    );
    h.clock.advance(60_000);

    // Assess
    expect(early).toBe(0);
    expect(swept).toBe(1);
    const remaining = await h.doc.send(new ScanCommand({ TableName: 'Orders' }));
    expect(remaining.Items?.map((item) => item.pk).sort()).toEqual(['expires-later', 'no-ttl', 'text-ttl']);
    expect(h.db.pitr.records('Orders').at(-1)).toEqual(
      expect.objectContaining({ key: { pk: { S: 'expires-now' } }, image: null, at: sweptAt }),
    );
    const beforeSweep = await h.doc.send(new ScanCommand({ TableName: 'BeforeSweep' }));
    expect(beforeSweep.Items?.map((item) => item.pk)).toContain('expires-now');
  });
});

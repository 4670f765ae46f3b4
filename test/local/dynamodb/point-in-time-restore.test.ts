import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, START, startHarness } from './harness';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('RestoreTableToPointInTime through the proxy', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function restoreAndWait(targetTableName: string, at: Date | 'latest', source = 'Orders') {
    const response = await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: source,
        TargetTableName: targetTableName,
        ...(at === 'latest' ? { UseLatestRestorableTime: true } : { RestoreDateTime: at }),
      }),
    );
    h.clock.advance(60_000);
    return response;
  }

  it('restores the old item when restoring to the second before a write', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW', total: 10 } }));
    h.clock.advance(10_000);
    const writeAt = h.clock.now();
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'PAID', total: 99 } }));
    h.clock.advance(10 * MINUTE);

    // Act
    await restoreAndWait('OrdersBefore', new Date(writeAt - 1000));
    await restoreAndWait('OrdersAt', new Date(writeAt));

    // Assess
    const before = await h.doc.send(new GetCommand({ TableName: 'OrdersBefore', Key: { pk: 'o-1' } }));
    const at = await h.doc.send(new GetCommand({ TableName: 'OrdersAt', Key: { pk: 'o-1' } }));
    expect(before.Item).toEqual({ pk: 'o-1', status: 'NEW', total: 10 });
    expect(at.Item).toEqual({ pk: 'o-1', status: 'PAID', total: 99 });
  });

  it('counts a write within the requested second but not one in the next second', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    h.clock.advance(1_400);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', status: 'IN_SECOND' } }));
    h.clock.advance(700);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'b', status: 'NEXT_SECOND' } }));
    h.clock.advance(10 * MINUTE);

    // Act
    await restoreAndWait('Restored', new Date(START + 1_000));

    // Assess
    const scan = await h.doc.send(new ScanCommand({ TableName: 'Restored' }));
    expect(scan.Items).toEqual([{ pk: 'a', status: 'IN_SECOND' }]);
  });

  it('restores to the latest restorable time, which trails now by the configured lag', async () => {
    // Prepare
    h = await startHarness({ latestRestorableLagSeconds: 300 });
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'old', status: 'A' } }));
    h.clock.advance(10 * MINUTE);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'recent', status: 'B' } }));
    h.clock.advance(2 * MINUTE);
    const now = h.clock.now();

    // Act
    const described = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));
    const restored = await restoreAndWait('Latest', 'latest');

    // Assess
    const pitr = described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    expect(described.ContinuousBackupsDescription?.ContinuousBackupsStatus).toBe('ENABLED');
    expect(pitr?.PointInTimeRecoveryStatus).toBe('ENABLED');
    expect(pitr?.RecoveryPeriodInDays).toBe(35);
    expect(pitr?.EarliestRestorableDateTime?.getTime()).toBe(START);
    expect(pitr?.LatestRestorableDateTime?.getTime()).toBe(now - 5 * MINUTE);
    expect(restored.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime()).toBe(now - 5 * MINUTE);
    const scan = await h.doc.send(new ScanCommand({ TableName: 'Latest' }));
    expect(scan.Items).toEqual([{ pk: 'old', status: 'A' }]);
  });

  it('rejects restore times outside the window with InvalidRestoreTimeException', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    h.clock.advance(30 * MINUTE);

    // Act
    const tooEarly = await errorOf(
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Orders',
          TargetTableName: 'TooEarly',
          RestoreDateTime: new Date(START - 1000),
        }),
      ),
    );
    const tooLate = await errorOf(
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Orders',
          TargetTableName: 'TooLate',
          RestoreDateTime: new Date(h.clock.now() - 60_000),
        }),
      ),
    );

    // Assess
    expect(tooEarly.name).toBe('InvalidRestoreTimeException');
    expect(tooLate.name).toBe('InvalidRestoreTimeException');
    expect(tooLate.message).toContain('2026-01-01T00:25:00.000Z');
  });

  it('refuses a table without PITR with PointInTimeRecoveryUnavailableException', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ pointInTimeRecovery: { enabled: false } }));
    h.clock.advance(30 * MINUTE);

    // Act
    const error = await errorOf(
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Orders',
          TargetTableName: 'Copy',
          UseLatestRestorableTime: true,
        }),
      ),
    );
    const described = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));

    // Assess
    expect(error.name).toBe('PointInTimeRecoveryUnavailableException');
    expect(described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
      'DISABLED',
    );
  });

  it('names missing sources and existing targets as AWS does', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    await h.db.createTable(ordersTable({ tableName: 'Existing', pointInTimeRecovery: undefined }));
    h.clock.advance(30 * MINUTE);

    // Act
    const missing = await errorOf(
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Nope',
          TargetTableName: 'Target',
          UseLatestRestorableTime: true,
        }),
      ),
    );
    const exists = await errorOf(
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Orders',
          TargetTableName: 'Existing',
          UseLatestRestorableTime: true,
        }),
      ),
    );
    const describeMissing = await errorOf(h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Nope' })));

    // Assess
    expect(missing.name).toBe('TableNotFoundException');
    expect(exists.name).toBe('TableAlreadyExistsException');
    expect(describeMissing.name).toBe('TableNotFoundException');
  });

  it('takes a baseline of existing items when PITR is enabled later, and restores by source ARN', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ pointInTimeRecovery: undefined }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'before-pitr', status: 'OLD' } }));
    h.clock.advance(MINUTE);
    const enabledAt = h.clock.now();
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'Orders',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      }),
    );
    h.clock.advance(MINUTE);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'after-pitr', status: 'NEW' } }));
    h.clock.advance(10 * MINUTE);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));

    // Act
    const described = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableArn: Table?.TableArn,
        TargetTableName: 'AtEnable',
        RestoreDateTime: new Date(enabledAt),
      }),
    );
    h.clock.advance(60_000);

    // Assess
    const pitr = described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    expect(pitr?.RecoveryPeriodInDays).toBe(7);
    expect(pitr?.EarliestRestorableDateTime?.getTime()).toBe(enabledAt);
    const scan = await h.doc.send(new ScanCommand({ TableName: 'AtEnable' }));
    expect(scan.Items).toEqual([{ pk: 'before-pitr', status: 'OLD' }]);
  });

  it('moves the earliest restorable time with the recovery period and still rebuilds it from folded records', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 1 } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', status: 'v1' } }));
    h.clock.advance(12 * 60 * MINUTE);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', status: 'v2' } }));
    h.clock.advance(2 * DAY);
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'b', status: 'v1' } }));
    h.clock.advance(10 * MINUTE);

    // Act
    const described = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));
    const earliest = described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime;
    await restoreAndWait('AtEarliest', earliest!);

    // Assess
    expect(earliest?.getTime()).toBe(h.clock.now() - 60_000 - DAY);
    expect(h.db.pitr.records('Orders').map((record) => record.image?.pk)).toEqual([{ S: 'b' }]);
    const scan = await h.doc.send(new ScanCommand({ TableName: 'AtEarliest' }));
    expect(scan.Items).toEqual([{ pk: 'a', status: 'v2' }]);
  });

  it('gives the restored table the source keys and GSIs, queryable once ACTIVE', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'PAID' } }));
    h.clock.advance(10 * MINUTE);

    // Act
    await restoreAndWait('Copy', 'latest');
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Copy' }));

    // Assess
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byStatus']);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

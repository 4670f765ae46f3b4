import {
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

const DAY = 24 * 60 * 60_000;

describe('system backups of deleted PITR tables', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function deleteOrders(pitr = true) {
    h = await startHarness();
    await h.db.createTable(ordersTable({ pointInTimeRecovery: { enabled: pitr } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW' } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-2', status: 'PAID' } }));
    h.clock.advance(60_000);
    await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));
  }

  it('lists <table>$DeletedTableBackup as a SYSTEM backup and restores it with RestoreTableFromBackup', async () => {
    // Prepare
    await deleteOrders();

    // Act
    const userOnly = await h.client.send(new ListBackupsCommand({ TableName: 'Orders' }));
    const system = await h.client.send(new ListBackupsCommand({ TableName: 'Orders', BackupType: 'SYSTEM' }));
    const backupArn = system.BackupSummaries?.[0]?.BackupArn;
    const restored = await h.client.send(
      new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: 'Orders' }),
    );
    h.clock.advance(60_000);

    // Assess
    expect(userOnly.BackupSummaries).toEqual([]);
    expect(system.BackupSummaries).toEqual([
      expect.objectContaining({
        TableName: 'Orders',
        BackupName: 'Orders$DeletedTableBackup',
        BackupType: 'SYSTEM',
        BackupStatus: 'AVAILABLE',
        BackupCreationDateTime: new Date(h.clock.now() - 60_000),
        BackupExpiryDateTime: new Date(h.clock.now() - 60_000 + 35 * DAY),
      }),
    ]);
    expect(backupArn).toMatch(/^arn:aws:dynamodb:[^:]+:\d+:table\/Orders\/backup\/\d{14}-[0-9a-f]{8}$/);
    expect(restored.TableDescription?.RestoreSummary?.SourceBackupArn).toBe(backupArn);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byStatus']);
    const scan = await h.doc.send(new ScanCommand({ TableName: 'Orders' }));
    expect(scan.Items?.map((item) => item.pk).sort()).toEqual(['o-1', 'o-2']);
  });

  it('describes the backup and forgets it after 35 days', async () => {
    // Prepare
    await deleteOrders();
    const { BackupSummaries } = await h.client.send(new ListBackupsCommand({ BackupType: 'ALL' }));
    const backupArn = BackupSummaries?.[0]?.BackupArn;

    // Act
    const described = await h.client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    h.clock.advance(35 * DAY);
    const later = await h.client.send(new ListBackupsCommand({ BackupType: 'ALL' }));
    const gone = await errorOf(
      h.client.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: 'Again' })),
    );

    // Assess
    expect(described.BackupDescription?.SourceTableDetails?.ItemCount).toBe(2);
    expect(described.BackupDescription?.SourceTableDetails?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
    ]);
    expect(later.BackupSummaries).toEqual([]);
    expect(gone.name).toBe('BackupNotFoundException');
  });

  it('keeps no backup when the deleted table had PITR off', async () => {
    // Prepare
    await deleteOrders(false);

    // Act
    const listed = await h.client.send(new ListBackupsCommand({ BackupType: 'ALL' }));

    // Assess
    expect(listed.BackupSummaries).toEqual([]);
  });
});

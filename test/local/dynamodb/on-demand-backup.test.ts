import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

describe('on-demand backups (CreateBackup)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function ordersWithTwoItems() {
    h = await startHarness({ backupDurationMs: 3_000 });
    await h.db.createTable(ordersTable({ pointInTimeRecovery: { enabled: false } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW' } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-2', status: 'PAID' } }));
  }

  it('keeps the items of the moment as a USER backup, CREATING and then AVAILABLE on the clock', async () => {
    // Prepare
    await ordersWithTwoItems();

    // Act
    const created = await h.client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'before-cutover' }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-3', status: 'NEW' } }));
    const backupArn = created.BackupDetails?.BackupArn;
    const early = await h.client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    h.clock.advance(3_000);
    const later = await h.client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    const listed = await h.client.send(new ListBackupsCommand({ TableName: 'Orders' }));

    // Assess
    expect(created.BackupDetails).toEqual(
      expect.objectContaining({ BackupName: 'before-cutover', BackupType: 'USER', BackupStatus: 'CREATING' }),
    );
    expect(created.BackupDetails?.BackupExpiryDateTime).toBeUndefined();
    expect(early.BackupDescription?.BackupDetails?.BackupStatus).toBe('CREATING');
    expect(later.BackupDescription?.BackupDetails?.BackupStatus).toBe('AVAILABLE');
    expect(later.BackupDescription?.SourceTableDetails?.ItemCount).toBe(2);
    expect(listed.BackupSummaries?.map((summary) => summary.BackupArn)).toEqual([backupArn]);
  });

  it('restores a table from it, and the backup outlives its table until DeleteBackup', async () => {
    // Prepare
    await ordersWithTwoItems();
    const { BackupDetails } = await h.client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'keep' }));
    h.clock.advance(3_000);
    await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));

    // Act
    await h.client.send(
      new RestoreTableFromBackupCommand({ BackupArn: BackupDetails?.BackupArn, TargetTableName: 'OrdersAgain' }),
    );
    h.clock.advance(60_000);
    const items = await h.doc.send(new ScanCommand({ TableName: 'OrdersAgain' }));
    const deleted = await h.client.send(new DeleteBackupCommand({ BackupArn: BackupDetails?.BackupArn }));
    const gone = await errorOf(h.client.send(new DescribeBackupCommand({ BackupArn: BackupDetails?.BackupArn })));

    // Assess
    expect(items.Items?.map((item) => item.pk).sort()).toEqual(['o-1', 'o-2']);
    expect(deleted.BackupDescription?.BackupDetails?.BackupStatus).toBe('DELETED');
    expect(gone.name).toBe('BackupNotFoundException');
  });

  it('refuses a missing table, a table still being restored and a malformed backup name', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    h.clock.advance(600_000);
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Orders',
        TargetTableName: 'OrdersRestored',
        UseLatestRestorableTime: true,
      }),
    );

    // Act
    const missing = await errorOf(h.client.send(new CreateBackupCommand({ TableName: 'Nope', BackupName: 'abc' })));
    const restoring = await errorOf(
      h.client.send(new CreateBackupCommand({ TableName: 'OrdersRestored', BackupName: 'abc' })),
    );
    const badName = await errorOf(h.client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'a b' })));

    // Assess
    expect(missing.name).toBe('TableNotFoundException');
    expect(restoring.name).toBe('TableInUseException');
    expect(badName.name).toBe('ValidationException');
  });

  it('tags a table and a restored table starts without them, as on AWS', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable());
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'dba' }] }));
    h.clock.advance(600_000);

    // Act
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Orders',
        TargetTableName: 'OrdersRestored',
        UseLatestRestorableTime: true,
      }),
    );
    h.clock.advance(60_000);
    const source = await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    const restored = await h.client.send(
      new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/OrdersRestored' }),
    );

    // Assess
    expect(source.Tags).toEqual([{ Key: 'team', Value: 'dba' }]);
    expect(restored.Tags ?? []).toEqual([]);
  });
});

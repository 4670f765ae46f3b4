import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

describe('deletion protection', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  it('blocks DeleteTable with a ValidationException until it is turned off', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ deletionProtection: true }));

    // Act
    const blocked = await errorOf(h.client.send(new DeleteTableCommand({ TableName: 'Orders' })));
    const stillThere = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    const updated = await h.client.send(
      new UpdateTableCommand({ TableName: 'Orders', DeletionProtectionEnabled: false }),
    );
    const deleted = await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));

    // Assess
    expect(blocked.name).toBe('ValidationException');
    expect(blocked.message).toContain('DeletionProtectionEnabled');
    expect(stillThere.Table?.DeletionProtectionEnabled).toBe(true);
    expect(updated.TableDescription?.DeletionProtectionEnabled).toBe(false);
    expect(deleted.TableDescription?.TableName).toBe('Orders');
  });

  it('honours DeletionProtectionEnabled given to CreateTable through the proxy', async () => {
    // Prepare
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Guarded',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
      }),
    );

    // Act
    const blocked = await errorOf(h.client.send(new DeleteTableCommand({ TableName: 'Guarded' })));

    // Assess
    expect(blocked.name).toBe('ValidationException');
  });
});

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseReconcileInput, reconcileInventory } from '../../handlers/inventory/reconcile-inventory';
import { ConflictError, InvalidInputError, ThrottledError } from '../../handlers/shared/errors';
import { VirtualClock } from '../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/dynamodb';

const deps = {
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  inventoryTable: 'rds-inventory',
};
const input = { refreshId: 'refresh-2', startedAt: '2026-01-01T00:00:00.000Z', instancesSeen: 2 };

describe('reconcile-inventory (mocked client)', () => {
  // Mocks every DocumentClient while this block runs; the real-database block below needs the real one.
  let ddb: ReturnType<typeof mockClient>;
  beforeAll(() => {
    ddb = mockClient(DynamoDBDocumentClient);
  });
  beforeEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it('reads every scan page and writes only the instances not seen since the refresh started', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [
          { instanceId: 'db-a', lastSeenAt: '2026-01-01T00:00:05.000Z', status: 'available' },
          { instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' },
        ],
        LastEvaluatedKey: { instanceId: 'db-b' },
      })
      .resolvesOnce({ Items: [{ instanceId: 'db-c', lastSeenAt: '2025-12-31T23:30:00.000Z', status: 'MISSING' }] });
    ddb.on(UpdateCommand).resolves({});

    const result = await reconcileInventory(input, deps);

    expect(result).toEqual({ scanned: 3, markedMissing: 1, alreadyMissing: 1 });
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(2, ScanCommand, { ExclusiveStartKey: { instanceId: 'db-b' } });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { instanceId: 'db-b' } });
  });

  it('skips an instance saved by a concurrent refresh (the conditional write fails)', async () => {
    ddb
      .on(ScanCommand)
      .resolves({ Items: [{ instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }] });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    const result = await reconcileInventory(input, deps);

    expect(result.markedMissing).toBe(0);
  });

  it('refuses to mark a populated inventory MISSING from an empty listing', async () => {
    ddb
      .on(ScanCommand)
      .resolves({ Items: [{ instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }] });

    await expect(reconcileInventory({ ...input, instancesSeen: 0 }, deps)).rejects.toBeInstanceOf(ConflictError);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('reports throttling as ThrottledError so the workflow retries it', async () => {
    ddb.on(ScanCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(reconcileInventory(input, deps)).rejects.toBeInstanceOf(ThrottledError);
  });

  it('rejects malformed input with InvalidInputError naming every problem', () => {
    expect(() => parseReconcileInput({ refreshId: '', startedAt: 'yesterday' })).toThrow(InvalidInputError);
    expect(() => parseReconcileInput({ refreshId: '', startedAt: 'yesterday' })).toThrow(
      /refreshId.*startedAt.*instancesSeen/,
    );
  });
});

/** The conditions themselves, evaluated by a database: the local DynamoDB (dynalite behind the runtime's proxy). */
describe('reconcile-inventory against the local DynamoDB', () => {
  const startedAt = '2026-01-01T00:00:00.000Z';
  const table = 'inventory';
  let db: LocalDynamoDb;
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeEach(async () => {
    db = await startLocalDynamoDb({ clock: new VirtualClock({ startAt: Date.parse(startedAt) }) });
    await db.createTable({
      tableName: table,
      keySchema: [{ AttributeName: 'instanceId', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'instanceId', AttributeType: 'S' }],
    });
    client = new DynamoDBClient({
      endpoint: db.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    doc = DynamoDBDocumentClient.from(client);
  });

  afterEach(async () => {
    client.destroy();
    await db.stop();
  });

  async function seed(items: Record<string, unknown>[]): Promise<void> {
    await doc.send(
      new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
  }

  async function inventory(): Promise<Record<string, Record<string, unknown>>> {
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return Object.fromEntries(Items.map((item) => [item.instanceId as string, item]));
  }

  it('marks exactly the instances whose lastSeenAt is before the refresh started, or absent', async () => {
    // Prepare
    await seed([
      { instanceId: 'seen-after', lastSeenAt: '2026-01-01T00:00:05.000Z', status: 'available' },
      { instanceId: 'seen-at-start', lastSeenAt: startedAt, status: 'available' },
      { instanceId: 'stale', lastSeenAt: '2025-12-31T23:59:59.999Z', status: 'available' },
      { instanceId: 'never-listed', status: 'available' },
      { instanceId: 'gone-before', lastSeenAt: '2025-12-01T00:00:00.000Z', status: 'MISSING', missingSince: 'x' },
    ]);

    // Act
    const result = await reconcileInventory(
      { refreshId: 'refresh-2', startedAt, instancesSeen: 2 },
      { dynamo: doc, inventoryTable: table },
    );

    // Assess
    expect(result).toEqual({ scanned: 5, markedMissing: 2, alreadyMissing: 1 });
    const items = await inventory();
    const missing = { status: 'MISSING', missingSince: startedAt, missingInRefreshId: 'refresh-2' };
    expect(items.stale).toMatchObject(missing);
    expect(items['never-listed']).toMatchObject(missing);
    expect(items['seen-after']).toEqual({
      instanceId: 'seen-after',
      lastSeenAt: '2026-01-01T00:00:05.000Z',
      status: 'available',
    });
    expect(items['seen-at-start']).toEqual({ instanceId: 'seen-at-start', lastSeenAt: startedAt, status: 'available' });
    expect(items['gone-before']).toMatchObject({ status: 'MISSING', missingSince: 'x' });
  });

  it.each([
    ['at the moment the refresh started', startedAt],
    ['after the refresh started', '2026-01-01T00:00:01.000Z'],
  ])(
    'leaves an instance a concurrent refresh listed %s between the scan and the write (the database refuses it)',
    async (_when, concurrentlySeenAt) => {
      // Prepare: a concurrent refresh lists the instance right after this one has scanned it
      await seed([{ instanceId: 'db-a', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }]);
      const racing = DynamoDBDocumentClient.from(client);
      racing.middlewareStack.add(
        (next, context) => async (args) => {
          const output = await next(args);
          if (context.commandName === 'ScanCommand') {
            await doc.send(
              new UpdateCommand({
                TableName: table,
                Key: { instanceId: 'db-a' },
                UpdateExpression: 'SET lastSeenAt = :now',
                ExpressionAttributeValues: { ':now': concurrentlySeenAt },
              }),
            );
          }
          return output;
        },
        { step: 'initialize', name: 'concurrentRefresh' },
      );

      // Act
      const result = await reconcileInventory(
        { refreshId: 'refresh-2', startedAt, instancesSeen: 1 },
        { dynamo: racing, inventoryTable: table },
      );

      // Assess
      expect(result).toEqual({ scanned: 1, markedMissing: 0, alreadyMissing: 0 });
      expect((await inventory())['db-a']).toEqual({
        instanceId: 'db-a',
        lastSeenAt: concurrentlySeenAt,
        status: 'available',
      });
    },
  );

  it('does not recreate an instance deleted between the scan and the write', async () => {
    // Prepare
    await seed([{ instanceId: 'db-a', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }]);
    const racing = DynamoDBDocumentClient.from(client);
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'ScanCommand') {
          await doc.send(
            new BatchWriteCommand({ RequestItems: { [table]: [{ DeleteRequest: { Key: { instanceId: 'db-a' } } }] } }),
          );
        }
        return output;
      },
      { step: 'initialize', name: 'concurrentDelete' },
    );

    // Act
    const result = await reconcileInventory(
      { refreshId: 'refresh-2', startedAt, instancesSeen: 1 },
      { dynamo: racing, inventoryTable: table },
    );

    // Assess
    expect(result.markedMissing).toBe(0);
    expect(await inventory()).toEqual({});
  });
});

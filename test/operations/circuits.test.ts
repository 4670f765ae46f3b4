/**
 * A manual circuit change and its audit entry are one transaction: when the audit entry cannot be written,
 * the circuit does not change either (before, the circuit changed and the command exited 1 without audit).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/dynamodb';
import { type CircuitStore, openCircuit } from '../../operations/circuits';

let db: LocalDynamoDb;
let client: DynamoDBClient;
let store: CircuitStore;

beforeEach(async () => {
  db = await startLocalDynamoDb({ clock: new VirtualClock() });
  await db.createTable({
    tableName: 'circuits',
    keySchema: [{ AttributeName: 'circuit', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'circuit', AttributeType: 'S' }],
  });
  client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  store = {
    dynamo: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    circuitTable: 'circuits',
    auditTable: 'audit-table-that-does-not-exist',
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  };
});

afterEach(async () => {
  client.destroy();
  await db.stop();
});

describe('manual circuit change', () => {
  it('leaves the circuit untouched when its audit entry cannot be written', async () => {
    const change = openCircuit(store, 'rds-api', { actor: 'alice', reason: 'maintenance' });

    await expect(change).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const { Item } = await store.dynamo.send(
      new GetCommand({ TableName: 'circuits', Key: { circuit: 'rds-api' }, ConsistentRead: true }),
    );
    expect(Item).toBeUndefined();
  });
});

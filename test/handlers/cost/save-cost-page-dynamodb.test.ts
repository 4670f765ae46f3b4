/** save-cost-page against the local DynamoDB: the takenAt condition evaluated by a database. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { NO_TOTALS } from '../../../handlers/cost/cost-snapshot';
import { parseSaveCostPageInput, saveCostPage } from '../../../handlers/cost/save-cost-page';
import { VirtualClock } from '../../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';

const TABLE = 'cost-snapshots';
let db: LocalDynamoDb;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeEach(async () => {
  db = await startLocalDynamoDb({ clock: new VirtualClock() });
  await db.createTable({
    tableName: TABLE,
    keySchema: [
      { AttributeName: 'instanceId', KeyType: 'HASH' },
      { AttributeName: 'date', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'instanceId', AttributeType: 'S' },
      { AttributeName: 'date', AttributeType: 'S' },
    ],
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

function run(takenAt: string, amount: string) {
  return saveCostPage(
    parseSaveCostPageInput({
      date: '2026-03-19',
      snapshotId: `run-at-${takenAt}`,
      takenAt,
      resultsByTime: [
        {
          TimePeriod: { Start: '2026-03-19', End: '2026-03-20' },
          Groups: [
            {
              Keys: ['arn:aws:rds:us-east-1:123456789012:db:payments-prod-pg-01'],
              Metrics: {
                UnblendedCost: { Amount: amount, Unit: 'USD' },
                AmortizedCost: { Amount: amount, Unit: 'USD' },
              },
            },
          ],
        },
      ],
      totals: NO_TOTALS,
    }),
    { dynamo: doc, costTable: TABLE },
  );
}

async function saved() {
  const { Item } = await doc.send(
    new GetCommand({
      TableName: TABLE,
      Key: { instanceId: 'payments-prod-pg-01', date: '2026-03-19' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe('save-cost-page on the local DynamoDB', () => {
  it('lets a re-run replace the day, and keeps it when an older run finishes late', async () => {
    await run('2026-03-20T06:30:00.000Z', '10.5');
    const replaced = await run('2026-03-20T09:00:00.000Z', '11.25');
    const late = await run('2026-03-20T07:00:00.000Z', '9.99');

    expect(replaced.skippedStale).toBe(0);
    expect(late.skippedStale).toBe(1);
    expect(await saved()).toEqual(
      expect.objectContaining({ cost: 11.25, snapshotId: 'run-at-2026-03-20T09:00:00.000Z' }),
    );
  });
});

/**
 * record-health-alert against a database: the local DynamoDB (dynalite behind the runtime's proxy, which implements
 * TransactWriteItems), so the conditions and the transaction are evaluated, under concurrent deliveries.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describeHealthEvent } from '../../../handlers/health/describe-health-event';
import { parseRecordHealthAlertInput, recordHealthAlert } from '../../../handlers/health/record-health-alert';
import { VirtualClock } from '../../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { alarmEvent } from '../../helpers/health-events';

const ALERTS = 'health-alerts';
const AUDIT = 'audit-log';
let db: LocalDynamoDb;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeEach(async () => {
  db = await startLocalDynamoDb({ clock: new VirtualClock() });
  await db.createTable({
    tableName: ALERTS,
    keySchema: [{ AttributeName: 'alertId', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'alertId', AttributeType: 'S' }],
  });
  await db.createTable({
    tableName: AUDIT,
    keySchema: [
      { AttributeName: 'subject', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'subject', AttributeType: 'S' },
      { AttributeName: 'at', AttributeType: 'S' },
    ],
  });
  client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

afterEach(async () => {
  client.destroy();
  await db.stop();
});

const deps = () => ({ dynamo: doc, alertsTable: ALERTS, auditTable: AUDIT });

function record(event: ReturnType<typeof alarmEvent>) {
  return recordHealthAlert(
    parseRecordHealthAlertInput({
      ingestion: { alert: describeHealthEvent(event) },
      recordedAt: '2026-03-19T20:00:00.000Z',
      correlationId: `execution-for-${event.id}`,
    }),
    deps(),
  );
}

async function alertAndHistory(alertId: string) {
  const { Item } = await doc.send(new GetCommand({ TableName: ALERTS, Key: { alertId }, ConsistentRead: true }));
  const { Items } = await doc.send(
    new QueryCommand({
      TableName: AUDIT,
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': `alert#${alertId}` },
    }),
  );
  return { alert: Item, history: Items ?? [] };
}

describe('record-health-alert on the local DynamoDB', () => {
  it('records the same event delivered five times at once exactly once', async () => {
    const event = alarmEvent();

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => record(event)));
    const { alert, history } = await alertAndHistory(describeHealthEvent(event).alertId);

    expect(outcomes.map((result) => result.outcome).sort()).toEqual([
      'CREATED',
      'DUPLICATE',
      'DUPLICATE',
      'DUPLICATE',
      'DUPLICATE',
    ]);
    expect(alert).toEqual(expect.objectContaining({ status: 'OPEN', occurrenceCount: 1, version: 1 }));
    expect(history).toHaveLength(1);
  });

  it('loses no update when eight different events of one alert arrive at once, and ends on the newest', async () => {
    const events = Array.from({ length: 8 }, (_, index) =>
      alarmEvent({
        id: `event-${index}`,
        state: index % 2 === 0 ? 'ALARM' : 'OK',
        timestamp: `2026-03-19T19:${String(10 + index).padStart(2, '0')}:00.000+0000`,
      }),
    );

    await Promise.all(events.map((event) => record(event)));
    const { alert, history } = await alertAndHistory(describeHealthEvent(events[0]!).alertId);

    expect(history).toHaveLength(8);
    expect(alert).toEqual(
      expect.objectContaining({
        status: 'RESOLVED',
        stateEventId: 'event-7',
        occurrenceCount: 4,
        firstSeenAt: '2026-03-19T19:10:00.000Z',
        lastSeenAt: '2026-03-19T19:17:00.000Z',
        version: 8,
      }),
    );
  });

  it('keeps the newer status when the older event is delivered last, and counts it', async () => {
    const raised = alarmEvent({ id: 'raised', state: 'ALARM', timestamp: '2026-03-19T19:00:00.000+0000' });
    const resolved = alarmEvent({ id: 'resolved', state: 'OK', timestamp: '2026-03-19T19:30:00.000+0000' });

    const first = await record(resolved);
    const late = await record(raised);
    const { alert, history } = await alertAndHistory(describeHealthEvent(raised).alertId);

    expect([first.outcome, late.outcome]).toEqual(['RESOLVED', 'STALE']);
    expect(alert).toEqual(
      expect.objectContaining({
        status: 'RESOLVED',
        raisedAt: '2026-03-19T19:00:00.000Z',
        resolvedAt: '2026-03-19T19:30:00.000Z',
        occurrenceCount: 1,
      }),
    );
    expect(history.map((entry) => entry.outcome)).toEqual(['STALE', 'RESOLVED']);
  });
});

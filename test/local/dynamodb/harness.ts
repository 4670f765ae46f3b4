/** Starts a local DynamoDB on a virtual clock with a real SDK v3 client pointed at its endpoint. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../../local/clock';
import {
  type LocalDynamoDb,
  type LocalDynamoDbOptions,
  type LocalTableSpec,
  startLocalDynamoDb,
} from '../../../local/dynamodb';

export interface Harness {
  readonly clock: VirtualClock;
  readonly db: LocalDynamoDb;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export const START = Date.parse('2026-01-01T00:00:00.000Z');

export async function startHarness(options: Partial<LocalDynamoDbOptions> = {}): Promise<Harness> {
  const clock = new VirtualClock({ autoAdvance: false, startAt: START });
  const db = await startLocalDynamoDb({ clock, ...options });
  const client = clientFor(db.endpoint);
  const doc = DynamoDBDocumentClient.from(client);
  return {
    clock,
    db,
    client,
    doc,
    async stop() {
      client.destroy();
      await db.stop();
    },
  };
}

export function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** A small table shaped like the project's: string hash key, a GSI, PITR as asked. */
export function ordersTable(overrides: Partial<LocalTableSpec> = {}): LocalTableSpec {
  return {
    tableName: 'Orders',
    keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    attributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    globalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    pointInTimeRecovery: { enabled: true },
    ...overrides,
  };
}

/** Runs `work` and returns the error it rejected with (fails the test if it resolved). */
export async function errorOf(work: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

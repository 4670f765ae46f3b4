/**
 * In-process handlers across runtimes: a handler must talk to the DynamoDB of the runtime that invokes it,
 * also when an earlier runtime in the same process (a previous test, scenario or benchmark) has stopped.
 */
import path from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '../../local/clock';
import { LocalRuntime } from '../../local/runtime';
import { testFunction, testMachine, testModel, testTable } from '../helpers/local-runtime';

const RECONCILE_ENTRY = path.join(__dirname, '..', '..', 'handlers', 'inventory', 'reconcile-inventory.ts');

const reconcileMachine = testMachine('reconcile', {
  StartAt: 'Mark instances missing',
  States: {
    'Mark instances missing': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'reconcile', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
  },
});

function startRuntime(): Promise<LocalRuntime> {
  return LocalRuntime.start({
    model: testModel({
      tables: [testTable('inventory', 'instanceId')],
      functions: [testFunction('reconcile', RECONCILE_ENTRY, { INVENTORY_TABLE_NAME: 'inventory' })],
      stateMachines: [reconcileMachine],
    }),
    clock: new VirtualClock(),
    handlerLogLevel: 'SILENT',
  });
}

function reconcileInput(refreshId: string) {
  return { refreshId, startedAt: '2026-01-01T00:00:00.000Z', instancesSeen: 1 };
}

describe('handlers in a second runtime of the same process', () => {
  let second: LocalRuntime | undefined;
  afterEach(async () => {
    await second?.stop();
  });

  it("use the second runtime's DynamoDB, not the stopped first one's", async () => {
    const first = await startRuntime();
    const earlier = await first.execute('reconcile', reconcileInput('refresh-1'));
    await first.stop();
    second = await startRuntime();
    await second.dynamoDbClient.send(
      new PutItemCommand({
        TableName: 'inventory',
        Item: { instanceId: { S: 'db-1' }, lastSeenRefreshId: { S: 'refresh-1' }, status: { S: 'available' } },
      }),
    );

    const later = await second.execute('reconcile', reconcileInput('refresh-2'));
    const { Item } = await second.dynamoDbClient.send(
      new GetItemCommand({ TableName: 'inventory', Key: { instanceId: { S: 'db-1' } }, ConsistentRead: true }),
    );

    expect(earlier.status).toBe('SUCCEEDED');
    expect({ status: later.status, error: later.error, cause: later.cause }).toEqual({ status: 'SUCCEEDED' });
    expect(later.output).toEqual({ scanned: 1, markedMissing: 1, alreadyMissing: 0 });
    expect(Item?.status).toEqual({ S: 'MISSING' });
  });
});

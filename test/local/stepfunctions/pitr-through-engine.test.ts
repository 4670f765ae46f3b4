import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startTestRuntime, testMachine, testTable } from '../../helpers/local-runtime';

/** A minimal restore workflow: the shape the disaster-recovery workflows use, on the SDK integration. */
const restoreMachine = testMachine('restore', {
  StartAt: 'Restore table to the requested second',
  States: {
    'Restore table to the requested second': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:restoreTableToPointInTime',
      Parameters: { SourceTableName: 'inventory', 'TargetTableName.$': '$.target', 'RestoreDateTime.$': '$.restoreTo' },
      ResultPath: null,
      Next: 'Describe restored table',
    },
    'Describe restored table': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:describeTable',
      Parameters: { 'TableName.$': '$.target' },
      ResultSelector: { 'status.$': '$.Table.TableStatus' },
      ResultPath: '$.table',
      Next: 'Is restored table ACTIVE?',
    },
    'Is restored table ACTIVE?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.table.status', StringEquals: 'ACTIVE', Next: 'Restored table is ready' }],
      Default: 'Wait for restored table to become ACTIVE',
    },
    'Wait for restored table to become ACTIVE': { Type: 'Wait', Seconds: 30, Next: 'Describe restored table' },
    'Restored table is ready': { Type: 'Succeed' },
  },
});

describe('PITR restore driven by a state machine', () => {
  it('restores to a second before a bad write, waiting on the clock while the table is CREATING', async () => {
    const { runtime, clock } = await startTestRuntime({
      tables: [
        testTable('inventory', 'instanceId', { pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 } }),
      ],
      stateMachines: [restoreMachine],
    });
    const put = (status: string) =>
      runtime.dynamoDbClient.send(
        new PutItemCommand({ TableName: 'inventory', Item: { instanceId: { S: 'db-1' }, status: { S: status } } }),
      );
    await put('available');
    clock.advance(10_000);
    const goodSecond = new Date(clock.now()).toISOString();
    clock.advance(5_000);
    await put('CORRUPTED');

    const execution = await runtime.execute('restore', { target: 'inventory-restored', restoreTo: goodSecond });
    const restored = await runtime.dynamoDbClient.send(
      new GetItemCommand({ TableName: 'inventory-restored', Key: { instanceId: { S: 'db-1' } }, ConsistentRead: true }),
    );
    await runtime.stop();

    expect(execution.status).toBe('SUCCEEDED');
    expect(restored.Item?.status).toEqual({ S: 'available' });
    const waits = execution.trace.filter(
      (event) => event.type === 'StateEntered' && event.state === 'Wait for restored table to become ACTIVE',
    );
    expect(waits.length).toBe(2);
  });

  it('reports a restore outside the window as DynamoDb.InvalidRestoreTimeException', async () => {
    const { runtime } = await startTestRuntime({
      tables: [testTable('inventory', 'instanceId', { pointInTimeRecovery: { enabled: true } })],
      stateMachines: [restoreMachine],
    });

    const execution = await runtime.execute('restore', {
      target: 'inventory-restored',
      restoreTo: '2020-01-01T00:00:00Z',
    });
    await runtime.stop();

    expect(execution).toMatchObject({ status: 'FAILED', error: 'DynamoDb.InvalidRestoreTimeException' });
  });
});

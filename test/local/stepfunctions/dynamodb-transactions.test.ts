/**
 * `arn:aws:states:::aws-sdk:dynamodb:transactWriteItems` from a Task: the SDK integration reaches the local
 * transactions, and a cancelled transaction fails the Task as Step Functions reports it
 * (DynamoDb.TransactionCanceledException, Cause in the SDK for Java v2 format).
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../../../local/runtime';
import { startTestRuntime, testMachine, testTable } from '../../helpers/local-runtime';

const definition = {
  StartAt: 'Move the job',
  States: {
    'Move the job': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:transactWriteItems',
      Parameters: {
        TransactItems: [
          {
            Put: {
              TableName: 'jobs',
              Item: { pk: { 'S.$': '$.job' }, state: { S: 'RUNNING' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: 'audit', Item: { pk: { 'S.$': "States.Format('started {}', $.job)" } } } },
        ],
      },
      End: true,
    },
  },
};

let runtime: LocalRuntime;
beforeEach(async () => {
  ({ runtime } = await startTestRuntime({
    tables: [testTable('jobs'), testTable('audit')],
    stateMachines: [testMachine('mover', definition)],
  }));
});
afterEach(async () => {
  await runtime.stop();
});

async function item(table: string, pk: string) {
  const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
  return (await documents.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }))).Item;
}

describe('transactWriteItems from a Task', () => {
  it('writes both items, then fails the second run with DynamoDb.TransactionCanceledException', async () => {
    const first = await runtime.execute('mover', { job: 'j-1' });
    const second = await runtime.execute('mover', { job: 'j-1' });

    expect(first.status).toBe('SUCCEEDED');
    expect(await item('jobs', 'j-1')).toEqual({ pk: 'j-1', state: 'RUNNING' });
    expect(await item('audit', 'started j-1')).toEqual({ pk: 'started j-1' });
    expect(second.status).toBe('FAILED');
    expect(second.error).toBe('DynamoDb.TransactionCanceledException');
    expect(second.cause).toMatch(
      /^Transaction cancelled, please refer cancellation reasons for specific reasons \[ConditionalCheckFailed, None\] \(Service: DynamoDb, Status Code: 400, Request ID: /,
    );
  });
});

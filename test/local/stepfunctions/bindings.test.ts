import path from 'node:path';
import type { LocalRuntime } from '../../../local/runtime';
import { startTestRuntime, testFunction, testMachine, testTable } from '../../helpers/local-runtime';

const FIXTURE_HANDLER = path.join(__dirname, '..', '..', 'fixtures', 'handlers', 'echo-or-fail.ts');

/** A Task that catches everything and returns what the Catch saw, so tests can read Error and Cause. */
function catchingMachine(name: string, task: Record<string, unknown>) {
  return testMachine(name, {
    StartAt: 'Call the dependency',
    States: {
      'Call the dependency': {
        Type: 'Task',
        ...task,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Report the failure' }],
        End: true,
      },
      'Report the failure': { Type: 'Pass', OutputPath: '$.failure', End: true },
    },
  });
}

describe('resource bindings', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    ({ runtime } = await startTestRuntime({
      tables: [testTable('widgets', 'id')],
      functions: [testFunction('echo', FIXTURE_HANDLER, { FIXTURE_TABLE: 'widgets' })],
      stateMachines: [
        catchingMachine('lambda-arn', { Resource: 'arn:aws:lambda:us-east-1:000000000000:function:echo' }),
        catchingMachine('lambda-invoke', {
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'echo', 'Payload.$': '$' },
        }),
        catchingMachine('ddb-put-conditional', {
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'widgets',
            Item: { id: { S: 'w-1' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        }),
        catchingMachine('sdk-put-conditional', {
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
          Parameters: {
            TableName: 'widgets',
            Item: { id: { S: 'w-1' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        }),
        catchingMachine('sdk-missing-table', {
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
          Parameters: { TableName: 'no-such-table', Key: { id: { S: 'x' } } },
        }),
        catchingMachine('ddb-get', {
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'widgets', Key: { id: { S: 'w-1' } }, ConsistentRead: true },
        }),
        catchingMachine('rds-missing-instance', {
          Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
          Parameters: { DbInstanceIdentifier: 'no-such-db' },
        }),
      ],
    }));
  });

  afterAll(() => runtime.stop());

  it('runs the real handler module for a function ARN, with its environment and a Lambda context', async () => {
    const execution = await runtime.execute('lambda-arn', { hello: 'world' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ echoed: { hello: 'world' }, functionName: 'echo', table: 'widgets' });
  });

  it('wraps lambda:invoke results in Payload and StatusCode as AWS does', async () => {
    const execution = await runtime.execute('lambda-invoke', { n: 1 });

    expect(execution.output).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { echoed: { n: 1 } },
    });
  });

  it.each(['lambda-arn', 'lambda-invoke'])(
    'reports a thrown error by its name with Lambda’s JSON cause (%s)',
    async (machine) => {
      const execution = await runtime.execute(machine, { fail: 'InvalidInputError', message: 'instanceId is missing' });

      const failure = execution.output as { Error: string; Cause: string };
      expect(failure.Error).toBe('InvalidInputError');
      expect(JSON.parse(failure.Cause)).toMatchObject({
        errorType: 'InvalidInputError',
        errorMessage: 'instanceId is missing',
      });
    },
  );

  it('spells optimized DynamoDB errors DynamoDB.X and SDK-integration errors DynamoDb.X', async () => {
    await runtime.execute('ddb-put-conditional', {});

    const optimized = await runtime.execute('ddb-put-conditional', {});
    const sdk = await runtime.execute('sdk-put-conditional', {});

    expect((optimized.output as { Error: string }).Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect((sdk.output as { Error: string }).Error).toBe('DynamoDb.ConditionalCheckFailedException');
  });

  it('names a missing table DynamoDb.ResourceNotFoundException through the SDK integration', async () => {
    const execution = await runtime.execute('sdk-missing-table', {});

    expect((execution.output as { Error: string }).Error).toBe('DynamoDb.ResourceNotFoundException');
  });

  it('returns optimized DynamoDB results in DynamoDB JSON', async () => {
    const execution = await runtime.execute('ddb-get', {});

    expect(execution.output).toMatchObject({ Item: { id: { S: 'w-1' } } });
  });

  it('names RDS stand-in errors as the SDK integration does', async () => {
    const execution = await runtime.execute('rds-missing-instance', {});

    expect((execution.output as { Error: string }).Error).toBe('Rds.DbInstanceNotFoundException');
  });

  it('records each Task call in the trace of the state that made it', async () => {
    const execution = await runtime.execute('ddb-get', {});

    const exited = execution.trace.find(
      (event) => event.type === 'StateExited' && event.state === 'Call the dependency',
    );
    expect(exited).toMatchObject({ call: { resource: 'arn:aws:states:::dynamodb:getItem', outcome: 'succeeded' } });
  });
});

describe('start-up checks', () => {
  it('refuses a Task whose resource has no local implementation, naming state and resource', async () => {
    const attempt = startTestRuntime({
      stateMachines: [
        testMachine('unbound', {
          StartAt: 'Call Glue',
          States: { 'Call Glue': { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun', End: true } },
        }),
      ],
    });

    await expect(attempt).rejects.toThrow(/"Call Glue" uses resource "arn:aws:states:::glue:startJobRun"/);
  });

  it('refuses a definition that uses JSONata or Variables', async () => {
    expect(() =>
      testMachine('jsonata', { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }),
    ).toThrow(/JSONPath/);
    expect(() =>
      testMachine('variables', { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } }),
    ).toThrow(/Assign \(Variables\)/);
  });
});

describe('States.Runtime', () => {
  it('fails the execution even under a Catch on States.ALL, as on AWS', async () => {
    const { runtime } = await startTestRuntime({
      stateMachines: [
        testMachine('broken-invoke', {
          StartAt: 'Invoke without a function name',
          States: {
            'Invoke without a function name': {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { Payload: {} },
              Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
              End: true,
            },
            Caught: { Type: 'Succeed' },
          },
        }),
      ],
    });

    const execution = await runtime.execute('broken-invoke', {});
    await runtime.stop();

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '../../../local/clock';
import { LocalFunctions } from '../../../local/stepfunctions/bindings/lambda-function';
import type { ServiceAction } from '../../../local/stepfunctions/bindings/service-actions';
import { parseDefinition } from '../../../local/stepfunctions/definition';
import { LocalStateMachine } from '../../../local/stepfunctions/local-state-machine';
import { TaskTokenRegistry } from '../../../local/stepfunctions/task-tokens';

function machine(definition: object, actions: Record<string, ServiceAction>, clock = new VirtualClock()) {
  return new LocalStateMachine(
    {
      name: 'probe',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:probe',
      definition: parseDefinition(definition),
    },
    {
      clock,
      random: () => 0.5,
      bindings: {
        clock,
        functions: new LocalFunctions([], clock),
        dynamoDb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
        serviceActions: actions,
        tokens: new TaskTokenRegistry(),
      },
    },
  );
}

describe('context object', () => {
  it('gives Task parameters the execution, state machine and state fields AWS provides', async () => {
    const sm = machine(
      {
        StartAt: 'Publish context',
        States: {
          'Publish context': {
            Type: 'Task',
            Resource: 'arn:aws:states:::sns:publish',
            Parameters: {
              'executionId.$': '$$.Execution.Id',
              'executionName.$': '$$.Execution.Name',
              'startTime.$': '$$.Execution.StartTime',
              'input.$': '$$.Execution.Input',
              'machineName.$': '$$.StateMachine.Name',
              'machineId.$': '$$.StateMachine.Id',
              'stateName.$': '$$.State.Name',
              'enteredTime.$': '$$.State.EnteredTime',
              'retryCount.$': '$$.State.RetryCount',
            },
            End: true,
          },
        },
      },
      { 'sns:publish': async (params) => params },
    );

    const execution = await sm.execute({ hello: 'world' }, 'exec-1');

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({
      executionId: 'arn:aws:states:us-east-1:000000000000:execution:probe:exec-1',
      executionName: 'exec-1',
      startTime: '2026-01-01T00:00:00.000Z',
      input: { hello: 'world' },
      machineName: 'probe',
      machineId: 'arn:aws:states:us-east-1:000000000000:stateMachine:probe',
      stateName: 'Publish context',
      enteredTime: '2026-01-01T00:00:00.000Z',
      retryCount: 0,
    });
  });
});

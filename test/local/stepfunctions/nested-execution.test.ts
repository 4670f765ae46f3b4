/**
 * A Standard child started with `arn:aws:states:::states:startExecution.sync:2`, as AWS runs it: the Task returns
 * the child's output, and a failed child fails the Task with `States.TaskFailed` whose Cause is the child's
 * DescribeExecution (so the caller reads the child's own Error and Cause from it).
 */
import type { LocalRuntime } from '../../../local/runtime';
import { startTestRuntime, testMachine } from '../../helpers/local-runtime';

const CHILD_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:child';

const child = testMachine('child', {
  StartAt: 'Should the child fail?',
  States: {
    'Should the child fail?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Child failed' }],
      Default: 'Child done',
    },
    'Child done': { Type: 'Pass', Parameters: { doubled: 'yes', 'got.$': '$.value' }, End: true },
    'Child failed': { Type: 'Fail', Error: 'TableNotReadyError', Cause: 'the table is still CREATING' },
  },
});

const parent = testMachine('parent', {
  StartAt: 'Run the child',
  States: {
    'Run the child': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: CHILD_ARN, Input: { 'value.$': '$.value', 'fail.$': '$.fail' } },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Read the child failure' }],
      End: true,
    },
    'Read the child failure': {
      Type: 'Pass',
      Parameters: { 'error.$': '$.failure.Error', 'child.$': 'States.StringToJson($.failure.Cause)' },
      End: true,
    },
  },
});

describe('startExecution.sync:2', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    ({ runtime } = await startTestRuntime({ stateMachines: [child, parent] }));
  });
  afterAll(async () => {
    await runtime.stop();
  });

  it('returns the child output as JSON with the child execution ARN and status', async () => {
    // Act
    const execution = await runtime.execute('parent', { value: 7, fail: false });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({
      ExecutionArn: expect.stringMatching(/:execution:child:/),
      Output: { doubled: 'yes', got: 7 },
      Status: 'SUCCEEDED',
    });
  });

  it('fails the Task with States.TaskFailed and the child DescribeExecution as Cause', async () => {
    // Act
    const execution = await runtime.execute('parent', { value: 7, fail: true });

    // Assess
    const output = execution.output as { error: string; child: Record<string, unknown> };
    expect(output.error).toBe('States.TaskFailed');
    expect(output.child).toEqual(
      expect.objectContaining({
        ExecutionArn: expect.stringMatching(/:execution:child:/),
        StateMachineArn: CHILD_ARN,
        Status: 'FAILED',
        Error: 'TableNotReadyError',
        Cause: 'the table is still CREATING',
        Input: { value: 7, fail: true },
        StartDate: expect.any(Number),
        StopDate: expect.any(Number),
      }),
    );
  });
});

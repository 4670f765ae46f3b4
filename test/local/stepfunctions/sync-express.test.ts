/**
 * Synchronous Express children (`aws-sdk:sfn:startSyncExecution` and `LocalRuntime.startSyncExecution`):
 * the API's result shape for SUCCEEDED, FAILED and TIMED_OUT children, the 5-minute limit, refusal of
 * Standard machines, and the child's trace nested under the Task that started it.
 */
import type { VirtualClock } from '../../../local/clock';
import type { LocalRuntime } from '../../../local/runtime';
import { StateMachineTypeNotSupportedError, UnknownStateMachineError } from '../../../local/stepfunctions/errors';
import type { StateMachineModel } from '../../../local/template/app-model';
import { startTestRuntime, testMachine } from '../../helpers/local-runtime';

function express(name: string, definition: object): StateMachineModel {
  return { ...testMachine(name, definition), type: 'EXPRESS' };
}

const echo = express('echo', {
  StartAt: 'Answer',
  States: { Answer: { Type: 'Pass', Parameters: { 'got.$': '$', answer: 42 }, End: true } },
});
const failing = express('failing', {
  StartAt: 'Give up',
  States: { 'Give up': { Type: 'Fail', Error: 'BreakerBrokeError', Cause: 'on purpose' } },
});
const slow = express('slow', {
  StartAt: 'Wait ten minutes',
  States: { 'Wait ten minutes': { Type: 'Wait', Seconds: 600, End: true } },
});
const slowWithOwnLimit = express('slow-with-own-limit', {
  TimeoutSeconds: 10,
  StartAt: 'Wait a minute',
  States: { 'Wait a minute': { Type: 'Wait', Seconds: 60, End: true } },
});
const standard = testMachine('standard', { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

const ARN = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

function caller(target: string): StateMachineModel {
  return testMachine(`call-${target}`, {
    StartAt: 'Ask the child',
    States: {
      'Ask the child': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sfn:startSyncExecution',
        Parameters: {
          StateMachineArn: ARN(target),
          Input: { question: 'life', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
        },
        ResultPath: '$.child',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });
}

describe('synchronous Express executions', () => {
  let runtime: LocalRuntime;
  let clock: VirtualClock;
  // One runtime for the file: nine machines cost ~60 ms of validation each to start.
  beforeAll(async () => {
    ({ runtime, clock } = await startTestRuntime({
      stateMachines: [
        echo,
        failing,
        slow,
        slowWithOwnLimit,
        standard,
        caller('echo'),
        caller('failing'),
        caller('standard'),
        caller('nowhere'),
      ],
    }));
  });
  afterAll(async () => {
    await runtime.stop();
  });

  it('answers as the StartSyncExecution API does for a SUCCEEDED execution', async () => {
    const started = clock.now();

    const result = await runtime.startSyncExecution('echo', { question: 'life' }, 'first');

    expect(result).toEqual({
      executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:000000000000:express:echo:first:[0-9a-f-]{36}$/),
      stateMachineArn: ARN('echo'),
      name: 'first',
      startDate: new Date(started),
      stopDate: new Date(started),
      status: 'SUCCEEDED',
      input: '{"question":"life"}',
      inputDetails: { included: true },
      output: '{"got":{"question":"life"},"answer":42}',
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 },
    });
  });

  it('answers FAILED with the error and cause and no output when the execution fails', async () => {
    const result = await runtime.startSyncExecution('failing', {});

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('BreakerBrokeError');
    expect(result.cause).toBe('on purpose');
    expect(result).not.toHaveProperty('output');
  });

  it('times an Express execution out after five minutes, or earlier under its own TimeoutSeconds', async () => {
    const started = clock.now();
    const capped = await runtime.startSyncExecution('slow', {});
    const cappedAt = clock.now();
    const own = await runtime.startSyncExecution('slow-with-own-limit', {});

    expect(capped).toEqual(expect.objectContaining({ status: 'TIMED_OUT', error: 'States.Timeout' }));
    expect(cappedAt - started).toBe(300_000);
    expect(capped.billingDetails.billedDurationInMilliseconds).toBe(300_000);
    expect(own.status).toBe('TIMED_OUT');
    expect(own.stopDate.getTime() - own.startDate.getTime()).toBe(10_000);
  });

  it('refuses a Standard machine as AWS does, and names an unknown one', async () => {
    await expect(runtime.startSyncExecution('standard', {})).rejects.toThrow(StateMachineTypeNotSupportedError);
    await expect(runtime.startSyncExecution('no-such-machine', {})).rejects.toThrow(UnknownStateMachineError);
  });

  it('lets Express executions reuse a name and keeps none of them in the execution history', async () => {
    const [a, b] = await Promise.all([
      runtime.startSyncExecution('echo', {}, 'same'),
      runtime.startSyncExecution('echo', {}, 'same'),
    ]);

    expect(a.status).toBe('SUCCEEDED');
    expect(b.status).toBe('SUCCEEDED');
    expect(a.executionArn).not.toBe(b.executionArn);
    expect(runtime.executions.filter((execution) => execution.stateMachineName === 'echo')).toEqual([]);
  });

  it('returns the result to the calling Task in the SDK integration spelling, with the child nested in the trace', async () => {
    const parent = await runtime.execute('call-echo', {});
    const exited = parent.trace.find((event) => event.type === 'StateExited' && event.state === 'Ask the child');
    const child = exited?.type === 'StateExited' ? exited.call?.childExecutions?.[0] : undefined;

    expect(parent.status).toBe('SUCCEEDED');
    expect((parent.output as { child: unknown }).child).toEqual({
      BillingDetails: { BilledDurationInMilliseconds: 100, BilledMemoryUsedInMB: 64 },
      ExecutionArn: expect.stringContaining(':express:echo:'),
      Input: JSON.stringify({ question: 'life', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parent.executionArn }),
      InputDetails: { Included: true },
      Name: expect.any(String),
      Output: expect.stringContaining('"answer":42'),
      OutputDetails: { Included: true },
      StartDate: parent.startDate,
      StateMachineArn: ARN('echo'),
      Status: 'SUCCEEDED',
      StopDate: parent.startDate,
    });
    expect(child).toEqual(
      expect.objectContaining({ status: 'SUCCEEDED', stateMachineArn: ARN('echo'), output: expect.any(Object) }),
    );
    expect(child?.trace.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'StateEntered',
      'StateExited',
      'ExecutionSucceeded',
    ]);
    expect(runtime.executions.map((execution) => execution.executionArn)).toContain(parent.executionArn);
    expect(runtime.executions.some((execution) => execution.stateMachineName === 'echo')).toBe(false);
  });

  it('succeeds the calling Task when the child fails: Status FAILED, Error and Cause, no Output', async () => {
    const parent = await runtime.execute('call-failing', {});
    const answer = (parent.output as { child: Record<string, unknown> }).child;

    expect(parent.status).toBe('SUCCEEDED');
    expect(answer).toEqual(
      expect.objectContaining({ Status: 'FAILED', Error: 'BreakerBrokeError', Cause: 'on purpose' }),
    );
    expect(answer).not.toHaveProperty('Output');
  });

  it('fails the calling Task with Sfn.* errors when no execution can start', async () => {
    const onStandard = await runtime.execute('call-standard', {});
    const onMissing = await runtime.execute('call-nowhere', {});

    expect((onStandard.output as { error: { Error: string } }).error).toEqual({
      Error: 'Sfn.StateMachineTypeNotSupportedException',
      Cause: expect.stringMatching(/^This operation is not supported by this type of state machine.*Service: Sfn/),
    });
    expect((onMissing.output as { error: { Error: string } }).error.Error).toBe(
      'Sfn.StateMachineDoesNotExistException',
    );
  });
});

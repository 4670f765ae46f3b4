import { parseFaultPlan } from '../../../local/faults/fault-plan';
import { startTestRuntime, testMachine } from '../../helpers/local-runtime';

const approvalMachine = testMachine('approval', {
  StartAt: 'Ask an operator to approve',
  States: {
    'Ask an operator to approve': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: {
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals',
        'Message.$': "States.Format('Approve with token {}', $$.Task.Token)",
      },
      TimeoutSeconds: 3600,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Not approved' }],
      End: true,
    },
    'Not approved': { Type: 'Pass', OutputPath: '$.failure', End: true },
  },
});

describe('.waitForTaskToken', () => {
  it('waits until sendTaskSuccess and returns the output sent with the token', async () => {
    const { runtime } = await startTestRuntime({ stateMachines: [approvalMachine] });
    const started = runtime.start('approval', {});

    const waiting = await runtime.tokens.next((task) => task.executionArn === started.executionArn);
    const published = runtime.services.sns.published[0].message;
    runtime.tokens.sendTaskSuccess(waiting.token, { approvedBy: 'operator-1' });
    const execution = await started.done;
    await runtime.stop();

    expect(published).toBe(`Approve with token ${waiting.token}`);
    expect(waiting.stateName).toBe('Ask an operator to approve');
    expect(execution.output).toEqual({ approvedBy: 'operator-1' });
  });

  it('routes sendTaskFailure to the Catch with the error and cause sent', async () => {
    const { runtime } = await startTestRuntime({ stateMachines: [approvalMachine] });
    const started = runtime.start('approval', {});

    const waiting = await runtime.tokens.next();
    runtime.tokens.sendTaskFailure(waiting.token, 'ApprovalRejectedError', 'change window closed');
    const execution = await started.done;
    await runtime.stop();

    expect(execution.output).toEqual({ Error: 'ApprovalRejectedError', Cause: 'change window closed' });
  });

  it('times out with States.Timeout when nobody answers, and refuses the late token', async () => {
    const { runtime, clock } = await startTestRuntime({ stateMachines: [approvalMachine] });
    const started = runtime.start('approval', {});
    const waiting = await runtime.tokens.next();

    const execution = await started.done;
    await runtime.stop();

    expect(execution.output).toMatchObject({ Error: 'States.Timeout' });
    expect(Date.parse(execution.stopDate!) - Date.parse(execution.startDate)).toBe(3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.parse(execution.startDate) + 3_600_000);
    expect(() => runtime.tokens.sendTaskSuccess(waiting.token, {})).toThrow(
      expect.objectContaining({ name: 'TaskTimedOut' }),
    );
    expect(() => runtime.tokens.sendTaskSuccess('never-issued', {})).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
  });

  it('lets a retried token task be answered after the first attempt timed out', async () => {
    const retried = testMachine('retried-approval', {
      StartAt: 'Ask again if nobody answers',
      States: {
        'Ask again if nobody answers': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
          TimeoutSeconds: 10,
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const slowFirstPublish = parseFaultPlan({
      seed: 1,
      faults: [{ target: { state: 'Ask again if nobody answers' }, latencyMs: 3000, count: 1, rate: 1 }],
    });
    const { runtime } = await startTestRuntime({ stateMachines: [retried] }, { faultPlan: slowFirstPublish });
    const started = runtime.start('retried-approval', {});

    const first = await runtime.tokens.next();
    const second = await runtime.tokens.next((task) => task.since > first.since);
    await runtime.clock.sleep(4000); // past where the first attempt's timer would have run out
    runtime.tokens.sendTaskSuccess(second.token, { approved: true });
    const execution = await started.done;
    await runtime.stop();

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ approved: true });
  });
});

describe('execution names', () => {
  const noop = testMachine('noop', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } });

  it('refuses a name already used, and returns the running execution for the same name and input', async () => {
    const { runtime } = await startTestRuntime({ stateMachines: [noop, approvalMachine] });

    const waiting = runtime.start('approval', { change: 1 }, 'approval-1');
    const again = runtime.start('approval', { change: 1 }, 'approval-1');
    const differentInput = () => runtime.start('approval', { change: 2 }, 'approval-1');
    await runtime.execute('noop', {}, 'run-1');
    const reused = () => runtime.start('noop', {}, 'run-1');

    expect(again.executionArn).toBe(waiting.executionArn);
    expect(differentInput).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(reused).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    runtime.tokens.sendTaskSuccess((await runtime.tokens.next()).token, {});
    await waiting.done;
    await runtime.stop();
  });
});

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
    expect(() => runtime.tokens.sendTaskSuccess(waiting.token, {})).toThrow(/does not belong to a waiting task/);
  });
});

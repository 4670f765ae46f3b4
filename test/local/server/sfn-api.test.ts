/**
 * The Step Functions API of `rds-ops local serve`, driven with the stock @aws-sdk/client-sfn configured only by
 * AWS_ENDPOINT_URL. Shapes and error names are those of the AWS API reference (Step Functions API, 2016-11-23).
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ScaledClock } from '../../../local/clock';
import type { LocalService } from '../../../local/server/local-service';
import { testMachine, testModel, testTable } from '../../helpers/local-runtime';
import { startTestService, useEndpoint } from '../../helpers/local-service';

const ARN = 'arn:aws:states:us-east-1:000000000000';
const approval = testMachine('approval', {
  StartAt: 'Ask an operator',
  States: {
    'Ask an operator': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
      TimeoutSeconds: 3600,
      Next: 'Approved',
    },
    Approved: { Type: 'Pass', End: true },
  },
});
const hasty = testMachine('hasty', {
  StartAt: 'Ask briefly',
  States: {
    'Ask briefly': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
      TimeoutSeconds: 5,
      End: true,
    },
  },
});
const echo = testMachine('echo', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } });
const refuse = testMachine('refuse', {
  StartAt: 'Refuse',
  States: { Refuse: { Type: 'Fail', Error: 'Refused', Cause: 'by design' } },
});
const quick = {
  ...testMachine('quick', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }),
  type: 'EXPRESS' as const,
};

describe('Step Functions API of the local service', () => {
  let service: LocalService;
  let restoreEnvironment: () => void;
  let sfn: SFNClient;

  beforeAll(async () => {
    // 50x real time: a 5 s task timeout passes in 100 ms, a 1 h one never during the test.
    service = await startTestService(
      testModel({ stateMachines: [approval, hasty, echo, refuse, quick], tables: [testTable('unused')] }),
      { clock: new ScaledClock(50) },
    );
    restoreEnvironment = useEndpoint(service.endpoint);
    sfn = new SFNClient({});
  });
  afterAll(async () => {
    sfn.destroy();
    restoreEnvironment();
    await service.stop();
  });

  const waitForStatus = async (executionArn: string, status: string) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status === status) return described;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${executionArn} never reached ${status}`);
  };
  const historyOf = async (executionArn: string): Promise<HistoryEvent[]> =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  const tokenOf = async (executionArn: string): Promise<string> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const events = await historyOf(executionArn);
      const scheduled = events.find((event) => event.type === 'TaskSubmitted')
        ? events.find((event) => event.type === 'TaskScheduled')
        : undefined;
      if (scheduled) return JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Message;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${executionArn} never waited for a token`);
  };

  it('lists and describes the state machines', async () => {
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN}:stateMachine:echo` }));

    expect(listed.stateMachines?.map((machine) => [machine.name, machine.type])).toEqual([
      ['approval', 'STANDARD'],
      ['hasty', 'STANDARD'],
      ['echo', 'STANDARD'],
      ['refuse', 'STANDARD'],
      ['quick', 'EXPRESS'],
    ]);
    expect(listed.stateMachines?.[0].creationDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ name: 'echo', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition!)).toEqual(echo.definition);
  });

  it('starts an execution and describes it as AWS does once it succeeded', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, name: 'first', input: '{"a":1}' }),
    );
    const described = await waitForStatus(started.executionArn!, 'SUCCEEDED');

    expect(started.executionArn).toBe(`${ARN}:execution:echo:first`);
    expect(started.startDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({
      executionArn: `${ARN}:execution:echo:first`,
      stateMachineArn: `${ARN}:stateMachine:echo`,
      name: 'first',
      input: '{"a":1}',
      inputDetails: { included: true },
      output: '{"a":1}',
      outputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    expect(described.error).toBeUndefined();
  });

  it('is idempotent for the same name and input while running, and refuses a reused name otherwise', async () => {
    const request = { stateMachineArn: `${ARN}:stateMachine:approval`, name: 'once', input: '{"ticket":7}' };
    const first = await sfn.send(new StartExecutionCommand(request));
    const again = await sfn.send(new StartExecutionCommand(request));
    const otherInput = sfn.send(new StartExecutionCommand({ ...request, input: '{"ticket":8}' }));

    expect(again.executionArn).toBe(first.executionArn);
    await expect(otherInput).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${ARN}:execution:approval:once'`,
      $metadata: { httpStatusCode: 400 },
    });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(sfn.send(new StartExecutionCommand(request))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('waits for a task token, shows it in the history, and goes on when it is sent back', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:approval` }),
    );
    const token = await tokenOf(executionArn!);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approvedBy":"alice"}' }));
    const described = await waitForStatus(executionArn!, 'SUCCEEDED');
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    expect(JSON.parse(described.output!)).toEqual({ approvedBy: 'alice' });
    await expect(late).rejects.toMatchObject({ name: 'TaskDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('fails the waiting task with the error and cause of SendTaskFailure', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:approval` }),
    );
    const token = await tokenOf(executionArn!);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not today' }));
    const described = await waitForStatus(executionArn!, 'FAILED');

    expect(described).toMatchObject({ error: 'Rejected', cause: 'not today', redriveStatus: 'REDRIVABLE' });
    expect(described.output).toBeUndefined();
  });

  it('answers TaskTimedOut for the token of a task that timed out', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:hasty` }),
    );
    const token = await tokenOf(executionArn!);
    const described = await waitForStatus(executionArn!, 'FAILED');
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    expect(described).toMatchObject({ error: 'States.Timeout' });
    expect(described.cause).toBeUndefined();
    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('lists the history with AWS event types and details, in either order and page by page', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, input: '{"b":2}' }),
    );
    await waitForStatus(executionArn!, 'SUCCEEDED');
    const all = await historyOf(executionArn!);
    const firstPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    const secondPage = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 2, nextToken: firstPage.nextToken }),
    );
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    const withoutData = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));

    expect(all.map((event) => [event.id, event.previousEventId, event.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'ExecutionSucceeded'],
    ]);
    expect(all[0].timestamp).toBeInstanceOf(Date);
    expect(all[0].executionStartedEventDetails).toEqual({
      input: '{"b":2}',
      inputDetails: { truncated: false },
    });
    expect(all[2].stateExitedEventDetails).toEqual({
      name: 'Echo',
      output: '{"b":2}',
      outputDetails: { truncated: false },
    });
    expect(firstPage.events?.map((event) => event.id)).toEqual([1, 2]);
    expect(secondPage.events?.map((event) => event.id)).toEqual([3, 4]);
    expect(secondPage.nextToken).toBeUndefined();
    expect(reversed.events?.map((event) => event.id)).toEqual([4, 3, 2, 1]);
    expect(withoutData.events?.[0].executionStartedEventDetails).toEqual({ inputDetails: { truncated: false } });
  });

  it('lists executions newest first, filtered by status and page by page', async () => {
    const stateMachineArn = `${ARN}:stateMachine:refuse`;
    for (const name of ['r1', 'r2', 'r3']) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
      await waitForStatus(executionArn!, 'FAILED');
    }
    const firstPage = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    const secondPage = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: firstPage.nextToken }),
    );
    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    const badFilter = sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'failed' as never }));

    expect(firstPage.executions?.map((execution) => execution.name)).toEqual(['r3', 'r2']);
    expect(secondPage.executions?.map((execution) => execution.name)).toEqual(['r1']);
    expect(secondPage.nextToken).toBeUndefined();
    expect(firstPage.executions?.[0]).toMatchObject({ status: 'FAILED', stateMachineArn, redriveCount: 0 });
    expect(succeeded.executions).toEqual([]);
    await expect(badFilter).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('stops a running execution: ABORTED with the error and cause given', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:approval` }),
    );
    await tokenOf(executionArn!);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'probe' }));
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await historyOf(executionArn!);

    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Manual',
      cause: 'probe',
      redriveStatus: 'REDRIVABLE',
    });
    expect(history.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      previousEventId: 0,
      executionAbortedEventDetails: { error: 'Manual', cause: 'probe' },
    });
  });

  it('runs an Express machine with StartSyncExecution and refuses a Standard one', async () => {
    // The SDK sends StartSyncExecution to sync-<host>; a local endpoint needs the host prefix turned off.
    const sync = new SFNClient({ disableHostPrefix: true });
    const result = await sync.send(
      new StartSyncExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:quick`, input: '{"c":3}' }),
    );
    const standard = sync.send(new StartSyncExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo` }));

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"c":3}', input: '{"c":3}' });
    expect(result.executionArn).toMatch(/:express:quick:/);
    expect(result.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    await expect(standard).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
    sync.destroy();
  });

  it.each([
    [
      'an unknown execution',
      'ExecutionDoesNotExist',
      () => new DescribeExecutionCommand({ executionArn: `${ARN}:execution:echo:never` }),
      `Execution Does Not Exist: '${ARN}:execution:echo:never'`,
    ],
    [
      'a malformed ARN',
      'InvalidArn',
      () => new DescribeExecutionCommand({ executionArn: 'not-an-arn' }),
      "Invalid Arn: 'Invalid ARN prefix: not-an-arn'",
    ],
    [
      'a state machine ARN where an execution ARN belongs',
      'InvalidArn',
      () => new GetExecutionHistoryCommand({ executionArn: `${ARN}:stateMachine:echo` }),
      "Invalid Arn: 'Resource type not valid in this context: stateMachine'",
    ],
    [
      'an unknown state machine',
      'StateMachineDoesNotExist',
      () => new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:nope` }),
      `State Machine Does Not Exist: '${ARN}:stateMachine:nope'`,
    ],
    [
      'input that is not JSON',
      'InvalidExecutionInput',
      () => new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, input: '{nope' }),
      /^Invalid State Machine Execution Input: '/,
    ],
    [
      'a name with a space',
      'InvalidName',
      () => new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, name: 'two words' }),
      "Invalid Name: 'two words'",
    ],
    [
      'an unknown task token',
      'TaskDoesNotExist',
      () => new SendTaskSuccessCommand({ taskToken: 'never-issued', output: '{}' }),
      'Task Does Not Exist',
    ],
    [
      'task output that is not JSON',
      'InvalidOutput',
      () => new SendTaskSuccessCommand({ taskToken: 'never-issued', output: 'nope' }),
      /^Invalid Output: '/,
    ],
  ])('answers %s with a 400 %s', async (_case, name, command, message) => {
    const failure = sfn.send(command() as never);

    await expect(failure).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    await expect(failure).rejects.toHaveProperty(
      'message',
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
  });
});

/**
 * The AWS execution history derived from the trace. Expected event sequences and `previousEventId` links are
 * those of histories recorded against AWS for the same shapes of definition (sequential states, retry then
 * catch, inline Map with a caught failing iteration, task tokens, stop, timeouts, the 25,000-event quota).
 */
import type { LocalRuntime } from '../../../local/runtime';
import { HISTORY_LIMIT_CAUSE, type HistoryEvent } from '../../../local/stepfunctions/history-events';
import type { ExecutionRecord } from '../../../local/stepfunctions/local-state-machine';
import { startTestRuntime, testMachine, testTable } from '../../helpers/local-runtime';

const machines = [
  testMachine('sequential', {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: { pk: 'a' }, ResultPath: '$.key', Next: 'Save' },
      Save: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: { TableName: 'items', Item: { pk: { 'S.$': '$.key.pk' } } },
        TimeoutSeconds: 30,
        ResultPath: null,
        End: true,
      },
    },
  }),
  testMachine('retry-then-catch', {
    StartAt: 'Read a missing table',
    States: {
      'Read a missing table': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
        Parameters: { TableName: 'missing', Key: { pk: { S: 'a' } } },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recover' }],
        End: true,
      },
      Recover: { Type: 'Pass', End: true },
    },
  }),
  testMachine('map-catch', {
    StartAt: 'Each item',
    States: {
      'Each item': {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 1,
        ItemProcessor: { StartAt: 'Refuse', States: { Refuse: { Type: 'Fail', Error: 'Bad', Cause: 'item' } } },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    },
  }),
  testMachine('map-one-at-a-time', {
    StartAt: 'Each item',
    States: {
      'Each item': {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 1,
        ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  }),
  testMachine('map-ok', {
    StartAt: 'Each item',
    States: {
      'Each item': {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  }),
  testMachine('token', {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
        Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
        TimeoutSeconds: 60,
        End: true,
      },
    },
  }),
  testMachine('sleepy', {
    StartAt: 'Nap',
    TimeoutSeconds: 5,
    States: { Nap: { Type: 'Wait', Seconds: 60, End: true } },
  }),
  testMachine('spin', {
    StartAt: 'Turn',
    States: {
      Turn: { Type: 'Pass', Next: 'Again?' },
      'Again?': { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Turn' },
      Done: { Type: 'Succeed' },
    },
  }),
];

const links = (events: readonly HistoryEvent[]) => events.map((e) => `${e.id}<${e.previousEventId}:${e.type}`);

describe('AWS execution history from the trace', () => {
  let runtime: LocalRuntime;
  const historyOf = (record: ExecutionRecord) => runtime.stateMachine(record.stateMachineArn).historyOf(record);

  beforeAll(async () => {
    ({ runtime } = await startTestRuntime({ stateMachines: machines, tables: [testTable('items')] }));
  });
  afterAll(() => runtime.stop());

  it('lists sequential states with the events, details and links AWS records', async () => {
    const record = await runtime.execute('sequential', { n: 1 });
    const events = historyOf(record);

    expect(links(events)).toEqual([
      '1<0:ExecutionStarted',
      '2<0:PassStateEntered',
      '3<2:PassStateExited',
      '4<3:TaskStateEntered',
      '5<4:TaskScheduled',
      '6<5:TaskStarted',
      '7<6:TaskSucceeded',
      '8<7:TaskStateExited',
      '9<8:ExecutionSucceeded',
    ]);
    expect(events[0].details).toEqual({ input: { n: 1 }, inputDetails: { truncated: false } });
    expect(events[4]).toMatchObject({
      detailsKey: 'taskScheduledEventDetails',
      details: {
        resourceType: 'dynamodb',
        resource: 'putItem',
        region: 'us-east-1',
        parameters: { TableName: 'items', Item: { pk: { S: 'a' } } },
        timeoutInSeconds: 30,
      },
    });
    expect(events[5].details).toEqual({ resourceType: 'dynamodb', resource: 'putItem' });
    expect(events[7].details).toEqual({
      name: 'Save',
      output: { n: 1, key: { pk: 'a' } },
      outputDetails: { truncated: false },
    });
    expect(record.historyEventCount).toBe(events.length);
  });

  it('records each attempt of a retried Task, then TaskStateExited when the Catch takes over', async () => {
    const record = await runtime.execute('retry-then-catch', {});
    const events = historyOf(record);

    expect(links(events)).toEqual([
      '1<0:ExecutionStarted',
      '2<0:TaskStateEntered',
      '3<2:TaskScheduled',
      '4<3:TaskStarted',
      '5<4:TaskFailed',
      '6<5:TaskScheduled',
      '7<6:TaskStarted',
      '8<7:TaskFailed',
      '9<8:TaskStateExited',
      '10<9:PassStateEntered',
      '11<10:PassStateExited',
      '12<11:ExecutionSucceeded',
    ]);
    expect(events[4].details).toMatchObject({
      resourceType: 'aws-sdk:dynamodb',
      resource: 'getItem',
      error: 'DynamoDb.ResourceNotFoundException',
    });
    expect(Date.parse(record.trace.at(-1)!.at) - events[5].timestamp).toBeGreaterThanOrEqual(0);
    expect(events[5].timestamp - events[4].timestamp).toBe(1000);
  });

  it('fails a caught Map after its failing iteration: MapIterationFailed, MapStateFailed, MapStateExited', async () => {
    const record = await runtime.execute('map-catch', { items: [1, 2] });

    expect(links(historyOf(record))).toEqual([
      '1<0:ExecutionStarted',
      '2<0:MapStateEntered',
      '3<2:MapStateStarted',
      '4<3:MapIterationStarted',
      '5<4:FailStateEntered',
      '6<5:MapIterationFailed',
      '7<5:MapStateFailed',
      '8<7:MapStateExited',
      '9<8:PassStateEntered',
      '10<9:PassStateExited',
      '11<10:ExecutionSucceeded',
    ]);
  });

  it('links iterations run one at a time as AWS does: each start to the last event of the previous one', async () => {
    const record = await runtime.execute('map-one-at-a-time', { items: [1, 2] });

    expect(links(historyOf(record))).toEqual([
      '1<0:ExecutionStarted',
      '2<0:MapStateEntered',
      '3<2:MapStateStarted',
      '4<3:MapIterationStarted',
      '5<4:PassStateEntered',
      '6<5:PassStateExited',
      '7<6:MapIterationSucceeded',
      '8<6:MapIterationStarted',
      '9<8:PassStateEntered',
      '10<9:PassStateExited',
      '11<10:MapIterationSucceeded',
      '12<11:MapStateSucceeded',
      '13<11:MapStateExited',
      '14<13:ExecutionSucceeded',
    ]);
  });

  it('gives a Map its length and one started and succeeded event per iteration', async () => {
    const record = await runtime.execute('map-ok', { items: ['a', 'b', 'c'] });
    const events = historyOf(record);
    const types = events.map((event) => event.type);

    expect(events[2]).toMatchObject({ type: 'MapStateStarted', details: { length: 3 } });
    expect(types.filter((type) => type === 'MapIterationStarted')).toHaveLength(3);
    expect(types.filter((type) => type === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types.slice(-3)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    expect(events.filter((e) => e.type === 'MapIterationStarted').map((e) => e.details?.index)).toEqual(
      expect.arrayContaining([0, 1, 2]),
    );
    expect(record.historyEventCount).toBe(events.length);
  });

  it('shows a token task as submitted while it waits, then succeeded', async () => {
    const started = runtime.start('token', {});
    const waiting = await runtime.tokens.next((task) => task.executionArn === started.executionArn);
    const whileWaiting = historyOf(started.record);
    runtime.tokens.sendTaskSuccess(waiting.token, { ok: true });
    const record = await started.done;

    expect(links(whileWaiting)).toEqual([
      '1<0:ExecutionStarted',
      '2<0:TaskStateEntered',
      '3<2:TaskScheduled',
      '4<3:TaskStarted',
      '5<4:TaskSubmitted',
    ]);
    expect(whileWaiting[2].details).toMatchObject({
      resource: 'publish.waitForTaskToken',
      resourceType: 'sns',
      parameters: { Message: waiting.token },
    });
    expect(links(historyOf(record)).slice(5)).toEqual([
      '6<5:TaskSucceeded',
      '7<6:TaskStateExited',
      '8<7:ExecutionSucceeded',
    ]);
  });

  it('ends a token task that nobody answers with TaskTimedOut and a States.Timeout failure', async () => {
    const record = await runtime.execute('token', {});
    const events = historyOf(record);

    expect(links(events).slice(4)).toEqual(['5<4:TaskSubmitted', '6<5:TaskTimedOut', '7<6:ExecutionFailed']);
    expect(events[5].details).toEqual({
      resourceType: 'sns',
      resource: 'publish.waitForTaskToken',
      error: 'States.Timeout',
    });
    expect(events[6].details).toEqual({ error: 'States.Timeout' });
  });

  it('ends a stopped execution with ExecutionAborted linked to 0, with the stop error and cause', async () => {
    const started = runtime.start('token', {});
    await runtime.tokens.next((task) => task.executionArn === started.executionArn);
    started.stop({ error: 'Manual', cause: 'probe' });
    const record = await started.done;
    const events = historyOf(record);

    expect(record).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'probe' });
    expect(links(events).at(-1)).toBe('6<0:ExecutionAborted');
    expect(events.at(-1)?.details).toEqual({ error: 'Manual', cause: 'probe' });
  });

  it('ends an execution past its TimeoutSeconds with ExecutionTimedOut linked to 0', async () => {
    const record = await runtime.execute('sleepy', {});
    const events = historyOf(record);

    expect(record.status).toBe('TIMED_OUT');
    expect(links(events)).toEqual(['1<0:ExecutionStarted', '2<0:WaitStateEntered', '3<0:ExecutionTimedOut']);
    expect(events[2].details).toEqual({ error: 'States.Timeout' });
  });

  it('fails a Standard execution at exactly 25,000 events, the last one the quota failure', async () => {
    const record = await runtime.execute('spin', {});
    const events = historyOf(record);

    expect(record).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: HISTORY_LIMIT_CAUSE });
    expect(record.historyEventCount).toBe(25_000);
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)).toMatchObject({
      id: 25_000,
      previousEventId: 24_999,
      type: 'ExecutionFailed',
      details: { error: 'States.Runtime', cause: HISTORY_LIMIT_CAUSE },
    });
    expect(record.trace.at(-1)).toMatchObject({ type: 'ExecutionFailed', error: 'States.Runtime' });
  });
});

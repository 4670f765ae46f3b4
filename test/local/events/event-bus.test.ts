import { VirtualClock } from '../../../local/clock';
import {
  type DeadLetter,
  InvalidEventPatternError,
  InvalidInputTransformerError,
  InvalidScheduleExpressionError,
  LocalEventBus,
  RuleNotFoundError,
  type RuleSpec,
  type TargetDelivery,
  type TargetInvocationResult,
} from '../../../local/events';

const START = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

function ruleArn(name: string, bus = 'default'): string {
  return `arn:aws:events:us-east-1:000000000000:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

function rule(name: string, overrides: Partial<RuleSpec> = {}): RuleSpec {
  return {
    name,
    arn: ruleArn(name, overrides.eventBusName),
    eventBusName: 'default',
    eventPattern: { source: ['rds-ops.app'] },
    state: 'ENABLED',
    targets: [{ id: 'sfn', arn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}` }],
    ...overrides,
  };
}

const restoreRequested = {
  Source: 'rds-ops.app',
  DetailType: 'Restore Requested',
  Detail: JSON.stringify({ table: 'orders', minutes: 5 }),
  Resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/orders'],
};

interface Harness {
  readonly clock: VirtualClock;
  readonly bus: LocalEventBus;
  readonly calls: TargetDelivery[];
  readonly failures: DeadLetter[];
}

/** A bus on a manual virtual clock whose targets succeed unless `behave` says otherwise. */
function harness(
  behave: (delivery: TargetDelivery) => Promise<TargetInvocationResult> = async () => ({}),
  extraCopies?: (delivery: TargetDelivery) => number,
): Harness {
  const clock = new VirtualClock({ startAt: START, autoAdvance: false });
  const calls: TargetDelivery[] = [];
  const failures: DeadLetter[] = [];
  let nextId = 0;
  const bus = new LocalEventBus({
    clock,
    invokeTarget: (delivery) => {
      calls.push(delivery);
      return behave(delivery);
    },
    onDeliveryFailure: (deadLetter) => failures.push(deadLetter),
    newEventId: () => `event-${++nextId}`,
    extraCopies,
  });
  return { clock, bus, calls, failures };
}

describe('LocalEventBus.putEvents', () => {
  it('builds the full EventBridge envelope from a PutEvents entry', async () => {
    // Prepare
    const { bus, calls } = harness();
    bus.addRule(rule('restore'));

    // Act
    const result = await bus.putEvents([restoreRequested]);

    // Assess
    expect(result.entries).toEqual([{ eventId: 'event-1' }]);
    expect(result.failedEntryCount).toBe(0);
    expect(calls[0].event).toEqual({
      version: '0',
      id: 'event-1',
      'detail-type': 'Restore Requested',
      source: 'rds-ops.app',
      account: '000000000000',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:dynamodb:us-east-1:000000000000:table/orders'],
      detail: { table: 'orders', minutes: 5 },
    });
  });

  it('keeps an entry Time as the event time and stamps ingestion time from the clock', async () => {
    // Prepare
    const { bus, clock } = harness();
    clock.advance(90_500);
    bus.addRule(
      rule('restore', {
        targets: [
          {
            id: 'times',
            arn: 'arn:t',
            InputTransformer: {
              InputTemplate: '{"time": <time>, "ingested": <aws.events.event.ingestion-time>}',
              InputPathsMap: { time: '$.time' },
            },
          },
        ],
      }),
    );

    // Act
    const result = await bus.putEvents([{ ...restoreRequested, Time: new Date('2025-12-31T23:00:00Z') }]);

    // Assess
    expect(result.deliveries[0].input).toEqual({ time: '2025-12-31T23:00:00Z', ingested: '2026-01-01T00:01:30Z' });
  });

  it('routes one event to every matching rule and every target, transforming input per target', async () => {
    // Prepare
    const { bus, calls } = harness(async (delivery) =>
      delivery.target.id === 'sfn' ? { executionArn: `arn:exec:${delivery.rule.name}` } : {},
    );
    bus.addRule(
      rule('restore', {
        targets: [
          { id: 'sfn', arn: 'arn:sfn:restore' },
          {
            id: 'notify',
            arn: 'arn:sns:notify',
            InputTransformer: {
              InputPathsMap: { table: '$.detail.table' },
              InputTemplate: '"restore of <table> requested by <aws.events.rule-name>"',
            },
          },
        ],
      }),
    );
    bus.addRule(rule('audit', { eventPattern: { 'detail-type': [{ suffix: 'Requested' }] } }));
    bus.addRule(rule('unrelated', { eventPattern: { source: ['someone.else'] } }));

    // Act
    const result = await bus.putEvents([restoreRequested]);

    // Assess
    expect(result.deliveries).toEqual([
      expect.objectContaining({ ruleName: 'restore', targetId: 'sfn', executionArn: 'arn:exec:restore', attempts: 1 }),
      expect.objectContaining({
        ruleName: 'restore',
        targetId: 'notify',
        input: 'restore of orders requested by restore',
      }),
      expect.objectContaining({ ruleName: 'audit', targetId: 'sfn', executionArn: 'arn:exec:audit' }),
    ]);
    expect(calls.map((call) => `${call.rule.name}/${call.target.id}`)).toEqual([
      'restore/sfn',
      'restore/notify',
      'audit/sfn',
    ]);
    expect(calls[0].input).toBe(calls[0].event);
  });

  it('ignores disabled rules and rules on other buses, and routes by bus name or ARN', async () => {
    // Prepare
    const { bus, calls } = harness();
    bus.addRule(rule('disabled', { state: 'DISABLED' }));
    bus.addRule(rule('on-ops-bus', { eventBusName: 'ops-bus' }));

    // Act
    const toDefault = await bus.putEvents([restoreRequested]);
    const toOps = await bus.putEvents([
      { ...restoreRequested, EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/ops-bus' },
    ]);

    // Assess
    expect(toDefault.deliveries).toEqual([]);
    expect(toOps.deliveries.map((delivery) => delivery.ruleName)).toEqual(['on-ops-bus']);
    expect(calls).toHaveLength(1);
  });

  it('reports malformed entries per entry, as PutEvents does, and still delivers the others', async () => {
    // Prepare
    const { bus } = harness();
    bus.addRule(rule('restore'));

    // Act
    const result = await bus.putEvents([
      { ...restoreRequested, Detail: '[1, 2]' },
      { DetailType: 'x', Detail: '{}' },
      restoreRequested,
    ]);

    // Assess
    expect(result.failedEntryCount).toBe(2);
    expect(result.entries[0]).toMatchObject({ errorCode: 'MalformedDetail' });
    expect(result.entries[1]).toMatchObject({
      errorCode: 'InvalidArgument',
      errorMessage: expect.stringContaining('Source'),
    });
    expect(result.entries[2]).toEqual({ eventId: 'event-1' });
    expect(result.deliveries).toHaveLength(1);
  });

  it('retries a failing target up to maxAttempts and succeeds on a later attempt', async () => {
    // Prepare
    const { bus, calls } = harness(async (delivery) => {
      if (delivery.attempt < 3) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      return { executionArn: 'arn:exec:third-time' };
    });
    bus.addRule(rule('restore', { targets: [{ id: 'sfn', arn: 'arn:sfn', maxAttempts: 3 }] }));

    // Act
    const result = await bus.putEvents([restoreRequested]);

    // Assess
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(result.deliveries).toEqual([expect.objectContaining({ attempts: 3, executionArn: 'arn:exec:third-time' })]);
    expect(bus.deadLetters).toEqual([]);
  });

  it('dead-letters an event once every attempt failed, with the error, as a DLQ would', async () => {
    // Prepare
    const { bus, calls, failures } = harness(async () => {
      throw Object.assign(new Error('state machine does not exist'), { name: 'StateMachineDoesNotExist' });
    });
    bus.addRule(
      rule('restore', { targets: [{ id: 'sfn', arn: 'arn:sfn', maxAttempts: 2, deadLetterArn: 'arn:aws:sqs:dlq' }] }),
    );

    // Act
    const result = await bus.putEvents([restoreRequested]);

    // Assess
    expect(calls).toHaveLength(2);
    expect(result.deliveries[0]).toMatchObject({
      attempts: 2,
      error: { name: 'StateMachineDoesNotExist', message: 'state machine does not exist' },
    });
    expect(bus.deadLetters).toEqual([
      expect.objectContaining({
        ruleArn: ruleArn('restore'),
        targetArn: 'arn:sfn',
        deadLetterArn: 'arn:aws:sqs:dlq',
        errorCode: 'StateMachineDoesNotExist',
        attempts: 2,
        event: expect.objectContaining({ id: 'event-1' }),
      }),
    ]);
    expect(failures).toEqual(bus.deadLetters);
  });

  it('delivers exactly once unless a fault plan asks for duplicates', async () => {
    // Prepare
    const { bus, calls } = harness(
      async () => ({}),
      (delivery) => (delivery.rule.name === 'dup' ? 1 : 0),
    );
    bus.addRule(rule('once'));
    bus.addRule(rule('dup'));

    // Act
    await bus.putEvents([restoreRequested]);

    // Assess
    expect(calls.map((call) => call.rule.name)).toEqual(['once', 'dup', 'dup']);
    expect(calls[1].event.id).toBe(calls[2].event.id);
  });
});

describe('LocalEventBus scheduled rules', () => {
  it('fireScheduledRule delivers a Scheduled Event on demand', async () => {
    // Prepare
    const { bus, calls } = harness();
    bus.addRule(rule('sweep', { eventPattern: undefined, scheduleExpression: 'rate(15 minutes)' }));

    // Act
    const { event, deliveries } = await bus.fireScheduledRule('sweep');

    // Assess
    expect(event).toEqual({
      version: '0',
      id: 'event-1',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [ruleArn('sweep')],
      detail: {},
    });
    expect(deliveries).toHaveLength(1);
    expect(calls[0].input).toEqual(event);
  });

  it('fires rate and cron rules as the virtual clock advances, and stops when told', async () => {
    // Prepare
    const { clock, bus, calls } = harness();
    bus.addRule(rule('every-15', { eventPattern: undefined, scheduleExpression: 'rate(15 minutes)' }));
    bus.addRule(rule('on-the-half-hour', { eventPattern: undefined, scheduleExpression: 'cron(30 * * * ? *)' }));
    bus.addRule(rule('paused', { eventPattern: undefined, scheduleExpression: 'rate(1 minute)', state: 'DISABLED' }));
    bus.startSchedules();

    // Act
    clock.advance(60 * MINUTE);
    await bus.settled();
    const firedInFirstHour = calls.map((call) => `${call.rule.name}@${call.event.time}`);
    bus.stopSchedules();
    clock.advance(60 * MINUTE);
    await bus.settled();

    // Assess
    expect(firedInFirstHour).toEqual([
      'every-15@2026-01-01T00:15:00Z',
      'on-the-half-hour@2026-01-01T00:30:00Z',
      'every-15@2026-01-01T00:30:00Z',
      'every-15@2026-01-01T00:45:00Z',
      'every-15@2026-01-01T01:00:00Z',
    ]);
    expect(calls).toHaveLength(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it('arms a scheduled rule added while schedules run', async () => {
    // Prepare
    const { clock, bus, calls } = harness();
    bus.startSchedules();
    bus.addRule(rule('late', { eventPattern: undefined, scheduleExpression: 'rate(1 hour)' }));

    // Act
    clock.advance(60 * MINUTE);
    await bus.settled();

    // Assess
    expect(calls.map((call) => call.event.time)).toEqual(['2026-01-01T01:00:00Z']);
    bus.stopSchedules();
  });
});

describe('LocalEventBus rule validation and queries', () => {
  it('rejects an empty pattern and names the rule', () => {
    // Prepare
    const { bus } = harness();

    // Act
    const act = () => bus.addRule(rule('empty', { eventPattern: {} }));

    // Assess
    expect(act).toThrow(InvalidEventPatternError);
    expect(act).toThrow('Rule "empty": Invalid event pattern at (root): an empty pattern {} is not allowed');
  });

  it('rejects a bad pattern at add time with its path', () => {
    // Prepare
    const { bus } = harness();

    // Act
    const act = () => bus.addRule(rule('bad', { eventPattern: { detail: { state: [{ 'begins-with': 'x' }] } } }));

    // Assess
    expect(act).toThrow('Rule "bad": Invalid event pattern at detail.state: unknown operator "begins-with"');
  });

  it('rejects a schedule on a custom bus and an invalid schedule', () => {
    // Prepare
    const { bus } = harness();

    // Act
    const onCustomBus = () =>
      bus.addRule(
        rule('sched', { eventBusName: 'ops-bus', eventPattern: undefined, scheduleExpression: 'rate(1 hour)' }),
      );
    const invalid = () => bus.addRule(rule('sched', { eventPattern: undefined, scheduleExpression: 'rate(1 hours)' }));

    // Assess
    expect(onCustomBus).toThrow(InvalidScheduleExpressionError);
    expect(onCustomBus).toThrow('only supported on the default event bus');
    expect(invalid).toThrow('Rule "sched": Invalid schedule expression "rate(1 hours)"');
  });

  it('rejects an invalid target input and names rule and target', () => {
    // Prepare
    const { bus } = harness();

    // Act
    const act = () => bus.addRule(rule('bad-input', { targets: [{ id: 't1', arn: 'arn:t', InputPath: 'detail' }] }));

    // Assess
    expect(act).toThrow(InvalidInputTransformerError);
    expect(act).toThrow('Rule "bad-input", target "t1": Invalid target input at InputPath');
  });

  it('fireScheduledRule on an unknown rule says which rules exist', () => {
    // Prepare
    const { bus } = harness();
    bus.addRule(rule('restore'));

    // Act
    const act = () => bus.fireScheduledRule('nope');

    // Assess
    expect(act).toThrow(RuleNotFoundError);
    expect(act).toThrow('rules on that bus: "restore"');
  });

  it('lists rules by bus and prefix, and replaces a rule added twice', () => {
    // Prepare
    const { bus } = harness();
    bus.addRule(rule('restore-orders'));
    bus.addRule(rule('restore-users', { eventBusName: 'ops-bus' }));
    bus.addRule(rule('audit'));
    bus.addRule(rule('restore-orders', { state: 'DISABLED' }));

    // Act
    const restoreOnDefault = bus.listRules({ eventBusName: 'default', namePrefix: 'restore' });

    // Assess
    expect(restoreOnDefault.map((spec) => [spec.name, spec.state])).toEqual([['restore-orders', 'DISABLED']]);
    expect(bus.listRules()).toHaveLength(3);
  });

  it('testEventPattern answers like aws events test-event-pattern', () => {
    // Prepare
    const { bus } = harness();
    const event = JSON.stringify({ source: 'aws.rds', detail: { EventID: 'RDS-EVENT-0049' } });

    // Act / Assess
    expect(bus.testEventPattern('{"source":["aws.rds"],"detail":{"EventID":[{"prefix":"RDS-EVENT-00"}]}}', event)).toBe(
      true,
    );
    expect(bus.testEventPattern({ source: ['aws.ec2'] }, event)).toBe(false);
    expect(() => bus.testEventPattern({ source: 'aws.rds' }, event)).toThrow(InvalidEventPatternError);
  });
});

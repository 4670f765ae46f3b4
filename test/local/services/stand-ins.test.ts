import { VirtualClock } from '../../../local/clock';
import {
  createCostExplorerStandIn,
  createServiceStandIns,
  type PutEventsDelivery,
  seedFleet,
} from '../../../local/services';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:rds-ops-alerts';

function prepare(options: { topics?: string[] } = {}) {
  const clock = new VirtualClock({ autoAdvance: false });
  const delivered: PutEventsDelivery[] = [];
  const standIns = createServiceStandIns({
    clock,
    onPutEvents: (deliveries) => {
      delivered.push(...deliveries);
    },
    fleet: seedFleet({ seed: 5, count: 12 }),
    topics: options.topics,
  });
  return { clock, delivered, ...standIns };
}

describe('createServiceStandIns', () => {
  it('binds every action under its aws-sdk resource ARN spelling', async () => {
    // Prepare
    const { actions } = prepare();

    // Act
    const result = (await actions['rds:describeDBInstances']({ MaxRecords: 20 })) as { DbInstances: unknown[] };

    // Assess
    expect(Object.keys(actions).sort()).toEqual([
      'applicationautoscaling:describeScalableTargets',
      'applicationautoscaling:describeScalingPolicies',
      'applicationautoscaling:putScalingPolicy',
      'applicationautoscaling:registerScalableTarget',
      'cloudwatch:putMetricData',
      'costexplorer:getCostAndUsage',
      'costexplorer:getCostAndUsageWithResources',
      'eventbridge:describeRule',
      'eventbridge:disableRule',
      'eventbridge:enableRule',
      'eventbridge:putEvents',
      'events:putEvents',
      'rds:describeDBInstances',
      'sns:publish',
    ]);
    expect(result.DbInstances).toHaveLength(12);
  });
});

describe('SNS stand-in', () => {
  it('publishes, answers a MessageId and keeps the message', async () => {
    // Prepare
    const { sns, clock } = prepare();
    clock.advance(60_000);

    // Act
    const result = await sns.publish({ TopicArn: TOPIC, Message: 'db down', Subject: 'alert' });

    // Assess
    expect(result.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sns.published).toEqual([
      { messageId: result.MessageId, topicArn: TOPIC, message: 'db down', subject: 'alert', at: clock.now() },
    ]);
    expect(sns.calls).toHaveLength(1);
  });

  it('answers NotFound for a topic that does not exist and InvalidParameter for a missing message', async () => {
    // Prepare
    const { sns } = prepare({ topics: [TOPIC] });

    // Act
    const missingTopic = sns.publish({ TopicArn: `${TOPIC}-other`, Message: 'x' });
    const missingMessage = sns.publish({ TopicArn: TOPIC });

    // Assess
    await expect(missingTopic).rejects.toMatchObject({ name: 'NotFound', statusCode: 404 });
    await expect(missingMessage).rejects.toMatchObject({ name: 'InvalidParameter', statusCode: 400 });
  });
});

describe('CloudWatch stand-in', () => {
  it('stores datapoints and aggregates them per period and dimensions', async () => {
    // Prepare
    const { cloudwatch, clock } = prepare();
    const dimensions = [{ Name: 'Workflow', Value: 'inventory' }];
    const start = clock.now();

    // Act
    await cloudwatch.putMetricData({
      Namespace: 'RdsOps',
      MetricData: [
        { MetricName: 'InstancesSeen', Dimensions: dimensions, Value: 10, Unit: 'Count' },
        { MetricName: 'InstancesSeen', Dimensions: [], Value: 99, Unit: 'Count' },
      ],
    });
    clock.advance(61_000);
    await cloudwatch.putMetricData({
      Namespace: 'RdsOps',
      MetricData: [
        { MetricName: 'InstancesSeen', Dimensions: dimensions, Values: [4, 6], Counts: [1, 2], Unit: 'Count' },
      ],
    });
    const stats = cloudwatch.getMetricStatistics({
      Namespace: 'RdsOps',
      MetricName: 'InstancesSeen',
      Dimensions: dimensions,
      StartTime: start,
      EndTime: start + 300_000,
      Period: 60,
      Statistics: ['Sum', 'SampleCount', 'Maximum'],
    });

    // Assess
    expect(stats.Datapoints).toEqual([
      { Timestamp: '2026-01-01T00:00:00.000Z', Unit: 'Count', Sum: 10, SampleCount: 1, Maximum: 10 },
      { Timestamp: '2026-01-01T00:01:00.000Z', Unit: 'Count', Sum: 16, SampleCount: 3, Maximum: 6 },
    ]);
  });

  it('rejects the reserved AWS/ namespace and stores nothing from a rejected call', async () => {
    // Prepare
    const { cloudwatch } = prepare();

    // Act
    const reserved = cloudwatch.putMetricData({ Namespace: 'AWS/RDS', MetricData: [{ MetricName: 'X', Value: 1 }] });
    const partlyBad = cloudwatch.putMetricData({
      Namespace: 'RdsOps',
      MetricData: [{ MetricName: 'X', Value: 1 }, { Value: 2 }],
    });

    // Assess
    await expect(reserved).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(partlyBad).rejects.toMatchObject({ name: 'MissingParameter' });
    expect(cloudwatch.datapoints).toEqual([]);
  });
});

describe('EventBridge stand-in', () => {
  it('forwards accepted entries and reports failed ones per entry', async () => {
    // Prepare
    const { eventbridge, delivered, clock } = prepare();
    clock.advance(1234);

    // Act
    const result = await eventbridge.putEvents({
      Entries: [
        { Source: 'rds-ops.inventory', DetailType: 'Fleet scanned', Detail: '{"count":12}', EventBusName: 'ops' },
        { Source: 'rds-ops.inventory', DetailType: 'Broken', Detail: 'not json' },
      ],
    });

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0]).toEqual({ EventId: expect.any(String) });
    expect(result.Entries[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(delivered).toEqual([
      {
        eventBusName: 'ops',
        event: expect.objectContaining({
          id: (result.Entries[0] as { EventId: string }).EventId,
          source: 'rds-ops.inventory',
          'detail-type': 'Fleet scanned',
          time: '2026-01-01T00:00:01Z',
          detail: { count: 12 },
        }),
      },
    ]);
  });

  it('rejects more than 10 entries as a whole', async () => {
    // Prepare
    const { eventbridge, delivered } = prepare();
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };

    // Act
    const result = eventbridge.putEvents({ Entries: Array(11).fill(entry) });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ValidationException' });
    expect(delivered).toEqual([]);
  });
});

describe('Cost Explorer stand-in', () => {
  it('answers seeded daily costs grouped by service, the same on every call', async () => {
    // Prepare
    const { costExplorer, clock } = prepare();
    clock.advanceTo(Date.parse('2026-01-10T12:00:00Z'));
    const params = {
      TimePeriod: { Start: '2026-01-01', End: '2026-01-04' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    };

    // Act
    const first = await costExplorer.getCostAndUsage(params);
    const second = await costExplorer.getCostAndUsage(params);

    // Assess
    expect(second).toEqual(first);
    expect(first.ResultsByTime.map((result) => result.TimePeriod)).toEqual([
      { Start: '2026-01-01', End: '2026-01-02' },
      { Start: '2026-01-02', End: '2026-01-03' },
      { Start: '2026-01-03', End: '2026-01-04' },
    ]);
    const day = first.ResultsByTime[0];
    expect(day.Groups.map((group) => group.Keys)).toEqual([
      ['Amazon Relational Database Service'],
      ['AmazonCloudWatch'],
    ]);
    const expectedRds = costExplorer
      .dailyCosts('2026-01-01')
      .filter((line) => line.service === 'Amazon Relational Database Service')
      .reduce((sum, line) => sum + line.amount, 0);
    expect(Number(day.Groups[0].Metrics.UnblendedCost.Amount)).toBeCloseTo(expectedRds, 6);
    expect(day.Groups[0].Metrics.UnblendedCost.Unit).toBe('USD');
    expect(day.Estimated).toBe(false);
  });

  it('groups by tag with the tagKey$value key and splits MONTHLY periods at month ends', async () => {
    // Prepare
    const { costExplorer, clock } = prepare();
    clock.advanceTo(Date.parse('2026-03-01T00:00:00Z'));

    // Act
    const result = await costExplorer.getCostAndUsage({
      TimePeriod: { Start: '2026-01-15', End: '2026-02-10' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'env' }],
    });

    // Assess
    expect(result.ResultsByTime.map((period) => period.TimePeriod)).toEqual([
      { Start: '2026-01-15', End: '2026-02-01' },
      { Start: '2026-02-01', End: '2026-02-10' },
    ]);
    const keys = result.ResultsByTime[0].Groups.map((group) => group.Keys[0]);
    expect(keys.sort()).toEqual(['env$dev', 'env$prod', 'env$staging']);
  });

  /** A stand-in paging at 5 groups, so the 12-instance fleet spans pages. */
  const paged = () => {
    const clock = new VirtualClock({ autoAdvance: false });
    const fleet = seedFleet({ seed: 5, count: 12 });
    return { clock, costExplorer: createCostExplorerStandIn({ clock, fleet: () => fleet, pageSize: 5 }) };
  };
  const resourceQuery = (overrides: Record<string, unknown> = {}) => ({
    TimePeriod: { Start: '2026-01-09', End: '2026-01-10' },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Relational Database Service'] } },
    GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
    ...overrides,
  });

  it('answers costs per resource ARN with resources, page by page, every group once', async () => {
    // Prepare
    const { costExplorer, clock } = paged();
    clock.advanceTo(Date.parse('2026-01-10T12:00:00Z'));

    // Act
    const pages = [await costExplorer.getCostAndUsageWithResources(resourceQuery())];
    while (pages.at(-1)!.NextPageToken) {
      pages.push(
        await costExplorer.getCostAndUsageWithResources(resourceQuery({ NextPageToken: pages.at(-1)!.NextPageToken })),
      );
    }

    // Assess
    const keys = pages.flatMap((page) =>
      page.ResultsByTime.flatMap((day) => day.Groups.map((group) => group.Keys[0]!)),
    );
    const lines = costExplorer
      .dailyCosts('2026-01-09')
      .filter((line) => line.service === 'Amazon Relational Database Service');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((page) => page.ResultsByTime.flatMap((day) => day.Groups).length <= 5)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(lines.map((line) => line.resourceId).sort());
    expect(keys.some((key) => key.includes(':cluster:'))).toBe(true);
    expect(keys.every((key) => key.startsWith('arn:aws:rds:'))).toBe(true);
  });

  it('refuses what AWS refuses with resources: no RESOURCE_ID, older than 14 days, a bad or foreign token', async () => {
    // Prepare
    const { costExplorer, clock } = paged();
    clock.advanceTo(Date.parse('2026-01-20T12:00:00Z'));
    const first = await costExplorer.getCostAndUsageWithResources(
      resourceQuery({ TimePeriod: { Start: '2026-01-18', End: '2026-01-19' } }),
    );

    // Act
    const refusal = (params: Record<string, unknown>, withResources = true) =>
      (withResources ? costExplorer.getCostAndUsageWithResources(params) : costExplorer.getCostAndUsage(params)).then(
        () => undefined,
        (error: unknown) => error,
      );
    const day = { Start: '2026-01-18', End: '2026-01-19' };
    const refusals = [
      await refusal(resourceQuery({ TimePeriod: day, GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] })),
      await refusal(resourceQuery({ TimePeriod: { Start: '2026-01-05', End: '2026-01-06' } })),
      await refusal(resourceQuery({ TimePeriod: day, NextPageToken: 'not-a-token' })),
      await refusal(
        resourceQuery({ TimePeriod: { Start: '2026-01-17', End: '2026-01-18' }, NextPageToken: first.NextPageToken }),
      ),
      await refusal(resourceQuery({ TimePeriod: day }), false),
    ];

    // Assess
    expect(first.NextPageToken).toEqual(expect.any(String));
    expect(refusals).toEqual([
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('RESOURCE_ID') }),
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('last 14 days') }),
      expect.objectContaining({ name: 'InvalidNextTokenException' }),
      expect.objectContaining({ name: 'RequestChangedException' }),
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('Unsupported GroupBy') }),
    ]);
  });

  it('rejects a period whose start is not before its end', async () => {
    // Prepare
    const { costExplorer } = prepare();

    // Act
    const result = costExplorer.getCostAndUsage({
      TimePeriod: { Start: '2026-01-05', End: '2026-01-05' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
    });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ValidationException', service: 'costexplorer' });
  });
});

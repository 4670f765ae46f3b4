import { VirtualClock } from '../../../local/clock';
import { createCloudWatchStandIn } from '../../../local/services/cloudwatch';

const emf = (document: object) => JSON.stringify(document);
const powertoolsLine = {
  _aws: {
    Timestamp: 1_700_000_000_000,
    CloudWatchMetrics: [
      {
        Namespace: 'RdsOps/Handlers',
        Dimensions: [['service', 'ErrorName'], ['service']],
        Metrics: [{ Name: 'HandlerErrors', Unit: 'Count' }],
      },
    ],
  },
  service: 'inventory-refresh',
  ErrorName: 'ThrottledError',
  HandlerErrors: [1, 1, 1],
};

describe('EMF ingestion in the CloudWatch stand-in', () => {
  it('extracts every value, once per dimension set, stamped with the runtime clock', () => {
    const clock = new VirtualClock({ startAt: Date.parse('2026-03-01T12:00:00Z') });
    const cloudwatch = createCloudWatchStandIn({ clock });

    const extraction = cloudwatch.ingestEmf(emf(powertoolsLine), { logGroup: '/aws/lambda/f' });

    expect(extraction?.rejected).toBeUndefined();
    expect(extraction?.datapoints).toHaveLength(6);
    const query = {
      Namespace: 'RdsOps/Handlers',
      MetricName: 'HandlerErrors',
      Period: 60,
      Statistics: ['Sum', 'SampleCount'] as const,
    };
    const window = { StartTime: clock.now() - 1000, EndTime: clock.now() + 1000 };
    expect(
      cloudwatch.getMetricStatistics({
        ...query,
        ...window,
        Statistics: [...query.Statistics],
        Dimensions: [
          { Name: 'service', Value: 'inventory-refresh' },
          { Name: 'ErrorName', Value: 'ThrottledError' },
        ],
      }).Datapoints,
    ).toEqual([expect.objectContaining({ Sum: 3, SampleCount: 3 })]);
    expect(
      cloudwatch.getMetricStatistics({
        ...query,
        ...window,
        Statistics: ['Sum'],
        Dimensions: [{ Name: 'service', Value: 'inventory-refresh' }],
      }).Datapoints,
    ).toEqual([expect.objectContaining({ Sum: 3 })]);
  });

  it('leaves ordinary log lines alone', () => {
    const cloudwatch = createCloudWatchStandIn({ clock: new VirtualClock() });

    expect(cloudwatch.ingestEmf('{"level":"INFO","message":"hello"}')).toBeUndefined();
    expect(cloudwatch.ingestEmf('plain text')).toBeUndefined();
    expect(cloudwatch.datapoints).toEqual([]);
  });

  it.each([
    ['a missing Timestamp', { ...powertoolsLine, _aws: { ...powertoolsLine._aws, Timestamp: undefined } }, /Timestamp/],
    ['a missing value', { ...powertoolsLine, HandlerErrors: undefined }, /HandlerErrors: the value/],
    ['a non-string dimension', { ...powertoolsLine, ErrorName: 42 }, /dimension ErrorName/],
    [
      'an unknown unit',
      {
        ...powertoolsLine,
        _aws: {
          ...powertoolsLine._aws,
          CloudWatchMetrics: [
            { ...powertoolsLine._aws.CloudWatchMetrics[0], Metrics: [{ Name: 'HandlerErrors', Unit: 'Things' }] },
          ],
        },
      },
      /unit Things/,
    ],
    ['too many values', { ...powertoolsLine, HandlerErrors: Array(101).fill(1) }, /1 to 100 numbers/],
  ])('extracts nothing from a document with %s, and records why', (_case, document, reason) => {
    const cloudwatch = createCloudWatchStandIn({ clock: new VirtualClock() });

    const extraction = cloudwatch.ingestEmf(emf(document), { logGroup: '/aws/lambda/f' });

    expect(extraction).toEqual({ datapoints: [], rejected: expect.stringMatching(reason) });
    expect(cloudwatch.datapoints).toEqual([]);
    expect(cloudwatch.emfRejections).toEqual([{ logGroup: '/aws/lambda/f', reason: expect.stringMatching(reason) }]);
  });
});

/**
 * The local CloudWatch alarm evaluation against the AWS docs: M out of N periods, the four missing-data
 * treatments, metric math, and CloudWatch's reason wording and reasonData.
 */
import { evaluateAlarm } from '../../../local/alarms/alarm-evaluation';
import { type AlarmModel, alarmModelFrom } from '../../../local/alarms/alarm-model';
import { parseMetricExpression } from '../../../local/alarms/metric-math';
import type { StoredDatapoint } from '../../../local/services/cloudwatch';

const MINUTE = 60_000;
const NOW = Date.parse('2026-11-30T09:12:30.000Z');
const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:violations';
const DIMENSIONS = [{ Name: 'TableName', Value: 'health-alerts' }];

function alarm(props: Record<string, unknown> = {}): AlarmModel {
  return alarmModelFrom('violations', ARN, {
    Namespace: 'RdsOps/DataIntegrity',
    MetricName: 'IntegrityViolations',
    Dimensions: DIMENSIONS,
    Statistic: 'Maximum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    ...props,
  });
}

function point(at: number, value: number, metricName = 'IntegrityViolations'): StoredDatapoint {
  return {
    namespace: 'RdsOps/DataIntegrity',
    metricName,
    dimensions: DIMENSIONS,
    timestamp: at,
    unit: 'Count',
    sampleCount: 1,
    sum: value,
    minimum: value,
    maximum: value,
  };
}

describe('evaluateAlarm', () => {
  it('alarms when the current period breaches, with CloudWatch wording and reason data', () => {
    // Act
    const result = evaluateAlarm(alarm(), [point(NOW - 2 * MINUTE, 3)], NOW, 'OK');

    // Assess
    expect(result.state).toBe('ALARM');
    expect(result.reason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoint [3.0 (30/11/26 09:10:00)] was greater than or equal to the ' +
        'threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
    expect(JSON.parse(result.reasonData)).toEqual({
      version: '1.0',
      queryDate: '2026-11-30T09:12:30.000+0000',
      startDate: '2026-11-30T09:10:00.000+0000',
      statistic: 'Maximum',
      period: 300,
      recentDatapoints: [3],
      threshold: 1,
      evaluatedDatapoints: [{ timestamp: '2026-11-30T09:10:00.000+0000', sampleCount: 1, value: 3 }],
    });
  });

  it('ignores datapoints of other dimensions and of periods outside the evaluation range', () => {
    // Prepare
    const elsewhere = { ...point(NOW - MINUTE, 9), dimensions: [{ Name: 'TableName', Value: 'audit-log' }] };

    // Act
    const result = evaluateAlarm(alarm(), [point(NOW - 6 * MINUTE, 9), elsewhere], NOW, 'ALARM');

    // Assess: the only datapoint of this metric is in the previous period, so the current one is missing
    expect(result.state).toBe('OK');
  });

  it('needs M breaching datapoints out of N', () => {
    // Prepare
    const twoOfThree = alarm({ EvaluationPeriods: 3, DatapointsToAlarm: 2, Period: 60 });
    const one = [point(NOW, 5), point(NOW - MINUTE, 0), point(NOW - 2 * MINUTE, 0)];
    const two = [point(NOW, 5), point(NOW - MINUTE, 0), point(NOW - 2 * MINUTE, 5)];

    // Act / Assess
    expect(evaluateAlarm(twoOfThree, one, NOW, 'OK').state).toBe('OK');
    expect(evaluateAlarm(twoOfThree, two, NOW, 'OK').state).toBe('ALARM');
  });

  it.each([
    ['missing', 'OK', 'INSUFFICIENT_DATA'],
    ['ignore', 'ALARM', 'ALARM'],
    ['notBreaching', 'ALARM', 'OK'],
    ['breaching', 'OK', 'ALARM'],
  ])('treats an evaluation range without data as %s says (from %s to %s)', (treatment, before, after) => {
    const result = evaluateAlarm(alarm({ TreatMissingData: treatment }), [], NOW, before as 'OK');
    expect(result.state).toBe(after);
  });

  it('says how many datapoints were unknown when there are none', () => {
    const result = evaluateAlarm(alarm({ TreatMissingData: 'missing', EvaluationPeriods: 5 }), [], NOW, 'OK');
    expect(result.reason).toBe('Insufficient Data: 5 datapoints were unknown.');
  });

  it('evaluates metric math: FILL makes missing throttling datapoints zero, so the sum stays OK', () => {
    // Prepare
    const metric = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'RdsOps/DataIntegrity', MetricName: name, Dimensions: DIMENSIONS },
        Period: 300,
        Stat: 'Sum',
      },
    });
    const math = alarm({
      Namespace: undefined,
      MetricName: undefined,
      Statistic: undefined,
      Period: undefined,
      Metrics: [
        { Id: 'expr_1', Expression: 'FILL(reads, 0) + FILL(writes, 0)', ReturnData: true },
        metric('reads', 'Reads'),
        metric('writes', 'Writes'),
      ],
    });

    // Act
    const quiet = evaluateAlarm(math, [], NOW, 'INSUFFICIENT_DATA');
    const throttled = evaluateAlarm(math, [point(NOW - MINUTE, 2, 'Writes')], NOW, 'OK');

    // Assess
    expect(math.unsupported).toBeUndefined();
    expect(quiet.state).toBe('OK');
    expect(throttled.state).toBe('ALARM');
  });

  it('marks alarms it cannot evaluate instead of guessing', () => {
    expect(alarm({ Statistic: undefined, ExtendedStatistic: 'p99' }).unsupported).toContain('p99');
    expect(
      alarm({ Metrics: [{ Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(m, 2)', ReturnData: true }] }).unsupported,
    ).toContain('ANOMALY_DETECTION_BAND');
  });
});

describe('parseMetricExpression', () => {
  it('applies precedence, unary minus, parentheses and series functions point by point', () => {
    // Prepare
    const series = { a: [1, 2, undefined], b: [10, undefined, 30] };

    // Act / Assess
    expect(parseMetricExpression('a + b * 2').evaluate(series, 3)).toEqual([21, undefined, undefined]);
    expect(parseMetricExpression('-(a - FILL(b, 0)) / 2').evaluate(series, 3)).toEqual([4.5, -1, undefined]);
    expect(parseMetricExpression('MAX([a, b])').evaluate(series, 3)).toEqual([10, 2, 30]);
    expect(parseMetricExpression('a / 0').evaluate(series, 3)).toEqual([undefined, undefined, undefined]);
    expect(parseMetricExpression('FILL(a, 0) + b').ids).toEqual(['a', 'b']);
  });

  it('refuses what it does not implement, naming it', () => {
    expect(() => parseMetricExpression('RATE(m1)')).toThrow(/function RATE is not supported/);
    expect(() => parseMetricExpression('FILL(m1, REPEAT)')).toThrow(/unexpected "REPEAT"/);
    expect(() => parseMetricExpression('m1 % 2')).toThrow(/unexpected "%"/);
  });
});

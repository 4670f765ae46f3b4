/**
 * One evaluation of a metric alarm, as CloudWatch describes it: the last `evaluationPeriods` periods (aligned to
 * the period, the newest being the current, possibly partial one) are aggregated with the alarm's statistic or
 * metric math, compared with the threshold, missing periods treated as configured, and the alarm is in ALARM
 * when at least `datapointsToAlarm` of them breach. The reason and reason data follow CloudWatch's wording.
 */
import type { StoredDatapoint } from '../services/cloudwatch';
import type { AlarmModel, AlarmStatistic, ComparisonOperator, MetricStat } from './alarm-model';
import { parseMetricExpression, type Series } from './metric-math';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface EvaluatedDatapoint {
  /** Start of the period, epoch ms. */
  readonly timestamp: number;
  readonly value?: number;
  readonly sampleCount?: number;
}

export interface AlarmEvaluation {
  readonly state: AlarmStateValue;
  readonly reason: string;
  /** JSON text, as in `detail.state.reasonData`. */
  readonly reasonData: string;
  readonly datapoints: readonly EvaluatedDatapoint[];
}

const COMPARISON_TEXT: Readonly<Record<ComparisonOperator, string>> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Evaluates `alarm` at `now` over `datapoints`; `current` is its state before (used by `ignore`). */
export function evaluateAlarm(
  alarm: AlarmModel,
  datapoints: readonly StoredDatapoint[],
  now: number,
  current: AlarmStateValue,
): AlarmEvaluation {
  const periodMs = alarm.period * 1000;
  const newest = Math.floor(now / periodMs) * periodMs;
  const starts = Array.from(
    { length: alarm.evaluationPeriods },
    (_, index) => newest - (alarm.evaluationPeriods - 1 - index) * periodMs,
  );
  const { values, sampleCounts } = seriesOf(alarm, datapoints, starts, periodMs);
  const evaluated: EvaluatedDatapoint[] = starts.map((timestamp, index) => ({
    timestamp,
    ...(values[index] !== undefined && { value: values[index] }),
    ...(sampleCounts[index] !== undefined && { sampleCount: sampleCounts[index] }),
  }));

  const present = evaluated.filter((point) => point.value !== undefined);
  const missing = evaluated.length - present.length;
  const breaching =
    present.filter((point) => breaches(alarm.comparisonOperator, point.value!, alarm.threshold)).length +
    (alarm.treatMissingData === 'breaching' ? missing : 0);
  const reasonData = reasonDataOf(alarm, now, starts[0], present, evaluated);

  if (present.length === 0 && (alarm.treatMissingData === 'missing' || alarm.treatMissingData === 'ignore')) {
    const state = alarm.treatMissingData === 'ignore' ? current : 'INSUFFICIENT_DATA';
    const reason = `Insufficient Data: ${missing} datapoint${missing === 1 ? ' was' : 's were'} unknown.`;
    return { state, reason, reasonData, datapoints: evaluated };
  }
  const state: AlarmStateValue = breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
  const considered = alarm.treatMissingData === 'notBreaching' || alarm.treatMissingData === 'breaching';
  const counted = considered ? evaluated.length : present.length;
  const shown = present
    .slice()
    .reverse()
    .map((point) => `${javaNumber(point.value!)} (${reasonTime(point.timestamp)})`)
    .join(', ');
  const direction = state === 'ALARM' ? '' : 'not ';
  const reason =
    `Threshold Crossed: ${state === 'ALARM' ? breaching : counted - breaching} out of the last ${counted} ` +
    `datapoint${counted === 1 ? '' : 's'} [${shown}] ${counted === 1 ? 'was' : 'were'} ${direction}` +
    `${COMPARISON_TEXT[alarm.comparisonOperator]} the threshold (${javaNumber(alarm.threshold)}) (minimum ` +
    `${alarm.datapointsToAlarm} datapoint${alarm.datapointsToAlarm === 1 ? '' : 's'} for ` +
    `${state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`;
  return { state, reason, reasonData, datapoints: evaluated };
}

export function breaches(operator: ComparisonOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

function seriesOf(
  alarm: AlarmModel,
  datapoints: readonly StoredDatapoint[],
  starts: readonly number[],
  periodMs: number,
): { values: Series; sampleCounts: Series } {
  const metricSeries: Record<string, Series> = {};
  const counts: Record<string, Series> = {};
  for (const query of alarm.queries) {
    if (!query.metricStat) continue;
    const buckets = starts.map((start) => pointsOf(query.metricStat!, datapoints, start, start + periodMs));
    metricSeries[query.id] = buckets.map((points) => statistic(query.metricStat!.statistic, points));
    counts[query.id] = buckets.map((points) => (points.length === 0 ? undefined : sampleCountOf(points)));
  }
  const returned = alarm.queries.find((query) => query.returnData)!;
  if (returned.metricStat) return { values: metricSeries[returned.id], sampleCounts: counts[returned.id] };
  const series: Record<string, Series> = { ...metricSeries };
  // Expressions may read other expressions: evaluate them in dependency order.
  const pending = alarm.queries.filter((query) => query.expression !== undefined);
  while (pending.length > 0) {
    const ready = pending.findIndex((query) =>
      parseMetricExpression(query.expression!).ids.every((id) => series[id] !== undefined),
    );
    if (ready < 0) break;
    const [query] = pending.splice(ready, 1);
    series[query.id] = parseMetricExpression(query.expression!).evaluate(series, starts.length);
  }
  return { values: series[returned.id] ?? starts.map(() => undefined), sampleCounts: starts.map(() => undefined) };
}

function pointsOf(metric: MetricStat, datapoints: readonly StoredDatapoint[], from: number, to: number) {
  return datapoints.filter(
    (point) =>
      point.namespace === metric.namespace &&
      point.metricName === metric.metricName &&
      point.timestamp >= from &&
      point.timestamp < to &&
      sameDimensions(point.dimensions, metric.dimensions),
  );
}

function statistic(name: AlarmStatistic, points: readonly StoredDatapoint[]): number | undefined {
  if (points.length === 0) return undefined;
  const sampleCount = sampleCountOf(points);
  const sum = points.reduce((total, point) => total + point.sum, 0);
  switch (name) {
    case 'SampleCount':
      return sampleCount;
    case 'Sum':
      return sum;
    case 'Average':
      return sampleCount === 0 ? undefined : sum / sampleCount;
    case 'Minimum':
      return Math.min(...points.map((point) => point.minimum));
    case 'Maximum':
      return Math.max(...points.map((point) => point.maximum));
  }
}

function sampleCountOf(points: readonly StoredDatapoint[]): number {
  return points.reduce((total, point) => total + point.sampleCount, 0);
}

/** CloudWatch treats each exact set of dimensions as its own metric. */
function sameDimensions(a: readonly { Name: string; Value: string }[], b: readonly { Name: string; Value: string }[]) {
  return (
    a.length === b.length &&
    a.every((dimension) => b.some((o) => o.Name === dimension.Name && o.Value === dimension.Value))
  );
}

function reasonDataOf(
  alarm: AlarmModel,
  now: number,
  startDate: number,
  present: readonly EvaluatedDatapoint[],
  evaluated: readonly EvaluatedDatapoint[],
): string {
  const single = alarm.queries.length === 1 ? alarm.queries[0].metricStat : undefined;
  return JSON.stringify({
    version: '1.0',
    queryDate: cloudWatchTimestamp(now),
    startDate: cloudWatchTimestamp(startDate),
    ...(single && { statistic: single.statistic, period: single.period }),
    recentDatapoints: present
      .slice()
      .reverse()
      .map((point) => point.value),
    threshold: alarm.threshold,
    evaluatedDatapoints: evaluated
      .slice()
      .reverse()
      .map((point) => ({
        timestamp: cloudWatchTimestamp(point.timestamp),
        ...(point.sampleCount !== undefined && { sampleCount: point.sampleCount }),
        ...(point.value !== undefined && { value: point.value }),
      })),
  });
}

/** CloudWatch's event timestamps: `2019-10-02T17:04:40.989+0000`. */
export function cloudWatchTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** `(02/10/19 16:59:00)` in reasons: day/month/two-digit year, UTC. */
function reasonTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
}

/** Numbers as CloudWatch (Java) prints doubles in reasons: `1.0`, `99.5`. */
function javaNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

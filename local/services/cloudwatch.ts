/** CloudWatch stand-in: `putMetricData` stores datapoints; `getMetricStatistics` aggregates them for tests. */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams } from './params';
import { randomUuid, seededRandom } from './seeded-random';

export interface MetricDimension {
  readonly Name: string;
  readonly Value: string;
}

/** One stored datapoint, already reduced to statistics (a single Value is a sample count of 1). */
export interface StoredDatapoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly unit: string;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

export type MetricStatistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';

export interface MetricStatisticsQuery {
  readonly Namespace: string;
  readonly MetricName: string;
  /** Matches datapoints with exactly these dimensions (CloudWatch treats each combination as its own metric). */
  readonly Dimensions?: readonly MetricDimension[];
  readonly StartTime: number | string | Date;
  readonly EndTime: number | string | Date;
  /** Seconds. */
  readonly Period: number;
  readonly Statistics: readonly MetricStatistic[];
}

export interface MetricStatisticsDatapoint {
  readonly Timestamp: string;
  readonly Unit: string;
  readonly SampleCount?: number;
  readonly Average?: number;
  readonly Sum?: number;
  readonly Minimum?: number;
  readonly Maximum?: number;
}

export interface CloudWatchStandIn {
  putMetricData(params: unknown): Promise<Record<string, never>>;
  getMetricStatistics(query: MetricStatisticsQuery): { Label: string; Datapoints: MetricStatisticsDatapoint[] };
  readonly datapoints: readonly StoredDatapoint[];
  readonly calls: readonly RecordedCall[];
}

const PUT_PARAMS = ['Namespace', 'MetricData', 'StrictEntityValidation', 'EntityMetricData'] as const;
const MAX_METRIC_DATA = 1000;
const MAX_DIMENSIONS = 30;

function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function sameDimensions(a: readonly MetricDimension[], b: readonly MetricDimension[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((dimension) => b.some((other) => other.Name === dimension.Name && other.Value === dimension.Value));
}

export function createCloudWatchStandIn(options: { readonly clock: Clock }): CloudWatchStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const random = seededRandom('cloudwatch');
  const stored: StoredDatapoint[] = [];
  const fail = (code: string, message: string) =>
    new ServiceError(code, message, { statusCode: 400, service: 'cloudwatch', requestId: randomUuid(random) });

  const toDatapoints = (namespace: string, datum: Record<string, unknown>, index: number): StoredDatapoint[] => {
    const at = `MetricData.member.${index + 1}`;
    if (typeof datum.MetricName !== 'string' || datum.MetricName.length === 0) {
      throw fail('MissingParameter', `The parameter ${at}.MetricName is required.`);
    }
    const dimensions = (datum.Dimensions ?? []) as MetricDimension[];
    if (!Array.isArray(dimensions) || dimensions.length > MAX_DIMENSIONS) {
      throw fail(
        'InvalidParameterValue',
        `The collection ${at}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`,
      );
    }
    const timestamp = datum.Timestamp === undefined ? options.clock.now() : toEpochMs(datum.Timestamp);
    if (timestamp === undefined)
      throw fail('InvalidParameterValue', `The parameter ${at}.Timestamp must be a timestamp.`);
    const base = {
      namespace,
      metricName: datum.MetricName,
      dimensions: dimensions.map((dimension) => ({ Name: dimension.Name, Value: dimension.Value })),
      timestamp,
      unit: typeof datum.Unit === 'string' ? datum.Unit : 'None',
    };
    if (typeof datum.Value === 'number') {
      return [{ ...base, sampleCount: 1, sum: datum.Value, minimum: datum.Value, maximum: datum.Value }];
    }
    if (Array.isArray(datum.Values)) {
      const counts = Array.isArray(datum.Counts) ? (datum.Counts as number[]) : [];
      return (datum.Values as number[]).map((value, position) => {
        const count = counts[position] ?? 1;
        return { ...base, sampleCount: count, sum: value * count, minimum: value, maximum: value };
      });
    }
    const statistics = datum.StatisticValues as
      | { SampleCount: number; Sum: number; Minimum: number; Maximum: number }
      | undefined;
    if (statistics && typeof statistics === 'object') {
      return [
        {
          ...base,
          sampleCount: statistics.SampleCount,
          sum: statistics.Sum,
          minimum: statistics.Minimum,
          maximum: statistics.Maximum,
        },
      ];
    }
    throw fail('MissingParameter', `One of ${at}.Value, ${at}.Values or ${at}.StatisticValues is required.`);
  };

  return {
    async putMetricData(raw) {
      recorder.record('putMetricData', raw);
      const params = checkParams('cloudwatch:putMetricData', raw, PUT_PARAMS);
      const namespace = params.Namespace;
      if (typeof namespace !== 'string' || namespace.length === 0) {
        throw fail('MissingParameter', 'The parameter Namespace is required.');
      }
      if (namespace.startsWith('AWS/')) {
        throw fail('InvalidParameterValue', `The value ${namespace} for parameter Namespace is invalid.`);
      }
      const metricData = params.MetricData;
      if (!Array.isArray(metricData) || metricData.length === 0) {
        throw fail('MissingParameter', 'The parameter MetricData is required.');
      }
      if (metricData.length > MAX_METRIC_DATA) {
        throw fail(
          'InvalidParameterValue',
          `The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`,
        );
      }
      // Validate everything before storing anything: a rejected call stores no datapoint, as on AWS.
      const datapoints = metricData.flatMap((datum, index) =>
        toDatapoints(namespace, datum as Record<string, unknown>, index),
      );
      stored.push(...datapoints);
      return {};
    },
    getMetricStatistics(query) {
      const start = toEpochMs(query.StartTime) ?? Number.NaN;
      const end = toEpochMs(query.EndTime) ?? Number.NaN;
      const periodMs = query.Period * 1000;
      if (!(end > start) || !(periodMs > 0)) {
        throw new RangeError('getMetricStatistics needs StartTime < EndTime and a positive Period in seconds.');
      }
      const buckets = new Map<number, StoredDatapoint[]>();
      for (const point of stored) {
        if (point.namespace !== query.Namespace || point.metricName !== query.MetricName) continue;
        if (!sameDimensions(point.dimensions, query.Dimensions ?? [])) continue;
        if (point.timestamp < start || point.timestamp >= end) continue;
        const bucket = start + Math.floor((point.timestamp - start) / periodMs) * periodMs;
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), point]);
      }
      const datapoints = [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([bucket, points]) => {
          const sampleCount = points.reduce((total, point) => total + point.sampleCount, 0);
          const sum = points.reduce((total, point) => total + point.sum, 0);
          const all: Record<MetricStatistic, number> = {
            SampleCount: sampleCount,
            Sum: sum,
            Average: sampleCount === 0 ? 0 : sum / sampleCount,
            Minimum: Math.min(...points.map((point) => point.minimum)),
            Maximum: Math.max(...points.map((point) => point.maximum)),
          };
          const chosen = Object.fromEntries(query.Statistics.map((statistic) => [statistic, all[statistic]]));
          return { Timestamp: new Date(bucket).toISOString(), Unit: points[0].unit, ...chosen };
        });
      return { Label: query.MetricName, Datapoints: datapoints };
    },
    get datapoints() {
      return [...stored];
    },
    get calls() {
      return recorder.calls;
    },
  };
}

/**
 * CloudWatch stand-in: `putMetricData` stores datapoints; `ingestEmf` extracts them from embedded metric format
 * log lines, as CloudWatch Logs does for a Lambda function's log group; `getMetricData` (the API) and
 * `getMetricStatistics` (tests) aggregate them, together with the usage metrics the local DynamoDB publishes
 * (`recordServiceMetric`).
 */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { getMetricData, type MetricDataRequest, type MetricDataResult } from './cloudwatch-metric-data';
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

/** What one EMF log line gave: its datapoints, or why CloudWatch would extract none (`rejected`). */
export interface EmfExtraction {
  readonly datapoints: readonly StoredDatapoint[];
  readonly rejected?: string;
}

export interface CloudWatchStandIn {
  putMetricData(params: unknown): Promise<Record<string, never>>;
  /**
   * Extracts the metrics of one log line in embedded metric format. Undefined when the line is not an EMF
   * document (no `_aws` member): it is an ordinary log line.
   */
  ingestEmf(line: string, source?: { readonly logGroup?: string }): EmfExtraction | undefined;
  /** EMF documents that were recognised but invalid (CloudWatch counts them as EMFValidationErrors), newest last. */
  readonly emfRejections: readonly { readonly logGroup?: string; readonly reason: string }[];
  getMetricStatistics(query: MetricStatisticsQuery): { Label: string; Datapoints: MetricStatisticsDatapoint[] };
  /** GetMetricData (MetricStat queries) over every stored datapoint, AWS service metrics included. */
  getMetricData(request: MetricDataRequest): MetricDataResult[];
  /**
   * A datapoint an AWS service publishes itself (AWS/DynamoDB usage): the `AWS/` namespaces PutMetricData refuses,
   * fed by the local services, never by callers.
   */
  recordServiceMetric(datapoint: StoredDatapoint): void;
  /** The datapoints AWS services published (`recordServiceMetric`); `datapoints` holds what callers put. */
  readonly serviceDatapoints: readonly StoredDatapoint[];
  readonly datapoints: readonly StoredDatapoint[];
  readonly calls: readonly RecordedCall[];
}

const PUT_PARAMS = ['Namespace', 'MetricData', 'StrictEntityValidation', 'EntityMetricData'] as const;
const MAX_METRIC_DATA = 1000;
const MAX_DIMENSIONS = 30;
const MAX_EMF_METRICS = 100;
const MAX_EMF_VALUES = 100;
const MAX_EMF_REJECTIONS_KEPT = 100;
const STANDARD_UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

class EmfValidationError extends Error {}

interface MetricDirective {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

/**
 * The datapoints of one EMF document, per the embedded metric format specification: every metric of every
 * directive, once per dimension set, valued from the root member of its name (a number or up to 100 of them).
 * A document breaking the specification yields nothing (EmfValidationError), as CloudWatch extracts nothing.
 */
function emfDatapoints(document: Record<string, unknown>, timestamp: number): StoredDatapoint[] {
  const meta = document._aws as { CloudWatchMetrics?: unknown; Timestamp?: unknown };
  if (typeof meta !== 'object' || meta === null) throw new EmfValidationError('_aws must be an object');
  if (typeof meta.Timestamp !== 'number') throw new EmfValidationError('_aws.Timestamp must be a number');
  if (!Array.isArray(meta.CloudWatchMetrics)) throw new EmfValidationError('_aws.CloudWatchMetrics must be an array');
  return (meta.CloudWatchMetrics as MetricDirective[]).flatMap((directive) => {
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 1024) {
      throw new EmfValidationError('Namespace must be a string of 1 to 1024 characters');
    }
    if (!Array.isArray(directive.Dimensions) || !Array.isArray(directive.Metrics)) {
      throw new EmfValidationError(`${namespace}: Dimensions and Metrics must be arrays`);
    }
    if (directive.Metrics.length > MAX_EMF_METRICS) {
      throw new EmfValidationError(`${namespace}: at most ${MAX_EMF_METRICS} metrics per directive`);
    }
    const dimensionSets = (directive.Dimensions.length === 0 ? [[]] : directive.Dimensions) as unknown[];
    const resolvedSets = dimensionSets.map((set) => {
      if (!Array.isArray(set) || set.length > MAX_DIMENSIONS) {
        throw new EmfValidationError(`${namespace}: a dimension set is an array of at most ${MAX_DIMENSIONS} keys`);
      }
      return set.map((key) => {
        const value = document[key as string];
        if (typeof value !== 'string') throw new EmfValidationError(`dimension ${String(key)} must be a string member`);
        return { Name: key as string, Value: value };
      });
    });
    return (directive.Metrics as { Name?: unknown; Unit?: unknown }[]).flatMap((metric) => {
      if (typeof metric?.Name !== 'string' || metric.Name.length === 0) {
        throw new EmfValidationError(`${namespace}: every metric needs a Name`);
      }
      const unit = metric.Unit ?? 'None';
      if (typeof unit !== 'string' || !STANDARD_UNITS.has(unit)) {
        throw new EmfValidationError(`${metric.Name}: unit ${String(unit)} is not a CloudWatch unit`);
      }
      const raw = document[metric.Name];
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || values.length > MAX_EMF_VALUES || !values.every((v) => Number.isFinite(v))) {
        throw new EmfValidationError(`${metric.Name}: the value must be a number or 1 to ${MAX_EMF_VALUES} numbers`);
      }
      return resolvedSets.flatMap((dimensions) =>
        (values as number[]).map((value) => ({
          namespace,
          metricName: metric.Name as string,
          dimensions,
          timestamp,
          unit,
          sampleCount: 1,
          sum: value,
          minimum: value,
          maximum: value,
        })),
      );
    });
  });
}

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
  /**
   * What AWS services publish themselves (AWS/DynamoDB usage), apart from what callers put, kept as one-minute
   * statistics per metric (as CloudWatch stores them), so a long `local serve` holds one datapoint per minute.
   */
  const serviceStored: StoredDatapoint[] = [];
  const serviceMinutes = new Map<string, number>();
  const emfRejections: { logGroup?: string; reason: string }[] = [];
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
    ingestEmf(line, source) {
      let document: unknown;
      try {
        document = JSON.parse(line);
      } catch {
        return undefined;
      }
      if (typeof document !== 'object' || document === null || !('_aws' in document)) return undefined;
      try {
        // Stamped with the runtime clock: handlers read wall time, which a virtual or scaled clock does not follow.
        const datapoints = emfDatapoints(document as Record<string, unknown>, options.clock.now());
        stored.push(...datapoints);
        return { datapoints };
      } catch (error) {
        if (!(error instanceof EmfValidationError)) throw error;
        emfRejections.push({ ...(source?.logGroup && { logGroup: source.logGroup }), reason: error.message });
        if (emfRejections.length > MAX_EMF_REJECTIONS_KEPT) emfRejections.shift();
        return { datapoints: [], rejected: error.message };
      }
    },
    get emfRejections() {
      return [...emfRejections];
    },
    getMetricStatistics(query) {
      const start = toEpochMs(query.StartTime) ?? Number.NaN;
      const end = toEpochMs(query.EndTime) ?? Number.NaN;
      const periodMs = query.Period * 1000;
      if (!(end > start) || !(periodMs > 0)) {
        throw new RangeError('getMetricStatistics needs StartTime < EndTime and a positive Period in seconds.');
      }
      const buckets = new Map<number, StoredDatapoint[]>();
      for (const point of [...stored, ...serviceStored]) {
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
    getMetricData(request) {
      return getMetricData([...stored, ...serviceStored], request);
    },
    recordServiceMetric(datapoint) {
      const minute = Math.floor(datapoint.timestamp / 60_000) * 60_000;
      const key = JSON.stringify([datapoint.namespace, datapoint.metricName, datapoint.dimensions, minute]);
      const index = serviceMinutes.get(key);
      if (index === undefined) {
        serviceMinutes.set(key, serviceStored.length);
        serviceStored.push({ ...datapoint, timestamp: minute });
        return;
      }
      const known = serviceStored[index]!;
      serviceStored[index] = {
        ...known,
        sampleCount: known.sampleCount + datapoint.sampleCount,
        sum: known.sum + datapoint.sum,
        minimum: Math.min(known.minimum, datapoint.minimum),
        maximum: Math.max(known.maximum, datapoint.maximum),
      };
    },
    get serviceDatapoints() {
      return [...serviceStored];
    },
    get datapoints() {
      return [...stored];
    },
    get calls() {
      return recorder.calls;
    },
  };
}

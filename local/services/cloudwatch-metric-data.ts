/**
 * CloudWatch GetMetricData over the stand-in's datapoints (MetricStat queries: exact dimensions, periods aligned
 * to multiples of the period, the five basic statistics, newest first by default), and the AWS/DynamoDB usage
 * metrics the local DynamoDB publishes, as the service itself publishes them on AWS.
 */
import type { ConsumedCapacity } from '../dynamodb/consumed-capacity';
import type { MetricDimension, MetricStatistic, StoredDatapoint } from './cloudwatch';
import { ServiceError } from './errors';

export interface MetricDataQuery {
  readonly Id: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions?: MetricDimension[];
    };
    readonly Period: number;
    readonly Stat: string;
  };
}

export interface MetricDataRequest {
  readonly MetricDataQueries: readonly MetricDataQuery[];
  /** Epoch milliseconds. */
  readonly StartTime: number;
  readonly EndTime: number;
  readonly ScanBy?: 'TimestampAscending' | 'TimestampDescending';
}

export interface MetricDataResult {
  readonly Id: string;
  readonly Label: string;
  /** Epoch milliseconds. */
  readonly Timestamps: number[];
  readonly Values: number[];
  readonly StatusCode: 'Complete';
}

const STATISTICS: readonly MetricStatistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const ID = /^[a-z][a-zA-Z0-9_]*$/;

export function getMetricData(datapoints: readonly StoredDatapoint[], request: MetricDataRequest): MetricDataResult[] {
  const queries = request.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0) {
    throw invalid('MissingParameter', 'The parameter MetricDataQueries is required.');
  }
  if (queries.length > 500) {
    throw invalid('InvalidParameterValue', 'The collection MetricDataQueries must not have a size greater than 500.');
  }
  if (!(Number.isFinite(request.StartTime) && Number.isFinite(request.EndTime))) {
    throw invalid('MissingParameter', 'The parameters StartTime and EndTime are required.');
  }
  if (request.StartTime >= request.EndTime) {
    throw invalid('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  }
  return queries.filter((query) => query.ReturnData !== false).map((query) => answer(datapoints, query, request));
}

function answer(
  datapoints: readonly StoredDatapoint[],
  query: MetricDataQuery,
  request: MetricDataRequest,
): MetricDataResult {
  if (typeof query.Id !== 'string' || !ID.test(query.Id)) {
    throw invalid(
      'InvalidParameterValue',
      `The value ${String(query.Id)} for parameter MetricDataQueries.member.Id is invalid.`,
    );
  }
  if (query.Expression !== undefined) {
    throw invalid(
      'InvalidParameterValue',
      `Query ${query.Id}: metric math expressions are not supported by the local CloudWatch.`,
    );
  }
  const stat = query.MetricStat;
  if (!stat?.Metric?.Namespace || !stat.Metric.MetricName) {
    throw invalid(
      'MissingParameter',
      `Query ${query.Id} needs MetricStat with Metric.Namespace and Metric.MetricName.`,
    );
  }
  if (!Number.isInteger(stat.Period) || stat.Period < 1 || (stat.Period >= 60 && stat.Period % 60 !== 0)) {
    throw invalid(
      'InvalidParameterValue',
      `Query ${query.Id}: the period must be 1, 5, 10, 30 or a multiple of 60 seconds.`,
    );
  }
  if (!STATISTICS.includes(stat.Stat as MetricStatistic)) {
    throw invalid(
      'InvalidParameterValue',
      `Query ${query.Id}: the statistic ${stat.Stat} is not one of ${STATISTICS.join(', ')} (percentiles are not supported locally).`,
    );
  }
  const periodMs = stat.Period * 1000;
  const buckets = new Map<number, StoredDatapoint[]>();
  const wanted = stat.Metric.Dimensions ?? [];
  for (const point of datapoints) {
    if (point.namespace !== stat.Metric.Namespace || point.metricName !== stat.Metric.MetricName) continue;
    if (!sameDimensions(point.dimensions, wanted)) continue;
    if (point.timestamp < request.StartTime || point.timestamp >= request.EndTime) continue;
    const bucket = Math.floor(point.timestamp / periodMs) * periodMs;
    const points = buckets.get(bucket);
    if (points) points.push(point);
    else buckets.set(bucket, [point]);
  }
  const ascending = request.ScanBy === 'TimestampAscending';
  const ordered = [...buckets.entries()].sort(([a], [b]) => (ascending ? a - b : b - a));
  return {
    Id: query.Id,
    Label: query.Label ?? stat.Metric.MetricName,
    Timestamps: ordered.map(([bucket]) => bucket),
    Values: ordered.map(([, points]) => statistic(points, stat.Stat as MetricStatistic)),
    StatusCode: 'Complete',
  };
}

function statistic(points: readonly StoredDatapoint[], stat: MetricStatistic): number {
  const count = points.reduce((total, point) => total + point.sampleCount, 0);
  const sum = points.reduce((total, point) => total + point.sum, 0);
  switch (stat) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? 0 : sum / count;
    case 'Minimum':
      return Math.min(...points.map((point) => point.minimum));
    case 'Maximum':
      return Math.max(...points.map((point) => point.maximum));
  }
}

function sameDimensions(a: readonly MetricDimension[], b: readonly MetricDimension[]): boolean {
  return (
    a.length === b.length &&
    a.every((dimension) => b.some((other) => other.Name === dimension.Name && other.Value === dimension.Value))
  );
}

function invalid(code: string, message: string): ServiceError {
  return new ServiceError(code, message, { statusCode: 400, service: 'cloudwatch' });
}

/** AWS/DynamoDB ConsumedReadCapacityUnits / ConsumedWriteCapacityUnits (dimension TableName), one datapoint per call. */
export function recordConsumedCapacity(
  cloudwatch: { recordServiceMetric(datapoint: StoredDatapoint): void },
  consumed: readonly ConsumedCapacity[],
  timestamp: number,
): void {
  for (const { tableName, readUnits, writeUnits } of consumed) {
    for (const [metricName, value] of [
      ['ConsumedReadCapacityUnits', readUnits],
      ['ConsumedWriteCapacityUnits', writeUnits],
    ] as const) {
      if (value <= 0) continue;
      cloudwatch.recordServiceMetric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensions: [{ Name: 'TableName', Value: tableName }],
        timestamp,
        unit: 'Count',
        sampleCount: 1,
        sum: value,
        minimum: value,
        maximum: value,
      });
    }
  }
}

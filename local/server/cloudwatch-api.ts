/**
 * CloudWatch (`GraniteServiceVersion20100801.*`, JSON 1.0): PutMetricData into the runtime's CloudWatch stand-in,
 * as a workflow's putMetricData Task does, and GetMetricData out of it (custom metrics and the AWS/DynamoDB usage
 * the local DynamoDB records), so the CLI publishes and reads metrics locally as on AWS.
 */
import type { LocalRuntime } from '../runtime';
import type { MetricDataQuery } from '../services/cloudwatch-metric-data';
import { isServiceError } from '../services/errors';
import type { JsonBody } from './aws-json';
import { AwsApiError } from './errors';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** Timestamps on the JSON protocol are epoch seconds. */
export function getMetricData(runtime: LocalRuntime, body: JsonBody) {
  const seconds = (value: unknown) => (typeof value === 'number' ? value * 1000 : Number.NaN);
  try {
    const results = runtime.services.cloudwatch.getMetricData({
      MetricDataQueries: body.MetricDataQueries as MetricDataQuery[],
      StartTime: seconds(body.StartTime),
      EndTime: seconds(body.EndTime),
      ...(body.ScanBy === 'TimestampAscending' && { ScanBy: 'TimestampAscending' as const }),
    });
    return {
      MetricDataResults: results.map((result) => ({
        ...result,
        Timestamps: result.Timestamps.map((timestamp) => timestamp / 1000),
      })),
      Messages: [],
    };
  } catch (error) {
    if (isServiceError(error)) throw new AwsApiError(error.code, error.message, error.statusCode);
    throw error;
  }
}

export async function putMetricData(runtime: LocalRuntime, body: JsonBody) {
  const metricData = Array.isArray(body.MetricData)
    ? body.MetricData.map((datum: Record<string, unknown>) =>
        typeof datum?.Timestamp === 'number' ? { ...datum, Timestamp: new Date(datum.Timestamp * 1000) } : datum,
      )
    : body.MetricData;
  try {
    await runtime.services.cloudwatch.putMetricData({ ...body, MetricData: metricData });
  } catch (error) {
    if (isServiceError(error)) throw new AwsApiError(error.code, error.message, error.statusCode);
    throw error;
  }
  return {};
}

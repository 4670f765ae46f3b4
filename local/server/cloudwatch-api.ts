/**
 * CloudWatch `GraniteServiceVersion20100801.PutMetricData` (JSON 1.0): the datapoints go to the runtime's
 * CloudWatch stand-in, as a workflow's putMetricData Task does, so the CLI can publish its metrics locally.
 */
import type { LocalRuntime } from '../runtime';
import { isServiceError } from '../services/errors';
import type { JsonBody } from './aws-json';
import { AwsApiError } from './errors';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

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

/** An API Gateway REST API's requests, errors and latency (dimension ApiName), for its alarm and the dashboard. */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { opsAlarm } from './ops-alarm';
import { type ApiEntry, ObservabilityRegistry } from './registry';

export function apiMetrics(entry: ApiEntry, period: Duration = Duration.minutes(5)) {
  const metric = (metricName: string, statistic: string, label: string) =>
    new Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensionsMap: { ApiName: entry.apiName },
      statistic,
      period,
      label,
    });
  const serverErrors = metric('5XXError', 'Average', '5xx share');
  return {
    requests: metric('Count', 'Sum', 'Requests'),
    clientErrors: metric('4XXError', 'Sum', '4xx'),
    serverErrorCount: metric('5XXError', 'Sum', '5xx'),
    /** 5XXError's Average is the share of requests answered 5xx; in per cent. */
    serverErrorRate: new MathExpression({
      expression: '100 * FILL(serverErrors, 0)',
      usingMetrics: { serverErrors },
      label: '5xx rate (%)',
      period,
    }),
    latencyP50: metric('Latency', 'p50', 'Latency p50'),
    latencyP99: metric('Latency', 'p99', 'Latency p99'),
  };
}

/**
 * Registers a REST API and creates its 5xx-rate alarm in `scope`: the operations API calls it next to its
 * `RestApi` (`watchRestApi(this, { name: 'operations-api', apiName: api.restApiName })`).
 */
export function watchRestApi(
  scope: Construct,
  entry: ApiEntry,
  action?: IAlarmAction,
): { readonly serverErrorRate: Alarm } {
  ObservabilityRegistry.of(scope).registerApi(entry);
  return {
    serverErrorRate: opsAlarm(scope, 'ServerErrorRateAlarm', {
      ...(action && { action }),
      kind: 'api-error-rate',
      subject: entry.name,
      metric: apiMetrics(entry).serverErrorRate,
    }),
  };
}

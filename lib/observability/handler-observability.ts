/** A Lambda handler's metrics and alarms (error rate, throttles), shared by the alarms and the dashboard. */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { opsAlarm } from './ops-alarm';
import { type HandlerEntry, ObservabilityRegistry } from './registry';

export function handlerMetrics(entry: HandlerEntry, period: Duration = Duration.minutes(5)) {
  const fn = entry.function;
  const invocations = fn.metricInvocations({ statistic: 'Sum', period });
  const errors = fn.metricErrors({ statistic: 'Sum', period });
  const throttles = fn.metricThrottles({ statistic: 'Sum', period });
  return {
    invocations,
    errors,
    throttles,
    /** Per cent of the invocations of the period that ended with an error (no invocations: no datapoint). */
    errorRate: new MathExpression({
      expression: '100 * FILL(errors, 0) / invocations',
      usingMetrics: { invocations, errors },
      label: 'Error rate (%)',
      period,
    }),
    durationP50: fn.metricDuration({ statistic: 'p50', period }),
    durationP99: fn.metricDuration({ statistic: 'p99', period }),
  };
}

export interface HandlerAlarms {
  readonly errorRate: Alarm;
  readonly throttles: Alarm;
}

/** Registers the handler and creates its alarms in `scope` (the handler's own construct). */
export function watchHandler(scope: Construct, entry: HandlerEntry, action?: IAlarmAction): HandlerAlarms {
  ObservabilityRegistry.of(scope).registerHandler(entry);
  const metrics = handlerMetrics(entry);
  return {
    errorRate: opsAlarm(scope, 'ErrorRateAlarm', {
      ...(action && { action }),
      kind: 'handler-errors',
      subject: entry.name,
      metric: metrics.errorRate,
    }),
    throttles: opsAlarm(scope, 'ThrottlesAlarm', {
      ...(action && { action }),
      kind: 'handler-throttles',
      subject: entry.name,
      metric: metrics.throttles,
    }),
  };
}

/** A circuit's state changes and blind spells (the breaker's own metrics), for its alarms and the dashboard. */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { CircuitState } from '../circuit-breaker/model';
import {
  CIRCUIT_METRIC_NAMESPACE,
  CIRCUIT_STATE_METRIC,
  CIRCUIT_TABLE_UNREACHABLE_METRIC,
  DIMENSIONS,
} from './metric-names';
import { opsAlarm } from './ops-alarm';

export const CIRCUIT_STATES: readonly CircuitState[] = ['OPEN', 'HALF_OPEN', 'CLOSED'];

export function circuitMetrics(circuit: string, period: Duration = Duration.minutes(5)) {
  const transitionsTo = (state: CircuitState) =>
    new Metric({
      namespace: CIRCUIT_METRIC_NAMESPACE,
      metricName: CIRCUIT_STATE_METRIC,
      dimensionsMap: { [DIMENSIONS.circuit]: circuit, [DIMENSIONS.toState]: state },
      statistic: 'Sum',
      period,
    });
  return {
    transitionsTo,
    tableUnreachable: new Metric({
      namespace: CIRCUIT_METRIC_NAMESPACE,
      metricName: CIRCUIT_TABLE_UNREACHABLE_METRIC,
      dimensionsMap: { [DIMENSIONS.circuit]: circuit },
      statistic: 'Sum',
      period,
    }),
  };
}

export interface CircuitAlarms {
  readonly open: Alarm;
  readonly blind: Alarm;
}

export function circuitAlarms(scope: Construct, circuit: string, action?: IAlarmAction): CircuitAlarms {
  const metrics = circuitMetrics(circuit);
  return {
    open: opsAlarm(scope, `${circuit}-OpenAlarm`, {
      ...(action && { action }),
      kind: 'circuit-open',
      subject: circuit,
      metric: metrics.transitionsTo('OPEN'),
    }),
    blind: opsAlarm(scope, `${circuit}-BlindAlarm`, {
      ...(action && { action }),
      kind: 'circuit-table-unreachable',
      subject: circuit,
      metric: metrics.tableUnreachable,
    }),
  };
}

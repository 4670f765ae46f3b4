/**
 * A table's metrics (throttles, consumed against provisioned capacity, system errors, and for protected tables
 * PITR compliance and drills) and its alarms, shared by the alarms and the dashboard.
 */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  DIMENSIONS,
  DISASTER_RECOVERY_METRIC_NAMESPACE,
  DRILL_FAILED_METRIC,
  DRILL_RECOVERY_TIME_METRIC,
  PITR_ENABLED_METRIC,
} from './metric-names';
import { opsAlarm } from './ops-alarm';
import { ObservabilityRegistry, type TableEntry } from './registry';

/**
 * The data-plane operations the platform's workflows and handlers call. An alarm's metric math may use at most
 * 10 metrics, and these are 10.
 */
export const WATCHED_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.QUERY,
  Operation.SCAN,
  Operation.BATCH_GET_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_GET_ITEMS,
  Operation.TRANSACT_WRITE_ITEMS,
];

export function tableMetrics(entry: TableEntry, period: Duration = Duration.minutes(5)) {
  const { table } = entry;
  const sum = (metricName: string) => table.metric(metricName, { statistic: 'Sum', period });
  const readThrottles = sum('ReadThrottleEvents');
  const writeThrottles = sum('WriteThrottleEvents');
  // Distinct ids: both expressions share one graph.
  const perSecond = (metricName: string, id: string, label: string) =>
    new MathExpression({
      expression: `${id} / PERIOD(${id})`,
      usingMetrics: { [id]: table.metric(metricName, { statistic: 'Sum', period: Duration.minutes(1) }) },
      label,
      period: Duration.minutes(1),
    });
  const recovery = (metricName: string, statistic: string) =>
    new Metric({
      namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.tableName]: table.tableName },
      statistic,
      period: Duration.hours(1),
    });
  return {
    readThrottles,
    writeThrottles,
    throttles: new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: readThrottles, writes: writeThrottles },
      label: 'Throttled reads and writes',
      period,
    }),
    /** Consumed capacity units per second, from one-minute sums (what the scaling guide reads). */
    consumedReadPerSecond: perSecond('ConsumedReadCapacityUnits', 'consumedReads', 'Consumed RCU/s'),
    consumedWritePerSecond: perSecond('ConsumedWriteCapacityUnits', 'consumedWrites', 'Consumed WCU/s'),
    provisionedRead: table.metric('ProvisionedReadCapacityUnits', {
      statistic: 'Average',
      period: Duration.minutes(1),
      label: 'Provisioned RCU',
    }),
    provisionedWrite: table.metric('ProvisionedWriteCapacityUnits', {
      statistic: 'Average',
      period: Duration.minutes(1),
      label: 'Provisioned WCU',
    }),
    systemErrors: table.metricSystemErrorsForOperations({
      operations: [...WATCHED_OPERATIONS],
      statistic: 'Sum',
      period,
      label: 'System errors',
    }),
    pitrEnabled: recovery(PITR_ENABLED_METRIC, 'Minimum'),
    drillRecoveryTime: recovery(DRILL_RECOVERY_TIME_METRIC, 'Maximum'),
    drillFailed: recovery(DRILL_FAILED_METRIC, 'Maximum'),
  };
}

export interface TableAlarms {
  readonly throttles: Alarm;
  readonly systemErrors: Alarm;
  /** Protected (PITR) tables only. */
  readonly pitrDisabled?: Alarm;
  readonly drillRtoExceeded?: Alarm;
  readonly drillFailed?: Alarm;
}

/** Registers the table and creates its alarms in `scope` (the table's own construct). */
export function watchTable(scope: Construct, entry: TableEntry, action?: IAlarmAction): TableAlarms {
  ObservabilityRegistry.of(scope).registerTable(entry);
  const metrics = tableMetrics(entry);
  const subject = entry.name;
  return {
    throttles: opsAlarm(scope, 'ThrottleAlarm', {
      ...(action && { action }),
      kind: 'table-throttles',
      subject,
      metric: metrics.throttles,
    }),
    systemErrors: opsAlarm(scope, 'SystemErrorsAlarm', {
      ...(action && { action }),
      kind: 'table-system-errors',
      subject,
      metric: metrics.systemErrors,
    }),
    ...(entry.protected && {
      pitrDisabled: opsAlarm(scope, 'PitrDisabledAlarm', {
        ...(action && { action }),
        kind: 'table-pitr-disabled',
        subject,
        metric: metrics.pitrEnabled,
      }),
      drillRtoExceeded: opsAlarm(scope, 'DrillRtoAlarm', {
        ...(action && { action }),
        kind: 'table-drill-rto-exceeded',
        subject,
        metric: metrics.drillRecoveryTime,
        ...(entry.recoveryTimeObjectiveSeconds !== undefined && { threshold: entry.recoveryTimeObjectiveSeconds }),
      }),
      drillFailed: opsAlarm(scope, 'DrillFailedAlarm', {
        ...(action && { action }),
        kind: 'table-drill-failed',
        subject,
        metric: metrics.drillFailed,
      }),
    }),
  };
}

/**
 * CloudWatch `Alarm State Change` events of RDS alarms: ALARM raises the alarm's alert, OK resolves it,
 * INSUFFICIENT_DATA changes nothing (the alarm cannot tell). Severity comes from the RDS metric the alarm
 * watches; the instance from its `DBInstanceIdentifier` dimension.
 */
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { type HealthEffect, type HealthEvent, normalizeEventTime, type Severity } from './health-event';

export const ALARM_SOURCE = 'aws.cloudwatch';
export const ALARM_DETAIL_TYPE = 'CloudWatch Alarm State Change';
export const RDS_NAMESPACE = 'AWS/RDS';

/**
 * What a breach of each RDS metric means for the database. Storage running out stops writes (and RDS shuts
 * the instance down at the storage-full threshold); memory, replication and I/O exhaustion degrade it; the
 * rest (CPU, latency, IOPS, connections below the limit, ...) is MEDIUM.
 */
const METRIC_SEVERITY: Readonly<Record<string, Severity>> = {
  FreeStorageSpace: 'CRITICAL',
  FreeLocalStorage: 'CRITICAL',
  TransactionLogsDiskUsage: 'CRITICAL',
  FreeableMemory: 'HIGH',
  SwapUsage: 'HIGH',
  ReplicaLag: 'HIGH',
  AuroraReplicaLag: 'HIGH',
  DiskQueueDepth: 'HIGH',
  DatabaseConnections: 'HIGH',
  BurstBalance: 'HIGH',
  'EBSIOBalance%': 'HIGH',
  'EBSByteBalance%': 'HIGH',
  CPUCreditBalance: 'HIGH',
};
export const DEFAULT_ALARM_SEVERITY: Severity = 'MEDIUM';

const EFFECT: Readonly<Record<string, HealthEffect>> = { ALARM: 'RAISE', OK: 'RESOLVE', INSUFFICIENT_DATA: 'IGNORE' };

const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` });

const MetricSchema = z.object({
  metricStat: z
    .object({
      metric: z.object({
        namespace: z.string().optional(),
        name: z.string().optional(),
        dimensions: z.record(z.string(), z.string()).optional(),
      }),
    })
    .optional(),
});

const AlarmStateChangeSchema = z.object({
  id: text('the EventBridge event id'),
  time: text('an ISO-8601 time'),
  region: z.string().optional(),
  account: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.object({
    alarmName: text('the alarm name'),
    state: z.object({
      value: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA'], { error: 'must be ALARM, OK or INSUFFICIENT_DATA' }),
      reason: z.string().optional(),
      timestamp: z.string().optional(),
    }),
    configuration: z.object({ metrics: z.array(MetricSchema).optional() }).optional(),
  }),
});

type AlarmStateChange = z.infer<typeof AlarmStateChangeSchema>;

export function isAlarmStateChange(event: unknown): boolean {
  const fields = event as Record<string, unknown> | null;
  return fields?.source === ALARM_SOURCE && fields?.['detail-type'] === ALARM_DETAIL_TYPE;
}

/** The first metric of the alarm in the AWS/RDS namespace (a metric-math alarm lists several). */
function rdsMetricOf(alarm: AlarmStateChange) {
  return (alarm.detail.configuration?.metrics ?? [])
    .map((metric) => metric.metricStat?.metric)
    .find((metric) => metric?.namespace === RDS_NAMESPACE);
}

export function alarmHealthEvent(raw: unknown): HealthEvent {
  const alarm = parseWith(AlarmStateChangeSchema, raw, 'CloudWatch alarm state change');
  const { alarmName, state } = alarm.detail;
  const metric = rdsMetricOf(alarm);
  const region = alarm.region ?? 'unknown-region';
  const alarmArn =
    alarm.resources?.find((arn) => arn.includes(':alarm:')) ??
    `arn:aws:cloudwatch:${region}:${alarm.account ?? 'unknown-account'}:alarm:${alarmName}`;
  const eventTime = normalizeEventTime(state.timestamp ?? '') ?? normalizeEventTime(alarm.time);
  if (!eventTime) {
    throw new InvalidInputError(
      `Invalid CloudWatch alarm state change: detail.state.timestamp ${JSON.stringify(state.timestamp)} and time ` +
        `${JSON.stringify(alarm.time)} are not ISO-8601 times.`,
    );
  }
  const instanceId = metric?.dimensions?.DBInstanceIdentifier?.toLowerCase();
  const clusterId = metric?.dimensions?.DBClusterIdentifier?.toLowerCase();
  const effect = metric ? EFFECT[state.value]! : 'IGNORE';
  const subject = instanceId ?? clusterId ?? 'the RDS fleet';
  return {
    alertId: `alarm#${alarmArn}`,
    source: 'cloudwatch-alarm',
    effect,
    condition: alarmName,
    severity: (metric?.name && METRIC_SEVERITY[metric.name]) || DEFAULT_ALARM_SEVERITY,
    title: `${subject}: alarm ${alarmName} is ${state.value}`,
    message: state.reason ?? '',
    eventId: alarm.id,
    eventTime,
    eventCode: state.value,
    alarmName,
    ...(metric?.name && { metricName: metric.name }),
    ...(instanceId && { instanceId }),
    ...(clusterId && { clusterId }),
    ...(effect === 'IGNORE' && {
      ignoredBecause: metric
        ? 'INSUFFICIENT_DATA: the alarm cannot evaluate its metric, which says nothing about the database'
        : `the alarm watches no ${RDS_NAMESPACE} metric`,
    }),
  };
}

/**
 * A health event as the ingestion workflow records it: one CloudWatch alarm state change or one RDS event,
 * reduced to the alert it concerns (`alertId`), what it does to that alert (raise, resolve, or nothing), how
 * severe it is, and the instance it names.
 */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** RAISE opens (or keeps open) the alert, RESOLVE closes it, IGNORE leaves the table alone. */
export type HealthEffect = 'RAISE' | 'RESOLVE' | 'IGNORE';

export type HealthSource = 'cloudwatch-alarm' | 'rds-event';

export interface HealthEvent {
  /** `alarm#<alarm ARN>` or `rds#<source ARN>#<condition>`: one alert per alarm, one per RDS condition. */
  readonly alertId: string;
  readonly source: HealthSource;
  readonly effect: HealthEffect;
  /** The alarm name, or the RDS condition (availability, failover, failure, storage, maintenance, recovery). */
  readonly condition: string;
  /** Of the condition; a resolving event carries the severity its raising counterpart has. */
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  /** The EventBridge event id: the same delivery twice has the same id. */
  readonly eventId: string;
  /** When it happened at the source (`state.timestamp`, RDS `Date`), as ISO-8601 UTC with milliseconds. */
  readonly eventTime: string;
  /** `RDS-EVENT-0004`, or the alarm's new state (`ALARM`, `OK`, `INSUFFICIENT_DATA`). */
  readonly eventCode: string;
  /** The RDS instance, lower case as RDS stores identifiers (= rds-inventory.instanceId). */
  readonly instanceId?: string;
  readonly clusterId?: string;
  readonly alarmName?: string;
  readonly metricName?: string;
  /** Why an IGNORE event needs no alert. */
  readonly ignoredBecause?: string;
}

/**
 * An event time as ISO-8601 UTC with milliseconds, so times compare as strings. CloudWatch writes offsets
 * without a colon (`2019-10-02T17:04:40.989+0000`), which `Date.parse` does not read everywhere.
 */
export function normalizeEventTime(value: string): string | undefined {
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = Date.parse(withColon);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/**
 * RDS `RDS DB Instance Event` / `RDS DB Cluster Event` events: each known event id raises or resolves one
 * condition of its source (a failover starts and completes, an instance shuts down and restarts), so the raising
 * and the resolving event land on the same alert. Event ids from the RDS user guide, "Amazon RDS event categories
 * and event messages"; an unknown id is judged by its category.
 */
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { type HealthEffect, type HealthEvent, normalizeEventTime, type Severity } from './health-event';

export const RDS_SOURCE = 'aws.rds';
export const RDS_DETAIL_TYPES = ['RDS DB Instance Event', 'RDS DB Cluster Event'] as const;
/** The categories the rule forwards: the ones that speak about the database's health. */
export const HEALTH_CATEGORIES = [
  'availability',
  'failover',
  'failure',
  'low storage',
  'maintenance',
  'recovery',
] as const;

export interface RdsEventMeaning {
  readonly condition: string;
  readonly effect: HealthEffect;
  readonly severity: Severity;
}

const raise = (condition: string, severity: Severity): RdsEventMeaning => ({ condition, effect: 'RAISE', severity });
const resolve = (condition: string, severity: Severity): RdsEventMeaning => ({
  condition,
  effect: 'RESOLVE',
  severity,
});

/** Known event ids. A resolving id carries the severity of the condition it ends. */
export const RDS_EVENT_MEANINGS: Readonly<Record<string, RdsEventMeaning>> = {
  // DB instance: availability
  'RDS-EVENT-0004': raise('availability', 'HIGH'), // DB instance shutdown
  'RDS-EVENT-0006': resolve('availability', 'HIGH'), // DB instance restarted
  'RDS-EVENT-0022': raise('availability', 'CRITICAL'), // an error occurred while restarting
  // storage
  'RDS-EVENT-0007': raise('storage', 'CRITICAL'), // allocated storage has been exhausted
  'RDS-EVENT-0089': raise('storage', 'HIGH'), // more than 90% of allocated storage consumed
  'RDS-EVENT-0221': raise('storage', 'CRITICAL'), // storage-full threshold reached, the database was shut down
  'RDS-EVENT-0222': raise('storage', 'CRITICAL'), // free storage low, shutdown imminent
  // Multi-AZ failover (instance)
  'RDS-EVENT-0013': raise('failover', 'HIGH'), // failover started
  'RDS-EVENT-0015': resolve('failover', 'HIGH'), // failover complete
  'RDS-EVENT-0049': resolve('failover', 'HIGH'), // Multi-AZ failover completed
  'RDS-EVENT-0065': resolve('failover', 'HIGH'), // recovered from a partial failover
  // failure
  'RDS-EVENT-0031': raise('failure', 'CRITICAL'), // failed: incompatible configuration or storage issue
  'RDS-EVENT-0035': raise('failure', 'CRITICAL'), // incompatible parameters
  'RDS-EVENT-0036': raise('failure', 'CRITICAL'), // incompatible network
  // maintenance
  'RDS-EVENT-0026': raise('maintenance', 'LOW'), // offline maintenance in progress: the instance is unavailable
  'RDS-EVENT-0027': resolve('maintenance', 'LOW'), // offline maintenance complete
  'RDS-EVENT-0047': resolve('maintenance', 'LOW'), // patching complete
  // recovery
  'RDS-EVENT-0020': raise('recovery', 'MEDIUM'), // recovery of the DB instance started
  'RDS-EVENT-0021': resolve('recovery', 'MEDIUM'), // recovery complete
  // DB cluster failover
  'RDS-EVENT-0069': raise('failover', 'CRITICAL'), // cluster failover failed
  'RDS-EVENT-0072': raise('failover', 'HIGH'), // same-AZ failover started
  'RDS-EVENT-0073': raise('failover', 'HIGH'), // cross-AZ failover started
  'RDS-EVENT-0071': resolve('failover', 'HIGH'), // completed failover to a DB instance
};

/**
 * An id the table does not know, by its category: failures, storage, availability and failovers raise an alert
 * (better a stray alert than a missed outage); maintenance and recovery notices do not, since without their
 * resolving counterpart such an alert would stay open forever.
 */
const CATEGORY_MEANINGS: Readonly<Record<string, RdsEventMeaning>> = {
  failure: raise('failure', 'CRITICAL'),
  'low storage': raise('storage', 'HIGH'),
  availability: raise('availability', 'HIGH'),
  failover: raise('failover', 'HIGH'),
};

const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` });

const RdsEventSchema = z.object({
  id: text('the EventBridge event id'),
  time: text('an ISO-8601 time'),
  'detail-type': z.enum(RDS_DETAIL_TYPES, { error: `must be one of ${RDS_DETAIL_TYPES.join(', ')}` }),
  region: z.string().optional(),
  account: z.string().optional(),
  detail: z.object({
    EventCategories: z.array(z.string()).optional(),
    SourceType: text('DB_INSTANCE or CLUSTER'),
    SourceArn: z.string().optional(),
    SourceIdentifier: text('the DB instance or cluster identifier'),
    Date: z.string().optional(),
    Message: z.string().optional(),
    EventID: z.string().optional(),
  }),
});

export function isRdsEvent(event: unknown): boolean {
  const fields = event as Record<string, unknown> | null;
  return (
    fields?.source === RDS_SOURCE && (RDS_DETAIL_TYPES as readonly string[]).includes(fields?.['detail-type'] as string)
  );
}

/** What an event means for its source's health; undefined when it needs no alert. */
export function meaningOf(eventId: string | undefined, categories: readonly string[]): RdsEventMeaning | undefined {
  const known = eventId ? RDS_EVENT_MEANINGS[eventId] : undefined;
  return known ?? categories.map((category) => CATEGORY_MEANINGS[category]).find(Boolean);
}

export function rdsHealthEvent(raw: unknown): HealthEvent {
  const event = parseWith(RdsEventSchema, raw, 'RDS event');
  const { detail } = event;
  const isCluster = /cluster/i.test(detail.SourceType);
  const identifier = detail.SourceIdentifier.toLowerCase();
  const region = event.region ?? 'unknown-region';
  const sourceArn =
    detail.SourceArn ??
    `arn:aws:rds:${region}:${event.account ?? 'unknown-account'}:${isCluster ? 'cluster' : 'db'}:${identifier}`;
  const eventTime = normalizeEventTime(detail.Date ?? '') ?? normalizeEventTime(event.time);
  if (!eventTime) {
    throw new InvalidInputError(
      `Invalid RDS event: detail.Date ${JSON.stringify(detail.Date)} and time ${JSON.stringify(event.time)} are not ISO-8601 times.`,
    );
  }
  const categories = detail.EventCategories ?? [];
  const meaning = meaningOf(detail.EventID, categories);
  const condition = meaning?.condition ?? categories[0] ?? 'notification';
  const code = detail.EventID ?? 'RDS-EVENT';
  return {
    alertId: `rds#${sourceArn}#${condition}`,
    source: 'rds-event',
    effect: meaning?.effect ?? 'IGNORE',
    condition,
    severity: meaning?.severity ?? 'LOW',
    title: `${identifier}: ${detail.Message ?? condition} (${code})`,
    message: detail.Message ?? '',
    eventId: event.id,
    eventTime,
    eventCode: code,
    ...(isCluster ? { clusterId: identifier } : { instanceId: identifier }),
    ...(!meaning && {
      ignoredBecause: `${code} (${categories.join(', ') || 'no category'}) is a notice, not a health condition with an end`,
    }),
  };
}

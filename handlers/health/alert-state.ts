/**
 * The health-alerts item and how one event changes it, as a pure function. Events arrive at least once and
 * in any order (EventBridge retries, RDS emits "on a best effort basis ... out of sequence"), so the status
 * follows the newest event by event time (then event id), never the latest delivered; an older event still
 * counts as an occurrence and widens first/last seen. Duplicates are kept out by the caller (the audit entry
 * of each event id is written once).
 */
import type { HealthEvent, HealthSource, Severity } from './health-event';

export type AlertStatus = 'OPEN' | 'RESOLVED';

/** How the instance behind the alert was found. */
export type InventoryLink = 'KNOWN' | 'DESCRIBED' | 'NOT_FOUND' | 'UNAVAILABLE' | 'NONE';

/** What the workflow learned about the instance, from rds-inventory or from RDS. */
export interface Enrichment {
  readonly inventory: InventoryLink;
  readonly engine?: string;
  readonly instanceClass?: string;
  readonly instanceStatus?: string;
  /** The error that kept the workflow from finding out (UNAVAILABLE). */
  readonly enrichmentError?: string;
}

/** One item of health-alerts (docs/architecture.md, "Item shapes"). */
export interface AlertItem extends Enrichment {
  readonly alertId: string;
  readonly source: HealthSource;
  readonly condition: string;
  readonly status: AlertStatus;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly instanceId?: string;
  readonly clusterId?: string;
  readonly raisedAt?: string;
  readonly resolvedAt?: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly occurrenceCount: number;
  readonly stateEventId: string;
  readonly stateEventTime: string;
  readonly eventCode: string;
  readonly alarmName?: string;
  readonly metricName?: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** CREATED, REOPENED, UPDATED (already open) and RESOLVED changed the status; STALE only the counts. */
export type AlertOutcome = 'CREATED' | 'REOPENED' | 'UPDATED' | 'RESOLVED' | 'STALE';

export interface AlertChange {
  readonly item: AlertItem;
  readonly outcome: AlertOutcome;
}

/** A raising or resolving event (IGNORE events never reach the table). */
export type AlertEvent = HealthEvent & { readonly effect: 'RAISE' | 'RESOLVE' };

/** True when the event is newer than the one that set the alert's status: later, or as late with a larger id. */
export function isNewerThanState(event: Pick<HealthEvent, 'eventTime' | 'eventId'>, item: AlertItem): boolean {
  if (event.eventTime !== item.stateEventTime) return event.eventTime > item.stateEventTime;
  return event.eventId > item.stateEventId;
}

export function applyHealthEvent(
  current: AlertItem | undefined,
  event: AlertEvent,
  enrichment: Enrichment,
  now: string,
): AlertChange {
  const raising = event.effect === 'RAISE';
  const t = event.eventTime;
  const described = { ...describedBy(current, enrichment), version: (current?.version ?? 0) + 1, updatedAt: now };
  const identity = {
    alertId: event.alertId,
    source: event.source,
    condition: event.condition,
    ...(event.instanceId && { instanceId: event.instanceId }),
    ...(event.clusterId && { clusterId: event.clusterId }),
    ...(event.alarmName && { alarmName: event.alarmName }),
    ...(event.metricName && { metricName: event.metricName }),
  };
  const seen = {
    firstSeenAt: current && current.firstSeenAt < t ? current.firstSeenAt : t,
    lastSeenAt: current && current.lastSeenAt > t ? current.lastSeenAt : t,
    occurrenceCount: (current?.occurrenceCount ?? 0) + (raising ? 1 : 0),
  };
  const stateOfEvent = { stateEventId: event.eventId, stateEventTime: t, eventCode: event.eventCode };

  if (!current || isNewerThanState(event, current)) {
    if (!raising) {
      const { resolvedAt: _previous, ...kept } = current ?? ({} as Partial<AlertItem>);
      return {
        outcome: 'RESOLVED',
        item: {
          ...kept,
          ...identity,
          ...seen,
          ...stateOfEvent,
          ...described,
          status: 'RESOLVED',
          severity: current?.severity ?? event.severity,
          title: current?.title ?? event.title,
          message: event.message,
          resolvedAt: t,
        } as AlertItem,
      };
    }
    const continuing = current?.status === 'OPEN' && current.raisedAt !== undefined;
    const { resolvedAt: _resolved, ...kept } = current ?? ({} as Partial<AlertItem>);
    return {
      outcome: !current ? 'CREATED' : continuing ? 'UPDATED' : 'REOPENED',
      item: {
        ...kept,
        ...identity,
        ...seen,
        ...stateOfEvent,
        ...described,
        status: 'OPEN',
        severity: event.severity,
        title: event.title,
        message: event.message,
        raisedAt: continuing ? current.raisedAt : t,
      } as AlertItem,
    };
  }

  // An older event: the status stays as the newer one set it.
  return {
    outcome: 'STALE',
    item: { ...current, ...identity, ...seen, ...described, ...(raising && raisedAtAfterLateRaise(current, t)) },
  };
}

/**
 * A late raising event fills in `raisedAt` only when the alert has none (it was created by its resolution); it
 * never moves the start of an episode that a newer raise opened, since a resolution may lie between the two.
 */
function raisedAtAfterLateRaise(item: AlertItem, t: string): Partial<AlertItem> {
  return item.raisedAt === undefined ? { raisedAt: t } : {};
}

/** Keeps what an earlier event learned about the instance when this one could not find out. */
function describedBy(current: AlertItem | undefined, enrichment: Enrichment): Enrichment {
  if (enrichment.inventory === 'UNAVAILABLE' && current && current.inventory !== 'UNAVAILABLE') {
    const { inventory, engine, instanceClass, instanceStatus } = current;
    return { inventory, engine, instanceClass, instanceStatus, enrichmentError: enrichment.enrichmentError };
  }
  return {
    inventory: enrichment.inventory,
    engine: enrichment.engine,
    instanceClass: enrichment.instanceClass,
    instanceStatus: enrichment.instanceStatus,
    enrichmentError: enrichment.enrichmentError,
  };
}

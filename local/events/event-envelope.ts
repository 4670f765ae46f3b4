/**
 * PutEvents entries into EventBridge events: the per-entry checks PutEvents makes (`InvalidArgument`,
 * `MalformedDetail`), the envelope targets receive, and the envelope of a rule's "Scheduled Event".
 */
import { isPlainObject } from './event-pattern';
import type { EventBridgeEvent, PutEventsEntry, PutEventsResultEntry, RuleSpec } from './types';

export const DEFAULT_EVENT_BUS = 'default';

/** Where events are stamped: the bus's account, region, clock and event ids. */
export interface EnvelopeContext {
  readonly account: string;
  readonly region: string;
  readonly now: number;
  readonly newEventId: () => string;
}

export type BuiltEvent = { readonly event: EventBridgeEvent; readonly busName: string } | PutEventsResultEntry;

/** The event an entry becomes, with the bus it goes to, or the per-entry failure PutEvents reports. */
export function eventFromEntry(entry: PutEventsEntry, context: EnvelopeContext): BuiltEvent {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value.length === 0) {
      return {
        errorCode: 'InvalidArgument',
        errorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (!isPlainObject(detail)) {
    return {
      errorCode: 'MalformedDetail',
      errorMessage: 'Detail is malformed: it must be the JSON text of an object.',
    };
  }
  const time = entry.Time === undefined ? context.now : new Date(entry.Time).getTime();
  if (!Number.isFinite(time)) {
    return { errorCode: 'InvalidArgument', errorMessage: `Parameter Time is not valid: ${String(entry.Time)}.` };
  }
  return {
    busName: busNameOf(entry.EventBusName),
    event: {
      version: '0',
      id: context.newEventId(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: context.account,
      time: isoSeconds(time),
      region: context.region,
      resources: [...(entry.Resources ?? [])],
      detail,
    },
  };
}

/** What a scheduled rule sends its targets. */
export function scheduledEvent(rule: RuleSpec, context: EnvelopeContext): EventBridgeEvent {
  return {
    version: '0',
    id: context.newEventId(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: context.account,
    time: isoSeconds(context.now),
    region: context.region,
    resources: [rule.arn],
    detail: {},
  };
}

/** `EventBusName` may be a name or an ARN (`arn:aws:events:region:account:event-bus/name`). */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_EVENT_BUS;
  const arnName = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn)?.[1];
  return arnName ?? nameOrArn;
}

/** EventBridge writes event times to the second: 2015-11-11T21:29:54Z. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

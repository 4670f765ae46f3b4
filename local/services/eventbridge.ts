/**
 * EventBridge stand-in: `putEvents` validates entries as EventBridge does (per entry, not per call), hands the
 * accepted ones to the local event bus through `onPutEvents`, and answers `{ FailedEntryCount, Entries }`.
 */

import type { Clock } from '../clock';
import type { EventBridgeEvent } from '../events/types';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams } from './params';
import { randomUuid, seededRandom } from './seeded-random';

/** An accepted event, in the envelope rules and targets see (the bus's own type). */
export type { EventBridgeEvent } from '../events/types';

export interface PutEventsDelivery {
  readonly eventBusName: string;
  readonly event: EventBridgeEvent;
}

export type OnPutEvents = (deliveries: readonly PutEventsDelivery[]) => void | Promise<void>;

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

export interface EventBridgeStandInOptions {
  readonly clock: Clock;
  readonly onPutEvents: OnPutEvents;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
}

export interface EventBridgeStandIn {
  putEvents(params: unknown): Promise<PutEventsResult>;
  readonly calls: readonly RecordedCall[];
}

const PUT_PARAMS = ['Entries', 'EndpointId'] as const;
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

function parseDetail(detail: unknown): { ok: true; value: unknown; text: string } | { ok: false } {
  // The optimized integration serialises a JSON Detail itself; the aws-sdk one needs a string.
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ok: true, value, text }
      : { ok: false };
  } catch {
    return { ok: false };
  }
}

export function createEventBridgeStandIn(options: EventBridgeStandInOptions): EventBridgeStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const random = seededRandom('eventbridge');
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '123456789012';

  return {
    async putEvents(raw) {
      recorder.record('putEvents', raw);
      const params = checkParams('eventbridge:putEvents', raw, PUT_PARAMS);
      const entries = params.Entries;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
        throw new ServiceError(
          'ValidationException',
          `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`,
          { service: 'eventbridge', requestId: randomUuid(random) },
        );
      }
      const results: PutEventsResultEntry[] = [];
      const deliveries: PutEventsDelivery[] = [];
      for (const candidate of entries as Record<string, unknown>[]) {
        const missing = (['Source', 'DetailType', 'Detail'] as const).find(
          (key) => typeof candidate?.[key] !== 'string' && !(key === 'Detail' && typeof candidate?.Detail === 'object'),
        );
        if (missing) {
          results.push({
            ErrorCode: 'InvalidArgument',
            ErrorMessage: `Parameter ${missing} is not valid. Reason: ${missing} is a required argument.`,
          });
          continue;
        }
        const detail = parseDetail(candidate.Detail);
        if (!detail.ok) {
          results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
          continue;
        }
        if (Buffer.byteLength(JSON.stringify(candidate), 'utf8') > MAX_ENTRY_BYTES) {
          results.push({
            ErrorCode: 'InvalidArgument',
            ErrorMessage: 'Total size of the entries in the request is over the limit.',
          });
          continue;
        }
        const id = randomUuid(random);
        const time = typeof candidate.Time === 'string' ? candidate.Time : new Date(options.clock.now()).toISOString();
        results.push({ EventId: id });
        deliveries.push({
          eventBusName: typeof candidate.EventBusName === 'string' ? candidate.EventBusName : 'default',
          event: {
            version: '0',
            id,
            'detail-type': candidate.DetailType as string,
            source: candidate.Source as string,
            account,
            // EventBridge stamps whole seconds.
            time: `${time.slice(0, 19)}Z`,
            region,
            resources: Array.isArray(candidate.Resources) ? (candidate.Resources as string[]) : [],
            detail: detail.value,
          },
        });
      }
      if (deliveries.length > 0) await options.onPutEvents(deliveries);
      return { FailedEntryCount: results.filter((entry) => 'ErrorCode' in entry).length, Entries: results };
    },
    get calls() {
      return recorder.calls;
    },
  };
}

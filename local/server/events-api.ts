/**
 * EventBridge `AWSEvents.PutEvents` (JSON 1.1): the entries go onto the runtime's event bus, whose rules are
 * the synthesized ones, and the answer lists an event id or an error per entry, as PutEvents does.
 */
import type { PutEventsEntry } from '../events/types';
import type { LocalRuntime } from '../runtime';
import type { JsonBody } from './aws-json';
import { commonErrors } from './errors';

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';
const MAX_ENTRIES = 10;

export async function putEvents(runtime: LocalRuntime, body: JsonBody) {
  const entries = body.Entries;
  if (entries === undefined || entries === null) throw commonErrors.missingField('entries');
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    throw commonErrors.validation(
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: " +
        `Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`,
    );
  }
  const result = await runtime.bus.putEvents(entries.map(asEntry));
  return {
    FailedEntryCount: result.failedEntryCount,
    Entries: result.entries.map((entry) =>
      entry.errorCode ? { ErrorCode: entry.errorCode, ErrorMessage: entry.errorMessage } : { EventId: entry.eventId },
    ),
  };
}

/** A wire entry as the bus takes it; `Time` travels as epoch seconds. */
function asEntry(value: unknown): PutEventsEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw commonErrors.serialization('Each PutEvents entry must be a JSON object.');
  }
  const entry = value as Record<string, unknown>;
  const time = entry.Time;
  return {
    ...(entry as PutEventsEntry),
    ...(typeof time === 'number' && { Time: new Date(time * 1000) }),
  };
}

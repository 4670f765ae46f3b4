/**
 * The Step Functions payload quota (AWS quotas): 262,144 bytes of UTF-8 for an execution's input, a state's
 * input and output, a task's result and a callback's output. States and tasks enforce it in the engine patch
 * (`States.DataLimitExceeded`); the API calls (StartExecution, SendTaskSuccess) refuse an oversized payload here.
 */
import { PayloadTooLargeError } from './errors';

export const PAYLOAD_QUOTA_BYTES = 262_144;

/** The payload's size as AWS counts it: bytes of its JSON text in UTF-8. */
export function payloadBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Throws PayloadTooLargeError (an AWS ValidationException) when `value` is over the quota. */
export function assertWithinPayloadQuota(value: unknown, member: 'input' | 'output'): void {
  const bytes = payloadBytes(value);
  if (bytes > PAYLOAD_QUOTA_BYTES) throw new PayloadTooLargeError(member, bytes, PAYLOAD_QUOTA_BYTES);
}

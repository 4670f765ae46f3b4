/**
 * Health alert ingestion, first step: reads the EventBridge event that started the workflow (a CloudWatch
 * alarm state change or an RDS event) and says which alert it concerns, what it does to it and which instance
 * it names. Pure: no AWS call, so its only failure is a malformed event (InvalidInputError, never retried).
 */
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { withErrorHandling } from '../shared/with-error-handling';
import { alarmHealthEvent, isAlarmStateChange } from './alarm-event';
import type { HealthEvent } from './health-event';
import { isRdsEvent, rdsHealthEvent } from './rds-event';

const InputSchema = z.object({
  event: z.record(z.string(), z.unknown(), { error: 'must be the EventBridge event (an object)' }),
  correlationId: z.string().optional(),
});

/** Reads an EventBridge event the ingestion rules forward, or says what is wrong with it. */
export function describeHealthEvent(event: unknown): HealthEvent {
  if (isAlarmStateChange(event)) return alarmHealthEvent(event);
  if (isRdsEvent(event)) return rdsHealthEvent(event);
  const fields = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  throw new InvalidInputError(
    `Not a health event: source ${JSON.stringify(fields.source)}, detail-type ${JSON.stringify(fields['detail-type'])}. ` +
      'Send a "CloudWatch Alarm State Change" (aws.cloudwatch) or an "RDS DB Instance Event" / "RDS DB Cluster Event" (aws.rds).',
  );
}

export const handler = withErrorHandling('describe-health-event', async (input: unknown, { logger }) => {
  const { event } = parseWith(InputSchema, input, 'describe-health-event input');
  const described = describeHealthEvent(event);
  logger.info('health event described', {
    alertId: described.alertId,
    effect: described.effect,
    eventId: described.eventId,
    eventTime: described.eventTime,
  });
  return described;
});

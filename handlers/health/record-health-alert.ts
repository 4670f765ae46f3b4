/**
 * Health alert ingestion, last step: applies one event to its alert in health-alerts. Read the alert, compute
 * the next item (`applyHealthEvent`), then write it and the event's audit-log entry in one transaction: the
 * audit entry's key is the event's time and id and may exist only once, so a duplicate delivery changes
 * nothing; the alert is conditioned on the version read (and, when the status changes, on its state event
 * being older), so concurrent events for one alert never lose an update: the loser reads again.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { ConflictError, fromAwsError, ThrottledError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { type TaskInvocation, withErrorHandling } from '../shared/with-error-handling';
import {
  type AlertEvent,
  type AlertItem,
  type AlertOutcome,
  applyHealthEvent,
  type Enrichment,
  isNewerThanState,
} from './alert-state';
import { SEVERITIES } from './health-event';

export const WORKFLOW_ACTOR = 'workflow:health-alert-ingestion';
/** Rounds of read-compute-write when other executions keep winning the same alert: each round one of them wins, so N concurrent events need at most N. */
export const MAX_WRITE_ATTEMPTS = 10;
const THROTTLING_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const RDS_NOT_FOUND = 'Rds.DbInstanceNotFoundException';

const text = z.string().min(1);
const AlertEventSchema = z.object({
  alertId: text,
  source: z.enum(['cloudwatch-alarm', 'rds-event']),
  effect: z.enum(['RAISE', 'RESOLVE'], { error: 'must be RAISE or RESOLVE (IGNORE events are not recorded)' }),
  condition: text,
  severity: z.enum(SEVERITIES),
  title: z.string(),
  message: z.string(),
  eventId: text,
  eventTime: z.iso.datetime({ error: 'must be an ISO-8601 UTC time' }),
  eventCode: text,
  instanceId: text.optional(),
  clusterId: text.optional(),
  alarmName: text.optional(),
  metricName: text.optional(),
});

const attribute = z.object({ S: z.string() }).optional();
const InputSchema = z.object({
  ingestion: z.object({
    alert: AlertEventSchema,
    /** `dynamodb:getItem` of rds-inventory (DynamoDB JSON). */
    inventoryLookup: z
      .object({ Item: z.object({ engine: attribute, instanceClass: attribute, status: attribute }).optional() })
      .optional(),
    /** The instance as DescribeDBInstances described it (the ASL ResultSelector). */
    described: z.object({ engine: z.string(), instanceClass: z.string(), status: z.string() }).optional(),
    /** Why the instance could not be looked up: a refused circuit, an RDS or DynamoDB error. */
    failure: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  }),
  recordedAt: z.iso.datetime({ error: 'must be an ISO-8601 UTC time ($$.State.EnteredTime)' }),
  correlationId: z.string().optional(),
});

export type RecordHealthAlertInput = z.infer<typeof InputSchema>;

export function parseRecordHealthAlertInput(input: unknown): RecordHealthAlertInput {
  return parseWith(InputSchema, input, 'record-health-alert input');
}

export interface RecordHealthAlertOutput {
  readonly alertId: string;
  /** DUPLICATE: this event id was recorded before; nothing changed. */
  readonly outcome: AlertOutcome | 'DUPLICATE';
  readonly status?: string;
  readonly severity?: string;
  readonly occurrenceCount?: number;
}

export interface RecordHealthAlertDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly alertsTable: string;
  readonly auditTable: string;
  /** Between conflicting rounds. @default a few jittered milliseconds */
  readonly pause?: (attempt: number) => Promise<void>;
}

/** What the workflow learned about the instance, from the lookup, the description or the failure beside them. */
export function enrichmentOf(ingestion: RecordHealthAlertInput['ingestion']): Enrichment {
  if (!ingestion.alert.instanceId) return { inventory: 'NONE' };
  const item = ingestion.inventoryLookup?.Item;
  if (item) {
    return {
      inventory: 'KNOWN',
      engine: item.engine?.S,
      instanceClass: item.instanceClass?.S,
      instanceStatus: item.status?.S,
    };
  }
  const { described, failure } = ingestion;
  if (described) {
    return {
      inventory: 'DESCRIBED',
      engine: described.engine,
      instanceClass: described.instanceClass,
      instanceStatus: described.status,
    };
  }
  if (failure?.Error === RDS_NOT_FOUND) return { inventory: 'NOT_FOUND' };
  return { inventory: 'UNAVAILABLE', enrichmentError: failure?.Error ?? 'not looked up' };
}

export async function recordHealthAlert(
  input: RecordHealthAlertInput,
  deps: RecordHealthAlertDependencies,
  invocation?: Pick<TaskInvocation, 'logger'>,
): Promise<RecordHealthAlertOutput> {
  const event = input.ingestion.alert as AlertEvent;
  const enrichment = enrichmentOf(input.ingestion);
  const pause = deps.pause ?? jitteredPause;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await readAlert(deps, event.alertId);
    if (current?.stateEventId === event.eventId) return duplicate(event);
    const { item, outcome } = applyHealthEvent(current, event, enrichment, input.recordedAt);
    const written = await writeAlert(deps, { current, item, outcome, event, correlationId: input.correlationId });
    if (written === 'DUPLICATE') return duplicate(event);
    if (written === 'WRITTEN') {
      invocation?.logger.info('health alert recorded', { alertId: event.alertId, outcome, attempt });
      return {
        alertId: item.alertId,
        outcome,
        status: item.status,
        severity: item.severity,
        occurrenceCount: item.occurrenceCount,
      };
    }
    await pause(attempt);
  }
  throw new ConflictError(
    `Alert ${event.alertId} changed ${MAX_WRITE_ATTEMPTS} times while event ${event.eventId} was being recorded; ` +
      'other executions kept writing it. Start the workflow again with the same event: a recorded event is skipped.',
  );
}

function duplicate(event: AlertEvent): RecordHealthAlertOutput {
  return { alertId: event.alertId, outcome: 'DUPLICATE' };
}

async function readAlert(deps: RecordHealthAlertDependencies, alertId: string): Promise<AlertItem | undefined> {
  try {
    const { Item } = await deps.dynamo.send(
      new GetCommand({ TableName: deps.alertsTable, Key: { alertId }, ConsistentRead: true }),
    );
    return Item as AlertItem | undefined;
  } catch (error) {
    throw fromAwsError(error, `Reading alert ${alertId} from ${deps.alertsTable}`);
  }
}

interface Write {
  readonly current: AlertItem | undefined;
  readonly item: AlertItem;
  readonly outcome: AlertOutcome;
  readonly event: AlertEvent;
  readonly correlationId?: string;
}

/** WRITTEN, DUPLICATE (the audit entry exists: the event was recorded) or CONFLICT (the alert changed: read again). */
async function writeAlert(
  deps: RecordHealthAlertDependencies,
  write: Write,
): Promise<'WRITTEN' | 'DUPLICATE' | 'CONFLICT'> {
  const { current, item, outcome, event } = write;
  try {
    await deps.dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.auditTable,
              Item: auditEntry(write),
              ConditionExpression: 'attribute_not_exists(subject)',
            },
          },
          { Put: { TableName: deps.alertsTable, Item: item, ...alertCondition(current, event, outcome) } },
        ],
      }),
    );
    return 'WRITTEN';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons === undefined) throw fromAwsError(error, `Recording event ${event.eventId} on alert ${event.alertId}`);
    if (reasons[0] === 'ConditionalCheckFailed') return 'DUPLICATE';
    if (reasons.some((reason) => THROTTLING_REASONS.has(reason))) {
      throw new ThrottledError(
        `Recording event ${event.eventId} on alert ${event.alertId}: DynamoDB throttled the transaction (${reasons.join(', ')}).`,
        { cause: error },
      );
    }
    if (reasons[1] === 'ConditionalCheckFailed' || reasons.includes('TransactionConflict')) return 'CONFLICT';
    throw fromAwsError(error, `Recording event ${event.eventId} on alert ${event.alertId} (${reasons.join(', ')})`);
  }
}

/**
 * The alert is written only over the version that was read; a status change also only over an older state
 * event, so even a writer that skipped the read could never let an older event overwrite a newer status.
 */
function alertCondition(current: AlertItem | undefined, event: AlertEvent, outcome: AlertOutcome) {
  if (!current) return { ConditionExpression: 'attribute_not_exists(alertId)' };
  const versioned = { '#version': 'version' };
  if (outcome === 'STALE' || !isNewerThanState(event, current)) {
    return {
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: versioned,
      ExpressionAttributeValues: { ':version': current.version },
    };
  }
  return {
    ConditionExpression:
      '#version = :version AND (#stateEventTime < :eventTime OR (#stateEventTime = :eventTime AND #stateEventId < :eventId))',
    ExpressionAttributeNames: { ...versioned, '#stateEventTime': 'stateEventTime', '#stateEventId': 'stateEventId' },
    ExpressionAttributeValues: {
      ':version': current.version,
      ':eventTime': event.eventTime,
      ':eventId': event.eventId,
    },
  };
}

function auditEntry({ item, outcome, event, correlationId }: Write): Record<string, unknown> {
  return {
    subject: `alert#${event.alertId}`,
    at: `${event.eventTime}#${event.eventId}`,
    actor: WORKFLOW_ACTOR,
    action: 'alert.event',
    outcome,
    eventId: event.eventId,
    eventCode: event.eventCode,
    ...(correlationId && { executionId: correlationId }),
    details: { status: item.status, severity: item.severity, occurrenceCount: item.occurrenceCount },
  };
}

function cancellationReasons(error: unknown): string[] | undefined {
  const fields = error as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  if (fields?.name !== 'TransactionCanceledException') return undefined;
  return (fields.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

function jitteredPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
}

export const handler = withErrorHandling('record-health-alert', async (input: unknown, invocation) => {
  const alertsTable = requireEnv('HEALTH_ALERTS_TABLE_NAME');
  const auditTable = requireEnv('AUDIT_LOG_TABLE_NAME');
  invocation.annotate({ table: alertsTable });
  return recordHealthAlert(
    parseRecordHealthAlertInput(input),
    { dynamo: dynamo(), alertsTable, auditTable },
    invocation,
  );
});

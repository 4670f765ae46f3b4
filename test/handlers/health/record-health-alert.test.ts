/** record-health-alert with the SDK mocked: the transaction it writes, duplicates, conflicts, error names, correlation. */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { AlertItem } from '../../../handlers/health/alert-state';
import { describeHealthEvent } from '../../../handlers/health/describe-health-event';
import {
  enrichmentOf,
  handler,
  MAX_WRITE_ATTEMPTS,
  parseRecordHealthAlertInput,
  type RecordHealthAlertInput,
  recordHealthAlert,
} from '../../../handlers/health/record-health-alert';
import { ConflictError, InvalidInputError, ThrottledError } from '../../../handlers/shared/errors';
import { alarmEvent } from '../../helpers/health-events';
import { type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ALERTS = 'health-alerts-1A2B';
const AUDIT = 'audit-log-3C4D';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:health-alert-ingestion:run-1';
const deps = () => ({
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  alertsTable: ALERTS,
  auditTable: AUDIT,
  pause: async () => undefined,
});

function input(overrides: Partial<RecordHealthAlertInput['ingestion']> = {}, event = alarmEvent()) {
  return parseRecordHealthAlertInput({
    ingestion: { alert: describeHealthEvent(event), ...overrides },
    recordedAt: '2026-03-19T19:34:10.000Z',
    correlationId: EXECUTION,
  });
}

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

afterEach(() => {
  ddb.reset();
  jest.restoreAllMocks();
});

describe('recordHealthAlert', () => {
  it('writes the new alert and its audit entry in one transaction, each with its condition', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const alert = describeHealthEvent(alarmEvent());

    const result = await recordHealthAlert(input(), deps());

    expect(result).toEqual({
      alertId: alert.alertId,
      outcome: 'CREATED',
      status: 'OPEN',
      severity: 'CRITICAL',
      occurrenceCount: 1,
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: ALERTS,
      Key: { alertId: alert.alertId },
      ConsistentRead: true,
    });
    const [write] = ddb.commandCalls(TransactWriteCommand);
    const [audit, put] = write!.args[0].input.TransactItems!;
    expect(audit!.Put).toEqual({
      TableName: AUDIT,
      ConditionExpression: 'attribute_not_exists(subject)',
      Item: expect.objectContaining({
        subject: `alert#${alert.alertId}`,
        at: `2026-03-19T19:34:09.293Z#${alert.eventId}`,
        actor: 'workflow:health-alert-ingestion',
        action: 'alert.event',
        outcome: 'CREATED',
        executionId: EXECUTION,
      }),
    });
    expect(put!.Put).toEqual(
      expect.objectContaining({
        TableName: ALERTS,
        ConditionExpression: 'attribute_not_exists(alertId)',
        Item: expect.objectContaining({ status: 'OPEN', version: 1, updatedAt: '2026-03-19T19:34:10.000Z' }),
      }),
    );
  });

  it('conditions a status change on the version read and on an older state event', async () => {
    const current = {
      alertId: 'x',
      status: 'OPEN',
      version: 7,
      stateEventTime: '2026-03-19T19:00:00.000Z',
      stateEventId: 'old',
    };
    ddb.on(GetCommand).resolves({
      Item: {
        ...current,
        firstSeenAt: current.stateEventTime,
        lastSeenAt: current.stateEventTime,
        occurrenceCount: 1,
      } as Partial<AlertItem>,
    });
    ddb.on(TransactWriteCommand).resolves({});

    const result = await recordHealthAlert(input({}, alarmEvent({ state: 'OK' })), deps());

    expect(result.outcome).toBe('RESOLVED');
    const put = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Put!;
    expect(put.ConditionExpression).toBe(
      '#version = :version AND (#stateEventTime < :eventTime OR (#stateEventTime = :eventTime AND #stateEventId < :eventId))',
    );
    expect(put.ExpressionAttributeValues).toEqual({
      ':version': 7,
      ':eventTime': '2026-03-19T19:34:09.293Z',
      ':eventId': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    });
  });

  it('answers DUPLICATE and changes nothing when the event set the alert already (no write at all)', async () => {
    const alert = describeHealthEvent(alarmEvent());
    ddb.on(GetCommand).resolves({ Item: { alertId: alert.alertId, stateEventId: alert.eventId, version: 1 } });

    const result = await recordHealthAlert(input(), deps());

    expect(result).toEqual({ alertId: alert.alertId, outcome: 'DUPLICATE' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('answers DUPLICATE when the audit entry of the event exists (an older duplicate)', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    await expect(recordHealthAlert(input(), deps())).resolves.toEqual(
      expect.objectContaining({ outcome: 'DUPLICATE' }),
    );
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('reads again and recomputes when another execution changed the alert in between', async () => {
    const alert = describeHealthEvent(alarmEvent());
    const winner = {
      alertId: alert.alertId,
      status: 'OPEN',
      raisedAt: '2026-03-19T19:00:00.000Z',
      firstSeenAt: '2026-03-19T19:00:00.000Z',
      lastSeenAt: '2026-03-19T19:00:00.000Z',
      stateEventTime: '2026-03-19T19:00:00.000Z',
      stateEventId: 'other',
      occurrenceCount: 1,
      version: 1,
    };
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: winner });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});

    const result = await recordHealthAlert(input(), deps());

    expect(result).toEqual(expect.objectContaining({ outcome: 'UPDATED', occurrenceCount: 2 }));
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    const retried = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems![1]!.Put!;
    expect(retried.ExpressionAttributeValues).toEqual(expect.objectContaining({ ':version': 1 }));
  });

  it(`gives up with ConflictError after ${MAX_WRITE_ATTEMPTS} lost rounds`, async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));

    const failure = await recordHealthAlert(input(), deps()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toEqual(expect.objectContaining({ statusCode: 409, retryable: false }));
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, MAX_WRITE_ATTEMPTS);
  });

  it('turns a throttled transaction or read into ThrottledError (429, retried by the workflow)', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ThrottlingError'));
    const throttledWrite = await recordHealthAlert(input(), deps()).catch((error: unknown) => error);
    ddb.reset();
    ddb.on(GetCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const throttledRead = await recordHealthAlert(input(), deps()).catch((error: unknown) => error);

    for (const failure of [throttledWrite, throttledRead]) {
      expect(failure).toBeInstanceOf(ThrottledError);
      expect(failure).toEqual(expect.objectContaining({ statusCode: 429, retryable: true, countsForCircuit: true }));
    }
  });
});

describe('enrichmentOf', () => {
  const alert = describeHealthEvent(alarmEvent());
  const base = { alert } as RecordHealthAlertInput['ingestion'];

  it.each([
    [
      'the inventory item',
      {
        inventoryLookup: {
          Item: { engine: { S: 'postgres' }, instanceClass: { S: 'db.m6g.large' }, status: { S: 'available' } },
        },
      },
      { inventory: 'KNOWN', engine: 'postgres', instanceClass: 'db.m6g.large', instanceStatus: 'available' },
    ],
    [
      'the RDS description',
      { inventoryLookup: {}, described: { engine: 'mysql', instanceClass: 'db.t4g.medium', status: 'stopped' } },
      { inventory: 'DESCRIBED', engine: 'mysql', instanceClass: 'db.t4g.medium', instanceStatus: 'stopped' },
    ],
    [
      'a missing instance',
      { inventoryLookup: {}, failure: { Error: 'Rds.DbInstanceNotFoundException', Cause: '' } },
      { inventory: 'NOT_FOUND' },
    ],
    [
      'a refused circuit',
      { inventoryLookup: {}, failure: { Error: 'CircuitOpenError', Cause: 'open' } },
      { inventory: 'UNAVAILABLE', enrichmentError: 'CircuitOpenError' },
    ],
  ])('links the instance from %s', (_, fields, expected) => {
    expect(enrichmentOf({ ...base, ...fields } as RecordHealthAlertInput['ingestion'])).toEqual(expected);
  });

  it('says NONE for an alert that names no instance', () => {
    const fleetWide = describeHealthEvent(alarmEvent({ dimensions: { EngineName: 'postgres' } }));
    expect(enrichmentOf({ alert: fleetWide } as RecordHealthAlertInput['ingestion'])).toEqual({ inventory: 'NONE' });
  });
});

describe('record-health-alert handler', () => {
  let output: CapturedOutput;
  const saved = { ...process.env };
  beforeEach(() => {
    output = captureOutput();
    Object.assign(process.env, {
      HEALTH_ALERTS_TABLE_NAME: ALERTS,
      AUDIT_LOG_TABLE_NAME: AUDIT,
      AWS_REGION: 'us-east-1',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads its tables from the environment and logs under the execution id', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const payload = {
      ingestion: { alert: describeHealthEvent(alarmEvent()) },
      recordedAt: '2026-03-19T19:34:10.000Z',
      correlationId: EXECUTION,
    };

    await expect(handler(payload, fakeContext())).resolves.toEqual(expect.objectContaining({ outcome: 'CREATED' }));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: ALERTS });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'health alert recorded', correlationId: EXECUTION, outcome: 'CREATED' }),
    );
  });

  it('refuses an IGNORE event and a missing recordedAt with InvalidInputError naming the fields', async () => {
    const ignored = describeHealthEvent(alarmEvent({ state: 'INSUFFICIENT_DATA' }));

    const failure = await handler({ ingestion: { alert: ignored }, correlationId: EXECUTION }, fakeContext()).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(InvalidInputError);
    expect((failure as Error).message).toMatch(
      /ingestion.alert.effect: must be RAISE or RESOLVE \(IGNORE events are not recorded\); recordedAt: must be an ISO-8601 UTC time/,
    );
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 0);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', errorName: 'InvalidInputError', correlationId: EXECUTION }),
    );
  });
});

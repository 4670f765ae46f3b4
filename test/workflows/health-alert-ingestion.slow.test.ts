/**
 * The real health-alert-ingestion workflow on the synthesized app: EventBridge rules matching RDS alarms and RDS
 * events, alerts created, resolved and linked to the inventory, duplicate and out-of-order delivery, retries in the
 * trace, a validation error not retried, and the rds-api circuit opening under an RDS outage.
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../local/clock';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime';
import { deliverEvents } from '../../local/scenarios/deliver-events';
import { alarmEvent, rdsEvent } from '../../local/scenarios/health-events';
import { deployedCircuitSettings, readCircuit } from '../../local/scenarios/tables';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import { retrySummary } from '../../local/stepfunctions/retry-summary';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';

const WORKFLOW = 'health-alert-ingestion';

let model: AppModel;
let runtime: LocalRuntime;

beforeAll(() => {
  model = loadAppModel();
});

afterEach(async () => {
  await runtime?.stop();
});

async function startRuntime(options: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> {
  runtime = await LocalRuntime.start({ model, clock: new VirtualClock(), handlerLogLevel: 'SILENT', ...options });
  return runtime;
}

const documents = () => DynamoDBDocumentClient.from(runtime.dynamoDbClient);

/** Delivers events as EventBridge does (a redelivery keeps its id); the executions they start. */
const deliver = (...events: readonly object[]): Promise<ExecutionRecord[]> => deliverEvents(runtime, ...events);

async function alert(alertId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents().send(
    new GetCommand({ TableName: runtime.tableName('healthAlerts'), Key: { alertId }, ConsistentRead: true }),
  );
  return Item;
}

async function auditOf(subject: string): Promise<Record<string, unknown>[]> {
  const { Items } = await documents().send(
    new QueryCommand({
      TableName: runtime.tableName('auditLog'),
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': subject },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

const recordedOutcome = (execution: ExecutionRecord) =>
  (execution.output as { recorded?: { outcome?: string } } | undefined)?.recorded?.outcome;

const describeCalls = () => runtime.services.rds.calls.filter((call) => call.action === 'describeDBInstances').length;

const ALARM_ID = 'alarm#arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-prod-pg-01-free-storage';

describe('health-alert-ingestion on the synthesized app', () => {
  it('starts on state changes of RDS alarms and on RDS health events, and on nothing else', async () => {
    await startRuntime();

    const started = await deliver(
      alarmEvent({ id: 'rds-alarm' }),
      alarmEvent({ id: 'ec2-alarm', namespace: 'AWS/EC2', dimensions: { InstanceId: 'i-0123' } }),
      alarmEvent({ id: 'composite', metrics: [] }),
      rdsEvent({ id: 'availability', categories: ['availability'] }),
      rdsEvent({
        id: 'backup',
        categories: ['backup'],
        eventId: 'RDS-EVENT-0002',
        message: 'Finished DB Instance backup',
      }),
      rdsEvent({
        id: 'cluster',
        cluster: true,
        identifier: 'ledger-prod',
        categories: ['failover'],
        eventId: 'RDS-EVENT-0073',
      }),
    );

    expect(started.map((execution) => [execution.workflow, (execution.input as { id: string }).id])).toEqual([
      [WORKFLOW, 'rds-alarm'],
      [WORKFLOW, 'availability'],
      [WORKFLOW, 'cluster'],
    ]);
    expect(started.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('raises an alert linked to the inventory without calling RDS, then resolves it, each event audited', async () => {
    await startRuntime();
    const [instance] = runtime.services.rds.instances();
    await runtime.execute('inventory-refresh', { trigger: 'manual' });
    const callsAfterRefresh = describeCalls();
    const dimensions = { DBInstanceIdentifier: instance!.DbInstanceIdentifier };

    const [raised, resolved] = await deliver(
      alarmEvent({ id: 'alarm-1', dimensions, timestamp: '2026-03-19T19:00:00.000+0000' }),
      alarmEvent({ id: 'ok-1', dimensions, state: 'OK', timestamp: '2026-03-19T19:30:00.000+0000' }),
    );
    const item = await alert(ALARM_ID);

    expect([recordedOutcome(raised!), recordedOutcome(resolved!)]).toEqual(['CREATED', 'RESOLVED']);
    expect(describeCalls()).toBe(callsAfterRefresh);
    expect(item).toEqual(
      expect.objectContaining({
        status: 'RESOLVED',
        severity: 'CRITICAL',
        instanceId: instance!.DbInstanceIdentifier,
        inventory: 'KNOWN',
        engine: instance!.Engine,
        raisedAt: '2026-03-19T19:00:00.000Z',
        resolvedAt: '2026-03-19T19:30:00.000Z',
        occurrenceCount: 1,
      }),
    );
    expect((await auditOf(`alert#${ALARM_ID}`)).map((entry) => [entry.outcome, entry.executionId])).toEqual([
      ['CREATED', raised!.executionArn],
      ['RESOLVED', resolved!.executionArn],
    ]);
  });

  it('records a duplicate delivery of one event once: the second execution changes nothing', async () => {
    await startRuntime();
    const event = alarmEvent({ id: 'delivered-twice' });

    const [first, second] = await deliver(event, event);

    expect([recordedOutcome(first!), recordedOutcome(second!)]).toEqual(['CREATED', 'DUPLICATE']);
    expect(await alert(ALARM_ID)).toEqual(expect.objectContaining({ occurrenceCount: 1, version: 1 }));
    expect(await auditOf(`alert#${ALARM_ID}`)).toHaveLength(1);
  });

  it('keeps the newer status when an older event is delivered after it', async () => {
    await startRuntime();

    const [resolved, lateRaise] = await deliver(
      alarmEvent({ id: 'ok', state: 'OK', timestamp: '2026-03-19T19:30:00.000+0000' }),
      alarmEvent({ id: 'alarm', state: 'ALARM', timestamp: '2026-03-19T19:00:00.000+0000' }),
    );

    expect([recordedOutcome(resolved!), recordedOutcome(lateRaise!)]).toEqual(['RESOLVED', 'STALE']);
    expect(await alert(ALARM_ID)).toEqual(
      expect.objectContaining({ status: 'RESOLVED', stateEventId: 'ok', occurrenceCount: 1 }),
    );
  });

  it('describes an instance the inventory lacks through RDS, and records a deleted one as NOT_FOUND, uncounted', async () => {
    await startRuntime();
    const [instance] = runtime.services.rds.instances();

    const [known, deleted] = await deliver(
      rdsEvent({ id: 'present', identifier: instance!.DbInstanceIdentifier }),
      rdsEvent({ id: 'gone', identifier: 'deleted-db-01' }),
    );
    const present = await alert(
      `rds#arn:aws:rds:us-east-1:123456789012:db:${instance!.DbInstanceIdentifier}#availability`,
    );
    const gone = await alert('rds#arn:aws:rds:us-east-1:123456789012:db:deleted-db-01#availability');

    expect([known!.status, deleted!.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(present).toEqual(
      expect.objectContaining({ status: 'OPEN', inventory: 'DESCRIBED', instanceClass: instance!.DbInstanceClass }),
    );
    expect(gone).toEqual(expect.objectContaining({ status: 'OPEN', inventory: 'NOT_FOUND' }));
    expect(describeCalls()).toBe(2);
    expect((await readCircuit(runtime, 'rds-api'))?.failureCount ?? 0).toBe(0);
  });

  it('fails a malformed event with InvalidInputError without retrying it, and audits the failure', async () => {
    await startRuntime();

    const execution = await runtime.execute(WORKFLOW, { source: 'aws.rds', 'detail-type': 'RDS DB Instance Event' });
    const [entry] = await auditOf('workflow#health-alert-ingestion');

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidInputError');
    expect(execution.cause).toMatch(/Invalid RDS event: id: must be the EventBridge event id/);
    expect(retrySummary(execution.trace).retries).toBe(0);
    expect(entry).toEqual(
      expect.objectContaining({ outcome: 'FAILED', error: 'InvalidInputError', executionId: execution.executionArn }),
    );
  });

  it('absorbs transient faults with the presets, each retry counted in the trace', async () => {
    await startRuntime();
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 3,
        faults: [
          {
            target: { state: 'Look up the instance in the inventory' },
            error: 'DynamoDB.ProvisionedThroughputExceededException',
            cause: 'The level of configured provisioned throughput for the table was exceeded.',
            count: 2,
          },
          {
            target: { state: 'Record the health alert' },
            error: 'Lambda.ServiceException',
            cause: 'Lambda is down',
            count: 1,
          },
        ],
      }),
    );

    const [execution] = await deliver(alarmEvent());
    const retried = Object.fromEntries(
      retrySummary(execution!.trace).states.map((state) => [state.state, state.retriedErrors]),
    );

    expect(execution!.status).toBe('SUCCEEDED');
    expect(retried).toEqual(
      expect.objectContaining({
        'Look up the instance in the inventory': { 'DynamoDB.ProvisionedThroughputExceededException': 2 },
        'Record the health alert': { 'Lambda.ServiceException': 1 },
      }),
    );
    expect(await alert(ALARM_ID)).toEqual(expect.objectContaining({ status: 'OPEN' }));
  });

  it('opens the rds-api circuit during an RDS outage and keeps recording alerts without calling RDS', async () => {
    await startRuntime();
    const { failureThreshold } = deployedCircuitSettings(runtime, 'rds-api');
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 4,
        faults: [
          { target: { service: 'rds', action: 'describeDBInstances' }, error: 'Throttling', cause: 'Rate exceeded' },
        ],
      }),
    );
    const outage = Array.from({ length: failureThreshold }, (_, index) =>
      rdsEvent({ id: `outage-${index}`, identifier: `db-${index}` }),
    );

    const failing = await deliver(...outage);
    const opened = await readCircuit(runtime, 'rds-api');
    const callsWhenOpened = runtime.services.rds.calls.length;
    const [refused] = await deliver(rdsEvent({ id: 'while-open', identifier: 'db-c' }));

    expect(failing.map((execution) => execution.status)).toEqual(outage.map(() => 'SUCCEEDED'));
    expect(opened).toEqual(expect.objectContaining({ state: 'OPEN', lastError: 'Rds.RdsException' }));
    expect(refused!.status).toBe('SUCCEEDED');
    expect(runtime.services.rds.calls.length).toBe(callsWhenOpened);
    expect(await alert('rds#arn:aws:rds:us-east-1:123456789012:db:db-c#availability')).toEqual(
      expect.objectContaining({ status: 'OPEN', inventory: 'UNAVAILABLE', enrichmentError: 'CircuitOpenError' }),
    );
    expect(await alert('rds#arn:aws:rds:us-east-1:123456789012:db:db-0#availability')).toEqual(
      expect.objectContaining({ status: 'OPEN', inventory: 'UNAVAILABLE', enrichmentError: 'Rds.RdsException' }),
    );
  });
});

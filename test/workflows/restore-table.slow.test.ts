/**
 * restore-table on the synthesized app, on a virtual clock: restoring exactly the state before a corruption, the
 * request checks, one restore per table, approval by task token (approve, reject, time out), the bounded polling
 * of a slow restore, retried throttling, and validation that keeps a bad restore for inspection.
 */
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import type { LocalRuntime } from '../../local/runtime';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';
import { approveRequest, getApproval, rejectRequest } from '../../operations/approvals';
import {
  alert,
  approvalStore,
  auditActions,
  coordinationItem,
  documents,
  MINUTE,
  putAlerts,
  restoreRequest,
  scanTable,
  startRecoveryRuntime,
  tableNames,
  untilWaitingForApproval,
} from './recovery-harness';

const RESTORE = 'restore-table';
const SUBJECT = 'table#health-alerts';
const LOCK = 'restore#healthAlerts';

let model: AppModel;
let runtime: LocalRuntime;

beforeAll(() => {
  model = loadAppModel();
});

afterEach(async () => {
  await runtime?.stop();
});

function outcome(execution: ExecutionRecord) {
  return { status: execution.status, error: execution.error, cause: execution.cause };
}

/** A runtime with twenty valid alerts, ten minutes later so the PITR window covers them. */
async function newSeededRuntime(options: Parameters<typeof startRecoveryRuntime>[1] = {}): Promise<LocalRuntime> {
  const started = await startRecoveryRuntime(model, options);
  await putAlerts(
    started,
    Array.from({ length: 20 }, (_, index) => alert(index)),
  );
  await started.clock.sleep(10 * MINUTE);
  return started;
}

/** The same, as this file's `runtime` (stopped after each test). */
async function seededRuntime(options: Parameters<typeof startRecoveryRuntime>[1] = {}): Promise<LocalRuntime> {
  runtime = await newSeededRuntime(options);
  return runtime;
}

/** Bad writes: an alert overwritten with garbage, one deleted, one added broken. */
async function corrupt(): Promise<void> {
  const table = runtime.tableName('healthAlerts');
  const docs = documents(runtime);
  await docs.send(new PutCommand({ TableName: table, Item: alert(3, { severity: 'PANIC', raisedAt: 'not a time' }) }));
  await docs.send(new DeleteCommand({ TableName: table, Key: { alertId: 'alert-007' } }));
  await docs.send(new PutCommand({ TableName: table, Item: { alertId: 'alert-999', status: 42 } }));
}

function retries(execution: ExecutionRecord, state: string): number {
  return execution.trace.filter((event) => event.type === 'StateRetried' && event.state === state).length;
}

describe('restore-table: point-in-time restore into a new table', () => {
  it('brings back exactly the state one second before a corruption, with the settings a restore does not carry', async () => {
    // Prepare
    await seededRuntime();
    const before = await scanTable(runtime, runtime.tableName('healthAlerts'));
    const corruptedAt = runtime.clock.now();
    await corrupt();
    await runtime.clock.sleep(6 * MINUTE);
    const restoreTo = new Date(corruptedAt - 1000).toISOString();

    // Act
    const execution = await runtime.execute(RESTORE, restoreRequest({ restoreTo }));

    // Assess
    expect(outcome(execution)).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    const output = execution.output as Record<string, unknown>;
    const restoredName = String(output.restoredTableName);
    expect(restoredName).toBe(`${runtime.tableName('healthAlerts')}-restored-20261130091600`);
    expect(await scanTable(runtime, restoredName)).toEqual(before);
    expect(await scanTable(runtime, runtime.tableName('healthAlerts'))).not.toEqual(before);
    expect(output).toEqual(
      expect.objectContaining({
        table: 'health-alerts',
        restorePoint: restoreTo,
        recoveryPointSeconds: 361,
        validation: expect.objectContaining({ itemCount: 20, invalidItems: 0 }),
      }),
    );
    expect(output.recoveryTimeSeconds).toBeGreaterThan(0);

    const pitr = await runtime.dynamoDbClient.send(new DescribeContinuousBackupsCommand({ TableName: restoredName }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual(
      expect.objectContaining({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 }),
    );
    const { Table } = await runtime.dynamoDbClient.send(new DescribeTableCommand({ TableName: restoredName }));
    expect(Table?.DeletionProtectionEnabled).toBe(true);
    const { Tags } = await runtime.dynamoDbClient.send(new ListTagsOfResourceCommand({ ResourceArn: Table?.TableArn }));
    expect(Tags).toEqual(expect.arrayContaining([{ Key: 'rds-ops:restored-from', Value: 'healthAlerts' }]));
    expect(Tags?.map((tag) => tag.Key)).not.toContain('rds-ops:table');

    expect(await coordinationItem(runtime, LOCK)).toBeUndefined();
    // Entries of the same (virtual) millisecond sort by their suffix, so compare them as a set.
    expect((await auditActions(runtime, SUBJECT)).sort()).toEqual([
      'restore.approval-skipped',
      'restore.requested',
      'restore.settings-reapplied',
      'restore.started',
      'restore.succeeded',
      'restore.table-active',
      'restore.validated',
    ]);
    expect(runtime.services.sns.published.map((message) => message.subject)).toEqual([
      'Restored health-alerts into a new table',
    ]);
  });

  it('keeps a restore that brought corrupt items back, names it, and releases the lock', async () => {
    // Prepare: the latest restorable time is after the corruption
    await seededRuntime();
    await corrupt();
    await runtime.clock.sleep(6 * MINUTE);
    const tablesBefore = await tableNames(runtime);

    // Act
    const execution = await runtime.execute(RESTORE, restoreRequest());

    // Assess
    expect(execution.error).toBe('RestoreValidationFailed');
    const created = (await tableNames(runtime)).filter((name) => !tablesBefore.includes(name));
    expect(created).toHaveLength(1);
    expect(execution.cause).toContain(`The restored table ${created[0]} failed validation and is kept`);
    expect(execution.cause).toContain('2 of 20 restored items break the healthAlerts item rules');
    expect(await coordinationItem(runtime, LOCK)).toBeUndefined();
    expect(await auditActions(runtime, SUBJECT)).toContain('restore.failed');
    expect(await auditActions(runtime, SUBJECT)).not.toContain('restore.succeeded');
  });

  it('retries a throttled restore call with backoff and then restores', async () => {
    // Prepare
    const state = 'Restore the table to the latest restorable time';
    await seededRuntime({
      faultPlan: parseFaultPlan({
        seed: 3,
        faults: [
          {
            target: { state },
            error: 'DynamoDb.LimitExceededException',
            cause: 'Too many concurrent restores (Service: DynamoDb, Status Code: 400)',
            count: 2,
          },
        ],
      }),
    });

    // Act
    const execution = await runtime.execute(RESTORE, restoreRequest());

    // Assess
    expect(outcome(execution).status).toBe('SUCCEEDED');
    expect(retries(execution, state)).toBe(2);
  });

  it('polls a restore that takes 20 minutes with a growing interval, in a bounded number of transitions', async () => {
    // Prepare
    await seededRuntime({ restoreDurationMs: 20 * MINUTE });

    // Act
    const execution = await runtime.execute(RESTORE, restoreRequest());

    // Assess
    expect(outcome(execution).status).toBe('SUCCEEDED');
    const wait = runtime.executions.find((candidate) => candidate.workflow === 'wait-for-table-active')!;
    const transitions = wait.trace.filter((event) => event.type === 'StateEntered').length;
    const output = execution.output as { polls: number; waitSeconds: number; restoreSeconds: number };
    // 5 + 10 + 20 + 40 + 60 * 19 s: 24 polls where a fixed 5-second interval would need 240.
    expect(output.polls).toBe(24);
    expect(output.waitSeconds).toBe(1215);
    expect(output.restoreSeconds).toBeGreaterThanOrEqual(20 * 60);
    expect(transitions).toBeLessThanOrEqual(6 * output.polls);
  });
});

describe('restore-table: one restore per table at a time', () => {
  it('runs one restore for two triggers at once; the second ends as RestoreAlreadyRunning naming the first', async () => {
    // Prepare
    await seededRuntime();
    const first = runtime.start(RESTORE, restoreRequest({ approval: 'required' }));
    await untilWaitingForApproval(runtime, first.executionArn);

    // Act
    const second = await runtime.execute(RESTORE, restoreRequest({ approval: 'required', requestedBy: 'bob' }));

    // Assess
    expect(second.error).toBe('RestoreAlreadyRunning');
    expect(second.cause).toContain(first.executionArn);
    expect((await coordinationItem(runtime, LOCK))?.executionArn).toBe(first.executionArn);
    const requestId = `restore-${first.record.name}`;
    await approveRequest(approvalStore(runtime), requestId, { actor: 'carol', reason: 'confirmed corruption' });
    expect((await first.done).status).toBe('SUCCEEDED');
    expect(await coordinationItem(runtime, LOCK)).toBeUndefined();
  });
});

describe('restore-table: approval', () => {
  it('waits for an operator, then restores; the decision, who and why, is in rds-approvals and the audit log', async () => {
    // Prepare
    await seededRuntime();
    const started = runtime.start(RESTORE, restoreRequest({ approval: 'required' }));
    await untilWaitingForApproval(runtime, started.executionArn);
    const requestId = `restore-${started.record.name}`;
    const pending = await getApproval(approvalStore(runtime), requestId);

    // Act
    await approveRequest(approvalStore(runtime), requestId, {
      actor: 'carol',
      reason: 'alerts look wrong since 09:07',
    });
    const execution = await started.done;

    // Assess
    expect(pending).toEqual(
      expect.objectContaining({ status: 'PENDING', kind: 'restore', table: 'health-alerts', requestedBy: 'alice' }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(await getApproval(approvalStore(runtime), requestId)).toEqual(
      expect.objectContaining({
        status: 'APPROVED',
        decidedBy: 'carol',
        decisionReason: 'alerts look wrong since 09:07',
      }),
    );
    const actions = await auditActions(runtime, SUBJECT);
    expect(actions).toEqual(
      expect.arrayContaining(['restore.approval-requested', 'restore.approval-granted', 'restore.approved']),
    );
    expect(runtime.services.sns.published[0]?.message).toContain(`rds-ops approvals approve ${requestId}`);
  });

  it('ends as RestoreRejected when an operator rejects it: lock released, nothing created', async () => {
    // Prepare
    await seededRuntime();
    const tablesBefore = await tableNames(runtime);
    const started = runtime.start(RESTORE, restoreRequest({ approval: 'required' }));
    await untilWaitingForApproval(runtime, started.executionArn);

    // Act
    await rejectRequest(approvalStore(runtime), `restore-${started.record.name}`, {
      actor: 'dave',
      reason: 'the alerts are fine, the dashboard was wrong',
    });
    const execution = await started.done;

    // Assess
    expect(execution.error).toBe('RestoreRejected');
    expect(execution.cause).toContain('Rejected by dave');
    expect(await tableNames(runtime)).toEqual(tablesBefore);
    expect(await coordinationItem(runtime, LOCK)).toBeUndefined();
    expect(await auditActions(runtime, SUBJECT)).toEqual(
      expect.arrayContaining(['restore.approval-refused', 'restore.failed']),
    );
  });

  it('ends as ApprovalTimedOut when nobody answers within the approval timeout: request expired, nothing created', async () => {
    // Prepare
    await seededRuntime();
    const tablesBefore = await tableNames(runtime);
    const startedAt = runtime.clock.now();

    // Act
    const execution = await runtime.execute(RESTORE, restoreRequest({ approval: 'required' }));

    // Assess
    expect(execution.error).toBe('ApprovalTimedOut');
    expect(runtime.clock.now() - startedAt).toBe(4 * 60 * MINUTE);
    expect((await getApproval(approvalStore(runtime), `restore-${execution.name}`)).status).toBe('EXPIRED');
    expect(await tableNames(runtime)).toEqual(tablesBefore);
    expect(await coordinationItem(runtime, LOCK)).toBeUndefined();
  });
});

describe('restore-table: invalid requests', () => {
  let shared: LocalRuntime;
  let tablesBefore: string[];
  let takenName: string;

  beforeAll(async () => {
    shared = await newSeededRuntime();
    const runtime = shared;
    takenName = `${runtime.tableName('healthAlerts')}-restored-taken`;
    await runtime.dynamoDbClient.send(
      new CreateTableCommand({
        TableName: takenName,
        KeySchema: [{ AttributeName: 'alertId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'alertId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await runtime.dynamoDbClient.send(
      new UpdateContinuousBackupsCommand({
        TableName: runtime.tableName('costSnapshots'),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );
    tablesBefore = await tableNames(runtime);
  });

  afterAll(async () => {
    await shared.stop();
  });

  const cases: [string, () => unknown, string][] = [
    ['a missing field', () => restoreRequest({ reason: undefined }), 'missing field reason'],
    ['an unknown field', () => restoreRequest({ colour: 'red' }), 'unknown field colour'],
    ['an unknown table', () => restoreRequest({ tableName: 'orders' }), 'unknown table "orders"'],
    [
      'metrics-cache',
      () => restoreRequest({ tableName: 'metrics-cache' }),
      'metrics-cache has no point-in-time recovery',
    ],
    [
      'circuit-breakers',
      () => restoreRequest({ tableName: 'circuit-breakers' }),
      'circuit-breakers has no point-in-time',
    ],
    [
      'PITR disabled on the source',
      () => restoreRequest({ tableName: 'cost-snapshots' }),
      'point-in-time recovery is DISABLED on cost-snapshots',
    ],
    [
      'restoreTo that is not a time',
      () => restoreRequest({ restoreTo: 'yesterday' }),
      'restoreTo must be an ISO-8601 time with a zone',
    ],
    [
      'restoreTo without a zone',
      () => restoreRequest({ restoreTo: '2026-11-30T09:05:00' }),
      'restoreTo must be an ISO-8601 time with a zone',
    ],
    [
      'restoreTo before the window',
      () => restoreRequest({ restoreTo: '2026-11-29T09:00:00Z' }),
      'choose a time between EarliestRestorableDateTime 2026-11-30T09:00:00.000Z and LatestRestorableDateTime',
    ],
    [
      'restoreTo inside the PITR lag',
      () => restoreRequest({ restoreTo: new Date(shared.clock.now() - MINUTE).toISOString() }),
      'is outside the restorable window of health-alerts',
    ],
    ['restoreTo in the future', () => restoreRequest({ restoreTo: '2027-01-01T00:00:00Z' }), 'is in the future'],
    ['a target name that is taken', () => restoreRequest({ targetTableName: takenName }), '-restored-taken is taken'],
    [
      'a target name outside the restored pattern',
      () => restoreRequest({ targetTableName: 'my-copy' }),
      'targetTableName must be',
    ],
    ['approval skip for an alarm', () => restoreRequest({ requestedBy: 'alarm:integrity' }), 'always asks an operator'],
    ['an unknown approval', () => restoreRequest({ approval: 'later' }), 'approval must be "required" or "skip"'],
    ['an input that is not an object', () => 'restore health-alerts please', 'the input must be a JSON object'],
  ];

  it.each(cases)(
    'refuses %s with InvalidInputError, creating nothing and taking no lock',
    async (_, input, expected) => {
      // Act
      const execution = await shared.execute(RESTORE, input());

      // Assess
      expect(execution.error).toBe('InvalidInputError');
      expect(execution.cause).toContain(expected);
      expect(execution.cause).toMatch(/^The restore request is invalid and nothing was created: /);
      expect(await tableNames(shared)).toEqual(tablesBefore);
      for (const tableId of ['healthAlerts', 'costSnapshots', 'metricsCache', 'circuitBreakers']) {
        expect(await coordinationItem(shared, `restore#${tableId}`)).toBeUndefined();
      }
    },
  );
});

/**
 * The other recovery paths on the synthesized app: the scheduled integrity check and its alarms starting a
 * restore through the EventBridge rule (with CloudWatch's event shape), the cutover that copies a restored table
 * back, and the two reusable child machines on their own (a restore that does not finish in time, settings that
 * partly fail to re-apply).
 */
import { CreateTableCommand, DescribeBackupCommand, DescribeContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { stateChangeEntry } from '../../local/alarms/local-alarms';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import type { LocalRuntime } from '../../local/runtime';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';
import { approveRequest } from '../../operations/approvals';
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
  untilWaitingForApproval,
} from './recovery-harness';

let model: AppModel;
let runtime: LocalRuntime;

beforeAll(() => {
  model = loadAppModel();
});

afterEach(async () => {
  await runtime?.stop();
});

function integrityRule(): string {
  const rule = model.rules.find((candidate) => candidate.name.includes('TableIntegritySchedule'));
  if (!rule) throw new Error('no integrity schedule rule');
  return rule.name;
}

function datapoint(metricName: string, table = 'health-alerts') {
  return runtime.services.cloudwatch.datapoints
    .filter((point) => point.metricName === metricName && point.dimensions[0]?.Value === table)
    .map((point) => point.maximum);
}

async function corrupt(): Promise<void> {
  const table = runtime.tableName('healthAlerts');
  await documents(runtime).send(new PutCommand({ TableName: table, Item: alert(3, { severity: 'PANIC' }) }));
  await documents(runtime).send(new PutCommand({ TableName: table, Item: { alertId: 'alert-999', status: 42 } }));
}

describe('data-integrity check and alarms', () => {
  it('publishes item counts and violations per protected table, counting broken items and a sharp drop', async () => {
    // Prepare
    runtime = await startRecoveryRuntime(model);
    await putAlerts(
      runtime,
      Array.from({ length: 20 }, (_, index) => alert(index)),
    );

    // Act
    const clean = await runtime.fireSchedule(integrityRule());
    await corrupt();
    await runtime.fireSchedule(integrityRule());
    for (let index = 10; index < 20; index++) {
      await documents(runtime).send(
        new DeleteCommand({ TableName: runtime.tableName('healthAlerts'), Key: { alertId: alert(index).alertId } }),
      );
    }
    await runtime.fireSchedule(integrityRule());

    // Assess
    // An Express execution keeps no history (on AWS, its logs): it ran, and its metrics below show how far.
    expect(clean.deliveries.map((delivery) => delivery.executionArn)).toEqual([expect.stringContaining(':express:')]);
    expect(datapoint('ItemCount')).toEqual([20, 21, 11]);
    expect(datapoint('InvalidItems')).toEqual([0, 2, 2]);
    expect(datapoint('IntegrityViolations')).toEqual([0, 2, 12]);
    expect(datapoint('ItemCount', 'audit-log')).toEqual([0, 0, 0]);
  });

  it('starts restore-table from the alarm through the rule, with the alarm as trigger and restore point', async () => {
    // Prepare: a clean check, then corruption, then the next check
    runtime = await startRecoveryRuntime(model);
    await putAlerts(
      runtime,
      Array.from({ length: 20 }, (_, index) => alert(index)),
    );
    await runtime.clock.sleep(5 * MINUTE);
    await runtime.fireSchedule(integrityRule());
    const quiet = await runtime.evaluateAlarms();
    await runtime.clock.sleep(2 * MINUTE);
    await corrupt();
    await runtime.clock.sleep(3 * MINUTE);
    await runtime.fireSchedule(integrityRule());

    // Act
    const { changes, startedExecutions } = await runtime.evaluateAlarms();

    // Assess: the alarm's state change, as CloudWatch sends it
    expect(quiet.changes.every((change) => change.current.value === 'OK')).toBe(true);
    const alarmed = changes.filter((change) => change.current.value === 'ALARM');
    expect(alarmed.map((change) => change.alarm.name)).toEqual(['RdsOps-Dev-health-alerts-IntegrityViolated']);
    const [change] = alarmed;
    const entry = stateChangeEntry(change.alarm, change.previous, change.current);
    const detail = JSON.parse(entry.Detail!);
    expect(entry).toEqual(
      expect.objectContaining({
        Source: 'aws.cloudwatch',
        DetailType: 'CloudWatch Alarm State Change',
        Resources: [change.alarm.arn],
      }),
    );
    expect(detail).toEqual({
      alarmName: change.alarm.name,
      state: {
        value: 'ALARM',
        reason: expect.stringMatching(
          /^Threshold Crossed: 1 out of the last 1 datapoint \[2\.0 \(30\/11\/26 09:10:00\)\]/,
        ),
        reasonData: expect.any(String),
        timestamp: '2026-11-30T09:10:00.000+0000',
      },
      previousState: {
        value: 'OK',
        reason: expect.any(String),
        reasonData: expect.any(String),
        timestamp: expect.any(String),
      },
      configuration: {
        description: expect.stringContaining(
          'health-alerts: The data-integrity check found items breaking the table rules',
        ),
        metrics: [
          {
            id: expect.any(String),
            metricStat: {
              metric: {
                namespace: 'RdsOps/DataIntegrity',
                name: 'IntegrityViolations',
                dimensions: { TableName: 'health-alerts' },
              },
              period: 300,
              stat: 'Maximum',
            },
            returnData: true,
          },
        ],
      },
    });
    expect(JSON.parse(detail.state.reasonData)).toEqual(
      expect.objectContaining({ recentDatapoints: [2], threshold: 1 }),
    );

    // ...and the restore it started, through the rule's input transformer
    expect(startedExecutions).toHaveLength(1);
    await untilWaitingForApproval(runtime, startedExecutions[0]);
    const waiting = runtime.tokens.pending().find((task) => task.executionArn === startedExecutions[0])!;
    expect(waiting.stateName).toBe('Ask an operator to approve the restore');
    await approveRequest(approvalStore(runtime), `restore-${startedExecutions[0].split(':').pop()}`, {
      actor: 'carol',
      reason: 'the integrity alarm is right',
    });
    const execution = await runtime.waitForExecution(startedExecutions[0]);
    expect(execution.input).toEqual({
      tableName: 'health-alerts',
      restoreTo: { before: '2026-11-30T09:10:00.000+0000', marginSeconds: 600 },
      reason: `Data-integrity alarm ${change.alarm.name} went to ALARM`,
      requestedBy: `alarm:${change.alarm.name}`,
      approval: 'required',
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual(
      expect.objectContaining({ restorePoint: '2026-11-30T09:00:00.000Z', recoveryPointSeconds: 600 }),
    );
    const output = execution.output as { restoredTableName: string; validation: { invalidItems: number } };
    expect(output.validation.invalidItems).toBe(0);
    expect(await scanTable(runtime, output.restoredTableName)).toHaveLength(20);
  });
});

describe('cutover-table', () => {
  /** Twenty alerts, a corruption and a newer valid alert, and a table restored to before the corruption. */
  async function restoredCopy(): Promise<{ restoredTableName: string; before: Record<string, unknown>[] }> {
    runtime = await startRecoveryRuntime(model);
    await putAlerts(
      runtime,
      Array.from({ length: 20 }, (_, index) => alert(index)),
    );
    await runtime.clock.sleep(10 * MINUTE);
    const before = await scanTable(runtime, runtime.tableName('healthAlerts'));
    const corruptedAt = runtime.clock.now();
    await corrupt();
    await putAlerts(runtime, [alert(50)]);
    await runtime.clock.sleep(6 * MINUTE);
    const restore = await runtime.execute(
      'restore-table',
      restoreRequest({ restoreTo: new Date(corruptedAt - 1000).toISOString() }),
    );
    expect(restore.status).toBe('SUCCEEDED');
    return { restoredTableName: (restore.output as { restoredTableName: string }).restoredTableName, before };
  }

  it('copies the restored items back after approval, reports the newer items and backs the live table up first', async () => {
    // Prepare
    const { restoredTableName, before } = await restoredCopy();
    const started = runtime.start('cutover-table', {
      restoredTableName,
      tableName: 'health-alerts',
      reason: 'bring back the alerts from before deploy 4711',
      requestedBy: 'alice',
    });
    await untilWaitingForApproval(runtime, started.executionArn);

    // Act
    await approveRequest(approvalStore(runtime), `cutover-${started.record.name}`, { actor: 'carol', reason: 'go' });
    const execution = await started.done;

    // Assess
    expect({ status: execution.status, error: execution.error, cause: execution.cause }).toEqual({
      status: 'SUCCEEDED',
      error: undefined,
      cause: undefined,
    });
    const live = await scanTable(runtime, runtime.tableName('healthAlerts'));
    const liveWithoutNewer = live.filter((item) => item.alertId !== 'alert-050' && item.alertId !== 'alert-999');
    expect(liveWithoutNewer).toEqual(before);
    const output = execution.output as {
      backupArn: string;
      newer: { newer: number; examples: Record<string, unknown>[] }[];
      copied: { copied: number }[];
    };
    expect(output.copied.reduce((total, segment) => total + segment.copied, 0)).toBe(20);
    expect(output.newer.reduce((total, segment) => total + segment.newer, 0)).toBe(2);
    expect(
      output.newer
        .flatMap((segment) => segment.examples)
        .map((key) => key.alertId)
        .sort(),
    ).toEqual(['alert-050', 'alert-999']);
    const backup = await runtime.dynamoDbClient.send(new DescribeBackupCommand({ BackupArn: output.backupArn }));
    expect(backup.BackupDescription?.BackupDetails?.BackupStatus).toBe('AVAILABLE');
    expect(backup.BackupDescription?.SourceTableDetails?.ItemCount).toBe(22);
    expect(await coordinationItem(runtime, 'writes#healthAlerts')).toBeUndefined();
    expect(await coordinationItem(runtime, 'restore#healthAlerts')).toBeUndefined();
    expect(runtime.bus.listRules().every((rule) => rule.state === 'ENABLED')).toBe(true);
    expect(await auditActions(runtime, 'table#health-alerts')).toEqual(
      expect.arrayContaining(['cutover.writers-paused', 'cutover.backed-up', 'cutover.copied', 'cutover.succeeded']),
    );
  });

  it('deletes the newer items only with removeNewer', async () => {
    // Prepare
    const { restoredTableName, before } = await restoredCopy();
    const started = runtime.start('cutover-table', {
      restoredTableName,
      tableName: 'health-alerts',
      reason: 'exact copy',
      requestedBy: 'alice',
      removeNewer: true,
    });
    await untilWaitingForApproval(runtime, started.executionArn);

    // Act
    await approveRequest(approvalStore(runtime), `cutover-${started.record.name}`, { actor: 'carol', reason: 'go' });
    const execution = await started.done;

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(await scanTable(runtime, runtime.tableName('healthAlerts'))).toEqual(before);
  });

  it('refuses a restored table that was not restored from the table named in the input', async () => {
    // Prepare
    const { restoredTableName } = await restoredCopy();

    // Act
    const execution = await runtime.execute('cutover-table', {
      restoredTableName,
      tableName: 'audit-log',
      reason: 'wrong table',
      requestedBy: 'alice',
    });

    // Assess
    expect(execution.error).toBe('InvalidInputError');
    expect(execution.cause).toContain('a cutover only copies a restored table back into its own source');
    expect(await coordinationItem(runtime, 'writes#auditLog')).toBeUndefined();
  });

  /** A cutover of audit-log, which the inventory-refresh schedule and the integrity alarm rule write. */
  async function auditLogCutover(faults: Record<string, unknown>[] = []) {
    runtime = await startRecoveryRuntime(model, { faultPlan: parseFaultPlan({ seed: 1, faults }) });
    await runtime.clock.sleep(10 * MINUTE);
    const restore = await runtime.execute('restore-table', restoreRequest({ tableName: 'audit-log' }));
    expect(restore.status).toBe('SUCCEEDED');
    const started = runtime.start('cutover-table', {
      restoredTableName: (restore.output as { restoredTableName: string }).restoredTableName,
      tableName: 'audit-log',
      reason: 'put the audit trail back',
      requestedBy: 'alice',
    });
    await untilWaitingForApproval(runtime, started.executionArn);
    await approveRequest(approvalStore(runtime), `cutover-${started.record.name}`, { actor: 'carol', reason: 'go' });
    return started.done;
  }

  function ruleCalls() {
    return runtime.services.eventbridgeRules.calls.map(
      (call) => `${call.action} ${(call.params as { Name: string }).Name}`,
    );
  }

  it('pauses exactly the rules whose workflows write the table while it copies, and resumes them', async () => {
    // Act
    const execution = await auditLogCutover();

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const writers = model.rules
      // Every workflow that writes audit-log: the refresh, the ingestion (two rules), the cost snapshot, the restore,
      // the drill and the PITR compliance check; not the deleted-table recovery (a deletion must never wait)
      .filter((rule) =>
        /InventoryRefreshSchedule|HealthAlertIngestionRds(Alarm|Event)Rule|CostSnapshotSchedule|IntegrityAlarmRule|DrDrillSchedule|PitrComplianceSchedule/.test(
          rule.name,
        ),
      )
      .map((rule) => rule.name)
      .sort();
    expect(writers).toHaveLength(7);
    const calls = ruleCalls();
    expect(calls.filter((call) => call.startsWith('disableRule')).sort()).toEqual(
      writers.map((name) => `disableRule ${name}`),
    );
    expect(calls.filter((call) => call.startsWith('enableRule')).sort()).toEqual(
      writers.map((name) => `enableRule ${name}`),
    );
    expect(calls.findIndex((call) => call.startsWith('enableRule'))).toBeGreaterThan(
      calls.findLastIndex((call) => call.startsWith('disableRule')),
    );
    expect(runtime.bus.listRules().every((rule) => rule.state === 'ENABLED')).toBe(true);
  });

  it('resumes the paused writers and releases the hold and the lock when the copy fails', async () => {
    // Act
    const execution = await auditLogCutover([
      { target: { state: 'Copy a segment of the restored items' }, error: 'UnexpectedError', cause: 'disk on fire' },
    ]);

    // Assess
    expect({ error: execution.error, cause: execution.cause }).toEqual({
      error: 'UnexpectedError',
      cause: 'disk on fire',
    });
    expect(ruleCalls().filter((call) => call.startsWith('disableRule'))).toHaveLength(7);
    expect(ruleCalls().filter((call) => call.startsWith('enableRule'))).toHaveLength(7);
    expect(runtime.bus.listRules().every((rule) => rule.state === 'ENABLED')).toBe(true);
    expect(await coordinationItem(runtime, 'writes#auditLog')).toBeUndefined();
    expect(await coordinationItem(runtime, 'restore#auditLog')).toBeUndefined();
  });
});

describe('the reusable child machines', () => {
  it('wait-for-table-active gives up with RestoreTimedOutError and leaves the table', async () => {
    // Prepare
    runtime = await startRecoveryRuntime(model, { restoreDurationMs: 60 * MINUTE });
    await putAlerts(runtime, [alert(1)]);
    await runtime.clock.sleep(10 * MINUTE);
    const restore = runtime.start('restore-table', restoreRequest());
    const target = `${runtime.tableName('healthAlerts')}-restored-20261130091000`;
    await runtime.clock.sleep(1000);

    // Act
    const execution = await runtime.execute('wait-for-table-active', {
      tableName: target,
      maxWaitSeconds: 120,
      firstPollSeconds: 5,
      maxPollSeconds: 60,
    });

    // Assess
    expect(execution.error).toBe('RestoreTimedOutError');
    expect(execution.cause).toContain(`Table ${target} is still CREATING after 135 s of polling (limit: 120 s)`);
    await restore.done;
  });

  it('reapply-table-settings registers auto scaling, and names the settings that failed while applying the others', async () => {
    // Prepare
    runtime = await startRecoveryRuntime(model, {
      faultPlan: parseFaultPlan({
        seed: 1,
        faults: [{ target: { state: 'Tag the table' }, error: 'DynamoDb.ValidationException', cause: 'Too many tags' }],
      }),
    });
    const tableName = `${runtime.tableName('healthAlerts')}-restored-manual`;
    await runtime.dynamoDbClient.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'alertId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'alertId', AttributeType: 'S' }],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      }),
    );
    const scaling = (dimension: string) => ({
      resourceId: `table/${tableName}`,
      scalableDimension: `dynamodb:table:${dimension}CapacityUnits`,
      minCapacity: 5,
      maxCapacity: 50,
      policyName: `${dimension.toLowerCase()}-utilization-70`,
      targetValue: 70,
      predefinedMetricType: `DynamoDB${dimension}CapacityUtilization`,
    });

    // Act
    const execution = await runtime.execute('reapply-table-settings', {
      tableName,
      settings: {
        tableName,
        tableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}`,
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 },
        deletionProtection: false,
        timeToLive: { enabled: true, attributeName: 'expiresAt' },
        tags: [{ Key: 'team', Value: 'dba' }],
        hasTags: true,
        autoScaling: [scaling('Read'), scaling('Write')],
        hasAutoScaling: true,
      },
    });

    // Assess
    expect(execution.error).toBe('SettingsNotReappliedError');
    expect(execution.cause).toContain(`These settings were not re-applied to ${tableName}`);
    expect(execution.cause).toContain('"tags"');
    expect(execution.cause).not.toContain('"autoScaling"');
    const pitr = await runtime.dynamoDbClient.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays).toBe(7);
    expect(runtime.services.applicationAutoScaling.targets.map((target) => target.ScalableDimension).sort()).toEqual([
      'dynamodb:table:ReadCapacityUnits',
      'dynamodb:table:WriteCapacityUnits',
    ]);
    expect(runtime.services.applicationAutoScaling.policies.map((policy) => policy.PolicyName).sort()).toEqual([
      'read-utilization-70',
      'write-utilization-70',
    ]);
  });
});

/**
 * dr-drill and pitr-compliance on the synthesized app, on a virtual clock: a drill restores all five protected
 * tables into drill-* scratch tables, reports RTOs, publishes its metrics and deletes only the scratch tables (also a
 * day-old leftover, and also when a step fails halfway, per a fault plan); the compliance check finds PITR switched
 * off, publishes PitrEnabled 0 and turns it back on.
 */
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import type { LocalRuntime } from '../../local/runtime';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';
import {
  alert,
  auditActions,
  documents,
  MINUTE,
  putAlerts,
  startRecoveryRuntime,
  tableNames,
} from './recovery-harness';

const PROTECTED = ['rdsInventory', 'healthAlerts', 'auditLog', 'costSnapshots', 'rdsApprovals'];
const HOUR = 60 * MINUTE;

let model: AppModel;
let runtime: LocalRuntime;

beforeAll(async () => {
  model = loadAppModel();
  runtime = await startRecoveryRuntime(model);
  await putAlerts(
    runtime,
    Array.from({ length: 8 }, (_, index) => alert(index)),
  );
  await runtime.clock.sleep(10 * MINUTE);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

function datapoints(target: LocalRuntime, metricName: string) {
  return target.services.cloudwatch.datapoints.filter(
    (point) => point.namespace === 'RdsOps/DisasterRecovery' && point.metricName === metricName,
  );
}

async function drillReports(target: LocalRuntime) {
  const { Items } = await documents(target).send(
    new QueryCommand({
      TableName: target.tableName('auditLog'),
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': 'dr-drill' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('dr-drill', () => {
  it('restores every protected table into a scratch table, reports the RTOs and deletes only the scratch tables', async () => {
    // Prepare: a scratch table a crashed drill left two days ago, and one of today's
    await runtime.dynamoDbClient.send(
      new CreateTableCommand({
        TableName: 'drill-health-alerts-old',
        KeySchema: [{ AttributeName: 'alertId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'alertId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await runtime.clock.sleep(25 * HOUR);
    const live = PROTECTED.map((tableId) => runtime.tableName(tableId));

    // Act
    const execution = await runtime.execute('dr-drill', { requestedBy: 'alice', reason: 'quarterly drill' });

    // Assess
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const report = execution.output as {
      passed: boolean;
      leftoversRemoved: number;
      tables: {
        table: string;
        passed: boolean;
        recoveryTimeSeconds: number;
        withinTarget: boolean;
        scratchDeleted: boolean;
      }[];
    };
    expect(report.passed).toBe(true);
    expect(report.leftoversRemoved).toBe(1);
    expect(report.tables.map((table) => table.table).sort()).toEqual([
      'audit-log',
      'cost-snapshots',
      'health-alerts',
      'rds-approvals',
      'rds-inventory',
    ]);
    for (const table of report.tables) {
      expect(table).toMatchObject({ passed: true, withinTarget: true, scratchDeleted: true });
      expect(table.recoveryTimeSeconds).toBeGreaterThanOrEqual(60);
    }
    const names = await tableNames(runtime);
    expect(names.filter((name) => name.startsWith('drill-'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(live));
    expect(
      datapoints(runtime, 'DrillRecoveryTimeSeconds')
        .map((point) => point.dimensions[0]?.Value)
        .sort(),
    ).toEqual([...live].sort());
    expect(datapoints(runtime, 'DrillFailed').every((point) => point.maximum === 0)).toBe(true);
    const [stored] = await drillReports(runtime);
    expect(stored).toMatchObject({ action: 'drill.passed', requestedBy: 'alice', details: { passed: true } });
  });

  it('deletes the scratch tables of a drill that fails halfway and reports the failed table', async () => {
    // Prepare: the wait for one scratch table times out while it is still CREATING
    const faulty = await startRecoveryRuntime(model, {
      faultPlan: parseFaultPlan({
        seed: 1,
        faults: [
          { target: { state: 'Wait for the scratch table to become ACTIVE' }, error: 'States.Timeout', count: 1 },
        ],
      }),
    });
    try {
      await faulty.clock.sleep(10 * MINUTE);

      // Act
      const execution = await faulty.execute('dr-drill', {});

      // Assess
      expect(execution).toMatchObject({ status: 'FAILED', error: 'DrillFailedError' });
      const [stored] = await drillReports(faulty);
      expect(stored).toBeTruthy();
      const { tables } = stored!.details as { tables: { passed: boolean; error?: string; scratchDeleted: boolean }[] };
      expect(tables.filter((table) => !table.passed)).toEqual([
        expect.objectContaining({ error: 'States.Timeout', scratchDeleted: true }),
      ]);
      expect(tables.filter((table) => table.passed)).toHaveLength(4);
      expect((await tableNames(faulty)).filter((name) => name.startsWith('drill-'))).toEqual([]);
      expect(datapoints(faulty, 'DrillFailed').filter((point) => point.maximum === 1)).toHaveLength(1);
    } finally {
      await faulty.stop();
    }
  });
});

describe('pitr-compliance', () => {
  it('publishes PitrEnabled per table, and turns PITR back on where it was switched off', async () => {
    // Prepare
    const table = runtime.tableName('costSnapshots');
    await runtime.dynamoDbClient.send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );

    // Act
    const execution = await runtime.execute('pitr-compliance', { trigger: 'schedule' });

    // Assess
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const results = (execution.output as { tables: { tableName: string; pitrEnabled: boolean; remediated: boolean }[] })
      .tables;
    expect(results.filter((result) => !result.pitrEnabled)).toEqual([
      expect.objectContaining({ tableName: table, remediated: true }),
    ]);
    const published = datapoints(runtime, 'PitrEnabled');
    expect(published).toHaveLength(5);
    expect(published.filter((point) => point.maximum === 0).map((point) => point.dimensions[0]?.Value)).toEqual([
      table,
    ]);
    const pitr = await runtime.dynamoDbClient.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 35,
    });
    expect(await auditActions(runtime, 'table#cost-snapshots')).toContain('pitr.remediated');
    const { changes } = await runtime.evaluateAlarms();
    expect(
      changes.filter((change) => change.current.value === 'ALARM').map((change) => change.alarm.name),
    ).toContainEqual('RdsOps-Dev-cost-snapshots-PitrDisabled');
  });
});

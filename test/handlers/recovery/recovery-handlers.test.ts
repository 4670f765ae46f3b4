/**
 * The recovery handlers alone, with the DynamoDB client mocked: the plan of a deleted-table recovery (refusals,
 * the newest system backup, the declared settings), the drill plan (scratch names, leftovers older than the age,
 * only protected tables) and the drill report (RTO against the target).
 */
import {
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTablesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { planDrill } from '../../../handlers/recovery/plan-drill';
import { planTableRecovery, type RecoverySettings } from '../../../handlers/recovery/plan-table-recovery';
import { drillReport } from '../../../handlers/recovery/record-drill-report';
import type { TableCatalog } from '../../../handlers/restore/table-catalog';
import { formatDrillReports } from '../../../operations/drills';

const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });

afterEach(() => {
  dynamo.reset();
});

const CATALOG: TableCatalog = {
  restoredTablePrefix: 'RdsOps-Dev-Data-',
  tables: [
    {
      tableId: 'healthAlerts',
      logicalName: 'health-alerts',
      tableName: 'RdsOps-Dev-Data-HealthAlerts',
      tableArn: 'arn:aws:dynamodb:us-east-1:1:table/RdsOps-Dev-Data-HealthAlerts',
      protected: true,
      keyAttributes: ['alertId'],
      indexNames: ['byInstance'],
    },
    {
      tableId: 'metricsCache',
      logicalName: 'metrics-cache',
      tableName: 'RdsOps-Dev-Data-MetricsCache',
      tableArn: 'arn:aws:dynamodb:us-east-1:1:table/RdsOps-Dev-Data-MetricsCache',
      protected: false,
      keyAttributes: ['cacheKey'],
      ttlAttribute: 'expiresAt',
    },
  ],
};
const SETTINGS: RecoverySettings = {
  recoveryPeriodInDays: 35,
  deletionProtection: true,
  tags: { project: 'rds-ops-reliability', stage: 'dev' },
  maxWaitSeconds: 600,
  firstPollSeconds: 5,
  maxPollSeconds: 60,
  claimSeconds: 3000,
};
const NOW = '2026-12-01T10:00:00.000Z';

function plan(request: unknown, capacity = {}) {
  return planTableRecovery(
    { request, now: NOW, executionName: 'exec-1' },
    { dynamoDb: client, catalog: CATALOG, settings: SETTINGS, capacity },
  );
}

describe('plan-table-recovery', () => {
  it.each([
    [{ tableName: 'health-alerts', extra: 1 }, /unknown field extra/],
    [{}, /tableName is missing/],
    [{ tableName: 'nope' }, /"nope" is not a table of this app \(protected: health-alerts\)/],
    [{ tableName: 'metrics-cache' }, /metrics-cache has no PITR by design/],
    [{ tableName: 'health-alerts', deletedAt: 'yesterday' }, /deletedAt "yesterday" is not an ISO-8601 time/],
  ])('refuses %j without looking at DynamoDB', async (request, problem) => {
    const planned = await plan(request);

    expect(planned.valid).toBe(false);
    expect(planned.problem).toMatch(problem);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('refuses a table that still exists: there is nothing to recover', async () => {
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableName: 'RdsOps-Dev-Data-HealthAlerts' } });

    const planned = await plan({ tableName: 'health-alerts' });

    expect(planned).toMatchObject({ valid: false, problem: expect.stringContaining('use restore-table') });
  });

  it('picks the newest available system backup and declares the settings to re-apply', async () => {
    dynamo
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .on(ListBackupsCommand)
      .resolves({
        BackupSummaries: [
          { BackupArn: 'arn:old', BackupStatus: 'AVAILABLE', BackupCreationDateTime: new Date('2026-11-01T00:00:00Z') },
          { BackupArn: 'arn:new', BackupStatus: 'AVAILABLE', BackupCreationDateTime: new Date('2026-12-01T09:59:00Z') },
          { BackupArn: 'arn:busy', BackupStatus: 'CREATING', BackupCreationDateTime: new Date('2026-12-01T09:59:30Z') },
        ],
      })
      .on(DescribeBackupCommand)
      .resolves({ BackupDescription: { SourceTableDetails: { ItemCount: 42 } as never } });
    const provisioned = {
      healthAlerts: { mode: 'PROVISIONED', read: { min: 1, max: 5 }, write: { min: 1, max: 5 } },
    };

    const planned = await plan({ tableName: 'RdsOps-Dev-Data-HealthAlerts', eventId: 'evt-1' }, provisioned);

    expect(planned).toMatchObject({
      valid: true,
      backupFound: true,
      backup: { arn: 'arn:new', createdAt: '2026-12-01T09:59:00.000Z', itemCount: 42 },
      claim: { key: 'recovery#RdsOps-Dev-Data-HealthAlerts#evt-1' },
      settings: {
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
        deletionProtection: true,
        timeToLive: { enabled: false },
        hasAutoScaling: true,
      },
    });
    expect(planned.settings?.tags).toContainEqual({ Key: 'rds-ops:table', Value: 'healthAlerts' });
    expect(planned.settings?.autoScaling.map((setting) => setting.resourceId)).toEqual([
      'table/RdsOps-Dev-Data-HealthAlerts',
      'table/RdsOps-Dev-Data-HealthAlerts',
      'table/RdsOps-Dev-Data-HealthAlerts/index/byInstance',
      'table/RdsOps-Dev-Data-HealthAlerts/index/byInstance',
    ]);
  });

  it('plans a NoRecoveryPointError with the runbook section when there is no system backup', async () => {
    dynamo
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .on(ListBackupsCommand)
      .resolves({ BackupSummaries: [] });

    const planned = await plan({ tableName: 'health-alerts' });

    expect(planned).toMatchObject({ valid: true, backupFound: false });
    expect(planned.noRecoveryPoint).toContain('docs/disaster-recovery-runbook.md#table-deleted');
  });
});

describe('plan-drill', () => {
  const settings = {
    rtoTargetSeconds: 7200,
    maxConcurrency: 2,
    leftoverMaxAgeSeconds: 86_400,
    validationSampleSize: 10,
    maxWaitSeconds: 600,
    firstPollSeconds: 5,
    maxPollSeconds: 60,
  };

  it('names a scratch table per protected table and lists only drill-* tables older than the age', async () => {
    dynamo
      .on(ListTablesCommand)
      .resolves({ TableNames: ['RdsOps-Dev-Data-HealthAlerts', 'drill-health-alerts-old', 'drill-health-alerts-new'] })
      .on(DescribeTableCommand, { TableName: 'drill-health-alerts-old' })
      .resolves({ Table: { CreationDateTime: new Date('2026-11-29T10:00:00Z') } })
      .on(DescribeTableCommand, { TableName: 'drill-health-alerts-new' })
      .resolves({ Table: { CreationDateTime: new Date('2026-12-01T09:00:00Z') } });

    const drill = await planDrill({ now: NOW, executionName: 'x' }, { dynamoDb: client, catalog: CATALOG, settings });

    expect(drill.tables.map((table) => table.scratchTableName)).toEqual(['drill-health-alerts-20261201100000']);
    expect(drill.leftovers).toEqual(['drill-health-alerts-old']);
    expect(drill).toMatchObject({ drillId: 'drill-20261201100000', requestedBy: 'schedule', maxConcurrency: 2 });
  });

  it('refuses a table without PITR', async () => {
    await expect(
      planDrill(
        { now: NOW, executionName: 'x', request: { tables: ['metrics-cache'] } },
        { dynamoDb: client, catalog: CATALOG, settings },
      ),
    ).rejects.toMatchObject({ name: 'InvalidInputError', message: expect.stringContaining('not a protected table') });
  });
});

describe('drill report', () => {
  const base = {
    drill: { drillId: 'drill-1', startedAt: NOW, requestedBy: 'alice', reason: 'q4', rtoTargetSeconds: 100 },
    leftoversRemoved: [{ tableName: 'drill-x', deleted: true }],
    finishedAt: '2026-12-01T10:05:00.000Z',
    executionArn: 'arn',
    executionName: 'e',
  };

  it('fails a drill whose table is slower than the target, and one whose table failed', () => {
    const report = drillReport({
      ...base,
      results: [
        { table: 'a', scratchTableName: 'drill-a', passed: true, recoveryTimeSeconds: 80, scratchDeleted: true },
        { table: 'b', scratchTableName: 'drill-b', passed: true, recoveryTimeSeconds: 120, scratchDeleted: true },
        { table: 'c', scratchTableName: 'drill-c', passed: false, error: 'States.Timeout', scratchDeleted: false },
      ],
    });

    expect(report).toMatchObject({
      passed: false,
      failedTables: ['c'],
      slowTables: ['b'],
      scratchTablesLeft: ['drill-c'],
      leftoversRemoved: 1,
      slowestRecoveryTimeSeconds: 120,
      durationSeconds: 300,
    });
    expect(report.tables.map((table) => table.withinTarget)).toEqual([true, false, false]);
    expect(formatDrillReports([report])[3]).toMatch(/^drill-1\s+c\s+failed: States.Timeout\s+-\s+-\s+-\s+100\s+no/);
  });

  it('refuses an empty result list', () => {
    expect(() => drillReport({ ...base, results: [] })).toThrow(/non-empty results list/);
  });
});

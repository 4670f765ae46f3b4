/**
 * recover-deleted-table on the synthesized app, on a virtual clock: a protected table deleted through the SDK comes
 * back under its name with its items and settings, started by the CloudTrail event the local DynamoDB emits; the
 * same event delivered twice recovers once; without a system backup the execution ends in NoRecoveryPointError.
 */
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_EVENT_BUS } from '../../local/events/event-envelope';
import type { LocalRuntime } from '../../local/runtime';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';
import { alert, auditActions, MINUTE, putAlerts, scanTable, startRecoveryRuntime } from './recovery-harness';

const RECOVER = 'recover-deleted-table';

let model: AppModel;
let runtime: LocalRuntime;

// One runtime for the file: each test deletes another table.
beforeAll(async () => {
  model = loadAppModel();
  runtime = await startRecoveryRuntime(model);
  await putAlerts(
    runtime,
    Array.from({ length: 12 }, (_, index) => alert(index)),
  );
  await runtime.clock.sleep(10 * MINUTE);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

/** What an operator's cleanup script does by mistake: switch off deletion protection, then delete. */
async function deleteByMistake(tableName: string): Promise<void> {
  await runtime.dynamoDbClient.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: false }));
  await runtime.dynamoDbClient.send(new DeleteTableCommand({ TableName: tableName }));
}

/** The recoveries of one table (by its physical name), oldest first. */
async function recoveryExecutions(tableName: string) {
  await runtime.settle();
  const { arn } = runtime.stateMachine(RECOVER);
  return runtime.executions.filter(
    (execution) =>
      execution.stateMachineArn === arn && (execution.input as { tableName?: string }).tableName === tableName,
  );
}

function trailEventsOf(tableName: string) {
  return runtime.cloudTrailEvents.filter(
    ({ event }) =>
      (event.detail as { requestParameters: { tableName: string } }).requestParameters.tableName === tableName,
  );
}

describe('recover-deleted-table', () => {
  it('brings a table deleted through the SDK back under its name with its items and settings', async () => {
    // Prepare
    const items = Array.from({ length: 12 }, (_, index) => alert(index));
    const table = runtime.tableName('healthAlerts');

    // Act
    await deleteByMistake(table);
    const [execution, ...others] = await recoveryExecutions(table);

    // Assess
    const [trail] = trailEventsOf(table);
    expect(trail?.event).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.dynamodb',
      detail: {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'DeleteTable',
        requestParameters: { tableName: table },
      },
    });
    expect(others).toEqual([]);
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const output = execution!.output as Record<string, unknown>;
    expect(output).toMatchObject({
      table: 'health-alerts',
      tableName: table,
      validation: { itemCount: 12, invalidItems: 0 },
    });
    expect(output.recoveryTimeSeconds).toBeGreaterThan(60);
    expect(output.recoveryPointSeconds).toBe(0);
    expect(await scanTable(runtime, table)).toEqual(await sorted(items));
    const { Table } = await runtime.dynamoDbClient.send(new DescribeTableCommand({ TableName: table }));
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', DeletionProtectionEnabled: true });
    const pitr = await runtime.dynamoDbClient.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 35,
    });
    const { Tags } = await runtime.dynamoDbClient.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
    expect(Tags).toEqual(expect.arrayContaining([{ Key: 'rds-ops:table', Value: 'healthAlerts' }]));
    expect(await auditActions(runtime, 'table#health-alerts')).toEqual(
      expect.arrayContaining([
        'recovery.started',
        'recovery.active',
        'recovery.settings-reapplied',
        'recovery.succeeded',
      ]),
    );
    const notice = runtime.services.sns.published.find((message) => message.subject?.startsWith('Recovered deleted'));
    expect(notice?.message).toContain(table);
  });

  it('re-applies the TTL attribute the data stack declares', async () => {
    // Prepare
    const table = runtime.tableName('rdsApprovals');

    // Act
    await deleteByMistake(table);
    const [execution] = await recoveryExecutions(table);

    // Assess
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const ttl = await runtime.dynamoDbClient.send(new DescribeTimeToLiveCommand({ TableName: table }));
    const declared = model.tables.find((candidate) => candidate.tableName === table)?.timeToLiveAttribute;
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe(declared ? 'ENABLED' : 'DISABLED');
  });

  it('starts one recovery when the same CloudTrail event is delivered twice', async () => {
    // Prepare
    const table = runtime.tableName('rdsInventory');
    await deleteByMistake(table);
    const { event } = trailEventsOf(table)[0]!;

    // Act
    await runtime.bus.routeEvents([{ eventBusName: DEFAULT_EVENT_BUS, event }]);
    const executions = await recoveryExecutions(table);

    // Assess
    expect(executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const duplicates = executions.filter((execution) => (execution.output as { duplicate?: boolean }).duplicate);
    expect(duplicates).toHaveLength(1);
    const actions = await auditActions(runtime, 'table#rds-inventory');
    expect(actions.filter((action) => action === 'recovery.started')).toHaveLength(1);
    expect(actions).toContain('recovery.duplicate');
  });

  it('ends in NoRecoveryPointError with the runbook section when PITR was off at the deletion', async () => {
    // Prepare
    const table = runtime.tableName('costSnapshots');
    await runtime.dynamoDbClient.send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );

    // Act
    await deleteByMistake(table);
    const [execution] = await recoveryExecutions(table);

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'NoRecoveryPointError' });
    expect(execution!.cause).toContain('docs/disaster-recovery-runbook.md#table-deleted');
    const notice = runtime.services.sns.published.find((message) => message.subject?.startsWith('Recovery of deleted'));
    expect(notice?.message).toContain('NoRecoveryPointError');
  });

  it('records a refused DeleteTable with its errorCode, which the rule does not match', async () => {
    // Prepare
    const table = runtime.tableName('auditLog');

    // Act
    await expect(runtime.dynamoDbClient.send(new DeleteTableCommand({ TableName: table }))).rejects.toThrow(
      /DeletionProtectionEnabled/,
    );
    const executions = await recoveryExecutions(table);

    // Assess
    expect(trailEventsOf(table).map(({ event }) => event.detail)).toEqual([
      expect.objectContaining({ eventName: 'DeleteTable', errorCode: 'ValidationException' }),
    ]);
    expect(executions).toEqual([]);
  });
});

async function sorted(items: readonly Record<string, unknown>[]) {
  return [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/**
 * "Table deleted by mistake": a cleanup script switches off deletion protection of health-alerts and deletes it.
 * The local DynamoDB emits the CloudTrail DeleteTable event on the bus, its rule starts recover-deleted-table, which
 * restores DynamoDB's system backup under the original name, waits for ACTIVE, re-applies the settings, validates the
 * items and prints the measured RTO and RPO.
 */
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Scenario } from './scenario';

const ALERTS = 30;
/** The recovery's steps the timeline shows, with their time after the deletion. */
const TIMELINE_STATES = [
  'Plan the recovery of the deleted table',
  'Restore the table from its system backup under its original name',
  'Wait for the recovered table to become ACTIVE',
  'Re-apply the settings the backup does not carry',
  'Check the recovered data',
  'Notify that the recovery succeeded',
];
const MINUTE = 60_000;

export const tableDeleted: Scenario = {
  title: 'Table deleted by mistake',
  story:
    'A cleanup script deletes health-alerts; the CloudTrail event starts the recovery, which restores the system ' +
    'backup under the original name, re-applies the settings, validates the items and prints the RTO and RPO.',

  async run({ runtime, log, check }) {
    const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
    const table = runtime.tableName('healthAlerts');
    const start = runtime.clock.now();
    for (let index = 0; index < ALERTS; index++) {
      await documents.send(
        new PutCommand({
          TableName: table,
          Item: {
            alertId: `alert-${String(index).padStart(3, '0')}`,
            instanceId: `db-${index % 6}`,
            raisedAt: new Date(start - (index + 1) * MINUTE).toISOString(),
            severity: index % 5 === 0 ? 'CRITICAL' : 'WARNING',
            status: 'OPEN',
          },
        }),
      );
    }
    log(`health-alerts holds ${ALERTS} alerts, PITR on, deletion protection on`);
    await runtime.clock.sleep(30 * MINUTE);

    await runtime.dynamoDbClient.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
    await runtime.dynamoDbClient.send(new DeleteTableCommand({ TableName: table }));
    log(`a cleanup script turns deletion protection off and runs DeleteTable on ${table}`);
    const trail = runtime.cloudTrailEvents.at(-1);
    const detail = trail?.event.detail as { eventName?: string; eventID?: string; eventTime?: string } | undefined;
    log(
      `CloudTrail: "${trail?.event['detail-type']}" ${detail?.eventName} (eventID ${detail?.eventID?.slice(0, 8)}...)`,
    );

    await runtime.settle();
    const recoveries = runtime.executionsOf(runtime.stateMachine('recover-deleted-table').arn);
    const recovery = recoveries[0];
    log(`EventBridge rule TableDeletedRule started recover-deleted-table ${recovery?.name ?? '(none)'}`);
    const deletedAt = Date.parse(detail?.eventTime ?? '');
    for (const event of recovery?.trace ?? []) {
      if (event.type !== 'StateEntered' || !TIMELINE_STATES.includes(event.state)) continue;
      log(`  +${offset(Date.parse(event.at) - deletedAt)}  ${event.state}`);
    }
    const output = (recovery?.output ?? {}) as {
      backup?: { name: string; createdAt: string };
      restoreSeconds?: number;
      polls?: number;
      settingsSeconds?: number;
      settings?: { pointInTimeRecoveryPeriodInDays?: number; deletionProtection?: boolean; tags?: number };
      validation?: { itemCount?: number; invalidItems?: number };
      recoveryTimeSeconds?: number;
      recoveryPointSeconds?: number;
      restorePoint?: string;
    };
    log(`restore from the system backup ${output.backup?.name} (kept 35 days) under the original name`);
    log(`ACTIVE after ${output.polls} polls of a growing interval (${output.restoreSeconds} s)`);
    log(
      `re-applied in ${output.settingsSeconds} s: PITR ${output.settings?.pointInTimeRecoveryPeriodInDays} days, ` +
        `deletion protection ${output.settings?.deletionProtection ? 'on' : 'off'}, ${output.settings?.tags} tags`,
    );
    log(`validated: ${output.validation?.itemCount} items, ${output.validation?.invalidItems} breaking the item rules`);
    log(`RTO ${output.recoveryTimeSeconds} s (deletion to validated table, no approval: the table was gone)`);
    log(`RPO ${output.recoveryPointSeconds} s (the backup holds the table as of ${output.restorePoint})`);

    check(
      'the CloudTrail event starts exactly one recovery, which succeeds',
      recoveries.length === 1 && recovery?.status === 'SUCCEEDED',
      recovery?.error,
    );
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    check('the table is back under its name with every alert', Items.length === ALERTS);
    const { Table } = await runtime.dynamoDbClient.send(new DescribeTableCommand({ TableName: table }));
    const pitr = await runtime.dynamoDbClient.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    check(
      'PITR and deletion protection are on again',
      pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED' &&
        Table?.DeletionProtectionEnabled === true,
    );
  },
};

function offset(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

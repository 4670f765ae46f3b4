/**
 * recover-deleted-table, first step: checks the request (a CloudTrail DeleteTable event, or an operator), makes sure
 * the table is really gone, finds the system backup DynamoDB kept of it (`<table>$DeletedTableBackup`, ListBackups
 * with BackupType SYSTEM, kept 35 days) and answers the plan the workflow follows: the backup to restore under the
 * original name, the settings to put back (the source is gone, so they come from what the app declares), the claim
 * that makes duplicate events start one recovery. An invalid request is an answer (`valid: false`), not an error.
 */
import {
  type BackupSummary,
  DescribeBackupCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListBackupsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { TableSettings } from '../restore/read-table-settings';
import { autoScalingOf, type DeclaredCapacity, TABLE_TAG } from '../restore/read-table-settings';
import {
  type CatalogTable,
  findTable,
  protectedNames,
  type TableCatalog,
  tableCatalogFromEnv,
} from '../restore/table-catalog';
import { dynamoControlPlane } from '../shared/clients';
import { fromAwsError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

/** Where the runbook tells an operator what to do when no recovery point exists. */
export const TABLE_DELETED_RUNBOOK = 'docs/disaster-recovery-runbook.md#table-deleted';

export interface RecoverySettings {
  /** PITR recovery period the data stack gives protected tables. */
  readonly recoveryPeriodInDays: number;
  /** Deletion protection the data stack gives its tables. */
  readonly deletionProtection: boolean;
  /** Tags every table of the app carries (project, stage); `rds-ops:table` is added per table. */
  readonly tags: Readonly<Record<string, string>>;
  readonly maxWaitSeconds: number;
  readonly firstPollSeconds: number;
  readonly maxPollSeconds: number;
  /** How long a claim on one deletion event is kept (the system backup's own retention). */
  readonly claimSeconds: number;
}

export interface PlanRecoveryInput {
  /** The execution input, as the rule's input transformer or an operator gave it. */
  readonly request: unknown;
  readonly now: string;
  readonly executionName: string;
  readonly correlationId?: string;
}

export interface RecoveryPlan {
  readonly valid: boolean;
  readonly problem: string;
  readonly subject: string;
  readonly claim: { readonly key: string; readonly expiresAtEpoch: number };
  readonly request: {
    readonly reason: string;
    readonly requestedBy: string;
    readonly deletedAt: string;
    readonly eventId: string;
  };
  readonly source?: { readonly tableId: string; readonly logicalName: string; readonly tableName: string };
  readonly backupFound: boolean;
  readonly backup?: {
    readonly arn: string;
    readonly name: string;
    readonly createdAt: string;
    /** The item count DynamoDB recorded in the backup (-1 when it did not say). */
    readonly itemCount: number;
  };
  readonly noRecoveryPoint: string;
  readonly settings?: TableSettings;
  readonly wait: {
    readonly maxWaitSeconds: number;
    readonly firstPollSeconds: number;
    readonly maxPollSeconds: number;
    readonly taskTimeoutSeconds: number;
  };
}

export interface PlanRecoveryDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly catalog: TableCatalog;
  readonly settings: RecoverySettings;
  readonly capacity: Readonly<Record<string, DeclaredCapacity>>;
}

const FIELDS = ['tableName', 'deletedAt', 'eventId', 'requestedBy', 'reason'] as const;

export async function planTableRecovery(
  input: PlanRecoveryInput,
  deps: PlanRecoveryDependencies,
): Promise<RecoveryPlan> {
  const request = (input?.request ?? {}) as Record<string, unknown>;
  const now = Date.parse(input?.now ?? '') || Date.now();
  const text = (field: string) => (typeof request[field] === 'string' ? (request[field] as string).trim() : '');
  const deletedAt = text('deletedAt') || new Date(now).toISOString();
  const eventId = text('eventId') || `manual-${input.executionName}`;
  const base = {
    subject: `table#${text('tableName') || 'unknown'}`,
    claim: { key: `recovery#${text('tableName')}#${eventId}`, expiresAtEpoch: 0 },
    request: {
      reason: text('reason') || 'table deleted',
      requestedBy: text('requestedBy') || 'unknown',
      deletedAt,
      eventId,
    },
    backupFound: false,
    noRecoveryPoint: '',
    wait: waitPlan(deps.settings),
  };
  const problems: string[] = [];
  if (typeof request !== 'object' || Array.isArray(request)) problems.push('the input must be a JSON object');
  const extra = Object.keys(request).filter((field) => !(FIELDS as readonly string[]).includes(field));
  if (extra.length > 0) problems.push(`unknown field ${extra.join(', ')} (allowed: ${FIELDS.join(', ')})`);
  if (!text('tableName')) problems.push('tableName is missing: name the deleted table (e.g. health-alerts)');
  if (text('deletedAt') && Number.isNaN(Date.parse(text('deletedAt')))) {
    problems.push(`deletedAt "${text('deletedAt')}" is not an ISO-8601 time`);
  }
  const table = text('tableName') ? findTable(deps.catalog, text('tableName')) : undefined;
  if (text('tableName') && !table) {
    problems.push(`"${text('tableName')}" is not a table of this app (protected: ${protectedNames(deps.catalog)})`);
  } else if (table && !table.protected) {
    problems.push(`${table.logicalName} has no PITR by design, so DynamoDB keeps no backup of it when it is deleted`);
  }
  if (problems.length > 0 || !table) return { ...base, valid: false, problem: problems.join('; ') };

  const source = { tableId: table.tableId, logicalName: table.logicalName, tableName: table.tableName };
  const planned = {
    ...base,
    subject: `table#${table.logicalName}`,
    claim: {
      key: `recovery#${table.tableName}#${eventId}`,
      expiresAtEpoch: Math.floor(now / 1000) + deps.settings.claimSeconds,
    },
    source,
  };
  if (await tableExists(deps.dynamoDb, table.tableName)) {
    return {
      ...planned,
      valid: false,
      problem:
        `${table.logicalName} (${table.tableName}) exists: there is nothing to recover. To go back in time, ` +
        'use restore-table (rds-ops restore) instead.',
    };
  }
  const backup = await newestSystemBackup(deps.dynamoDb, table.tableName);
  const settings = settingsFor(table, deps);
  if (!backup) {
    return {
      ...planned,
      valid: true,
      problem: '',
      settings,
      noRecoveryPoint:
        `No system backup of ${table.tableName} exists (ListBackups BackupType SYSTEM): PITR was off when it was ` +
        'deleted, or the deletion is older than 35 days. Recreate the table by redeploying the data stack and ' +
        `reload the data from the newest export or on-demand backup; see ${TABLE_DELETED_RUNBOOK}.`,
    };
  }
  return {
    ...planned,
    valid: true,
    problem: '',
    backupFound: true,
    backup: {
      arn: backup.BackupArn!,
      name: backup.BackupName ?? '',
      createdAt: new Date(backup.BackupCreationDateTime ?? now).toISOString(),
      itemCount: await backupItemCount(deps.dynamoDb, backup.BackupArn!),
    },
    settings,
  };
}

function waitPlan(settings: RecoverySettings): RecoveryPlan['wait'] {
  return {
    maxWaitSeconds: settings.maxWaitSeconds,
    firstPollSeconds: settings.firstPollSeconds,
    maxPollSeconds: settings.maxPollSeconds,
    // The child stops at maxWaitSeconds; the Task gives it one more poll and some slack.
    taskTimeoutSeconds: settings.maxWaitSeconds + settings.maxPollSeconds + 300,
  };
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') {
      return false;
    }
    throw fromAwsError(error, `DescribeTable ${tableName}`);
  }
}

/** The newest AVAILABLE system backup of the table (DynamoDB keeps one per deletion of a PITR table). */
async function newestSystemBackup(client: DynamoDBClient, tableName: string): Promise<BackupSummary | undefined> {
  const backups: BackupSummary[] = [];
  let start: string | undefined;
  do {
    try {
      const page = await client.send(
        new ListBackupsCommand({ TableName: tableName, BackupType: 'SYSTEM', ExclusiveStartBackupArn: start }),
      );
      backups.push(...(page.BackupSummaries ?? []));
      start = page.LastEvaluatedBackupArn;
    } catch (error) {
      throw fromAwsError(error, `ListBackups ${tableName}`);
    }
  } while (start);
  return backups
    .filter((backup) => backup.BackupStatus === 'AVAILABLE' && backup.BackupArn)
    .sort((a, b) => (b.BackupCreationDateTime?.getTime() ?? 0) - (a.BackupCreationDateTime?.getTime() ?? 0))[0];
}

async function backupItemCount(client: DynamoDBClient, backupArn: string): Promise<number> {
  try {
    const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    return BackupDescription?.SourceTableDetails?.ItemCount ?? -1;
  } catch (error) {
    throw fromAwsError(error, `DescribeBackup ${backupArn}`);
  }
}

/** What the data stack declares for the table: a deleted table's own settings cannot be read any more. */
function settingsFor(table: CatalogTable, deps: PlanRecoveryDependencies): TableSettings {
  const { tableId, tableName, tableArn, ttlAttribute } = table;
  const tags = [
    ...Object.entries(deps.settings.tags).map(([Key, Value]) => ({ Key, Value })),
    { Key: TABLE_TAG, Value: tableId },
  ];
  const autoScaling = autoScalingOf(tableName, table.indexNames ?? [], deps.capacity[tableId]);
  return {
    tableName,
    tableArn,
    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: deps.settings.recoveryPeriodInDays },
    deletionProtection: deps.settings.deletionProtection,
    timeToLive: { enabled: ttlAttribute !== undefined, attributeName: ttlAttribute ?? '' },
    tags,
    hasTags: tags.length > 0,
    autoScaling,
    hasAutoScaling: autoScaling.length > 0,
  };
}

function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RecoverySettings {
  return JSON.parse(env.RECOVERY_SETTINGS ?? '{}') as RecoverySettings;
}

export const handler = withErrorHandling('plan-table-recovery', (input: PlanRecoveryInput) =>
  planTableRecovery(input, {
    dynamoDb: dynamoControlPlane(),
    catalog: tableCatalogFromEnv(),
    settings: settingsFromEnv(),
    capacity: JSON.parse(process.env.DECLARED_CAPACITY ?? '{}') as Record<string, DeclaredCapacity>,
  }),
);

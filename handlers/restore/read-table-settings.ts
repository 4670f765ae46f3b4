/**
 * Reads what a restore does not carry from the source table (PITR and its recovery period, deletion protection,
 * TTL, tags) and the auto scaling the app declares for it when it is provisioned, and answers the settings
 * document `reapply-table-settings` applies to the restored table. Tags say where the copy came from; the copy
 * never gets the source's `rds-ops:table` tag, so tools that find the app's tables by tag never mistake it.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { dynamoControlPlane } from '../shared/clients';
import { fromAwsError, InvalidInputError, UnexpectedError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

/** The tag the data stack puts on each of its tables; never copied to a restored table. */
export const TABLE_TAG = 'rds-ops:table';
export const RESTORED_FROM_TAG = 'rds-ops:restored-from';
export const RESTORED_BY_TAG = 'rds-ops:restored-by';

export interface ReadTableSettingsInput {
  readonly source: { readonly tableId: string; readonly tableName: string };
  readonly target: { readonly tableName: string; readonly tableArn: string };
  /** Recorded on the copy as `rds-ops:restored-by`. */
  readonly executionName: string;
  readonly correlationId?: string;
}

/** One scalable dimension of the copy, with its target-tracking policy. */
export interface AutoScalingSetting {
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly policyName: string;
  readonly targetValue: number;
  readonly predefinedMetricType: string;
}

/** What `reapply-table-settings` takes (besides the table name): every field present, so Choices can read it. */
export interface TableSettings {
  readonly tableName: string;
  readonly tableArn: string;
  readonly pointInTimeRecovery: { readonly enabled: boolean; readonly recoveryPeriodInDays: number };
  readonly deletionProtection: boolean;
  readonly timeToLive: { readonly enabled: boolean; readonly attributeName: string };
  readonly tags: readonly Tag[];
  readonly hasTags: boolean;
  readonly autoScaling: readonly AutoScalingSetting[];
  readonly hasAutoScaling: boolean;
}

/** Provisioned capacity as the app declares it per table id (lib/config.ts `capacity`). */
export interface DeclaredCapacity {
  readonly mode: 'ON_DEMAND' | 'PROVISIONED';
  readonly read?: { readonly min: number; readonly max: number };
  readonly write?: { readonly min: number; readonly max: number };
  readonly targetUtilizationPercent?: number;
}

export interface ReadTableSettingsDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly capacity: Readonly<Record<string, DeclaredCapacity>>;
}

export async function readTableSettings(
  input: ReadTableSettingsInput,
  deps: ReadTableSettingsDependencies,
): Promise<TableSettings> {
  if (!input?.source?.tableName || !input.target?.tableName || !input.target.tableArn) {
    throw new InvalidInputError(
      `read-table-settings needs source.tableName and target.tableName/tableArn, got ${JSON.stringify(input)}.`,
    );
  }
  const name = input.source.tableName;
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw fromAwsError(error, `${what} ${name}`);
    }
  };
  const { Table } = await call('DescribeTable', () =>
    deps.dynamoDb.send(new DescribeTableCommand({ TableName: name })),
  );
  if (!Table?.TableArn) throw new UnexpectedError(`DescribeTable ${name} answered without the table.`);
  const backups = await call('DescribeContinuousBackups', () =>
    deps.dynamoDb.send(new DescribeContinuousBackupsCommand({ TableName: name })),
  );
  const ttl = await call('DescribeTimeToLive', () =>
    deps.dynamoDb.send(new DescribeTimeToLiveCommand({ TableName: name })),
  );
  const tags = await call('ListTagsOfResource', () => allTags(deps.dynamoDb, Table.TableArn!));

  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  const ttlDescription = ttl.TimeToLiveDescription;
  const ttlEnabled = ttlDescription?.TimeToLiveStatus === 'ENABLED' || ttlDescription?.TimeToLiveStatus === 'ENABLING';
  const copyTags = [
    ...tags.filter((tag) => tag.Key !== TABLE_TAG && tag.Key !== RESTORED_FROM_TAG && tag.Key !== RESTORED_BY_TAG),
    { Key: RESTORED_FROM_TAG, Value: input.source.tableId },
    { Key: RESTORED_BY_TAG, Value: input.executionName.slice(0, 256) },
  ];
  const provisioned = (Table.BillingModeSummary?.BillingMode ?? 'PROVISIONED') === 'PROVISIONED';
  const indexes = (Table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName!);
  const autoScaling = provisioned
    ? autoScalingOf(input.target.tableName, indexes, deps.capacity[input.source.tableId])
    : [];
  return {
    tableName: input.target.tableName,
    tableArn: input.target.tableArn,
    // The source of a restore always has PITR; the copy gets the same recovery period.
    pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: pitr?.RecoveryPeriodInDays ?? 35 },
    deletionProtection: Table.DeletionProtectionEnabled === true,
    timeToLive: { enabled: ttlEnabled, attributeName: ttlEnabled ? (ttlDescription?.AttributeName ?? '') : '' },
    tags: copyTags,
    hasTags: copyTags.length > 0,
    autoScaling,
    hasAutoScaling: autoScaling.length > 0,
  };
}

async function allTags(client: DynamoDBClient, resourceArn: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListTagsOfResourceCommand({ ResourceArn: resourceArn, NextToken: nextToken }));
    tags.push(...(page.Tags ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return tags;
}

/** Read and write scaling of the table and each index, as OpsTable declares it for provisioned tables. */
export function autoScalingOf(
  tableName: string,
  indexNames: readonly string[],
  capacity: DeclaredCapacity | undefined,
): AutoScalingSetting[] {
  if (capacity?.mode !== 'PROVISIONED' || !capacity.read || !capacity.write) return [];
  const target = capacity.targetUtilizationPercent ?? 70;
  const resources = [
    { resourceId: `table/${tableName}`, kind: 'table' },
    ...indexNames.map((index) => ({ resourceId: `table/${tableName}/index/${index}`, kind: 'index' })),
  ];
  return resources.flatMap(({ resourceId, kind }) =>
    (['Read', 'Write'] as const).map((direction) => {
      const range = direction === 'Read' ? capacity.read! : capacity.write!;
      return {
        resourceId,
        scalableDimension: `dynamodb:${kind}:${direction}CapacityUnits`,
        minCapacity: range.min,
        maxCapacity: range.max,
        policyName: `${direction.toLowerCase()}-utilization-${target}`,
        targetValue: target,
        predefinedMetricType: `DynamoDB${direction}CapacityUtilization`,
      };
    }),
  );
}

function capacityFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, DeclaredCapacity> {
  return JSON.parse(env.DECLARED_CAPACITY ?? '{}') as Record<string, DeclaredCapacity>;
}

export const handler = withErrorHandling('read-table-settings', (input: ReadTableSettingsInput) =>
  readTableSettings(input, { dynamoDb: dynamoControlPlane(), capacity: capacityFromEnv() }),
);

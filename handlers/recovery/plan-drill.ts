/**
 * dr-drill, first step: which protected tables the drill restores, the scratch table each goes into
 * (`drill-<table>-<yyyyMMddHHmmss>`, the only names the drill may delete), and the scratch tables an earlier drill
 * left behind (older than the configured age) that this drill removes first.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { type CatalogTable, findTable, type TableCatalog, tableCatalogFromEnv } from '../restore/table-catalog';
import { dynamoControlPlane } from '../shared/clients';
import { fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

/** Every scratch table name starts with this; IAM lets the drill delete nothing else. */
export const DRILL_TABLE_PREFIX = 'drill-';

export interface DrillSettings {
  readonly rtoTargetSeconds: number;
  readonly maxConcurrency: number;
  readonly leftoverMaxAgeSeconds: number;
  readonly validationSampleSize: number;
  readonly maxWaitSeconds: number;
  readonly firstPollSeconds: number;
  readonly maxPollSeconds: number;
}

export interface PlanDrillInput {
  readonly request?: { readonly requestedBy?: string; readonly reason?: string; readonly tables?: readonly string[] };
  readonly now: string;
  readonly executionName: string;
  readonly correlationId?: string;
}

export interface DrillTablePlan {
  readonly tableId: string;
  readonly logicalName: string;
  readonly tableName: string;
  readonly scratchTableName: string;
  readonly rtoTargetSeconds: number;
  readonly sampleSize: number;
  readonly wait: {
    readonly maxWaitSeconds: number;
    readonly firstPollSeconds: number;
    readonly maxPollSeconds: number;
    readonly taskTimeoutSeconds: number;
  };
}

export interface DrillPlan {
  readonly drillId: string;
  readonly startedAt: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly rtoTargetSeconds: number;
  readonly maxConcurrency: number;
  readonly tables: readonly DrillTablePlan[];
  readonly leftovers: readonly string[];
}

export interface PlanDrillDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly catalog: TableCatalog;
  readonly settings: DrillSettings;
}

export async function planDrill(input: PlanDrillInput, deps: PlanDrillDependencies): Promise<DrillPlan> {
  const now = Date.parse(input?.now ?? '');
  if (Number.isNaN(now)) throw new InvalidInputError(`plan-drill needs now as an ISO time, got ${input?.now}.`);
  const stamp = timestamp(now);
  const tables = selectTables(deps.catalog, input.request?.tables);
  const { settings } = deps;
  return {
    drillId: `drill-${stamp}`,
    startedAt: new Date(now).toISOString(),
    requestedBy: input.request?.requestedBy || 'schedule',
    reason: input.request?.reason || 'scheduled disaster-recovery drill',
    rtoTargetSeconds: settings.rtoTargetSeconds,
    maxConcurrency: settings.maxConcurrency,
    tables: tables.map((table) => ({
      tableId: table.tableId,
      logicalName: table.logicalName,
      tableName: table.tableName,
      scratchTableName: `${DRILL_TABLE_PREFIX}${table.logicalName}-${stamp}`,
      rtoTargetSeconds: settings.rtoTargetSeconds,
      sampleSize: settings.validationSampleSize,
      wait: {
        maxWaitSeconds: settings.maxWaitSeconds,
        firstPollSeconds: settings.firstPollSeconds,
        maxPollSeconds: settings.maxPollSeconds,
        taskTimeoutSeconds: settings.maxWaitSeconds + settings.maxPollSeconds + 300,
      },
    })),
    leftovers: await leftoverScratchTables(deps.dynamoDb, now - settings.leftoverMaxAgeSeconds * 1000),
  };
}

/** The protected tables, or the ones the request names (by logical name, id or physical name). */
function selectTables(catalog: TableCatalog, names: readonly string[] | undefined): CatalogTable[] {
  const protectedTables = catalog.tables.filter((table) => table.protected);
  if (!names || names.length === 0) return protectedTables;
  return names.map((name) => {
    const table = findTable(catalog, name);
    if (!table?.protected) {
      throw new InvalidInputError(
        `"${name}" is not a protected table; a drill restores one of ${protectedTables.map((t) => t.logicalName).join(', ')}.`,
      );
    }
    return table;
  });
}

/** `drill-*` tables created before `olderThan`: scratch tables a drill could not delete (a crash, a stopped run). */
async function leftoverScratchTables(client: DynamoDBClient, olderThan: number): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    try {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(DRILL_TABLE_PREFIX)));
      start = page.LastEvaluatedTableName;
    } catch (error) {
      throw fromAwsError(error, 'ListTables');
    }
  } while (start);
  const leftovers: string[] = [];
  for (const name of names) {
    const created = await creationTime(client, name);
    if (created !== undefined && created < olderThan) leftovers.push(name);
  }
  return leftovers;
}

async function creationTime(client: DynamoDBClient, tableName: string): Promise<number | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.CreationDateTime?.getTime();
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw fromAwsError(error, `DescribeTable ${tableName}`);
  }
}

/** `20261201093000`: UTC, sortable, valid in a table name. */
export function timestamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:T]/g, '');
}

function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DrillSettings {
  return JSON.parse(env.DRILL_SETTINGS ?? '{}') as DrillSettings;
}

export const handler = withErrorHandling('plan-drill', (input: PlanDrillInput) =>
  planDrill(input, { dynamoDb: dynamoControlPlane(), catalog: tableCatalogFromEnv(), settings: settingsFromEnv() }),
);

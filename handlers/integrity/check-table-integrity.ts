/**
 * The scheduled data-integrity check: scans each protected table, counts its items, checks them against the
 * table's item rules and compares the count with the last check's. It answers the CloudWatch MetricData the
 * workflow publishes (ItemCount, InvalidItems, IntegrityViolations per table); a table's integrity alarm fires
 * on the first violation. A table whose writes are held (a cutover is copying into it) is skipped.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type CatalogTable, tableCatalogFromEnv } from '../restore/table-catalog';
import { dynamo, requireEnv } from '../shared/clients';
import { fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';
import { checkItems, type Item } from './item-rules';

export const INTEGRITY_NAMESPACE = 'RdsOps/DataIntegrity';
/**
 * What the workflow's putMetricData Task publishes for each checked table, with the one dimension TableName (the
 * observability catalog, lib/observability/metric-names.ts, lists them; a test keeps the two equal).
 */
export const INTEGRITY_METRICS = {
  itemCount: 'ItemCount',
  invalidItems: 'InvalidItems',
  violations: 'IntegrityViolations',
} as const;
export const INTEGRITY_METRIC_DIMENSIONS = ['TableName'] as const;
const BASELINE_DAYS = 7;

export interface IntegrityThresholds {
  /** A drop of at least this percentage of the last count... */
  readonly itemDropPercent: number;
  /** ...and of at least this many items counts as a violation (one per missing item). */
  readonly minimumItemDrop: number;
}

export interface CheckTableIntegrityInput {
  /** `$$.State.EnteredTime`: the datapoints' timestamp. */
  readonly now: string;
  readonly correlationId?: string;
}

export interface TableIntegrity {
  readonly table: string;
  readonly status: 'CHECKED' | 'SKIPPED' | 'FAILED';
  readonly itemCount?: number;
  readonly previousItemCount?: number;
  readonly invalidItems?: number;
  readonly droppedItems?: number;
  readonly violations?: number;
  readonly examples?: readonly { readonly key: Item; readonly problems: readonly string[] }[];
  readonly error?: string;
}

export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp: string;
  readonly Value: number;
  readonly Unit: 'Count';
}

export interface CheckTableIntegrityOutput {
  readonly tables: readonly TableIntegrity[];
  readonly metricData: readonly MetricDatum[];
  /** Tables whose check failed (their metrics are not published: missing data never restores anything). */
  readonly failed: number;
}

export interface CheckTableIntegrityDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly tables: readonly CatalogTable[];
  readonly coordinationTable: string;
  readonly thresholds: IntegrityThresholds;
}

export async function checkTableIntegrity(
  input: CheckTableIntegrityInput,
  deps: CheckTableIntegrityDependencies,
): Promise<CheckTableIntegrityOutput> {
  const now = Date.parse(input?.now ?? '');
  if (Number.isNaN(now))
    throw new InvalidInputError(`check-table-integrity needs now (an ISO time), got ${JSON.stringify(input)}.`);
  const results: TableIntegrity[] = [];
  for (const table of deps.tables.filter((candidate) => candidate.protected)) {
    try {
      results.push(await checkOne(table, now, deps));
    } catch (error) {
      const typed = fromAwsError(error, `the integrity check of ${table.logicalName}`);
      results.push({ table: table.logicalName, status: 'FAILED', error: `${typed.name}: ${typed.message}` });
    }
  }
  const timestamp = new Date(now).toISOString();
  const metricData = results.flatMap((result) => {
    if (result.status !== 'CHECKED') return [];
    const datum = (MetricName: string, Value: number): MetricDatum => ({
      MetricName,
      Dimensions: [{ Name: INTEGRITY_METRIC_DIMENSIONS[0], Value: result.table }],
      Timestamp: timestamp,
      Value,
      Unit: 'Count',
    });
    return [
      datum(INTEGRITY_METRICS.itemCount, result.itemCount!),
      datum(INTEGRITY_METRICS.invalidItems, result.invalidItems!),
      datum(INTEGRITY_METRICS.violations, result.violations!),
    ];
  });
  return { tables: results, metricData, failed: results.filter((result) => result.status === 'FAILED').length };
}

async function checkOne(
  table: CatalogTable,
  now: number,
  deps: CheckTableIntegrityDependencies,
): Promise<TableIntegrity> {
  const hold = await deps.dynamo.send(
    new GetCommand({
      TableName: deps.coordinationTable,
      Key: { key: `writes#${table.tableId}` },
      ConsistentRead: true,
    }),
  );
  if (hold.Item && Number(hold.Item.expiresAt) * 1000 > now) return { table: table.logicalName, status: 'SKIPPED' };

  const items = await scanAll(deps.dynamo, table.tableName);
  const check = checkItems(table.tableId, items, (item) =>
    Object.fromEntries(table.keyAttributes.map((name) => [name, item[name]])),
  );
  const baselineKey = `integrity#${table.tableId}`;
  const baseline = await deps.dynamo.send(
    new GetCommand({ TableName: deps.coordinationTable, Key: { key: baselineKey }, ConsistentRead: true }),
  );
  const previous = baseline.Item ? Number(baseline.Item.itemCount) : undefined;
  const drop = previous === undefined ? 0 : previous - items.length;
  const sharp =
    previous !== undefined &&
    previous > 0 &&
    drop >= deps.thresholds.minimumItemDrop &&
    (drop * 100) / previous >= deps.thresholds.itemDropPercent;
  const droppedItems = sharp ? drop : 0;
  await deps.dynamo.send(
    new PutCommand({
      TableName: deps.coordinationTable,
      Item: {
        key: baselineKey,
        kind: 'integrity-baseline',
        itemCount: items.length,
        checkedAt: new Date(now).toISOString(),
        expiresAt: Math.floor(now / 1000) + BASELINE_DAYS * 86_400,
      },
    }),
  );
  return {
    table: table.logicalName,
    status: 'CHECKED',
    itemCount: items.length,
    ...(previous !== undefined && { previousItemCount: previous }),
    invalidItems: check.invalid,
    droppedItems,
    violations: check.invalid + droppedItems,
    examples: check.examples,
  };
}

async function scanAll(documents: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export const handler = withErrorHandling('check-table-integrity', (input: CheckTableIntegrityInput) =>
  checkTableIntegrity(input, {
    dynamo: dynamo(),
    tables: tableCatalogFromEnv().tables,
    coordinationTable: requireEnv('COORDINATION_TABLE_NAME'),
    thresholds: JSON.parse(requireEnv('INTEGRITY_THRESHOLDS')) as IntegrityThresholds,
  }),
);

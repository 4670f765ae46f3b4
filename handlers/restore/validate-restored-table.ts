/**
 * Checks a restored table before anyone relies on it: its key schema and indexes equal the source's, every item
 * passes the table's item rules (a restore must not bring corruption back: choose an earlier point if it does),
 * and a sample of restored items is compared with what the source holds now. DynamoDB has no "item as of" read,
 * so a sampled item that differs is reported as changed since the restore point, not as a failure.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type LocalSecondaryIndexDescription,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { checkItems, type Item } from '../integrity/item-rules';
import { dynamo, dynamoControlPlane } from '../shared/clients';
import { fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

export interface ValidateRestoredTableInput {
  /**
   * The table the data came from. Without `tableName` (a deleted table recovered from its backup: there is no
   * source left) the restored table is checked against the item rules and `expectedItemCount` only.
   */
  readonly source: { readonly tableId: string; readonly tableName?: string };
  /** The item count the backup recorded (DescribeBackup `SourceTableDetails.ItemCount`, approximate), reported. */
  readonly expectedItemCount?: number;
  readonly restoredTableName: string;
  /** How many restored items to compare with the source. */
  readonly sampleSize: number;
  readonly correlationId?: string;
}

export interface RestoredTableValidation {
  readonly passed: boolean;
  readonly problems: readonly string[];
  /** The point the data comes from, as DynamoDB recorded it on the restored table. */
  readonly restoredTo?: string;
  readonly keySchemaMatches: boolean;
  readonly indexesMatch: boolean;
  readonly itemCount: number;
  /** Items in the source now, or the backup's count for a recovered table (-1 when neither is known). */
  readonly sourceItemCount: number;
  readonly invalidItems: number;
  readonly invalidExamples: readonly { readonly key: Item; readonly problems: readonly string[] }[];
  readonly sample: {
    readonly size: number;
    readonly unchanged: number;
    readonly changedSinceRestorePoint: number;
    readonly missingFromSource: number;
  };
}

export interface ValidateDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
}

export async function validateRestoredTable(
  input: ValidateRestoredTableInput,
  deps: ValidateDependencies,
): Promise<RestoredTableValidation> {
  if (!input?.source?.tableId || !input.restoredTableName) {
    throw new InvalidInputError(
      `validate-restored-table needs source.tableId and restoredTableName, got ${JSON.stringify(input)}.`,
    );
  }
  const sampleSize = Number.isInteger(input.sampleSize) && input.sampleSize >= 0 ? input.sampleSize : 100;
  const restored = await describe(deps.dynamoDb, input.restoredTableName);
  if (!input.source.tableName) return validateWithoutSource(input, restored, deps);
  const source = await describe(deps.dynamoDb, input.source.tableName);
  const keyNames = (restored.KeySchema ?? []).map((element) => element.AttributeName!);
  const keyOf = (item: Item) => Object.fromEntries(keyNames.map((name) => [name, item[name]]));

  const keySchemaMatches = sameJson(normalizeKeySchema(source.KeySchema), normalizeKeySchema(restored.KeySchema));
  const indexesMatch =
    sameJson(indexShapes(source.GlobalSecondaryIndexes), indexShapes(restored.GlobalSecondaryIndexes)) &&
    sameJson(indexShapes(source.LocalSecondaryIndexes), indexShapes(restored.LocalSecondaryIndexes));

  const items = await scanAll(deps.documents, input.restoredTableName);
  const check = checkItems(input.source.tableId, items, keyOf);
  const sourceItemCount = await countItems(deps.documents, input.source.tableName);
  const sample = await compareSample(deps.documents, input.source.tableName, items.slice(0, sampleSize), keyOf);

  const problems: string[] = [];
  if (!keySchemaMatches) problems.push('its key schema differs from the source');
  if (!indexesMatch) problems.push('its secondary indexes differ from the source');
  if (check.invalid > 0) {
    problems.push(
      `${check.invalid} of ${check.checked} restored items break the ${input.source.tableId} item rules (e.g. ` +
        `${check.examples.map((example) => `${JSON.stringify(example.key)}: ${example.problems.join(', ')}`).join('; ')}); ` +
        'the restore point is probably after the corruption: restore to an earlier time',
    );
  }
  const restoredTo = restored.RestoreSummary?.RestoreDateTime;
  return {
    passed: problems.length === 0,
    problems,
    ...(restoredTo && { restoredTo: restoredTo.toISOString() }),
    keySchemaMatches,
    indexesMatch,
    itemCount: items.length,
    sourceItemCount,
    invalidItems: check.invalid,
    invalidExamples: check.examples,
    sample,
  };
}

/**
 * A recovered table has no source left to compare with: its items must pass the rules. The backup's item count is
 * reported beside the recovered count, not enforced: DynamoDB documents it as approximate (refreshed about every
 * six hours).
 */
async function validateWithoutSource(
  input: ValidateRestoredTableInput,
  restored: TableDescription,
  deps: ValidateDependencies,
): Promise<RestoredTableValidation> {
  const keyNames = (restored.KeySchema ?? []).map((element) => element.AttributeName!);
  const keyOf = (item: Item) => Object.fromEntries(keyNames.map((name) => [name, item[name]]));
  const items = await scanAll(deps.documents, input.restoredTableName);
  const check = checkItems(input.source.tableId, items, keyOf);
  const problems: string[] = [];
  const expected = Number.isInteger(input.expectedItemCount) ? (input.expectedItemCount as number) : -1;
  if (check.invalid > 0) {
    problems.push(`${check.invalid} of ${check.checked} recovered items break the ${input.source.tableId} item rules`);
  }
  const restoredTo = restored.RestoreSummary?.RestoreDateTime;
  return {
    passed: problems.length === 0,
    problems,
    ...(restoredTo && { restoredTo: restoredTo.toISOString() }),
    keySchemaMatches: true,
    indexesMatch: true,
    itemCount: items.length,
    sourceItemCount: expected,
    invalidItems: check.invalid,
    invalidExamples: check.examples,
    sample: { size: 0, unchanged: 0, changedSinceRestorePoint: 0, missingFromSource: 0 },
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table ?? {};
  } catch (error) {
    throw fromAwsError(error, `DescribeTable ${tableName}`);
  }
}

async function scanAll(documents: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    try {
      const page = await documents.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey;
    } catch (error) {
      throw fromAwsError(error, `Scan ${tableName}`);
    }
  } while (startKey);
  return items;
}

async function countItems(documents: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    try {
      const page = await documents.send(
        new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: startKey }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } catch (error) {
      throw fromAwsError(error, `Scan ${tableName}`);
    }
  } while (startKey);
  return count;
}

async function compareSample(
  documents: DynamoDBDocumentClient,
  sourceTable: string,
  sample: readonly Item[],
  keyOf: (item: Item) => Item,
): Promise<RestoredTableValidation['sample']> {
  let unchanged = 0;
  let changedSinceRestorePoint = 0;
  let missingFromSource = 0;
  for (const item of sample) {
    let current: Record<string, unknown> | undefined;
    try {
      ({ Item: current } = await documents.send(
        new GetCommand({ TableName: sourceTable, Key: keyOf(item), ConsistentRead: true }),
      ));
    } catch (error) {
      throw fromAwsError(error, `GetItem ${sourceTable}`);
    }
    if (!current) missingFromSource += 1;
    else if (sameJson(item, current)) unchanged += 1;
    else changedSinceRestorePoint += 1;
  }
  return { size: sample.length, unchanged, changedSinceRestorePoint, missingFromSource };
}

function normalizeKeySchema(schema: readonly KeySchemaElement[] | undefined) {
  return (schema ?? []).map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType }));
}

function indexShapes(
  indexes: readonly (GlobalSecondaryIndexDescription | LocalSecondaryIndexDescription)[] | undefined,
) {
  return (indexes ?? [])
    .map((index) => ({
      name: index.IndexName,
      keySchema: normalizeKeySchema(index.KeySchema),
      projection: index.Projection?.ProjectionType,
      nonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** Deep equality of plain data: object keys in any order, sets in any order. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof Set) return { $set: [...inner].map((member) => canonical(member)).sort() };
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Uint8Array)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)),
      );
    }
    return inner;
  });
}

export const handler = withErrorHandling('validate-restored-table', (input: ValidateRestoredTableInput) =>
  validateRestoredTable(input, { dynamoDb: dynamoControlPlane(), documents: dynamo() }),
);

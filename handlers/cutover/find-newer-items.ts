/**
 * cutover-table: finds, in one segment of the live table, the items the restored table does not have (written
 * after the restore point), reports how many with a few keys, and deletes them only when the request said
 * `removeNewer: true`. Answers where it stopped so the workflow can call again until `done`.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/clients';
import { DependencyUnavailableError, fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';
import { batchWrite, type Key, type SegmentCursor, scanSegment } from './segment-scan';

export interface FindNewerInput extends SegmentCursor {
  readonly liveTableName: string;
  readonly restoredTableName: string;
  /** The key attributes (partition, then sort). */
  readonly keyAttributes: readonly string[];
  readonly remove: boolean;
  readonly newer?: number;
  readonly removed?: number;
  readonly examples?: readonly Key[];
  readonly correlationId?: string;
}

export interface FindNewerOutput {
  readonly segment: number;
  readonly totalSegments: number;
  readonly newer: number;
  readonly removed: number;
  /** Up to 10 keys of newer items, for the operator. */
  readonly examples: readonly Key[];
  readonly done: boolean;
  /** Where to continue; null once the segment is done (the workflow passes it back as it is). */
  readonly startKey: Key | null;
}

const EXAMPLES = 10;
const BATCH_GET = 100;

export async function findNewerItems(
  input: FindNewerInput,
  documents: DynamoDBDocumentClient,
): Promise<FindNewerOutput> {
  if (
    !input?.liveTableName ||
    !input.restoredTableName ||
    !Array.isArray(input.keyAttributes) ||
    input.keyAttributes.length === 0
  ) {
    throw new InvalidInputError(
      `find-newer-items needs liveTableName, restoredTableName and keyAttributes, got ${JSON.stringify(input)}.`,
    );
  }
  let newer = input.newer ?? 0;
  let removed = input.removed ?? 0;
  const examples = [...(input.examples ?? [])];
  const names = Object.fromEntries(input.keyAttributes.map((name, index) => [`#k${index}`, name]));
  const next = await scanSegment(
    documents,
    input.liveTableName,
    input,
    async (items) => {
      const keys = items.map((item) => Object.fromEntries(input.keyAttributes.map((name) => [name, item[name]])));
      const missing = await keysMissingFrom(documents, input.restoredTableName, keys, input.keyAttributes);
      newer += missing.length;
      examples.push(...missing.slice(0, Math.max(0, EXAMPLES - examples.length)));
      if (input.remove && missing.length > 0) {
        await batchWrite(
          documents,
          input.liveTableName,
          missing.map((key) => ({ DeleteRequest: { Key: key } })),
        );
        removed += missing.length;
      }
    },
    { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names },
  );
  return {
    segment: input.segment,
    totalSegments: input.totalSegments,
    newer,
    removed,
    examples,
    done: next === undefined,
    startKey: next ?? null,
  };
}

async function keysMissingFrom(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  keyAttributes: readonly string[],
): Promise<Key[]> {
  const found = new Set<string>();
  const id = (key: Key) => JSON.stringify(keyAttributes.map((name) => key[name]));
  for (let start = 0; start < keys.length; start += BATCH_GET) {
    let pending = keys.slice(start, start + BATCH_GET);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 8)
        throw new DependencyUnavailableError(`BatchGetItem on ${tableName} kept keys unprocessed; retry later.`);
      try {
        const result = await documents.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[tableName] ?? []) found.add(id(item));
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      } catch (error) {
        throw fromAwsError(error, `BatchGetItem ${tableName}`);
      }
    }
  }
  return keys.filter((key) => !found.has(id(key)));
}

export const handler = withErrorHandling('find-newer-items', (input: FindNewerInput) =>
  findNewerItems(input, dynamo()),
);

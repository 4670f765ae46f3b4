/**
 * The paging both cutover handlers share: one parallel-scan segment at a time, a bounded number of pages per
 * invocation (the workflow calls again with `startKey` until `done`), and batch writes that re-send what
 * DynamoDB left unprocessed. Throttling surfaces as ThrottledError, which the workflow's Retry backs off on.
 */
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailableError, fromAwsError } from '../shared/errors';

export type Key = Record<string, unknown>;
export type Item = Record<string, unknown>;

/** Where one invocation starts and stops in a segment. */
export interface SegmentCursor {
  readonly segment: number;
  readonly totalSegments: number;
  /** Where the last invocation stopped; absent or null on the first. */
  readonly startKey?: Key | null;
  /** Pages per invocation. @default 20 */
  readonly maxPages?: number;
}

/** Scans pages of one segment; calls `onPage` with each page's items. Returns where it stopped, if not at the end. */
export async function scanSegment(
  documents: DynamoDBDocumentClient,
  tableName: string,
  cursor: SegmentCursor,
  onPage: (items: Item[]) => Promise<void>,
  extra: Partial<ScanCommandInput> = {},
): Promise<Key | undefined> {
  let startKey = cursor.startKey ?? undefined;
  for (let page = 0; page < (cursor.maxPages ?? 20); page++) {
    let result: ScanCommandOutput;
    try {
      result = await documents.send(
        new ScanCommand({
          TableName: tableName,
          Segment: cursor.segment,
          TotalSegments: cursor.totalSegments,
          ConsistentRead: true,
          ...(startKey && { ExclusiveStartKey: startKey }),
          ...extra,
        }),
      );
    } catch (error) {
      throw fromAwsError(error, `Scan ${tableName} segment ${cursor.segment}`);
    }
    await onPage((result.Items ?? []) as Item[]);
    startKey = result.LastEvaluatedKey;
    if (!startKey) return undefined;
  }
  return startKey;
}

const BATCH = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

/** Puts (or deletes, for keys) in batches of 25, re-sending unprocessed requests with a short backoff. */
export async function batchWrite(
  documents: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly NonNullable<BatchWriteCommandInput['RequestItems']>[string][number][],
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH) {
    let pending = requests.slice(start, start + BATCH);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) {
        throw new DependencyUnavailableError(
          `BatchWriteItem on ${tableName} left ${pending.length} requests unprocessed after ${round} rounds; retry later.`,
        );
      }
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      try {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      } catch (error) {
        throw fromAwsError(error, `BatchWriteItem ${tableName}`);
      }
    }
  }
}

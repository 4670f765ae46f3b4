/** Table-level helpers over the upstream endpoint: describe, wait for ACTIVE, scan all, bulk load. */
import { DynamoDbServiceError, isDynamoDbServiceError } from './errors';
import type { UpstreamClient } from './upstream-client';
import type { WireBody, WireItem } from './wire';

const BATCH_WRITE_LIMIT = 25;
/** dynalite flips CREATING to ACTIVE on a 0 ms timer; a few round trips always see it. */
const MAX_ACTIVE_POLLS = 200;
const MAX_UNPROCESSED_ROUNDS = 50;

/** DescribeTable's `Table`, or undefined when the table does not exist. */
export async function describeTableOrUndefined(
  upstream: UpstreamClient,
  tableName: string,
): Promise<WireBody | undefined> {
  try {
    const { Table } = await upstream.call<{ Table: WireBody }>('DescribeTable', { TableName: tableName });
    return Table;
  } catch (error) {
    if (isDynamoDbServiceError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

export async function waitUntilActive(upstream: UpstreamClient, tableName: string): Promise<WireBody> {
  for (let poll = 0; poll < MAX_ACTIVE_POLLS; poll++) {
    const table = await describeTableOrUndefined(upstream, tableName);
    if (table?.TableStatus === 'ACTIVE') return table;
    // Yield to the event loop so dynalite's 0 ms status timer can run (this is I/O pacing, not emulated time).
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new DynamoDbServiceError(
    'InternalServerError',
    `Table ${tableName} did not become ACTIVE behind the proxy; start dynalite with createTableMs: 0`,
    500,
  );
}

/** Every item of a table, following LastEvaluatedKey. */
export async function scanAll(upstream: UpstreamClient, tableName: string, extra: WireBody = {}): Promise<WireItem[]> {
  const items: WireItem[] = [];
  let startKey: WireItem | undefined;
  do {
    const page = await upstream.call<{ Items?: WireItem[]; LastEvaluatedKey?: WireItem }>('Scan', {
      TableName: tableName,
      ConsistentRead: true,
      ...extra,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Writes `items` into `tableName` with BatchWriteItem (25 at a time), re-sending UnprocessedItems. */
export async function batchPutAll(
  upstream: UpstreamClient,
  tableName: string,
  items: readonly WireItem[],
): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests: WireBody = {
      [tableName]: items.slice(start, start + BATCH_WRITE_LIMIT).map((item) => ({ PutRequest: { Item: item } })),
    };
    for (let round = 0; Object.keys(requests).length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) {
        throw new DynamoDbServiceError('InternalServerError', `Could not load all items into ${tableName}`, 500);
      }
      const result = await upstream.call<{ UnprocessedItems?: WireBody }>('BatchWriteItem', { RequestItems: requests });
      requests = result.UnprocessedItems ?? {};
    }
  }
}

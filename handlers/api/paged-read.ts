/**
 * One page of a listing: DynamoDB `Query` or `Scan` calls until the page has `limit` items, the listing ends, or
 * the read budget is spent. A filter makes DynamoDB return fewer items than it evaluated, so a page may hold
 * fewer than `limit` items and still have a next one; each call asks only for the items still missing, so when
 * the page fills up, the last key evaluated is the last item returned and nothing is skipped.
 */
import { fromAwsError } from '../shared/errors';
import type { PageKey } from './page-token';

export interface ReadRequest {
  readonly startKey?: PageKey;
  readonly limit: number;
}

export interface ReadResult {
  readonly Items?: Record<string, unknown>[];
  readonly LastEvaluatedKey?: Record<string, unknown>;
}

export interface Page {
  readonly items: Record<string, unknown>[];
  readonly nextKey?: PageKey;
}

/** DynamoDB calls one API request may make before it answers with what it has (and a next token). */
export const MAX_READS_PER_PAGE = 5;

export async function readPage(
  read: (request: ReadRequest) => Promise<ReadResult>,
  options: { readonly limit: number; readonly startKey?: PageKey; readonly doing: string },
): Promise<Page> {
  const items: Record<string, unknown>[] = [];
  let startKey = options.startKey;
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    let result: ReadResult;
    try {
      result = await read({ ...(startKey && { startKey }), limit: options.limit - items.length });
    } catch (error) {
      throw fromAwsError(error, options.doing);
    }
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey as PageKey | undefined;
    if (!startKey || items.length >= options.limit) break;
  }
  return { items, ...(startKey && { nextKey: startKey }) };
}

/**
 * Opaque pagination tokens of the operations API: the DynamoDB key to continue from, bound to the query that
 * issued it, as base64url JSON. A token that does not decode, belongs to another query or holds another key
 * shape is a 400 naming `query.nextToken`, never a DynamoDB validation error.
 */
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors';

export type PageKey = Record<string, string>;

const MAX_TOKEN_LENGTH = 2048;
const TokenSchema = z.strictObject({ v: z.literal(1), q: z.string(), k: z.record(z.string(), z.string()) });

/** The token for the next page of `query` (a canonical text of the route and its filters). */
export function encodePageToken(query: string, key: PageKey): string {
  return Buffer.from(JSON.stringify({ v: 1, q: query, k: key }), 'utf8').toString('base64url');
}

/**
 * The key a token continues from. `keyAttributes` are exactly the attributes of the table's (and index's) key
 * that DynamoDB returned as `LastEvaluatedKey` for this query.
 */
export function decodePageToken(token: string, query: string, keyAttributes: readonly string[]): PageKey {
  const refuse = (why: string) =>
    new InvalidInputError(
      `Invalid query string: query.nextToken: ${why}. Pass the nextToken of the previous answer unchanged, with the same filters, or leave it out to start from the first page.`,
    );
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))
    throw refuse('is not a token this API issued');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a token this API issued');
  }
  const parsed = TokenSchema.safeParse(decoded);
  if (!parsed.success) throw refuse('is not a token this API issued');
  if (parsed.data.q !== query) throw refuse('was issued for another query (other route or filters)');
  const attributes = Object.keys(parsed.data.k).sort();
  if (attributes.join() !== [...keyAttributes].sort().join() || Object.values(parsed.data.k).some((v) => v === '')) {
    throw refuse('does not hold a key of this listing');
  }
  return parsed.data.k;
}

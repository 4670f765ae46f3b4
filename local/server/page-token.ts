/**
 * Opaque `nextToken`s for the List and GetExecutionHistory operations: a cursor that says where the next page
 * starts, tied to the operation and the resource it pages through, so a token from elsewhere is refused.
 */
import { sfnErrors } from './errors';

/** AWS refuses longer tokens with a validation error; the local ones stay far below this. */
const MAX_TOKEN_LENGTH = 3096;

export function encodePageToken(scope: string, cursor: unknown): string {
  return Buffer.from(JSON.stringify({ scope, cursor }), 'utf8').toString('base64url');
}

/** The cursor of a token issued for `scope`; InvalidToken for anything else. */
export function decodePageToken(token: string, scope: string): unknown {
  if (token.length > MAX_TOKEN_LENGTH) throw sfnErrors.invalidToken('The token is too long');
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      scope?: unknown;
      cursor?: unknown;
    };
    if (decoded.scope === scope && decoded.cursor !== undefined) return decoded.cursor;
  } catch {
    // falls through to the refusal below
  }
  throw sfnErrors.invalidToken('Invalid token');
}

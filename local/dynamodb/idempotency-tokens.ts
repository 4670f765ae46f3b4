/**
 * ClientRequestTokens of TransactWriteItems (AWS: a token is valid for 10 minutes after the first request
 * that uses it completes; the same token with the same request returns the first answer without writing
 * again; with a different request, IdempotentParameterMismatchException; while the first still runs,
 * TransactionInProgressException). Only completed, successful requests are remembered: a cancelled
 * transaction changed nothing, so running it again is what a retry means.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { serviceErrors } from './errors';
import type { WireBody } from './wire';

export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

interface TokenEntry {
  readonly requestHash: string;
  /** When the request completed, in clock ms; undefined while it runs. */
  completedAt?: number;
  response?: WireBody;
}

export class IdempotencyTokens {
  private readonly entries = new Map<string, TokenEntry>();

  constructor(private readonly clock: Clock) {}

  /**
   * Runs `work` under the request's token (if any): a repeat within the window answers the stored response,
   * a different request with the token is refused, and a successful answer is stored.
   */
  async run(body: WireBody, work: () => Promise<WireBody>): Promise<WireBody> {
    const token = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
    if (token === undefined) return work();
    this.forgetExpired();
    const requestHash = hashOf(body);
    const previous = this.entries.get(token);
    if (previous) {
      if (previous.requestHash !== requestHash) throw serviceErrors.idempotentParameterMismatch();
      if (previous.completedAt === undefined) throw serviceErrors.transactionInProgress();
      return structuredClone(previous.response!);
    }
    const entry: TokenEntry = { requestHash };
    this.entries.set(token, entry);
    try {
      const response = await work();
      entry.completedAt = this.clock.now();
      entry.response = structuredClone(response);
      return response;
    } catch (error) {
      this.entries.delete(token);
      throw error;
    }
  }

  private forgetExpired(): void {
    const oldest = this.clock.now() - IDEMPOTENCY_WINDOW_MS;
    for (const [token, entry] of this.entries) {
      if (entry.completedAt !== undefined && entry.completedAt <= oldest) this.entries.delete(token);
    }
  }
}

/** The request without its token and reporting options: what must match for a repeat to be the same request. */
function hashOf(body: WireBody): string {
  const { ClientRequestToken, ReturnConsumedCapacity, ReturnItemCollectionMetrics, ...request } = body;
  return createHash('sha256').update(stableJson(request)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

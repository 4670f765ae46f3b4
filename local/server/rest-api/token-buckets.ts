/**
 * API Gateway's throttling as token buckets on the runtime clock: one bucket per method of the stage (the
 * stage-wide setting applies to each method on its own; a method setting replaces it), full at the start,
 * refilled at `rateLimit` per second up to `burstLimit`.
 */
import type { Clock } from '../../clock';
import type { ThrottleSetting } from '../../template/rest-api-model';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** Takes one token from the bucket of `key`; false when it is empty (the request is throttled). */
  take(key: string, setting: ThrottleSetting): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: setting.burstLimit, updatedAt: now };
    bucket.tokens = Math.min(setting.burstLimit, bucket.tokens + ((now - bucket.updatedAt) / 1000) * setting.rateLimit);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

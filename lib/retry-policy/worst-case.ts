/**
 * How long a retrier can make a Task wait in total, from its fields alone. Step Functions waits
 * IntervalSeconds * BackoffRate^(n-1) before retry n, capped at MaxDelaySeconds; with JitterStrategy FULL the
 * actual wait is uniform between 0 and that, so the sum of the caps is the worst case and half of it the mean.
 * Time spent in the attempts themselves (up to TimeoutSeconds each) comes on top.
 */
import type { RetryTiming } from './presets';

/** The cap of each retry's wait, in seconds: one entry per retry (MaxAttempts of them). */
export function retryDelays(timing: Omit<RetryTiming, 'JitterStrategy'>): number[] {
  return Array.from({ length: timing.MaxAttempts }, (_, retry) =>
    Math.min(timing.IntervalSeconds * timing.BackoffRate ** retry, timing.MaxDelaySeconds),
  );
}

/** The longest total wait the retrier adds, in seconds. */
export function worstCaseDelaySeconds(timing: Omit<RetryTiming, 'JitterStrategy'>): number {
  return retryDelays(timing).reduce((total, delay) => total + delay, 0);
}

/** The mean total wait with full jitter, in seconds. */
export function expectedDelaySeconds(timing: Omit<RetryTiming, 'JitterStrategy'>): number {
  return worstCaseDelaySeconds(timing) / 2;
}

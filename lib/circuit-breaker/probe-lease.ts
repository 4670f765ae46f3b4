/**
 * The probe lease must outlast the probe: if the protected Task (every attempt timing out, every retry
 * delay at its cap) plus the breaker calls around it can run longer than the lease, a second execution
 * takes the "expired" lease and two probes hit a recovering dependency at once. Checked at synth against
 * the ASL itself.
 */
import { InvalidConfigError } from '../errors';

interface Retrier {
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

export interface ProtectedTask {
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Retrier[];
}

/** The longest a caller waits for one breaker execution (the TimeoutSeconds of its breaker Tasks). */
export const BREAKER_CALL_TIMEOUT_SECONDS = 60;

/**
 * Time the breaker calls around the probe may add: the rest of the check that took the lease, and the
 * report that gives it back, each bounded by the caller's Task timeout.
 */
export const PROBE_OVERHEAD_SECONDS = 2 * BREAKER_CALL_TIMEOUT_SECONDS;

/**
 * Every attempt timing out, every retry delay at its cap. A Task without `TimeoutSeconds` has no bound on
 * AWS (the 60 s locally is the engine's default, not Step Functions'), so it has no worst case: Infinity.
 */
export function worstCaseTaskSeconds(task: ProtectedTask): number {
  if (task.TimeoutSeconds === undefined) return Number.POSITIVE_INFINITY;
  const retriers = task.Retry ?? [];
  const attempts = 1 + retriers.reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? 3), 0);
  const delays = retriers.reduce((sum, retrier) => sum + retryDelaysSeconds(retrier), 0);
  return attempts * task.TimeoutSeconds + delays;
}

function retryDelaysSeconds({
  IntervalSeconds = 1,
  MaxAttempts = 3,
  BackoffRate = 2,
  MaxDelaySeconds,
}: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < MaxAttempts; attempt++) {
    const delay = IntervalSeconds * BackoffRate ** attempt;
    total += MaxDelaySeconds === undefined ? delay : Math.min(delay, MaxDelaySeconds);
  }
  return total;
}

export function assertLeaseOutlastsProbe(
  circuit: string,
  leaseSeconds: number,
  stateName: string,
  task: ProtectedTask,
): void {
  if (task.TimeoutSeconds === undefined) {
    throw new InvalidConfigError(
      `circuits.${circuit}.probeLeaseSeconds`,
      `a bound on "${stateName}": give that Task a TimeoutSeconds (on AWS it otherwise never times out, so no lease outlasts it)`,
      leaseSeconds,
    );
  }
  const needed = Math.ceil(worstCaseTaskSeconds(task)) + PROBE_OVERHEAD_SECONDS;
  if (leaseSeconds < needed) {
    throw new InvalidConfigError(
      `circuits.${circuit}.probeLeaseSeconds`,
      `at least ${needed} (the worst case of "${stateName}" with its Retry and TimeoutSeconds, plus ${PROBE_OVERHEAD_SECONDS} s for the breaker calls around it)`,
      leaseSeconds,
    );
  }
}

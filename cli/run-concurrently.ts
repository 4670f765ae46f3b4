/** Bounded concurrency for `rds-ops local execute --count` and the benchmarks, on p-limit. */
import pLimit from 'p-limit';

/**
 * Runs `work` `count` times with at most `concurrency` runs in flight; results in start order. Once a run
 * fails, no further run starts and the first failure is thrown (runs already in flight finish on their own).
 */
export async function runConcurrently<T>(count: number, concurrency: number, work: () => Promise<T>): Promise<T[]> {
  const limit = pLimit(concurrency);
  const runs = Array.from({ length: count }, () => limit(work));
  try {
    return await Promise.all(runs);
  } catch (error) {
    limit.clearQueue();
    throw error;
  }
}

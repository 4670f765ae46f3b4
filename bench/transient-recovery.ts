/**
 * Benchmark 3: each call fails on its own with probability p (a throttled answer). What fraction of
 * executions succeed with the retry preset the RDS calls use, and how much delay do the retries add, next to
 * the same Task without Retry. Virtual clock, seeded faults and jitter: the figures repeat exactly.
 */

import { runConcurrently } from '../cli/run-concurrently';
import { findPreset, presetRetrier } from '../lib/retry-policy';
import { seededRandom } from '../local/services/seeded-random';
import { type Benchmark, OutcomeBuilder, quantile, round } from './benchmark';
import { startUngatedCaller, takeDependencyDown } from './callers';

const FAILURE_PROBABILITIES = [0.1, 0.3, 0.5] as const;
const EXECUTIONS = 600;
const CONCURRENCY = 25;
/** The seed's target: at least this fraction of executions succeeds through transient errors. */
const TARGET_SUCCESS = 0.8;
const PRESET = findPreset('rds-api-errors')!;

interface Recovery {
  readonly succeeded: number;
  readonly p50Seconds: number;
  readonly p99Seconds: number;
}

async function measure(probability: number, withRetry: boolean): Promise<Recovery> {
  const design = await startUngatedCaller({
    retry: withRetry ? [presetRetrier(PRESET)] : undefined,
    random: seededRandom(`bench-jitter-${probability}`),
  });
  try {
    takeDependencyDown(design.runtime, { rate: probability, seed: 14 });
    const runs = await runConcurrently(EXECUTIONS, CONCURRENCY, () => design.call());
    const delays = runs.map((run) => (Date.parse(run.stopDate!) - Date.parse(run.startDate)) / 1000);
    return {
      succeeded: runs.filter((run) => run.status === 'SUCCEEDED').length / runs.length,
      p50Seconds: round(quantile(delays, 0.5), 2),
      p99Seconds: round(quantile(delays, 0.99), 2),
    };
  } finally {
    await design.close();
  }
}

export const transientRecovery: Benchmark = {
  id: 'transient-recovery',
  title: '3. Recovery from transient errors',
  question:
    'When each call fails independently with probability p, what fraction of executions still succeed with the retry preset, and what delay does that add?',
  async run() {
    const out = new OutcomeBuilder();
    const retrier = presetRetrier(PRESET);
    const rows: (string | number)[][] = [];
    for (const p of FAILURE_PROBABILITIES) {
      const retried = await measure(p, true);
      const single = await measure(p, false);
      const expected = 1 - p ** (retrier.MaxAttempts + 1);
      rows.push([
        p,
        'preset rds-api-errors',
        pct(retried.succeeded),
        pct(expected),
        retried.p50Seconds,
        retried.p99Seconds,
      ]);
      rows.push([p, 'no Retry', pct(single.succeeded), pct(1 - p), single.p50Seconds, single.p99Seconds]);
      out.ratio(
        `transient-recovery.p${p * 10}.retry-vs-none`,
        `p=${p}: success rate with the preset / without Retry`,
        retried.succeeded,
        single.succeeded,
        'higher',
      );
      out.check(
        `p=${p}: at least ${pct(TARGET_SUCCESS)} of executions succeed with the preset`,
        retried.succeeded >= TARGET_SUCCESS,
        pct(retried.succeeded),
      );
      out.check(
        `p=${p}: the measured success rates are within 4 points of 1 - p^attempts`,
        Math.abs(retried.succeeded - expected) <= 0.04 && Math.abs(single.succeeded - (1 - p)) <= 0.04,
        `${pct(retried.succeeded)} vs ${pct(expected)}, ${pct(single.succeeded)} vs ${pct(1 - p)}`,
      );
      out.check(`p=${p}: without Retry nothing is delayed`, single.p99Seconds === 0, `p99 ${single.p99Seconds} s`);
    }
    out.table(
      `${EXECUTIONS} executions per row, ${CONCURRENCY} at a time; preset rds-api-errors = ${retrier.MaxAttempts} retries, ${retrier.IntervalSeconds} s x${retrier.BackoffRate}, capped at ${retrier.MaxDelaySeconds} s, JitterStrategy ${retrier.JitterStrategy}`,
      ['p', 'Retry', 'executions succeeded', 'expected 1 - p^attempts', 'added delay p50 (s)', 'added delay p99 (s)'],
      rows,
    );
    return out.build();
  },
};

function pct(fraction: number): string {
  return `${round(fraction * 100, 1)}%`;
}

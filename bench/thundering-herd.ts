/**
 * Benchmark 4: C executions fail at the same instant and retry. Peak calls per second that reach the
 * dependency during the retries, with `JitterStrategy: FULL` (the presets) vs `NONE`, the Retry otherwise
 * the same. Virtual clock and seeded jitter.
 */

import { runConcurrently } from '../cli/run-concurrently';
import { findPreset, presetRetrier } from '../lib/retry-policy';
import { seededRandom } from '../local/services/seeded-random';
import { type Benchmark, OutcomeBuilder, peakPerWindow } from './benchmark';
import { DEPENDENCY_ACTION, startUngatedCaller, takeDependencyDown } from './callers';
import { dependencyCalls } from './metering';

const WORKER_COUNTS = [100, 500] as const;
const PRESET = findPreset('rds-api-errors')!;

interface Herd {
  readonly retries: number;
  readonly peakPerSecond: number;
  /** The burst: the most retry calls inside one 100 ms window. */
  readonly peakPer100Ms: number;
  readonly busySeconds: number;
}

async function measure(workers: number, jitter: 'FULL' | 'NONE'): Promise<Herd> {
  const design = await startUngatedCaller({
    retry: [{ ...presetRetrier(PRESET), JitterStrategy: jitter }],
    random: seededRandom(`bench-herd-${workers}`),
  });
  try {
    takeDependencyDown(design.runtime);
    const startedAt = design.runtime.clock.now();
    const runs = await runConcurrently(workers, workers, () => design.call());
    const retries = runs.flatMap((run) => dependencyCalls(run, DEPENDENCY_ACTION).slice(1));
    const times = retries.map((call) => Date.parse(call.startedAt));
    return {
      retries: retries.length,
      peakPerSecond: peakPerWindow(times, startedAt, 1000),
      peakPer100Ms: peakPerWindow(times, startedAt, 100),
      busySeconds: new Set(times.map((at) => Math.floor((at - startedAt) / 1000))).size,
    };
  } finally {
    await design.close();
  }
}

export const thunderingHerd: Benchmark = {
  id: 'thundering-herd',
  title: '4. Thundering herd',
  question:
    'When C executions fail at the same instant, how hard do their retries hit the dependency with full jitter vs none?',
  async run() {
    const out = new OutcomeBuilder();
    const retrier = presetRetrier(PRESET);
    const rows: (string | number)[][] = [];
    for (const workers of WORKER_COUNTS) {
      const full = await measure(workers, 'FULL');
      const none = await measure(workers, 'NONE');
      rows.push([workers, 'FULL', full.retries, full.peakPerSecond, full.peakPer100Ms, full.busySeconds]);
      rows.push([workers, 'NONE', none.retries, none.peakPerSecond, none.peakPer100Ms, none.busySeconds]);
      out.ratio(
        `thundering-herd.c${workers}.burst.none-vs-full`,
        `C=${workers}: peak retry calls in 100 ms, NONE / FULL`,
        none.peakPer100Ms,
        full.peakPer100Ms,
        'higher',
      );
      out.ratio(
        `thundering-herd.c${workers}.per-second.none-vs-full`,
        `C=${workers}: peak retry calls per second, NONE / FULL`,
        none.peakPerSecond,
        full.peakPerSecond,
        'higher',
      );
      out.check(
        `C=${workers}: FULL peaks lower than NONE (100 ms windows)`,
        full.peakPer100Ms < none.peakPer100Ms,
        `${full.peakPer100Ms} vs ${none.peakPer100Ms} calls in 100 ms`,
      );
      out.check(
        `C=${workers}: both make every retry (${retrier.MaxAttempts} per execution)`,
        full.retries === workers * retrier.MaxAttempts && none.retries === workers * retrier.MaxAttempts,
        `${full.retries} and ${none.retries}`,
      );
    }
    out.table(
      `The dependency throttles every call; Retry = preset rds-api-errors (${retrier.MaxAttempts} retries, ${retrier.IntervalSeconds} s x${retrier.BackoffRate}, max ${retrier.MaxDelaySeconds} s) with the jitter shown`,
      [
        'C',
        'JitterStrategy',
        'retry calls',
        'peak retry calls per second',
        'peak retry calls in 100 ms',
        'seconds with retries',
      ],
      rows,
    );
    out.note(
      'Per second, FULL does not peak lower with this preset: its first retry waits 1 s, so FULL spreads the whole herd over that one second and the early second retries land in it too. What FULL removes is the burst: NONE sends every retry of the herd in the same instant (t = 1, 3, 7, 15 s), FULL about a fifth of it in any 100 ms, and spreads the retries over about 14 s instead of 4.',
    );
    return out.build();
  },
};

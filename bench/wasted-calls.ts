/**
 * Benchmark 2: C workers keep calling a dependency that is down for a while, then heals. How many calls
 * reach it while it is down, and how long until calls succeed again, with (a) our shared circuit in
 * DynamoDB, (b) one in-memory breaker per worker (cockatiel, as a per-container library gives), (c) no breaker.
 * Everything runs on the virtual clock: the outage, the workers' pace, the open timeouts.
 */
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { DEFAULT_CIRCUIT } from '../lib/config';
import type { Clock } from '../local/clock';
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import type { TaskCallRecord } from '../local/stepfunctions/trace';
import { type Benchmark, OutcomeBuilder, round } from './benchmark';
import {
  type CallerDesign,
  DEPENDENCY_ACTION,
  startGatedCaller,
  startUngatedCaller,
  takeDependencyDown,
} from './callers';
import { dependencyCalls } from './metering';

const WORKER_COUNTS = [10, 50, 100] as const;
/** Each worker calls, then waits this long before its next call. */
const PACE_MS = 10_000;
const OUTAGE_MS = 150_000;
const SCENARIO_MS = 300_000;
/** A call to the dead dependency takes this long to fail (a throttled answer after a slow hop). */
const FAILING_CALL_MS = 1_000;
/** The deployed circuit settings, for both breakers. */
const CIRCUIT = DEFAULT_CIRCUIT;

type Variant = 'shared' | 'per-worker' | 'none';

interface VariantResult {
  readonly reached: number;
  readonly wasted: number;
  /** Seconds from the heal to the first call that succeeds, and until every worker has had one. */
  readonly firstRecoverySeconds: number;
  readonly allRecoveredSeconds: number;
  readonly floor?: { threshold: number; inFlight: number; failedProbes: number; total: number };
}

interface WorkerRecord {
  readonly worker: number;
  readonly calls: TaskCallRecord[];
}

async function runWorkers(
  clock: Clock,
  workers: number,
  call: (worker: number) => Promise<ExecutionRecord | undefined>,
): Promise<{ records: WorkerRecord[]; startedAt: number }> {
  const startedAt = clock.now();
  const records = Array.from({ length: workers }, (_, worker) => ({ worker, calls: [] as TaskCallRecord[] }));
  await Promise.all(
    records.map(async (record) => {
      // Workers are spread over one pace, as independent callers are.
      await clock.sleep(Math.floor((record.worker * PACE_MS) / workers));
      while (clock.now() - startedAt < SCENARIO_MS) {
        const run = await call(record.worker);
        if (run) record.calls.push(...dependencyCalls(run, DEPENDENCY_ACTION));
        await clock.sleep(PACE_MS);
      }
    }),
  );
  return { records, startedAt };
}

function summarize(records: readonly WorkerRecord[], healAt: number): Omit<VariantResult, 'floor'> {
  const calls = records.flatMap((r) => r.calls);
  const firstSuccessAfterHeal = (list: readonly TaskCallRecord[]) =>
    Math.min(
      ...list
        .filter((c) => c.outcome === 'succeeded' && Date.parse(c.startedAt) >= healAt)
        .map((c) => Date.parse(c.startedAt)),
    );
  const perWorker = records.map((r) => firstSuccessAfterHeal(r.calls));
  return {
    reached: calls.length,
    wasted: calls.filter((c) => c.outcome === 'failed').length,
    firstRecoverySeconds: round((firstSuccessAfterHeal(calls) - healAt) / 1000),
    allRecoveredSeconds: round((Math.max(...perWorker) - healAt) / 1000),
  };
}

async function runVariant(variant: Variant, workers: number): Promise<VariantResult> {
  const design: CallerDesign = variant === 'shared' ? await startGatedCaller(CIRCUIT) : await startUngatedCaller();
  const { runtime } = design;
  const { clock } = design;
  try {
    takeDependencyDown(runtime, { until: `+${OUTAGE_MS / 1000}s`, latencyMs: FAILING_CALL_MS });
    const healAt = clock.now() + OUTAGE_MS;
    if (variant === 'per-worker') return await runPerWorkerBreakers(design, workers, healAt);
    const { records } = await runWorkers(clock, workers, () => design.call());
    const summary = summarize(records, healAt);
    if (variant === 'none') return summary;
    return { ...summary, floor: sharedBreakerFloor(records, design, healAt) };
  } finally {
    await design.close();
  }
}

/**
 * cockatiel reads Date.now() for its half-open timer; the workers run on the virtual clock, so Date.now follows
 * that clock while they run (nothing else in the runtime reads Date.now for behaviour).
 */
async function runPerWorkerBreakers(design: CallerDesign, workers: number, healAt: number): Promise<VariantResult> {
  const { clock } = design;
  const breakers = Array.from({ length: workers }, () =>
    circuitBreaker(handleAll, {
      halfOpenAfter: CIRCUIT.openTimeoutSeconds * 1000,
      breaker: new ConsecutiveBreaker(CIRCUIT.failureThreshold),
    }),
  );
  const realNow = Date.now;
  Date.now = () => clock.now();
  try {
    const { records } = await runWorkers(clock, workers, async (worker) => {
      let record: ExecutionRecord | undefined;
      try {
        await breakers[worker].execute(async () => {
          record = await design.call();
          if (record.status !== 'SUCCEEDED') throw new Error(record.error);
        });
      } catch (error) {
        if (!(error instanceof BrokenCircuitError) && !record) throw error;
      }
      return record;
    });
    return summarize(records, healAt);
  } finally {
    Date.now = realNow;
  }
}

/**
 * The fewest calls any shared breaker lets through while the dependency is down: the threshold, the calls
 * already in flight when the circuit opens, and one probe per open period that ends inside the outage.
 */
function sharedBreakerFloor(records: readonly WorkerRecord[], design: CallerDesign, healAt: number) {
  const changes = design.runtime.services.eventbridge.calls.flatMap((recorded) =>
    ((recorded.params as { Entries?: { DetailType?: string; Detail?: unknown }[] }).Entries ?? [])
      .filter((entry) => entry.DetailType === 'Circuit State Changed')
      .map(
        (entry) =>
          (typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail) as {
            from: string;
            to: string;
            at: string;
          },
      ),
  );
  const opened = changes.find((c) => c.from === 'CLOSED' && c.to === 'OPEN');
  const openedAt = opened ? Date.parse(opened.at) : Number.POSITIVE_INFINITY;
  const calls = records.flatMap((r) => r.calls);
  const beforeOpen = calls.filter((c) => Date.parse(c.startedAt) <= openedAt).length;
  const failedProbes = changes.filter(
    (c) => c.from === 'HALF_OPEN' && c.to === 'OPEN' && Date.parse(c.at) < healAt + FAILING_CALL_MS,
  ).length;
  const threshold = CIRCUIT.failureThreshold;
  return {
    threshold,
    inFlight: Math.max(0, beforeOpen - threshold),
    failedProbes,
    total: Math.max(beforeOpen, threshold) + failedProbes,
  };
}

export const wastedCalls: Benchmark = {
  id: 'wasted-calls',
  title: '2. Calls wasted on a dead dependency',
  question:
    'When a dependency is down, how many calls still reach it, and how soon do calls succeed after it heals: shared circuit vs a breaker per worker vs none?',
  async run() {
    const out = new OutcomeBuilder();
    const rows: (string | number)[][] = [];
    for (const workers of WORKER_COUNTS) {
      const shared = await runVariant('shared', workers);
      const perWorker = await runVariant('per-worker', workers);
      const none = await runVariant('none', workers);
      const floor = shared.floor!;
      for (const [label, result] of [
        ['(a) shared DynamoDB circuit', shared],
        ['(b) cockatiel breaker per worker', perWorker],
        ['(c) no breaker', none],
      ] as const) {
        rows.push([
          workers,
          label,
          result.reached,
          result.wasted,
          result.firstRecoverySeconds,
          result.allRecoveredSeconds,
        ]);
      }
      rows.push([
        workers,
        `floor of any shared breaker: ${floor.threshold} + ${floor.inFlight} in flight + ${floor.failedProbes} failed probes`,
        '',
        floor.total,
        '',
        '',
      ]);
      out.ratio(
        `wasted-calls.c${workers}.none-vs-shared`,
        `C=${workers}: wasted calls, (c) no breaker / (a) shared`,
        none.wasted,
        shared.wasted,
        'higher',
      );
      out.ratio(
        `wasted-calls.c${workers}.per-worker-vs-shared`,
        `C=${workers}: wasted calls, (b) per-worker breaker / (a) shared`,
        perWorker.wasted,
        shared.wasted,
        'higher',
      );
      out.check(
        `C=${workers}: (a) wastes fewer calls than (c)`,
        shared.wasted < none.wasted,
        `${shared.wasted} vs ${none.wasted}`,
      );
      out.check(
        `C=${workers}: (a) wastes fewer calls than (b)`,
        shared.wasted < perWorker.wasted,
        `${shared.wasted} vs ${perWorker.wasted}`,
      );
      out.check(
        `C=${workers}: (a) is at or above the floor of any shared breaker, within 3 calls`,
        shared.wasted >= floor.total && shared.wasted - floor.total <= 3,
        `wasted ${shared.wasted}, floor ${floor.total}`,
      );
      out.check(
        `C=${workers}: every variant recovers after the heal`,
        [shared, perWorker, none].every((r) => Number.isFinite(r.allRecoveredSeconds)),
        [shared, perWorker, none].map((r) => r.allRecoveredSeconds).join(', '),
      );
    }
    out.table(
      `Dependency down for ${OUTAGE_MS / 1000} s (each failing call takes ${FAILING_CALL_MS / 1000} s), workers call every ${PACE_MS / 1000} s for ${SCENARIO_MS / 1000} s; failureThreshold ${CIRCUIT.failureThreshold}, open timeout ${CIRCUIT.openTimeoutSeconds} s for both breakers`,
      [
        'C',
        'variant',
        'calls reaching it',
        'wasted (failed) calls',
        's to first success after heal',
        's until every worker succeeds',
      ],
      rows,
    );
    out.note(
      'Recovery is where a breaker costs: after the heal, calls wait for the next probe (up to one open timeout), while with no breaker the next call succeeds.',
    );
    return out.build();
  },
};

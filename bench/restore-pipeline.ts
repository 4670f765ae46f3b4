/**
 * Benchmark 5: the restore pipeline (restore-table and its child machines) on the PITR emulator. For source
 * tables of 1k, 10k and 100k items: the wall time of each step on this machine (restore, wait for ACTIVE,
 * re-apply the settings, validate the data) and the state transitions billed; and, for a simulated 1- and
 * 20-minute restore, the transitions of wait-for-table-active's growing poll interval next to a fixed 60 s
 * poll (the anchor's design, bench/baselines/fixed-poll-wait-for-table.asl.json).
 */
import { join } from 'node:path';
import { BatchWriteItemCommand, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { runConcurrently } from '../cli/run-concurrently';
import { VirtualClock } from '../local/clock';
import { LocalRuntime } from '../local/runtime';
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import type { TraceEvent } from '../local/stepfunctions/trace';
import type { AppModel } from '../local/template/app-model';
import { loadAppModel } from '../local/template/synthesize';
import { type Benchmark, OutcomeBuilder, round } from './benchmark';
import { billedTransitions } from './metering';

const ITEM_COUNTS = [1_000, 10_000, 100_000] as const;
const MINUTE = 60_000;
const START = Date.parse('2026-11-30T09:00:00.000Z');
const SOURCE = 'healthAlerts';
const BATCH = 25;

/** The steps of restore-table timed here, by the state that does each. */
const STEPS = {
  restore: 'Restore the table to the latest restorable time',
  wait: 'Wait for the restored table to become ACTIVE',
  're-apply': 'Re-apply the settings a restore does not carry',
  validate: 'Check the restored data',
} as const;

function startRuntime(model: AppModel, restoreDurationMs?: number): Promise<LocalRuntime> {
  return LocalRuntime.start({
    model,
    clock: new VirtualClock({ startAt: START }),
    handlerLogLevel: 'SILENT',
    random: () => 0.5,
    ...(restoreDurationMs ? { restoreDurationMs } : {}),
  });
}

/** Health alerts of about 200 bytes each, written 25 at a time. */
async function fill(runtime: LocalRuntime, items: number): Promise<void> {
  const TableName = runtime.tableName(SOURCE);
  const batches = Math.ceil(items / BATCH);
  let next = 0;
  await runConcurrently(batches, 4, async () => {
    const first = next;
    next += BATCH;
    const requests = Array.from({ length: Math.min(BATCH, items - first) }, (_, offset) => {
      const index = first + offset;
      return {
        PutRequest: {
          Item: {
            alertId: { S: `alert-${String(index).padStart(6, '0')}` },
            instanceId: { S: `db-${index % 36}` },
            raisedAt: { S: new Date(START - (index % 1000) * 1000).toISOString() },
            severity: { S: index % 3 === 0 ? 'CRITICAL' : 'WARNING' },
            status: { S: 'OPEN' },
            summary: { S: `Replica lag above threshold on db-${index % 36} (sample ${index})`.padEnd(120, '.') },
          },
        },
      };
    });
    await runtime.dynamoDbClient.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: requests } }));
  });
}

/** Runs an execution, noting the wall time at which each trace event arrived. */
async function executeTimed(runtime: LocalRuntime, workflow: string, input: unknown) {
  const started = runtime.start(workflow, input);
  const wallAt = new Map<TraceEvent, number>();
  const trace = started.record.trace;
  const push = trace.push.bind(trace);
  trace.push = (...events: TraceEvent[]) => {
    for (const event of events) wallAt.set(event, performance.now());
    return push(...events);
  };
  const begun = performance.now();
  const record = await started.done;
  return { record, wallAt, wallSeconds: (performance.now() - begun) / 1000 };
}

function stepSeconds(record: ExecutionRecord, wallAt: Map<TraceEvent, number>, state: string): number {
  const entered = record.trace.find((e) => e.type === 'StateEntered' && e.state === state);
  const left = record.trace.find((e) => (e.type === 'StateExited' || e.type === 'StateFailed') && e.state === state);
  if (!entered || !left) return Number.NaN;
  return round((wallAt.get(left)! - wallAt.get(entered)!) / 1000, 2);
}

function childTransitions(record: ExecutionRecord): number {
  return record.calls.reduce(
    (total, call) =>
      total + (call.childExecutions ?? []).reduce((sum, child) => sum + billedTransitions(child.trace), 0),
    0,
  );
}

function restoreRequest() {
  return {
    tableName: 'health-alerts',
    restoreTo: 'latest',
    reason: 'benchmark',
    requestedBy: 'bench',
    approval: 'skip',
  };
}

interface PollerRun {
  readonly transitions: number;
  readonly polls: number;
  /** Seconds between the table becoming ACTIVE and the poller seeing it. */
  readonly detectionDelaySeconds: number;
}

/** Restores a small table taking `durationMs` to become ACTIVE, and waits for it with `poll`. */
async function pollRestore(
  model: AppModel,
  durationMs: number,
  poll: (runtime: LocalRuntime, tableName: string) => Promise<ExecutionRecord>,
): Promise<PollerRun> {
  const runtime = await startRuntime(model, durationMs);
  try {
    await fill(runtime, 10);
    await runtime.clock.sleep(10 * MINUTE);
    const target = `${runtime.tableName(SOURCE)}-poll`;
    const restoredAt = runtime.clock.now();
    await runtime.dynamoDbClient.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: runtime.tableName(SOURCE),
        TargetTableName: target,
        UseLatestRestorableTime: true,
      }),
    );
    const record = await poll(runtime, target);
    if (record.status !== 'SUCCEEDED')
      throw new Error(`${record.stateMachineName} ended ${record.status}: ${record.cause}`);
    const polls = record.trace.filter((e) => e.type === 'StateEntered' && e.stateType === 'Task').length;
    return {
      transitions: billedTransitions(record.trace),
      polls,
      detectionDelaySeconds: round((Date.parse(record.stopDate!) - restoredAt - durationMs) / 1000),
    };
  } finally {
    await runtime.stop();
  }
}

async function averagePolls(
  durations: readonly number[],
  run: (durationMs: number) => Promise<PollerRun>,
): Promise<PollerRun> {
  const runs: PollerRun[] = [];
  for (const duration of durations) runs.push(await run(duration));
  const mean = (pick: (r: PollerRun) => number) => round(runs.reduce((total, r) => total + pick(r), 0) / runs.length);
  return {
    polls: mean((r) => r.polls),
    transitions: mean((r) => r.transitions),
    detectionDelaySeconds: mean((r) => r.detectionDelaySeconds),
  };
}

export const restorePipeline: Benchmark = {
  id: 'restore-pipeline',
  title: '5. Restore pipeline',
  question:
    'How long does each step of a point-in-time restore take on the local PITR emulator as tables grow, what does it bill in transitions, and what does the growing poll interval save over a fixed 60 s poll?',
  async run() {
    const out = new OutcomeBuilder();
    const model = loadAppModel();
    const rows: (string | number)[][] = [];
    const walls: Record<number, number> = {};
    for (const items of ITEM_COUNTS) {
      const runtime = await startRuntime(model);
      try {
        const filling = performance.now();
        await fill(runtime, items);
        const fillSeconds = round((performance.now() - filling) / 1000);
        await runtime.clock.sleep(10 * MINUTE);
        const { record, wallAt, wallSeconds } = await executeTimed(runtime, 'restore-table', restoreRequest());
        const output = (record.output ?? {}) as { validation?: { itemCount?: number; sourceItemCount?: number } };
        out.check(
          `${items} items: the restore succeeds and the restored table holds every item`,
          record.status === 'SUCCEEDED' && output.validation?.itemCount === items,
          `${record.status} ${record.error ?? ''} ${record.cause ?? ''} restored ${output.validation?.itemCount} of ${items}`,
        );
        walls[items] = wallSeconds;
        rows.push([
          items,
          fillSeconds,
          ...Object.values(STEPS).map((state) => stepSeconds(record, wallAt, state)),
          round(wallSeconds, 2),
          billedTransitions(record.trace),
          childTransitions(record),
        ]);
      } finally {
        await runtime.stop();
      }
    }
    out.table(
      'restore-table on the PITR emulator (approval skipped, restore to the latest time; wall seconds on this machine, the clock is virtual)',
      [
        'items',
        'fill (s)',
        'restore (s)',
        'wait (s)',
        're-apply (s)',
        'validate (s)',
        'whole execution (s)',
        'restore-table transitions',
        'child machine transitions',
      ],
      rows,
    );
    out.ratio(
      'restore-pipeline.wall.100k-vs-1k',
      'wall time of a restore, 100k items / 1k items',
      walls[100_000],
      walls[1_000],
      'lower',
    );

    const fixedPoll = join(__dirname, 'baselines', 'fixed-poll-wait-for-table.asl.json');
    const pollRows: (string | number)[][] = [];
    for (const minutes of [1, 20]) {
      // Five restore lengths 12 s apart, so that no poller gains from a restore ending exactly on its poll.
      const durations = Array.from({ length: 5 }, (_, k) => minutes * MINUTE + k * 12_000);
      const growing = await averagePolls(durations, (duration) =>
        pollRestore(model, duration, (runtime, tableName) =>
          runtime.execute('wait-for-table-active', {
            tableName,
            maxWaitSeconds: 4 * 3600,
            firstPollSeconds: 5,
            maxPollSeconds: 60,
          }),
        ),
      );
      const fixed = await averagePolls(durations, (duration) =>
        pollRestore(
          model,
          duration,
          (runtime, tableName) => runtime.loadDefinitionFile(fixedPoll).start({ tableName }).done,
        ),
      );
      const label = `${minutes}:00 to ${minutes}:48`;
      pollRows.push([
        label,
        'growing: 5 s doubling, capped at 60 s (wait-for-table-active)',
        growing.polls,
        growing.transitions,
        growing.detectionDelaySeconds,
      ]);
      pollRows.push([label, 'fixed 60 s (anchor)', fixed.polls, fixed.transitions, fixed.detectionDelaySeconds]);
      out.ratio(
        `restore-pipeline.poll-${minutes}min.growing-vs-fixed`,
        `${minutes}-minute restore: transitions of the growing poll / a fixed 60 s poll`,
        growing.transitions,
        fixed.transitions,
        'lower',
      );
      out.check(
        `${minutes}-minute restore: both pollers see ACTIVE within one poll interval (60 s)`,
        growing.detectionDelaySeconds <= 60 && fixed.detectionDelaySeconds <= 60,
        `${growing.detectionDelaySeconds} s and ${fixed.detectionDelaySeconds} s on average`,
      );
    }
    out.table(
      'Waiting for a restored table to become ACTIVE: means over five restore lengths (transitions of the waiting machine only)',
      ['restore takes (min:s)', 'poll interval', 'DescribeTable polls', 'transitions', 'ACTIVE seen after (s)'],
      pollRows,
    );
    return out.build();
  },
};

/**
 * `npm run bench [-- --only TEXT] [-- --update-baseline]`: side-by-side comparisons measured in the same run
 * (docs/benchmarks.md). Prints each benchmark's tables, ratios and sanity checks, writes bench/results.json
 * (not committed), and compares the same-run ratios with bench/baselines/ratios.json. Exit 1 when a sanity
 * check failed, a benchmark could not finish, or a ratio got more than 30% worse than its baseline.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli/cli-io';
import type { BenchmarkOutcome } from './benchmark';
import { BENCHMARKS } from './benchmarks';
import { baselineOf, compareRatios, RATIO_TOLERANCE } from './ratio';
import { type FinishedBenchmark, resultsDocument } from './results';
import { selectBenchmarks } from './selection';
import { formatTable } from './table-format';

const RESULTS = path.join(__dirname, 'results.json');
const RATIO_BASELINE = path.join(__dirname, 'baselines', 'ratios.json');
const EMPTY: BenchmarkOutcome = { tables: [], ratios: [], checks: [], notes: [] };

export async function runBenchmarks(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'update-baseline': { type: 'boolean' }, only: { type: 'string' } },
  });
  const selected = selectBenchmarks(BENCHMARKS, values.only);
  const startedAt = new Date();
  const baseline = readBaseline();
  const finished: FinishedBenchmark[] = [];
  for (const benchmark of selected) {
    io.out(`\n## ${benchmark.title}\n\n${benchmark.question}\n`);
    const started = performance.now();
    let outcome = EMPTY;
    let error: string | undefined;
    try {
      outcome = await benchmark.run();
    } catch (failure) {
      error = `${(failure as Error).name}: ${(failure as Error).message}`;
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    finished.push({ benchmark, seconds, outcome, ...(error ? { error } : {}) });
    printOutcome(outcome, seconds, error, io);
    // Written after every benchmark, so a long run that is stopped still leaves what it measured.
    writeResults(finished, baseline, startedAt);
  }
  const ratios = finished.flatMap(({ outcome }) => outcome.ratios);
  const { document, comparisons } = writeResults(finished, baseline, startedAt);
  io.out(
    `\nWrote ${path.relative(process.cwd(), RESULTS)} (${document.durationSeconds} s, ${document.machine.cpus} cores, Node ${document.machine.node}).`,
  );
  if (values['update-baseline']) {
    writeFileSync(RATIO_BASELINE, `${JSON.stringify({ ...baseline, ...baselineOf(ratios) }, null, 2)}\n`);
    io.out(`Ratio baseline updated: ${path.relative(process.cwd(), RATIO_BASELINE)}`);
  }
  const regressions = comparisons.filter((c) => c.regressed);
  for (const r of regressions) {
    io.out(`REGRESSION ${r.id}: ${r.value} vs baseline ${r.baseline} (${Math.round(r.worseBy * 100)}% worse)`);
  }
  const failedChecks = finished.flatMap(({ outcome }) => outcome.checks.filter((check) => !check.passed));
  const broken = finished.filter(({ error }) => error);
  io.out(
    `${comparisons.length} ratio(s) compared with the baseline (tolerance ${RATIO_TOLERANCE * 100}%): ${regressions.length} regressed. ` +
      `${failedChecks.length} sanity check(s) failed, ${broken.length} benchmark(s) did not finish.`,
  );
  return regressions.length + failedChecks.length + broken.length > 0 ? 1 : 0;
}

function printOutcome(outcome: BenchmarkOutcome, seconds: number, error: string | undefined, io: CliIo): void {
  for (const table of outcome.tables) io.out(`${table.title}\n\n${formatTable(table)}\n\n`);
  if (outcome.ratios.length > 0) {
    io.out(
      `${formatTable({
        title: 'ratios',
        columns: ['same-run ratio', 'value', 'better'],
        rows: outcome.ratios.map((r) => [r.label, r.value, r.better]),
      })}\n\n`,
    );
  }
  for (const note of outcome.notes) io.out(`- ${note}`);
  for (const check of outcome.checks) {
    io.out(check.passed ? `ok      ${check.description}` : `FAILED  ${check.description}: ${check.detail}`);
  }
  if (error) io.out(`FAILED  the benchmark did not finish: ${error}`);
  io.out(`(${seconds} s)`);
}

function writeResults(finished: readonly FinishedBenchmark[], baseline: Record<string, number>, startedAt: Date) {
  const comparisons = compareRatios(
    finished.flatMap(({ outcome }) => outcome.ratios),
    baseline,
  );
  const document = resultsDocument(finished, comparisons, startedAt, new Date());
  writeFileSync(RESULTS, `${JSON.stringify(document, null, 2)}\n`);
  return { document, comparisons };
}

function readBaseline(): Record<string, number> {
  if (!existsSync(RATIO_BASELINE)) return {};
  return JSON.parse(readFileSync(RATIO_BASELINE, 'utf8')) as Record<string, number>;
}

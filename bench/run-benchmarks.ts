/**
 * `npm run bench`: throughput and memory of the local runtime, measured on the real engine against the
 * in-process DynamoDB. Prints a table and writes bench/results/latest.json (not committed); compares
 * with bench/baseline.json and flags anything more than 30% slower.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli/cli-io';
import { VirtualClock } from '../local/clock';
import { LocalRuntime } from '../local/runtime';
import type { Benchmark, BenchmarkResult } from './benchmark';
import { RUNTIME_BENCHMARKS } from './runtime-benchmarks';
import { SCENARIO_BENCHMARKS } from './scenario-benchmarks';

const BASELINE = path.join(__dirname, 'baseline.json');
const RESULTS_DIR = path.join(__dirname, 'results');
const REGRESSION_TOLERANCE = 0.3;

export async function runBenchmarks(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'update-baseline': { type: 'boolean' }, only: { type: 'string' } },
  });
  const benchmarks: Benchmark[] = [...RUNTIME_BENCHMARKS, ...SCENARIO_BENCHMARKS].filter(
    (benchmark) => !values.only || benchmark.name.includes(values.only),
  );
  const results: BenchmarkResult[] = [];
  for (const benchmark of benchmarks) {
    const before = process.memoryUsage().rss;
    const result = await benchmark.run({
      startRuntime: (model) => LocalRuntime.start({ model, clock: new VirtualClock(), handlerLogLevel: 'SILENT' }),
    });
    results.push({ ...result, rssDeltaMb: round((process.memoryUsage().rss - before) / 1024 / 1024) });
    io.out(`${benchmark.name.padEnd(58)} ${String(result.value).padStart(10)} ${result.unit}`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const report = { node: process.version, at: new Date().toISOString(), results };
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (values['update-baseline']) {
    writeFileSync(BASELINE, `${JSON.stringify(report, null, 2)}\n`);
    io.out(`Baseline updated: ${path.relative(process.cwd(), BASELINE)}`);
    return 0;
  }
  return compareWithBaseline(results, io);
}

function compareWithBaseline(results: readonly BenchmarkResult[], io: CliIo): number {
  if (!existsSync(BASELINE)) {
    io.out('No baseline yet: run `npm run bench -- --update-baseline` to record one.');
    return 0;
  }
  const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as { results: BenchmarkResult[] };
  let regressions = 0;
  io.out('');
  for (const result of results) {
    const previous = baseline.results.find((candidate) => candidate.name === result.name);
    if (!previous) continue;
    const change = (result.value - previous.value) / previous.value;
    const worse = result.higherIsBetter ? -change : change;
    const flag = worse > REGRESSION_TOLERANCE ? '  <-- slower than baseline' : '';
    if (flag) regressions++;
    io.out(`${result.name.padEnd(58)} ${formatChange(change)} vs baseline ${previous.value} ${previous.unit}${flag}`);
  }
  io.out(
    regressions
      ? `${regressions} benchmark(s) regressed by more than ${REGRESSION_TOLERANCE * 100}%.`
      : 'No regression beyond tolerance.',
  );
  return regressions ? 1 : 0;
}

function formatChange(change: number): string {
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%`.padStart(6);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

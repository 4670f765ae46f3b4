/**
 * `bench/results.json`: what one `npm run bench` measured, with the machine and the date (not committed;
 * docs/benchmarks.md keeps the latest figures). The schema is checked before the file is written.
 */
import os from 'node:os';
import { z } from 'zod';
import type { Benchmark, BenchmarkOutcome } from './benchmark';
import { PRICE_REGION, PRICES_AS_OF } from './prices';
import type { RatioComparison } from './ratio';

const cell = z.union([z.string(), z.number()]);

export const RESULTS_SCHEMA = z.strictObject({
  schemaVersion: z.literal(1),
  generatedAt: z.iso.datetime(),
  machine: z.strictObject({
    cpus: z.number().int().positive(),
    cpuModel: z.string(),
    platform: z.string(),
    memoryGb: z.number().positive(),
    node: z.string().regex(/^v\d+\./),
  }),
  prices: z.strictObject({ region: z.string(), asOf: z.iso.date() }),
  durationSeconds: z.number().nonnegative(),
  sane: z.boolean(),
  benchmarks: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9-]+$/),
      title: z.string(),
      question: z.string(),
      seconds: z.number().nonnegative(),
      error: z.string().optional(),
      tables: z.array(
        z.strictObject({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(cell)) }),
      ),
      ratios: z.array(
        z.strictObject({
          id: z.string(),
          label: z.string(),
          value: z.number(),
          better: z.enum(['higher', 'lower']),
        }),
      ),
      checks: z.array(z.strictObject({ description: z.string(), passed: z.boolean(), detail: z.string() })),
      notes: z.array(z.string()),
    }),
  ),
  regressions: z.array(
    z.strictObject({
      id: z.string(),
      label: z.string(),
      value: z.number(),
      baseline: z.number(),
      worseBy: z.number(),
      regressed: z.boolean(),
    }),
  ),
});

export type BenchmarkResults = z.infer<typeof RESULTS_SCHEMA>;

export interface FinishedBenchmark {
  readonly benchmark: Pick<Benchmark, 'id' | 'title' | 'question'>;
  readonly seconds: number;
  readonly outcome: BenchmarkOutcome;
  /** Why the benchmark could not finish, when it could not. */
  readonly error?: string;
}

export function resultsDocument(
  finished: readonly FinishedBenchmark[],
  comparisons: readonly RatioComparison[],
  startedAt: Date,
  endedAt: Date,
): BenchmarkResults {
  const document: BenchmarkResults = {
    schemaVersion: 1,
    generatedAt: endedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
    },
    prices: { region: PRICE_REGION, asOf: PRICES_AS_OF },
    durationSeconds: Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
    sane: finished.every(({ outcome, error }) => !error && outcome.checks.every((check) => check.passed)),
    benchmarks: finished.map(({ benchmark, seconds, outcome, error }) => ({
      id: benchmark.id,
      title: benchmark.title,
      question: benchmark.question,
      seconds,
      ...(error ? { error } : {}),
      tables: outcome.tables.map((table) => ({
        title: table.title,
        columns: [...table.columns],
        rows: table.rows.map((row) => [...row]),
      })),
      ratios: [...outcome.ratios],
      checks: [...outcome.checks],
      notes: [...outcome.notes],
    })),
    regressions: [...comparisons],
  };
  return RESULTS_SCHEMA.parse(document);
}

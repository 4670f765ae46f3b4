/** One benchmark: a name, a measured value and its unit, and which direction is better. */
import { runConcurrently } from '../cli/run-concurrently';
import type { LocalRuntime } from '../local/runtime';
import type { AppModel } from '../local/template/app-model';

export interface BenchmarkResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly rssDeltaMb?: number;
}

export interface BenchmarkContext {
  startRuntime(model: AppModel): Promise<LocalRuntime>;
}

export interface Benchmark {
  readonly name: string;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
}

/** Runs `work` `count` times with `concurrency` in flight and returns executions per second. */
export async function throughput(count: number, concurrency: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await runConcurrently(count, concurrency, work);
  return Math.round((count / (performance.now() - started)) * 1000);
}

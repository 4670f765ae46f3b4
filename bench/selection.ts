/** `--only TEXT`: which benchmarks run. */
import { UsageError } from '../cli/errors';
import type { Benchmark } from './benchmark';

/** Benchmarks whose id or title contains `only` (case-insensitive), in their order. */
export function selectBenchmarks<T extends Pick<Benchmark, 'id' | 'title'>>(
  benchmarks: readonly T[],
  only: string | undefined,
): T[] {
  if (only === undefined) return [...benchmarks];
  const wanted = only.toLowerCase();
  const selected = benchmarks.filter((b) => b.id.includes(wanted) || b.title.toLowerCase().includes(wanted));
  if (selected.length === 0) {
    throw new UsageError(`--only "${only}" matches no benchmark; ids: ${benchmarks.map((b) => b.id).join(', ')}.`);
  }
  return selected;
}

/** The synthesized workflows, end to end on the local runtime. */
import type { Benchmark } from './benchmark';

export const SCENARIO_BENCHMARKS: Benchmark[] = [];

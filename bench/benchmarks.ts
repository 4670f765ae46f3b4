/** Every benchmark, in the order `npm run bench` runs them (docs/benchmarks.md explains each). */
import type { Benchmark } from './benchmark';
import { developerLoop } from './developer-loop';
import { gateCost } from './gate-cost';
import { restorePipeline } from './restore-pipeline';
import { runtimeOverhead } from './runtime-overhead';
import { thunderingHerd } from './thundering-herd';
import { transientRecovery } from './transient-recovery';
import { wastedCalls } from './wasted-calls';

export const BENCHMARKS: readonly Benchmark[] = [
  gateCost,
  wastedCalls,
  transientRecovery,
  thunderingHerd,
  restorePipeline,
  runtimeOverhead,
  developerLoop,
];

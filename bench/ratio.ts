/**
 * Same-run ratios and the only regression check the benchmarks keep: a ratio measured in this run against
 * the same ratio of the recorded baseline run (`bench/baselines/ratios.json`), never absolute figures from
 * another day on another load.
 */
import { BenchmarkSanityError } from './errors';

export interface Ratio {
  /** Stable id, the key in the baseline file (`wasted-calls.c50.none-vs-shared`). */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly better: 'higher' | 'lower';
}

export interface RatioComparison {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly baseline: number;
  /** Relative change from the baseline, signed so that positive is worse. */
  readonly worseBy: number;
  readonly regressed: boolean;
}

/** How much worse than its baseline a ratio may get before the run fails: the noise of a shared 2-core machine. */
export const RATIO_TOLERANCE = 0.3;

/** `numerator / denominator` to three significant digits; a zero or non-finite term is a broken measurement. */
export function ratio(numerator: number, denominator: number, id: string): number {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    throw new BenchmarkSanityError(
      `ratio ${id}: ${numerator} / ${denominator} is not a number; a measurement behind it is broken.`,
    );
  }
  return Number((numerator / denominator).toPrecision(3));
}

/** Compares every ratio that has a baseline; ratios without one are new and not compared. */
export function compareRatios(
  ratios: readonly Ratio[],
  baseline: Readonly<Record<string, number>>,
  tolerance = RATIO_TOLERANCE,
): RatioComparison[] {
  return ratios.flatMap((current) => {
    const recorded = baseline[current.id];
    if (recorded === undefined || recorded === 0) return [];
    const change = (current.value - recorded) / Math.abs(recorded);
    const worseBy = current.better === 'higher' ? -change : change;
    return [
      {
        id: current.id,
        label: current.label,
        value: current.value,
        baseline: recorded,
        worseBy: Number(worseBy.toFixed(3)),
        regressed: worseBy > tolerance,
      },
    ];
  });
}

/** The baseline file's content for these ratios, sorted by id so its diffs read well. */
export function baselineOf(ratios: readonly Ratio[]): Record<string, number> {
  return Object.fromEntries([...ratios].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.value]));
}

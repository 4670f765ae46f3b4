/**
 * One benchmark: the question it answers and what one run of it found, as tables, same-run ratios and
 * sanity checks. Every comparison is measured in the same run, so the noise of a shared machine cancels.
 */
import { type Ratio, ratio } from './ratio';

/** A cell is text or a number; numbers are printed as they are (round them where they are measured). */
export type Cell = string | number;

export interface ResultTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface SanityCheck {
  readonly description: string;
  readonly passed: boolean;
  /** The measured figures the check compared. */
  readonly detail: string;
}

export interface BenchmarkOutcome {
  readonly tables: readonly ResultTable[];
  readonly ratios: readonly Ratio[];
  readonly checks: readonly SanityCheck[];
  readonly notes: readonly string[];
}

export interface Benchmark {
  /** Short kebab-case id, what `--only` matches first. */
  readonly id: string;
  readonly title: string;
  /** The user's question this benchmark answers. */
  readonly question: string;
  run(): Promise<BenchmarkOutcome>;
}

/** Collects a benchmark's outcome as it measures. */
export class OutcomeBuilder {
  private readonly tables: ResultTable[] = [];
  private readonly ratios: Ratio[] = [];
  private readonly checks: SanityCheck[] = [];
  private readonly notes: string[] = [];

  table(title: string, columns: readonly string[], rows: readonly (readonly Cell[])[]): this {
    this.tables.push({ title, columns, rows });
    return this;
  }

  /** A same-run ratio, `numerator / denominator`, kept for the regression check. */
  ratio(id: string, label: string, numerator: number, denominator: number, better: Ratio['better']): number {
    const value = ratio(numerator, denominator, id);
    this.ratios.push({ id, label, value, better });
    return value;
  }

  /** A sanity check: recorded either way; the run fails loudly when one did not pass. */
  check(description: string, passed: boolean, detail: string): this {
    this.checks.push({ description, passed, detail });
    return this;
  }

  note(text: string): this {
    this.notes.push(text);
    return this;
  }

  build(): BenchmarkOutcome {
    return { tables: this.tables, ratios: this.ratios, checks: this.checks, notes: this.notes };
  }
}

/** Rounds to `digits` decimals, for figures in tables. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The `q`-quantile (0..1) of `values`, nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The most calls that start inside one window of `windowMs`, windows aligned on the start. */
export function peakPerWindow(startTimes: readonly number[], origin: number, windowMs: number): number {
  const counts = new Map<number, number>();
  for (const at of startTimes) {
    const window = Math.floor((at - origin) / windowMs);
    counts.set(window, (counts.get(window) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

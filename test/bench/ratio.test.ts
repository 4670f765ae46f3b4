/** Same-run ratios and the ratio-only regression check of `npm run bench`. */
import { BenchmarkSanityError } from '../../bench/errors';
import { baselineOf, compareRatios, type Ratio, ratio } from '../../bench/ratio';

const RATIOS: Ratio[] = [
  { id: 'b.faster', label: 'higher is better', value: 0.6, better: 'higher' },
  { id: 'a.cheaper', label: 'lower is better', value: 2.6, better: 'lower' },
  { id: 'c.new', label: 'no baseline yet', value: 1, better: 'higher' },
];

describe('ratio', () => {
  it('divides to three significant digits', () => {
    expect(ratio(2, 3, 'x')).toBe(0.667);
    expect(ratio(1370, 17, 'x')).toBe(80.6);
  });

  it('refuses a zero or non-finite term as a broken measurement, naming the ratio', () => {
    expect(() => ratio(5, 0, 'wasted-calls.c10')).toThrow(BenchmarkSanityError);
    expect(() => ratio(5, 0, 'wasted-calls.c10')).toThrow(/wasted-calls\.c10: 5 \/ 0/);
    expect(() => ratio(Number.NaN, 2, 'x')).toThrow(BenchmarkSanityError);
  });
});

describe('compareRatios', () => {
  it('flags a ratio that got worse than its baseline by more than the tolerance, in its own direction', () => {
    const comparisons = compareRatios(RATIOS, { 'b.faster': 1, 'a.cheaper': 2.5 }, 0.3);

    expect(comparisons).toEqual([
      { id: 'b.faster', label: 'higher is better', value: 0.6, baseline: 1, worseBy: 0.4, regressed: true },
      { id: 'a.cheaper', label: 'lower is better', value: 2.6, baseline: 2.5, worseBy: 0.04, regressed: false },
    ]);
  });

  it('never flags an improvement, however large', () => {
    const comparisons = compareRatios(RATIOS, { 'b.faster': 0.1, 'a.cheaper': 26 }, 0.3);

    expect(comparisons.map((c) => [c.id, c.regressed, c.worseBy])).toEqual([
      ['b.faster', false, -5],
      ['a.cheaper', false, -0.9],
    ]);
  });

  it('writes a baseline sorted by id', () => {
    expect(Object.keys(baselineOf(RATIOS))).toEqual(['a.cheaper', 'b.faster', 'c.new']);
    expect(baselineOf(RATIOS)['a.cheaper']).toBe(2.6);
  });
});

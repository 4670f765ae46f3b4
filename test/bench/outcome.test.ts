/** The pure parts of a benchmark run: outcome, statistics, selection, table format and results.json's shape. */
import { OutcomeBuilder, peakPerWindow, quantile, round } from '../../bench/benchmark';
import { RESULTS_SCHEMA, resultsDocument } from '../../bench/results';
import { selectBenchmarks } from '../../bench/selection';
import { formatTable } from '../../bench/table-format';

const BENCHMARKS = [
  { id: 'gate-cost', title: '1. Gate cost per protected call' },
  { id: 'developer-loop', title: '7. Developer loop' },
];

describe('OutcomeBuilder', () => {
  it('keeps failed sanity checks next to passed ones, and ratios with their direction', () => {
    const out = new OutcomeBuilder();
    out.check('FULL peaks lower than NONE', false, '129 vs 100');
    out.check('every retry made', true, '400');
    out.ratio('herd.none-vs-full', 'NONE / FULL', 100, 18, 'higher');

    const outcome = out.build();

    expect(outcome.checks.filter((check) => !check.passed)).toEqual([
      { description: 'FULL peaks lower than NONE', passed: false, detail: '129 vs 100' },
    ]);
    expect(outcome.ratios).toEqual([{ id: 'herd.none-vs-full', label: 'NONE / FULL', value: 5.56, better: 'higher' }]);
  });
});

describe('statistics', () => {
  it('takes nearest-rank quantiles', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];

    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.99)).toBe(10);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('counts the busiest window: a herd in one instant vs spread out', () => {
    expect(peakPerWindow([1000, 1000, 1000, 3000], 0, 100)).toBe(3);
    expect(peakPerWindow([0, 150, 250, 350], 0, 100)).toBe(1);
    expect(peakPerWindow([], 0, 100)).toBe(0);
  });

  it('rounds to the given decimals', () => {
    expect(round(10.4321, 2)).toBe(10.43);
  });
});

describe('selectBenchmarks (--only)', () => {
  it('runs everything without --only, and matches ids and titles case-insensitively', () => {
    expect(selectBenchmarks(BENCHMARKS, undefined).map((b) => b.id)).toEqual(['gate-cost', 'developer-loop']);
    expect(selectBenchmarks(BENCHMARKS, 'Developer').map((b) => b.id)).toEqual(['developer-loop']);
    expect(selectBenchmarks(BENCHMARKS, 'gate').map((b) => b.id)).toEqual(['gate-cost']);
  });

  it('refuses a text that matches nothing with a UsageError listing the ids', () => {
    expect(() => selectBenchmarks(BENCHMARKS, 'nothing')).toThrow(
      expect.objectContaining({ name: 'UsageError', message: expect.stringContaining('gate-cost, developer-loop') }),
    );
  });
});

describe('formatTable', () => {
  it('aligns a Markdown table, numbers to the right, with thousands separators', () => {
    const text = formatTable({
      title: 't',
      columns: ['design', 'calls'],
      rows: [
        ['none', 1370],
        ['shared', 17],
      ],
    });

    expect(text.split('\n')).toEqual([
      '| design | calls |',
      '| ------ | ----- |',
      '| none   | 1,370 |',
      '| shared |    17 |',
    ]);
  });
});

describe('results.json', () => {
  it('records the machine, the price date, every benchmark and whether the run was sane', () => {
    const out = new OutcomeBuilder().table('t', ['a'], [[1]]);
    out.check('sane', false, 'not');

    const document = resultsDocument(
      [{ benchmark: { id: 'gate-cost', title: 'T', question: 'Q?' }, seconds: 1.5, outcome: out.build() }],
      [],
      new Date('2026-12-02T00:00:00Z'),
      new Date('2026-12-02T00:01:30Z'),
    );

    expect(document).toEqual(
      expect.objectContaining({
        schemaVersion: 1,
        durationSeconds: 90,
        sane: false,
        prices: { region: 'us-east-1', asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
        machine: expect.objectContaining({ cpus: expect.any(Number), node: process.version }),
      }),
    );
    expect(document.benchmarks[0]).toEqual(expect.objectContaining({ id: 'gate-cost', seconds: 1.5 }));
  });

  it('rejects a document whose benchmark id is not kebab-case', () => {
    const bad = { ...resultsDocument([], [], new Date(), new Date()), benchmarks: [{ id: 'Gate Cost' }] };

    expect(RESULTS_SCHEMA.safeParse(bad).success).toBe(false);
  });
});

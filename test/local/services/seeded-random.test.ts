import { hashString, pick, randomInt, randomUuid, seededRandom } from '../../../local/services/seeded-random';

const draws = (seed: number | string, count: number) => Array.from({ length: count }, seededRandom(seed));

describe('seededRandom', () => {
  it('repeats the same stream for the same seed, number or text', () => {
    expect(draws(42, 20)).toEqual(draws(42, 20));
    expect(draws('rds-fleet:7', 20)).toEqual(draws('rds-fleet:7', 20));
    expect(draws('rds-fleet:7', 20)).not.toEqual(draws('rds-fleet:8', 20));
  });

  it('draws floats in [0, 1) with full double precision, not only multiples of 2^-32', () => {
    const values = draws(7, 1000);

    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(values.some((value) => !Number.isInteger(value * 2 ** 32))).toBe(true);
  });

  it('gives unrelated streams for different seeds: no seed replays another one a few draws later', () => {
    // mulberry32 steps its state by 0x6d2b79f5, so seed s + k * 0x6d2b79f5 replayed seed s from draw k on.
    const stream = draws(1, 1000);
    for (const step of [1, 2, 3]) {
      expect(stream).not.toContain(seededRandom((1 + step * 0x6d2b79f5) >>> 0)());
    }
  });

  it('spreads integers over the whole inclusive range', () => {
    const random = seededRandom(3);
    const seen = new Set(Array.from({ length: 600 }, () => randomInt(random, 1, 6)));

    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('picks list items and shapes version-4 UUIDs deterministically', () => {
    expect(pick(seededRandom(5), ['a', 'b', 'c'])).toBe(pick(seededRandom(5), ['a', 'b', 'c']));
    expect(randomUuid(seededRandom(9))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(randomUuid(seededRandom(9))).toBe(randomUuid(seededRandom(9)));
  });

  it('hashes text to a 32-bit seed', () => {
    expect(hashString('costexplorer')).toBe(hashString('costexplorer'));
    expect(hashString('costexplorer')).not.toBe(hashString('costexplorer2'));
    expect(Number.isInteger(hashString('x')) && hashString('x') >= 0 && hashString('x') < 2 ** 32).toBe(true);
  });
});

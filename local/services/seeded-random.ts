/**
 * Seeded randomness (pure-rand's xoroshiro128+), so fixtures, request IDs and fault rates are the same on
 * every run with the same seed. Not for anything security-related.
 */
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export type Random = () => number;

/** Returns a generator of floats in [0, 1), fully determined by `seed` (text is hashed to a number). */
export function seededRandom(seed: number | string): Random {
  const generator = xoroshiro128plus(typeof seed === 'number' ? seed | 0 : hashString(seed) | 0);
  return () => uniformFloat64(generator);
}

/** A 32-bit number from text (the first bytes of its SHA-256), to turn seed + label pairs into seeds. */
export function hashString(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** An integer in [min, max], inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A UUID-shaped (version 4 layout) string drawn from `random`: deterministic request IDs. */
export function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

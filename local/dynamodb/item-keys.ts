/** Primary-key helpers: project an item onto its key and give equal keys one canonical string. */
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { WireItem } from './wire';

/** The key attributes of `item` (in wire form), in key-schema order. */
export function keyOf(item: WireItem, keySchema: readonly KeySchemaElement[]): WireItem {
  const key: WireItem = {};
  for (const element of keySchema) {
    const name = element.AttributeName!;
    if (item[name] !== undefined) key[name] = item[name];
  }
  return key;
}

/**
 * One string per distinct key, so `{"N":"1.0"}` and `{"N":"1"}` (the same DynamoDB key) collide as they
 * should. Strings and base64 binaries are compared as they are.
 */
export function canonicalKey(key: WireItem, keySchema: readonly KeySchemaElement[]): string {
  return JSON.stringify(
    keySchema.map((element) => {
      const value = key[element.AttributeName!] ?? {};
      if (typeof value.N === 'string') return { N: normalizeNumber(value.N) };
      return value;
    }),
  );
}

/** Canonical form of a DynamoDB number string: sign, significant digits, exponent. */
export function normalizeNumber(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) return text;
  const [, sign, whole = '', fraction = '', exponentText = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let exponent = Number(exponentText) - fraction.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`;
}

/**
 * Exact sums of the decimal amounts Cost Explorer answers with (`"12.3456789012"`, `"-0.0000000417"`): a day's
 * fleet total adds thousands of them, which binary floating point would round at every step.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

function parse(text: string): Scaled {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign ? -units : units, scale: fraction.length };
}

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The exact sum of decimal strings, without trailing zeros (`addDecimals('0.1', '0.2')` is `'0.3'`). */
export function addDecimals(...amounts: readonly string[]): string {
  const parsed = amounts.map(parse);
  const scale = Math.max(0, ...parsed.map((amount) => amount.scale));
  const units = parsed.reduce((sum, amount) => sum + amount.units * 10n ** BigInt(scale - amount.scale), 0n);
  return format({ units, scale });
}

import fc from 'fast-check';
import { addDecimals, isDecimal } from '../../../handlers/cost/decimal';

describe('addDecimals', () => {
  it('adds exactly where binary floating point does not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('12.3456789012', '0.0000000417', '-2.5')).toBe('9.8456789429');
    expect(addDecimals('0')).toBe('0');
    expect(addDecimals('-0.25', '0.25')).toBe('0');
  });

  it('agrees with integer arithmetic on amounts in hundred-millionths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), { maxLength: 30 }), (units) => {
        const asText = (value: number) => {
          const sign = value < 0 ? '-' : '';
          const digits = String(Math.abs(value)).padStart(9, '0');
          return `${sign}${digits.slice(0, -8)}.${digits.slice(-8)}`;
        };
        const expected = units.reduce((sum, value) => sum + value, 0);
        expect(addDecimals('0', ...units.map(asText))).toBe(addDecimals(asText(expected)));
      }),
    );
  });

  it('refuses what is not a plain decimal amount', () => {
    expect(isDecimal('1e-7')).toBe(false);
    expect(isDecimal('12.')).toBe(false);
    expect(() => addDecimals('1', 'NaN')).toThrow(/Not a decimal amount: "NaN"/);
  });
});

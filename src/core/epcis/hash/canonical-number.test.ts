import { describe, expect, it } from 'vitest';
import { canonicalNumber } from './canonical-number.ts';

describe('canonicalNumber', () => {
  it.each([
    ['1', '1'], ['1.0', '1'], ['1.50', '1.5'], ['0.3434000', '0.3434'], ['452.0', '452'], ['26.000', '26'],
    ['0.180000000000', '0.18'], ['007', '7'], ['+5', '5'], ['-2.50', '-2.5'], ['-0.0', '0'], ['0', '0'],
    ['.5', '0.5'], ['5.', '5'], ['1e3', '1000'], ['1.0E-4', '0.0001'], ['1e+21', '1000000000000000000000'],
    ['12345678901234567890', '12345678901234567890'], ['2.5e-1', '0.25'], ['123.456e1', '1234.56'],
  ])('%s → %s', (text, expected) => {
    expect(canonicalNumber(text)).toBe(expected);
  });

  it.each(['', '-', '.', 'abc', '1.2.3', '2019-10-21', '1e', '1e+', '0x10', 'Infinity', 'NaN', ' 1', '1 ', '1e99999'])(
    'leaves %j alone',
    (text) => {
      expect(canonicalNumber(text)).toBeNull();
    },
  );
});

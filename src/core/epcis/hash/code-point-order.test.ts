import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, sortedConcat } from './code-point-order.ts';

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareCodePoints', () => {
  it('puts a character above U+FFFF after U+E000–U+FFFF, as UTF-8 does', () => {
    expect(compareCodePoints('\u{1F600}', '\uFF01')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFF01').toBe(true); // what plain JavaScript comparison would say
  });

  it('agrees with the order of UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(utf8Order(a, b)));
      }),
    );
  });

  it('sorts and concatenates', () => {
    expect(sortedConcat(['b=1', 'a=2', 'a=10'])).toBe('a=10a=2b=1');
  });
});

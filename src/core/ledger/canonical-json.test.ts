import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyJson = fc.jsonValue({ stringUnit: anyCodeUnit, maxDepth: 4 });

/** A copy of `value` whose objects list their keys in a shuffled insertion order. */
function reinsert(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => reinsert(v, order));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of order(Object.keys(source))) copy[key] = reinsert(source[key], order);
  return copy;
}

/** Whether some object key is an array index: JS enumerates those first, in numeric order, whatever the insertion order. */
function hasIndexKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIndexKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => /^(0|[1-9]\d*)$/.test(k) || hasIndexKey(v));
}

describe('canonicalJson', () => {
  it('matches JSON.stringify when every object already lists its keys in code-unit order', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        fc.pre(!hasIndexKey(value));
        const sorted = reinsert(value, (keys) => [...keys].sort());
        expect(canonicalJson(sorted)).toBe(JSON.stringify(sorted));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(anyJson, fc.integer(), (value, seed) => {
        let s = seed;
        const shuffle = (keys: string[]): string[] =>
          keys
            .map((k) => ({ k, r: (s = (Math.imul(s, 1103515245) + 12345) | 0) }))
            .sort((a, b) => a.r - b.r)
            .map(({ k }) => k);
        expect(canonicalJson(reinsert(value, shuffle))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips: parsing the output gives the value as JSON carries it (-0 becomes 0, as with JSON.stringify)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it('produces the RFC 8785 example output', () => {
    // RFC 8785 §3.2.3 input and output.
    const input = '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}';
    const expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it('sorts keys by UTF-16 code units, not code points or numeric value (RFC 8785 §3.2.3 sorting example)', () => {
    const value = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis', '10': 'Ten', '9': 'Nine' };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","10":"Ten","9":"Nine","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('escapes strings exactly as JSON.stringify does, lone surrogates included', () => {
    const s = 'a"b\\c\u0000\u001f\u007f\u2028\ud800x\udc00\ud83d\ude00';
    expect(canonicalJson({ s })).toBe(`{"s":${JSON.stringify(s)}}`);
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('drops undefined members, writes null for undefined in arrays and for non-finite numbers, and uses toJSON', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, () => 1, Number.NaN, -0, Infinity], f: () => 1 })).toBe('{"a":[null,null,null,0,null]}');
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 8, 3)) })).toBe('{"at":"2025-09-03T00:00:00.000Z"}');
    expect(canonicalJson({ z: 1, toJSON: () => ({ y: 2, x: 1 }) })).toBe('{"x":1,"y":2}');
  });

  it('throws for values JSON cannot carry', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});

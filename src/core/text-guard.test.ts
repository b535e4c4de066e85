import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, mayHoldUnstorableText, safeText, unstorableParts } from './text-guard.ts';

describe('unstorable JSON', () => {
  it('finds NUL characters and unpaired surrogates in values and keys, with pointers', () => {
    const value = JSON.parse('{"a":["ok","x\\u0000y"],"b\\ud800":1,"c":{"d":"\\udc00"},"e":"\\ud83d\\ude00"}');
    expect(unstorableParts(value).map((d) => d.pointer).sort()).toEqual(['/a/1', '/b\ufffd', '/c/d']);
  });
  it('finds nesting deeper than the limit', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = [deep];
    expect(unstorableParts({ x: deep })).toEqual([expect.objectContaining({ rule: 'maxDepth' })]);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH - 2; i++) fine = [fine];
    expect(unstorableParts({ x: fine })).toEqual([]);
  });
  it('spots suspicious escapes in raw text, but not ordinary ones', () => {
    expect(mayHoldUnstorableText('{"a":"\\u0000"}')).toBe(true);
    expect(mayHoldUnstorableText('{"a":"\\uD800"}')).toBe(true);
    expect(mayHoldUnstorableText('{"a":"月饼 \\u00e9"}')).toBe(false);
  });
  it('makes any text storable', () => {
    expect(safeText('a\u0000b\ud800')).toBe('a\\u0000b\ufffd');
  });
});

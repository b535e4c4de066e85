/**
 * Order two strings by Unicode code point, which is the order of their UTF-8 bytes (CBV 2.0 §8.9
 * rules 10–12). JavaScript's `<` compares UTF-16 code units instead; the two differ only when a
 * surrogate pair meets a character from U+E000 to U+FFFF at the first difference.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xs = x <= 0xdfff;
      const ys = y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate encodes a code point above U+FFFF
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Sort `parts` in code point order and concatenate them. */
export function sortedConcat(parts: string[]): string {
  if (parts.length === 1) return parts[0] as string;
  return parts.sort(compareCodePoints).join('');
}

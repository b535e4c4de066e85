/**
 * Percent-encoding of GS1 Digital Link path and query components (RFC 3986, GS1 Digital
 * Link standard 1.4 §6): unreserved characters stay as they are, everything else is escaped
 * with upper-case hex; in query values a space may be written `+`.
 */

const UNRESERVED = (() => {
  const t = new Uint8Array(128);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') t[c.charCodeAt(0)] = 1;
  return t;
})();

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Escape a value for a Digital Link path segment (`query` false) or query value (`query` true).
 * Characters beyond ASCII are escaped as their UTF-8 bytes.
 * @example percentEncode('ABC+1', false) // 'ABC%2B1'
 */
export function percentEncode(value: string, query: boolean): string {
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] === 0) {
      plain = false;
      break;
    }
  }
  if (plain) return value;
  let out = '';
  const bytes = Buffer.from(value, 'utf8');
  for (const b of bytes) {
    if (b < 128 && UNRESERVED[b] === 1) out += String.fromCharCode(b);
    else if (b === 32 && query) out += '+';
    else out += `%${HEX[b >> 4] as string}${HEX[b & 15] as string}`;
  }
  return out;
}

/**
 * Undo percent-encoding; each escape yields one byte, returned as the character with that code
 * (Latin-1), as the GS1 syntax engine does. `%` not followed by two hex digits is kept literally.
 * In query values `+` means space. Returns null when an escape decodes to NUL, which is illegal.
 */
export function percentDecode(value: string, query: boolean): string | null {
  if (value.indexOf('%') < 0 && (!query || value.indexOf('+') < 0)) return value;
  let out = '';
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 && i < n - 2) {
      const h = hexValue(value.charCodeAt(i + 1));
      const l = hexValue(value.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        const b = h * 16 + l;
        if (b === 0) return null;
        out += String.fromCharCode(b);
        i += 2;
        continue;
      }
    }
    out += query && c === 43 ? ' ' : value[i];
  }
  return out;
}

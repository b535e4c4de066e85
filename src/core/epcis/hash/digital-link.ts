/**
 * GS1 Digital Link URI → the constrained canonical form that the CBV 2.0 Event Hash ID hashes
 * (rule 18): `https://id.gs1.org` as domain, no query string, AIs instead of the short names, GTINs
 * padded to 14 digits, no CPV (AI 22), and only the finest identification level (serial over lot).
 * Follows the reference implementation's `dl_normaliser.py` step by step, on path segments instead
 * of regular expressions.
 */

const DL = 'https://id.gs1.org';

/** Primary-key AIs in the order the reference implementation searches for them when re-rooting a URI. */
const PRIMARY_KEYS: readonly string[] = [
  '00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018',
];

const PRIMARY_KEY_SET: ReadonlySet<string> = new Set(PRIMARY_KEYS);

/** Short names the reference implementation replaces by AIs, in its order (`gsrnp` before `gsrn`). */
const SHORT_NAMES: readonly (readonly [string, string])[] = [
  ['/gtin/', '/01/'], ['/itip/', '/8006/'], ['/cpid/', '/8010/'], ['/gln/', '/414/'], ['/party/', '/417/'],
  ['/gsrnp/', '/8017/'], ['/gsrn/', '/8018/'], ['/gcn/', '/255/'], ['/sscc/', '/00/'], ['/gdti/', '/253/'],
  ['/ginc/', '/401/'], ['/gsin/', '/402/'], ['/grai/', '/8003/'], ['/giai/', '/8004/'], ['/cpv/', '/22/'],
  ['/lot/', '/10/'], ['/ser/', '/21/'],
];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (c: number): number => (c <= 57 ? c - 48 : (c | 32) - 87);

/** Whether some path segment starts with four digits, which every GS1 key value does (a cheap first filter). */
function hasKeyLikeSegment(uri: string, from: number, end: number): boolean {
  for (let i = uri.indexOf('/', from); i >= 0 && i + 4 < end; i = uri.indexOf('/', i + 1)) {
    if (isDigit(uri.charCodeAt(i + 1)) && isDigit(uri.charCodeAt(i + 2)) && isDigit(uri.charCodeAt(i + 3)) &&
      isDigit(uri.charCodeAt(i + 4))) return true;
  }
  return false;
}

/** Whether a path has a segment starting with a lower-case letter (so short names may need replacing). */
function hasLetterSegment(path: string): boolean {
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const c = path.charCodeAt(i + 1);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

function replaceShortNames(path: string): string {
  if (!hasLetterSegment(path)) return path;
  let out = path;
  for (const [name, ai] of SHORT_NAMES) if (out.includes(name)) out = out.replaceAll(name, ai);
  return out;
}

/** Whether `path` at `at` starts a key value as the reference requires: four digits and at least one more non-`/` character. */
function keyValueAt(path: string, at: number): boolean {
  for (let i = at; i < at + 4; i++) if (!isDigit(path.charCodeAt(i))) return false;
  const c = path.charCodeAt(at + 4);
  return !Number.isNaN(c) && c !== 47;
}

/** Length of the run of digits at the start of `s`. */
function leadingDigits(s: string): number {
  let n = 0;
  while (n < s.length && isDigit(s.charCodeAt(n))) n++;
  return n;
}

/** Whether every character of `s` is a digit and there are `min`..`max` of them. */
function digits(s: string, min: number, max: number): boolean {
  return s.length >= min && s.length <= max && leadingDigits(s) === s.length;
}

/** Whether a decoded byte belongs to the characters the reference accepts in a Digital Link value. */
function isValueChar(b: number, cpid: boolean): boolean {
  if (cpid) return b === 0x23 || b === 0x2d || b === 0x2f || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a);
  return (
    b === 0x21 || b === 0x22 || (b >= 0x25 && b <= 0x3f) || (b >= 0x41 && b <= 0x5a) || b === 0x5f ||
    (b >= 0x61 && b <= 0x7a)
  );
}

/** Whether a byte may appear unescaped in a Digital Link value. */
function isPlainValueChar(b: number, cpid: boolean): boolean {
  if (cpid) return b === 0x2d || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a);
  return (
    b === 0x22 || b === 0x27 || b === 0x2d || b === 0x2e || (b >= 0x30 && b <= 0x39) || (b >= 0x3b && b <= 0x3f) ||
    (b >= 0x41 && b <= 0x5a) || b === 0x5f || (b >= 0x61 && b <= 0x7a)
  );
}

/** Decoded length of a Digital Link value (`%hh` counts as one character), or -1 if it holds a character it may not. */
function valueLength(s: string, cpid = false): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.charCodeAt(i + 1);
      const l = s.charCodeAt(i + 2);
      if (!isHex(h) || !isHex(l) || !isValueChar(hexValue(h) * 16 + hexValue(l), cpid)) return -1;
      i += 2;
    } else if (!isPlainValueChar(c, cpid)) return -1;
    n++;
  }
  return n;
}

const within = (s: string | undefined, max: number, cpid = false): boolean => {
  if (s === undefined) return false;
  const n = valueLength(s, cpid);
  return n >= 0 && n <= max;
};

/** Whether `key/value` with an optional digits prefix of `fixed` digits then a free tail of up to `tail` characters. */
function fixedThenTail(value: string, fixed: number, tail: number, tailDigitsOnly: boolean): boolean {
  if (value.length < fixed || leadingDigits(value.slice(0, fixed)) !== fixed) return false;
  const rest = value.slice(fixed);
  return tailDigitsOnly ? rest.length === 0 || digits(rest, 1, tail) : within(rest, tail);
}

/** The reference's final syntax check on `[key, value, qualifier, value, ...]`. */
function isValidConstrained(segs: readonly string[]): boolean {
  const [key, value, q, qv] = segs;
  if (value === undefined || segs.length > 4 || segs.length === 3) return false;
  const single = segs.length === 2;
  switch (key) {
    case '00':
      return single && digits(value, 18, 18);
    case '01':
      if (!digits(value, 14, 14)) return false;
      if (single) return true;
      if (q === '21' || q === '10') return within(qv, 20);
      return q === '235' && within(qv, 28);
    case '253':
      return single && fixedThenTail(value, 13, 17, false);
    case '255':
      return single && fixedThenTail(value, 13, 12, true);
    case '401':
    case '8004':
      return single && within(value, 30);
    case '402':
      return single && digits(value, 17, 17);
    case '414':
      if (!digits(value, 13, 13)) return false;
      return single || (q === '254' && within(qv, 20));
    case '417':
      return single && digits(value, 13, 13);
    case '8003':
      return single && fixedThenTail(value, 14, 16, false);
    case '8006':
      if (!digits(value, 18, 18)) return false;
      return single || ((q === '21' || q === '10') && within(qv, 20));
    case '8010':
      if (!within(value, 30, true)) return false;
      return single || (q === '8011' && qv !== undefined && (qv.length === 0 || digits(qv, 1, 12)));
    case '8017':
    case '8018':
      return single && digits(value, 18, 18);
    default:
      return false;
  }
}

/**
 * Constrained canonical form of a GS1 Digital Link URI (any domain, http or https), or null when the
 * URI is not a GS1 Digital Link URI with a supported primary key.
 *
 * @example constrainDigitalLink('https://example.com/gtin/9780345418913/cpv/344/lot/1/ser/7?x=1') // 'https://id.gs1.org/01/09780345418913/21/7'
 */
export function constrainDigitalLink(uri: string): string | null {
  let hostAt: number;
  if (uri.startsWith('https://')) hostAt = 8;
  else if (uri.startsWith('http://')) hostAt = 7;
  else return null;
  let end = uri.length;
  const query = uri.indexOf('?', hostAt);
  if (query >= 0) end = query;
  const fragment = uri.indexOf('#', hostAt);
  if (fragment >= 0 && fragment < end) end = fragment;
  const pathAt = uri.indexOf('/', hostAt);
  if (pathAt < 0 || pathAt >= end || !hasKeyLikeSegment(uri, pathAt, end)) return null;
  const path = replaceShortNames(uri.slice(pathAt, end));

  // Where the primary key starts: right after the canonical domain, else the first key in the reference's order.
  let keyAt = -1;
  if (hostAt === 8 && uri.startsWith('id.gs1.org', 8) && pathAt === 18) {
    const slash = path.indexOf('/', 1);
    if (slash > 0 && PRIMARY_KEY_SET.has(path.slice(1, slash)) && keyValueAt(path, slash + 1)) keyAt = 0;
  }
  if (keyAt < 0) {
    let found = false;
    for (const ai of PRIMARY_KEYS) {
      const token = `/${ai}/`;
      for (let i = path.indexOf(token); i >= 0 && !found; i = path.indexOf(token, i + 1)) {
        found = keyValueAt(path, i + token.length);
      }
      if (found) break;
    }
    if (!found) return null;
    for (const ai of PRIMARY_KEYS) {
      const i = path.indexOf(`/${ai}/`);
      if (i >= 0) {
        keyAt = i;
        break;
      }
    }
  }

  const segs = path.slice(keyAt + 1).split('/');
  const key = segs[0];
  const value = segs[1];
  if (value === undefined) return null;
  if (key === '01') {
    const n = leadingDigits(value);
    if (n === 13) segs[1] = `0${value}`;
    else if (n === 12) segs[1] = `00${value}`;
    else if (n >= 8 && n <= 11) segs[1] = `000000${value}`;
  }
  if (key === '01' || key === '8006') {
    if (segs[2] === '22' && segs.length >= 4) segs.splice(2, 2);
    if (segs.length === 6 && segs[2] === '10' && segs[4] === '21') segs.splice(2, 2);
  }
  return isValidConstrained(segs) ? `${DL}/${segs.join('/')}` : null;
}

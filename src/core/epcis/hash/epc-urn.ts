import { withCheckDigit } from './gs1-check-digit.ts';

/**
 * EPC URI, EPC Class URI and EPC ID Pattern URI → canonical GS1 Digital Link URI, as the CBV 2.0
 * Event Hash ID algorithm requires (rule 17; conversions of GS1 EPC TDS 2.0 §6 and §12, restricted
 * to what the reference implementation `dl_normaliser.py` converts). Pure string work, no regex.
 */

const DL = 'https://id.gs1.org/';

/** Whether `s` is a non-empty run of ASCII digits. */
function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (c: number): number => (c <= 57 ? c - 48 : (c | 32) - 87);

/** Characters an EPC URI may carry unescaped in a GS1 AI encodable component (TDS Table A-1). */
function isUrnPlainChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 33 || // !
    (c >= 39 && c <= 46) || // ' ( ) * + , - .
    c === 58 || // :
    c === 59 || // ;
    c === 61 || // =
    c === 95 // _
  );
}

/** Whether `%hh` may stand for `byte` in an EPC URI: any CSET 82 character (those needing the escape and the rest). */
function isUrnEscapable(byte: number): boolean {
  return (
    byte === 0x21 || byte === 0x22 || (byte >= 0x25 && byte <= 0x3f) || (byte >= 0x41 && byte <= 0x5a) ||
    byte === 0x5f || (byte >= 0x61 && byte <= 0x7a)
  );
}

/**
 * Number of characters in an EPC URI component made of CSET 82 characters, counting `%hh` as one;
 * -1 if the component holds anything else.
 */
function urnComponentLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.charCodeAt(i + 1);
      const l = s.charCodeAt(i + 2);
      if (!isHex(h) || !isHex(l) || !isUrnEscapable(hexValue(h) * 16 + hexValue(l))) return -1;
      i += 2;
    } else if (!isUrnPlainChar(c)) return -1;
    n++;
  }
  return n;
}

/** Whether `s` is a CPI component reference: 0-9, A-Z, '-', or the escapes %23 (#), %2D (-), %2F (/). */
function cpiRefLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.charCodeAt(i + 1);
      const l = s.charCodeAt(i + 2);
      if (!isHex(h) || !isHex(l)) return -1;
      const b = hexValue(h) * 16 + hexValue(l);
      if (!(b === 0x23 || b === 0x2d || b === 0x2f || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a))) return -1;
      i += 2;
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 45)) return -1;
    n++;
  }
  return n;
}

/** Percent-encode the characters a GS1 Digital Link path segment may not carry but an EPC URI may. */
export function digitalLinkEscape(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    let rep: string | undefined;
    switch (s.charCodeAt(i)) {
      case 33: rep = '%21'; break; // !
      case 40: rep = '%28'; break; // (
      case 41: rep = '%29'; break; // )
      case 42: rep = '%2A'; break; // *
      case 43: rep = '%2B'; break; // +
      case 44: rep = '%2C'; break; // ,
      case 58: rep = '%3A'; break; // :
      default: break;
    }
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Split `rest` at its first `n` dots into n+1 parts; the last part keeps any further dots. */
function splitDots(rest: string, n: number): string[] | null {
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < n; k++) {
    const dot = rest.indexOf('.', from);
    if (dot < 0) return null;
    parts.push(rest.slice(from, dot));
    from = dot + 1;
  }
  parts.push(rest.slice(from));
  return parts;
}

/** Whether `cp` is a GS1 company prefix as EPC URIs carry it: 6 to 12 digits. */
function isCompanyPrefix(cp: string | undefined): cp is string {
  return cp !== undefined && cp.length >= 6 && cp.length <= 12 && isDigits(cp);
}

/** Company prefix and a digit reference (empty only when the prefix takes every digit) totalling `total` digits. */
function prefixAndRef(cp: string | undefined, ref: string | undefined, total: number): boolean {
  if (!isCompanyPrefix(cp) || ref === undefined) return false;
  if (cp.length + ref.length !== total) return false;
  return ref.length === 0 || isDigits(ref);
}

/** GTIN-14 from company prefix and item reference (indicator digit first). */
const gtin = (cp: string, itemRef: string): string => withCheckDigit(itemRef.slice(0, 1) + cp + itemRef.slice(1));

function idUri(scheme: string, rest: string): string | null {
  switch (scheme) {
    case 'sgtin': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '') return null;
      const serial = p[2] as string;
      const len = urnComponentLength(serial);
      if (len < 1 || len > 20) return null;
      return `${DL}01/${gtin(p[0] as string, p[1] as string)}/21/${digitalLinkEscape(serial)}`;
    }
    case 'sscc': {
      const p = splitDots(rest, 1);
      if (!p || !prefixAndRef(p[0], p[1], 17) || p[1] === '') return null;
      const sr = p[1] as string;
      return `${DL}00/${withCheckDigit(sr.slice(0, 1) + (p[0] as string) + sr.slice(1))}`;
    }
    case 'sgln': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      const ext = p[2] as string;
      const len = urnComponentLength(ext);
      if (len < 1 || len > 20) return null;
      const gln = withCheckDigit((p[0] as string) + (p[1] as string));
      return ext === '0' ? `${DL}414/${gln}` : `${DL}414/${gln}/254/${digitalLinkEscape(ext)}`;
    }
    case 'grai': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      const serial = p[2] as string;
      const len = urnComponentLength(serial);
      if (len < 1 || len > 16) return null;
      return `${DL}8003/${withCheckDigit(`0${p[0] as string}${p[1] as string}`)}${digitalLinkEscape(serial)}`;
    }
    case 'giai':
    case 'ginc': {
      const p = splitDots(rest, 1);
      if (!p || !isCompanyPrefix(p[0])) return null;
      const cp = p[0] as string;
      const ref = p[1] as string;
      const len = urnComponentLength(ref);
      if (len < 1 || len > 30 - cp.length) return null;
      return `${DL}${scheme === 'giai' ? '8004' : '401'}/${cp}${digitalLinkEscape(ref)}`;
    }
    case 'gsrn':
    case 'gsrnp': {
      const p = splitDots(rest, 1);
      if (!p || !prefixAndRef(p[0], p[1], 17) || p[1] === '') return null;
      return `${DL}${scheme === 'gsrn' ? '8018' : '8017'}/${withCheckDigit((p[0] as string) + (p[1] as string))}`;
    }
    case 'gdti': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      const serial = p[2] as string;
      const len = urnComponentLength(serial);
      if (len < 0 || len > 17) return null;
      return `${DL}253/${withCheckDigit((p[0] as string) + (p[1] as string))}${digitalLinkEscape(serial)}`;
    }
    case 'cpi': {
      const last = rest.lastIndexOf('.');
      const first = rest.indexOf('.');
      if (first < 0 || last <= first) return null;
      const cp = rest.slice(0, first);
      const ref = rest.slice(first + 1, last);
      const serial = rest.slice(last + 1);
      if (!isCompanyPrefix(cp)) return null;
      const len = cpiRefLength(ref);
      if (len < 1 || len > 30 - cp.length || serial.length > 12 || !isDigits(serial)) return null;
      return `${DL}8010/${cp}${ref}/8011/${serial}`;
    }
    case 'sgcn': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      const serial = p[2] as string;
      if (serial.length > 12 || !isDigits(serial)) return null;
      return `${DL}255/${withCheckDigit((p[0] as string) + (p[1] as string))}${serial}`;
    }
    case 'gsin': {
      const p = splitDots(rest, 1);
      if (!p || !prefixAndRef(p[0], p[1], 16) || p[1] === '') return null;
      return `${DL}402/${withCheckDigit((p[0] as string) + (p[1] as string))}`;
    }
    case 'itip': {
      const p = splitDots(rest, 4);
      if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '') return null;
      const piece = p[2] as string;
      const total = p[3] as string;
      const serial = p[4] as string;
      if (piece.length !== 2 || !isDigits(piece) || total.length !== 2 || !isDigits(total)) return null;
      const len = urnComponentLength(serial);
      if (len < 1 || len > 20) return null;
      return `${DL}8006/${gtin(p[0] as string, p[1] as string)}${piece}${total}/21/${digitalLinkEscape(serial)}`;
    }
    case 'upui': {
      const p = splitDots(rest, 2);
      if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '') return null;
      const tpx = p[2] as string;
      const len = urnComponentLength(tpx);
      if (len < 1 || len > 28) return null;
      return `${DL}01/${gtin(p[0] as string, p[1] as string)}/235/${digitalLinkEscape(tpx)}`;
    }
    case 'pgln': {
      const p = splitDots(rest, 1);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      return `${DL}417/${withCheckDigit((p[0] as string) + (p[1] as string))}`;
    }
    default:
      return null;
  }
}

function classUri(scheme: string, rest: string): string | null {
  if (scheme !== 'lgtin') return null;
  const p = splitDots(rest, 2);
  if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '') return null;
  const lot = p[2] as string;
  const len = urnComponentLength(lot);
  if (len < 1 || len > 20) return null;
  return `${DL}01/${gtin(p[0] as string, p[1] as string)}/10/${digitalLinkEscape(lot)}`;
}

function patternUri(scheme: string, rest: string): string | null {
  if (!rest.endsWith('.*')) return null;
  const body = rest.slice(0, -2);
  switch (scheme) {
    case 'sgtin':
    case 'upui': {
      const p = splitDots(body, 1);
      if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '') return null;
      return `${DL}01/${gtin(p[0] as string, p[1] as string)}`;
    }
    case 'grai': {
      const p = splitDots(body, 1);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      return `${DL}8003/${withCheckDigit(`0${p[0] as string}${p[1] as string}`)}`;
    }
    case 'gdti':
    case 'sgcn': {
      const p = splitDots(body, 1);
      if (!p || !prefixAndRef(p[0], p[1], 12)) return null;
      return `${DL}${scheme === 'gdti' ? '253' : '255'}/${withCheckDigit((p[0] as string) + (p[1] as string))}`;
    }
    case 'cpi': {
      const p = splitDots(body, 1);
      if (!p || !isCompanyPrefix(p[0])) return null;
      const cp = p[0] as string;
      const ref = p[1] as string;
      const len = cpiRefLength(ref);
      if (len < 1 || len > 30 - cp.length) return null;
      return `${DL}8010/${cp}${ref}`;
    }
    case 'itip': {
      const p = splitDots(body, 3);
      if (!p || !prefixAndRef(p[0], p[1], 13) || p[1] === '' || p[3]?.includes('.')) return null;
      const piece = p[2] as string;
      const total = p[3] as string;
      if (piece.length !== 2 || !isDigits(piece) || total.length !== 2 || !isDigits(total)) return null;
      return `${DL}8006/${gtin(p[0] as string, p[1] as string)}${piece}${total}`;
    }
    default:
      return null;
  }
}

/**
 * Canonical GS1 Digital Link URI of an EPC URI (`urn:epc:id:`), EPC Class URI (`urn:epc:class:lgtin:`)
 * or EPC ID Pattern URI (`urn:epc:idpat:`, whole-class patterns only); null for anything else.
 *
 * @example epcUrnToDigitalLink('urn:epc:id:sgtin:4012345.011111.9876') // 'https://id.gs1.org/01/04012345111118/21/9876'
 */
export function epcUrnToDigitalLink(urn: string): string | null {
  let kind: 'id' | 'class' | 'idpat';
  let at: number;
  if (urn.startsWith('urn:epc:id:')) {
    kind = 'id';
    at = 11;
  } else if (urn.startsWith('urn:epc:idpat:')) {
    kind = 'idpat';
    at = 14;
  } else if (urn.startsWith('urn:epc:class:')) {
    kind = 'class';
    at = 14;
  } else return null;
  const colon = urn.indexOf(':', at);
  if (colon < 0) return null;
  const scheme = urn.slice(at, colon);
  const rest = urn.slice(colon + 1);
  if (kind === 'id') return idUri(scheme, rest);
  if (kind === 'class') return classUri(scheme, rest);
  return patternUri(scheme, rest);
}

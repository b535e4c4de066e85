/**
 * Barcode scan data: what a scanner transmits when it prefixes the data with its ISO/IEC 15424
 * symbology identifier (`]C1`, `]d2`, `]Q3`, `]e0`, `]E0`, ...), with FNC1 separators sent as GS.
 *
 * Conversions use the GS1 Syntax Engine's "data string" notation: GS1 AI data starts with `^`
 * and `^` stands for FNC1; plain data that itself starts with `^` is escaped as `\^`; the 2D
 * composite component of a linear symbol follows a `|`.
 */
import { err, ok, type Result } from '../result.ts';
import type { LocatedAiElement } from './ai-element.ts';
import { checkAssociations } from './ai-associations.ts';
import { gs1CheckDigit } from './check-digit.ts';
import { parseDigitalLink } from './digital-link.ts';
import { GS, needsSeparatorAfter, parseRaw } from './element-string.ts';
import type { Gs1Error, ScanDataRule } from './gs1-error.ts';
import { firstNonDigit } from './linters/charset.ts';

/** Symbologies whose scan data this module understands. */
export type Symbology =
  | 'qrCode'
  | 'dataMatrix'
  | 'dotCode'
  | 'gs1-128'
  | 'dataBarExpanded'
  | 'dataBarOmni'
  | 'dataBarLimited'
  | 'ean13'
  | 'ean8'
  | 'upcA'
  | 'upcE'
  | 'code128';

/** Decoded scan data in data-string notation. */
export interface DecodedScanData {
  /** The symbology family; `]E0` reports `ean13`, which also covers UPC-A and UPC-E. */
  readonly symbology: Symbology;
  /** The identifier as received, e.g. `]d2`. */
  readonly identifier: string;
  /** GS1 AI data (`^`-notation), an EAN/UPC number optionally with `|^…` composite, or escaped plain data. */
  readonly dataString: string;
  /** Whether the data is GS1 AI data (FNC1 in first position) rather than plain data or a GTIN. */
  readonly gs1: boolean;
  /** The validated AI elements, when `gs1` is true or a composite component is present. */
  readonly elements: readonly LocatedAiElement[];
}

function scanError(rule: ScanDataRule, position: number, message: string): Gs1Error {
  return { kind: 'scanData', rule, position, message };
}

/** Escape plain data for the data-string notation: one more `\` before a leading run of `\` and `^`. */
export function escapePlainData(data: string): string {
  return /^\\*\^/.test(data) ? `\\${data}` : data;
}

/** Undo escapePlainData. */
export function unescapePlainData(dataString: string): string {
  return /^\\+\^/.test(dataString) ? dataString.slice(1) : dataString;
}

function looksLikeDigitalLink(data: string): boolean {
  return data.startsWith('https://') || data.startsWith('http://') || data.startsWith('HTTPS://') || data.startsWith('HTTP://');
}

/** Validate GS1 data given in scan form (GS separators, no leading FNC1); returns `^`-notation and elements. */
function gs1FromScan(data: string, offset: number): Result<{ readonly dataString: string; readonly elements: readonly LocatedAiElement[] }, Gs1Error> {
  if (data.length === 0) return err(scanError('emptyData', offset, 'the symbol carries no GS1 data'));
  const r = parseRaw(data, { fnc1: GS });
  if (!r.ok) return err({ ...r.error, position: r.error.position + offset });
  return ok({ dataString: `^${data.replaceAll(GS, '^')}`, elements: r.value });
}

/** Options of decodeScanData. */
export interface DecodeScanDataOptions {
  /** Validate plain 2D data that starts like a Digital Link URI (http:// or https://). Default true. */
  readonly validateDigitalLinks?: boolean;
}

function plain(symbology: Symbology, identifier: string, data: string, opts: DecodeScanDataOptions): Result<DecodedScanData, Gs1Error> {
  if (opts.validateDigitalLinks !== false && looksLikeDigitalLink(data)) {
    const dl = parseDigitalLink(data);
    if (!dl.ok) return err({ ...dl.error, position: dl.error.position + 3 });
  }
  return ok({ symbology, identifier, dataString: escapePlainData(data), gs1: false, elements: [] });
}

function gs1(symbology: Symbology, identifier: string, data: string): Result<DecodedScanData, Gs1Error> {
  const r = gs1FromScan(data, 3);
  return r.ok ? ok({ symbology, identifier, dataString: r.value.dataString, gs1: true, elements: r.value.elements }) : r;
}

function eanUpc(symbology: 'ean13' | 'ean8', identifier: string, data: string, digits: number): Result<DecodedScanData, Gs1Error> {
  const bar = data.indexOf('|');
  const primary = bar < 0 ? data : data.slice(0, bar);
  if (primary.length !== digits || firstNonDigit(primary) >= 0) {
    return err(scanError('badPrimaryData', 3, `${identifier} must be followed by exactly ${digits} digits`));
  }
  const expected = gs1CheckDigit(primary, digits - 1);
  if (expected !== primary.charCodeAt(digits - 1) - 48) {
    return err({ kind: 'checkDigit', key: digits === 13 ? 'GTIN-13' : 'GTIN-8', position: 3 + digits - 1, actual: primary.charCodeAt(digits - 1) - 48, expected, message: `check digit of GTIN-${digits} is ${primary[digits - 1] as string}, expected ${expected}` });
  }
  if (bar < 0) return ok({ symbology, identifier, dataString: primary, gs1: false, elements: [] });
  const cc = data.slice(bar + 1);
  if (!cc.startsWith(']e0')) return err(scanError('badPrimaryData', 3 + bar + 1, 'a composite component must start with ]e0'));
  const r = gs1FromScan(cc.slice(3), 3 + bar + 4);
  if (!r.ok) return r;
  const all = [{ ai: '01', value: primary.padStart(14, '0'), position: 3, valuePosition: 3 }, ...r.value.elements];
  const assoc = checkAssociations(all);
  if (assoc) return err(assoc);
  return ok({ symbology, identifier, dataString: `${primary}|${r.value.dataString}`, gs1: false, elements: r.value.elements });
}

/**
 * Decode scan data (symbology identifier + data) and validate its content: GS1 AI data against
 * the dictionary, EAN/UPC check digits, and Digital Link URIs found in plain 2D data.
 * @example decodeScanData(']d2010952012345678810ABC\u001d17280426')
 */
export function decodeScanData(scan: string, opts: DecodeScanDataOptions = {}): Result<DecodedScanData, Gs1Error> {
  if (scan.length === 0) return err(scanError('emptyData', 0, 'no scan data'));
  if (scan.charCodeAt(0) !== 93) return err(scanError('noSymbologyIdentifier', 0, 'scan data must start with a symbology identifier such as ]C1, ]d2 or ]Q1'));
  if (scan.length < 3) return err(scanError('noSymbologyIdentifier', 0, 'symbology identifier is incomplete'));
  const identifier = scan.slice(0, 3);
  const data = scan.slice(3);
  switch (identifier) {
    case ']Q1':
      return plain('qrCode', identifier, data, opts);
    case ']Q3':
      return gs1('qrCode', identifier, data);
    case ']d1':
      return plain('dataMatrix', identifier, data, opts);
    case ']d2':
      return gs1('dataMatrix', identifier, data);
    case ']J0':
      return plain('dotCode', identifier, data, opts);
    case ']J1':
      return gs1('dotCode', identifier, data);
    case ']C1':
      return gs1('gs1-128', identifier, data);
    case ']C0':
      return ok({ symbology: 'code128', identifier, dataString: escapePlainData(data), gs1: false, elements: [] });
    case ']e0':
      return gs1('dataBarExpanded', identifier, data);
    case ']E0':
      return eanUpc('ean13', identifier, data, 13);
    case ']E4':
      return eanUpc('ean8', identifier, data, 8);
    default:
      return err(scanError('unknownSymbology', 0, `unknown or unsupported symbology identifier ${JSON.stringify(identifier)}`));
  }
}

/** Options for encodeScanData. */
export interface EncodeScanDataOptions {
  /** The EAN/UPC/DataBar primary number is given without its check digit; compute it. Default false. */
  readonly addCheckDigit?: boolean;
}

/** Split `primary|composite`; the composite must be GS1 data. */
function splitComposite(dataString: string): { readonly primary: string; readonly composite: string | null } {
  const bar = dataString.indexOf('|');
  return bar < 0 ? { primary: dataString, composite: null } : { primary: dataString.slice(0, bar), composite: dataString.slice(bar + 1) };
}

/** Validate `^`-notation GS1 data and return its scan form (GS separators, no leading FNC1). */
function gs1ToScan(dataString: string, offset: number): Result<{ readonly scan: string; readonly elements: readonly LocatedAiElement[] }, Gs1Error> {
  if (!dataString.startsWith('^')) return err(scanError('notGs1Data', offset, 'this symbology carries GS1 AI data, which must start with ^ (FNC1)'));
  const r = parseRaw(dataString, { fnc1: '^', requireLeadingFnc1: true, checkAssociations: false });
  if (!r.ok) return err({ ...r.error, position: r.error.position + offset });
  return ok({ scan: dataString.slice(1).replaceAll('^', GS), elements: r.value });
}

/** Join linear and composite scan data for ]e0 transmission: FNC1 only if the last primary AI needs it. */
function joinComposite(primary: { readonly scan: string; readonly elements: readonly LocatedAiElement[] }, composite: { readonly scan: string } | null): string {
  if (composite === null) return primary.scan;
  const last = primary.elements[primary.elements.length - 1];
  const sep = !primary.scan.endsWith(GS) && last !== undefined && needsSeparatorAfter(last.ai) ? GS : '';
  return primary.scan + sep + composite.scan;
}

/** The GTIN-14 of a linear primary given as `^01…` or as bare digits of `length` (with or without check digit). */
function linearGtin(primary: string, length: number, addCheckDigit: boolean): Result<string, Gs1Error> {
  let digits: string;
  if (primary.startsWith('^01')) {
    digits = primary.slice(3);
    if (digits.length !== 14 || firstNonDigit(digits) >= 0) return err(scanError('badPrimaryData', 0, 'primary data must be ^01 followed by a 14-digit GTIN'));
    const cut = digits.slice(0, 14 - length);
    if (/[^0]/.test(cut)) return err(scanError('badPrimaryData', 3, `GTIN ${digits} cannot be carried by a ${length}-digit symbol`));
    digits = digits.slice(14 - length);
  } else {
    const want = addCheckDigit ? length - 1 : length;
    if (primary.length !== want || firstNonDigit(primary) >= 0) return err(scanError('badPrimaryData', 0, `primary data must be ${want} digits`));
    digits = addCheckDigit ? primary + String(gs1CheckDigit(primary)) : primary;
  }
  const expected = gs1CheckDigit(digits, length - 1);
  const actual = digits.charCodeAt(length - 1) - 48;
  if (expected !== actual) return err({ kind: 'checkDigit', key: 'GTIN', position: length - 1, actual, expected, message: `check digit of GTIN is ${actual}, expected ${expected}` });
  return ok(digits.padStart(14, '0'));
}

/** Whether a 12-digit UPC-A number can be written as UPC-E (zero suppression). */
function isUpcECompressible(upcA: string): boolean {
  if (upcA[0] !== '0' && upcA[0] !== '1') return false;
  const m = upcA.slice(1, 6);
  const item = upcA.slice(6, 11);
  if (/^\d\d[012]00$/.test(m) && /^00\d\d\d$/.test(item)) return true;
  if (/^\d\d[3-9]00$/.test(m) && /^000\d\d$/.test(item)) return true;
  if (/^\d\d\d\d0$/.test(m) && /^0000\d$/.test(item)) return true;
  return m[4] !== '0' && /^0000[5-9]$/.test(item);
}

/**
 * Encode a data string as the scan data a reader would transmit for `symbology`.
 * @example encodeScanData('dataMatrix', '^010952012345678810ABC^17280426') // ok(']d2010952012345678810ABC\u001d17280426')
 */
export function encodeScanData(symbology: Symbology, dataString: string, opts: EncodeScanDataOptions = {}): Result<string, Gs1Error> {
  const addCheckDigit = opts.addCheckDigit === true;
  const twoD = (plainId: string, gs1Id: string): Result<string, Gs1Error> => {
    if (dataString.startsWith('^')) {
      const r = gs1ToScan(dataString, 0);
      if (!r.ok) return r;
      const a = checkAssociations(r.value.elements);
      return a ? err(a) : ok(gs1Id + r.value.scan);
    }
    return ok(plainId + unescapePlainData(dataString));
  };
  switch (symbology) {
    case 'qrCode':
      return twoD(']Q1', ']Q3');
    case 'dataMatrix':
      return twoD(']d1', ']d2');
    case 'dotCode':
      return twoD(']J0', ']J1');
    case 'code128':
      return ok(`]C0${unescapePlainData(dataString)}`);
    case 'gs1-128':
    case 'dataBarExpanded': {
      const { primary, composite } = splitComposite(dataString);
      const p = gs1ToScan(primary, 0);
      if (!p.ok) return p;
      const c = composite === null ? null : gs1ToScan(composite, primary.length + 1);
      if (c !== null && !c.ok) return c;
      const cc = c === null ? null : c.value;
      const a = checkAssociations([...p.value.elements, ...(cc?.elements ?? [])]);
      if (a) return err(a);
      const id = symbology === 'gs1-128' && cc === null ? ']C1' : ']e0';
      return ok(id + joinComposite(p.value, cc));
    }
    case 'dataBarOmni':
    case 'dataBarLimited':
    case 'ean13':
    case 'ean8':
    case 'upcA':
    case 'upcE': {
      const { primary, composite } = splitComposite(dataString);
      const length = symbology === 'ean8' ? 8 : symbology === 'ean13' ? 13 : symbology === 'upcA' || symbology === 'upcE' ? 12 : 14;
      const g = linearGtin(primary, length, addCheckDigit);
      if (!g.ok) return g;
      const gtin = g.value;
      if (symbology === 'dataBarLimited' && gtin[0] !== '0' && gtin[0] !== '1') return err(scanError('badPrimaryData', 0, 'GS1 DataBar Limited carries only GTINs with indicator digit 0 or 1'));
      if (symbology === 'upcE' && !isUpcECompressible(gtin.slice(2))) return err(scanError('badPrimaryData', 0, `GTIN ${gtin} cannot be written as UPC-E`));
      const c = composite === null ? null : gs1ToScan(composite, primary.length + 1);
      if (c !== null && !c.ok) return c;
      const cc = c === null ? null : c.value;
      if (cc !== null) {
        const a = checkAssociations([{ ai: '01', value: gtin }, ...cc.elements]);
        if (a) return err(a);
      }
      if (symbology === 'dataBarOmni' || symbology === 'dataBarLimited') return ok(`]e001${gtin}${cc === null ? '' : cc.scan}`);
      const primaryScan = symbology === 'ean8' ? `]E4${gtin.slice(6)}` : `]E0${gtin.slice(1)}`;
      return ok(cc === null ? primaryScan : `${primaryScan}|]e0${cc.scan}`);
    }
    default: {
      const never: never = symbology;
      return never;
    }
  }
}

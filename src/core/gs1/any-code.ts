/**
 * One entry point for any code a person may type or a scanner may send: Digital Link URLs (any
 * host), element strings with or without brackets, raw scanner data with GS separators and a
 * symbology identifier, EPC URIs, GDST URNs, bare GTINs and SSCCs, and organisation-specific
 * batch codes or serials. The result is one normalised identifier or a precise error.
 *
 * Precedence for unstructured input: a code matching the organisation's batch-code scheme (when
 * one is given) is a batch code; a string of 8, 12, 13 or 14 digits is a GTIN and one of 18
 * digits an SSCC (a wrong check digit is reported, not reinterpreted); other input that is a
 * complete, valid element string without FNC1 is read as one (and digits that read as AIs but
 * fail a check digit are reported as that error); anything else that is a valid AI (10)/(21)
 * value (set 82, at most 20 characters) is returned as `batchCode` for the caller to resolve.
 */
import { err, ok, type Result } from '../result.ts';
import type { AiElement } from './ai-element.ts';
import { parseBatchCode, type BatchCodeParts, type BatchCodeScheme } from './batch-code.ts';
import { buildDigitalLink, CANONICAL_DL_STEM, parseDigitalLink, type DigitalLinkOptions } from './digital-link.ts';
import { GS, parseBracketed, parseRaw, validateElements } from './element-string.ts';
import { formatEpcUri, parseEpcUri, type EpcSource } from './epc-uri.ts';
import { parseGdstUrn, type GdstProductIdentifier } from './gdst-urn.ts';
import type { Gs1Error } from './gs1-error.ts';
import { identifierFromElements, identifierKeyElements, identifierToElements, type Gs1Identifier } from './identifier.ts';
import { parseGtin, parseSscc } from './keys.ts';
import { isCset82 } from './linters/charset.ts';
import { decodeScanData, unescapePlainData } from './scan-data.ts';

/** A batch code or serial that only the organisation can resolve. */
export interface BatchCodeIdentifier {
  readonly kind: 'batchCode';
  readonly code: string;
  /** Present when the code matches the batch-code scheme passed in the options. */
  readonly parts?: BatchCodeParts;
}

/** What parseAnyCode returns. */
export type AnyCode = Gs1Identifier | BatchCodeIdentifier | GdstProductIdentifier;

/** The input forms parseAnyCode recognises. */
export type CodeForm = 'scanData' | 'digitalLink' | 'elementString' | 'epcUri' | 'gdstUrn' | 'gtin' | 'sscc' | 'batchCode';

/** Options of parseAnyCode. */
export interface ParseAnyCodeOptions {
  /**
   * Strict parsing as in the GS1 standards. Default false, which also accepts legacy Digital
   * Link URIs (GTIN-8/12/13 in the path, `/gtin/…` convenience alphas, mixed-case scheme).
   */
  readonly strict?: boolean;
  /** The organisation's batch-code scheme, to split batch codes into their parts. */
  readonly batchCodeScheme?: BatchCodeScheme;
  /** Only these forms are accepted (default: all). */
  readonly accept?: readonly CodeForm[];
  /** Accept AIs missing from the Syntax Dictionary when their length follows from their prefix. Default false. */
  readonly permitUnknownAis?: boolean;
}

/** Longest input considered; anything longer is rejected before parsing. */
export const MAX_CODE_LENGTH = 4096;

function unrecognised(message: string, position: number = 0): Gs1Error {
  return { kind: 'unrecognised', position, message };
}

function accepts(opts: ParseAnyCodeOptions, form: CodeForm): boolean {
  return opts.accept === undefined || opts.accept.includes(form);
}

function refused(form: CodeForm): Result<never, Gs1Error> {
  return err(unrecognised(`input looks like ${form} data, which is not accepted here`));
}

function fromElements(elements: readonly AiElement[]): Result<AnyCode, Gs1Error> {
  return identifierFromElements(elements);
}

function isDigitsOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

function dlOptions(opts: ParseAnyCodeOptions): DigitalLinkOptions {
  const lenient = opts.strict !== true;
  return { permitZeroSuppressedGtin: lenient, permitConvenienceAlphas: lenient, permitUnknownAis: opts.permitUnknownAis === true };
}

function parseDl(input: string, opts: ParseAnyCodeOptions): Result<AnyCode, Gs1Error> {
  let uri = input;
  if (opts.strict !== true) {
    // Lenient: accept any letter case in the scheme.
    const colon = uri.indexOf('://');
    if (colon > 0) uri = uri.slice(0, colon).toLowerCase() + uri.slice(colon);
  }
  const r = parseDigitalLink(uri, dlOptions(opts));
  return r.ok ? fromElements(r.value.elements) : r;
}

function parseScan(input: string, opts: ParseAnyCodeOptions): Result<AnyCode, Gs1Error> {
  // Digital Links inside plain 2D data are parsed below, with the leniency of `opts`.
  const r = decodeScanData(input, { validateDigitalLinks: false });
  if (!r.ok) return r;
  const d = r.value;
  if (d.gs1) return fromElements(d.elements);
  if (d.symbology === 'ean13' || d.symbology === 'ean8') {
    const bar = d.dataString.indexOf('|');
    const gtin = (bar < 0 ? d.dataString : d.dataString.slice(0, bar)).padStart(14, '0');
    return fromElements([{ ai: '01', value: gtin }, ...d.elements]);
  }
  const plain = unescapePlainData(d.dataString);
  if (plain.length === 0) return err({ kind: 'scanData', rule: 'emptyData', position: 3, message: 'the symbol carries no data' });
  const inner = parseUnstructured(plain, opts, false);
  return inner.ok ? inner : err({ ...inner.error, position: inner.error.position + 3 });
}

/**
 * Parse any code into one normalised identifier.
 * @example parseAnyCode('https://example.com/01/09520123456788/10/ABC1/21/12345?17=280426')
 * // ok({ kind: 'gtin', gtin: '09520123456788', lot: 'ABC1', serial: '12345', attributes: { '17': '280426' } })
 */
export function parseAnyCode(input: string, opts: ParseAnyCodeOptions = {}): Result<AnyCode, Gs1Error> {
  if (typeof input !== 'string') return err(unrecognised('a code must be given as text'));
  if (input.length > MAX_CODE_LENGTH) return err(unrecognised(`input of ${input.length} characters is longer than any code (${MAX_CODE_LENGTH})`, MAX_CODE_LENGTH));
  return parseUnstructured(input, opts, true);
}

function parseUnstructured(raw: string, opts: ParseAnyCodeOptions, allowScanData: boolean): Result<AnyCode, Gs1Error> {
  const input = raw.trim();
  if (input.length === 0) return err(unrecognised('no code given'));
  const c0 = input.charCodeAt(0);

  if (c0 === 93 && allowScanData) return accepts(opts, 'scanData') ? parseScan(input, opts) : refused('scanData');

  if ((c0 === 104 || c0 === 72) && /^https?:\/\//i.test(input)) return accepts(opts, 'digitalLink') ? parseDl(input, opts) : refused('digitalLink');

  if (c0 === 117 || c0 === 85) {
    const lower = input.slice(0, 9).toLowerCase();
    if (lower.startsWith('urn:epc:')) {
      if (!accepts(opts, 'epcUri')) return refused('epcUri');
      const r = parseEpcUri(`urn:epc:${input.slice(8)}`);
      if (!r.ok) return r;
      const v = validateElements(r.value.elements);
      if (v) return err(v);
      return identifierFromElements(r.value.elements, r.value.companyPrefixLength);
    }
    if (lower.startsWith('urn:gdst:')) return accepts(opts, 'gdstUrn') ? parseGdstUrn(input) : refused('gdstUrn');
  }

  if (c0 === 40) {
    if (!accepts(opts, 'elementString')) return refused('elementString');
    const r = parseBracketed(input, { permitUnknownAis: opts.permitUnknownAis === true });
    return r.ok ? fromElements(r.value) : r;
  }

  if (c0 === 94 || input.includes(GS)) {
    if (!accepts(opts, 'elementString')) return refused('elementString');
    const r = c0 === 94 ? parseRaw(input, { fnc1: '^', requireLeadingFnc1: true, permitUnknownAis: opts.permitUnknownAis === true }) : parseRaw(input, { permitUnknownAis: opts.permitUnknownAis === true });
    return r.ok ? fromElements(r.value) : r;
  }

  if (opts.batchCodeScheme !== undefined && accepts(opts, 'batchCode')) {
    const b = parseBatchCode(opts.batchCodeScheme, input);
    if (b.ok) return ok({ kind: 'batchCode', code: input, parts: b.value });
  }

  const digits = isDigitsOnly(input);
  if (digits && (input.length === 8 || input.length === 12 || input.length === 13 || input.length === 14) && accepts(opts, 'gtin')) {
    const g = parseGtin(input);
    return g.ok ? ok({ kind: 'gtin', gtin: g.value.gtin14, attributes: {} }) : g;
  }
  if (digits && input.length === 18 && accepts(opts, 'sscc')) {
    const s = parseSscc(input);
    return s.ok ? ok({ kind: 'sscc', sscc: s.value, attributes: {} }) : s;
  }

  let elementError: Gs1Error | null = null;
  if (c0 >= 48 && c0 <= 57 && accepts(opts, 'elementString')) {
    const r = parseRaw(input, { permitUnknownAis: opts.permitUnknownAis === true });
    if (r.ok) {
      const id = fromElements(r.value);
      if (id.ok) return id;
      elementError = id.error;
    } else elementError = r.error;
  }

  // All digits, read as AIs, failing only a check digit: a mistyped GS1 code, not a batch code.
  const mistypedKey = digits && elementError !== null && elementError.kind === 'lint' && elementError.code === 'INCORRECT_CHECK_DIGIT';
  if (!mistypedKey && accepts(opts, 'batchCode') && input.length <= 20 && isCset82(input)) return ok({ kind: 'batchCode', code: input });
  if (elementError !== null) return err(elementError);
  return err(unrecognised(`"${input.length > 40 ? `${input.slice(0, 40)}…` : input}" is not a Digital Link URL, element string, EPC URI, GTIN or batch code`));
}

/** Options of toCanonicalDigitalLink. */
export interface CanonicalDigitalLinkOptions {
  /**
   * `all` (default) keeps every key qualifier; `epcis` keeps only what the EPC equivalent carries,
   * as the EPCIS event-hash canonicalisation does: for GTIN and ITIP the serial, else the lot.
   */
  readonly qualifiers?: 'all' | 'epcis';
  /** Also write the data attributes as a query string (not part of the canonical form). Default false. */
  readonly includeAttributes?: boolean;
  /** Another stem (e.g. the organisation's resolver) instead of https://id.gs1.org. */
  readonly stem?: string;
}

function conversionError(message: string): Gs1Error {
  return { kind: 'conversion', position: 0, message };
}

/** The key and qualifier elements kept by `qualifiers: 'epcis'`. */
function epcisKeyElements(id: Gs1Identifier): AiElement[] {
  const all = identifierKeyElements(id);
  if (id.kind !== 'gtin' && id.kind !== 'itip') return all;
  const key = all[0] as AiElement;
  if (id.serial !== undefined) return [key, { ai: '21', value: id.serial }];
  if (id.kind === 'gtin' && id.tpx !== undefined) return [key, { ai: '235', value: id.tpx }];
  if (id.lot !== undefined) return [key, { ai: '10', value: id.lot }];
  return [key];
}

/**
 * The canonical GS1 Digital Link URI of an identifier: `https://id.gs1.org`, numeric AIs, GTIN-14,
 * key and qualifiers only. Batch codes and GDST URNs have none.
 * @example toCanonicalDigitalLink({ kind: 'gtin', gtin: '09520123456788', serial: '1', attributes: {} }) // ok('https://id.gs1.org/01/09520123456788/21/1')
 */
export function toCanonicalDigitalLink(id: AnyCode, opts: CanonicalDigitalLinkOptions = {}): Result<string, Gs1Error> {
  if (id.kind === 'batchCode') return err(conversionError('a batch code alone does not identify a product; combine it with the GTIN to get a Digital Link'));
  if (id.kind === 'gdstProduct') return err(conversionError('GDST product URNs have no GS1 Digital Link equivalent'));
  const keyElements = opts.qualifiers === 'epcis' ? epcisKeyElements(id) : identifierKeyElements(id);
  const elements = opts.includeAttributes === true ? [...keyElements, ...Object.entries(id.attributes).map(([ai, value]) => ({ ai, value }))] : keyElements;
  const invalid = validateElements(opts.includeAttributes === true ? identifierToElements(id) : elements, { checkAssociations: opts.includeAttributes === true });
  if (invalid) return err(invalid);
  return buildDigitalLink(elements, { stem: opts.stem ?? CANONICAL_DL_STEM });
}

/**
 * The GS1 Company Prefix length assumed by toEpcUrn when neither the caller nor the identifier
 * (parsed from an EPC URI) gives one. Seven digits is the most common length, but GS1 assigns
 * prefixes of 6 to 12 digits: pass the real length for keys of other companies.
 */
export const DEFAULT_COMPANY_PREFIX_LENGTH = 7;

function epcSource(id: Gs1Identifier): EpcSource | Gs1Error {
  switch (id.kind) {
    case 'gtin': {
      const s: { key: 'gtin'; gtin: string; serial?: string; lot?: string; tpx?: string } = { key: 'gtin', gtin: id.gtin };
      if (id.serial !== undefined) s.serial = id.serial;
      if (id.lot !== undefined) s.lot = id.lot;
      if (id.tpx !== undefined) s.tpx = id.tpx;
      return s;
    }
    case 'itip':
      return id.serial === undefined ? { key: 'itip', itip: id.itip } : { key: 'itip', itip: id.itip, serial: id.serial };
    case 'sscc':
      return { key: 'sscc', sscc: id.sscc };
    case 'gln':
      if (id.uic !== undefined) return conversionError('a GLN with a UIC (7040) has no EPC URI');
      return id.extension === undefined ? { key: 'gln', gln: id.gln } : { key: 'gln', gln: id.gln, extension: id.extension };
    case 'party':
      if (id.uic !== undefined) return conversionError('a party GLN with a UIC (7040) has no EPC URI');
      return { key: 'party', gln: id.gln };
    case 'grai':
      return id.serial === undefined ? { key: 'grai', grai: id.grai } : { key: 'grai', grai: id.grai, serial: id.serial };
    case 'gdti':
      return id.serial === undefined ? { key: 'gdti', gdti: id.gdti } : { key: 'gdti', gdti: id.gdti, serial: id.serial };
    case 'gcn':
      return id.serial === undefined ? { key: 'gcn', gcn: id.gcn } : { key: 'gcn', gcn: id.gcn, serial: id.serial };
    case 'giai':
      if (id.uic !== undefined) return conversionError('a GIAI with a UIC (7040) has no EPC URI');
      return { key: 'giai', giai: id.giai };
    case 'ginc':
      return { key: 'ginc', ginc: id.ginc };
    case 'cpid':
      return id.serial === undefined ? { key: 'cpid', cpid: id.cpid } : { key: 'cpid', cpid: id.cpid, serial: id.serial };
    case 'gsrn':
      if (id.srin !== undefined) return conversionError('a GSRN with a service relation instance number (8019) has no EPC URI');
      return { key: 'gsrn', gsrn: id.gsrn, provider: id.role === 'provider' };
    case 'gsin':
      return { key: 'gsin', gsin: id.gsin };
    case 'gmn':
      return conversionError('a GMN (8013) has no EPC URI');
    default: {
      const never: never = id;
      return never;
    }
  }
}

/**
 * The EPC URI of an identifier (SGTIN, LGTIN class, SSCC, SGLN, GRAI, GIAI, GSRN, GDTI, SGCN, CPI,
 * GINC, GSIN, ITIP, UPUI, PGLN; keys without their serial give `urn:epc:idpat:…:….*`).
 * EPC URIs split keys at the GS1 Company Prefix: its length comes from `companyPrefixLength`,
 * else from the identifier (when it was parsed from an EPC URI), else DEFAULT_COMPANY_PREFIX_LENGTH.
 * @example toEpcUrn({ kind: 'gtin', gtin: '04012345111118', serial: '987', attributes: {} }, 7) // ok('urn:epc:id:sgtin:4012345.011111.987')
 */
export function toEpcUrn(id: AnyCode, companyPrefixLength?: number): Result<string, Gs1Error> {
  if (id.kind === 'batchCode') return err(conversionError('a batch code alone has no EPC URI; combine it with the GTIN (LGTIN)'));
  if (id.kind === 'gdstProduct') return err(conversionError('GDST product URNs are not EPC URIs'));
  const src = epcSource(id);
  if ('kind' in src) return err(src);
  return formatEpcUri(src, companyPrefixLength ?? id.companyPrefixLength ?? DEFAULT_COMPANY_PREFIX_LENGTH);
}

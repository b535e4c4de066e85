/**
 * EPC URIs of the GS1 Tag Data Standard (pure identities `urn:epc:id:…`, the LGTIN class
 * `urn:epc:class:lgtin:…`, and single-wildcard patterns `urn:epc:idpat:…:….*`) converted to and
 * from GS1 AI elements. EPC URIs split the key at the GS1 Company Prefix and drop check digits,
 * so turning AIs into a URI needs the company-prefix length.
 */
import { err, ok, type Result } from '../result.ts';
import type { AiElement } from './ai-element.ts';
import { gs1CheckDigit } from './check-digit.ts';
import type { EpcRule, Gs1Error } from './gs1-error.ts';
import { CSET39_CHARACTERS, CSET82_CHARACTERS } from './linters/charset.ts';

/** EPC schemes that correspond to GS1 keys. */
export type EpcScheme = 'sgtin' | 'sscc' | 'sgln' | 'grai' | 'giai' | 'gsrn' | 'gsrnp' | 'gdti' | 'sgcn' | 'cpi' | 'ginc' | 'gsin' | 'itip' | 'upui' | 'pgln' | 'lgtin';

/** The three URI forms: an instance, a class (LGTIN) or a pattern with a trailing wildcard. */
export type EpcForm = 'id' | 'class' | 'idpat';

/** An EPC URI parsed into GS1 AI elements. */
export interface EpcIdentity {
  readonly scheme: EpcScheme;
  readonly form: EpcForm;
  /** The GS1 AI elements the URI stands for (key first, then qualifiers). */
  readonly elements: readonly AiElement[];
  /** Length of the GS1 Company Prefix, as fixed by the URI. */
  readonly companyPrefixLength: number;
}

type Component =
  | { readonly kind: 'digits'; readonly total: number } // numeric reference; length = total - company prefix length
  | { readonly kind: 'pieces' } // two digits (ITIP piece or total)
  | { readonly kind: 'text'; readonly cset: 'X' | 'Y'; readonly max: number } // escaped string; for GIAI, GINC and CPI references the max includes the company prefix
  | { readonly kind: 'numeric'; readonly max: number }; // serial digits without leading zero (CPI, SGCN)

interface SchemeSpec {
  /** Components after the company prefix. */
  readonly components: readonly Component[];
  /** Whether the last component may be replaced by `*` in an idpat URI to denote the class. */
  readonly classPattern: boolean;
}

const SPECS: Readonly<Record<EpcScheme, SchemeSpec>> = {
  sgtin: { components: [{ kind: 'digits', total: 13 }, { kind: 'text', cset: 'X', max: 20 }], classPattern: true },
  lgtin: { components: [{ kind: 'digits', total: 13 }, { kind: 'text', cset: 'X', max: 20 }], classPattern: false },
  upui: { components: [{ kind: 'digits', total: 13 }, { kind: 'text', cset: 'X', max: 28 }], classPattern: true },
  itip: { components: [{ kind: 'digits', total: 13 }, { kind: 'pieces' }, { kind: 'pieces' }, { kind: 'text', cset: 'X', max: 20 }], classPattern: true },
  sscc: { components: [{ kind: 'digits', total: 17 }], classPattern: false },
  sgln: { components: [{ kind: 'digits', total: 12 }, { kind: 'text', cset: 'X', max: 20 }], classPattern: true },
  pgln: { components: [{ kind: 'digits', total: 12 }], classPattern: false },
  grai: { components: [{ kind: 'digits', total: 12 }, { kind: 'text', cset: 'X', max: 16 }], classPattern: true },
  gdti: { components: [{ kind: 'digits', total: 12 }, { kind: 'text', cset: 'X', max: 17 }], classPattern: true },
  sgcn: { components: [{ kind: 'digits', total: 12 }, { kind: 'numeric', max: 12 }], classPattern: true },
  giai: { components: [{ kind: 'text', cset: 'X', max: 30 }], classPattern: false },
  ginc: { components: [{ kind: 'text', cset: 'X', max: 30 }], classPattern: false },
  cpi: { components: [{ kind: 'text', cset: 'Y', max: 30 }, { kind: 'numeric', max: 12 }], classPattern: true },
  gsrn: { components: [{ kind: 'digits', total: 17 }], classPattern: false },
  gsrnp: { components: [{ kind: 'digits', total: 17 }], classPattern: false },
  gsin: { components: [{ kind: 'digits', total: 16 }], classPattern: false },
};

function epcError(rule: EpcRule, position: number, message: string): Gs1Error {
  return { kind: 'epc', rule, position, message };
}

/** Characters that the Tag Data Standard requires to be percent-escaped in EPC URI components. */
const MUST_ESCAPE = new Set(['"', '%', '&', '/', '<', '>', '?', '#']);
const CSET82 = new Set(CSET82_CHARACTERS);
const CSET39 = new Set(CSET39_CHARACTERS);

/** Percent-escape an EPC URI component value. */
export function escapeEpcComponent(value: string): string {
  let out = '';
  for (const c of value) out += MUST_ESCAPE.has(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c;
  return out;
}

function unescapeComponent(s: string, cset: 'X' | 'Y', at: number): Result<string, Gs1Error> {
  let out = '';
  const allowed = cset === 'X' ? CSET82 : CSET39;
  for (let i = 0; i < s.length; i++) {
    let c = s[i] as string;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return err(epcError('escape', at + i, `"%${hex}" at position ${at + i} is not a valid percent-escape`));
      c = String.fromCharCode(parseInt(hex, 16));
      i += 2;
    }
    if (!allowed.has(c)) return err(epcError('componentCharacter', at + i, `character ${JSON.stringify(c)} at position ${at + i} is not allowed in this EPC component`));
    out += c;
  }
  return ok(out);
}

function isDigits(s: string): boolean {
  return /^\d*$/.test(s);
}

/** The 14-digit GTIN from company prefix and indicator+item reference. */
function gtinOf(cp: string, ref: string): string {
  const body = ref.slice(0, 1) + cp + ref.slice(1);
  return body + String(gs1CheckDigit(body));
}

function withCheck(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** Turn the decoded components of a scheme into AI elements; `pattern` means the last component was `*`. */
function toElements(scheme: EpcScheme, cp: string, c: readonly string[], pattern: boolean): AiElement[] {
  const ser = pattern ? undefined : c[c.length - 1];
  const e = (ai: string, value: string): AiElement => ({ ai, value });
  switch (scheme) {
    case 'sgtin':
      return ser === undefined ? [e('01', gtinOf(cp, c[0] as string))] : [e('01', gtinOf(cp, c[0] as string)), e('21', ser)];
    case 'lgtin':
      return [e('01', gtinOf(cp, c[0] as string)), e('10', c[1] as string)];
    case 'upui':
      return ser === undefined ? [e('01', gtinOf(cp, c[0] as string))] : [e('01', gtinOf(cp, c[0] as string)), e('235', ser)];
    case 'itip': {
      const itip = e('8006', gtinOf(cp, c[0] as string) + (c[1] as string) + (c[2] as string));
      return ser === undefined ? [itip] : [itip, e('21', ser)];
    }
    case 'sscc': {
      const ref = c[0] as string;
      return [e('00', withCheck(ref.slice(0, 1) + cp + ref.slice(1)))];
    }
    case 'sgln': {
      const gln = e('414', withCheck(cp + (c[0] as string)));
      return ser === undefined || ser === '0' ? [gln] : [gln, e('254', ser)];
    }
    case 'pgln':
      return [e('417', withCheck(cp + (c[0] as string)))];
    case 'grai':
      return [e('8003', `0${withCheck(cp + (c[0] as string))}${ser ?? ''}`)];
    case 'gdti':
      return [e('253', withCheck(cp + (c[0] as string)) + (ser ?? ''))];
    case 'sgcn':
      return [e('255', withCheck(cp + (c[0] as string)) + (ser ?? ''))];
    case 'giai':
      return [e('8004', cp + (c[0] as string))];
    case 'ginc':
      return [e('401', cp + (c[0] as string))];
    case 'cpi':
      return ser === undefined ? [e('8010', cp + (c[0] as string))] : [e('8010', cp + (c[0] as string)), e('8011', ser)];
    case 'gsrn':
      return [e('8018', withCheck(cp + (c[0] as string)))];
    case 'gsrnp':
      return [e('8017', withCheck(cp + (c[0] as string)))];
    case 'gsin':
      return [e('402', withCheck(cp + (c[0] as string)))];
    default: {
      const never: never = scheme;
      return never;
    }
  }
}

/**
 * Parse an EPC URI into GS1 AI elements.
 * @example parseEpcUri('urn:epc:id:sgtin:4012345.011111.987') // elements (01)04012345111118 (21)987
 */
export function parseEpcUri(uri: string): Result<EpcIdentity, Gs1Error> {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):/.exec(uri);
  if (!m) return err(epcError('notEpcUri', 0, 'not an EPC URI of the form urn:epc:id:<scheme>:…, urn:epc:class:lgtin:… or urn:epc:idpat:<scheme>:…'));
  const form = m[1] as EpcForm;
  const name = m[2] as string;
  if (!Object.hasOwn(SPECS, name)) return err(epcError('unknownScheme', 8 + form.length, `EPC scheme "${name}" is not a GS1 key scheme this library converts`));
  const scheme = name as EpcScheme;
  if ((form === 'class') !== (scheme === 'lgtin')) return err(epcError('unknownScheme', 8, form === 'class' ? 'only lgtin uses the urn:epc:class: form' : 'lgtin is a class: use urn:epc:class:lgtin:…'));
  const spec = SPECS[scheme];
  const start = m[0].length;
  const body = uri.slice(start);
  const n = spec.components.length + 1;
  const parts: string[] = [];
  let rest = body;
  for (let i = 0; i < n - 1; i++) {
    const dot = rest.indexOf('.');
    if (dot < 0) return err(epcError('componentCount', start + body.length, `${scheme} EPC URIs have ${n} dot-separated components after the scheme`));
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  parts.push(rest);

  const cp = parts[0] as string;
  if (cp.length < 6 || cp.length > 12 || !isDigits(cp)) return err(epcError('companyPrefix', start, `GS1 Company Prefix "${cp}" must be 6 to 12 digits`));
  const pattern = form === 'idpat';
  if (pattern && (!spec.classPattern || parts[parts.length - 1] !== '*')) {
    return err(epcError('notConvertible', start, `only ${scheme} patterns ending in a single "*" denote a GS1 key; "${uri}" does not`));
  }

  const decoded: string[] = [];
  let at = start + cp.length + 1;
  for (let i = 0; i < spec.components.length; i++) {
    const raw = parts[i + 1] as string;
    const c = spec.components[i] as Component;
    const last = i === spec.components.length - 1;
    if (pattern && last) {
      decoded.push('*');
      continue;
    }
    switch (c.kind) {
      case 'digits': {
        const want = c.total - cp.length;
        if (raw.length !== want || !isDigits(raw)) return err(epcError('componentLength', at, `component "${raw}" at position ${at} must be ${want} digits (with a ${cp.length}-digit company prefix)`));
        decoded.push(raw);
        break;
      }
      case 'pieces':
        if (!/^\d{2}$/.test(raw)) return err(epcError('componentLength', at, `ITIP piece/total "${raw}" at position ${at} must be 2 digits`));
        decoded.push(raw);
        break;
      case 'numeric':
        if (raw.length < 1 || raw.length > c.max || !isDigits(raw) || (raw.length > 1 && raw.startsWith('0'))) {
          return err(epcError('componentCharacter', at, `serial "${raw}" at position ${at} must be 1 to ${c.max} digits without a leading zero`));
        }
        decoded.push(raw);
        break;
      case 'text': {
        const r = unescapeComponent(raw, c.cset, at);
        if (!r.ok) return r;
        const keyText = scheme === 'giai' || scheme === 'ginc' || scheme === 'cpi';
        const max = keyText && i === 0 ? c.max - cp.length : c.max;
        if (r.value.length < 1 || r.value.length > max) return err(epcError('componentLength', at, `component "${raw}" at position ${at} must have 1 to ${max} characters`));
        decoded.push(r.value);
        break;
      }
      default: {
        const never: never = c;
        return never;
      }
    }
    at += raw.length + 1;
  }
  return ok({ scheme, form, elements: toElements(scheme, cp, decoded, pattern), companyPrefixLength: cp.length });
}

/** Length of the company prefix given by an EPC URI, or null when `uri` is not one. */
export function epcCompanyPrefixLength(uri: string): number | null {
  const r = parseEpcUri(uri);
  return r.ok ? r.value.companyPrefixLength : null;
}

function cplError(key: string, cpl: number, max: number): Gs1Error {
  return epcError('companyPrefix', 0, `a ${cpl}-digit GS1 Company Prefix does not fit ${key}; it must be 6 to ${max} digits`);
}

/** The pieces of a formatted URI: scheme, form and components after the company prefix (already escaped). */
function uri(form: EpcForm, scheme: EpcScheme, cp: string, components: readonly string[]): string {
  return `urn:epc:${form}:${scheme}:${[cp, ...components].join('.')}`;
}

/** Fields of a GS1 key needed to write its EPC URI. */
export type EpcSource =
  | { readonly key: 'gtin'; readonly gtin: string; readonly serial?: string; readonly lot?: string; readonly tpx?: string }
  | { readonly key: 'itip'; readonly itip: string; readonly serial?: string }
  | { readonly key: 'sscc'; readonly sscc: string }
  | { readonly key: 'gln'; readonly gln: string; readonly extension?: string }
  | { readonly key: 'party'; readonly gln: string }
  | { readonly key: 'grai'; readonly grai: string; readonly serial?: string }
  | { readonly key: 'gdti'; readonly gdti: string; readonly serial?: string }
  | { readonly key: 'gcn'; readonly gcn: string; readonly serial?: string }
  | { readonly key: 'giai'; readonly giai: string }
  | { readonly key: 'ginc'; readonly ginc: string }
  | { readonly key: 'cpid'; readonly cpid: string; readonly serial?: string }
  | { readonly key: 'gsrn'; readonly gsrn: string; readonly provider: boolean }
  | { readonly key: 'gsin'; readonly gsin: string };

/**
 * Write the EPC URI of a GS1 key given the length of its GS1 Company Prefix (6-12). A GTIN with
 * a serial gives an SGTIN, with only a lot an LGTIN class, with a TPX a UPUI, and with neither a
 * `urn:epc:idpat:sgtin:….*` pattern; keys without their serial likewise give patterns.
 */
export function formatEpcUri(src: EpcSource, companyPrefixLength: number): Result<string, Gs1Error> {
  const cpl = companyPrefixLength;
  if (!Number.isInteger(cpl) || cpl < 6 || cpl > 12) return err(epcError('companyPrefix', 0, `GS1 Company Prefix length must be 6 to 12, got ${cpl}`));
  const esc = escapeEpcComponent;
  switch (src.key) {
    case 'gtin': {
      const cp = src.gtin.slice(1, 1 + cpl);
      const ref = src.gtin.slice(0, 1) + src.gtin.slice(1 + cpl, 13);
      if (src.serial !== undefined) return ok(uri('id', 'sgtin', cp, [ref, esc(src.serial)]));
      if (src.tpx !== undefined) return ok(uri('id', 'upui', cp, [ref, esc(src.tpx)]));
      if (src.lot !== undefined) return ok(uri('class', 'lgtin', cp, [ref, esc(src.lot)]));
      return ok(uri('idpat', 'sgtin', cp, [ref, '*']));
    }
    case 'itip': {
      const cp = src.itip.slice(1, 1 + cpl);
      const ref = src.itip.slice(0, 1) + src.itip.slice(1 + cpl, 13);
      const pieces = [src.itip.slice(14, 16), src.itip.slice(16, 18)];
      return ok(src.serial === undefined ? uri('idpat', 'itip', cp, [ref, ...pieces, '*']) : uri('id', 'itip', cp, [ref, ...pieces, esc(src.serial)]));
    }
    case 'sscc':
      return ok(uri('id', 'sscc', src.sscc.slice(1, 1 + cpl), [src.sscc.slice(0, 1) + src.sscc.slice(1 + cpl, 17)]));
    case 'gln':
      return ok(uri('id', 'sgln', src.gln.slice(0, cpl), [src.gln.slice(cpl, 12), esc(src.extension ?? '0')]));
    case 'party':
      return ok(uri('id', 'pgln', src.gln.slice(0, cpl), [src.gln.slice(cpl, 12)]));
    case 'grai':
    case 'gdti':
    case 'gcn': {
      const value = src.key === 'grai' ? src.grai : src.key === 'gdti' ? src.gdti : src.gcn;
      const scheme: EpcScheme = src.key === 'gcn' ? 'sgcn' : src.key;
      const ref = value.slice(cpl, 12);
      return ok(src.serial === undefined || src.serial === '' ? uri('idpat', scheme, value.slice(0, cpl), [ref, '*']) : uri('id', scheme, value.slice(0, cpl), [ref, esc(src.serial)]));
    }
    case 'giai':
    case 'ginc': {
      const value = src.key === 'giai' ? src.giai : src.ginc;
      if (value.length <= cpl) return err(cplError(src.key.toUpperCase(), cpl, value.length - 1));
      return ok(uri('id', src.key, value.slice(0, cpl), [esc(value.slice(cpl))]));
    }
    case 'cpid': {
      if (src.cpid.length < cpl) return err(cplError('CPID', cpl, src.cpid.length));
      const ref = esc(src.cpid.slice(cpl));
      return ok(src.serial === undefined ? uri('idpat', 'cpi', src.cpid.slice(0, cpl), [ref, '*']) : uri('id', 'cpi', src.cpid.slice(0, cpl), [ref, src.serial]));
    }
    case 'gsrn':
      return ok(uri('id', src.provider ? 'gsrnp' : 'gsrn', src.gsrn.slice(0, cpl), [src.gsrn.slice(cpl, 17)]));
    case 'gsin':
      return ok(uri('id', 'gsin', src.gsin.slice(0, cpl), [src.gsin.slice(cpl, 16)]));
    default: {
      const never: never = src;
      return never;
    }
  }
}

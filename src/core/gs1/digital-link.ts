/**
 * GS1 Digital Link URIs (uncompressed), both ways:
 *
 *   https://example.com/01/09520123456788/10/ABC1/21/12345?17=280426
 *
 * Parsing follows the GS1 Digital Link standard 1.4 and the GS1 Syntax Engine: any host and any
 * path stem before the rightmost primary key, key qualifiers in the path in their defined order,
 * data attributes in the query (other query parameters are kept aside), percent-decoding, and
 * full AI validation. Generation picks the primary key and the longest qualifier path, then
 * puts the remaining AIs in the query, predefined-length AIs first.
 */
import { err, ok, type Result } from '../result.ts';
import type { AiDefinition } from './ai-definition.ts';
import type { AiElement, LocatedAiElement } from './ai-element.ts';
import { checkAssociations } from './ai-associations.ts';
import { isUnknownAi, resolveAi } from './ai-table.ts';
import { checkValueLength, validateAiValue } from './ai-value.ts';
import { isDlPrimaryKey, isDlQualifierOf, isValidDlPath, selectDlPath } from './dl-key-qualifiers.ts';
import type { AiParseOptions } from './element-string.ts';
import type { Gs1Error } from './gs1-error.ts';
import { percentDecode, percentEncode } from './uri-percent.ts';

/** The canonical Digital Link stem. */
export const CANONICAL_DL_STEM = 'https://id.gs1.org';

/** Options of the Digital Link parser; the defaults are strict, as the standard and the GS1 Syntax Engine. */
export interface DigitalLinkOptions extends AiParseOptions {
  /** Accept GTIN-8/12/13 in place of GTIN-14 for AI (01) and pad them with zeros (legacy URIs). Default false. */
  readonly permitZeroSuppressedGtin?: boolean;
  /** Accept the deprecated convenience alphas such as `/gtin/…/ser/…` (Digital Link 1.0). Default false. */
  readonly permitConvenienceAlphas?: boolean;
  /** With `permitUnknownAis`, also accept unknown AIs as query data attributes. Default false. */
  readonly permitUnknownAiAttributes?: boolean;
}

/** A parsed Digital Link URI. */
export interface DigitalLink {
  /** Scheme, host and any path before the primary key, e.g. `https://example.com/products`. */
  readonly stem: string;
  /** The AI elements: path elements (primary key first) then query data attributes, in URI order. */
  readonly elements: readonly LocatedAiElement[];
  /** How many of `elements` came from the path. */
  readonly pathLength: number;
  /** Query parameters that are not AIs (e.g. `linkType=…`), still percent-encoded, in URI order. */
  readonly otherParameters: readonly string[];
}

/** The deprecated Digital Link 1.0 convenience alphas and their AIs. */
const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: '8010', cpsn: '8011', cpv: '22', gcn: '255', gdti: '253', giai: '8004', ginc: '401', gln: '414', glnx: '254', gmn: '8013',
  grai: '8003', gsin: '402', gsrn: '8018', gsrnp: '8017', gtin: '01', itip: '8006', lot: '10', party: '417', refno: '8020', ser: '21',
  srin: '8019', sscc: '00',
};

const URI_CHARS = (() => {
  const t = new Uint8Array(128);
  for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%") t[c.charCodeAt(0)] = 1;
  return t;
})();

const BAD_DOMAIN_CHARS = (() => {
  const t = new Uint8Array(128);
  for (const c of "_~?#@!$&'()*+,;=%") t[c.charCodeAt(0)] = 1;
  return t;
})();

function dlError(rule: Extract<Gs1Error, { kind: 'digitalLink' }>['rule'], position: number, message: string, ai?: string): Gs1Error {
  return ai === undefined ? { kind: 'digitalLink', rule, position, message } : { kind: 'digitalLink', rule, position, message, ai };
}

/** Resolve a path segment to its AI: a numeric AI, or a convenience alpha when permitted. */
function pathAi(segment: string, opts: DigitalLinkOptions): { readonly ai: string; readonly d: AiDefinition } | undefined {
  if (opts.permitConvenienceAlphas === true && segment.length >= 3 && segment.length <= 5) {
    const c = segment.charCodeAt(0);
    if (c < 48 || c > 57) {
      const ai = CONVENIENCE_ALPHAS[segment];
      if (ai !== undefined) {
        const d = resolveAi(ai, false);
        if (d !== undefined) return { ai, d };
      }
    }
  }
  const d = resolveAi(segment, opts.permitUnknownAis === true);
  return d === undefined ? undefined : { ai: segment, d };
}

function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

interface Pending {
  readonly ai: string;
  readonly d: AiDefinition;
  readonly value: string;
  readonly position: number;
  readonly valuePosition: number;
}

/** Expand GTIN-8/12/13 to GTIN-14 when permitted; other values unchanged. */
function padGtin(ai: string, value: string, opts: DigitalLinkOptions): string {
  if (ai === '01' && opts.permitZeroSuppressedGtin === true && (value.length === 8 || value.length === 12 || value.length === 13)) return value.padStart(14, '0');
  return value;
}

/**
 * Parse a GS1 Digital Link URI into its stem and AI elements, validating everything the
 * standard requires. Query parameters that are not numeric are kept in `otherParameters`.
 * @example parseDigitalLink('https://id.gs1.org/01/09520123456788/10/ABC1?17=280426')
 */
export function parseDigitalLink(uri: string, opts: DigitalLinkOptions = {}): Result<DigitalLink, Gs1Error> {
  const n = uri.length;
  for (let i = 0; i < n; i++) {
    const c = uri.charCodeAt(i);
    if (c >= 128 || URI_CHARS[c] === 0) return err(dlError('illegalCharacter', i, `character ${JSON.stringify(uri[i])} at position ${i} is not allowed in a URI`));
  }
  let p: number;
  if (uri.startsWith('https://') || uri.startsWith('HTTPS://')) p = 8;
  else if (uri.startsWith('http://') || uri.startsWith('HTTP://')) p = 7;
  else return err(dlError('scheme', 0, 'a Digital Link URI must start with http:// or https:// (all lower or all upper case)'));

  const slash = uri.indexOf('/', p);
  if (slash < 0 || slash === p) return err(dlError('domain', p, 'URI has no domain name followed by a path'));
  for (let i = p; i < slash; i++) {
    if (BAD_DOMAIN_CHARS[uri.charCodeAt(i)] === 1) return err(dlError('domain', i, `character ${JSON.stringify(uri[i])} at position ${i} is not allowed in a domain name`));
  }

  const hash = uri.indexOf('#', slash);
  const end = hash < 0 ? n : hash;
  const qmark = uri.indexOf('?', slash);
  const pathEnd = qmark >= 0 && qmark < end ? qmark : end;

  // Walk back from the end of the path over /AI/value pairs to the rightmost primary key.
  let keyAt = -1;
  let valueSlash = uri.lastIndexOf('/', pathEnd - 1);
  while (valueSlash > slash) {
    const aiSlash = uri.lastIndexOf('/', valueSlash - 1);
    if (aiSlash < slash) break;
    const found = pathAi(uri.slice(aiSlash + 1, valueSlash), opts);
    if (found === undefined) break;
    if (isDlPrimaryKey(found.ai)) {
      keyAt = aiSlash;
      break;
    }
    valueSlash = aiSlash === slash ? -1 : uri.lastIndexOf('/', aiSlash - 1);
  }
  if (keyAt < 0) return err(dlError('noPrimaryKey', slash, 'the URI path contains no GS1 Digital Link primary key (such as /01/, /00/ or /414/)'));

  const pending: Pending[] = [];
  const pathAis: string[] = [];
  let q = keyAt;
  while (q < pathEnd) {
    const aiEnd = uri.indexOf('/', q + 1);
    const found = pathAi(uri.slice(q + 1, aiEnd), opts) as { readonly ai: string; readonly d: AiDefinition };
    let valueEnd = uri.indexOf('/', aiEnd + 1);
    if (valueEnd < 0 || valueEnd > pathEnd) valueEnd = pathEnd;
    if (valueEnd === aiEnd + 1) return err(dlError('emptyPathValue', aiEnd + 1, `AI (${found.ai}) has an empty value in the path`, found.ai));
    const raw = uri.slice(aiEnd + 1, valueEnd);
    const decoded = percentDecode(raw, false);
    if (decoded === null) return err(dlError('illegalNull', aiEnd + 1, `AI (${found.ai}) value decodes to a NUL character`, found.ai));
    const value = padGtin(found.ai, decoded, opts);
    const valuePosition = value === raw ? aiEnd + 1 : -1;
    const lengthError = checkValueLength(found.ai, found.d, value, { aiPosition: q + 1, valuePosition });
    if (lengthError) return err(lengthError);
    pending.push({ ai: found.ai, d: found.d, value, position: q + 1, valuePosition });
    pathAis.push(found.ai);
    q = valueEnd;
  }
  const pathLength = pending.length;

  const otherParameters: string[] = [];
  if (qmark >= 0 && qmark < end) {
    let s = qmark + 1;
    while (s < end) {
      let amp = uri.indexOf('&', s);
      if (amp < 0 || amp > end) amp = end;
      if (amp > s) {
        const eq = uri.indexOf('=', s);
        if (eq < 0 || eq > amp) otherParameters.push(uri.slice(s, amp));
        else {
          const key = uri.slice(s, eq);
          const d = isAllDigits(key) ? resolveAi(key, opts.permitUnknownAis === true) : undefined;
          if (d === undefined && isAllDigits(key)) return err(dlError('unknownQueryAi', s, `query parameter ${key} at position ${s} is numeric but not a known AI`, key));
          if (d === undefined) otherParameters.push(uri.slice(s, amp));
          else {
            if (eq + 1 === amp) return err(dlError('emptyQueryValue', eq + 1, `AI (${key}) has an empty value in the query`, key));
            const raw = uri.slice(eq + 1, amp);
            const decoded = percentDecode(raw, true);
            if (decoded === null) return err(dlError('illegalNull', eq + 1, `AI (${key}) value decodes to a NUL character`, key));
            const value = padGtin(key, decoded, opts);
            const valuePosition = value === raw ? eq + 1 : -1;
            const lengthError = checkValueLength(key, d, value, { aiPosition: s, valuePosition });
            if (lengthError) return err(lengthError);
            pending.push({ ai: key, d, value, position: s, valuePosition });
          }
        }
      }
      s = amp + 1;
    }
  }

  if (!isValidDlPath(pathAis)) {
    return err(dlError('keyQualifierSequence', keyAt, `/${pathAis.join('/…/')}/… is not a valid Digital Link path: qualifiers of (${pathAis[0] as string}) are missing from its definition or out of order`));
  }

  for (let i = pathLength; i < pending.length; i++) {
    const a = pending[i] as Pending;
    for (let j = 0; j < i; j++) {
      if ((pending[j] as Pending).ai === a.ai) return err(dlError('duplicateAi', a.position, `AI (${a.ai}) occurs more than once in the URI`, a.ai));
    }
    const unknown = isUnknownAi(a.d);
    if ((!unknown && !a.d.dlDataAttribute) || (unknown && opts.permitUnknownAiAttributes !== true)) {
      return err(dlError('notDataAttribute', a.position, `AI (${a.ai}) is not permitted as a Digital Link data attribute`, a.ai));
    }
    if (!isDlQualifierOf(pathAis[0] as string, a.ai)) continue;
    for (let j = 1; j <= pathLength; j++) {
      const trial = [...pathAis.slice(0, j), a.ai, ...pathAis.slice(j)];
      if (isValidDlPath(trial)) return err(dlError('shouldBeInPath', a.position, `AI (${a.ai}) is a key qualifier of (${pathAis[0] as string}) and belongs in the path, not the query`, a.ai));
    }
  }

  const elements: LocatedAiElement[] = [];
  for (const a of pending) {
    const consumed = validateAiValue(a.ai, a.d, a.value, { aiPosition: a.position, valuePosition: a.valuePosition });
    if (typeof consumed !== 'number') return err(consumed);
    elements.push({ ai: a.ai, value: a.value, position: a.position, valuePosition: a.valuePosition });
  }
  if (opts.checkAssociations !== false) {
    const e = checkAssociations(elements);
    if (e) return err(e);
  }
  return ok({ stem: uri.slice(0, keyAt), elements, pathLength, otherParameters });
}

/** Options for building a Digital Link URI. */
export interface BuildDigitalLinkOptions {
  /** Scheme, host and optional path prefix; default `https://id.gs1.org`. A trailing `/` is dropped. */
  readonly stem?: string;
  /** Accept unknown AIs as query attributes (they must then be valid unknown AIs). Default false. */
  readonly permitUnknownAiAttributes?: boolean;
}

/**
 * Build a Digital Link URI from AI elements: the first primary-key AI and the longest matching
 * qualifier path go in the path, the other AIs become query attributes (predefined-length AIs
 * first, then the rest, each group in the given order). Repeated identical AIs appear once.
 * The elements should already be valid (see validateElements).
 * @example buildDigitalLink([{ ai: '01', value: '09520123456788' }, { ai: '21', value: 'A/1' }]) // ok('https://id.gs1.org/01/09520123456788/21/A%2F1')
 */
export function buildDigitalLink(elements: readonly AiElement[], opts: BuildDigitalLinkOptions = {}): Result<string, Gs1Error> {
  const best = selectDlPath(elements);
  if (best === null) return err(dlError('noPrimaryKey', 0, 'cannot build a Digital Link URI without a primary key AI such as (01), (00) or (414)'));

  let stem = opts.stem ?? CANONICAL_DL_STEM;
  if (stem.endsWith('/')) stem = stem.slice(0, -1);
  let out = stem;
  for (const ai of best) {
    const e = elements.find((x) => x.ai === ai);
    if (e !== undefined) out += `/${ai}/${percentEncode(e.value, false)}`;
  }

  const inPath = new Set(best);
  const attributes = elements.filter((e) => !inPath.has(e.ai));
  const seen = new Set<string>();
  let query = '';
  for (const fixedPass of [true, false]) {
    for (const e of attributes) {
      const d = resolveAi(e.ai, true);
      const fixed = d !== undefined && !d.fnc1Required;
      if (fixed !== fixedPass || seen.has(e.ai)) continue;
      seen.add(e.ai);
      const unknown = d === undefined || isUnknownAi(d);
      if ((!unknown && !(d as AiDefinition).dlDataAttribute) || (unknown && opts.permitUnknownAiAttributes !== true)) {
        return err(dlError('notDataAttribute', 0, `AI (${e.ai}) is not permitted as a Digital Link data attribute`, e.ai));
      }
      query += `${query === '' ? '?' : '&'}${e.ai}=${percentEncode(e.value, true)}`;
    }
  }
  return ok(out + query);
}

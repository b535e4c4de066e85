/**
 * The namespace context an EPCIS event is hashed in: CURIE prefixes (the standard EPCIS context's
 * well-known ones plus those the document declares in `@context`) and the member names the document
 * asks hash generators to ignore (`ignoreFields`). Build one per document and reuse it for all of
 * its events: expanded member names are memoised on it.
 */

/** Prefixes the standard EPCIS 2.0 JSON-LD context defines; `gs1` as CBV 2.0 §8.9 expands it. */
export const WELL_KNOWN_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', 'https://gs1.org/voc/'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);

/**
 * Prefix map, ignore list and memo of expanded member names for one EPCIS document. Only `prefixes`
 * is required, so any `{ prefixes }` map will do; build a full one with {@link epcisContextFromDocument}.
 */
export interface EpcisContext {
  /** Prefix → namespace IRI. */
  readonly prefixes: ReadonlyMap<string, string>;
  /** Expanded names of top-level event members left out of the hash (the document's `ignoreFields`). */
  readonly ignoreFields?: ReadonlySet<string>;
  /** Memo of member name → expanded name (`{namespace}local`); absent or null when the context is shared and must stay immutable. */
  readonly memo?: Map<string, string> | null;
}

/** The context of an event hashed without a document: the well-known prefixes only. */
export const DEFAULT_EPCIS_CONTEXT: EpcisContext = Object.freeze({
  prefixes: WELL_KNOWN_PREFIXES,
  ignoreFields: new Set<string>(),
  memo: null,
});

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Add the prefix definitions of one JSON-LD `@context` value (string, object or array) to `into`. */
function collectPrefixes(atContext: unknown, into: Map<string, string>): void {
  if (Array.isArray(atContext)) {
    for (const c of atContext) collectPrefixes(c, into);
    return;
  }
  if (!isRecord(atContext)) return; // a context URL adds nothing beyond the well-known prefixes
  for (const [term, iri] of Object.entries(atContext)) {
    if (term.startsWith('@') || typeof iri !== 'string' || iri.startsWith('@')) continue;
    into.set(term, iri);
  }
}

/** Expand `prefix:local` with the context's prefixes; `brace` wraps the namespace as `{ns}` (member names). */
function expand(prefixes: ReadonlyMap<string, string>, text: string, brace: boolean): string {
  const colon = text.indexOf(':');
  if (colon <= 0) return text;
  const ns = prefixes.get(text.slice(0, colon));
  if (ns === undefined) return text;
  return brace ? `{${ns}}${text.slice(colon + 1)}` : ns + text.slice(colon + 1);
}

/** A member name as the hash writes it: `{namespace}local` for a compact name with a known prefix, else unchanged. */
export function expandMemberName(context: EpcisContext, name: string): string {
  if (name.indexOf(':') < 0) return name;
  const memo = context.memo;
  if (memo === null || memo === undefined) return expand(context.prefixes, name, true);
  let out = memo.get(name);
  if (out === undefined) {
    out = expand(context.prefixes, name, true);
    memo.set(name, out);
  }
  return out;
}

/** A string value with a known CURIE prefix expanded to its full IRI (`cbv:Comp-x` → `https://ref.gs1.org/cbv/Comp-x`). */
export function expandCurie(context: EpcisContext, value: string): string {
  return expand(context.prefixes, value, false);
}

/**
 * Context from a JSON-LD `@context` value (a URL, an object of prefix definitions, or an array of
 * both) plus the member names to ignore, given as compact or expanded names.
 *
 * @example buildEpcisContext(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'https://ns.example.com/epcis/' }])
 */
export function buildEpcisContext(atContext?: unknown, ignoreFields: readonly string[] = []): EpcisContext {
  const prefixes = new Map(WELL_KNOWN_PREFIXES);
  collectPrefixes(atContext, prefixes);
  const ignored = new Set<string>();
  for (const f of ignoreFields) ignored.add(expand(prefixes, f, true));
  return { prefixes, ignoreFields: ignored, memo: new Map() };
}

/** The context's prefixes extended by an event's own `@context` (as bare events carry it). */
export function withEventContext(context: EpcisContext, atContext: unknown): EpcisContext {
  const prefixes = new Map(context.prefixes);
  collectPrefixes(atContext, prefixes);
  return { prefixes, ignoreFields: context.ignoreFields ?? new Set<string>(), memo: new Map() };
}

/** String members of an `ignoreFields` value (`["repository-x:hash", ...]`). */
function ignoreList(holder: Readonly<Record<string, unknown>>, into: string[]): void {
  for (const [key, value] of Object.entries(holder)) {
    if (key !== 'ignoreFields' && !key.endsWith(':ignoreFields')) continue;
    if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') into.push(v);
  }
}

/**
 * Context of an EPCIS document or query document: its `@context` prefixes and the `ignoreFields`
 * it declares (any prefix, on the document or on `epcisBody.queryResults`).
 */
export function epcisContextFromDocument(document: Readonly<Record<string, unknown>>): EpcisContext {
  const ignore: string[] = [];
  ignoreList(document, ignore);
  const body = document.epcisBody;
  if (isRecord(body) && isRecord(body.queryResults)) ignoreList(body.queryResults, ignore);
  return buildEpcisContext(document['@context'], ignore);
}

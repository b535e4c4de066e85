/**
 * CBV 2.0 vocabularies (bare word ↔ full URI) and JSON-LD `@context` prefix handling.
 *
 * The word lists come from the enums of the bundled ratified EPCIS 2.0.1 JSON Schema
 * (`schema/epcis-json-schema.json`) when this module loads. We do not generate a copy or maintain
 * a list by hand: the validator checks against the same enums, so the two cannot drift apart.
 * The namespaces below are the expansions that the bundled `epcis-context.jsonld` gives each
 * word (`shipping` → `cbv:BizStep-shipping` → `https://ref.gs1.org/cbv/BizStep-shipping`).
 * Node cannot import a `.jsonld` file without I/O, so `cbv.test.ts` checks every word and URI
 * against that context, and against the CBV ontology in the conformance folder.
 */
import schema from './schema/epcis-json-schema.json' with { type: 'json' };

/** The CBV 2.0 vocabularies whose terms EPCIS JSON may write as bare words. */
export const CBV_VOCABULARY_NAMES = [
  'bizStep',
  'disposition',
  'bizTransactionType',
  'sourceDestType',
  'errorReason',
  'measurementType',
  'sensorAlertType',
  'component',
] as const;

/** One of the CBV vocabulary names. */
export type CbvVocabularyName = (typeof CBV_VOCABULARY_NAMES)[number];

/** A CBV vocabulary: its bare words and the URI namespace they expand into. */
export interface CbvVocabulary {
  readonly name: CbvVocabularyName;
  /** Human label used in error messages, e.g. `business step`. */
  readonly label: string;
  /** Bare words in schema order, e.g. `shipping`. */
  readonly words: readonly string[];
  /** Prefix that a bare word is appended to, e.g. `https://ref.gs1.org/cbv/BizStep-`. */
  readonly namespace: string;
}

/** The CBV namespace (`cbv:` in the bundled ratified 2.0.1 context). */
export const CBV_NAMESPACE = 'https://ref.gs1.org/cbv/';
/** The GS1 Web Vocabulary namespace as the ratified 2.0.1 context writes it (`gs1:`). */
export const GS1_VOC_NAMESPACE = 'https://ref.gs1.org/voc/';

interface VocabularySource {
  readonly definition: string;
  readonly label: string;
  readonly namespace: string;
}

const SOURCES: Readonly<Record<CbvVocabularyName, VocabularySource>> = {
  bizStep: { definition: 'bizStep', label: 'business step', namespace: `${CBV_NAMESPACE}BizStep-` },
  disposition: { definition: 'disposition', label: 'disposition', namespace: `${CBV_NAMESPACE}Disp-` },
  bizTransactionType: {
    definition: 'bizTransaction-type',
    label: 'business transaction type',
    namespace: `${CBV_NAMESPACE}BTT-`,
  },
  sourceDestType: {
    definition: 'source-dest-type',
    label: 'source/destination type',
    namespace: `${CBV_NAMESPACE}SDT-`,
  },
  errorReason: { definition: 'error-reason', label: 'error reason', namespace: `${CBV_NAMESPACE}ER-` },
  measurementType: {
    definition: 'measurementType',
    label: 'measurement type',
    namespace: GS1_VOC_NAMESPACE,
  },
  sensorAlertType: {
    definition: 'sensorAlertType',
    label: 'sensor alert type',
    namespace: GS1_VOC_NAMESPACE,
  },
  component: { definition: 'component', label: 'component', namespace: `${CBV_NAMESPACE}Comp-` },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `enum` of a vocabulary definition (`{anyOf: [{$ref: …uri}, {type: 'string', enum: [...]}]}`). */
function schemaEnum(definition: string): readonly string[] {
  const definitions: unknown = (schema as { definitions?: unknown }).definitions;
  const def = isRecord(definitions) ? definitions[definition] : undefined;
  const anyOf = isRecord(def) ? def.anyOf : undefined;
  if (Array.isArray(anyOf)) {
    for (const branch of anyOf) {
      const values = isRecord(branch) ? branch.enum : undefined;
      if (Array.isArray(values) && values.every((w): w is string => typeof w === 'string')) return Object.freeze([...values]);
    }
  }
  throw new Error(`bundled EPCIS schema: no enum in definitions/${definition}`);
}

interface VocabularyIndex {
  readonly vocabulary: CbvVocabulary;
  readonly words: ReadonlySet<string>;
  readonly byUri: ReadonlyMap<string, string>;
}

const INDEX: Readonly<Record<CbvVocabularyName, VocabularyIndex>> = (() => {
  const out = {} as Record<CbvVocabularyName, VocabularyIndex>;
  for (const name of CBV_VOCABULARY_NAMES) {
    const src = SOURCES[name];
    const words = schemaEnum(src.definition);
    const vocabulary: CbvVocabulary = Object.freeze({
      name,
      label: src.label,
      words,
      namespace: src.namespace,
    });
    out[name] = {
      vocabulary,
      words: new Set(words),
      byUri: new Map(words.map((w) => [src.namespace + w, w] as const)),
    };
  }
  return Object.freeze(out);
})();

/** The CBV vocabularies, keyed by name. Example: `CBV.bizStep.words.length === 41`. */
export const CBV: Readonly<Record<CbvVocabularyName, CbvVocabulary>> = Object.freeze(
  Object.fromEntries(CBV_VOCABULARY_NAMES.map((n) => [n, INDEX[n].vocabulary])) as Record<CbvVocabularyName, CbvVocabulary>,
);

/** Whether `word` is a bare word of the vocabulary (`isCbvWord('bizStep', 'shipping') === true`). */
export function isCbvWord(vocabulary: CbvVocabularyName, word: string): boolean {
  return INDEX[vocabulary].words.has(word);
}

/** Full URI of a bare word, or null if it is not one: `cbvWordToUri('bizStep', 'shipping')` → `https://ref.gs1.org/cbv/BizStep-shipping`. */
export function cbvWordToUri(vocabulary: CbvVocabularyName, word: string): string | null {
  const idx = INDEX[vocabulary];
  return idx.words.has(word) ? idx.vocabulary.namespace + word : null;
}

/** Bare word of a full URI, or null if the URI is not a term of the vocabulary. */
export function cbvUriToWord(vocabulary: CbvVocabularyName, uri: string): string | null {
  return INDEX[vocabulary].byUri.get(uri) ?? null;
}

// ---------------------------------------------------------------------------------------------
// JSON-LD @context prefixes (CURIE expansion)
// ---------------------------------------------------------------------------------------------

/** The prefixes resolved from a document's (and an event's) `@context`. */
export interface ContextPrefixes {
  /** Term → IRI, e.g. `cbv` → `https://ref.gs1.org/cbv/`, `example` → `http://ns.example.com/epcis/`. */
  readonly prefixes: ReadonlyMap<string, string>;
  /** Remote contexts we cannot resolve offline. They may define more prefixes. */
  readonly unresolved: readonly string[];
}

/**
 * The prefixes of the ratified EPCIS 2.0.1 context (its string-valued IRI terms). `cbv.test.ts`
 * checks this list against the bundled context.
 */
export const STANDARD_CONTEXT_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', CBV_NAMESPACE],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', GS1_VOC_NAMESPACE],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);

/**
 * Context URLs that resolve, offline, to the bundled ratified context. The 2.0.0 and
 * development contexts differ only in the IRI of `gs1:`. We map them all to 2.0.1, so the same
 * term always indexes under the same URI.
 */
export const STANDARD_CONTEXT_URLS: ReadonlySet<string> = new Set([
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
]);

/** The prefixes in scope with only the standard context. */
export const STANDARD_PREFIXES: ContextPrefixes = Object.freeze({
  prefixes: STANDARD_CONTEXT_PREFIXES,
  unresolved: Object.freeze([]) as readonly string[],
});

/**
 * Resolve the prefix map of a JSON-LD `@context` value: a string, an object, or an array of both.
 * The standard EPCIS prefixes are always in scope. Inline term definitions add to them or
 * override them. `base` is the enclosing scope (the document's prefixes, when an event carries
 * its own `@context`). Malformed parts are ignored. Validation reports them.
 *
 * @example contextPrefixes(['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }])
 */
export function contextPrefixes(context: unknown, base: ContextPrefixes = STANDARD_PREFIXES): ContextPrefixes {
  // Fast paths: no context, or only the standard one.
  if (context === undefined || context === null) return base;
  if (typeof context === 'string' && STANDARD_CONTEXT_URLS.has(context)) return base;
  if (Array.isArray(context) && context.length === 1 && typeof context[0] === 'string' && STANDARD_CONTEXT_URLS.has(context[0])) {
    return base;
  }
  let prefixes: Map<string, string> | null = null;
  let unresolved: string[] | null = null;
  const visit = (part: unknown): void => {
    if (typeof part === 'string') {
      if (!STANDARD_CONTEXT_URLS.has(part)) (unresolved ??= [...base.unresolved]).push(part);
    } else if (isRecord(part)) {
      for (const term of Object.keys(part)) {
        if (term.startsWith('@')) continue;
        const def = part[term];
        const map = (prefixes ??= new Map(base.prefixes));
        if (def === null) map.delete(term);
        else if (typeof def === 'string') {
          if (!def.startsWith('@')) map.set(term, def);
        } else if (isRecord(def) && typeof def['@id'] === 'string' && !def['@id'].startsWith('@')) map.set(term, def['@id']);
      }
    }
  };
  if (Array.isArray(context)) for (const part of context) visit(part);
  else visit(context);
  if (prefixes === null && unresolved === null) return base;
  return Object.freeze({
    prefixes: prefixes ?? base.prefixes,
    unresolved: unresolved ? Object.freeze(unresolved) : base.unresolved,
  });
}

/**
 * Expand a compact IRI (`cbv:BizStep-shipping`, `example:myField`) with the prefixes in scope.
 * Absolute IRIs (`https://…`, `urn:…`) and unknown prefixes are returned unchanged.
 */
export function expandCurie(value: string, ctx: ContextPrefixes): string {
  const colon = value.indexOf(':');
  if (colon <= 0 || value.startsWith('//', colon + 1)) return value;
  const iri = ctx.prefixes.get(value.slice(0, colon));
  return iri === undefined ? value : iri + value.slice(colon + 1);
}

/**
 * Expand a vocabulary value to its full URI: a bare CBV word goes into the vocabulary's
 * namespace, a CURIE is expanded with the context, and anything else is returned unchanged.
 *
 * @example expandVocabularyValue('bizStep', 'shipping', STANDARD_PREFIXES) // 'https://ref.gs1.org/cbv/BizStep-shipping'
 */
export function expandVocabularyValue(vocabulary: CbvVocabularyName, value: string, ctx: ContextPrefixes): string {
  return cbvWordToUri(vocabulary, value) ?? expandCurie(value, ctx);
}

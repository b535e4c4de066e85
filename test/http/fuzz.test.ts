/**
 * Fuzz the HTTP API with junk. Inputs include randomly mutated official EPCIS 2.0 examples,
 * junk query strings, junk master-data records and junk CSV files. The server must never
 * answer 5xx. Every 4xx must be an RFC 9457 problem with an `epcisException:` type. A capture
 * stores its whole document or nothing.
 *
 * The seed is fixed, so runs repeat exactly. A failure prints the seed and the shrunk input.
 * Replay with LOTLINE_FUZZ_SEED=<seed>. Run longer with LOTLINE_FUZZ_SCALE=<factor>.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type EntityKind, entities, entityKinds } from '../../src/app/master-data/definitions.ts';
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { listConformanceFiles, readConformanceText } from '../support/conformance.ts';
import { testEngines } from '../support/engines.ts';

const SEED = Number(process.env.LOTLINE_FUZZ_SEED ?? 20_250_905);
const SCALE = Number(process.env.LOTLINE_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

// ---------------------------------------------------------------------------------------------
// JSON documents and how to mutate them
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Path = readonly (string | number)[];

/** The official examples, read from the shared conformance folder (never copied into the repository). */
const exampleFiles = listConformanceFiles('gs1-epcis/JSON', ['.jsonld']);
const examples = new Map(exampleFiles.map((f) => [f, JSON.parse(readConformanceText(f)) as Json]));

/**
 * A junk value to put into a document: plain JSON, or raw JSON text that JSON.stringify never
 * writes (1e999, escaped NUL, lone surrogate escapes, deep nesting, huge strings).
 */
type Junk =
  | { readonly kind: 'json'; readonly value: Json }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'deep'; readonly depth: number; readonly open: 'array' | 'object' }
  | { readonly kind: 'huge'; readonly length: number; readonly char: string };

/** One structural change to a document. `at` picks among the candidate nodes, modulo their number. */
type Mutation =
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'replace'; readonly at: number; readonly junk: Junk }
  | { readonly op: 'retype'; readonly at: number }
  | { readonly op: 'addKey'; readonly at: number; readonly key: string; readonly junk: Junk }
  | { readonly op: 'extend'; readonly at: number; readonly key: string; readonly junk: Junk }
  | { readonly op: 'duplicateEvent'; readonly at: number; readonly copies: number }
  | { readonly op: 'swapEventType'; readonly at: number; readonly type: string }
  | { readonly op: 'breakTime'; readonly at: number; readonly value: string };

/** One change to the serialised text: the JSON may stop being JSON. */
type TextMutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'replaceChar'; readonly at: number; readonly text: string }
  | { readonly op: 'deleteSpan'; readonly at: number; readonly length: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'duplicateSpan'; readonly at: number; readonly length: number };

/** Raw bytes spliced into the UTF-8 body: invalid sequences, overlong NUL, encoded lone surrogates. */
interface ByteInsertion {
  readonly at: number;
  readonly bytes: readonly number[];
}

const TIME_KEYS = new Set(['eventTime', 'recordTime', 'creationDate', 'declarationTime', 'startTime', 'endTime', 'time']);
const EVENT_TYPE_NAMES = ['ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'TransactionEvent', 'AssociationEvent', 'EPCISDocument', 'QuantityEvent', 'objectevent', ''];

/** A document under mutation, wrapped so that the document itself can be replaced or deleted. */
interface Draft {
  readonly root: JsonObject;
  readonly raws: string[];
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every node below the wrapper, as paths, in document order (capped: the examples are small). */
function allPaths(root: Json): Path[] {
  const out: Path[] = [];
  const walk = (node: Json, path: Path): void => {
    if (out.length > 20_000) return;
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, [...path, i]));
    else if (isObject(node)) for (const key of Object.keys(node)) visit(node[key] ?? null, [...path, key]);
  };
  const visit = (node: Json, path: Path): void => {
    out.push(path);
    walk(node, path);
  };
  walk(root, []);
  return out;
}

function getAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = Object.hasOwn(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

/** Set an own property even for keys such as `__proto__`, so the junk reaches the server as written. */
function defineKey(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function setAt(root: Json, path: Path, value: Json): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === 'number') parent[key] = value;
  else if (isObject(parent) && typeof key === 'string') defineKey(parent, key, value);
}

function deleteAt(root: Json, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else if (isObject(parent) && typeof key === 'string') delete parent[key];
}

function pick<T>(list: readonly T[], at: number): T | undefined {
  return list.length === 0 ? undefined : list[at % list.length];
}

/** The value to store for `junk`: the JSON itself, or a placeholder replaced by raw text after serialising. */
function place(draft: Draft, junk: Junk): Json {
  if (junk.kind === 'json') return structuredClone(junk.value);
  draft.raws.push(rawText(junk));
  return `@@lotline-raw-${draft.raws.length - 1}@@`;
}

function rawText(junk: Exclude<Junk, { kind: 'json' }>): string {
  switch (junk.kind) {
    case 'raw':
      return junk.text;
    case 'deep':
      return junk.open === 'array' ? `${'['.repeat(junk.depth)}0${']'.repeat(junk.depth)}` : `${'{"a":'.repeat(junk.depth)}0${'}'.repeat(junk.depth)}`;
    case 'huge':
      return JSON.stringify(junk.char.repeat(junk.length));
    default: {
      const never: never = junk;
      return never;
    }
  }
}

/** The same value as another JSON type: strings become numbers or arrays, arrays objects, and so on. */
function retype(v: Json): Json {
  if (typeof v === 'string') return v !== '' && Number.isFinite(Number(v)) ? Number(v) : [v];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return Object.values(v);
}

function applyMutation(draft: Draft, m: Mutation): void {
  const paths = allPaths(draft.root);
  switch (m.op) {
    case 'delete': {
      const p = pick(paths, m.at);
      if (p) deleteAt(draft.root, p);
      return;
    }
    case 'replace': {
      const p = pick(paths, m.at);
      if (p) setAt(draft.root, p, place(draft, m.junk));
      return;
    }
    case 'retype': {
      const p = pick(paths, m.at);
      if (p) setAt(draft.root, p, retype(getAt(draft.root, p) ?? null));
      return;
    }
    case 'addKey': {
      const p = pick(paths.filter((q) => isObject(getAt(draft.root, q))), m.at);
      const target = p ? getAt(draft.root, p) : undefined;
      if (isObject(target)) defineKey(target, m.key, place(draft, m.junk));
      return;
    }
    case 'extend': {
      // A user extension field on an event or inside one: valid EPCIS, so the junk reaches the database.
      const p = pick(paths.filter((q) => q.includes('eventList') && isObject(getAt(draft.root, q))), m.at) ?? pick(paths.filter((q) => isObject(getAt(draft.root, q))), m.at);
      const target = p ? getAt(draft.root, p) : undefined;
      if (isObject(target)) defineKey(target, m.key, place(draft, m.junk));
      return;
    }
    case 'duplicateEvent': {
      const p = pick(paths.filter((q) => q[q.length - 2] === 'eventList' && typeof q[q.length - 1] === 'number'), m.at);
      const list = p ? getAt(draft.root, p.slice(0, -1)) : undefined;
      if (p && Array.isArray(list)) list.splice(Number(p[p.length - 1]), 0, ...Array.from({ length: m.copies }, () => structuredClone(getAt(draft.root, p) ?? null)));
      return;
    }
    case 'swapEventType': {
      const p = pick(paths.filter((q) => q[q.length - 1] === 'type' && typeof getAt(draft.root, q) === 'string'), m.at);
      if (p) setAt(draft.root, p, m.type);
      return;
    }
    case 'breakTime': {
      const p = pick(paths.filter((q) => TIME_KEYS.has(String(q[q.length - 1]))), m.at);
      if (p) setAt(draft.root, p, m.value);
      return;
    }
    default: {
      const never: never = m;
      return never;
    }
  }
}

function applyText(text: string, m: TextMutation): string {
  const at = m.at % (text.length + 1);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'replaceChar':
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case 'deleteSpan':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicateSpan':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    default: {
      const never: never = m;
      return never;
    }
  }
}

/** Serialise the draft's document, splice in raw junk, then apply text and byte mutations. */
function serialise(draft: Draft, text: readonly TextMutation[], bytes: readonly ByteInsertion[]): Buffer {
  const doc = draft.root.doc;
  let out = doc === undefined ? '' : JSON.stringify(doc);
  out = out.replace(/"@@lotline-raw-(\d+)@@"/g, (_m, i: string) => draft.raws[Number(i)] ?? 'null');
  for (const m of text) out = applyText(out, m);
  let buffer = Buffer.from(out, 'utf8');
  for (const b of bytes) {
    const at = b.at % (buffer.length + 1);
    buffer = Buffer.concat([buffer.subarray(0, at), Buffer.from(b.bytes), buffer.subarray(at)]);
  }
  return buffer;
}

function mutate(subject: Json, mutations: readonly Mutation[], text: readonly TextMutation[], bytes: readonly ByteInsertion[]): Buffer {
  const draft: Draft = { root: { doc: structuredClone(subject) }, raws: [] };
  for (const m of mutations) applyMutation(draft, m);
  return serialise(draft, text, bytes);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const nastyStrings = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\udc00y', '\udbff\udbff', '\ud83d', '😀', '月华坊 追溯码', '\u202e\u2066rtl', '\ufeff', '\u2028\u2029',
  '\t\r\n', 'null', 'NaN', '-0', '1e999', 'true', '{}', '[]', '<script>alert(1)</script>', "'; DROP TABLE epcis_events; --", '%00', '%ED%A0%80', '\\u0000', '\\', '"',
  'urn:epc:id:sgtin:', 'urn:epc:id:sgtin:0614141.107346.\u0000', 'urn:epc:id:sgln:0614141.00777.0\ud800', 'urn:epc:class:lgtin:4012345.012345.998877',
  'https://id.gs1.org/01/09520123456788/21/\u0000', 'https://id.gs1.org/01/00000000000000', 'https://id.gs1.org/414/9520123456788/254/%00',
  'urn:uuid:00000000-0000-0000-0000-000000000000', 'ni:///sha-256;x?ver=CBV2.0', 'cbv:BizStep-\u0000', 'shipping', 'ObjectEvent', 'EPCISDocument', 'ex:\u0000',
  'example:x', 'gs1:', ':', 'a:b', 'x'.repeat(2001), '2025-02-30T25:61:61Z', '0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:59.999999999+14:00', '2025-09-05T08:00:00+99:99', '2025-09-05T08:00:00', '+14:01', '-00:00', 'Z',
];

const junkString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('urn:epc:id:sgtin:', 'urn:epc:id:sscc:', 'https://id.gs1.org/01/', 'example:', 'cbv:', 'urn:epc:idpat:sgtin:'), fc.string({ unit: codeUnit, maxLength: 8 }))
      .map(([a, b]) => a + b),
  },
);

const junkNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, 2 ** 63, -(2 ** 31) - 1, 2 ** 32, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

const junkJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: junkString },
  { weight: 3, arbitrary: junkNumber },
  { weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

const rawTexts = [
  '1e999', '-1e999', '-0', '123456789012345678901234567890', '1e-400', '"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"\\udfff\\ud800"', '"x\\udc00"', '{"\\u0000":1}',
  '{"\\ud800":"\\udc00"}', '{"@context":null}', '{"":""}', '{"type":"ObjectEvent","type":"AggregationEvent"}', '[1,2,3,[4,[5,[6]]]]', '"\\/"', '{"__proto__":{"admin":true}}',
];

const junk: fc.Arbitrary<Junk> = fc.oneof(
  { weight: 10, arbitrary: junkJson.map((value): Junk => ({ kind: 'json', value })) },
  { weight: 4, arbitrary: fc.constantFrom(...rawTexts).map((text): Junk => ({ kind: 'raw', text })) },
  { weight: 1, arbitrary: fc.record({ depth: fc.constantFrom(50, 1_000, 10_000, 100_000), open: fc.constantFrom('array' as const, 'object' as const) }).map((d): Junk => ({ kind: 'deep', ...d })) },
  { weight: 1, arbitrary: fc.record({ length: fc.constantFrom(10_000, 300_000, 1_000_000), char: fc.constantFrom('x', '月', '\u0000', '😀', '\\') }).map((h): Junk => ({ kind: 'huge', ...h })) },
);

const junkKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('example:x', 'example:\u0000', 'type', 'eventID', '@context', '@id', '@type', '', '\u0000', '\ud800', 'epcList', 'eventTime', '__proto__', 'constructor', 'ex:a', 'cbvmda:x', 'gs1:x', 'errorDeclaration', 'sensorElementList'),
  junkString,
);

/** Broken and extreme timestamps. */
const brokenTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', '2025-09-05', '2025-09-05T08:00:00', '2025-09-05 08:00:00+08:00', '2025-13-01T00:00:00Z', '2025-02-30T00:00:00Z', '2025-09-05T24:00:00Z', '2025-09-05T08:00:60Z',
    '2025-09-05T08:00:00+24:00', '2025-09-05T08:00:00+08', '2025-09-05T08:00:00.1234567890123Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999-14:00', 'now', 'T', '2025-09-05T08:00:00\u0000Z',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), fc.constantFrom('+14:00', '-12:00', '+00:00', '+05:45')).map(([d, z]) => d.toISOString().replace('Z', z)),
  junkString,
);

/** Junk in an extension field: the document stays valid, so the junk travels all the way to the database. */
const extension: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom('example:fuzz', 'example:note', 'example:\u00e9t\u00e9', 'example:x\u0000', 'example:\ud800'), junk)
  .map(([at, key, j]): Mutation => ({ op: 'extend', at, key, junk: j }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((at): Mutation => ({ op: 'delete', at })) },
  { weight: 5, arbitrary: fc.tuple(fc.nat(), junk).map(([at, j]): Mutation => ({ op: 'replace', at, junk: j })) },
  { weight: 2, arbitrary: fc.nat().map((at): Mutation => ({ op: 'retype', at })) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(), junkKey, junk).map(([at, key, j]): Mutation => ({ op: 'addKey', at, key, junk: j })) },
  { weight: 4, arbitrary: extension },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })).map(([at, copies]): Mutation => ({ op: 'duplicateEvent', at, copies })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...EVENT_TYPE_NAMES), junkString)).map(([at, type]): Mutation => ({ op: 'swapEventType', at, type })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), brokenTime).map(([at, value]): Mutation => ({ op: 'breakTime', at, value })) },
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.nat().map((at): TextMutation => ({ op: 'truncate', at })),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\ud800', ' ', 'x', '0', '-'), codeUnit)).map(([at, text]): TextMutation => ({ op: 'replaceChar', at, text })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(([at, length]): TextMutation => ({ op: 'deleteSpan', at, length })),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(',', '"', '\\u0000', '\\ud800', '{"a":', ']]]', '\u0000', 'NaN', 'Infinity', '/*c*/', '\ufeff', ',"type":"ObjectEvent"'), junkString)).map(([at, text]): TextMutation => ({ op: 'insert', at, text })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })).map(([at, length]): TextMutation => ({ op: 'duplicateSpan', at, length })),
);

const byteInsertion: fc.Arbitrary<ByteInsertion> = fc.record({
  at: fc.nat(),
  bytes: fc.constantFrom<readonly number[]>([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xfe, 0xff], [0x00], [0xe6, 0x9c], [0xf4, 0x90, 0x80, 0x80]),
});

/** Mostly structural mutations that keep the text JSON; a quarter also break the text, a tenth the bytes. */
const textMutations = fc.oneof({ weight: 3, arbitrary: fc.constant<readonly TextMutation[]>([]) }, { weight: 1, arbitrary: fc.array(textMutation, { minLength: 1, maxLength: 3 }) });
const byteInsertions = fc.oneof({ weight: 9, arbitrary: fc.constant<readonly ByteInsertion[]>([]) }, { weight: 1, arbitrary: fc.array(byteInsertion, { minLength: 1, maxLength: 2 }) });

/** Percent-encode the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as a browser would send them). */
function percentEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += /[A-Za-z0-9\-._~:]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** Query values as they travel in a URL: encoded junk, or raw escapes no encoder writes (%ED%A0%80 is a lone surrogate). */
const rawQueryValues = [
  '%', '%zz', '%00', '%ED%A0%80', '%C0%80', '%FF', '+', '%2B', '', '*', '%25', '1e21', '-1', '0', '1.5', '99999999999999999999', '9007199254740993', 'NaN', 'Infinity', '0x10', 'true', 'false',
  'ASC', 'desc', 'eventTime', 'recordTime', 'ObjectEvent', 'shipping', 'urn:epc:id:sgtin:0614141.107346.2017', 'https%3A%2F%2Fid.gs1.org%2F01%2F10614141073464%2F21%2F2018', 'a,b,,c', ',,,,',
  'urn:epc:idpat:sgtin:0614141.107346.*', 'urn:epc:idpat:sgtin:*.*.*', '2025-09-05T08:00:00%2B08:00', '0000-01-01T00:00:00Z', '%2B275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z',
  '2025-09-05T08:00:00%2B99:99', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', 'gs1:MT-Temperature', 'Temperature', 'urn:epc:id:sgln:0614141.00777.0',
];

const queryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: junkString.map(percentEncode) },
  { weight: 3, arbitrary: fc.constantFrom(...rawQueryValues) },
  { weight: 1, arbitrary: brokenTime.map(percentEncode) },
  { weight: 1, arbitrary: junkNumber.map((n) => percentEncode(String(n))) },
);

function queryNameArb(names: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: junkString.map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a[b]', 'x%ED%A0%80', '') },
  );
}

function queryString(params: readonly (readonly [string, string])[]): string {
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Junk path segments, encoded or raw. */
const pathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: junkString.map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%C0%80', '%FF', '%', '..', '%2F', '%2E%2E', 'x'.repeat(3000), 'urn%3Auuid%3A%00', 'cap_', 'tok_', '-1', '0') },
);

// ---------------------------------------------------------------------------------------------
// Checking answers
// ---------------------------------------------------------------------------------------------

/** What went wrong with an answer, if anything: 5xx, or a 4xx that is not an EPCIS problem. */
function answerProblems(res: LightMyRequestResponse, allowed: (status: number) => boolean): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`server error ${res.statusCode}`);
  else if (!allowed(res.statusCode)) problems.push(`unexpected status ${res.statusCode}`);
  if (res.statusCode >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json')) problems.push(`error answer has content-type ${type || '(none)'}, not application/problem+json`);
    const body = parseJson(res.body);
    const problemType = isObject(body) ? body.type : undefined;
    if (typeof problemType !== 'string' || !problemType.startsWith('epcisException:')) problems.push(`error answer type ${JSON.stringify(problemType)} does not start with epcisException:`);
  }
  return problems;
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** A readable account of a request and its answer, for the failure message. */
function describeExchange(request: InjectOptions, res: LightMyRequestResponse, problems: readonly string[]): string {
  const payload = request.payload;
  const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload);
  const shown = text.length > 1500 ? `${JSON.stringify(text.slice(0, 1500))}… (${text.length} characters)` : JSON.stringify(text);
  const headers = Object.entries(request.headers ?? {}).filter(([k]) => k !== 'authorization');
  return [
    problems.join('; '),
    `request: ${request.method ?? 'GET'} ${String(request.url)}${headers.length ? ` ${JSON.stringify(Object.fromEntries(headers))}` : ''}`,
    `body: ${shown}`,
    `answer: ${res.statusCode} ${res.body.slice(0, 600)}`,
  ].join('\n');
}

/** Run a property with the fixed seed; a failure names the seed and how to replay it. */
async function fuzz<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, check: (value: T) => Promise<void>): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`fuzz seed ${SEED} failed (replay: LOTLINE_FUZZ_SEED=${SEED}): ${message.split("\n")[0]}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Master data fixtures
// ---------------------------------------------------------------------------------------------

const validGtin = withCheckDigit('690123456789');
const validGln = withCheckDigit('690123400001');

/** A valid record of each kind, the starting point of mutations. */
const baseRecords: Readonly<Record<EntityKind, JsonObject>> = {
  products: { productId: 'fz-p', gtin: validGtin, nameZh: '月饼', nameEn: 'Mooncake', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC', brand: 'B', attributes: { flavour: 'lotus' } },
  locations: { locationId: 'fz-l', type: 'plant', nameZh: '工厂', nameEn: 'Plant', gln: validGln, city: '上海', region: '上海', country: 'CN', latitude: 31.2, longitude: 121.5 },
  parties: { partyId: 'fz-s', kind: 'supplier', nameZh: '供应商', nameEn: 'Supplier', email: 'qa@supplier.cn', phone: '+86 21 1234', contact: 'Li' },
  equipment: { equipmentId: 'fz-e', kind: 'oven', nameZh: '烤炉', nameEn: 'Oven', model: 'M1', serialNo: 'S1' },
  operators: { operatorId: 'fz-o', name: 'Zhang Wei', title: 'QA' },
};

/** Valid record `n` of `kind`: its own identifier, GTIN and GLN (both are unique per organisation). */
function recordFor(kind: EntityKind, n: number, tag = ''): JsonObject {
  const base = baseRecords[kind];
  const idField = entities[kind].idField;
  const digits = String(n % 1_000_000).padStart(6, '0');
  return {
    ...base,
    [idField]: `${String(base[idField])}${tag}-${n}`,
    ...('gtin' in base ? { gtin: withCheckDigit(`69${tag ? '1' : '0'}0123${digits}`) } : {}),
    ...('gln' in base ? { gln: withCheckDigit(`6${tag ? '1' : '0'}0123${digits}`) } : {}),
  };
}

const QUERY_NAMES = [
  'eventType', 'GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime', 'EQ_eventID', 'EXISTS_errorDeclaration', 'GE_errorDeclarationTime', 'LT_errorDeclarationTime',
  'EQ_errorReason', 'EQ_correctiveEventID', 'orderBy', 'orderDirection', 'eventCountLimit', 'maxEventCount', 'perPage', 'nextPageToken', 'EQ_type', 'EQ_booleanValue', 'EQ_quantity',
  'GT_quantity', 'GE_quantity', 'LT_quantity', 'LE_quantity', 'GE_startTime', 'LT_startTime', 'GE_endTime', 'LT_endTime', 'EXISTS_sensorElementList', 'EQ_deviceID',
  'EQ_dataProcessingMethod', 'EQ_microorganism', 'EQ_chemicalSubstance', 'EQ_bizRules', 'EQ_stringValue', 'EQ_hexBinaryValue', 'EQ_uriValue', 'GE_value', 'LT_minValue',
  'EQ_maxValue', 'GT_meanValue', 'LE_sDev', 'EQ_percRank', 'GE_percValue', 'MATCH_epc', 'MATCH_parentID', 'MATCH_inputEPC', 'MATCH_outputEPC', 'MATCH_anyEPC', 'MATCH_epcClass',
  'MATCH_inputEPCClass', 'MATCH_outputEPCClass', 'MATCH_anyEPCClass', 'EQ_bizStep', 'EQ_disposition', 'EQ_persistentDisposition_set', 'EQ_persistentDisposition_unset',
  'EQ_readPoint', 'EQ_bizLocation', 'EQ_transformationID', 'EQ_action', 'EQ_bizTransaction_po', 'EQ_source_owning_party', 'EQ_INNER_ILMD_lotNumber', 'WD_readPoint',
];

const AUDIT_NAMES = ['q', 'action', 'actor', 'targetType', 'targetId', 'from', 'to', 'before', 'limit'];

// ---------------------------------------------------------------------------------------------
// The properties, on every engine
// ---------------------------------------------------------------------------------------------

describe.each(testEngines())('fuzzing the HTTP API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
    // Stored events, so that queries reach rows, sensor data and the paging code.
    for (const file of ['gs1-epcis/JSON/Example_9.6.1-ObjectEvent.jsonld', 'gs1-epcis/JSON/WithSensorData/SensorDataExample1.jsonld', 'gs1-epcis/JSON/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld']) {
      const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('admin'), 'content-type': 'application/ld+json' }, payload: readConformanceText(file) });
      if (res.statusCode !== 202) throw new Error(`cannot capture ${file}: ${res.body}`);
    }
  });
  afterAll(async () => t?.close());

  const countEvents = async (): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM epcis_events WHERE org_id = 'acme'`.execute(t.ctx.database.db)).rows[0]!.n;
  const countRecords = async (kind: EntityKind): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(entities[kind].table)} WHERE org_id = 'acme'`.execute(t.ctx.database.db)).rows[0]!.n;

  /** Send `request` as acme's admin; fail with a readable account unless the answer is acceptable. */
  const send = async (request: InjectOptions, allowed: (status: number) => boolean, extra?: (res: LightMyRequestResponse) => Promise<string[]>): Promise<LightMyRequestResponse> => {
    const res = await t.app.inject({ ...request, headers: { ...t.auth('admin'), ...request.headers } });
    const problems = [...answerProblems(res, allowed), ...(extra ? await extra(res) : [])];
    if (problems.length) throw new Error(describeExchange(request, res, problems));
    return res;
  };
  const clientError = (s: number): boolean => s >= 400 && s < 500;

  it('never answers 5xx to mutated official examples, and stores a whole document or nothing', async () => {
    const captureCase = fc.record({
      file: fc.constantFrom(...exampleFiles),
      target: fc.constantFrom('capture' as const, 'capture' as const, 'events' as const),
      eventIndex: fc.nat(),
      contentType: fc.constantFrom('application/ld+json', 'application/json', 'application/ld+json; charset=utf-8'),
      errorBehaviour: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('rollback', 'ROLLBACK') }, { weight: 1, arbitrary: fc.constantFrom('proceed', '', 'rollback\u0000') }),
      // Without their eventIDs, mutated events get fresh hash IDs and are stored rather than refused as conflicts.
      dropEventIds: fc.boolean(),
      // Half the documents get only extension junk, so that many pass validation and reach the store.
      mutations: fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(extension, { minLength: 1, maxLength: 2 })),
      text: textMutations,
      bytes: byteInsertions,
    });
    await fuzz(captureCase, runs(500), async (c) => {
      const doc = examples.get(c.file) ?? null;
      const list = isObject(doc) && isObject(doc.epcisBody) && Array.isArray(doc.epcisBody.eventList) ? doc.epcisBody.eventList : [];
      const event = pick(list, c.eventIndex);
      // A single event travels with its document's @context, as POST /epcis/events expects.
      const subject: Json = structuredClone(c.target === 'events' && isObject(event) && isObject(doc) ? { '@context': doc['@context'] ?? null, ...event } : doc);
      if (c.dropEventIds) for (const p of allPaths(subject)) if (p[p.length - 1] === 'eventID') deleteAt(subject, p);
      const payload = mutate(subject, c.mutations, c.text, c.bytes);
      const before = await countEvents();
      const headers: Record<string, string> = { 'content-type': c.contentType, ...(c.errorBehaviour !== null ? { 'gs1-capture-error-behaviour': c.errorBehaviour } : {}) };
      await send({ method: 'POST', url: c.target === 'capture' ? '/epcis/capture' : '/epcis/events', headers, payload }, (s) => s === 202 || clientError(s), async (res) => {
        const after = await countEvents();
        if (res.statusCode === 202) {
          const body = parseJson(res.body);
          const stored = isObject(body) ? body.storedCount : undefined;
          if (typeof stored !== 'number') return [`202 without a storedCount: ${res.body.slice(0, 200)}`];
          return after - before === stored ? [] : [`202 says storedCount ${stored}, but ${after - before} events were stored`];
        }
        return after === before ? [] : [`answered ${res.statusCode}, yet ${after - before} events were stored (a partial document)`];
      });
    });
  });

  it('never answers 5xx to junk query parameters on GET /epcis/events', async () => {
    const queryCase = fc.array(fc.tuple(queryNameArb(QUERY_NAMES), queryValue), { minLength: 1, maxLength: 6 });
    await fuzz(queryCase, runs(400), async (params) => {
      await send({ method: 'GET', url: `/epcis/events?${queryString(params)}` }, (s) => s === 200 || clientError(s));
    });
  });

  it('never answers 5xx to tampered nextPageTokens', async () => {
    const bases = ['perPage=1', 'perPage=1&orderBy=eventTime', 'perPage=1&orderBy=eventTime&orderDirection=DESC', 'perPage=1&eventCountLimit=2'];
    const tokens = new Map<string, string>();
    for (const base of bases) {
      const res = await t.app.inject({ method: 'GET', url: `/epcis/events?${base}`, headers: t.auth('viewer') });
      const body = parseJson(res.body);
      if (isObject(body) && typeof body.nextPageToken === 'string') tokens.set(base, body.nextPageToken);
    }
    const tokenCase = fc.record({
      base: fc.constantFrom(...bases),
      field: fc.constantFrom('seq', 't', 'served', 'f', 'extra'),
      value: junkJson,
      reencode: fc.constantFrom('json', 'text'),
    });
    await fuzz(tokenCase, runs(150), async (c) => {
      const real = tokens.get(c.base) ?? '';
      let decoded: Json | undefined;
      try {
        decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Json;
      } catch {
        decoded = undefined;
      }
      // Tamper with a field of the server's own token (it is opaque to clients; this is what an attacker would try).
      const tampered = isObject(decoded) ? { ...decoded, [c.field]: c.value } : c.value;
      const text = c.reencode === 'json' ? JSON.stringify(tampered) : String(c.value);
      await send({ method: 'GET', url: `/epcis/events?${c.base}&nextPageToken=${Buffer.from(text).toString('base64url')}` }, (s) => s === 200 || clientError(s));
    });
  });

  it('never answers 5xx to junk master-data records, and a rejected write changes nothing', async () => {
    // Records 0-3 of each kind exist, so PUT and PATCH reach the stored row.
    for (const kind of entityKinds) {
      for (let i = 0; i < 4; i++) {
        const record = recordFor(kind, i);
        const res = await t.app.inject({ method: 'POST', url: `/api/${kind}`, headers: t.auth('admin'), payload: record });
        if (res.statusCode !== 201) throw new Error(`cannot create ${kind} ${i}: ${res.body}`);
      }
    }
    const recordCase = fc.record({
      kind: fc.constantFrom(...entityKinds),
      method: fc.constantFrom('POST' as const, 'POST' as const, 'PUT' as const, 'PATCH' as const),
      id: fc.oneof({ weight: 3, arbitrary: fc.constant<string | null>(null) }, { weight: 1, arbitrary: pathSegment }),
      ifMatch: fc.constantFrom<string | null>(null, null, '"1"', '"abc"', 'W/"1"', '"99999999999999999999"', '*', '""', '"-1"', '"1e3"', '"0x1"'),
      /** A suffix for the record's identifier, so most POSTs create rather than conflict. */
      suffix: fc.integer({ min: 0, max: 999_999 }),
      mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
      text: textMutations,
    });
    await fuzz(recordCase, runs(300), async (c) => {
      const base = recordFor(c.kind, c.method === 'POST' ? c.suffix : c.suffix % 4);
      const ownId = String(base[entities[c.kind].idField]);
      const payload = mutate(base, c.mutations, c.text, []);
      const url = c.method === 'POST' ? `/api/${c.kind}` : `/api/${c.kind}/${c.id ?? ownId}`;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(c.ifMatch !== null ? { 'if-match': c.ifMatch } : {}) };
      const before = await countRecords(c.kind);
      await send({ method: c.method, url, headers, payload }, (s) => (c.method === 'POST' ? s === 201 : s === 200) || clientError(s), async (res) => {
        const after = await countRecords(c.kind);
        const expected = res.statusCode === 201 ? before + 1 : before;
        return after === expected ? [] : [`answered ${res.statusCode}; acme had ${before} ${c.kind} and now has ${after}`];
      });
    });
  });

  it('never answers 5xx to junk master-data lists, reads and archives', async () => {
    const names = ['q', 'includeArchived', 'limit', 'after', 'type', 'kind', 'parentId', 'partyId', 'locationId', 'gtin', 'gln', 'city', 'region', 'granularity', 'nameEn'];
    const readCase = fc.record({
      kind: fc.constantFrom(...entityKinds),
      op: fc.constantFrom('list' as const, 'list' as const, 'get' as const, 'delete' as const, 'template' as const),
      id: pathSegment,
      params: fc.array(fc.tuple(queryNameArb(names), queryValue), { maxLength: 5 }),
    });
    await fuzz(readCase, runs(200), async (c) => {
      const request: InjectOptions =
        c.op === 'list'
          ? { method: 'GET', url: `/api/${c.kind}?${queryString(c.params)}` }
          : c.op === 'template'
            ? { method: 'GET', url: `/api/${c.kind}/template.csv?${queryString(c.params)}` }
            : { method: c.op === 'get' ? 'GET' : 'DELETE', url: `/api/${c.kind}/${c.id}` };
      await send(request, (s) => s === 200 || clientError(s));
    });
  });

  it('never answers 5xx to junk CSV and XLSX imports, and an atomic import that fails changes nothing', async () => {
    type HeaderEdit = { readonly op: 'drop' | 'duplicate' | 'label'; readonly at: number } | { readonly op: 'add'; readonly at: number; readonly name: string };
    const headerEdit: fc.Arbitrary<HeaderEdit> = fc.oneof(
      fc.tuple(fc.constantFrom('drop' as const, 'duplicate' as const, 'label' as const), fc.nat()).map(([op, at]): HeaderEdit => ({ op, at })),
      fc.tuple(fc.nat(), junkString).map(([at, name]): HeaderEdit => ({ op: 'add', at, name })),
    );
    /** A junk cell value, put into a few columns of an otherwise valid row. */
    const cell = fc.oneof(
      { weight: 2, arbitrary: junkString },
      { weight: 1, arbitrary: fc.constantFrom('=1+1', '@SUM(A1)', '{"a":', '{"a":1}', '{"a":"\u0000"}', '{"a":"\\u0000"}', '[1]', '1e999', '-0', '0', '99999999999999999999', validGtin, validGln, '"', '""', ',', ';', '\n', '\r') },
    );
    const csvCase = fc.record({
      kind: fc.constantFrom(...entityKinds),
      edits: fc.array(headerEdit, { maxLength: 3 }),
      rows: fc.array(fc.array(fc.tuple(fc.nat(), cell), { maxLength: 2 }), { maxLength: 6 }),
      delimiter: fc.constantFrom(',', ',', ';', '\t'),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      quoting: fc.constantFrom('minimal' as const, 'all' as const, 'none' as const),
      mode: fc.constantFrom('atomic', 'atomic', 'valid-rows', 'valid-rows', 'bogus', '', '%00'),
      contentType: fc.constantFrom('text/csv', 'text/csv', 'text/csv', 'text/csv; charset=utf-8', 'text/csv; charset=gbk', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      text: textMutations,
      bytes: byteInsertions,
    });
    await fuzz(csvCase, runs(200), async (c) => {
      const spec = entities[c.kind];
      const header: string[] = spec.fields.map((f) => f.name);
      /** Which field each column holds (null for junk columns), and that field's valid value in row `r`. */
      const fieldOf: (string | null)[] = spec.fields.map((f) => f.name);
      const valid = (name: string | null, r: number): string => {
        const v = name === null ? undefined : recordFor(c.kind, r, 'c')[name];
        return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      };
      for (const e of c.edits) {
        const i = e.at % (header.length + 1);
        if (e.op === 'drop') {
          header.splice(i, 1);
          fieldOf.splice(i, 1);
        } else if (e.op === 'duplicate' && header[i] !== undefined) {
          header.splice(i, 0, header[i]!);
          fieldOf.splice(i, 0, fieldOf[i] ?? null);
        } else if (e.op === 'label') {
          const f = spec.fields.find((x) => x.name === header[i]);
          if (f) header[i] = f.labelZh;
        } else if (e.op === 'add') {
          header.splice(i, 0, e.name);
          fieldOf.splice(i, 0, null);
        }
      }
      const quote = (v: string): string => {
        if (c.quoting === 'all') return `"${v.replaceAll('"', '""')}"`;
        if (c.quoting === 'none') return v;
        return /["\r\n,;\t]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
      };
      const lines = [header.map(quote).join(c.delimiter)];
      c.rows.forEach((row, r) => {
        const cells = header.map((_name, i) => {
          const given = row.find(([at]) => at % header.length === i);
          return given ? given[1] : valid(fieldOf[i] ?? null, r);
        });
        lines.push(cells.map(quote).join(c.delimiter));
      });
      const text = `${c.bom ? '\ufeff' : ''}${lines.join(c.eol)}${c.eol}`;
      let payload = Buffer.from(text, 'utf8');
      let mutated = text;
      for (const m of c.text) mutated = applyText(mutated, m);
      if (c.text.length) payload = Buffer.from(mutated, 'utf8');
      for (const b of c.bytes) {
        const at = b.at % (payload.length + 1);
        payload = Buffer.concat([payload.subarray(0, at), Buffer.from(b.bytes), payload.subarray(at)]);
      }
      const before = await countRecords(c.kind);
      await send({ method: 'POST', url: `/api/${c.kind}/import?mode=${c.mode}`, headers: { 'content-type': c.contentType }, payload }, (s) => s === 200 || clientError(s), async (res) => {
        const after = await countRecords(c.kind);
        if (res.statusCode === 200) {
          const body = parseJson(res.body);
          const created = isObject(body) ? body.created : undefined;
          return typeof created === 'number' && after - before === created ? [] : [`import says created ${String(created)}, but acme's ${c.kind} went from ${before} to ${after}`];
        }
        return after === before ? [] : [`import answered ${res.statusCode}, yet acme's ${c.kind} went from ${before} to ${after}`];
      });
    });
  });

  it('never answers 5xx to junk on capture jobs, events by id, ledger proofs, audit search and tokens', async () => {
    const otherCase = fc.oneof(
      pathSegment.map((id): InjectOptions => ({ method: 'GET', url: `/epcis/capture/${id}` })),
      pathSegment.map((id): InjectOptions => ({ method: 'GET', url: `/epcis/events/${id}` })),
      pathSegment.map((id): InjectOptions => ({ method: 'GET', url: `/api/ledger/proof/${id}` })),
      pathSegment.map((id): InjectOptions => ({ method: 'DELETE', url: `/api/tokens/${id}` })),
      queryValue.map((v): InjectOptions => ({ method: 'GET', url: `/epcis/capture?limit=${v}` })),
      queryValue.map((v): InjectOptions => ({ method: 'GET', url: `/api/ledger/checkpoints?limit=${v}` })),
      fc.array(fc.tuple(queryNameArb(AUDIT_NAMES), queryValue), { minLength: 1, maxLength: 5 }).map((p): InjectOptions => ({ method: 'GET', url: `/api/audit?${queryString(p)}` })),
      fc
        .tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), textMutations)
        .map(([m, text]): InjectOptions => ({
          method: 'POST',
          url: '/api/tokens',
          headers: { 'content-type': 'application/json' },
          payload: mutate({ role: 'viewer', label: 'fuzz', expiresAt: '2030-01-01T00:00:00Z' }, m, text, []),
        })),
    );
    await fuzz(otherCase, runs(250), async (request) => {
      await send(request, (s) => s === 200 || s === 201 || clientError(s));
    });
  });
});

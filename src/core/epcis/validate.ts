/**
 * EPCIS 2.0 document and event validation.
 *
 * Two layers, both pure:
 * 1. Semantic checks that the standard requires and the JSON Schema cannot express, or expresses
 *    with unhelpful errors: CBV bare words, extension namespaces, time-zone offsets, identifier
 *    URIs, non-negative quantities, the five event types, and required fields. They run first, so
 *    that a user sees "bizStep "transforming" is not a CBV 2.0 business step" and not the branches
 *    of an `anyOf`.
 * 2. ajv (draft-07) against the bundled ratified 2.0.1 schema, compiled once when the module
 *    loads. Each event is checked against its own event definition, so error pointers read
 *    `/epcisBody/eventList/3/epcList/0`. The envelope is checked separately, with a copy of the
 *    schema whose `eventList` items are left to the per-event pass.
 *
 * An event that fails layer 1 is not also run through layer 2, so its first report stays short.
 * Every error is an `ErrorDetail` with an RFC 6901 pointer into the input, a message and a rule.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ErrorDetail } from '../errors.ts';
import { err, ok, type Result } from '../result.ts';
import {
  CBV,
  type CbvVocabularyName,
  type ContextPrefixes,
  contextPrefixes,
  isCbvWord,
} from './cbv.ts';
import { checkTimeStamp, EpcisEvent, EVENT_TYPES, type EventType } from './event.ts';
import schema from './schema/epcis-json-schema.json' with { type: 'json' };

/** At most this many error details are returned for one input. */
export const MAX_ERROR_DETAILS = 100;

/** One validated event of a document, with where it was and the prefixes in its scope. */
export interface ValidatedEvent {
  readonly event: EpcisEvent;
  /** JSON pointer of the event in the document, e.g. `/epcisBody/eventList/3`. */
  readonly pointer: string;
  /** Document `@context` merged with the event's own `@context`. Pass it to `eventIndex`. */
  readonly context: ContextPrefixes;
}

/** A document that passed validation. `document` is the input object, unchanged. */
export interface ValidatedDocument {
  readonly type: 'EPCISDocument' | 'EPCISQueryDocument';
  readonly context: ContextPrefixes;
  readonly events: readonly ValidatedEvent[];
  readonly document: Readonly<Record<string, unknown>>;
}

/** Options of `validateEpcisDocument`. */
export interface ValidateDocumentOptions {
  /**
   * Also accept an EPCISQueryDocument (a query result, e.g. an export from another repository).
   * Off by default, because capture takes EPCISDocuments.
   */
  readonly allowQueryDocument?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Details = ErrorDetail[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (out: Details, pointer: string, message: string, rule: string): void => {
  if (out.length < MAX_ERROR_DETAILS) out.push({ pointer, message, rule });
};

const full = (out: Details): boolean => out.length >= MAX_ERROR_DETAILS;

/** Escape one JSON pointer reference token (RFC 6901). */
const esc = (key: string): string =>
  key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;

/** A short, safe rendering of a value for messages (never stringifies big structures). */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Walk a path of object keys and array indexes in an untyped value. */
function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isRecord(cur) ? cur[key] : undefined;
  }
  return cur;
}

function stringList(value: unknown, where: string): readonly string[] {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  throw new Error(`bundled EPCIS schema: expected a string enum at ${where}`);
}

/** The `enum` branch of a `propertyNames: {anyOf: [...]}` in the bundled schema. */
function propertyNamesEnum(definition: string, ...path: readonly (string | number)[]): readonly string[] {
  const anyOf = at(schema, 'definitions', definition, ...path, 'propertyNames', 'anyOf');
  if (Array.isArray(anyOf)) {
    for (const branch of anyOf) {
      const values = at(branch, 'enum');
      if (values !== undefined) return stringList(values, `${definition} propertyNames`);
    }
  }
  throw new Error(`bundled EPCIS schema: no propertyNames enum in definitions/${definition}`);
}

// ---------------------------------------------------------------------------------------------
// Formats and identifier syntax
// ---------------------------------------------------------------------------------------------

/**
 * The schema's `uri` format: a scheme (or JSON-LD prefix, so `_` is allowed too) and a non-empty
 * rest without whitespace, control characters, `<>"{}|\^` or backtick. It accepts absolute URIs,
 * URNs and compact IRIs (`cbv:BizStep-shipping`, `my_ns:field`), and rejects bare words. We use it
 * instead of ajv-formats' full RFC 3986 regex because it is much cheaper per string, and because
 * it accepts the compact IRIs that JSON-LD allows. Identifiers get the stricter `identifierProblem`.
 */
const URI_RE = /^[A-Za-z][A-Za-z0-9+.\-_]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/u;
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const EPC_URN_RE = /^urn:epc:[a-z]+:[A-Za-z0-9-]+:\S/;
const WEB_URI_RE = /^https?:\/\/[^/?#\s]+/;
const TZ_OFFSET_RE = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;
const LEGACY_CBV_RE = /^(?:urn:epcglobal:cbv|https?:\/\/ns\.gs1\.org\/cbv\/)/;
const GS1_WEB_VOC_RE = /^https?:\/\/(?:www\.)?gs1\.org\/voc\//;

/** A typical word of each vocabulary, for messages. */
const EXAMPLE_WORD: Readonly<Record<CbvVocabularyName, string>> = {
  bizStep: 'shipping',
  disposition: 'in_transit',
  bizTransactionType: 'po',
  sourceDestType: 'owning_party',
  errorReason: 'incorrect_data',
  measurementType: 'Temperature',
  sensorAlertType: 'ALARM_CONDITION',
  component: 'x',
};

const isUri = (s: string): boolean => URI_RE.test(s);
const isDateTime = (s: string): boolean => checkTimeStamp(s) === 'ok';

/** Why `value` is not a usable identifier URI, or null if it is one. */
function identifierProblem(value: string): string | null {
  if (value.length === 0) return 'is empty; expected a URI';
  if (!SCHEME_RE.test(value)) {
    return 'is not a URI; expected an EPC URN (urn:epc:id:...), a GS1 Digital Link URI (https://id.gs1.org/...) or another absolute URI';
  }
  if (!isUri(value)) return 'contains whitespace or characters that a URI cannot contain';
  if (value.startsWith('urn:epc:') && !EPC_URN_RE.test(value)) return 'is not a well-formed EPC URN (urn:epc:id:<scheme>:<value>)';
  if ((value.startsWith('https:') || value.startsWith('http:')) && !WEB_URI_RE.test(value)) {
    return 'is not a well-formed web URI (no host after the scheme)';
  }
  return null;
}

/** A key that is equal for JSON-equal values (object key order ignored), for duplicate detection. */
function jsonKey(v: unknown): string {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v !== 'object' || v === null) return `p${String(v)}`;
  if (Array.isArray(v)) return `a[${v.map(jsonKey).join(',')}]`;
  const rec = v as Record<string, unknown>;
  return `o{${Object.keys(rec)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jsonKey(rec[k])}`)
    .join(',')}}`;
}

/** Linear-time `uniqueItems` for ajv. Reports the later duplicate as `i`, the first as `j`, like ajv. */
function uniqueItems(unique: boolean, data: unknown[]): boolean {
  if (!unique || data.length < 2) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = jsonKey(data[i]);
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [{ keyword: 'uniqueItems', message: 'must not have duplicate items', params: { i, j } }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
}
uniqueItems.errors = [] as Partial<ErrorObject>[];

// ---------------------------------------------------------------------------------------------
// Compiled schema (once, at module load)
// ---------------------------------------------------------------------------------------------

const SCHEMA_ID = String(at(schema, '$id'));
const DEFINITIONS = at(schema, 'definitions');
if (!isRecord(DEFINITIONS)) throw new Error('bundled EPCIS schema: no definitions');

const ajv = new Ajv({
  allErrors: false,
  strict: true,
  // The ratified schema requires `transformationID` in an anyOf branch that doesn't declare it.
  strictRequired: false,
  formats: { uri: isUri, 'date-time': isDateTime },
});
// ajv's uniqueItems compares every pair of items: 50,000 EPCs take seconds. Same rule, linear time.
ajv.removeKeyword('uniqueItems');
ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', validate: uniqueItems });
ajv.addSchema(schema);

const EVENT_VALIDATORS: Readonly<Record<EventType, ValidateFunction>> = {
  ObjectEvent: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/ObjectEvent` }),
  AggregationEvent: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/AggregationEvent` }),
  TransformationEvent: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/TransformationEvent` }),
  TransactionEvent: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/TransactionEvent` }),
  AssociationEvent: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/AssociationEvent` }),
};

/** Envelope schemas: the ratified definitions, with `eventList` items left to the per-event pass. */
const envelopeDefinitions = { ...DEFINITIONS, eventList: { type: 'array' } };

const DOCUMENT_ENVELOPE = ajv.compile({
  $id: 'urn:lotline:epcis:envelope:EPCISDocument',
  definitions: envelopeDefinitions,
  $ref: '#/definitions/epcisDocument',
});

/**
 * The ratified schema gives an EPCISQueryDocument no `epcisHeader`, but EPCIS 1.x/2.0 query
 * results produced by other repositories often carry one (an SBDH). We accept it as an opaque
 * object, because Lotline only imports the events of a query document. This is the only
 * relaxation of the ratified schema, and it applies only with `allowQueryDocument`.
 */
const QUERY_DOCUMENT_ENVELOPE = (() => {
  const def = DEFINITIONS.epcisQueryDocument;
  if (!isRecord(def) || !isRecord(def.properties)) throw new Error('bundled EPCIS schema: no epcisQueryDocument');
  const names = propertyNamesEnum('epcisQueryDocument');
  return ajv.compile({
    $id: 'urn:lotline:epcis:envelope:EPCISQueryDocument',
    definitions: {
      ...envelopeDefinitions,
      epcisQueryDocument: {
        ...def,
        properties: { ...def.properties, epcisHeader: { type: 'object' } },
        propertyNames: {
          anyOf: [{ type: 'string', enum: [...names, 'epcisHeader'] }, { $ref: '#/definitions/vocab-uri' }],
        },
      },
    },
    $ref: '#/definitions/epcisQueryDocument',
  });
})();

/** Standard field names per event type, read from the schema's `propertyNames` enums. */
const COMMON_FIELDS = stringList(at(DEFINITIONS, 'common-event-properties', 'anyOf', 0, 'enum'), 'common-event-properties');
const EVENT_FIELDS: Readonly<Record<EventType, ReadonlySet<string>>> = (() => {
  const out = {} as Record<EventType, ReadonlySet<string>>;
  for (const type of EVENT_TYPES) out[type] = new Set([...COMMON_FIELDS, ...propertyNamesEnum(type, 'allOf', 1)]);
  return out;
})();
const ALL_EVENT_FIELDS: ReadonlySet<string> = new Set(EVENT_TYPES.flatMap((t) => [...EVENT_FIELDS[t]]));
const ERROR_DECLARATION_FIELDS: ReadonlySet<string> = new Set(propertyNamesEnum('errorDeclaration'));
const SENSOR_ELEMENT_FIELDS: ReadonlySet<string> = new Set(propertyNamesEnum('sensorElement'));
const SENSOR_METADATA_FIELDS: ReadonlySet<string> = new Set(propertyNamesEnum('sensorMetadata'));
const SENSOR_REPORT_FIELDS: ReadonlySet<string> = new Set(propertyNamesEnum('sensorReport'));
const LOCATION_FIELDS: ReadonlySet<string> = new Set(['id']);

// ---------------------------------------------------------------------------------------------
// ajv errors → ErrorDetail
// ---------------------------------------------------------------------------------------------

const COMBINATORS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf']);

const param = (e: ErrorObject, key: string): string => {
  const v: unknown = (e.params as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
};

/** The field a pointer names, for messages: `/quantityList/0/uom` → `uom`, `/epcList/3` → `epcList[3]`. */
function subject(pointer: string): string {
  const parts = pointer.split('/');
  const last = parts[parts.length - 1] ?? '';
  const name = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
  if (/^\d+$/.test(last) && parts.length > 1) return `${name(parts[parts.length - 2] ?? '')}[${last}]`;
  return last === '' ? 'the document' : name(last);
}

function schemaDetail(e: ErrorObject, base: string): ErrorDetail {
  let pointer = base + e.instancePath;
  if (e.propertyName !== undefined) {
    pointer += `/${esc(e.propertyName)}`;
    return {
      pointer,
      message: `${show(e.propertyName)} is not an EPCIS field here; an extension field needs a namespace prefix declared in @context (e.g. "example:${e.propertyName}") or a full IRI`,
      rule: 'extensionNamespace',
    };
  }
  const what = subject(pointer);
  switch (e.keyword) {
    case 'required': {
      const missing = param(e, 'missingProperty');
      return { pointer: `${pointer}/${esc(missing)}`, message: `${missing} is required`, rule: 'required' };
    }
    case 'additionalProperties': {
      const extra = param(e, 'additionalProperty');
      return { pointer: `${pointer}/${esc(extra)}`, message: `${extra} is not allowed here`, rule: 'additionalProperties' };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues?: unknown }).allowedValues;
      const list = Array.isArray(allowed) ? allowed.map((v) => String(v)) : [];
      const shown = list.length > 8 ? `${list.slice(0, 8).join(', ')}, ... (${list.length} values)` : list.join(', ');
      return { pointer, message: `${what} must be one of: ${shown}`, rule: 'enum' };
    }
    case 'format': {
      const format = param(e, 'format');
      const expected = format === 'uri' ? 'an absolute URI' : 'an RFC 3339 date-time with a time-zone offset';
      return { pointer, message: `${what} must be ${expected}`, rule: 'format' };
    }
    case 'type':
      return { pointer, message: `${what} must be of type ${param(e, 'type')}`, rule: 'type' };
    case 'pattern':
      return what === 'uom'
        ? { pointer, message: 'uom must be a UN/ECE Recommendation 20 code of 2 or 3 characters (e.g. KGM)', rule: 'pattern' }
        : { pointer, message: `${what} must match ${param(e, 'pattern')}`, rule: 'pattern' };
    case 'minItems':
      return { pointer, message: `${what} must have at least ${param(e, 'limit')} item(s)`, rule: 'minItems' };
    case 'uniqueItems': {
      const later = param(e, 'i');
      return {
        pointer: `${pointer}/${later}`,
        message: `${subject(`${pointer}/${later}`)} repeats ${subject(`${pointer}/${param(e, 'j')}`)}; ${what} must not list a value twice`,
        rule: 'uniqueItems',
      };
    }
    case 'not':
      return { pointer, message: `${what} is not allowed here`, rule: 'not' };
    default:
      return { pointer, message: `${what} ${e.message ?? 'is invalid'}`, rule: e.keyword };
  }
}

/** Convert ajv's errors to details: the concrete (non-combinator) errors, most specific pointer first. */
function pushSchemaErrors(errors: readonly ErrorObject[] | null | undefined, base: string, out: Details): void {
  const all = errors ?? [];
  let chosen = all.filter((e) => !COMBINATORS.has(e.keyword) || e.propertyName !== undefined);
  if (chosen.length === 0) chosen = all.slice(-1);
  const details = chosen.map((e) => schemaDetail(e, base));
  const kept: ErrorDetail[] = [];
  for (const d of details) {
    if (kept.some((k) => k.pointer === d.pointer)) continue;
    if (details.some((o) => o.pointer.startsWith(`${d.pointer}/`))) continue;
    kept.push(d);
  }
  if (kept.length === 0) fail(out, base, 'the document does not match the EPCIS 2.0 schema', 'schema');
  for (const d of kept) fail(out, d.pointer, d.message, d.rule ?? 'schema');
}

// ---------------------------------------------------------------------------------------------
// Semantic checks
// ---------------------------------------------------------------------------------------------

function checkTime(value: unknown, pointer: string, name: string, required: boolean, out: Details): void {
  if (value === undefined) {
    if (required) fail(out, pointer, `${name} is required`, 'required');
    return;
  }
  if (typeof value !== 'string') {
    fail(out, pointer, `${name} must be a date-time string; got ${show(value)}`, 'type');
    return;
  }
  const check = checkTimeStamp(value);
  switch (check) {
    case 'ok':
      return;
    case 'noOffset':
      fail(
        out,
        pointer,
        `${name} ${show(value)} has no time-zone offset; EPCIS time stamps need Z or ±hh:mm (e.g. 2025-09-05T10:00:00+02:00)`,
        'timeZone',
      );
      return;
    case 'invalid':
      fail(out, pointer, `${name} ${show(value)} is not an RFC 3339 date-time (e.g. 2025-09-05T10:00:00+02:00)`, 'dateTime');
      return;
    default: {
      const unreachable: never = check;
      throw new Error(`unexpected time check ${String(unreachable)}`);
    }
  }
}

function checkExtensionKey(key: string, parent: string, ctx: ContextPrefixes, out: Details): void {
  const pointer = `${parent}/${esc(key)}`;
  const colon = key.indexOf(':');
  if (colon > 0 && colon < key.length - 1) {
    if (key.startsWith('//', colon + 1) || key.startsWith('urn:')) {
      if (!isUri(key)) fail(out, pointer, `extension field ${show(key)} is not a valid IRI`, 'extensionNamespace');
      return;
    }
    const prefix = key.slice(0, colon);
    // A remote context we cannot resolve offline may declare the prefix: give it the benefit of the doubt.
    if (ctx.prefixes.has(prefix) || ctx.unresolved.length > 0) return;
    fail(
      out,
      pointer,
      `extension field ${show(key)} uses the prefix "${prefix}", which @context does not declare; declare it (e.g. {"${prefix}": "https://example.com/ns/"}) or use a full IRI`,
      'extensionNamespace',
    );
    return;
  }
  fail(
    out,
    pointer,
    `${show(key)} is not an EPCIS field; an extension field needs a namespace prefix declared in @context (e.g. "example:${key}") or a full IRI`,
    'extensionNamespace',
  );
}

function checkExtensionKeys(
  value: unknown,
  pointer: string,
  standard: ReadonlySet<string>,
  ctx: ContextPrefixes,
  out: Details,
): void {
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    if (!standard.has(key)) checkExtensionKey(key, pointer, ctx, out);
  }
}

function checkVocab(
  value: unknown,
  vocabulary: CbvVocabularyName,
  pointer: string,
  out: Details,
): void {
  if (value === undefined) return;
  const v = CBV[vocabulary];
  const name = subject(pointer);
  if (typeof value !== 'string') {
    fail(out, pointer, `${name} must be a string: a CBV ${v.label} or a URI; got ${show(value)}`, 'type');
    return;
  }
  if (isCbvWord(vocabulary, value)) return;
  if (!value.includes(':')) {
    fail(
      out,
      pointer,
      `${name} ${show(value)} is not a CBV 2.0 ${v.label}; use a CBV word (e.g. "${EXAMPLE_WORD[vocabulary]}") or, for a non-standard value, a full URI or a CURIE with a declared prefix`,
      'cbvBareWord',
    );
    return;
  }
  if (!isUri(value)) {
    fail(out, pointer, `${name} ${show(value)} is not a valid URI`, 'format');
    return;
  }
  const gs1Voc = vocabulary === 'measurementType' || vocabulary === 'sensorAlertType';
  if (gs1Voc ? GS1_WEB_VOC_RE.test(value) : LEGACY_CBV_RE.test(value)) {
    const tail = value.slice(Math.max(value.lastIndexOf(':'), value.lastIndexOf('/'), value.lastIndexOf('-')) + 1);
    const hint = isCbvWord(vocabulary, tail) ? `here "${tail}"` : `e.g. "${EXAMPLE_WORD[vocabulary]}"`;
    fail(
      out,
      pointer,
      `${name} ${show(value)} is not allowed in EPCIS 2.0 JSON; write the CBV ${v.label} as its bare word (${hint})`,
      'cbvUri',
    );
    return;
  }
}

function checkIdentifier(value: unknown, pointer: string, out: Details): void {
  if (typeof value !== 'string') {
    fail(out, pointer, `${subject(pointer)} must be a URI string; got ${show(value)}`, 'type');
    return;
  }
  const problem = identifierProblem(value);
  if (problem !== null) fail(out, pointer, `${subject(pointer)} ${show(value)} ${problem}`, 'identifierUri');
}

function checkIdentifierList(value: unknown, pointer: string, out: Details): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    fail(out, pointer, `${subject(pointer)} must be an array of URIs; got ${show(value)}`, 'type');
    return;
  }
  for (let i = 0; i < value.length && !full(out); i++) checkIdentifier(value[i], `${pointer}/${i}`, out);
}

function checkQuantityList(value: unknown, pointer: string, out: Details): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    fail(out, pointer, `${subject(pointer)} must be an array of quantity elements; got ${show(value)}`, 'type');
    return;
  }
  for (let i = 0; i < value.length && !full(out); i++) {
    const q: unknown = value[i];
    const p = `${pointer}/${i}`;
    if (!isRecord(q)) {
      fail(out, p, `a quantity element must be an object {epcClass, quantity?, uom?}; got ${show(q)}`, 'type');
      continue;
    }
    if (q.epcClass === undefined) fail(out, `${p}/epcClass`, 'epcClass is required', 'required');
    else checkIdentifier(q.epcClass, `${p}/epcClass`, out);
    const n = q.quantity;
    if (n === undefined) continue;
    if (typeof n !== 'number') fail(out, `${p}/quantity`, `quantity must be a number; got ${show(n)}`, 'type');
    else if (!Number.isFinite(n) || n < 0) fail(out, `${p}/quantity`, `quantity must be a non-negative number; got ${n}`, 'quantity');
  }
}

const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** What: identifiers, quantities, and the "at least one of" rules of each event type. */
function checkWhat(raw: Record<string, unknown>, type: EventType, p: string, out: Details): void {
  switch (type) {
    case 'ObjectEvent':
      checkIdentifierList(raw.epcList, `${p}/epcList`, out);
      checkQuantityList(raw.quantityList, `${p}/quantityList`, out);
      if (raw.epcList === undefined && !nonEmpty(raw.quantityList) && !(nonEmpty(raw.sensorElementList) && raw.readPoint !== undefined)) {
        fail(out, `${p}/epcList`, 'ObjectEvent needs an epcList or a non-empty quantityList (or a sensorElementList with a readPoint)', 'required');
      }
      return;
    case 'AggregationEvent':
    case 'AssociationEvent':
      if (raw.parentID !== undefined) checkIdentifier(raw.parentID, `${p}/parentID`, out);
      else if (type === 'AssociationEvent') fail(out, `${p}/parentID`, 'parentID is required for AssociationEvent', 'required');
      checkIdentifierList(raw.childEPCs, `${p}/childEPCs`, out);
      checkQuantityList(raw.childQuantityList, `${p}/childQuantityList`, out);
      if (raw.action !== 'DELETE' && !nonEmpty(raw.childEPCs) && !nonEmpty(raw.childQuantityList)) {
        fail(out, `${p}/childEPCs`, `${type} needs a non-empty childEPCs or childQuantityList (unless action is DELETE)`, 'required');
      }
      return;
    case 'TransactionEvent':
      if (raw.parentID !== undefined) checkIdentifier(raw.parentID, `${p}/parentID`, out);
      checkIdentifierList(raw.epcList, `${p}/epcList`, out);
      checkQuantityList(raw.quantityList, `${p}/quantityList`, out);
      if (raw.bizTransactionList === undefined) {
        fail(out, `${p}/bizTransactionList`, 'bizTransactionList is required for TransactionEvent', 'required');
      } else if (Array.isArray(raw.bizTransactionList) && raw.bizTransactionList.length === 0) {
        fail(out, `${p}/bizTransactionList`, 'a TransactionEvent needs at least one business transaction', 'minItems');
      }
      if (raw.action !== 'DELETE' && raw.epcList === undefined && !nonEmpty(raw.quantityList)) {
        fail(out, `${p}/epcList`, 'TransactionEvent needs an epcList or a non-empty quantityList (unless action is DELETE)', 'required');
      }
      return;
    case 'TransformationEvent': {
      checkIdentifierList(raw.inputEPCList, `${p}/inputEPCList`, out);
      checkIdentifierList(raw.outputEPCList, `${p}/outputEPCList`, out);
      checkQuantityList(raw.inputQuantityList, `${p}/inputQuantityList`, out);
      checkQuantityList(raw.outputQuantityList, `${p}/outputQuantityList`, out);
      if (raw.transformationID !== undefined) checkIdentifier(raw.transformationID, `${p}/transformationID`, out);
      const inputs = nonEmpty(raw.inputEPCList) || nonEmpty(raw.inputQuantityList);
      const outputs = nonEmpty(raw.outputEPCList) || nonEmpty(raw.outputQuantityList);
      if (!inputs && !outputs) {
        fail(
          out,
          `${p}/inputEPCList`,
          'TransformationEvent needs inputs (inputEPCList/inputQuantityList) and outputs (outputEPCList/outputQuantityList); with a transformationID one side is enough',
          'required',
        );
      } else if (!(inputs && outputs) && raw.transformationID === undefined) {
        const missing = inputs ? 'outputEPCList' : 'inputEPCList';
        fail(
          out,
          `${p}/${missing}`,
          `TransformationEvent needs both inputs and outputs unless it has a transformationID; ${inputs ? 'outputs' : 'inputs'} are missing`,
          'required',
        );
      }
      return;
    }
    default: {
      const unreachable: never = type;
      throw new Error(`unexpected event type ${String(unreachable)}`);
    }
  }
}

function eachRecord(value: unknown, pointer: string, out: Details, visit: (item: Record<string, unknown>, p: string) => void): void {
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length && !full(out); i++) {
    const item: unknown = value[i];
    if (isRecord(item)) visit(item, `${pointer}/${i}`);
  }
}

/** Why and where: vocabulary values, sensor data, error declaration, certification info, extension keys. */
function checkWhyWhere(raw: Record<string, unknown>, p: string, ctx: ContextPrefixes, out: Details): void {
  checkVocab(raw.bizStep, 'bizStep', `${p}/bizStep`, out);
  checkVocab(raw.disposition, 'disposition', `${p}/disposition`, out);
  const pd = raw.persistentDisposition;
  if (isRecord(pd)) {
    for (const side of ['set', 'unset'] as const) {
      const list = pd[side];
      if (Array.isArray(list)) {
        for (let i = 0; i < list.length && !full(out); i++) {
          checkVocab(list[i], 'disposition', `${p}/persistentDisposition/${side}/${i}`, out);
        }
      }
    }
  }
  eachRecord(raw.bizTransactionList, `${p}/bizTransactionList`, out, (b, bp) =>
    checkVocab(b.type, 'bizTransactionType', `${bp}/type`, out),
  );
  eachRecord(raw.sourceList, `${p}/sourceList`, out, (s, sp) => checkVocab(s.type, 'sourceDestType', `${sp}/type`, out));
  eachRecord(raw.destinationList, `${p}/destinationList`, out, (d, dp) =>
    checkVocab(d.type, 'sourceDestType', `${dp}/type`, out),
  );
  checkExtensionKeys(raw.readPoint, `${p}/readPoint`, LOCATION_FIELDS, ctx, out);
  checkExtensionKeys(raw.bizLocation, `${p}/bizLocation`, LOCATION_FIELDS, ctx, out);

  const ed = raw.errorDeclaration;
  if (isRecord(ed)) {
    checkTime(ed.declarationTime, `${p}/errorDeclaration/declarationTime`, 'declarationTime', true, out);
    checkVocab(ed.reason, 'errorReason', `${p}/errorDeclaration/reason`, out);
    checkExtensionKeys(ed, `${p}/errorDeclaration`, ERROR_DECLARATION_FIELDS, ctx, out);
  }

  eachRecord(raw.sensorElementList, `${p}/sensorElementList`, out, (element, ep) => {
    checkExtensionKeys(element, ep, SENSOR_ELEMENT_FIELDS, ctx, out);
    const meta = element.sensorMetadata;
    if (isRecord(meta)) {
      const mp = `${ep}/sensorMetadata`;
      checkTime(meta.time, `${mp}/time`, 'time', false, out);
      checkTime(meta.startTime, `${mp}/startTime`, 'startTime', false, out);
      checkTime(meta.endTime, `${mp}/endTime`, 'endTime', false, out);
      checkExtensionKeys(meta, mp, SENSOR_METADATA_FIELDS, ctx, out);
    }
    eachRecord(element.sensorReport, `${ep}/sensorReport`, out, (report, rp) => {
      if (report.type === undefined) fail(out, `${rp}/type`, 'type (the measurement type) is required in a sensor report', 'required');
      else checkVocab(report.type, 'measurementType', `${rp}/type`, out);
      checkVocab(report.exception, 'sensorAlertType', `${rp}/exception`, out);
      checkVocab(report.component, 'component', `${rp}/component`, out);
      checkTime(report.time, `${rp}/time`, 'time', false, out);
      checkExtensionKeys(report, rp, SENSOR_REPORT_FIELDS, ctx, out);
    });
  });

  const cert = raw.certificationInfo;
  if (cert !== undefined) {
    const cp = `${p}/certificationInfo`;
    if (typeof cert === 'string') {
      if (!isUri(cert)) fail(out, cp, `certificationInfo ${show(cert)} must be a URI`, 'format');
    } else if (Array.isArray(cert)) {
      for (let i = 0; i < cert.length && !full(out); i++) {
        const c: unknown = cert[i];
        if (typeof c !== 'string') fail(out, `${cp}/${i}`, `certificationInfo entries must be URI strings; got ${show(c)}`, 'type');
        else if (!isUri(c)) fail(out, `${cp}/${i}`, `certificationInfo ${show(c)} must be a URI`, 'format');
      }
    } else {
      fail(out, cp, `certificationInfo must be a URI or an array of URIs; got ${show(cert)}`, 'type');
    }
  }
}

/** Check one event. Details go to `out`. Returns whether the event is valid. */
function checkEvent(raw: unknown, p: string, ctx: ContextPrefixes, out: Details): raw is EpcisEvent {
  if (!isRecord(raw)) {
    fail(out, p, `an event must be a JSON object; got ${show(raw)}`, 'type');
    return false;
  }
  const type = raw.type;
  if (!EpcisEvent.isType(type)) {
    if (type === undefined) fail(out, `${p}/type`, `type is required: one of ${EVENT_TYPES.join(', ')}`, 'required');
    else fail(out, `${p}/type`, `type must be one of ${EVENT_TYPES.join(', ')}; got ${show(type)}`, 'eventType');
    return false;
  }
  const before = out.length;

  // When.
  checkTime(raw.eventTime, `${p}/eventTime`, 'eventTime', true, out);
  checkTime(raw.recordTime, `${p}/recordTime`, 'recordTime', false, out);
  const tz = raw.eventTimeZoneOffset;
  if (tz === undefined) fail(out, `${p}/eventTimeZoneOffset`, 'eventTimeZoneOffset is required (e.g. "+02:00")', 'required');
  else if (typeof tz !== 'string' || !TZ_OFFSET_RE.test(tz)) {
    fail(out, `${p}/eventTimeZoneOffset`, `eventTimeZoneOffset must be ±hh:mm between -14:00 and +14:00 (e.g. "+02:00"); got ${show(tz)}`, 'timeZoneOffset');
  }

  // Action.
  if (type !== 'TransformationEvent') {
    const action = raw.action;
    if (action === undefined) fail(out, `${p}/action`, `action is required for ${type}: ADD, OBSERVE or DELETE`, 'required');
    else if (action !== 'ADD' && action !== 'OBSERVE' && action !== 'DELETE') {
      fail(out, `${p}/action`, `action must be ADD, OBSERVE or DELETE; got ${show(action)}`, 'enum');
    }
  }

  // Field names: standard fields of this type, or namespaced extensions.
  const standard = EVENT_FIELDS[type];
  for (const key of Object.keys(raw)) {
    if (standard.has(key)) continue;
    if (ALL_EVENT_FIELDS.has(key)) fail(out, `${p}/${esc(key)}`, `${key} is not a field of ${type}`, 'additionalProperties');
    else checkExtensionKey(key, p, ctx, out);
  }
  if (standard.has('ilmd') && isRecord(raw.ilmd)) for (const key of Object.keys(raw.ilmd)) checkExtensionKey(key, `${p}/ilmd`, ctx, out);
  if (type === 'ObjectEvent' && raw.ilmd !== undefined && (raw.action === 'OBSERVE' || raw.action === 'DELETE')) {
    fail(out, `${p}/ilmd`, 'ilmd (lot or instance master data) is only allowed on an ObjectEvent with action ADD', 'ilmdAction');
  }

  checkWhat(raw, type, p, out);
  checkWhyWhere(raw, p, ctx, out);
  if (out.length > before || full(out)) return false;

  const validate = EVENT_VALIDATORS[type];
  if (validate(raw)) return true;
  pushSchemaErrors(validate.errors, p, out);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Validate a single event (`POST /epcis/events`), or one event of a document at `pointer`.
 * Without `ctx` the event stands alone and must carry its own `@context`. With `ctx` (the
 * enclosing document's prefixes), an event `@context` adds to it.
 */
export function validateEpcisEvent(event: unknown, pointer = '', ctx?: ContextPrefixes): Result<EpcisEvent, ErrorDetail[]> {
  const out: Details = [];
  const own = isRecord(event) ? event['@context'] : undefined;
  if (ctx === undefined && isRecord(event) && own === undefined) {
    fail(out, `${pointer}/@context`, 'a bare event needs an @context (e.g. ["https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld"])', 'required');
  }
  const scope = own === undefined ? (ctx ?? contextPrefixes(undefined)) : contextPrefixes(own, ctx);
  if (checkEvent(event, pointer, scope, out) && out.length === 0) return ok(event);
  return err(out);
}

/**
 * Validate an EPCISDocument (and, with `allowQueryDocument`, an EPCISQueryDocument) as a whole.
 * A document is atomic: it passes with all its events, or fails with every problem found, up to
 * MAX_ERROR_DETAILS. Duplicate eventIDs are not checked here: that is the store's concern
 * (upstream examples repeat an event on purpose).
 *
 * @example
 * const r = validateEpcisDocument(JSON.parse(body));
 * if (!r.ok) throw new DomainError('ValidationException', 'invalid EPCIS document', r.error);
 */
export function validateEpcisDocument(
  doc: unknown,
  options: ValidateDocumentOptions = {},
): Result<ValidatedDocument, ErrorDetail[]> {
  if (!isRecord(doc)) return err([{ pointer: '', message: `an EPCIS document must be a JSON object; got ${show(doc)}`, rule: 'type' }]);
  const docType = doc.type;
  let envelope: ValidateFunction;
  let listPointer: string;
  let list: unknown;
  if (docType === 'EPCISDocument') {
    envelope = DOCUMENT_ENVELOPE;
    listPointer = '/epcisBody/eventList';
    list = at(doc, 'epcisBody', 'eventList');
  } else if (docType === 'EPCISQueryDocument') {
    if (options.allowQueryDocument !== true) {
      return err([{ pointer: '/type', message: 'an EPCISQueryDocument (a query result) is not accepted here; send an EPCISDocument', rule: 'documentType' }]);
    }
    envelope = QUERY_DOCUMENT_ENVELOPE;
    listPointer = '/epcisBody/queryResults/resultsBody/eventList';
    list = at(doc, 'epcisBody', 'queryResults', 'resultsBody', 'eventList');
  } else if (docType === undefined) {
    return err([{ pointer: '/type', message: 'type is required: "EPCISDocument"', rule: 'required' }]);
  } else {
    return err([{ pointer: '/type', message: `type must be "EPCISDocument"; got ${show(docType)}`, rule: 'documentType' }]);
  }

  const out: Details = [];
  if (!envelope(doc)) pushSchemaErrors(envelope.errors, '', out);
  const ctx = contextPrefixes(doc['@context']);
  const events: ValidatedEvent[] = [];
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length && !full(out); i++) {
      const raw: unknown = list[i];
      const pointer = `${listPointer}/${i}`;
      const own = isRecord(raw) ? raw['@context'] : undefined;
      const scope = own === undefined ? ctx : contextPrefixes(own, ctx);
      if (!checkEvent(raw, pointer, scope, out)) continue;
      events.push({ event: raw, pointer, context: scope });
    }
  }
  if (out.length > 0) return err(out);
  return ok({ type: docType, context: ctx, events, document: doc });
}

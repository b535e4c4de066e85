/**
 * EPCIS 2.0 validation against the shared conformance folder (read in place, never copied):
 * - the bundled schema and context are byte-identical to the ratified artefacts;
 * - the 47 official GS1 JSON-LD examples are accepted and index sanely;
 * - every JSON document that the collection's _index marks schema-valid and not a negative test
 *   is accepted, except the listed ones (each with its reason and the problem we report);
 * - every intended-invalid document is rejected at the pointer of its real problem;
 * - malformed JSON fails JSON.parse with a SyntaxError (the HTTP layer maps it);
 * - random mutations of the official examples never make validation throw.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CBV } from '../../src/core/epcis/cbv.ts';
import { eventIndex } from '../../src/core/epcis/event.ts';
import { MAX_ERROR_DETAILS, type ValidatedDocument, validateEpcisDocument, validateEpcisEvent } from '../../src/core/epcis/validate.ts';
import type { ErrorDetail } from '../../src/core/errors.ts';
import type { Result } from '../../src/core/result.ts';
import { conformancePath, hasConformance, listConformanceFiles, readConformanceJson, readConformanceText } from '../support/conformance.ts';

const OE = 'openepcis-test-resources/core/src/main/resources/2.0/EPCIS/JSON';
const OT = 'opentraceability/CSharp/OpenTraceability.Tests/Data';
const E = '/epcisBody/eventList';
const Q = '/epcisBody/queryResults/resultsBody/eventList';

/**
 * Parse a conformance file. Three opentraceability files start with a UTF-8 byte order mark,
 * which JSON.parse rejects. RFC 8259 §8.1 lets a parser ignore it, so we strip it here, and
 * the HTTP layer should do the same.
 */
const parse = (path: string): unknown => JSON.parse(readConformanceText(path).replace(/^\uFEFF/, ''));

type Outcome = Result<unknown, ErrorDetail[]>;

/** Validate a parsed file as what it is: a (query) document, or a bare event. */
function validate(doc: unknown): Outcome {
  const type = (doc as { type?: unknown } | null)?.type;
  return type === 'EPCISDocument' || type === 'EPCISQueryDocument'
    ? validateEpcisDocument(doc, { allowQueryDocument: true })
    : validateEpcisEvent(doc);
}

const problems = (r: Outcome): [string, string | undefined][] => (r.ok ? [] : r.error.map((d) => [d.pointer, d.rule]));

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.\-_]*:\S+$/;

/** Check that each event of a validated document indexes sanely. */
function expectSaneIndex(doc: ValidatedDocument, where: string): void {
  for (const { event, context, pointer } of doc.events) {
    const ix = eventIndex(event, context);
    const at = `${where} ${pointer}`;
    expect(ix.type, at).toBe(event.type);
    expect(ix.eventTime, at).toMatch(ISO_UTC_MS);
    expect(ix.eventTimeZoneOffset, at).toMatch(/^[+-]\d{2}:\d{2}$/);
    for (const [raw, full] of [
      [event.bizStep, ix.bizStep],
      [event.disposition, ix.disposition],
    ] as const) {
      if (raw === undefined) expect(full, at).toBeNull();
      else expect(full, at).toMatch(ABSOLUTE);
    }
    if (event.bizStep !== undefined && CBV.bizStep.words.includes(event.bizStep)) {
      expect(ix.bizStep, at).toBe(`https://ref.gs1.org/cbv/BizStep-${event.bizStep}`);
    }
    for (const uri of [...ix.persistentDispositionSet, ...ix.persistentDispositionUnset]) expect(uri, at).toMatch(ABSOLUTE);
    for (const t of ix.bizTransactions) if (t.type !== null) expect(t.type, at).toMatch(ABSOLUTE);
    for (const s of [...ix.sources, ...ix.destinations]) expect(s.type, at).toMatch(ABSOLUTE);
    for (const r of ix.sensorReports) {
      expect(r.type, at).toMatch(ABSOLUTE);
      if (r.time !== undefined) expect(r.time, at).toMatch(ISO_UTC_MS);
    }
    if (ix.errorDeclaration !== null) expect(ix.errorDeclaration.declarationTime, at).toMatch(ISO_UTC_MS);
    const what =
      event.type === 'ObjectEvent' || event.type === 'TransactionEvent'
        ? (event.epcList?.length ?? 0)
        : event.type === 'TransformationEvent'
          ? 0
          : (event.childEPCs?.length ?? 0);
    expect(ix.epcs.length, at).toBe(what);
  }
}

interface IndexRecord {
  readonly path: string;
  readonly format: string;
  readonly root?: string;
  readonly ratified201Schema?: string;
  readonly upstreamIntent?: string;
}

// ---------------------------------------------------------------------------------------------
// Known verdicts
// ---------------------------------------------------------------------------------------------

const NOT_A_MEASUREMENT_TYPE =
  'sensorReport type "EffectiveDoseRate" is neither a CBV 2.0 measurement type (the ratified enum) nor a URI. ' +
  'The _index says valid only because it did not enforce the schema\'s `uri` format. With that format enforced, ' +
  'the ratified schema rejects it too. Same rule as openepcis Invalid/ObjectEvent_with_non_standard_bizStep.';
const UNNAMESPACED_EXTENSIONS =
  'Wholechain query export: user extension fields without a namespace (attachments, eventGlobalID, transship*, landing*, ' +
  'ilmd harvestStartDate ...). Same rule as openepcis Invalid/ObjectEvent_with_ilmd_field_without_namespace. The ratified ' +
  'schema\'s propertyNames (`uri` format) rejects them too once the format is enforced, which the _index did not do.';
const TRANSFORMATION_ID_NOT_URI =
  'transformationID is a bare UUID or an empty string. The schema requires a URI (`uri` format, not enforced by the _index).';
const EMPTY_DISPOSITION = 'disposition is "", which is neither a CBV word nor a URI. The _index did not enforce the `uri` format.';

/**
 * JSON documents that the _index marks `ratified201Schema: valid` (and not as a negative test)
 * but that Lotline rejects. For each one: the reason, and the first problem we must report.
 */
const VALID_IN_INDEX_BUT_REJECTED: Readonly<Record<string, { reason: string; first: [string, string] }>> = {
  [`${OE}/Capture/Documents/TransactionEvent_with_userExtensions.json`]: {
    reason: NOT_A_MEASUREMENT_TYPE,
    first: [`${E}/0/sensorElementList/0/sensorReport/0/type`, 'cbvBareWord'],
  },
  [`${OE}/Query/TransactionEvent_with_userExtensions.json`]: {
    reason: NOT_A_MEASUREMENT_TYPE,
    first: [`${Q}/0/sensorElementList/0/sensorReport/0/type`, 'cbvBareWord'],
  },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_1.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/attachments`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_2.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/attachments`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_3.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/transshipmentCountry`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_9.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/transshipmentCountry`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_10.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/transshipmentCountry`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_11.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/attachments`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_14.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/1/attachments`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_17.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/2/ilmd/harvestStartDate`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_18.jsonld`]: { reason: UNNAMESPACED_EXTENSIONS, first: [`${Q}/0/attachments`, 'extensionNamespace'] },
  [`${OT}/EPCISQUERYDOCUMENT_with_errorDeclarations.jsonld`]: {
    reason: UNNAMESPACED_EXTENSIONS,
    first: [`${Q}/0/transshipmentCountry`, 'extensionNamespace'],
  },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_4.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/1/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_6.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/0/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_7.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/1/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_8.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/0/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_12.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/0/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_19.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/0/transformationID`, 'identifierUri'] },
  [`${OT}/all_wholechain_events.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/5/transformationID`, 'identifierUri'] },
  [`${OT}/epcisquerydoc-example01.jsonld`]: { reason: TRANSFORMATION_ID_NOT_URI, first: [`${Q}/20/transformationID`, 'identifierUri'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_13.jsonld`]: { reason: EMPTY_DISPOSITION, first: [`${Q}/1/disposition`, 'cbvBareWord'] },
  [`${OT}/EPCISQUERYDOCUMENT_advanced_15.jsonld`]: { reason: EMPTY_DISPOSITION, first: [`${Q}/1/disposition`, 'cbvBareWord'] },
};

/** Intended-invalid documents: every problem we report, as [pointer, rule], in order. */
const INVALID: Readonly<Record<string, readonly [string, string][]>> = {
  // openepcis JSON/Capture/Invalid (15)
  [`${OE}/Capture/Invalid/Combination_of_events_with_missing_mandatory_fields.json`]: [
    [`${E}/0/action`, 'required'],
    [`${E}/1/eventTimeZoneOffset`, 'required'],
    [`${E}/1/action`, 'required'],
  ],
  [`${OE}/Capture/Invalid/Combination_of_multiple_invalid_fields.json`]: [
    [`${E}/0/bizStep`, 'cbvBareWord'],
    [`${E}/1/disposition`, 'cbvBareWord'],
    [`${E}/2/sourceList/0/type`, 'cbvBareWord'],
    [`${E}/3/ilmd/materialType`, 'extensionNamespace'],
    [`${E}/4/eventTime`, 'dateTime'],
    [`${E}/4/action`, 'enum'],
  ],
  [`${OE}/Capture/Invalid/Combination_of_non_standard_bizStep_and_disposition.json`]: [
    [`${E}/0/bizStep`, 'cbvBareWord'],
    [`${E}/1/disposition`, 'cbvBareWord'],
  ],
  [`${OE}/Capture/Invalid/EPCISDocument_without_context.json`]: [['/@context', 'required']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_ilmd_field_without_namespace.json`]: [[`${E}/0/ilmd/materialType`, 'extensionNamespace']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_invalid_action.json`]: [[`${E}/0/action`, 'enum']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_invalid_certificationInfo.json`]: [
    [`${E}/0/certificationInfo/0`, 'type'],
    [`${E}/0/certificationInfo/1`, 'type'],
  ],
  [`${OE}/Capture/Invalid/ObjectEvent_with_invalid_eventTime_format.json`]: [[`${E}/0/eventTime`, 'dateTime']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_non_standard_bizStep.json`]: [[`${E}/0/bizStep`, 'cbvBareWord']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_non_standard_bizStep_in_second_event.json`]: [[`${E}/1/bizStep`, 'cbvBareWord']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_non_standard_disposition.json`]: [[`${E}/0/disposition`, 'cbvBareWord']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_quantity_as_text.json`]: [[`${E}/0/quantityList/0/quantity`, 'type']],
  [`${OE}/Capture/Invalid/ObjectEvent_with_unknown_field_in_quantityList.json`]: [[`${E}/0/quantityList/0/weight`, 'additionalProperties']],
  [`${OE}/Capture/Invalid/ObjectEvent_without_action_and_eventTime.json`]: [
    [`${E}/0/eventTime`, 'required'],
    [`${E}/0/eventTimeZoneOffset`, 'required'],
    [`${E}/0/action`, 'required'],
  ],
  [`${OE}/Capture/Invalid/ObjectEvent_without_identifier_list.json`]: [[`${E}/0/epcList`, 'required']],
  // openepcis JSON/Query/Invalid (2)
  [`${OE}/Query/Invalid/QueryDocument_with_invalid_action.json`]: [[`${Q}/0/action`, 'enum']],
  [`${OE}/Query/Invalid/QueryDocument_with_invalid_eventType.json`]: [[`${Q}/0/type`, 'eventType']],
  // Schema-invalid in the _index, though not flagged as negative tests upstream.
  [`${OE}/Capture/Documents/SensorData_with_combined_events.json`]: [
    [`${E}/7/sensorElementList/0/sensorReport/1/type`, 'cbvBareWord'], // "Molar_concentration"
    [`${E}/7/sensorElementList/0/sensorReport/2/type`, 'cbvBareWord'],
    [`${E}/8/sensorElementList/0/sensorReport/0/type`, 'required'], // the one the _index reports
    [`${E}/8/sensorElementList/0/sensorReport/1/type`, 'required'],
    [`${E}/10/sensorElementList/0/sensorReport/0/type`, 'cbvBareWord'],
  ],
  [`${OE}/Query/SensorData_with_combined_events.json`]: [
    [`${Q}/7/sensorElementList/0/sensorReport/1/type`, 'cbvBareWord'],
    [`${Q}/7/sensorElementList/0/sensorReport/2/type`, 'cbvBareWord'],
    [`${Q}/8/sensorElementList/0/sensorReport/0/type`, 'required'],
    [`${Q}/8/sensorElementList/0/sensorReport/1/type`, 'required'],
    [`${Q}/10/sensorElementList/0/sensorReport/0/type`, 'cbvBareWord'],
  ],
  [`${OT}/EPCISQueryDocument_with_masterdata.jsonld`]: [[`${Q}/0/eventTime`, 'timeZone']],
  // EPCIS 1.x CBV URNs (urn:epcglobal:cbv:...) in JSON, which the ratified schema forbids.
  'gs1-epcis/XML/WithEventHashID/event_with_identical_hash_id_7.json': [
    [`${E}/0/bizStep`, 'cbvUri'],
    [`${E}/0/disposition`, 'cbvUri'],
    [`${E}/0/persistentDisposition/set/0`, 'cbvUri'],
    [`${E}/0/persistentDisposition/unset/0`, 'cbvUri'],
    [`${E}/0/bizTransactionList/0/type`, 'cbvUri'],
    [`${E}/0/sourceList/0/type`, 'cbvUri'],
    [`${E}/0/sourceList/1/type`, 'cbvUri'],
    [`${E}/0/sourceList/2/type`, 'cbvUri'],
    [`${E}/0/destinationList/0/type`, 'cbvUri'],
    [`${E}/0/destinationList/1/type`, 'cbvUri'],
    [`${E}/0/destinationList/2/type`, 'cbvUri'],
  ],
  // A user-defined event type: valid against the schema's Extended-Event, but not one of Lotline's five types.
  'gs1-epcis/JSON-Schema/test/Extended-Event.json': [['/type', 'eventType']],
};

/** Files that are not strict JSON. */
const MALFORMED = [
  `${OT}/EPCISQueryDocument_malformed.jsonld`,
  `${OT}/EPCISQUERYDOCUMENT_advanced_5.jsonld`, // trailing commas
  'opentraceability/CSharp/OpenTraceability.TestServer/Data/beef-leather-example/events.jsonld', // // comments
];

// ---------------------------------------------------------------------------------------------

describe.skipIf(!hasConformance)('EPCIS conformance examples', () => {
  const index = hasConformance ? readConformanceJson<{ documents: IndexRecord[] }>('_index', 'epcis-documents.json').documents : [];

  it('bundles the ratified schema and context byte for byte', () => {
    for (const name of ['epcis-json-schema.json', 'epcis-context.jsonld']) {
      const bundled = readFileSync(new URL(`../../src/core/epcis/schema/${name}`, import.meta.url));
      const shared = readFileSync(conformancePath('gs1-epcis-ratified-2.0.1', name));
      expect(bundled.equals(shared), name).toBe(true);
    }
  });

  describe('the 47 official GS1 JSON-LD examples', () => {
    const files = hasConformance ? listConformanceFiles('gs1-epcis/JSON', ['.jsonld']) : [];

    it('are all there', () => {
      expect(files).toHaveLength(47);
    });

    it.each(files)('%s is accepted and indexes sanely', (path) => {
      const r = validateEpcisDocument(parse(path), { allowQueryDocument: true });
      expect(problems(r)).toEqual([]);
      if (r.ok) {
        expect(r.value.events.length).toBeGreaterThan(0);
        expectSaneIndex(r.value, path);
      }
    });

    it('EPCISDocuments are accepted without the query-document option, the query document only with it', () => {
      for (const path of files) {
        const doc = parse(path);
        const isQuery = (doc as { type: string }).type === 'EPCISQueryDocument';
        expect(validateEpcisDocument(doc).ok, path).toBe(!isQuery);
      }
      expect(files.filter((f) => (parse(f) as { type: string }).type === 'EPCISQueryDocument')).toEqual(['gs1-epcis/JSON/EPCISQueryDocument.jsonld']);
    });
  });

  describe('documents the _index marks schema-valid', () => {
    const valid = index.filter((r) => r.format === 'json' && r.ratified201Schema === 'valid' && r.upstreamIntent === undefined);
    const accepted = valid.filter((r) => !(r.path in VALID_IN_INDEX_BUT_REJECTED));

    it('include every listed exception (the list is not stale)', () => {
      expect(valid.length).toBe(155);
      for (const path of Object.keys(VALID_IN_INDEX_BUT_REJECTED)) expect(valid.map((r) => r.path)).toContain(path);
    });

    it.each(accepted.map((r) => r.path))('%s is accepted', (path) => {
      const doc = parse(path);
      const r = validate(doc);
      expect(problems(r)).toEqual([]);
      if (r.ok && (r.value as { type?: unknown }).type !== undefined) {
        const d = validateEpcisDocument(doc, { allowQueryDocument: true });
        if (d.ok) expectSaneIndex(d.value, path);
      }
    });

    it.each(Object.entries(VALID_IN_INDEX_BUT_REJECTED))('%s is rejected (see reason)', (path, { reason, first }) => {
      const r = validate(parse(path));
      expect(reason.length).toBeGreaterThan(20);
      expect(problems(r)[0]).toEqual(first);
    });
  });

  describe('intended-invalid documents', () => {
    it('cover every upstream negative test that fails some EPCIS rule', () => {
      const negatives = index
        .filter((r) => r.format === 'json' && r.upstreamIntent !== undefined && r.root !== undefined && r.root !== null)
        .map((r) => r.path);
      const gdst = negatives.filter((p) => /\/gdst_[^/]*(invalid|missing)[^/]*\.jsonld$/.test(p));
      const covered = negatives.filter((p) => p in INVALID);
      // Negative tests we accept, with the reason: GDST profile rules, and duplicate eventIDs (see below).
      expect(negatives.filter((p) => !covered.includes(p) && !gdst.includes(p))).toEqual([`${OT}/EPCISQueryDocument_duplicate_eventIDs.jsonld`]);
      expect(covered).toHaveLength(17);
    });

    it.each(Object.entries(INVALID))('%s is rejected at the right pointers', (path, expected) => {
      const r = validate(parse(path));
      expect(r.ok).toBe(false);
      expect(problems(r)).toEqual(expected);
      if (!r.ok) for (const d of r.error) expect(d.message.length, d.pointer).toBeGreaterThan(10);
    });

    it('rejects query documents unless asked to accept them', () => {
      const r = validateEpcisDocument(parse(`${OE}/Query/Invalid/QueryDocument_with_invalid_action.json`));
      expect(problems(r)).toEqual([['/type', 'documentType']]);
    });

    it('fails malformed JSON at JSON.parse with a SyntaxError (the HTTP layer maps it to MalformedJsonException)', () => {
      for (const path of MALFORMED) expect(() => JSON.parse(readConformanceText(path)), path).toThrow(SyntaxError);
      const malformed = index.filter((r) => (r as { parseError?: string }).parseError !== undefined).map((r) => r.path);
      expect([...malformed].sort()).toEqual([...MALFORMED].sort());
    });

    it('rejects a leading byte order mark at JSON.parse too, so callers must strip it first', () => {
      const text = readConformanceText(`${OT}/epcisdocument-example01.jsonld`);
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(validate(parse(`${OT}/epcisdocument-example01.jsonld`)).ok).toBe(true);
    });
  });

  describe('negative tests of other profiles, which are valid EPCIS', () => {
    // The GDST negative files break GDST profile rules (GDST enums, IMO and country-code patterns,
    // required GDST KDEs), which upstream checks with a GDST schema that extends the ratified one.
    // They are valid EPCIS 2.0, so a plain EPCIS capture must accept them. GDST checks would be a
    // separate profile validator.
    const gdst = hasConformance ? listConformanceFiles(OT, ['.jsonld']).filter((p) => /\/gdst_[^/]*(invalid|missing)/.test(p)) : [];

    it('finds the GDST negative files', () => {
      expect(gdst).toHaveLength(15);
    });

    it.each(gdst)('%s is accepted', (path) => {
      expect(problems(validate(parse(path)))).toEqual([]);
    });

    it('accepts duplicate eventIDs: de-duplication is the store’s concern, and upstream examples repeat events on purpose', () => {
      expect(validate(parse(`${OT}/EPCISQueryDocument_duplicate_eventIDs.jsonld`)).ok).toBe(true);
      expect(validate(parse('epcis-event-hash-generator/tests/examples/epcisDocHavingEventWithIgnoreFields.jsonld')).ok).toBe(true);
    });
  });

  describe('robustness', () => {
    const officials = hasConformance ? listConformanceFiles('gs1-epcis/JSON', ['.jsonld']).map((p) => parse(p)) : [];
    const bigUris = Array.from({ length: 20_000 }, (_, i) => `urn:epc:id:sgtin:9521234.054321.${i}`);
    const bigJunk = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? `junk ${i}` : i));
    const junk = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.object(),
      fc.array(fc.anything(), { maxLength: 5 }),
      fc.constantFrom<unknown>(bigUris, bigJunk, 'x'.repeat(100_000), '', 'urn:', 'https://', 'cbv:', '__proto__', '\u0000'),
      fc.constantFrom<unknown>('shipping', 'ADD', 'ObjectEvent', '2025-02-30T00:00:00Z', '+25:00', 'example:x', -1, 1e308),
    );
    const mutation = fc.record({
      path: fc.array(fc.nat(), { maxLength: 8 }),
      kind: fc.constantFrom('delete', 'replace', 'insert'),
      key: fc.oneof(fc.string(), fc.constantFrom('type', 'action', 'epcList', '@context', 'ilmd', 'eventTime', '__proto__', 'example:x')),
      value: junk,
    });

    /** Apply a mutation at a path chosen by indexes into the keys/items met on the way down. */
    function mutate(root: unknown, m: { path: number[]; kind: string; key: string; value: unknown }): unknown {
      let node = root;
      for (const step of m.path) {
        const keys = Array.isArray(node) ? node.map((_, i) => i) : node !== null && typeof node === 'object' ? Object.keys(node) : [];
        if (keys.length === 0) break;
        const next = (node as Record<string | number, unknown>)[keys[step % keys.length] as string | number];
        if (next === null || typeof next !== 'object') break;
        node = next;
      }
      if (node === null || typeof node !== 'object') return m.value;
      const rec = node as Record<string | number, unknown>;
      const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      const target = keys.length === 0 ? m.key : keys[(m.path[m.path.length - 1] ?? 0) % keys.length];
      if (m.kind === 'insert' || target === undefined) {
        if (Array.isArray(node)) node.push(m.value);
        else Object.defineProperty(rec, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      } else if (m.kind === 'delete') {
        if (Array.isArray(node)) node.splice(Number(target), 1);
        else delete rec[target];
      } else rec[target] = m.value;
      return root;
    }

    const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;
    /** The value at a JSON pointer, or undefined. */
    const resolve = (root: unknown, pointer: string): unknown =>
      pointer === ''
        ? root
        : pointer
            .slice(1)
            .split('/')
            .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
            .reduce<unknown>((cur, t) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[t] : undefined), root);

    it('never throws on mutated official examples; errors point into the document; accepted events index', () => {
      fc.assert(
        fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, mutations) => {
          let doc: unknown = structuredClone(officials[pick % officials.length]);
          for (const m of mutations) doc = mutate(doc, m);
          const r = validateEpcisDocument(doc, { allowQueryDocument: true });
          if (r.ok) {
            for (const { event, context } of r.value.events) expect(eventIndex(event, context).eventTime).toMatch(ISO_UTC_MS);
          } else {
            expect(r.error.length).toBeGreaterThan(0);
            expect(r.error.length).toBeLessThanOrEqual(MAX_ERROR_DETAILS);
            for (const d of r.error) {
              expect(d.pointer).toMatch(POINTER);
              expect(typeof d.message).toBe('string');
              expect(typeof d.rule).toBe('string');
              // The pointer names an existing value or a (missing) member of an existing object.
              const parent = d.pointer.slice(0, Math.max(0, d.pointer.lastIndexOf('/')));
              expect(resolve(doc, d.pointer) !== undefined || resolve(doc, parent) !== undefined, d.pointer).toBe(true);
            }
          }
          const list = (doc as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList;
          const one = Array.isArray(list) ? list[pick % Math.max(1, list.length)] : doc;
          const e = validateEpcisEvent(one);
          expect(typeof e.ok).toBe('boolean');
        }),
        { numRuns: 300 },
      );
    });
  });
});

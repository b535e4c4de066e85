import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../errors.ts';
import { contextPrefixes } from './cbv.ts';
import { MAX_ERROR_DETAILS, validateEpcisDocument, validateEpcisEvent } from './validate.ts';

type Json = Record<string, unknown>;

const STANDARD = 'https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld';

const objectEvent = (): Json => ({
  type: 'ObjectEvent',
  eventTime: '2025-09-05T10:00:00.000+02:00',
  eventTimeZoneOffset: '+02:00',
  eventID: 'urn:uuid:6f1c2a8e-0000-4000-8000-000000000001',
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  epcList: ['https://id.gs1.org/01/09521234543213/21/1', 'urn:epc:id:sgtin:9521234.054321.2'],
  readPoint: { id: 'urn:epc:id:sgln:9521234.00001.0' },
  bizLocation: { id: 'https://id.gs1.org/414/9521234000013' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:9521234000013:PO-1' }],
});

const documentWith = (...events: unknown[]): Json => ({
  '@context': [STANDARD, { example: 'http://ns.example.com/epcis/' }],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2025-09-05T10:00:00Z',
  epcisBody: { eventList: events },
});

/** Validate a document holding one (mutated) ObjectEvent and return its details. */
function errorsOf(mutate: (e: Json) => void, make: () => Json = objectEvent): readonly ErrorDetail[] {
  const event = make();
  mutate(event);
  const r = validateEpcisDocument(documentWith(event));
  return r.ok ? [] : r.error;
}

const at0 = (suffix: string): string => `/epcisBody/eventList/0${suffix}`;

describe('bundled schema', () => {
  it('is the ratified 2.0.1 artefact, unmodified (published SHA-256 and length)', () => {
    const digest = (name: string): [string, number] => {
      const bytes = readFileSync(new URL(`./schema/${name}`, import.meta.url));
      return [createHash('sha256').update(bytes).digest('hex'), bytes.length];
    };
    expect(digest('epcis-json-schema.json')).toEqual(['0f46ff694efffd8d8ce840a33dfde84228add11b516b8b258f3200740ae210af', 55680]);
    expect(digest('epcis-context.jsonld')).toEqual(['5056c65f991425b1d3a35e35edf4f7d0c7ff56cf688c2912b930f93494713737', 20690]);
  });
});

describe('validateEpcisDocument', () => {
  it('accepts a typical document and returns its events with pointers and prefix scopes', () => {
    const second = { ...objectEvent(), '@context': { ext: 'https://ext.example.org/' }, 'ext:lot': 'L1' };
    const r = validateEpcisDocument(documentWith(objectEvent(), second));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.type).toBe('EPCISDocument');
    expect(r.value.events.map((e) => e.pointer)).toEqual(['/epcisBody/eventList/0', '/epcisBody/eventList/1']);
    expect(r.value.events[0]?.context.prefixes.get('example')).toBe('http://ns.example.com/epcis/');
    expect(r.value.events[0]?.context.prefixes.has('ext')).toBe(false);
    expect(r.value.events[1]?.context.prefixes.get('ext')).toBe('https://ext.example.org/');
    expect(r.value.events[1]?.context.prefixes.get('example')).toBe('http://ns.example.com/epcis/');
    expect(r.value.events[1]?.event).toBe(second);
  });

  it('accepts an empty event list (the schema allows it)', () => {
    expect(validateEpcisDocument(documentWith()).ok).toBe(true);
  });

  it('rejects what is not an EPCISDocument', () => {
    expect(validateEpcisDocument(null)).toEqual({ ok: false, error: [expect.objectContaining({ pointer: '', rule: 'type' })] });
    expect(validateEpcisDocument([])).toEqual({ ok: false, error: [expect.objectContaining({ pointer: '', rule: 'type' })] });
    const { type: _type, ...untyped } = documentWith();
    expect(validateEpcisDocument(untyped)).toEqual({ ok: false, error: [expect.objectContaining({ pointer: '/type', rule: 'required' })] });
    expect(validateEpcisDocument({ ...documentWith(), type: 'ObjectEvent' })).toEqual({
      ok: false,
      error: [expect.objectContaining({ pointer: '/type', rule: 'documentType' })],
    });
  });

  it('accepts an EPCISQueryDocument only when asked, tolerating an epcisHeader', () => {
    const query = {
      '@context': [STANDARD],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: '2025-09-05T10:00:00Z',
      epcisHeader: { StandardBusinessDocumentHeader: { HeaderVersion: '1.0' } },
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [objectEvent()] } } },
    };
    expect(validateEpcisDocument(query)).toEqual({ ok: false, error: [expect.objectContaining({ pointer: '/type', rule: 'documentType' })] });
    const r = validateEpcisDocument(query, { allowQueryDocument: true });
    expect(r.ok && r.value.events.map((e) => e.pointer)).toEqual(['/epcisBody/queryResults/resultsBody/eventList/0']);
    const bad = { ...query, sender: 'x' };
    expect(validateEpcisDocument(bad, { allowQueryDocument: true })).toEqual({
      ok: false,
      error: [expect.objectContaining({ pointer: '/sender', rule: 'extensionNamespace' })],
    });
  });

  it('checks the envelope against the ratified schema', () => {
    const { '@context': _c, ...noContext } = documentWith(objectEvent());
    expect(validateEpcisDocument(noContext)).toEqual({ ok: false, error: [{ pointer: '/@context', message: '@context is required', rule: 'required' }] });
    const { creationDate: _d, ...noDate } = documentWith(objectEvent());
    expect(validateEpcisDocument(noDate)).toMatchObject({ ok: false, error: [{ pointer: '/creationDate', rule: 'required' }] });
    expect(validateEpcisDocument({ ...documentWith(), creationDate: '2025-09-05T10:00:00' })).toMatchObject({
      ok: false,
      error: [{ pointer: '/creationDate', rule: 'format' }],
    });
    expect(validateEpcisDocument({ ...documentWith(), myHeader: 1 })).toMatchObject({
      ok: false,
      error: [{ pointer: '/myHeader', rule: 'extensionNamespace' }],
    });
    expect(validateEpcisDocument({ ...documentWith(), 'example:myHeader': 1 }).ok).toBe(true);
    expect(validateEpcisDocument({ ...documentWith(), epcisBody: {} })).toMatchObject({
      ok: false,
      error: [{ pointer: '/epcisBody/eventList', rule: 'required' }],
    });
  });

  it('reports problems in several events at once, each at its own pointer', () => {
    const bad1 = { ...objectEvent(), bizStep: 'transforming' };
    const bad3 = { ...objectEvent(), action: 'CREATE' };
    const r = validateEpcisDocument(documentWith(objectEvent(), bad1, objectEvent(), bad3));
    expect(r.ok ? [] : r.error.map((e) => [e.pointer, e.rule])).toEqual([
      ['/epcisBody/eventList/1/bizStep', 'cbvBareWord'],
      ['/epcisBody/eventList/3/action', 'enum'],
    ]);
  });

  it(`returns at most ${MAX_ERROR_DETAILS} details`, () => {
    const junk = { ...objectEvent(), epcList: Array.from({ length: 10_000 }, (_, i) => `junk ${i}`) };
    const r = validateEpcisDocument(documentWith(junk, junk));
    expect(r.ok ? 0 : r.error.length).toBe(MAX_ERROR_DETAILS);
  });

  it('gives the benefit of the doubt to prefixes of a remote context it cannot resolve', () => {
    const doc = { ...documentWith({ ...objectEvent(), 'acme:lot': 'L1' }), '@context': [STANDARD, 'https://acme.example/ctx.jsonld'] };
    expect(validateEpcisDocument(doc).ok).toBe(true);
    const doc2 = { ...documentWith({ ...objectEvent(), lot: 'L1' }), '@context': [STANDARD, 'https://acme.example/ctx.jsonld'] };
    expect(validateEpcisDocument(doc2)).toMatchObject({ ok: false, error: [{ pointer: at0('/lot'), rule: 'extensionNamespace' }] });
  });
});

describe('event rules', () => {
  const cases: readonly [string, (e: Json) => void, string, string][] = [
    // when
    ['missing eventTime', (e) => delete e.eventTime, '/eventTime', 'required'],
    ['eventTime without offset', (e) => (e.eventTime = '2025-09-05T10:00:00'), '/eventTime', 'timeZone'],
    ['eventTime garbage', (e) => (e.eventTime = '05/09/2025'), '/eventTime', 'dateTime'],
    ['eventTime number', (e) => (e.eventTime = 1757059200000), '/eventTime', 'type'],
    ['recordTime without offset', (e) => (e.recordTime = '2025-09-05T10:00:00.123'), '/recordTime', 'timeZone'],
    ['missing eventTimeZoneOffset', (e) => delete e.eventTimeZoneOffset, '/eventTimeZoneOffset', 'required'],
    ['eventTimeZoneOffset +2:00', (e) => (e.eventTimeZoneOffset = '+2:00'), '/eventTimeZoneOffset', 'timeZoneOffset'],
    ['eventTimeZoneOffset +15:00', (e) => (e.eventTimeZoneOffset = '+15:00'), '/eventTimeZoneOffset', 'timeZoneOffset'],
    ['eventTimeZoneOffset Z', (e) => (e.eventTimeZoneOffset = 'Z'), '/eventTimeZoneOffset', 'timeZoneOffset'],
    // type and action
    ['unknown event type', (e) => (e.type = 'ObjectEventInvalid'), '/type', 'eventType'],
    ['extension event type', (e) => (e.type = 'example:CustomEvent'), '/type', 'eventType'],
    ['missing type', (e) => delete e.type, '/type', 'required'],
    ['missing action', (e) => delete e.action, '/action', 'required'],
    ['invalid action', (e) => (e.action = 'CREATE'), '/action', 'enum'],
    ['lower-case action', (e) => (e.action = 'observe'), '/action', 'enum'],
    // CBV vocabularies
    ['non-CBV bizStep', (e) => (e.bizStep = 'transforming'), '/bizStep', 'cbvBareWord'],
    ['bizStep of the wrong case', (e) => (e.bizStep = 'Shipping'), '/bizStep', 'cbvBareWord'],
    ['bizStep as EPCIS 1.x URN', (e) => (e.bizStep = 'urn:epcglobal:cbv:bizstep:shipping'), '/bizStep', 'cbvUri'],
    ['bizStep number', (e) => (e.bizStep = 7), '/bizStep', 'type'],
    ['bizStep with a space', (e) => (e.bizStep = 'example:my step'), '/bizStep', 'format'],
    ['non-CBV disposition', (e) => (e.disposition = 'in_transport'), '/disposition', 'cbvBareWord'],
    ['a bizStep word as disposition', (e) => (e.disposition = 'shipping'), '/disposition', 'cbvBareWord'],
    ['persistent disposition', (e) => (e.persistentDisposition = { set: ['active', 'fresh'] }), '/persistentDisposition/set/1', 'cbvBareWord'],
    ['bizTransaction type', (e) => (e.bizTransactionList = [{ type: 'purchase', bizTransaction: 'urn:x:1' }]), '/bizTransactionList/0/type', 'cbvBareWord'],
    ['source type', (e) => (e.sourceList = [{ type: 'place', source: 'urn:epc:id:sgln:9521234.00001.0' }]), '/sourceList/0/type', 'cbvBareWord'],
    ['destination type', (e) => (e.destinationList = [{ type: 'buyer', destination: 'urn:x:d' }]), '/destinationList/0/type', 'cbvBareWord'],
    ['error reason', (e) => (e.errorDeclaration = { declarationTime: '2025-09-06T00:00:00Z', reason: 'oops' }), '/errorDeclaration/reason', 'cbvBareWord'],
    ['declarationTime without offset', (e) => (e.errorDeclaration = { declarationTime: '2025-09-06T00:00:00' }), '/errorDeclaration/declarationTime', 'timeZone'],
    ['missing declarationTime', (e) => (e.errorDeclaration = { reason: 'did_not_occur' }), '/errorDeclaration/declarationTime', 'required'],
    ['measurement type', (e) => (e.sensorElementList = [{ sensorReport: [{ type: 'Temp', value: 1 }] }]), '/sensorElementList/0/sensorReport/0/type', 'cbvBareWord'],
    ['measurement type as GS1 Web Vocabulary URI', (e) => (e.sensorElementList = [{ sensorReport: [{ type: 'https://gs1.org/voc/Temperature' }] }]), '/sensorElementList/0/sensorReport/0/type', 'cbvUri'],
    ['missing measurement type', (e) => (e.sensorElementList = [{ sensorReport: [{ value: 1 }] }]), '/sensorElementList/0/sensorReport/0/type', 'required'],
    ['sensor alert', (e) => (e.sensorElementList = [{ sensorReport: [{ type: 'Temperature', exception: 'ALARM' }] }]), '/sensorElementList/0/sensorReport/0/exception', 'cbvBareWord'],
    ['sensor time without offset', (e) => (e.sensorElementList = [{ sensorMetadata: { time: '2025-09-05T10:00:00' }, sensorReport: [{ type: 'Temperature' }] }]), '/sensorElementList/0/sensorMetadata/time', 'timeZone'],
    ['empty sensorReport', (e) => (e.sensorElementList = [{ sensorReport: [] }]), '/sensorElementList/0/sensorReport', 'minItems'],
    // identifiers
    ['EPC that is not a URI', (e) => (e.epcList = ['urn:epc:id:sgtin:9521234.054321.1', 'ABC 123']), '/epcList/1', 'identifierUri'],
    ['empty EPC', (e) => (e.epcList = ['']), '/epcList/0', 'identifierUri'],
    ['EPC URN without a value', (e) => (e.epcList = ['urn:epc:id:sgtin:']), '/epcList/0', 'identifierUri'],
    ['web URI without host', (e) => (e.epcList = ['https:///01/09521234543213']), '/epcList/0', 'identifierUri'],
    ['EPC number', (e) => (e.epcList = [9521234054321]), '/epcList/0', 'type'],
    ['epcList not an array', (e) => (e.epcList = 'urn:epc:id:sgtin:9521234.054321.1'), '/epcList', 'type'],
    ['duplicate EPC', (e) => (e.epcList = ['urn:x:1', 'urn:x:2', 'urn:x:1']), '/epcList/2', 'uniqueItems'],
    ['readPoint without id', (e) => (e.readPoint = {}), '/readPoint/id', 'required'],
    ['readPoint id not a URI', (e) => (e.readPoint = { id: 'dock 4' }), '/readPoint/id', 'format'],
    ['certificationInfo object', (e) => (e.certificationInfo = [{ agency: 'x' }]), '/certificationInfo/0', 'type'],
    ['certificationInfo not a URI', (e) => (e.certificationInfo = 'certified'), '/certificationInfo', 'format'],
    // quantities
    ['negative quantity', (e) => (e.quantityList = [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: -1 }]), '/quantityList/0/quantity', 'quantity'],
    ['quantity as text', (e) => (e.quantityList = [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: '5' }]), '/quantityList/0/quantity', 'type'],
    ['epcClass not a URI', (e) => (e.quantityList = [{ epcClass: 'flour', quantity: 5 }]), '/quantityList/0/epcClass', 'identifierUri'],
    ['unknown quantity field', (e) => (e.quantityList = [{ epcClass: 'urn:x:c', weight: 5 }]), '/quantityList/0/weight', 'additionalProperties'],
    ['bad uom', (e) => (e.quantityList = [{ epcClass: 'urn:x:c', quantity: 5, uom: 'kg' }]), '/quantityList/0/uom', 'pattern'],
    ['no what', (e) => delete e.epcList, '/epcList', 'required'],
    // extensions
    ['extension without namespace', (e) => (e.lotNumber = 'L1'), '/lotNumber', 'extensionNamespace'],
    ['extension with undeclared prefix', (e) => (e['acme:lotNumber'] = 'L1'), '/acme:lotNumber', 'extensionNamespace'],
    ['extension key with / and ~', (e) => (e['a/b~c'] = 1), '/a~1b~0c', 'extensionNamespace'],
    ['ilmd field without namespace', (e) => (e.ilmd = { lot: 'L1' }), '/ilmd/lot', 'extensionNamespace'],
    ['ilmd on an OBSERVE', (e) => (e.ilmd = { 'example:lot': 'L1' }), '/ilmd', 'ilmdAction'],
    ['readPoint extension without namespace', (e) => (e.readPoint = { id: 'urn:x:rp', dock: 4 }), '/readPoint/dock', 'extensionNamespace'],
    ['sensor report extension without namespace', (e) => (e.sensorElementList = [{ sensorReport: [{ type: 'Temperature', probe: 'A' }] }]), '/sensorElementList/0/sensorReport/0/probe', 'extensionNamespace'],
    ['field of another event type', (e) => (e.childEPCs = ['urn:x:1']), '/childEPCs', 'additionalProperties'],
  ];

  it.each(cases.map(([name, mutate, pointer, rule]) => ({ name, mutate, pointer, rule })))('$name → $pointer ($rule)', ({ mutate, pointer, rule }) => {
    const details = errorsOf(mutate);
    expect(details.map((d) => [d.pointer, d.rule])).toContainEqual([at0(pointer), rule]);
    for (const d of details) expect(d.message.length).toBeGreaterThan(5);
  });

  it('accepts non-standard vocabulary values written as URIs or declared CURIEs, and namespaced extensions', () => {
    const ok = (mutate: (e: Json) => void): void => expect(errorsOf(mutate)).toEqual([]);
    ok((e) => (e.bizStep = 'example:transforming'));
    ok((e) => (e.bizStep = 'https://ns.example.com/bizstep/transforming'));
    ok((e) => (e.bizStep = 'cbv:BizStep-shipping'));
    ok((e) => (e.bizStep = 'https://ref.gs1.org/cbv/BizStep-shipping'));
    ok((e) => (e.disposition = 'urn:example:disp:quarantined'));
    ok((e) => (e['example:lotNumber'] = 'L1'));
    ok((e) => (e['https://ns.example.com/epcis/lotNumber'] = { nested: { anything: [1, 'two'] } }));
    ok((e) => {
      e.action = 'ADD';
      e.ilmd = { 'example:lot': 'L1', 'cbvmda:lotNumber': 'L1' };
    });
    ok((e) => (e.epcList = []));
    ok((e) => (e.eventTimeZoneOffset = '-14:00'));
    ok((e) => (e.eventTime = '2025-09-05T10:00:00.123456789Z'));
    ok((e) => {
      delete e.epcList;
      e.quantityList = [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: 0, uom: 'KGM' }];
    });
    ok((e) => (e.sensorElementList = [{ sensorReport: [{ type: 'example:Ripeness', exception: 'ERROR_CONDITION', component: 'x' }] }]));
  });

  it('applies the rules of each event type', () => {
    const agg = (): Json => ({ ...objectEvent(), type: 'AggregationEvent', parentID: 'urn:epc:id:sscc:9521234.0000000001', childEPCs: ['urn:x:1'], epcList: undefined });
    const clean = (e: Json): Json => JSON.parse(JSON.stringify(e)) as Json;
    expect(errorsOf(() => {}, () => clean(agg()))).toEqual([]);
    expect(errorsOf((e) => (e.parentID = 'pallet 1'), () => clean(agg())).map((d) => d.pointer)).toEqual([at0('/parentID')]);
    expect(errorsOf((e) => delete e.childEPCs, () => clean(agg())).map((d) => [d.pointer, d.rule])).toEqual([[at0('/childEPCs'), 'required']]);
    expect(errorsOf((e) => {
      delete e.childEPCs;
      e.action = 'DELETE';
    }, () => clean(agg()))).toEqual([]);
    const assoc = (): Json => ({ ...clean(agg()), type: 'AssociationEvent' });
    expect(errorsOf((e) => delete e.parentID, assoc).map((d) => [d.pointer, d.rule])).toEqual([[at0('/parentID'), 'required']]);

    const tx = (): Json => ({ ...objectEvent(), type: 'TransactionEvent' });
    expect(errorsOf(() => {}, tx)).toEqual([]);
    expect(errorsOf((e) => delete e.bizTransactionList, tx).map((d) => [d.pointer, d.rule])).toEqual([[at0('/bizTransactionList'), 'required']]);
    expect(errorsOf((e) => (e.bizTransactionList = []), tx).map((d) => [d.pointer, d.rule])).toEqual([[at0('/bizTransactionList'), 'minItems']]);

    const tr = (): Json => {
      const { action: _a, epcList: _l, ...rest } = objectEvent();
      return { ...rest, type: 'TransformationEvent', inputEPCList: ['urn:x:in'], outputEPCList: ['urn:x:out'] };
    };
    expect(errorsOf(() => {}, tr)).toEqual([]);
    expect(errorsOf((e) => (e.action = 'ADD'), tr).map((d) => [d.pointer, d.rule])).toEqual([[at0('/action'), 'additionalProperties']]);
    expect(errorsOf((e) => delete e.outputEPCList, tr).map((d) => [d.pointer, d.rule])).toEqual([[at0('/outputEPCList'), 'required']]);
    expect(errorsOf((e) => {
      delete e.outputEPCList;
      e.transformationID = 'urn:uuid:tr-1';
    }, tr)).toEqual([]);
    expect(errorsOf((e) => {
      delete e.inputEPCList;
      delete e.outputEPCList;
    }, tr).map((d) => [d.pointer, d.rule])).toEqual([[at0('/inputEPCList'), 'required']]);
    expect(errorsOf((e) => (e.transformationID = 'batch 7'), tr).map((d) => [d.pointer, d.rule])).toEqual([[at0('/transformationID'), 'identifierUri']]);
    expect(errorsOf((e) => (e.ilmd = { 'example:lot': 'L1' }), tr)).toEqual([]);
  });
});

describe('validateEpcisEvent', () => {
  it('requires a bare event to carry its @context', () => {
    expect(validateEpcisEvent(objectEvent())).toMatchObject({ ok: false, error: [{ pointer: '/@context', rule: 'required' }] });
    const event = { '@context': [STANDARD], ...objectEvent() };
    expect(validateEpcisEvent(event)).toEqual({ ok: true, value: event });
  });

  it('uses the given scope and pointer for an event of a document', () => {
    const ctx = contextPrefixes([STANDARD, { example: 'http://ns.example.com/epcis/' }]);
    expect(validateEpcisEvent({ ...objectEvent(), 'example:lot': 'L1' }, '/epcisBody/eventList/7', ctx).ok).toBe(true);
    expect(validateEpcisEvent({ ...objectEvent(), 'acme:lot': 'L1' }, '/epcisBody/eventList/7', ctx)).toMatchObject({
      ok: false,
      error: [{ pointer: '/epcisBody/eventList/7/acme:lot', rule: 'extensionNamespace' }],
    });
    const own = { ...objectEvent(), '@context': { acme: 'https://acme.example/' }, 'acme:lot': 'L1', 'example:lot': 'L2' };
    expect(validateEpcisEvent(own, '/x', ctx).ok).toBe(true);
  });

  it('rejects what is not an event', () => {
    expect(validateEpcisEvent('ObjectEvent')).toMatchObject({ ok: false, error: [{ pointer: '', rule: 'type' }] });
    expect(validateEpcisEvent([], '/e', contextPrefixes(undefined))).toMatchObject({ ok: false, error: [{ pointer: '/e', rule: 'type' }] });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true }), (value) => {
        const r = validateEpcisEvent(value);
        const d = validateEpcisDocument(value, { allowQueryDocument: true });
        return typeof r.ok === 'boolean' && typeof d.ok === 'boolean';
      }),
      { numRuns: 500 },
    );
  });
});

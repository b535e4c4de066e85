import { describe, expect, it } from 'vitest';
import { STANDARD_PREFIXES, contextPrefixes } from './cbv.ts';
import {
  type AggregationEvent,
  type AssociationEvent,
  EVENT_TYPES,
  EpcisEvent,
  type ObjectEvent,
  type TransactionEvent,
  type TransformationEvent,
  checkTimeStamp,
  eventIndex,
  normaliseTimeStamp,
} from './event.ts';

describe('time stamps', () => {
  it('normalises to UTC with milliseconds', () => {
    expect(normaliseTimeStamp('2025-09-05T10:00:00+02:00')).toBe('2025-09-05T08:00:00.000Z');
    expect(normaliseTimeStamp('2025-09-05T08:00:00Z')).toBe('2025-09-05T08:00:00.000Z');
    expect(normaliseTimeStamp('2025-09-05t08:00:00.5z')).toBe('2025-09-05T08:00:00.500Z');
    expect(normaliseTimeStamp('2005-04-03T20:33:31.116000-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(normaliseTimeStamp('2022-03-04T11:11:25.7520000+00:00')).toBe('2022-03-04T11:11:25.752Z');
    expect(normaliseTimeStamp('2025-12-31T23:30:00-01:00')).toBe('2026-01-01T00:30:00.000Z');
  });

  it('rounds sub-millisecond digits half up, carrying into seconds', () => {
    expect(normaliseTimeStamp('2025-01-01T00:00:00.1234Z')).toBe('2025-01-01T00:00:00.123Z');
    expect(normaliseTimeStamp('2025-01-01T00:00:00.1235Z')).toBe('2025-01-01T00:00:00.124Z');
    expect(normaliseTimeStamp('2025-01-01T00:00:59.9995Z')).toBe('2025-01-01T00:01:00.000Z');
  });

  it('tells a missing offset apart from garbage', () => {
    expect(checkTimeStamp('2025-09-05T10:00:00+02:00')).toBe('ok');
    expect(checkTimeStamp('2023-06-29T12:04:13.013')).toBe('noOffset');
    expect(checkTimeStamp('22-07-2026')).toBe('invalid');
    expect(checkTimeStamp('2025-02-29T00:00:00Z')).toBe('invalid');
    expect(checkTimeStamp('2024-02-29T00:00:00Z')).toBe('ok');
    expect(checkTimeStamp('2025-13-01T00:00:00Z')).toBe('invalid');
    expect(checkTimeStamp('2025-01-01T24:00:00Z')).toBe('invalid');
    expect(checkTimeStamp('2025-01-01T00:00:00+0200')).toBe('invalid');
    expect(checkTimeStamp('2025-01-01 00:00:00Z')).toBe('invalid');
    expect(normaliseTimeStamp('2023-06-29T12:04:13.013')).toBeNull();
  });
});

describe('EpcisEvent companion', () => {
  it('checks the discriminator and narrows', () => {
    expect(EpcisEvent.types).toBe(EVENT_TYPES);
    expect(EVENT_TYPES).toHaveLength(5);
    expect(EpcisEvent.isType('ObjectEvent')).toBe(true);
    expect(EpcisEvent.isType('ObjectEventInvalid')).toBe(false);
    expect(EpcisEvent.isType(undefined)).toBe(false);
    expect(EpcisEvent.is({ type: 'AssociationEvent' })).toBe(true);
    expect(EpcisEvent.is({ type: 'example:CustomEvent' })).toBe(false);
    expect(EpcisEvent.is(null)).toBe(false);
    expect(EpcisEvent.is([])).toBe(false);
    expect(Object.isFrozen(EpcisEvent)).toBe(true);
    const e: EpcisEvent = { type: 'TransformationEvent', eventTime: '2025-01-01T00:00:00Z', eventTimeZoneOffset: '+00:00' };
    expect(EpcisEvent.isTransformationEvent(e)).toBe(true);
    expect(EpcisEvent.isObjectEvent(e)).toBe(false);
  });
});

describe('eventIndex', () => {
  const base = { eventTime: '2025-09-05T10:00:00.000+02:00', eventTimeZoneOffset: '+02:00' } as const;

  it('indexes an ObjectEvent with full URIs for vocabulary values', () => {
    const ctx = contextPrefixes([{ example: 'http://ns.example.com/epcis/' }]);
    const event: ObjectEvent = {
      ...base,
      type: 'ObjectEvent',
      eventID: 'urn:uuid:1',
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'cbv:Disp-in_transit',
      persistentDisposition: { set: ['completeness_verified'], unset: ['example:myDisposition'] },
      epcList: ['urn:epc:id:sgtin:9521234.054321.1', 'https://id.gs1.org/01/09521234543213/21/2'],
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: 5, uom: 'KGM' }],
      readPoint: { id: 'urn:epc:id:sgln:9521234.00001.0' },
      bizLocation: { id: 'urn:epc:id:sgln:9521234.00001.1' },
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:9521234000013:1' }, { bizTransaction: 'urn:x:2' }],
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:9521234.00001' }],
      destinationList: [{ type: 'example:carrier', destination: 'urn:epc:id:pgln:9521234.00002' }],
      certificationInfo: 'https://cert.example.org/1',
    };
    expect(eventIndex(event, ctx)).toEqual({
      type: 'ObjectEvent',
      eventTime: '2025-09-05T08:00:00.000Z',
      eventTimeZoneOffset: '+02:00',
      eventId: 'urn:uuid:1',
      action: 'OBSERVE',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      persistentDispositionSet: ['https://ref.gs1.org/cbv/Disp-completeness_verified'],
      persistentDispositionUnset: ['http://ns.example.com/epcis/myDisposition'],
      readPoint: 'urn:epc:id:sgln:9521234.00001.0',
      bizLocation: 'urn:epc:id:sgln:9521234.00001.1',
      transformationId: null,
      parentId: null,
      epcs: ['urn:epc:id:sgtin:9521234.054321.1', 'https://id.gs1.org/01/09521234543213/21/2'],
      inputEpcs: [],
      outputEpcs: [],
      classes: [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: 5, uom: 'KGM' }],
      inputClasses: [],
      outputClasses: [],
      bizTransactions: [
        { type: 'https://ref.gs1.org/cbv/BTT-po', value: 'urn:epcglobal:cbv:bt:9521234000013:1' },
        { type: null, value: 'urn:x:2' },
      ],
      sources: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', value: 'urn:epc:id:pgln:9521234.00001' }],
      destinations: [{ type: 'http://ns.example.com/epcis/carrier', value: 'urn:epc:id:pgln:9521234.00002' }],
      sensorReports: [],
      errorDeclaration: null,
      certifications: ['https://cert.example.org/1'],
    });
  });

  it('puts children of aggregation and association events in epcs/classes and the parent in parentId', () => {
    const agg: AggregationEvent = {
      ...base,
      type: 'AggregationEvent',
      action: 'ADD',
      parentID: 'urn:epc:id:sscc:9521234.0000000001',
      childEPCs: ['urn:epc:id:sgtin:9521234.054321.1'],
      childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: 2 }],
    };
    const ix = eventIndex(agg, STANDARD_PREFIXES);
    expect(ix.parentId).toBe('urn:epc:id:sscc:9521234.0000000001');
    expect(ix.epcs).toEqual(['urn:epc:id:sgtin:9521234.054321.1']);
    expect(ix.classes).toEqual([{ epcClass: 'urn:epc:class:lgtin:9521234.054321.L1', quantity: 2 }]);
    const assoc: AssociationEvent = { ...agg, type: 'AssociationEvent', parentID: 'urn:epc:id:grai:9521234.00001.1' };
    expect(eventIndex(assoc, STANDARD_PREFIXES).parentId).toBe('urn:epc:id:grai:9521234.00001.1');
  });

  it('indexes a TransactionEvent and a TransformationEvent', () => {
    const tx: TransactionEvent = {
      ...base,
      type: 'TransactionEvent',
      action: 'DELETE',
      parentID: 'urn:epc:id:sscc:9521234.0000000001',
      epcList: ['urn:epc:id:sgtin:9521234.054321.1'],
      bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:x:inv:1' }],
    };
    const t = eventIndex(tx, STANDARD_PREFIXES);
    expect([t.action, t.parentId, t.epcs, t.bizTransactions]).toEqual([
      'DELETE',
      'urn:epc:id:sscc:9521234.0000000001',
      ['urn:epc:id:sgtin:9521234.054321.1'],
      [{ type: 'https://ref.gs1.org/cbv/BTT-inv', value: 'urn:x:inv:1' }],
    ]);
    const tr: TransformationEvent = {
      ...base,
      type: 'TransformationEvent',
      transformationID: 'urn:uuid:tr-1',
      inputEPCList: ['urn:epc:id:sgtin:9521234.054321.1'],
      inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:9521234.000001.flour', quantity: 10.5, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:9521234.000002.bread', quantity: 40 }],
      ilmd: { 'example:bestBefore': '2025-10-01' },
    };
    const x = eventIndex(tr, STANDARD_PREFIXES);
    expect(x.action).toBeNull();
    expect(x.transformationId).toBe('urn:uuid:tr-1');
    expect(x.inputEpcs).toEqual(['urn:epc:id:sgtin:9521234.054321.1']);
    expect(x.inputClasses).toHaveLength(1);
    expect(x.outputClasses).toEqual([{ epcClass: 'urn:epc:class:lgtin:9521234.000002.bread', quantity: 40 }]);
    expect(x.epcs).toEqual([]);
  });

  it('flattens sensor reports with their metadata and normalises error declarations', () => {
    const e: ObjectEvent = {
      ...base,
      type: 'ObjectEvent',
      action: 'OBSERVE',
      epcList: [],
      certificationInfo: ['https://cert.example.org/1', 'https://cert.example.org/2'],
      sensorElementList: [
        {
          sensorMetadata: { time: '2025-09-05T09:00:00+02:00', deviceID: 'urn:epc:id:giai:9521234.1', startTime: '2025-09-05T08:00:00+02:00' },
          sensorReport: [
            { type: 'Temperature', value: 4.5, uom: 'CEL' },
            { type: 'gs1:RelativeHumidity', minValue: 40, maxValue: 60, deviceID: 'urn:epc:id:giai:9521234.2', time: '2025-09-05T07:00:00Z' },
            { type: 'https://example.org/Ripeness', exception: 'ALARM_CONDITION', component: 'x', stringValue: 'ripe' },
          ],
        },
      ],
      errorDeclaration: {
        declarationTime: '2025-09-06T10:00:00+02:00',
        reason: 'incorrect_data',
        correctiveEventIDs: ['urn:uuid:c1'],
      },
    };
    const ix = eventIndex(e, STANDARD_PREFIXES);
    expect(ix.sensorReports).toEqual([
      {
        type: 'https://ref.gs1.org/voc/Temperature',
        value: 4.5,
        uom: 'CEL',
        time: '2025-09-05T07:00:00.000Z',
        startTime: '2025-09-05T06:00:00.000Z',
        deviceID: 'urn:epc:id:giai:9521234.1',
      },
      {
        type: 'https://ref.gs1.org/voc/RelativeHumidity',
        minValue: 40,
        maxValue: 60,
        time: '2025-09-05T07:00:00.000Z',
        startTime: '2025-09-05T06:00:00.000Z',
        deviceID: 'urn:epc:id:giai:9521234.2',
      },
      {
        type: 'https://example.org/Ripeness',
        exception: 'https://ref.gs1.org/voc/ALARM_CONDITION',
        component: 'https://ref.gs1.org/cbv/Comp-x',
        stringValue: 'ripe',
        time: '2025-09-05T07:00:00.000Z',
        startTime: '2025-09-05T06:00:00.000Z',
        deviceID: 'urn:epc:id:giai:9521234.1',
      },
    ]);
    expect(ix.errorDeclaration).toEqual({
      declarationTime: '2025-09-06T08:00:00.000Z',
      reason: 'https://ref.gs1.org/cbv/ER-incorrect_data',
      correctiveEventIds: ['urn:uuid:c1'],
    });
    expect(ix.certifications).toEqual(['https://cert.example.org/1', 'https://cert.example.org/2']);
  });
});

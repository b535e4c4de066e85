import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../src/app/trace/identifiers.ts';
import type { MassBalanceReport, ScopeReport, TraceReport } from '../../src/app/trace/types.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

/**
 * A small bakery chain, built event by event, where every number is known: flour lot F1 and film lot
 * P1 make batch B1 (units 1001–1010) on line 1; batch B2 shares F1; case C1 holds 1001–1006, case C2
 * holds 1007–1010; C1 goes to store S1 by van V1, C2 to S2 by van V2 (and B3's case C3 rides V1 too);
 * S1 sells 2 units; C2 is unpacked at S2 and reused for B3's units. A wrong shipment is retracted.
 */
const CP = '6901234';
const sgtin = (item: string, serial: number | string) => `urn:epc:id:sgtin:${CP}.${item}.${serial}`;
const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:${CP}.${item}.${lot}`;
const sscc = (n: number) => `urn:epc:id:sscc:${CP}.${String(n).padStart(10, '0')}`;
const sgln = (loc: string, ext = '0') => `urn:epc:id:sgln:${CP}.${loc}.${ext}`;
const CAKE = '010003';
const FLOUR = '020011';
const FILM = '020028';
const dl = (gtinItem: string, lot: string) => {
  // GTIN-14 of company prefix + item reference with indicator digit 0.
  const body = `0${CP}${gtinItem.slice(1)}`;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return `https://id.gs1.org/01/${body}${(10 - (sum % 10)) % 10}/10/${lot}`;
};
const PLANT = sgln('00001');
const LINE1 = sgln('00001', '1');
const S1 = sgln('00011');
const S2 = sgln('00012');
const V1 = 'urn:epc:id:giai:6901234.V1';
const V2 = 'urn:epc:id:giai:6901234.V2';

const at = (h: number, m = 0) => `2025-09-05T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000+08:00`;
const base = (time: string) => ({ eventTime: time, eventTimeZoneOffset: '+08:00' });
const units = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => sgtin(CAKE, from + i));

function story(): unknown[] {
  const produce = (lot: string, inputs: { epcClass: string; quantity: number; uom: string }[], time: string, equipment: string[], shift = 'AM') => ({
    type: 'TransformationEvent',
    ...base(time),
    inputQuantityList: inputs,
    outputQuantityList: [{ epcClass: lgtin(CAKE, lot), quantity: 10 }],
    bizStep: 'creating_class_instance',
    readPoint: { id: LINE1 },
    bizLocation: { id: PLANT },
    'lotline:operator': 'WANG-03',
    'lotline:shift': shift,
    'lotline:equipment': equipment,
    ilmd: { 'cbvmda:lotNumber': lot },
  });
  const commission = (lot: string, from: number, to: number, time: string) => ({
    type: 'ObjectEvent', ...base(time), epcList: units(from, to), action: 'ADD', bizStep: 'commissioning', readPoint: { id: LINE1 }, bizLocation: { id: PLANT }, ilmd: { 'cbvmda:lotNumber': lot },
  });
  const pack = (parent: string, children: string[], time: string, action = 'ADD') => ({ type: 'AggregationEvent', ...base(time), parentID: parent, childEPCs: children, action, bizStep: action === 'ADD' ? 'packing' : 'unpacking' });
  const ship = (cases: string[], to: string, van: string, time: string) => ({
    type: 'ObjectEvent', ...base(time), epcList: cases, action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', readPoint: { id: van },
    sourceList: [{ type: 'location', source: PLANT }], destinationList: [{ type: 'location', destination: to }],
  });
  const receive = (cases: string[], store: string, time: string) => ({ type: 'ObjectEvent', ...base(time), epcList: cases, action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible', readPoint: { id: store }, bizLocation: { id: store } });
  const sell = (serial: number, store: string, time: string) => ({ type: 'ObjectEvent', ...base(time), epcList: [sgtin(CAKE, serial)], action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', bizLocation: { id: store } });
  const wrongShipment = { ...ship([sscc(1)], S2, V2, at(12, 30)), eventID: 'urn:uuid:7b0b1f9e-59a4-4b4a-8c52-0d2f4e1d1a01' };
  return [
    { type: 'ObjectEvent', ...base(at(6)), quantityList: [{ epcClass: lgtin(FLOUR, 'F1'), quantity: 50, uom: 'KGM' }], action: 'OBSERVE', bizStep: 'receiving', bizLocation: { id: PLANT }, sourceList: [{ type: 'location', source: sgln('00099') }] },
    produce('B1', [{ epcClass: lgtin(FLOUR, 'F1'), quantity: 5, uom: 'KGM' }, { epcClass: lgtin(FILM, 'P1'), quantity: 1, uom: 'KGM' }], at(8), ['OVEN-3', 'SEALER-1']),
    produce('B2', [{ epcClass: lgtin(FLOUR, 'F1'), quantity: 5, uom: 'KGM' }], at(9), ['OVEN-2']),
    produce('B3', [{ epcClass: lgtin(FLOUR, 'F2'), quantity: 5, uom: 'KGM' }], at(20), ['OVEN-3'], 'PM'),
    commission('B1', 1001, 1010, at(8, 10)),
    commission('B3', 3001, 3004, at(20, 10)),
    pack(sscc(1), units(1001, 1006), at(8, 20)),
    pack(sscc(2), units(1007, 1010), at(8, 20)),
    pack(sscc(3), units(3001, 3004), at(20, 20)),
    ship([sscc(1)], S1, V1, at(10)),
    ship([sscc(3)], S1, V1, at(13)),
    ship([sscc(2)], S2, V2, at(10)),
    wrongShipment,
    receive([sscc(1)], S1, at(11)),
    receive([sscc(2)], S2, at(11)),
    sell(1001, S1, at(12)),
    sell(1002, S1, at(12, 5)),
    // At S2, C2 is emptied (its units go on the shelf) and later reused for B3's units.
    pack(sscc(2), [], at(14), 'DELETE'),
    pack(sscc(2), units(3001, 3002), at(21)),
    ship([sscc(2)], S1, V2, at(22)),
    { type: 'ObjectEvent', ...base(at(8, 5)), action: 'OBSERVE', bizStep: 'sensor_reporting', readPoint: { id: LINE1 }, bizLocation: { id: PLANT }, sensorElementList: [{ sensorMetadata: { time: at(8, 5) }, sensorReport: [{ type: 'RelativeHumidity', value: 75, uom: 'P1' }] }] },
  ];
}

const documentOf = (events: unknown[]) =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { lotline: 'https://ns.lotline.dev/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: at(23),
    epcisBody: { eventList: events },
  });

describe.each(testEngines())('trace on %s', (engine) => {
  let t: TestApp;
  let beforeRetraction: string;
  const get = async <T>(url: string, status = 200): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth('qa') });
    expect(res.statusCode, res.body).toBe(status);
    return JSON.parse(res.body) as T;
  };
  const capture = async (events: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: documentOf(events) });
    expect(res.statusCode, res.body).toBe(202);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    const events = story();
    // Two documents, so units sold in the second resolve their lot from the first's commissioning.
    await capture(events.slice(0, 12));
    await capture(events.slice(12));
    await new Promise((r) => setTimeout(r, 5));
    beforeRetraction = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // The wrong shipment of C1 to S2 is declared an error.
    const wrong = events[12] as Record<string, unknown>;
    await capture([{ ...wrong, errorDeclaration: { declarationTime: at(23), reason: 'incorrect_data' } }]);
  });
  afterAll(async () => t?.close());

  it('traces a unit upstream to its raw lots, batch context and the humidity at the line', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sgtin(CAKE, 1003))}&direction=upstream`);
    expect(r.query.kind).toBe('unit');
    expect(r.rawLots.map((l) => l.lot).sort()).toEqual([dl(FILM, 'P1'), dl(FLOUR, 'F1')].sort());
    expect(r.batches).toHaveLength(1);
    const b = r.batches[0];
    expect(b?.lot).toBe(dl(CAKE, 'B1'));
    expect(b?.operators).toEqual(['WANG-03']);
    expect(b?.shift).toBe('AM');
    expect(b?.equipment).toEqual(['OVEN-3', 'SEALER-1']);
    expect(b?.environment.map((e) => e.value)).toEqual([75]);
    expect(r.nodes.find((n) => n.id === dl(FLOUR, 'F1'))?.path.map((s) => s.link)).toEqual([null, 'member', 'produced', 'consumed']);
  });

  it('traces a unit downstream: its case, the van, and the store where it was sold', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(`https://brand.example/01/${dl(CAKE, 'B1').slice(22, 36)}/21/1001`)}&direction=downstream`);
    expect(r.shipments.map((s) => [s.vehicle, s.units, s.receivedAt !== null])).toEqual([['https://id.gs1.org/8004/6901234V1', 1, true]]);
    const s1 = r.locations.find((l) => l.place.id === nodeId(S1));
    expect(s1).toMatchObject({ received: 1, sold: 1, onHand: 0 });
  });

  it('traces a raw lot downstream to both batches, their cases and stores, with per-store quantities', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(lgtin(FLOUR, 'F1'))}&direction=downstream`);
    const lots = r.nodes.filter((n) => n.kind === 'lot').map((n) => n.id).sort();
    expect(lots).toEqual([dl(CAKE, 'B1'), dl(CAKE, 'B2'), dl(FLOUR, 'F1')].sort());
    // C2 after it was emptied carries B3, not B1: its second trip (to S1 at 22:00) is not B1's.
    const byStore = Object.fromEntries(r.locations.filter((l) => l.uom === null && l.place.id !== nodeId(PLANT)).map((l) => [l.place.id, { received: l.received, sold: l.sold, onHand: l.onHand }]));
    expect(byStore).toEqual({ [nodeId(S1)]: { received: 6, sold: 2, onHand: 4 }, [nodeId(S2)]: { received: 4, sold: 0, onHand: 4 } });
  });

  it('respects error declarations, and reproduces what was known before one (as of)', async () => {
    const now = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sscc(1))}&direction=downstream`);
    expect(now.shipments.map((s) => s.to?.id)).toEqual([nodeId(S1)]);
    const then = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sscc(1))}&direction=downstream&asOf=${encodeURIComponent(beforeRetraction)}`);
    expect(then.shipments.map((s) => s.to?.id)).toEqual([nodeId(S1), nodeId(S2)]);
  });

  it('balances a lot: every unit of B1 is sold, on a shelf, or named as a difference', async () => {
    const r = await get<MassBalanceReport>(`/api/mass-balance?code=${encodeURIComponent(lgtin(CAKE, 'B1'))}`);
    expect(r).toMatchObject({ produced: 10, shipped: 10, received: 10, sold: 2, onHand: 8, inTransit: 0, accountedPercent: 100 });
    expect(r.differences).toEqual([]);
  });

  it('scopes co-exposure with the rule and evidence for each batch', async () => {
    const r = await get<ScopeReport>(`/api/scope?code=${encodeURIComponent(sgtin(CAKE, 1005))}&rules=raw_lot,session,equipment,vehicle,excursion`);
    const rulesOf = Object.fromEntries(r.items.map((i) => [i.lotNumber, [...new Set(i.evidence.map((e) => e.rule))].sort()]));
    expect(rulesOf).toEqual({ B1: ['downstream', 'excursion'], B2: ['excursion', 'raw_lot', 'session'], B3: ['equipment', 'vehicle'] });
    expect(r.items.find((i) => i.lotNumber === 'B2')?.evidence.find((e) => e.rule === 'raw_lot')?.shared).toBe(dl(FLOUR, 'F1'));
  });

  it('answers bad codes and parameters with 4xx problems that point to the field', async () => {
    const bad = await get<{ errors: { pointer: string }[] }>(`/api/trace?code=${encodeURIComponent('(01)06901234567893(21)1')}`, 400);
    expect(bad.errors[0]?.pointer).toBe('/code');
    await get(`/api/trace?code=${encodeURIComponent('(01)06901234000021')}`, 400);
    await get(`/api/trace?code=${encodeURIComponent(sgtin(CAKE, 999999))}`, 404);
    await get(`/api/trace?code=B1&direction=sideways`, 400);
    const rules = await get<{ errors: { pointer: string }[] }>(`/api/scope?code=B1&rules=raw_lot,moon`, 400);
    expect(rules.errors[0]?.pointer).toBe('/query/rules/1');
    await get(`/api/trace?code=B1&asOf=yesterday`, 400);
  });
});

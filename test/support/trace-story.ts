/* The trace walk-through's story (README, examples/trace-demo.jsonld, test/http/trace.test.ts). */
/**
 * A small bakery chain, built event by event, where every number is known: flour lot F1 and film lot
 * P1 make batch B1 (units 1001–1010) on line 1; batch B2 shares F1; case C1 holds 1001–1006, case C2
 * holds 1007–1010; C1 goes to store S1 by van V1, C2 to S2 by van V2 (and B3's case C3 rides V1 at the same time);
 * S1 sells 2 units; C2 is unpacked at S2 and reused for B3's units. A wrong shipment is retracted.
 */
export const CP = '6901234';
export const sgtin = (item: string, serial: number | string) => `urn:epc:id:sgtin:${CP}.${item}.${serial}`;
export const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:${CP}.${item}.${lot}`;
export const sscc = (n: number) => `urn:epc:id:sscc:${CP}.${String(n).padStart(10, '0')}`;
const sgln = (loc: string, ext = '0') => `urn:epc:id:sgln:${CP}.${loc}.${ext}`;
export const CAKE = '010003';
export const FLOUR = '020011';
export const FILM = '020028';
export const dl = (gtinItem: string, lot: string) => {
  // GTIN-14 of company prefix + item reference with indicator digit 0.
  const body = `0${CP}${gtinItem.slice(1)}`;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return `https://id.gs1.org/01/${body}${(10 - (sum % 10)) % 10}/10/${lot}`;
};
export const PLANT = sgln('00001');
const LINE1 = sgln('00001', '1');
const LINE2 = sgln('00001', '2');
export const S1 = sgln('00011');
export const S2 = sgln('00012');
const V1 = 'urn:epc:id:giai:6901234.V1';
const V2 = 'urn:epc:id:giai:6901234.V2';

export const at = (h: number, m = 0) => `2025-09-05T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000+08:00`;
const base = (time: string) => ({ eventTime: time, eventTimeZoneOffset: '+08:00' });
const units = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => sgtin(CAKE, from + i));

export function story(): unknown[] {
  const produce = (lot: string, inputs: { epcClass: string; quantity: number; uom: string }[], time: string, equipment: string[], shift = 'AM', line = LINE1) => ({
    type: 'TransformationEvent',
    ...base(time),
    inputQuantityList: inputs,
    outputQuantityList: [{ epcClass: lgtin(CAKE, lot), quantity: 10 }],
    bizStep: 'creating_class_instance',
    readPoint: { id: line },
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
    produce('B3', [{ epcClass: lgtin(FLOUR, 'F2'), quantity: 5, uom: 'KGM' }], at(9, 40), ['OVEN-3'], 'PM', LINE2),
    commission('B1', 1001, 1010, at(8, 10)),
    commission('B3', 3001, 3004, at(9, 45)),
    pack(sscc(1), units(1001, 1006), at(8, 20)),
    pack(sscc(2), units(1007, 1010), at(8, 20)),
    pack(sscc(3), units(3001, 3004), at(9, 50)),
    ship([sscc(1)], S1, V1, at(10)),
    ship([sscc(3)], S1, V1, at(10, 30)),
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

export const documentOf = (events: unknown[]) =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { lotline: 'https://ns.lotline.dev/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: at(23),
    epcisBody: { eventList: events },
  });


import { describe, expect, it } from 'vitest';
import type { EpcisEvent } from '../../core/epcis/event.ts';
import { withCheckDigit } from '../../core/gs1/check-digit.ts';
import {
  Cte,
  type Fsma204Lookups,
  type Fsma204Row,
  type LotQuantity,
  compareRows,
  createDayOrder,
  documentNumber,
  fsma204Rows,
  ilmdLotNumber,
  localDateTime,
  localWord,
  referenceDocuments,
  tlcOf,
  unitOfMeasureLabel,
} from './fsma204-rows.ts';

// A bakery (company prefix 6901234) buys flour from a mill (6923450), bakes a batch of mooncakes,
// labels and packs them in two cases, and ships both cases to a store, which sells one.
const MOONCAKE = withCheckDigit('0690123410001');
const FLOUR = withCheckDigit('0692345020011');
const FLOUR_LOT = '250901K01';
const BATCH = '250905-MC-AM-001';
const flourLot = `https://id.gs1.org/01/${FLOUR}/10/${FLOUR_LOT}`;
const batchLot = `https://id.gs1.org/01/${MOONCAKE}/10/${BATCH}`;
const PLANT_GLN = withCheckDigit('690123400001');
const MILL_GLN = withCheckDigit('692345000001');
const STORE_GLN = withCheckDigit('690123410001');
const plant = `https://id.gs1.org/414/${PLANT_GLN}`;
const mill = `https://id.gs1.org/414/${MILL_GLN}`;
const store = `https://id.gs1.org/414/${STORE_GLN}`;
const SSCC_1 = 'urn:epc:id:sscc:6901234.0000000001';
const SSCC_2 = 'urn:epc:id:sscc:6901234.0000000002';
const sscc1 = `https://id.gs1.org/00/${withCheckDigit('06901234000000001')}`;
const sscc2 = `https://id.gs1.org/00/${withCheckDigit('06901234000000002')}`;
const units = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? `https://qr.yuehuafang.example/01/${MOONCAKE}/21/S${1000 + i}` : `urn:epc:id:sgtin:6901234.010001.S${1000 + i}`));

const ev = (doc: Record<string, unknown>): EpcisEvent => ({ eventTimeZoneOffset: '+08:00', ...doc }) as unknown as EpcisEvent;
const route = {
  sourceList: [
    { type: 'owning_party', source: 'urn:epc:id:pgln:6901234.00000' },
    { type: 'location', source: 'urn:epc:id:sgln:6901234.00001.0' },
  ],
  destinationList: [
    { type: 'owning_party', destination: 'urn:epc:id:pgln:6901234.00000' },
    { type: 'location', destination: 'urn:epc:id:sgln:6901234.10001.0' },
  ],
};

const events = [
  {
    seq: 1,
    eventId: 'ev-1',
    doc: ev({
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', eventTime: '2025-09-01T09:00:00+08:00',
      quantityList: [{ epcClass: `urn:epc:class:lgtin:6923450.020011.${FLOUR_LOT}`, quantity: 2000, uom: 'KGM' }],
      readPoint: { id: 'urn:epc:id:sgln:6923450.00001.2' }, bizLocation: { id: 'urn:epc:id:sgln:6923450.00001.0' },
      ilmd: { 'cbvmda:lotNumber': FLOUR_LOT },
    }),
  },
  {
    seq: 2,
    eventId: 'ev-2',
    doc: ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'urn:epcglobal:cbv:bizstep:receiving', eventTime: '2025-09-04T14:00:00+08:00',
      quantityList: [{ epcClass: `urn:epc:class:lgtin:6923450.020011.${FLOUR_LOT}`, quantity: 2000, uom: 'KGM' }],
      readPoint: { id: 'urn:epc:id:sgln:6901234.00001.20' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.31' },
      bizTransactionList: [
        { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:PO25090400001` },
        { type: 'https://ref.gs1.org/cbv/BTT-desadv', bizTransaction: `urn:epcglobal:cbv:bt:${MILL_GLN}:DN0000007` },
      ],
      sourceList: [
        { type: 'owning_party', source: 'urn:epc:id:pgln:6923450.00000' },
        { type: 'location', source: 'urn:epc:id:sgln:6923450.00001.0' },
      ],
      destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:6901234.00001.0' }],
    }),
  },
  {
    seq: 3,
    eventId: 'ev-3',
    doc: ev({
      type: 'TransformationEvent', bizStep: 'creating_class_instance', eventTime: '2025-09-05T07:30:00+08:00',
      inputQuantityList: [{ epcClass: `urn:epc:class:lgtin:6923450.020011.${FLOUR_LOT}`, quantity: 1.1, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: `urn:epc:class:lgtin:6901234.010001.${BATCH}`, quantity: 24 }],
      readPoint: { id: 'urn:epc:id:sgln:6901234.00001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
      ilmd: { 'cbvmda:lotNumber': BATCH },
    }),
  },
  {
    seq: 4,
    eventId: 'ev-4',
    doc: ev({
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', eventTime: '2025-09-05T08:00:00+08:00', epcList: units,
      readPoint: { id: 'urn:epc:id:sgln:6901234.00001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
      ilmd: { 'cbvmda:lotNumber': BATCH },
    }),
  },
  {
    seq: 5,
    eventId: 'ev-5',
    doc: ev({ type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', eventTime: '2025-09-05T08:10:00+08:00', parentID: SSCC_1, childEPCs: units.slice(0, 12) }),
  },
  {
    seq: 6,
    eventId: 'ev-6',
    doc: ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', eventTime: '2025-09-05T09:00:00+08:00',
      epcList: [SSCC_1, SSCC_2], readPoint: { id: 'urn:epc:id:giai:6901234.VAN003' },
      bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:DN0000042` }],
      ...route,
    }),
  },
  {
    seq: 7,
    eventId: 'ev-7',
    doc: ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible', eventTime: '2025-09-05T11:45:00+08:00',
      epcList: [SSCC_1, SSCC_2], readPoint: { id: 'urn:epc:id:sgln:6901234.10001.9' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.10001.0' },
      bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:DN0000042` }],
      ...route,
    }),
  },
  {
    seq: 8,
    eventId: 'ev-8',
    doc: ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', eventTime: '2025-09-06T10:00:00+08:00',
      epcList: [units[1]], readPoint: { id: 'urn:epc:id:sgln:6901234.10001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.10001.0' },
    }),
  },
];

function lookups(over: Partial<Fsma204Lookups> = {}): Fsma204Lookups {
  const places = new Map([
    [plant, 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN'],
    [mill, 'Golden Wheat Mill, Zhengzhou, CN'],
    [store, 'Yuehuafang Jing-an store, Shanghai, CN'],
  ]);
  const products = new Map([
    [MOONCAKE, 'Yuehuafang Lotus Seed Mooncake 6 x 100 g'],
    [FLOUR, 'Wheat flour 25 kg bag'],
  ]);
  const contents = new Map<string, LotQuantity[]>([
    [sscc1, [{ lot: batchLot, quantity: 12, uom: null }]],
    [sscc2, [{ lot: batchLot, quantity: 12, uom: null }]],
  ]);
  const origins = new Map([
    [flourLot, { seq: 1, place: mill }],
    [batchLot, { seq: 3, place: plant }],
  ]);
  return {
    productDescription: (gtin) => products.get(gtin) ?? null,
    placeDescription: (id) => places.get(id) ?? null,
    unitLot: () => null,
    contents: (id) => contents.get(id) ?? [],
    lotOrigin: (lot) => origins.get(lot) ?? null,
    ...over,
  };
}

const pick = (r: Fsma204Row) => ({
  tlc: r.tlc,
  cte: r.cte,
  quantity: r.quantity,
  unit: r.unitOfMeasure,
  date: r.localDate,
  time: r.localTime,
  location: r.location?.identifier ?? null,
  shipFrom: r.shipFrom?.identifier ?? null,
  shipTo: r.shipTo?.identifier ?? null,
  tlcSource: r.tlcSource?.description ?? null,
  inputs: r.inputs.map((i) => `${i.tlc} ${i.quantity} ${i.unitOfMeasure} ${i.productDescription}`),
  references: r.references.map((d) => `${d.type}: ${d.number}`),
  seq: r.seq,
});

describe('fsma204Rows', () => {
  it('maps the finished product: transformation, shipping and receiving; labelling, packing and sales are not CTEs', () => {
    const rows = fsma204Rows(events, MOONCAKE, lookups());
    expect(rows.map(pick)).toEqual([
      {
        tlc: `(01)${MOONCAKE}(10)${BATCH}`, cte: 'transformation', quantity: 24, unit: 'each', date: '2025-09-05', time: '07:30:00',
        location: PLANT_GLN, shipFrom: null, shipTo: null, tlcSource: 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN',
        inputs: [`(01)${FLOUR}(10)${FLOUR_LOT} 1.1 kg Wheat flour 25 kg bag`], references: ['EPCIS Event: ev-3'], seq: 3,
      },
      {
        tlc: `(01)${MOONCAKE}(10)${BATCH}`, cte: 'shipping', quantity: 24, unit: 'each', date: '2025-09-05', time: '09:00:00',
        location: PLANT_GLN, shipFrom: PLANT_GLN, shipTo: STORE_GLN, tlcSource: 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN',
        inputs: [], references: ['Advance Shipping Notice: DN0000042'], seq: 6,
      },
      {
        tlc: `(01)${MOONCAKE}(10)${BATCH}`, cte: 'receiving', quantity: 24, unit: 'each', date: '2025-09-05', time: '11:45:00',
        location: STORE_GLN, shipFrom: PLANT_GLN, shipTo: STORE_GLN, tlcSource: 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN',
        inputs: [], references: ['Advance Shipping Notice: DN0000042'], seq: 7,
      },
    ]);
    expect(rows[0]?.productDescription).toBe('Yuehuafang Lotus Seed Mooncake 6 x 100 g');
    expect(rows[0]?.location?.description).toBe('Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN');
    expect(rows[1]?.shipTo?.description).toBe('Yuehuafang Jing-an store, Shanghai, CN');
    expect(rows[1]?.eventTime).toBe('2025-09-05T01:00:00.000Z');
  });

  it('maps the raw material: commissioning at the supplier is initial packing, then receiving with its documents', () => {
    const rows = fsma204Rows(events, FLOUR, lookups());
    expect(rows.map(pick)).toEqual([
      {
        tlc: `(01)${FLOUR}(10)${FLOUR_LOT}`, cte: 'initial_packing', quantity: 2000, unit: 'kg', date: '2025-09-01', time: '09:00:00',
        location: MILL_GLN, shipFrom: null, shipTo: null, tlcSource: 'Golden Wheat Mill, Zhengzhou, CN', inputs: [], references: ['EPCIS Event: ev-1'], seq: 1,
      },
      {
        // Received at the plant (the destination), not at the dry store sub-location of the business location.
        tlc: `(01)${FLOUR}(10)${FLOUR_LOT}`, cte: 'receiving', quantity: 2000, unit: 'kg', date: '2025-09-04', time: '14:00:00',
        location: PLANT_GLN, shipFrom: MILL_GLN, shipTo: PLANT_GLN, tlcSource: 'Golden Wheat Mill, Zhengzhou, CN', inputs: [],
        references: ['Purchase Order: PO25090400001', 'Advance Shipping Notice: DN0000007'], seq: 2,
      },
    ]);
  });

  it('makes unit commissioning initial packing when it creates the lot, and counts units per lot', () => {
    const rows = fsma204Rows([events[3]!], MOONCAKE, lookups({ lotOrigin: () => ({ seq: 4, place: plant }) }));
    expect(rows.map(pick)).toEqual([
      expect.objectContaining({ tlc: `(01)${MOONCAKE}(10)${BATCH}`, cte: 'initial_packing', quantity: 24, unit: 'each', location: PLANT_GLN, tlcSource: 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN' }),
    ]);
  });

  it('finds the lots of units from printed Digital Links, else from the lookup, else reports the product alone', () => {
    const shipped = ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: '2025-09-07T08:00:00+08:00',
      epcList: [`https://qr.example/01/${MOONCAKE}/10/L2/21/9`, 'urn:epc:id:sgtin:6901234.010001.77', 'urn:epc:id:sgtin:6901234.010001.78'],
      ...route,
    });
    const rows = fsma204Rows([{ seq: 9, eventId: 'ev-9', doc: shipped }], MOONCAKE, lookups({ unitLot: (u) => (u.endsWith('/21/77') ? batchLot : null) }));
    expect(rows.map((r) => [r.tlc, r.quantity])).toEqual([
      [`(01)${MOONCAKE}`, 1],
      [`(01)${MOONCAKE}(10)${BATCH}`, 1],
      [`(01)${MOONCAKE}(10)L2`, 1],
    ]);
  });

  it('leaves out other products, declared errors aside: a mixed shipment gives rows of the asked product only', () => {
    const mixed = ev({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: '2025-09-07T08:00:00+08:00',
      quantityList: [
        { epcClass: `urn:epc:class:lgtin:6923450.020011.${FLOUR_LOT}`, quantity: 10, uom: 'KGM' },
        { epcClass: `urn:epc:class:lgtin:6901234.010001.${BATCH}`, quantity: 5 },
      ],
      ...route,
    });
    expect(fsma204Rows([{ seq: 10, eventId: 'ev-10', doc: mixed }], FLOUR, lookups()).map((r) => [r.tlc, r.quantity, r.unitOfMeasure])).toEqual([[`(01)${FLOUR}(10)${FLOUR_LOT}`, 10, 'kg']]);
  });

  it('reads CTEs that a business step outside the CBV names (harvesting, cooling, landing)', () => {
    const at = (bizStep: string): EpcisEvent =>
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep, eventTime: '2025-09-07T08:00:00+08:00', quantityList: [{ epcClass: flourLot, quantity: 1, uom: 'KGM' }], bizLocation: { id: 'urn:epc:id:sgln:6923450.00001.0' } });
    const cte = (bizStep: string) => fsma204Rows([{ seq: 11, eventId: 'e', doc: at(bizStep) }], FLOUR, lookups()).map((r) => r.cte);
    expect(cte('https://ns.example.org/fsma/bizstep/harvesting')).toEqual(['harvesting']);
    expect(cte('gdst:cooling')).toEqual(['cooling']);
    expect(cte('urn:example:bizstep:first_land_based_receiving')).toEqual(['first_land_based_receiving']);
    expect(cte('inspecting')).toEqual([]);
    expect(cte('departing')).toEqual([]);
  });

  it('makes a transformation without inputs initial packing, and ships pallets by their contents', () => {
    const packed = ev({ type: 'TransformationEvent', bizStep: 'creating_class_instance', eventTime: '2025-09-05T07:30:00+08:00', outputQuantityList: [{ epcClass: flourLot, quantity: 30, uom: 'KGM' }], bizLocation: { id: 'urn:epc:id:sgln:6923450.00001.0' } });
    expect(fsma204Rows([{ seq: 12, eventId: 'e', doc: packed }], FLOUR, lookups()).map((r) => [r.cte, r.tlcSource?.identifier])).toEqual([['initial_packing', MILL_GLN]]);
    const pallet = ev({ type: 'AggregationEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: '2025-09-05T09:00:00+08:00', parentID: SSCC_1, ...route });
    expect(fsma204Rows([{ seq: 13, eventId: 'e', doc: pallet }], MOONCAKE, lookups()).map((r) => [r.cte, r.quantity])).toEqual([['shipping', 12]]);
  });
});

describe('the parts of a row', () => {
  it('reads vocabulary words in every form', () => {
    expect(['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping', 'cbv:BizStep-shipping'].map(localWord)).toEqual(['shipping', 'shipping', 'shipping', 'shipping']);
    expect(localWord('cbvmda:lotNumber')).toBe('lotnumber');
  });

  it('names reference documents and their numbers', () => {
    expect(referenceDocuments([{ type: 'bol', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:BOL-7' }, { bizTransaction: 'https://erp.example/inv/9' }, { type: 'urn:example:btt:waybill', bizTransaction: 'W1' }])).toEqual([
      { type: 'Bill of Lading', number: 'BOL-7' },
      { type: 'Business Transaction', number: 'https://erp.example/inv/9' },
      { type: 'waybill', number: 'W1' },
    ]);
    expect(documentNumber('urn:epc:id:gdti:0614141.00001.1618034')).toBe('urn:epc:id:gdti:0614141.00001.1618034');
  });

  it('formats TLCs, units of measure, ILMD lot numbers and local times', () => {
    expect(tlcOf(batchLot)).toBe(`(01)${MOONCAKE}(10)${BATCH}`);
    expect(tlcOf(`https://id.gs1.org/01/${MOONCAKE}/10/A%2FB`)).toBe(`(01)${MOONCAKE}(10)A/B`);
    expect(tlcOf('urn:example:lot:supplier-42')).toBe('urn:example:lot:supplier-42');
    expect([unitOfMeasureLabel('KGM'), unitOfMeasureLabel(null), unitOfMeasureLabel('X99')]).toEqual(['kg', 'each', 'X99']);
    expect(ilmdLotNumber({ 'https://ref.gs1.org/voc/lotNumber': 'L9' })).toBe('L9');
    expect(ilmdLotNumber({ 'cbvmda:bestBeforeDate': '2025-10-01' })).toBeNull();
    expect(localDateTime(Date.parse('2025-09-05T18:30:00Z'), '+08:00')).toEqual({ date: '2025-09-06', time: '02:30:00' });
    expect(localDateTime(Date.parse('2025-09-05T02:30:00Z'), '-05:00')).toEqual({ date: '2025-09-04', time: '21:30:00' });
    expect(Cte.all.map(Cte.label)).toEqual(['Harvesting', 'Cooling', 'Initial Packing', 'First Land-Based Receiving', 'Shipping', 'Receiving', 'Transformation']);
  });
});

describe('createDayOrder', () => {
  const row = (tlc: string, eventTime: string, offset: string, seq: number): Fsma204Row => {
    const local = localDateTime(Date.parse(eventTime), offset);
    return {
      tlc, lot: tlc, gtin: MOONCAKE, productDescription: null, quantity: 1, unitOfMeasure: 'each', cte: 'shipping', eventTime, localDate: local.date, localTime: local.time,
      timeZoneOffset: offset, location: null, shipFrom: null, shipTo: null, tlcSource: null, inputs: [], references: [], eventId: `e${seq}`, seq,
    };
  };

  it('releases rows by local date then TLC, holding only what a later event could still precede', () => {
    const order = createDayOrder();
    // In UTC order: a Shanghai event on the 5th, a New York event still on the 4th locally, another Shanghai event.
    const a = row('B', '2025-09-04T23:00:00.000Z', '+08:00', 1); // local 2025-09-05 07:00
    const b = row('C', '2025-09-05T02:00:00.000Z', '-05:00', 2); // local 2025-09-04 21:00
    const c = row('A', '2025-09-05T03:00:00.000Z', '+08:00', 3); // local 2025-09-05 11:00
    order.add([a, b, c]);
    // The 4th is final 36 hours after its start (2025-09-05T12:00Z); the 5th is not yet.
    expect(order.ready(Date.parse('2025-09-05T11:59:59Z')).map((r) => r.seq)).toEqual([]);
    expect(order.ready(Date.parse('2025-09-05T12:00:00Z')).map((r) => r.seq)).toEqual([2]);
    const d = row('A', '2025-09-05T04:00:00.000Z', '+08:00', 4);
    order.add([d]);
    expect(order.rest().map((r) => r.seq)).toEqual([3, 4, 1]);
    expect(order.rest()).toEqual([]);
  });

  it('sorts equal dates and TLCs by time', () => {
    const x = row('A', '2025-09-05T04:00:00.000Z', '+08:00', 9);
    const y = row('A', '2025-09-05T03:00:00.000Z', '+08:00', 10);
    expect([x, y].sort(compareRows).map((r) => r.seq)).toEqual([10, 9]);
  });
});

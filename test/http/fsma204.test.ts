import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

// A bakery (GS1 company prefix 6901234, as in src/demo/scale/epcis-generator.ts) buys a lot of flour from a
// mill (6923450), bakes two batches of mooncakes from it, labels and packs the first in two cases,
// ships them to a store in a van, and the store receives them and sells one mooncake.
const MOONCAKE = withCheckDigit('0690123410001');
const FLOUR = withCheckDigit('0692345020011');
const FLOUR_LOT = '250901K01';
const B1 = '250905-MC-AM-001';
const B2 = '250905-MC-AM-002';
const PLANT_GLN = withCheckDigit('690123400001');
const STORE_GLN = withCheckDigit('690123410001');
const MILL_GLN = withCheckDigit('692345000001');
const BRAND_PGLN = withCheckDigit('690123400000');
const MILL_PGLN = withCheckDigit('692345000000');
const PLANT = 'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN, Tel. +86 21 5555 0100';
const STORE = 'Yuehuafang Foods, Jing-an store, 1 Nanjing W Rd, Shanghai, CN, Tel. +86 21 5555 0100';
const MILL = 'Golden Wheat Mill, Zhengzhou mill, Zhengzhou, CN, Tel. +86 371 5555 0199';
const SSCC_1 = 'urn:epc:id:sscc:6901234.0000000001';
const SSCC_2 = 'urn:epc:id:sscc:6901234.0000000002';
const units = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? `https://qr.yuehuafang.example/01/${MOONCAKE}/21/S${1000 + i}` : `urn:epc:id:sgtin:6901234.010001.S${1000 + i}`));
const id = (n: number): string => `urn:uuid:0198f3c2-7a00-7000-8000-${String(n).padStart(12, '0')}`;
const at = (local: string) => ({ eventTime: `${local}+08:00`, eventTimeZoneOffset: '+08:00' });
const flourClass = `urn:epc:class:lgtin:6923450.020011.${FLOUR_LOT}`;
const toStore = {
  bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:DN0000042` }],
  sourceList: [
    { type: 'owning_party', source: 'urn:epc:id:pgln:6901234.00000' },
    { type: 'location', source: 'urn:epc:id:sgln:6901234.00001.0' },
  ],
  destinationList: [
    { type: 'owning_party', destination: 'urn:epc:id:pgln:6901234.00000' },
    { type: 'location', destination: 'urn:epc:id:sgln:6901234.10001.0' },
  ],
};

const storeReceiving = {
  type: 'ObjectEvent', eventID: id(9), ...at('2025-09-05T11:45:00'), epcList: [SSCC_1, SSCC_2], action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible',
  readPoint: { id: 'urn:epc:id:sgln:6901234.10001.9' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.10001.0' }, ...toStore,
};

const eventList = [
  {
    type: 'ObjectEvent', eventID: id(1), ...at('2025-09-01T09:00:00'), action: 'ADD', bizStep: 'commissioning', disposition: 'active',
    quantityList: [{ epcClass: flourClass, quantity: 2000, uom: 'KGM' }],
    readPoint: { id: 'urn:epc:id:sgln:6923450.00001.2' }, bizLocation: { id: 'urn:epc:id:sgln:6923450.00001.0' },
    ilmd: { 'cbvmda:lotNumber': FLOUR_LOT, 'cbvmda:countryOfOrigin': 'CN' },
  },
  {
    type: 'ObjectEvent', eventID: id(2), ...at('2025-09-04T14:00:00'), action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress',
    quantityList: [{ epcClass: flourClass, quantity: 2000, uom: 'KGM' }],
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.20' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.31' },
    bizTransactionList: [
      { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:PO25090400001` },
      { type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:${MILL_GLN}:DN0000007` },
    ],
    sourceList: [
      { type: 'owning_party', source: 'urn:epc:id:pgln:6923450.00000' },
      { type: 'location', source: 'urn:epc:id:sgln:6923450.00001.0' },
    ],
    destinationList: [
      { type: 'owning_party', destination: 'urn:epc:id:pgln:6901234.00000' },
      { type: 'location', destination: 'urn:epc:id:sgln:6901234.00001.0' },
    ],
  },
  {
    type: 'TransformationEvent', eventID: id(3), ...at('2025-09-05T07:30:00'), bizStep: 'creating_class_instance', disposition: 'active',
    inputQuantityList: [{ epcClass: flourClass, quantity: 1.1, uom: 'KGM' }],
    outputQuantityList: [{ epcClass: `urn:epc:class:lgtin:6901234.010001.${B1}`, quantity: 24 }],
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
    bizTransactionList: [{ type: 'prodorder', bizTransaction: `urn:epcglobal:cbv:bt:${PLANT_GLN}:WO-0905-01` }],
    ilmd: { 'cbvmda:lotNumber': B1, 'cbvmda:bestBeforeDate': '2025-09-26' },
  },
  {
    type: 'ObjectEvent', eventID: id(4), ...at('2025-09-05T08:00:00'), epcList: units, action: 'ADD', bizStep: 'commissioning', disposition: 'active',
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
    ilmd: { 'cbvmda:lotNumber': B1, 'cbvmda:itemExpirationDate': '2025-09-26' },
  },
  {
    type: 'AggregationEvent', eventID: id(5), ...at('2025-09-05T08:10:00'), parentID: SSCC_1, childEPCs: units.slice(0, 12), action: 'ADD', bizStep: 'packing', disposition: 'in_progress',
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.10' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
  },
  {
    type: 'AggregationEvent', eventID: id(6), ...at('2025-09-05T08:12:00'), parentID: SSCC_2, childEPCs: units.slice(12), action: 'ADD', bizStep: 'packing', disposition: 'in_progress',
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.10' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
  },
  {
    type: 'ObjectEvent', eventID: id(7), ...at('2025-09-05T09:00:00'), epcList: [SSCC_1, SSCC_2], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:giai:6901234.VAN003' }, ...toStore,
  },
  {
    type: 'ObjectEvent', eventID: id(8), ...at('2025-09-05T10:00:00'), epcList: [SSCC_1, SSCC_2], action: 'OBSERVE', bizStep: 'sensor_reporting', disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:giai:6901234.VAN003' },
    sensorElementList: [{ sensorMetadata: { time: '2025-09-05T10:00:00+08:00', deviceID: 'urn:epc:id:giai:6901234.TL0003' }, sensorReport: [{ type: 'Temperature', value: 21.5, uom: 'CEL' }] }],
  },
  storeReceiving,
  {
    type: 'ObjectEvent', eventID: id(10), ...at('2025-09-06T10:00:00'), epcList: [units[1]], action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold',
    readPoint: { id: 'urn:epc:id:sgln:6901234.10001.1' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.10001.0' },
  },
  {
    type: 'TransformationEvent', eventID: id(11), ...at('2025-09-05T06:00:00'), bizStep: 'creating_class_instance',
    inputQuantityList: [{ epcClass: flourClass, quantity: 0.5, uom: 'KGM' }],
    outputQuantityList: [{ epcClass: `urn:epc:class:lgtin:6901234.010001.${B2}`, quantity: 12 }],
    readPoint: { id: 'urn:epc:id:sgln:6901234.00001.2' }, bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
  },
];

const document = (events: readonly unknown[]) =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-09-06T12:00:00+08:00',
    epcisBody: { eventList: events },
  });

const HEADINGS = [
  'Traceability Lot Code (TLC)', 'Traceability Product Identifier (GTIN)', 'Product Description', 'Quantity', 'Unit of Measure', 'Critical Tracking Event (CTE)',
  'Date of CTE', 'Time of CTE', 'Time Zone', 'Location Description', 'Location Identifier (GLN)',
  'Ship-From Location Description (Immediate Previous Source)', 'Ship-From Location Identifier (GLN)',
  'Ship-To Location Description (Immediate Subsequent Recipient)', 'Ship-To Location Identifier (GLN)',
  'Traceability Lot Code Source Location Description', 'Traceability Lot Code Source Reference (GLN)',
  'Input Traceability Lot Codes (Transformation)', 'Input Product Descriptions (Transformation)', 'Input Quantities and Units of Measure (Transformation)',
  'Reference Document Type', 'Reference Document Number', 'EPCIS Event ID',
];

const tlc = (gtin: string, lot: string) => `(01)${gtin}(10)${lot}`;
const MOONCAKE_ROWS = [
  [tlc(MOONCAKE, B1), MOONCAKE, 'Yuehuafang Lotus Seed Mooncake', '24', 'each', 'Transformation', '2025-09-05', '07:30:00', 'UTC+08:00', PLANT, PLANT_GLN, '', '', '', '', PLANT, PLANT_GLN,
    tlc(FLOUR, FLOUR_LOT), 'Wheat flour 25 kg', '1.1 kg', 'Production Order', 'WO-0905-01', id(3)],
  [tlc(MOONCAKE, B1), MOONCAKE, 'Yuehuafang Lotus Seed Mooncake', '24', 'each', 'Shipping', '2025-09-05', '09:00:00', 'UTC+08:00', PLANT, PLANT_GLN, PLANT, PLANT_GLN, STORE, STORE_GLN, PLANT, PLANT_GLN,
    '', '', '', 'Advance Shipping Notice', 'DN0000042', id(7)],
  [tlc(MOONCAKE, B1), MOONCAKE, 'Yuehuafang Lotus Seed Mooncake', '24', 'each', 'Receiving', '2025-09-05', '11:45:00', 'UTC+08:00', STORE, STORE_GLN, PLANT, PLANT_GLN, STORE, STORE_GLN, PLANT, PLANT_GLN,
    '', '', '', 'Advance Shipping Notice', 'DN0000042', id(9)],
  // Same date, later TLC: after B1's rows although it was baked earlier that day.
  [tlc(MOONCAKE, B2), MOONCAKE, 'Yuehuafang Lotus Seed Mooncake', '12', 'each', 'Transformation', '2025-09-05', '06:00:00', 'UTC+08:00', PLANT, PLANT_GLN, '', '', '', '', PLANT, PLANT_GLN,
    tlc(FLOUR, FLOUR_LOT), 'Wheat flour 25 kg', '0.5 kg', 'EPCIS Event', id(11), id(11)],
];
const FLOUR_ROWS = [
  [tlc(FLOUR, FLOUR_LOT), FLOUR, 'Wheat flour 25 kg', '2000', 'kg', 'Initial Packing', '2025-09-01', '09:00:00', 'UTC+08:00', MILL, MILL_GLN, '', '', '', '', MILL, MILL_GLN,
    '', '', '', 'EPCIS Event', id(1), id(1)],
  // Received at the plant (the destination), from the mill (the source); the dock and the dry store are sub-locations.
  [tlc(FLOUR, FLOUR_LOT), FLOUR, 'Wheat flour 25 kg', '2000', 'kg', 'Receiving', '2025-09-04', '14:00:00', 'UTC+08:00', PLANT, PLANT_GLN, MILL, MILL_GLN, PLANT, PLANT_GLN, MILL, MILL_GLN,
    '', '', '', 'Purchase Order; Advance Shipping Notice', 'PO25090400001; DN0000007', id(2)],
];

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || record.length > 0) record.push(field), records.push(record);
  return records;
}

const SEPTEMBER = `from=${encodeURIComponent('2025-09-01T00:00:00+08:00')}&to=${encodeURIComponent('2025-10-01T00:00:00+08:00')}`;

describe.each(testEngines())('FSMA 204 export on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, headers: t.auth('qa'), payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    await post('/api/parties', { partyId: 'yhf', kind: 'manufacturer', nameZh: '月华坊', nameEn: 'Yuehuafang Foods', gln: BRAND_PGLN, phone: '+86 21 5555 0100', city: 'Shanghai', country: 'CN' });
    await post('/api/parties', { partyId: 'golden-wheat', kind: 'supplier', nameZh: '金麦面粉厂', nameEn: 'Golden Wheat Mill', gln: MILL_PGLN, phone: '+86 371 5555 0199', city: 'Zhengzhou', country: 'CN' });
    await post('/api/locations', { locationId: 'plant-sh', type: 'plant', nameZh: '上海工厂', nameEn: 'Shanghai plant', gln: PLANT_GLN, partyId: 'yhf', address: '88 Jinhai Rd', city: 'Shanghai', country: 'CN' });
    await post('/api/locations', { locationId: 'store-001', type: 'store', nameZh: '静安店', nameEn: 'Jing-an store', gln: STORE_GLN, partyId: 'yhf', address: '1 Nanjing W Rd', city: 'Shanghai', country: 'CN' });
    await post('/api/locations', { locationId: 'mill-zz', type: 'supplier', nameZh: '郑州面粉厂', nameEn: 'Zhengzhou mill', gln: MILL_GLN, partyId: 'golden-wheat', city: 'Zhengzhou', country: 'CN' });
    await post('/api/products', { productId: 'mooncake-lotus', gtin: MOONCAKE, nameZh: '莲蓉月饼', nameEn: 'Lotus Seed Mooncake', brand: 'Yuehuafang', shelfLifeHours: 504, granularity: 'unit' });
    await post('/api/products', { productId: 'flour', gtin: FLOUR, nameZh: '面粉', nameEn: 'Wheat flour 25 kg', shelfLifeHours: 4320, granularity: 'batch' });
    await post('/api/products', { productId: 'no-gtin', nameZh: '无码', nameEn: 'No code', shelfLifeHours: 24, granularity: 'batch' });
    const captured = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), 'content-type': 'application/ld+json' }, payload: document(eventList) });
    expect(captured.statusCode, captured.body).toBe(202);
    expect(captured.json()).toMatchObject({ success: true, storedCount: eventList.length });
  });
  afterAll(async () => t?.close());

  const get = (query: string, role: Parameters<TestApp['auth']>[0] = 'regulator', headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/api/exports/fsma204?${query}`, headers: { ...t.auth(role), ...headers } });

  it('writes the CSV: BOM, FDA headings, one row per CTE and lot sorted by date then TLC, with every KDE', async () => {
    const res = await get(`product=mooncake-lotus&${SEPTEMBER}&format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="fsma204-${MOONCAKE}-20250901-20251001.csv"`);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [headings, ...rows] = parseCsv(text);
    expect(headings).toEqual(HEADINGS);
    expect(rows).toEqual(MOONCAKE_ROWS);
  });

  it('finds the product by GTIN too, and exports the raw material: initial packing at the supplier, then receiving', async () => {
    const res = await get(`product=${FLOUR}&${SEPTEMBER}&format=csv`, 'qa');
    expect(res.statusCode, res.body).toBe(200);
    const [, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(rows).toEqual(FLOUR_ROWS);
    const byLink = await get(`product=${encodeURIComponent(`https://id.gs1.org/01/${FLOUR}`)}&${SEPTEMBER}&format=csv`, 'viewer');
    expect(byLink.rawPayload.equals(res.rawPayload)).toBe(true);
  });

  it('writes the XLSX: bold frozen filtered headings, real numbers, dates and times, the same rows', async () => {
    const res = await get(`product=${MOONCAKE}&${SEPTEMBER}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="fsma204-${MOONCAKE}-20250901-20251001.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('FSMA 204');
    if (!sheet) throw new Error('no FSMA 204 sheet');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:W1');
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(10).width).toBeGreaterThanOrEqual(30);
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(HEADINGS);
    expect(sheet.rowCount).toBe(1 + MOONCAKE_ROWS.length);
    const cell = (value: unknown, col: number): unknown => {
      if (value instanceof Date) return col === 7 ? value.toISOString().slice(0, 10) : value.toISOString().slice(11, 19);
      if (typeof value === 'number') return String(value);
      return value ?? '';
    };
    for (let r = 0; r < MOONCAKE_ROWS.length; r++) {
      const row = values(r + 2);
      // Empty cells are holes in exceljs's row values.
      expect(Array.from({ length: HEADINGS.length }, (_, i) => cell(row[i], i + 1))).toEqual(MOONCAKE_ROWS[r]);
    }
    const first = sheet.getRow(2);
    expect(first.getCell(4).value).toBe(24);
    expect(first.getCell(7).value).toEqual(new Date('2025-09-05T00:00:00Z'));
    expect(first.getCell(7).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(8).value).toEqual(new Date('1899-12-30T07:30:00Z'));
    expect(first.getCell(8).numFmt).toBe('hh:mm:ss');
  });

  it('covers only the period asked: from inclusive, to exclusive', async () => {
    const day = (from: string, to: string) => get(`product=mooncake-lotus&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=csv`);
    const rowsOf = async (from: string, to: string) => parseCsv((await day(from, to)).rawPayload.subarray(3).toString('utf8')).slice(1).map((r) => r[5]);
    expect(await rowsOf('2025-09-05T07:30:00+08:00', '2025-09-05T11:45:00+08:00')).toEqual(['Transformation', 'Shipping']);
    expect(await rowsOf('2025-09-06T00:00:00+08:00', '2025-09-07T00:00:00+08:00')).toEqual([]);
    const empty = await day('2025-10-01T00:00:00+08:00', '2025-10-01T00:00:00+08:00');
    expect(empty.statusCode).toBe(200);
    expect(parseCsv(empty.rawPayload.subarray(3).toString('utf8'))).toEqual([HEADINGS]);
    const emptyXlsx = await get(`product=mooncake-lotus&from=${encodeURIComponent('2025-10-01T00:00:00+08:00')}&to=${encodeURIComponent('2025-10-02T00:00:00+08:00')}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(emptyXlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('FSMA 204')?.rowCount).toBe(1);
  });

  it('answers mistakes with 400 problems that point at the parameter, and an unknown product with 404', async () => {
    const problem = async (query: string, status: number, pointer: string) => {
      const res = await get(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors?.[0]?.pointer, query).toBe(pointer);
    };
    await problem(SEPTEMBER, 400, '/query/product');
    await problem(`product=06901234100019&${SEPTEMBER}`, 400, '/query/product');
    await problem(`product=no-gtin&${SEPTEMBER}`, 400, '/query/product');
    await problem(`product=nope&${SEPTEMBER}`, 404, '/query/product');
    await problem(`product=12345&${SEPTEMBER}`, 404, '/query/product');
    await problem(`product=06901234567892&${SEPTEMBER}`, 404, '/query/product');
    await problem('product=mooncake-lotus&from=yesterday&to=2025-10-01T00:00:00Z', 400, '/query/from');
    await problem('product=mooncake-lotus&from=2025-09-01T00:00:00&to=2025-10-01T00:00:00Z', 400, '/query/from');
    await problem('product=mooncake-lotus&from=2025-09-01T00:00:00Z', 400, '/query/to');
    await problem('product=mooncake-lotus&from=2025-10-01T00:00:00Z&to=2025-09-01T00:00:00Z', 400, '/query/to');
    await problem('product=mooncake-lotus&from=2024-09-01T00:00:00Z&to=2025-09-03T00:00:00Z', 400, '/query/to');
    await problem(`product=mooncake-lotus&${SEPTEMBER}&format=pdf`, 400, '/query/format');
    await problem(`product=mooncake-lotus&${SEPTEMBER}&lot=B1`, 400, '/query/lot');
  });

  it('speaks Chinese to a Chinese caller, and keeps the export to roles that may trace and to the organisation', async () => {
    const zh = await get('product=mooncake-lotus&from=2025-10-01T00:00:00Z&to=2025-09-01T00:00:00Z', 'viewer', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({ title: '查询参数无效', detail: 'to must not be earlier than from' });
    expect((await get(`product=mooncake-lotus&${SEPTEMBER}`, 'store')).statusCode).toBe(403);
    expect((await get(`product=mooncake-lotus&${SEPTEMBER}`, 'supplier')).statusCode).toBe(403);
    expect((await get(`product=mooncake-lotus&${SEPTEMBER}`, 'other')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/exports/fsma204?product=mooncake-lotus&${SEPTEMBER}` })).statusCode).toBe(401);
  });

  it('leaves out an event once an error declaration retracts it', async () => {
    const declaration = { ...storeReceiving, errorDeclaration: { declarationTime: '2025-09-06T09:00:00+08:00', reason: 'incorrect_data' } };
    const captured = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), 'content-type': 'application/ld+json' }, payload: document([declaration]) });
    expect(captured.statusCode, captured.body).toBe(202);
    const res = await get(`product=mooncake-lotus&${SEPTEMBER}&format=csv`);
    const [, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(rows.map((r) => r[5])).toEqual(['Transformation', 'Shipping', 'Transformation']);
  });
});

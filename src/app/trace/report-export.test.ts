import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { findCjkFont } from '../../labels/cjk-font.ts';
import { TRACE_CSV_COLUMNS, type TraceCsvKey, exportTraceReport, traceCsv, traceExportFileName, traceExportFormat, traceReportPdf } from './report-export.ts';
import type { LocationQuantities, TracePlace, TraceReport } from './types.ts';

// CI installs poppler-utils and a CJK font (.ci/run): there, these checks must run, never skip.
const inCi = process.env.CI === 'true';
const hasPoppler = inCi || spawnSync('pdftotext', ['-v']).status === 0;
const hasCjkFont = inCi || findCjkFont().ok;
const dir = mkdtempSync(join(tmpdir(), 'lotline-trace-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text of a PDF (or of one page), laid out as on the page, by poppler's pdftotext. */
function pdfText(pdf: Buffer, name: string, page?: number): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const pages = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  const r = spawnSync('pdftotext', ['-layout', ...pages, file, '-']);
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString();
}

const dl = (gtin: string, ai: '10' | '21', value: string) => `https://id.gs1.org/01/${gtin}/${ai}/${value}`;
const CAKE = '06901234100037';
const FLOUR = '06901234200119';
const B1 = dl(CAKE, '10', 'B1');
const F1 = dl(FLOUR, '10', 'F1');
const SSCC = 'https://id.gs1.org/00/069012340000000016';
const TX = 'tx:urn:uuid:tx-1';
const place = (id: string, name: string, type: string, city: string): TracePlace => ({ id, name, type, city, region: null });
const plant = place('https://id.gs1.org/414/6901234000016', '金桥工厂 / Jinqiao plant', 'plant', '上海');
const line = place('https://id.gs1.org/414/6901234000016/254/1', '1号线 / Line 1', 'line', '上海');
const mill = place('https://id.gs1.org/414/6923450000019', '金麦面粉厂 / Golden Wheat Mill, Zhengzhou', 'supplier', '郑州');
const s1 = place('https://id.gs1.org/414/6901234000115', '南京西路店 / Nanjing W Rd store', 'store', '上海');
const s2 = place('https://id.gs1.org/414/6901234000122', '西湖店 / West Lake store', 'store', '杭州');
const V1 = 'https://id.gs1.org/8004/6901234V1';
const cakeName = { zh: '桂花糕', en: 'Osmanthus Cake' };
const none = { received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0, produced: 0, uom: null };
const reading = { minValue: null, maxValue: null, exception: null, deviceId: null };

/** A batch of 240 cakes from flour lot F1, shipped to two stores in two vans. */
const report: TraceReport = {
  query: { code: '(01)06901234100037(10)B1', node: B1, kind: 'lot', direction: 'both', asOf: '2025-09-06T04:00:00.000Z' },
  truncated: false,
  nodes: [
    { id: B1, kind: 'lot', gtin: CAKE, lot: 'B1', serial: null, productName: cakeName, direction: 'origin', depth: 0, path: [{ node: B1, eventId: null, link: null }] },
    { id: TX, kind: 'transformation', gtin: null, lot: null, serial: null, productName: null, direction: 'upstream', depth: 1, path: [{ node: B1, eventId: null, link: null }, { node: TX, eventId: 'urn:uuid:tx-1', link: 'produced' }] },
    { id: SSCC, kind: 'container', gtin: null, lot: null, serial: null, productName: null, direction: 'downstream', depth: 1, path: [{ node: B1, eventId: null, link: null }, { node: SSCC, eventId: 'urn:uuid:pack-1', link: 'carries' }] },
    {
      id: F1, kind: 'lot', gtin: FLOUR, lot: 'F1', serial: null, productName: { zh: '高筋面粉', en: 'Bread Flour' }, direction: 'upstream', depth: 2,
      path: [{ node: B1, eventId: null, link: null }, { node: TX, eventId: 'urn:uuid:tx-1', link: 'produced' }, { node: F1, eventId: 'urn:uuid:tx-1', link: 'consumed' }],
    },
  ],
  rawLots: [
    {
      lot: F1, gtin: FLOUR, lotNumber: 'F1', productName: { zh: '高筋面粉', en: 'Bread Flour' }, supplier: mill,
      received: [{ time: '2025-09-04T06:00:00.000Z', quantity: 2000, uom: 'KGM', place: plant.id }],
      qc: [{ eventId: 'urn:uuid:qc-1', time: '2025-09-04T07:30:00.000Z', bizStep: 'inspecting', disposition: 'conformant', place: plant.id, certifications: ['https://cert.example/GB1355'] }],
    },
  ],
  batches: [
    {
      lot: B1, gtin: CAKE, lotNumber: 'B1', productName: cakeName, producedAt: '2025-09-05T00:00:00.000Z', quantity: 240, uom: null, line, plant,
      shift: 'AM', operators: ['WANG-03', 'LI-07'], equipment: ['OVEN-3', 'SEALER-1'], session: 'S-0905-AM', workOrders: ['urn:epcglobal:cbv:bt:6901234000016:WO-0905-01'],
      parameters: { 'lotline:ovenTemperature': 180 }, inputs: [{ node: F1, quantity: 12.5, uom: 'KGM' }], qc: [],
      environment: [
        { ...reading, time: '2025-09-05T00:05:00.000Z', type: 'https://ref.gs1.org/voc/RelativeHumidity', value: 75, uom: 'P1', deviceId: 'urn:epc:id:giai:6901234.H1', place: line.id },
        { ...reading, time: '2025-09-05T00:05:00.000Z', type: 'https://ref.gs1.org/voc/Temperature', value: 24, uom: 'CEL', place: line.id },
      ],
      eventId: 'urn:uuid:tx-1',
    },
  ],
  shipments: [
    {
      eventId: 'urn:uuid:ship-1', time: '2025-09-05T02:00:00.000Z', from: plant, to: s1, vehicle: V1, items: [SSCC], units: 120, receivedAt: '2025-09-05T03:30:00.000Z',
      temperature: [
        { ...reading, time: '2025-09-05T02:30:00.000Z', type: 'https://ref.gs1.org/voc/Temperature', value: 4.5, uom: 'CEL', place: V1 },
        { ...reading, time: '2025-09-05T03:00:00.000Z', type: 'https://ref.gs1.org/voc/Temperature', value: 9.1, uom: 'CEL', exception: 'ALARM_CONDITION', place: V1 },
      ],
    },
    { eventId: 'urn:uuid:ship-2', time: '2025-09-05T02:10:00.000Z', from: plant, to: s2, vehicle: null, items: ['https://id.gs1.org/00/069012340000000023'], units: 120, receivedAt: null, temperature: [] },
  ],
  locations: [
    { ...none, place: plant, produced: 240, shipped: 240 },
    { ...none, place: plant, received: 2000, onHand: 2000, uom: 'KGM' },
    { ...none, place: s1, received: 120, sold: 30, returned: 2, destroyed: 1, onHand: 87 },
  ],
  tookMs: 12,
};
const options = { generatedAt: new Date('2025-09-06T06:30:00Z'), limits: [{ type: 'https://ref.gs1.org/voc/MT-RelativeHumidity', max: 70 }] };

describe('traceExportFormat', () => {
  it('takes the format parameter first, then the best supported type of the Accept header, else JSON', () => {
    expect(traceExportFormat('csv', 'application/pdf')).toBe('csv');
    expect(traceExportFormat(undefined, undefined)).toBe('json');
    expect(traceExportFormat(undefined, 'text/csv')).toBe('csv');
    expect(traceExportFormat(undefined, 'application/pdf, application/json;q=0.5')).toBe('pdf');
    expect(traceExportFormat(undefined, 'application/pdf;q=0.4, text/csv;q=0.9')).toBe('csv');
    expect(traceExportFormat(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe('json');
    expect(traceExportFormat(undefined, 'text/csv;q=0, image/png')).toBe('json');
  });
});

describe('traceExportFileName', () => {
  it('names the file after the code in short form and the as-of time in the chosen offset', () => {
    expect(traceExportFileName(report, 'pdf', options)).toBe('trace-06901234100037-B1-20250906-1200.pdf');
    expect(traceExportFileName({ ...report, query: { ...report.query, asOf: null } }, 'csv', { ...options, timeZoneOffset: '+00:00' })).toBe('trace-06901234100037-B1-20250906-0630.csv');
    const odd = { ...report, query: { ...report.query, code: 'urn:x:"lot" 7/8', node: 'urn:x:"lot" 7/8' } };
    expect(traceExportFileName(odd, 'csv', options)).toBe('trace-urn_x_lot_7_8-20250906-1200.csv');
  });
});

describe('trace CSV', () => {
  const csv = traceCsv(report, options);
  const [header, ...records] = parse(csv, { bom: true, relaxColumnCount: false }) as string[][];
  /** Each record as its non-empty cells by column key. */
  const rows = records.map((r) => Object.fromEntries(TRACE_CSV_COLUMNS.map((c, i) => [c.key, r[i] ?? '']).filter(([, v]) => v !== '')) as Partial<Record<TraceCsvKey, string>>);

  it('is UTF-8 with a BOM, CRLF records and bilingual headings', () => {
    expect(csv.startsWith('\uFEFFsection / 分类,id / 标识,kind / 类型,direction / 方向,depth / 层级,link / 关系,gtin,lot / 批号,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(records.length + 2);
    expect(header).toEqual(TRACE_CSV_COLUMNS.map((c) => c.header));
    expect(header).toContain('on_hand / 在库');
    expect(header?.at(-1)).toBe('path / 路径');
  });

  it('writes one row per query, node, raw-lot receipt, batch, shipment, place, QC record and reading, with exact cells', () => {
    const plantCells = { place: plant.name, place_id: plant.id, city: '上海' } as const;
    expect(rows).toEqual([
      { section: 'query', id: B1, kind: 'lot', direction: 'both', time: '2025-09-06T12:00:00+08:00', related: '(01)06901234100037(10)B1' },
      { section: 'node', id: B1, kind: 'lot', direction: 'origin', depth: '0', gtin: CAKE, lot: 'B1', product_zh: '桂花糕', product_en: 'Osmanthus Cake', path: B1 },
      { section: 'node', id: TX, kind: 'transformation', direction: 'upstream', depth: '1', link: 'produced', event_id: 'urn:uuid:tx-1', path: `${B1} > ${TX}` },
      { section: 'node', id: SSCC, kind: 'container', direction: 'downstream', depth: '1', link: 'carries', event_id: 'urn:uuid:pack-1', path: `${B1} > ${SSCC}` },
      {
        section: 'node', id: F1, kind: 'lot', direction: 'upstream', depth: '2', link: 'consumed', gtin: FLOUR, lot: 'F1', product_zh: '高筋面粉', product_en: 'Bread Flour',
        event_id: 'urn:uuid:tx-1', path: `${B1} > ${TX} > ${F1}`,
      },
      {
        section: 'raw_lot', id: F1, gtin: FLOUR, lot: 'F1', product_zh: '高筋面粉', product_en: 'Bread Flour', place: '金麦面粉厂 / Golden Wheat Mill, Zhengzhou', place_id: mill.id, city: '郑州',
        to_place: plant.name, to_place_id: plant.id, to_city: '上海', time: '2025-09-04T14:00:00+08:00', quantity: '2000', uom: 'KGM', path: `${B1} > ${TX} > ${F1}`,
      },
      {
        section: 'batch', id: B1, gtin: CAKE, lot: 'B1', product_zh: '桂花糕', product_en: 'Osmanthus Cake', ...plantCells, line: '1号线 / Line 1', time: '2025-09-05T08:00:00+08:00', quantity: '240',
        shift: 'AM', operators: 'WANG-03; LI-07', equipment: 'OVEN-3; SEALER-1', session: 'S-0905-AM', work_orders: 'urn:epcglobal:cbv:bt:6901234000016:WO-0905-01',
        inputs: `${F1} × 12.5 KGM`, parameters: 'lotline:ovenTemperature=180', event_id: 'urn:uuid:tx-1', path: B1,
      },
      {
        section: 'shipment', id: 'urn:uuid:ship-1', ...plantCells, to_place: s1.name, to_place_id: s1.id, to_city: '上海', time: '2025-09-05T10:00:00+08:00', end_time: '2025-09-05T11:30:00+08:00',
        quantity: '120', uom: 'CEL', vehicle: V1, min: '4.5', max: '9.1', status: 'received', related: SSCC, event_id: 'urn:uuid:ship-1',
      },
      {
        section: 'shipment', id: 'urn:uuid:ship-2', ...plantCells, to_place: s2.name, to_place_id: s2.id, to_city: '杭州', time: '2025-09-05T10:10:00+08:00',
        quantity: '120', status: 'not_received', related: 'https://id.gs1.org/00/069012340000000023', event_id: 'urn:uuid:ship-2',
      },
      { section: 'location', id: plant.id, kind: 'plant', ...plantCells, produced: '240', received: '0', shipped: '240', sold: '0', returned: '0', destroyed: '0', disposed: '0', wasted: '0', on_hand: '0' },
      { section: 'location', id: plant.id, kind: 'plant', ...plantCells, uom: 'KGM', produced: '0', received: '2000', shipped: '0', sold: '0', returned: '0', destroyed: '0', disposed: '0', wasted: '0', on_hand: '2000' },
      { section: 'location', id: s1.id, kind: 'store', place: s1.name, place_id: s1.id, city: '上海', produced: '0', received: '120', shipped: '0', sold: '30', returned: '2', destroyed: '1', disposed: '0', wasted: '0', on_hand: '87' },
      {
        section: 'qc', id: F1, gtin: FLOUR, lot: 'F1', product_zh: '高筋面粉', product_en: 'Bread Flour', kind: 'inspecting', status: 'conformant', time: '2025-09-04T15:30:00+08:00',
        ...plantCells, city: undefined, related: 'https://cert.example/GB1355', event_id: 'urn:uuid:qc-1',
      },
      {
        section: 'environment', id: B1, gtin: CAKE, lot: 'B1', product_zh: '桂花糕', product_en: 'Osmanthus Cake', kind: 'RelativeHumidity', time: '2025-09-05T08:05:00+08:00', value: '75', uom: 'P1',
        limit: 'max 70', status: 'over_limit', related: 'urn:epc:id:giai:6901234.H1', place: line.name, place_id: line.id, event_id: 'urn:uuid:tx-1',
      },
      {
        section: 'environment', id: B1, gtin: CAKE, lot: 'B1', product_zh: '桂花糕', product_en: 'Osmanthus Cake', kind: 'Temperature', time: '2025-09-05T08:05:00+08:00', value: '24', uom: 'CEL',
        place: line.name, place_id: line.id, event_id: 'urn:uuid:tx-1',
      },
      { section: 'environment', id: 'urn:uuid:ship-1', kind: 'Temperature', time: '2025-09-05T10:30:00+08:00', value: '4.5', uom: 'CEL', place_id: V1, vehicle: V1, event_id: 'urn:uuid:ship-1' },
      { section: 'environment', id: 'urn:uuid:ship-1', kind: 'Temperature', time: '2025-09-05T11:00:00+08:00', value: '9.1', uom: 'CEL', status: 'ALARM_CONDITION', place_id: V1, vehicle: V1, event_id: 'urn:uuid:ship-1' },
    ].map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))));
  });

  it('writes times at another offset on request, and quotes cells with commas', () => {
    const utc = traceCsv(report, { ...options, timeZoneOffset: '+00:00' });
    expect(utc).toContain(',2025-09-05T00:00:00Z,');
    expect(csv).toContain(',"金麦面粉厂 / Golden Wheat Mill, Zhengzhou",');
  });
});

describe('trace PDF', () => {
  it('is an A4 PDF named like the CSV', async () => {
    const out = await exportTraceReport(report, 'pdf', options);
    expect(out.contentType).toBe('application/pdf');
    expect(out.fileName).toBe('trace-06901234100037-B1-20250906-1200.pdf');
    expect(out.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(out.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });

  it.skipIf(!hasPoppler || !hasCjkFont)('states the batch, its operators, the stores and their quantities, in Chinese and English', async () => {
    const out = await traceReportPdf(report, options);
    expect(out.warnings).toEqual([]);
    const text = pdfText(out.pdf, 'report');
    for (const fact of ['追溯报告 Trace report', '(01)06901234100037(10)B1', 'B1 · 桂花糕 Osmanthus Cake', 'WANG-03, LI-07', 'OVEN-3, SEALER-1', 'S-0905-AM', '金麦面粉厂', 'inspecting · conformant', '西湖店 / West Lake']) {
      expect(text).toContain(fact);
    }
    expect(text).toMatch(/截至 As of\s+2025-09-06 12:00 UTC\+08:00/);
    expect(text).toMatch(/2025-09-05 08:05\s+相对湿度\s+75 %\s+max 70\s+超限 over limit/);
    // Shipments: from, to, vehicle, units, receipt, and the transit temperature range.
    expect(text).toMatch(/2025-09-05 10:00\s+金桥工厂 \/ Jinqiao plant\s+南京西路店 \/ Nanjing W\s+GIAI 6901234V1\s+120\s+2025-09-05 11:30\s+4\.5 \/ 9\.1 °C/);
    expect(text).toMatch(/2025-09-05 10:10\s+金桥工厂 \/ Jinqiao plant\s+西湖店 \/ West Lake\s+—\s+120\s+未收货 not/);
    // Quantities per place: produced, received, shipped, sold, returned, destroyed, disposed, on hand; totals per unit.
    expect(text).toMatch(/南京西路店 \/ Nanjing W Rd store\s+件 units\s+0\s+120\s+0\s+30\s+2\s+1\s+0\s+87/);
    expect(text).toMatch(/合计 Total\s+件 units\s+240\s+120\s+240\s+30\s+2\s+1\s+0\s+87/);
    expect(text).toMatch(/合计 Total\s+kg\s+0\s+2000\s+0\s+0\s+0\s+0\s+0\s+2000/);
    // The path of each node, in short labels.
    expect(text).toMatch(/批次 lot B1 → 生产 B1 making of B1 \(produced\) → 批次 lot F1/);
    expect(text).toContain('第 1 / ');
  });

  it.skipIf(!hasPoppler)('continues long tables on new pages with their heading row repeated', async () => {
    const stores: LocationQuantities[] = Array.from({ length: 160 }, (_, i) => ({ ...none, place: place(`urn:store:${i}`, `Store ${String(i).padStart(3, '0')}`, 'store', 'Suzhou'), received: 10, sold: i % 10, onHand: 10 - (i % 10) }));
    const big = { ...report, locations: [...report.locations, ...stores] };
    const out = await traceReportPdf(big, { ...options, cjkFont: { path: null } });
    expect(out.pages).toBeGreaterThanOrEqual(4);
    const pagesWithStores = Array.from({ length: out.pages }, (_, i) => pdfText(out.pdf, 'big', i + 1)).filter((t) => /Store \d{3}/.test(t));
    expect(pagesWithStores.length).toBeGreaterThanOrEqual(3);
    for (const t of pagesWithStores) expect(t).toMatch(/Place\s+Unit\s+Produced\s+Received\s+Shipped\s+Sold\s+Returned\s+Destroyed\s+Disposed\s+On hand/);
    const all = pdfText(out.pdf, 'big');
    expect(all).toMatch(/Store 159\s+units\s+0\s+10\s+0\s+9\s+0\s+0\s+0\s+1/);
    expect(all).toMatch(/Total\s+units\s+240\s+1720\s+240\s+750\s+2\s+1\s+0\s+967/);
  });

  it.skipIf(!hasPoppler)('without a CJK font, prints English captions and names and leaves Chinese out, with a warning', async () => {
    const depot: LocationQuantities = { ...none, place: place('urn:depot:2', '二号仓 / Depot -2', 'warehouse', '上海'), shipped: 3, onHand: -3 };
    const out = await traceReportPdf({ ...report, locations: [...report.locations, depot] }, { ...options, cjkFont: { path: null } });
    expect(out.warnings).toEqual([expect.stringMatching(/CJK font disabled.*Chinese text left out/)]);
    const text = pdfText(out.pdf, 'latin');
    for (const fact of ['Trace report', 'B1 · Osmanthus Cake', 'WANG-03, LI-07', 'Golden Wheat Mill', 'Line 1', 'Page 1 of']) expect(text).toContain(fact);
    expect(text).toMatch(/Nanjing W Rd store\s+units\s+0\s+120\s+0\s+30\s+2\s+1\s+0\s+87/);
    expect(text).toMatch(/Depot -2\s+units\s+0\s+0\s+3\s+0\s+0\s+0\s+0\s+-3/);
    expect(text).not.toMatch(/[\u3400-\u9fff]/);
  });
});

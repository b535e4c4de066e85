import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../src/app/trace/identifiers.ts';
import { TRACE_CSV_COLUMNS, type TraceCsvKey } from '../../src/app/trace/report-export.ts';
import type { TraceReport } from '../../src/app/trace/types.ts';
import { findCjkFont } from '../../src/labels/cjk-font.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { CAKE, FILM, FLOUR, PLANT, S1, S2, dl, lgtin } from '../support/trace-story.ts';

// CI installs poppler-utils and a CJK font (.ci/run): there, these checks must run, never skip.
const inCi = process.env.CI === 'true';
const hasPoppler = inCi || spawnSync('pdftotext', ['-v']).status === 0;
const hasCjkFont = inCi || findCjkFont().ok;
const dir = mkdtempSync(join(tmpdir(), 'lotline-trace-export-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = readFileSync(new URL('../../examples/trace-demo.jsonld', import.meta.url), 'utf8');
const cake1003 = encodeURIComponent('(01)06901234100037(21)1003');
const flourF1 = encodeURIComponent(lgtin(FLOUR, 'F1'));
const gln = (id: string) => /\/414\/(\d{13})/.exec(nodeId(id))?.[1] as string;

/** The CSV's records as their non-empty cells by column key. */
function csvRows(body: Buffer): Partial<Record<TraceCsvKey, string>>[] {
  const [header, ...records] = parse(body, { bom: true }) as string[][];
  expect(header).toEqual(TRACE_CSV_COLUMNS.map((c) => c.header));
  return records.map((r) => Object.fromEntries(TRACE_CSV_COLUMNS.map((c, i) => [c.key, r[i] ?? '']).filter(([, v]) => v !== '')));
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-layout', file, '-']);
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString();
}

describe.each(testEngines())('trace report export on %s', (engine) => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...t.auth('qa'), ...headers } });

  beforeAll(async () => {
    t = await startTestApp(engine);
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, headers: t.auth('qa'), payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    await post('/api/products', { productId: 'cake', gtin: dl(CAKE, 'B1').slice(22, 36), nameZh: '桂花糕', nameEn: 'Osmanthus Cake', shelfLifeHours: 72, granularity: 'unit' });
    await post('/api/products', { productId: 'flour', gtin: dl(FLOUR, 'F1').slice(22, 36), nameZh: '高筋面粉', nameEn: 'Bread Flour', shelfLifeHours: 4000, granularity: 'batch' });
    await post('/api/products', { productId: 'film', gtin: dl(FILM, 'P1').slice(22, 36), nameZh: '包装膜', nameEn: 'Wrapping Film', shelfLifeHours: 9000, granularity: 'batch' });
    await post('/api/locations', { locationId: 'plant', type: 'plant', nameZh: '金桥工厂', nameEn: 'Jinqiao plant', gln: gln(PLANT), city: '上海' });
    await post('/api/locations', { locationId: 's1', type: 'store', nameZh: '南京西路店', nameEn: 'Nanjing W Rd store', gln: gln(S1), city: '上海' });
    await post('/api/locations', { locationId: 's2', type: 'store', nameZh: '徐家汇店', nameEn: 'Xujiahui store', gln: gln(S2), city: '上海' });
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: demo });
    expect(res.statusCode, res.body).toBe(202);
  });
  afterAll(async () => t?.close());

  it('exports a cake upstream as CSV: raw lots, the batch with its operator, and the humidity over the limit', async () => {
    const res = await get(`/api/trace?code=${cake1003}&direction=upstream&format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="trace-06901234100037-1003-\d{8}-\d{4}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(res.rawPayload);
    expect(rows[0]).toMatchObject({ section: 'query', id: 'https://id.gs1.org/01/06901234100037/21/1003', kind: 'unit', direction: 'upstream', related: '(01)06901234100037(21)1003' });
    expect(rows.filter((r) => r.section === 'raw_lot').map((r) => [r.lot, r.product_en, r.quantity ?? '', r.time ?? ''])).toEqual([
      ['F1', 'Bread Flour', '50', '2025-09-05T06:00:00+08:00'],
      ['P1', 'Wrapping Film', '', ''],
    ]);
    expect(rows.filter((r) => r.section === 'batch')).toEqual([
      expect.objectContaining({ lot: 'B1', product_zh: '桂花糕', time: '2025-09-05T08:00:00+08:00', quantity: '10', place: '金桥工厂 / Jinqiao plant', shift: 'AM', operators: 'WANG-03', equipment: 'OVEN-3; SEALER-1' }),
    ]);
    // The organisation's default limit for relative humidity is 70 %.
    expect(rows.filter((r) => r.section === 'environment').map((r) => [r.lot, r.kind, r.value, r.uom, r.limit, r.status])).toEqual([['B1', 'RelativeHumidity', '75', 'P1', 'max 70', 'over_limit']]);
    expect(rows.find((r) => r.section === 'node' && r.lot === 'F1')?.path).toMatch(/^https:\/\/id\.gs1\.org\/01\/06901234100037\/21\/1003 > https:\/\/id\.gs1\.org\/01\/06901234100037\/10\/B1 > tx:.+ > https:\/\/id\.gs1\.org\/01\/06901234200119\/10\/F1$/);
  });

  it('exports a flour lot downstream as CSV (asked for by Accept), with per-store quantities and times at the asked offset', async () => {
    const res = await get(`/api/trace?code=${flourF1}&direction=downstream&timeZoneOffset=%2B00:00`, { accept: 'text/csv' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers.vary).toMatch(/Accept/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="trace-06901234200119-F1-\d{8}-\d{4}\.csv"$/);
    const rows = csvRows(res.rawPayload);
    const stores = rows.filter((r) => r.section === 'location' && r.kind === 'store').map((r) => [r.place, r.received, r.sold, r.on_hand]);
    expect(stores).toEqual([
      ['南京西路店 / Nanjing W Rd store', '6', '2', '4'],
      ['徐家汇店 / Xujiahui store', '4', '0', '4'],
    ]);
    const shipments = rows.filter((r) => r.section === 'shipment').map((r) => [r.time, r.to_place, r.vehicle, r.quantity, r.status]);
    expect(shipments).toEqual([
      ['2025-09-05T02:00:00Z', '南京西路店 / Nanjing W Rd store', 'https://id.gs1.org/8004/6901234V1', '6', 'received'],
      ['2025-09-05T02:00:00Z', '徐家汇店 / Xujiahui store', 'https://id.gs1.org/8004/6901234V2', '4', 'received'],
      ['2025-09-05T04:30:00Z', '徐家汇店 / Xujiahui store', 'https://id.gs1.org/8004/6901234V2', '6', 'not_received'],
    ]);
  });

  it('exports the flour lot downstream as a PDF report naming the batches, operator, stores and quantities', async () => {
    const res = await get(`/api/trace?code=${flourF1}&direction=downstream`, { accept: 'application/pdf' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="trace-06901234200119-F1-\d{8}-\d{4}\.pdf"$/);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (!hasPoppler) return;
    const text = pdfText(res.rawPayload, `flour-${engine}`);
    for (const fact of ['B1 · ', 'B2 · ', 'Osmanthus Cake', 'WANG-03', 'OVEN-3, SEALER-1', 'Jinqiao plant', 'GIAI 6901234V1']) expect(text).toContain(fact);
    const zh = (s: string) => (hasCjkFont ? s : '');
    expect(text).toMatch(new RegExp(`${zh('南京西路店 / ')}Nanjing W Rd store\\s+${zh('件 ')}units\\s+0\\s+6\\s+0\\s+2\\s+0\\s+0\\s+0\\s+4`));
    expect(text).toMatch(new RegExp(`${zh('徐家汇店 / ')}Xujiahui store\\s+${zh('件 ')}units\\s+0\\s+4\\s+0\\s+0\\s+0\\s+0\\s+0\\s+4`));
    expect(text).toMatch(new RegExp(`${zh('合计 ')}Total\\s+${zh('件 ')}units\\s+20\\s+10\\s+16\\s+2\\s+0\\s+0\\s+0\\s+12`));
    if (hasCjkFont) expect(res.headers['x-lotline-warnings']).toBeUndefined();
  });

  it('still answers JSON by default and for format=json', async () => {
    for (const url of [`/api/trace?code=${cake1003}&direction=upstream`, `/api/trace?code=${cake1003}&direction=upstream&format=json`]) {
      const res = await get(url, { accept: '*/*' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect((res.json() as TraceReport).batches.map((b) => b.operators)).toEqual([['WANG-03']]);
    }
  });

  it('answers a bad format or offset with a 400 problem pointing to the parameter', async () => {
    const bad = await get(`/api/trace?code=${cake1003}&format=xlsx`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((bad.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toContain('/query/format');
    const offset = await get(`/api/trace?code=${cake1003}&format=csv&timeZoneOffset=Asia/Shanghai`);
    expect(offset.statusCode).toBe(400);
    expect((offset.json() as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/query/timeZoneOffset');
    const unknown = await get(`/api/trace?code=${encodeURIComponent('urn:epc:id:sgtin:6901234.010003.999999')}&format=pdf`);
    expect(unknown.statusCode).toBe(404);
  });
});

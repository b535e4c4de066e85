import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('operations and spreadsheets on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('answers /healthz without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', engine });
  });

  it('serves Prometheus metrics that count captured events', async () => {
    await t.app.inject({ method: 'GET', url: '/api/products', headers: t.auth('viewer') });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('lotline_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/route="\/api\/products"/);
  });

  it('publishes an OpenAPI description of every route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/epcis/capture', '/epcis/events', '/api/products', '/api/ledger/verify', '/api/audit']));
  });

  it('answers 401 without a token and 404 with a problem body for unknown routes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/products' })).statusCode).toBe(401);
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing', headers: t.auth() });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toBe('epcisException:NoSuchResourceException');
  });

  it('imports products from an XLSX workbook, naming the bad cell', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('products');
    sheet.addRow(['productId', 'gtin', 'nameZh', 'nameEn', 'shelfLifeHours', 'granularity']);
    sheet.addRow(['cake-sakura', '6901234567892', '樱花蛋糕', 'Cherry-blossom cake', 168, 'batch']);
    sheet.addRow(['cake-bad', '6901234567893', '坏蛋糕', 'Bad cake', 168, 'batch']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const rejected = await t.app.inject({ method: 'POST', url: '/api/products/import', headers: { ...t.auth('qa'), 'content-type': type }, payload: data });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().errors).toEqual([expect.objectContaining({ row: 3, column: 'gtin', rule: 'gs1Key' })]);
    const partial = await t.app.inject({ method: 'POST', url: '/api/products/import?mode=valid-rows', headers: { ...t.auth('qa'), 'content-type': type }, payload: data });
    expect(partial.json()).toMatchObject({ created: 1, rejected: 1 });
    const got = await t.app.inject({ method: 'GET', url: '/api/products/cake-sakura', headers: t.auth('viewer') });
    expect(got.json()).toMatchObject({ gtin: '06901234567892', shelfLifeHours: 168 });
  });

  it('issues, lists and revokes tokens; a revoked token stops working', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: t.auth(), payload: { role: 'store', label: 'POS 1' } });
    expect(created.statusCode).toBe(201);
    const { token, tokenId } = created.json();
    expect((await t.app.inject({ method: 'GET', url: '/api/products', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.auth() });
    expect(list.body).not.toContain(token);
    expect(list.json().items.map((i: { tokenId: string }) => i.tokenId)).toContain(tokenId);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${tokenId}`, headers: t.auth() })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/products', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.auth('qa') })).statusCode).toBe(403);
  });
});

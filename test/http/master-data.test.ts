import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('master data on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const product = { productId: 'mooncake-star', gtin: '6901234567892', nameZh: '星辰月饼', nameEn: 'Star Mooncake', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC' };

  it('creates, reads, patches with If-Match and archives a product', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('qa'), payload: product });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ productId: 'mooncake-star', gtin: '06901234567892', version: 1, archived: false });

    const got = await t.app.inject({ method: 'GET', url: '/api/products/mooncake-star', headers: t.auth('viewer') });
    expect(got.json().nameZh).toBe('星辰月饼');

    const stale = await t.app.inject({ method: 'PATCH', url: '/api/products/mooncake-star', headers: { ...t.auth('qa'), 'if-match': '"7"' }, payload: { shelfLifeHours: 480 } });
    expect(stale.statusCode).toBe(409);

    const patched = await t.app.inject({ method: 'PATCH', url: '/api/products/mooncake-star', headers: { ...t.auth('qa'), 'if-match': '"1"' }, payload: { shelfLifeHours: 480 } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ shelfLifeHours: 480, nameEn: 'Star Mooncake', version: 2 });

    const archived = await t.app.inject({ method: 'DELETE', url: '/api/products/mooncake-star', headers: t.auth('qa') });
    expect(archived.json().archived).toBe(true);
    const list = await t.app.inject({ method: 'GET', url: '/api/products', headers: t.auth('qa') });
    expect(list.json().items.map((p: { productId: string }) => p.productId)).not.toContain('mooncake-star');
    const all = await t.app.inject({ method: 'GET', url: '/api/products?includeArchived=true', headers: t.auth('qa') });
    expect(all.json().items.map((p: { productId: string }) => p.productId)).toContain('mooncake-star');
  });

  it('rejects a wrong GTIN check digit and points at the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('qa'), payload: { ...product, productId: 'p2', gtin: '6901234567893' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'epcisException:ValidationException', errors: [{ pointer: '/gtin', rule: 'gs1Key' }] });
    expect(res.json().errors[0].message).toContain('expected 2');
  });

  it('rejects unknown fields and missing required fields with JSON pointers', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('qa'), payload: { productId: 'p3', nameZh: 'x', colour: 'red' } });
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/colour', '/nameEn', '/shelfLifeHours', '/granularity']));
  });

  it('rejects a reference to a location that does not exist', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/locations', headers: t.auth('qa'), payload: { locationId: 'line-b', type: 'line', nameZh: 'B线', nameEn: 'Line B', parentId: 'nowhere' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/parentId', rule: 'reference' })]);
  });

  it('imports locations from CSV atomically, naming the bad row and column', async () => {
    const bad = 'locationId,type,nameZh,nameEn,parentId,city\nplant-sh,plant,上海工厂,Shanghai plant,,上海\nline-a,line,A线,Line A,plant-sh,上海\nline-x,conveyor,X线,Line X,plant-sh,上海\n';
    const rejected = await t.app.inject({ method: 'POST', url: '/api/locations/import', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: bad });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().errors).toEqual([expect.objectContaining({ row: 4, column: 'type', rule: 'enum' })]);
    const none = await t.app.inject({ method: 'GET', url: '/api/locations', headers: t.auth('qa') });
    expect(none.json().items).toHaveLength(0);

    const partial = await t.app.inject({ method: 'POST', url: '/api/locations/import?mode=valid-rows', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: bad });
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ total: 3, created: 2, rejected: 1 });
    const two = await t.app.inject({ method: 'GET', url: '/api/locations?type=line', headers: t.auth('qa') });
    expect(two.json().items.map((l: { locationId: string }) => l.locationId)).toEqual(['line-a']);
  });

  it('accepts Chinese column headers', async () => {
    const csv = '合作方编号,类别,名称(中文),名称(英文),城市\nsup-flour,supplier,金麦面粉,Golden Wheat Flour,无锡\n';
    const res = await t.app.inject({ method: 'POST', url: '/api/parties/import', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 1 });
  });

  it('imports large files in chunks, and a second import updates the same records', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => `op-${String(i).padStart(4, '0')},操作员${i},baker`);
    const csv = ['operatorId,name,title', ...rows].join('\n');
    const first = await t.app.inject({ method: 'POST', url: '/api/operators/import', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: csv });
    expect(first.json()).toMatchObject({ total: 1_200, created: 1_200, updated: 0 });
    await t.app.inject({ method: 'DELETE', url: '/api/operators/op-0007', headers: t.auth('qa') });
    const again = await t.app.inject({ method: 'POST', url: '/api/operators/import', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: csv.replaceAll(',baker', ',pastry chef') });
    expect(again.json()).toMatchObject({ created: 0, updated: 1_200 });
    const op = (await t.app.inject({ method: 'GET', url: '/api/operators/op-0007', headers: t.auth('viewer') })).json();
    expect(op).toMatchObject({ title: 'pastry chef', archived: false, version: 3 });
  });

  it('records every write in the audit log', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/audit?action=products.*', headers: t.auth('regulator') });
    expect(res.statusCode).toBe(200);
    const actions = res.json().items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['products.create', 'products.update', 'products.archive']));
  });

  it('replaces a record with PUT, clearing optional fields left out', async () => {
    await t.app.inject({ method: 'POST', url: '/api/parties', headers: t.auth('qa'), payload: { partyId: 'carrier-1', kind: 'carrier', nameZh: '顺路物流', nameEn: 'Shunlu Logistics', city: '上海', phone: '021-1234' } });
    const put = await t.app.inject({ method: 'PUT', url: '/api/parties/carrier-1', headers: t.auth('qa'), payload: { kind: 'carrier', nameZh: '顺路物流', nameEn: 'Shunlu Logistics Co.' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ nameEn: 'Shunlu Logistics Co.', city: null, phone: null, version: 2 });
    expect(put.headers.etag).toBe('"2"');
    const renamed = await t.app.inject({ method: 'PUT', url: '/api/parties/carrier-1', headers: t.auth('qa'), payload: { partyId: 'carrier-2', kind: 'carrier', nameZh: 'x', nameEn: 'x' } });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().errors[0].pointer).toBe('/partyId');
  });

  it('pages lists by identifier and filters them', async () => {
    const csv = ['locationId,type,nameZh,nameEn,city', ...Array.from({ length: 7 }, (_, i) => `store-${i},store,门店${i},Store ${i},${i < 4 ? '上海' : '杭州'}`)].join('\n');
    expect((await t.app.inject({ method: 'POST', url: '/api/locations/import', headers: { ...t.auth('qa'), 'content-type': 'text/csv' }, payload: csv })).statusCode).toBe(200);
    const seen: string[] = [];
    let url = '/api/locations?type=store&limit=3';
    for (let i = 0; i < 5; i++) {
      const page = (await t.app.inject({ method: 'GET', url, headers: t.auth('viewer') })).json();
      seen.push(...page.items.map((l: { locationId: string }) => l.locationId));
      if (!page.next) break;
      url = `/api/locations?type=store&limit=3&after=${page.next}`;
    }
    expect(seen).toEqual(['store-0', 'store-1', 'store-2', 'store-3', 'store-4', 'store-5', 'store-6']);
    const hz = await t.app.inject({ method: 'GET', url: `/api/locations?city=${encodeURIComponent('杭州')}`, headers: t.auth('viewer') });
    expect(hz.json().items).toHaveLength(3);
    const q = await t.app.inject({ method: 'GET', url: '/api/locations?q=store%205', headers: t.auth('viewer') });
    expect(q.json().items.map((l: { locationId: string }) => l.locationId)).toEqual(['store-5']);
  });

  it('keeps viewers from writing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('viewer'), payload: { ...product, productId: 'p9' } });
    expect(res.statusCode).toBe(403);
  });
});

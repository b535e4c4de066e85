/**
 * What the console's master-data and labels pages build their forms from: the entity definitions
 * (`GET /api/master-data/schema`) and the label stocks (`GET /api/labels/layouts`). The answers must
 * agree with the routes that use them — every field the schema names is a template column and is
 * accepted when creating a record, every layout prints a PDF — so the forms never drift from the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityView } from '../../src/app/admin-ui/master-data-schema.ts';
import type { LayoutView } from '../../src/app/admin-ui/label-layouts.ts';
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('console admin API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const get = async <T>(url: string, role: Parameters<TestApp['auth']>[0] = 'admin'): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth(role) });
    expect(res.statusCode, res.body).toBe(200);
    return JSON.parse(res.body) as T;
  };

  it('describes every entity with bilingual labels, types, limits, required fields and enum values', async () => {
    const { kinds } = await get<{ kinds: EntityView[] }>('/api/master-data/schema');
    expect(kinds.map((k) => k.kind)).toEqual(['products', 'locations', 'parties', 'equipment', 'operators']);
    const products = kinds.find((k) => k.kind === 'products')!;
    expect(products).toMatchObject({ idField: 'productId', labelZh: '产品', labelEn: 'Products' });
    const field = (name: string) => products.fields.find((f) => f.name === name);
    expect(field('productId')).toMatchObject({ type: 'id', required: true, identifier: true, labelZh: '产品编号', labelEn: 'Product ID' });
    expect(field('gtin')).toMatchObject({ type: 'gtin', required: false, identifier: false });
    expect(field('shelfLifeHours')).toMatchObject({ type: 'int', required: true, minimum: 1, labelZh: '保质期(小时)', labelEn: 'Shelf life (hours)' });
    expect(field('granularity')).toMatchObject({ type: 'enum', values: ['batch', 'unit'], required: true });
    expect(field('productLine')).toMatchObject({ type: 'text', maxLength: 20 });
    const locations = kinds.find((k) => k.kind === 'locations')!;
    expect(locations.fields.find((f) => f.name === 'type')?.values).toContain('qc_centre');
    expect(locations.fields.find((f) => f.name === 'parentId')).toMatchObject({ type: 'ref', refersTo: 'locations' });
    for (const k of kinds) for (const f of k.fields) expect(f.labelZh.length * f.labelEn.length, `${k.kind}.${f.name}`).toBeGreaterThan(0);
  });

  it('names exactly the columns of each CSV template, and a record built from the required fields is accepted', async () => {
    const { kinds } = await get<{ kinds: EntityView[] }>('/api/master-data/schema');
    for (const k of kinds) {
      const res = await t.app.inject({ method: 'GET', url: `/api/${k.kind}/template.csv`, headers: t.auth() });
      expect(res.body.replace(/^\ufeff/, '').trim().split(',')).toEqual(k.fields.map((f) => f.name));
    }
    // A form that fills what the schema marks required (with values its types allow) creates a record.
    const operators = kinds.find((k) => k.kind === 'operators')!;
    const body = Object.fromEntries(operators.fields.filter((f) => f.required).map((f) => [f.name, f.type === 'enum' ? f.values![0] : `schema-${f.name}`]));
    const res = await t.app.inject({ method: 'POST', url: '/api/operators', headers: t.auth(), payload: body });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('lists label layouts that POST /api/labels/batch prints', async () => {
    const gtin = withCheckDigit('0690123400017');
    const created = await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth(), payload: { productId: 'layout-cake', gtin, nameZh: '布局蛋糕', nameEn: 'Layout cake', shelfLifeHours: 48, granularity: 'unit' } });
    expect(created.statusCode, created.body).toBe(201);
    const r = await get<{ layouts: LayoutView[]; symbologies: { symbology: string }[]; defaultLayout: string }>('/api/labels/layouts');
    expect(r.layouts.map((l) => l.layout)).toEqual(['a4-3x8', 'thermal-60x40']);
    expect(r.layouts[0]).toMatchObject({ labelsPerPage: 24, pageWidthMm: 210, pageHeightMm: 297 });
    expect(r.defaultLayout).toBe('a4-3x8');
    for (const l of r.layouts) {
      for (const s of r.symbologies) {
        const res = await t.app.inject({ method: 'POST', url: '/api/labels/batch', headers: t.auth(), payload: { productId: 'layout-cake', batchCode: '250905-MC-AM-001', count: 2, layout: l.layout, symbology: s.symbology } });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toContain('application/pdf');
        expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      }
    }
  });

  it('answers every role that reads master data, the same for every organisation, and nobody without a token', async () => {
    const mine = await get<unknown>('/api/master-data/schema', 'viewer');
    expect(await get<unknown>('/api/master-data/schema', 'other')).toEqual(mine);
    expect(await get<unknown>('/api/labels/layouts', 'supplier')).toEqual(await get<unknown>('/api/labels/layouts', 'other'));
    for (const url of ['/api/master-data/schema', '/api/labels/layouts']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer llt_nope' } })).statusCode).toBe(401);
    }
  });
});

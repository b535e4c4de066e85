import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../src/labels/testing/zxing-decode.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('label printing on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('qa'), payload: { productId: 'mooncake', gtin: '06901234567892', nameZh: '星辰月饼', nameEn: 'Star Mooncake', shelfLifeHours: 504, granularity: 'unit' } });
    await t.app.inject({ method: 'POST', url: '/api/products', headers: t.auth('qa'), payload: { productId: 'no-gtin', nameZh: '无码', nameEn: 'No code', shelfLifeHours: 24, granularity: 'batch' } });
  });
  afterAll(async () => t?.close());

  const print = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/labels/batch', headers: t.auth('production'), payload: body });

  it('prints a PDF sheet of new serials, expiring after the shelf life', async () => {
    const res = await print({ productId: 'mooncake', batchCode: '250905-MC-AM-001', count: 30, layout: 'a4-3x8', producedAt: '2025-09-05T08:00:00+08:00' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.headers['x-lotline-serials']).toBe('1-30');
    expect(res.headers['x-lotline-expires-at']).toBe('2025-09-26T08:00:00+08:00');
    // 30 labels on A4 sheets of 24: two pages.
    expect(res.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(2);
  });

  it('never prints the same serial twice, even from concurrent printers, and reprints only what was printed', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => print({ productId: 'mooncake', batchCode: '250905-MC-AM-002', count: 4, layout: 'thermal-60x40' })));
    const ranges = answers.map((a) => a.headers['x-lotline-serials'] as string).sort();
    // Serials are unique per GTIN: batch -001 took 1–30, so this batch continues at 31.
    expect(ranges).toEqual(['31-34', '35-38', '39-42']);
    const reprint = await print({ productId: 'mooncake', batchCode: '250905-MC-AM-002', reprint: { from: 35, to: 36 }, layout: 'thermal-60x40' });
    expect(reprint.headers['x-lotline-serials']).toBe('35-36');
    const beyond = await print({ productId: 'mooncake', batchCode: '250905-MC-AM-002', reprint: { from: 42, to: 43 }, layout: 'thermal-60x40' });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().errors[0].pointer).toBe('/reprint/to');
    // Another batch's serials are not this batch's to reprint.
    const others = await print({ productId: 'mooncake', batchCode: '250905-MC-AM-002', reprint: { from: 29, to: 31 }, layout: 'thermal-60x40' });
    expect(others.statusCode).toBe(400);
    expect(others.json().errors[0].pointer).toBe('/reprint');
  });

  it('refuses a product without GTIN and a batch code that is not a valid AI (10) value, taking no serials', async () => {
    const noGtin = await print({ productId: 'no-gtin', batchCode: 'B1', count: 1, layout: 'a4-3x8' });
    expect(noGtin.statusCode).toBe(400);
    expect(noGtin.json().errors[0]).toMatchObject({ pointer: '/productId', rule: 'gtinRequired' });
    const badBatch = await print({ productId: 'mooncake', batchCode: '批次一', count: 1, layout: 'a4-3x8' });
    expect(badBatch.statusCode).toBe(400);
    const next = await print({ productId: 'mooncake', batchCode: '250905-MC-AM-003', count: 1, layout: 'a4-3x8' });
    expect(next.headers['x-lotline-serials']).toBe('43-43');
  });

  it('renders a symbol for any code, which decodes back to its Digital Link', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/labels/symbol?format=png&code=${encodeURIComponent('(01)06901234567892(10)250905-MC-AM-001(21)7')}`, headers: t.auth('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(decodePng(res.rawPayload, 'qrCode')).toBe('https://id.gs1.org/01/06901234567892/10/250905-MC-AM-001/21/7');
    const sscc = await t.app.inject({ method: 'GET', url: '/api/labels/symbol?format=png&symbology=gs1-128&code=(00)069012340000000016', headers: t.auth('viewer') });
    expect(sscc.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'GET', url: '/api/labels/symbol?code=06901234567893', headers: t.auth('viewer') });
    expect(bad.statusCode).toBe(400);
  });
});

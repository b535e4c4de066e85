/**
 * The consumer scan page in a real browser on a phone-sized screen: a box of the demo batch, before
 * and after its recall is approved, in Chinese and in English; the complaint form, its validation and
 * a photo upload; a return ticket.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true } as const;

/** A small valid PNG (a 2×2 red square), as a phone camera might send a photo. */
function png(): Buffer {
  const crc = (b: Buffer) => {
    let c = ~0;
    for (const x of b) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe.skipIf(!e2eAvailable())('consumer page in Chromium on a phone', () => {
  let e2e: E2E;
  /** The box's QR code as a path on Lotline's own host. */
  let boxPath = '';

  const asQa = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${e2e.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${e2e.tokens.qa}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    e2e = await startE2E();
    boxPath = new URL(e2e.codes.unitQr).pathname;
  }, 180_000);
  afterAll(async () => e2e?.close());

  it('shows the product, its batch and times, and no banner while nothing is recalled', async () => {
    const page = await e2e.page({ ...PHONE, locale: 'zh-CN' });
    await page.goto(boxPath);
    expect(await page.getByTestId('product-name').textContent()).toContain('星辰月饼');
    expect(await page.locator('body').textContent()).toContain('250905-B-AM-002');
    expect(await page.getByTestId('recall-banner').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'consumer-zh');
  });

  it('validates a complaint next to its fields, then files it with a photo', async () => {
    const page = await e2e.page({ ...PHONE, locale: 'zh-CN' });
    await page.goto(boxPath);
    const form = page.getByTestId('complaint-form');
    // The browser's own checks pass (the text is not empty, a file is chosen); the server's do not: text of
    // spaces only, and a "photo" that is really a text file renamed .jpg.
    const fake = join(tmpdir(), 'lotline-e2e-not-a-photo.jpg');
    writeFileSync(fake, 'this is not an image');
    await form.locator('textarea[name=text]').fill('   ');
    await form.locator('input[type=file]').setInputFiles(fake);
    await form.locator('button[type=submit]').click();
    await expect.poll(async () => (await page.getByTestId('complaint-form-error-text').isVisible()) && (await page.getByTestId('complaint-form-error-photo').isVisible())).toBe(true);
    expect(await page.getByTestId('complaint-form-error-photo').textContent()).toMatch(/JPEG|PNG|WebP/);
    await e2e.screenshot(page, 'consumer-complaint-errors');

    const photo = join(tmpdir(), 'lotline-e2e-photo.png');
    writeFileSync(photo, png());
    await page.getByTestId('complaint-form').locator('textarea[name=text]').fill('封口处有漏气，月饼变硬');
    await page.getByTestId('complaint-form').locator('input[type=file]').setInputFiles(photo);
    await page.getByTestId('complaint-form').locator('button[type=submit]').click();
    await page.getByTestId('complaint-done').waitFor();
    const reference = /(CP-[\w-]+)/.exec((await page.getByTestId('complaint-done').textContent()) ?? '')?.[1];
    expect(reference).toBeDefined();
    await e2e.screenshot(page, 'consumer-complaint-done');

    // QA sees it, tied to the exact box, with its photo.
    const complaint = await asQa('GET', `/api/complaints/${reference}`);
    expect(JSON.stringify(complaint)).toContain('封口处有漏气');
    expect(JSON.stringify(complaint)).toContain(boxPath.split('/21/')[1]);
    const photoRes = await fetch(`${e2e.baseUrl}/api/complaints/${reference}/photo`, { headers: { authorization: `Bearer ${e2e.tokens.qa}` } });
    expect(photoRes.headers.get('content-type')).toBe('image/png');
  });

  it('shows an unmistakable recall banner in the browser language once the recall is approved, and issues a return ticket', async () => {
    const opened = await asQa('POST', '/api/recalls', { title: '星辰月饼封口不严 / Star mooncake seal leak', hazard: 'packaging_seal', origin: 'qc_finding', codes: [e2e.codes.batchLink] });
    const id = opened.case.caseId as string;
    await asQa('POST', `/api/recalls/${id}/assess`, { level: 3, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'preventive' });
    await asQa('PUT', `/api/recalls/${id}/notice-plan`, { audiences: ['store', 'consumer'], instructions: { 'zh-CN': '请立即停止食用，可退回门店或扫码退货', en: 'Stop eating it now; return it to the store or scan to return' }, compensation: ['refund', 'voucher'] });
    await asQa('POST', `/api/recalls/${id}/scope`, { rules: ['downstream'], reason: 'the suspect batch' });
    await asQa('POST', `/api/recalls/${id}/scope/1/approve`, { reason: 'approved' });

    const zh = await e2e.page({ ...PHONE, locale: 'zh-CN' });
    await zh.goto(boxPath);
    const banner = zh.getByTestId('recall-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await zh.getByTestId('recall-instructions').textContent()).toContain('请立即停止食用');
    const box = await banner.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(await horizontalOverflow(zh)).toBeLessThanOrEqual(0);
    expect(await a11yProblems(zh)).toEqual([]);
    await e2e.screenshot(zh, 'consumer-recall-zh');

    const en = await e2e.page({ ...PHONE, locale: 'en-US' });
    await en.goto(boxPath);
    await en.getByTestId('recall-banner').waitFor();
    expect(await en.getByTestId('recall-instructions').textContent()).toContain('Stop eating it now');
    expect(await en.evaluate(() => document.documentElement.lang)).toBe('en');
    await e2e.screenshot(en, 'consumer-recall-en');

    await zh.getByTestId('return-form').locator('button[type=submit]').click();
    await zh.getByTestId('return-done').waitFor();
    expect(await zh.getByTestId('return-done').textContent()).toMatch(/RT-[2-9A-Z]{8}/);
    await e2e.screenshot(zh, 'consumer-return-ticket');
  });
});

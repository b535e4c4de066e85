/**
 * The overview and the trace explorer in a real browser on the 月华坊 demo data: QA sees an open
 * recall's legal clocks counting down (in Chinese, then English), traces the scanned box upstream to
 * its batch story and the batch downstream to its 35 stores in three cities with a 100 % mass balance,
 * keeps the trace in the URL, re-traces from a node, and opens a recall from it; a viewer cannot.
 * At 375 px neither page overflows and every control has a name. The first load stays under 500 kB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/http/web.ts';
import { type E2E, SCREENSHOTS, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

describe.skipIf(!e2eAvailable())('overview and trace explorer (Chromium)', () => {
  let e2e: E2E;
  let caseNumber = '';

  beforeAll(async () => {
    e2e = await startE2E();
    // An assessed recall, so the overview has legal clocks running.
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${e2e.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${e2e.tokens.qa}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { case: { caseId: string; caseNumber: string } };
    };
    const opened = await post('/api/recalls', { title: '星辰月饼封口不严 / Star mooncake seal leak', hazard: 'packaging_seal', origin: 'qc_finding', codes: [e2e.codes.batchLink] });
    caseNumber = opened.case.caseNumber;
    await post(`/api/recalls/${opened.case.caseId}/assess`, { level: 3, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'seal integrity uncertain' });
  }, 300_000);
  afterAll(async () => e2e?.close());

  const traceUrl = (code: string, direction: string) => `/console/trace?code=${encodeURIComponent(code)}&direction=${direction}`;
  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';

  it('shows open recalls with live legal clocks, in Chinese and in English', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'qa');
    await page.getByTestId('overview-recall').first().waitFor();
    expect(await text(page, 'overview-recalls')).toContain(caseNumber);
    expect(await text(page, 'overview-recalls')).toContain('三级召回（蓝色）');
    const first = await text(page, 'clock-countdown');
    expect(first).toMatch(/^剩余 \d+ 天 \d\d:\d\d:\d\d$/);
    // It counts down while the page is open.
    await expect.poll(() => text(page, 'clock-countdown'), { timeout: 5000 }).not.toBe(first);
    await page.getByTestId('capture-chart').waitFor();
    await page.getByTestId('overview-warnings').waitFor();
    await page.getByTestId('overview-expiring').waitFor();
    await e2e.screenshot(page, 'overview-zh');

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Overview');
    expect(await text(page, 'overview-recalls')).toContain('Level 3 recall (blue)');
    expect(await text(page, 'clock-countdown')).toMatch(/^\d+ d \d\d:\d\d:\d\d left$/);
    await e2e.screenshot(page, 'overview-en');
  });

  it('traces the scanned box upstream to its batch story, and the batch downstream to its stores and mass balance', async () => {
    const page = await e2e.page({ locale: 'en' });
    await e2e.signIn(page, 'qa');
    await page.getByTestId('lang-switch').click();
    await page.goto(traceUrl(e2e.codes.unitQr, 'upstream'));
    await page.getByTestId('batch-story').waitFor();
    expect(await text(page, 'batch-lot')).toBe('250905-B-AM-002');
    expect(await text(page, 'batch-line')).toContain('Line B');
    expect(await text(page, 'batch-equipment')).toContain('SEAL-B1');
    expect(await text(page, 'raw-lots')).toMatch(/Jinmai Flour/);
    await page.getByTestId('environment-chart').waitFor();
    await expect.poll(() => text(page, 'mb-accounted'), { timeout: 20_000 }).toBe('100 %');
    await e2e.screenshot(page, 'trace-upstream');

    // A new search from the box: the batch, downstream; the URL keeps it.
    await page.getByTestId('trace-code').fill(e2e.codes.batchLink);
    await page.getByTestId('trace-submit').click();
    await page.getByText('Downstream', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('direction')).toBe('downstream');
    expect(new URL(page.url()).searchParams.get('code')).toBe(e2e.codes.batchLink);
    await page.getByTestId('locations').waitFor();
    expect(await text(page, 'store-summary')).toBe('Stores: 35 · cities: 3');
    const locations = await text(page, 'locations');
    for (const city of ['上海', '杭州', '南京']) expect(locations).toContain(city);
    expect(await text(page, 'shipments')).toContain('VAN01');
    await expect.poll(() => text(page, 'mb-accounted'), { timeout: 20_000 }).toBe('100 %');
    expect(await page.getByTestId('mb-no-differences').count()).toBe(1);
    await page.getByTestId('scope-compute').click();
    await expect.poll(() => text(page, 'scope-totals'), { timeout: 30_000 }).toMatch(/^\d+ lots, \d+ units, \d+ locations, \d+ cities$/);
    await e2e.screenshot(page, 'trace-downstream');
    await page.getByTestId('mass-balance').screenshot({ path: join(SCREENSHOTS, 'trace-mass-balance.png') });

    // Reloading the shared URL gives the same trace.
    await page.reload();
    await page.getByTestId('locations').waitFor();
    expect(await page.getByTestId('trace-code').inputValue()).toBe(e2e.codes.batchLink);

    // A node from the graph's list: its details, then a trace from it.
    await page.locator('details summary').first().click();
    await page.getByRole('button', { name: /^Cases\/pallets: SSCC/ }).first().click();
    await page.getByTestId('node-details').waitFor();
    await page.getByTestId('retrace').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('code')).toMatch(/^https:\/\/id\.gs1\.org\/00\/\d{18}$/);
    await page.getByTestId('trace-resolved').waitFor();
    expect(await text(page, 'trace-resolved')).toContain('case/pallet');

    // Open a recall with the traced code.
    await page.goBack();
    await page.getByTestId('open-recall').click();
    await page.waitForURL(/\/console\/recalls\?open=/);
    expect(new URL(page.url()).searchParams.get('open')).toBe(e2e.codes.batchLink);
  });

  it('offers a viewer no way to open a recall', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'viewer');
    await page.goto(traceUrl(e2e.codes.batchLink, 'downstream'));
    await page.getByTestId('locations').waitFor();
    expect(await page.getByTestId('open-recall').count()).toBe(0);
    expect(await page.getByTestId('export-csv').count()).toBe(1);
  });

  it('fits a 375 px wide phone without horizontal overflow, every control named', async () => {
    const page = await e2e.page({ viewport: { width: 375, height: 800 }, isMobile: true });
    await e2e.signIn(page, 'qa');
    await page.getByTestId('overview-recall').first().waitFor();
    await page.getByTestId('capture-chart').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // A phone widens its layout viewport to fit wide content, which hides the overflow from the check above.
    expect(await page.evaluate(() => window.innerWidth)).toBe(375);
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'overview-375');
    await page.goto(traceUrl(e2e.codes.batchLink, 'both'));
    await page.getByTestId('batch-story').waitFor();
    await page.getByTestId('locations').waitFor();
    await page.getByTestId('mass-balance').getByTestId('mb-accounted').waitFor({ timeout: 20_000 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => window.innerWidth)).toBe(375);
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'trace-375');
  });

  it('keeps the first load under 500 kB of gzipped JavaScript', () => {
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    const bytes = refs.reduce((sum, ref) => sum + gzipSync(readFileSync(join(WEB_DIST, ref.replace(/^\/console\//, '')))).length, 0);
    expect(bytes).toBeLessThan(500_000);
  });
});

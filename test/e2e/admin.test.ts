/**
 * The console's configuration pages in a real browser, on the 月华坊 demo: master data (tables from
 * the server's field definitions, a server error shown at its field, CSV import with a bad row shown
 * by row and column, then fixed), labels (allocate a batch code, preview its symbol, print a real PDF),
 * the audit log finding what was just done, English, a 375 px phone, and a viewer who may only look.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

/** Waits long enough for a loaded machine (the default second is not). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const BAD_CSV = 'locationId,type,nameZh,nameEn,city\ne2e-store-a,store,测试门店甲,Test store A,上海\ne2e-store-b,planet,测试门店乙,Test store B,上海\n';
const GOOD_CSV = BAD_CSV.replace(',planet,', ',store,');

describe.skipIf(!e2eAvailable())('master data, labels and audit in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 180_000);
  afterAll(async () => e2e?.close());

  const table = (page: Page, kind: string) => page.getByTestId(`md-table-${kind}`);
  const chooseOption = async (page: Page, selectId: string, value: string) => {
    await page.locator(`#${selectId}`).click();
    await page.locator(`.ant-select-item-option[title="${value}"]`).click();
  };

  it('lists the demo master data, shows a bad GTIN at its field, and creates the product once it is right', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/master-data');
    await poll(() => table(page, 'products').textContent()).toContain('星辰月饼');
    expect(await table(page, 'products').textContent()).toContain('mooncake-star');
    // Column headings come from the server's definitions, in Chinese.
    expect(await table(page, 'products').locator('th').allTextContents()).toEqual(expect.arrayContaining(['产品编号', 'GTIN', '保质期(小时)', '追溯粒度']));
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'master-data');

    await page.getByRole('tab', { name: '地点' }).click();
    await poll(() => page.url()).toContain('/console/master-data/locations');
    await poll(() => table(page, 'locations').textContent()).toContain('plant-sz');
    await page.getByRole('searchbox', { name: '搜索地点' }).fill('store-sh01');
    await page.getByRole('searchbox', { name: '搜索地点' }).press('Enter');
    await poll(() => table(page, 'locations').textContent()).toContain('上海');
    expect(await table(page, 'locations').locator('tbody tr.ant-table-row').count()).toBe(1);

    await page.getByRole('tab', { name: '产品' }).click();
    const good = withCheckDigit('0690123499999');
    const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    await page.getByTestId('md-new').click();
    await page.locator('#md-form_productId').fill('e2e-moon-cake');
    await page.locator('#md-form_gtin').fill(bad);
    await page.locator('#md-form_nameZh').fill('测试月饼');
    await page.locator('#md-form_nameEn').fill('Test mooncake');
    await page.locator('#md-form_shelfLifeHours').fill('240');
    await chooseOption(page, 'md-form_granularity', 'unit');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByTestId('md-save').click();
    // The server's check-digit error sits under the GTIN field, not in a generic banner.
    await poll(() => page.locator('#md-form_gtin_help').textContent()).toMatch(/check digit/);
    await e2e.screenshot(page, 'master-data-gtin-error');
    await page.locator('#md-form_gtin').fill(good);
    await page.getByTestId('md-save').click();
    await poll(() => page.locator('#md-form_gtin').count()).toBe(0);
    await poll(() => table(page, 'products').textContent()).toContain('e2e-moon-cake');

    // Edit it; a change made by someone else meanwhile is not overwritten (If-Match), it is reported.
    await page.getByRole('button', { name: '编辑 e2e-moon-cake' }).click();
    await page.locator('#md-form_brand').fill('测试品牌');
    await page.getByTestId('md-save').click();
    await poll(() => table(page, 'products').textContent()).toContain('测试品牌');
    await page.getByRole('button', { name: '编辑 e2e-moon-cake' }).click();
    await page.locator('#md-form_brand').fill('我的改动');
    const meanwhile = await fetch(`${e2e.baseUrl}/api/products/e2e-moon-cake`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${e2e.tokens.qa}`, 'content-type': 'application/json' },
      body: JSON.stringify({ brand: '别人的改动' }),
    });
    expect(meanwhile.status).toBe(200);
    await page.getByTestId('md-save').click();
    await poll(() => page.getByTestId('md-form-error').textContent()).toContain('已被他人修改');
    await page.getByRole('button', { name: '取 消' }).click();
    await poll(() => table(page, 'products').textContent()).toContain('别人的改动');
  });

  it('shows a CSV row error by row and column, then imports the corrected file', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/master-data/locations');
    await page.getByTestId('md-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'stores.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    await page.getByTestId('import-start').click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const cells = await errors.locator('tbody tr.ant-table-row').first().locator('td').allTextContents();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toBe('type');
    expect(cells[2]).toContain('store');
    expect(await page.getByTestId('import-failure').textContent()).toContain('nothing was imported');
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'master-data-import-errors');

    await page.getByTestId('import-file').setInputFiles({ name: 'stores.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
    await page.getByTestId('import-start').click();
    await poll(() => page.getByTestId('import-summary').textContent()).toContain('新增 2');
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    await page.getByRole('button', { name: '关闭' }).last().click();
    await page.getByRole('searchbox', { name: '搜索地点' }).fill('e2e-store');
    await page.getByRole('searchbox', { name: '搜索地点' }).press('Enter');
    await poll(() => table(page, 'locations').locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await table(page, 'locations').textContent()).toContain('测试门店乙');
  });

  it('allocates a batch code, previews its symbol and prints the labels as a PDF', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/labels');
    // Choose the demo's Star Mooncake by typing in the searchable select.
    await page.locator('#label-product').fill('mooncake-star ');
    await page.locator('.ant-select-item-option').filter({ hasText: /^星辰月饼 · mooncake-star · / }).click();
    await page.getByTestId('label-allocate-toggle').click();
    await page.locator('#alloc-date').fill('2025-09-05');
    await page.locator('#alloc-line').fill('B');
    await page.locator('#alloc-shift').fill('PM');
    await page.getByTestId('alloc-submit').click();
    await poll(() => page.getByTestId('label-batch').inputValue()).toMatch(/^250905-B-PM-\d{3}$/);
    const symbol = page.getByTestId('label-symbol');
    await symbol.waitFor();
    await poll(() => symbol.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await symbol.getAttribute('alt')).toContain('(01)');

    await page.getByTestId('label-count').fill('30');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('label-print').click()]);
    expect(download.suggestedFilename()).toMatch(/^labels-250905-B-PM-\d{3}-\d+-\d+\.pdf$/);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await poll(() => page.getByTestId('label-done').textContent()).toMatch(/序列号\s*\d+-\d+/);
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'labels');
  });

  it('finds the create and import entries in the audit log, with their details', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/audit');
    await page.getByTestId('audit-action').fill('products.create');
    await page.getByTestId('audit-search').click();
    await poll(() => page.getByTestId('audit-table').textContent()).toContain('e2e-moon-cake');
    await page.getByTestId('audit-action').fill('locations.*');
    await page.getByTestId('audit-q').fill('import');
    await page.getByTestId('audit-search').click();
    const rows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
    await poll(() => rows.first().textContent()).toContain('locations.import');
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('button').first().click();
    await poll(() => page.getByTestId('audit-detail').textContent()).toContain('"created": 2');
    // The time is shown in the browser's zone, with the zone named.
    expect(await rows.first().locator('time').textContent()).toMatch(/GMT|UTC|[A-Z]{3}/);
    expect(await a11yProblems(page)).toEqual([]);
    await e2e.screenshot(page, 'audit');
  });

  it('reads in English and fits a 375 px phone', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'qa');
    await page.getByTestId('lang-switch').click();
    await page.goto('/console/master-data/products');
    await poll(() => table(page, 'products').locator('th').allTextContents()).toEqual(expect.arrayContaining(['Product ID', 'Shelf life (hours)']));
    await page.getByRole('tab', { name: 'Holidays' }).click();
    await poll(() => page.getByTestId('holiday-summary').textContent()).toMatch(/Built-in|Imported|None/);
    await e2e.screenshot(page, 'master-data-holidays-en');
    // Import a year of the calendar: a bad date is named by row and column, then the fixed file replaces the year.
    await page.getByTestId('holiday-year').fill('2031');
    await poll(() => page.getByTestId('holiday-summary').textContent()).toContain('None');
    await page.getByTestId('holiday-import').click();
    const year = 'day,kind,name\n2031-01-01,holiday,New Year\n2031-02-30,holiday,Spring Festival\n';
    await page.getByTestId('import-file').setInputFiles({ name: '2031.csv', mimeType: 'text/csv', buffer: Buffer.from(year) });
    await page.getByTestId('import-start').click();
    await poll(() => page.getByTestId('import-errors').locator('tbody tr.ant-table-row').first().locator('td').allTextContents()).toEqual(['3', 'day', expect.stringContaining('2031-02-30')]);
    await page.getByTestId('import-file').setInputFiles({ name: '2031.csv', mimeType: 'text/csv', buffer: Buffer.from(year.replace('2031-02-30', '2031-01-23')) });
    await page.getByTestId('import-start').click();
    await poll(() => page.getByTestId('import-summary').textContent()).toContain('2 entries');
    await page.getByRole('button', { name: 'Close' }).last().click();
    await poll(() => page.getByTestId('holiday-summary').textContent()).toContain('Imported by your organisation');
    expect(await page.getByTestId('holiday-table').textContent()).toContain('2031-01-23');

    const phone = await e2e.page({ viewport: { width: 375, height: 740 }, isMobile: true });
    await e2e.signIn(phone, 'admin');
    const paths = { 'master-data-375': '/console/master-data/products', 'holidays-375': '/console/master-data/holidays', 'labels-375': '/console/labels', 'audit-375': '/console/audit' };
    for (const [name, path] of Object.entries(paths)) {
      await phone.goto(path);
      await phone.getByRole('heading', { level: 1 }).waitFor();
      await phone.waitForLoadState('networkidle');
      expect(await horizontalOverflow(phone), path).toBeLessThanOrEqual(0);
      expect(await a11yProblems(phone), path).toEqual([]);
      await e2e.screenshot(phone, name);
    }
  });

  it('lets a viewer look but not change', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'viewer');
    await page.goto('/console/master-data/products');
    await poll(() => table(page, 'products').textContent()).toContain('星辰月饼');
    expect(await page.getByTestId('md-new').count()).toBe(0);
    expect(await page.getByTestId('md-import').count()).toBe(0);
    expect(await page.getByTestId('md-edit').count()).toBe(0);
    await page.getByRole('tab', { name: '节假日' }).click();
    await page.getByTestId('holiday-summary').waitFor();
    expect(await page.getByTestId('holiday-import').count()).toBe(0);
    expect(await a11yProblems(page)).toEqual([]);
  });
});

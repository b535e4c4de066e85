/** The console's demo-data page in Chromium: start a load and watch its progress reach the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, startE2E } from './support/browser.ts';

describe.skipIf(!e2eAvailable())('demo data page in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 180_000);
  afterAll(async () => e2e?.close());

  it('loads a demo brand with a progress bar and links to a box to trace', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/demo-data');
    await page.getByText('时光印记').click();
    await page.getByTestId('demo-load').click();
    const job = page.getByTestId('demo-job');
    await job.waitFor();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    expect(await job.textContent()).toContain('加载完成');
    await e2e.screenshot(page, 'demo-data');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByRole('link', { name: /\/01\// }).click();
    await expect.poll(() => page.url()).toContain('/console/trace?code=');
  }, 180_000);

  it('generates scale data with a progress bar', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'admin');
    await page.goto('/console/demo-data');
    await page.locator('#scale-events').fill('2000');
    await page.getByTestId('scale-generate').click();
    const job = page.getByTestId('demo-job');
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    expect(await job.textContent()).toContain('2000');
    await e2e.screenshot(page, 'demo-data-scale');
  }, 180_000);

  it('is not offered to a QA user', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'qa');
    expect(await page.getByRole('navigation').textContent()).not.toContain('演示数据');
  });
});

/**
 * The main flow in a real browser, on the 月华坊 demo data: QA opens a recall on a scanned box
 * (from the trace page's link), assesses it, plans the notices, proposes and approves the scope; the
 * POS check on the case page and the API agree the box is no longer sellable; a store acknowledges its
 * removal in its own task list; QA sees the acknowledgement and the progress move. Then a drill is
 * run and scored. Screenshots at every step; the case page in English, at 375 px, and its
 * accessibility basics.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

/** Pages load lazily and the machine is shared: wait for what a user waits for, not a fixed second. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 200 });

describe.skipIf(!e2eAvailable())('recall in the console (Chromium)', () => {
  let e2e: E2E;
  let qa: Page;
  let caseUrl = '';

  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => e2e?.close());

  const tab = async (page: Page, key: string) => {
    await page.getByTestId(`tab-${key}`).click();
    await poll(() => new URL(page.url()).searchParams.get('tab')).toBe(key);
  };

  it('opens a recall on a scanned box, assesses it, plans notices, scopes and approves; the POS check flips', async () => {
    qa = await e2e.page();
    await e2e.signIn(qa, 'qa');
    // The trace explorer's "open a recall" links here with the code it traced.
    await qa.goto(`/console/recalls?open=${encodeURIComponent(e2e.codes.unitQr)}`);
    await poll(() => qa.getByTestId('new-codes').inputValue()).toBe(e2e.codes.unitQr);
    expect(await qa.getByTestId('new-gtin').inputValue()).toMatch(/^\d{14}$/);
    await qa.getByTestId('new-title').fill('星辰月饼封口不严 / Star mooncake seal leak');
    await e2e.screenshot(qa, 'recall-new');
    await qa.getByTestId('new-submit').click();
    await qa.waitForURL(/\/console\/recalls\/[^/?]+$/);
    caseUrl = new URL(qa.url()).pathname;
    await poll(() => qa.getByTestId('case-status').getAttribute('data-status')).toBe('open');

    // A reason is required: the server is never asked without one.
    await qa.getByTestId('assess-submit').click();
    await poll(() => qa.getByText('请填写理由').count()).toBeGreaterThan(0);
    await qa.getByLabel('三级（蓝色）').check();
    expect(await qa.getByTestId('assess-voluntary').getAttribute('aria-checked')).toBe('true');
    await qa.getByTestId('assess-reason').fill('封口完整性存疑，新膜批次 / seal integrity uncertain after the new film lot');
    await qa.getByTestId('assess-submit').click();
    await poll(() => qa.getByTestId('case-status').getAttribute('data-status')).toBe('assessed');
    await poll(() => qa.getByTestId('level-badge').first().textContent()).toBe('三级（蓝色）');
    await poll(() => qa.getByTestId('clock-start').count()).toBe(1);
    await qa.getByTestId('plan-zh').fill('请停止销售并下架，退回质检中心');
    await qa.getByTestId('plan-en').fill('Stop selling, take it off the shelf and send it to the QC centre');
    await qa.getByTestId('plan-submit').click();
    await poll(() => qa.getByTestId('timeline-set_notice_plan').count()).toBe(1);
    await e2e.screenshot(qa, 'recall-assessed');

    await tab(qa, 'scope');
    await qa.getByTestId('scope-reason').fill('可疑批次及其下游 / the suspect batch downstream');
    await qa.getByTestId('scope-submit').click();
    await poll(() => qa.getByTestId('scope-version-1').count()).toBe(1);
    await poll(() => qa.getByTestId('scope-totals').textContent()).toMatch(/3 个城市/);
    expect(await qa.getByTestId('scope-table').textContent()).toContain('250905-B-AM-002');
    // Before approval the box still sells.
    await qa.getByTestId('pos-code').fill(e2e.codes.unitQr);
    await qa.getByTestId('pos-submit').click();
    await poll(() => qa.getByTestId('pos-result').getAttribute('data-sellable')).toBe('true');
    await e2e.screenshot(qa, 'recall-scope');

    await qa.getByTestId('approve-reason').fill('质量经理批准 / approved by the QA manager');
    await qa.getByTestId('approve-submit').click();
    await poll(() => qa.getByTestId('case-status').getAttribute('data-status')).toBe('active');
    await qa.getByTestId('pos-code').fill(e2e.codes.unitQr);
    await qa.getByTestId('pos-submit').click();
    await poll(() => qa.getByTestId('pos-result').getAttribute('data-sellable')).toBe('false');
    expect(await qa.getByTestId('pos-result').textContent()).toContain('不可销售');
    const pos = await fetch(`${e2e.baseUrl}/api/pos/check?code=${encodeURIComponent(e2e.codes.unitQr)}`, { headers: { authorization: `Bearer ${e2e.tokens.store}` } });
    expect(pos.status).toBe(200);
    expect(await pos.json()).toMatchObject({ sellable: false, shippable: false });
    await e2e.screenshot(qa, 'recall-approved');
  }, 180_000);

  it('lets a store acknowledge removal in its task list, and QA sees it and the progress move', async () => {
    const store = await e2e.page();
    await e2e.signIn(store, 'store');
    await store.goto('/console/tasks?location=store-sh01');
    const task = store.getByTestId('task-store-sh01');
    await task.waitFor();
    expect(await task.textContent()).toContain('星辰月饼封口不严');
    expect(await task.textContent()).toContain('请停止销售并下架');
    await store.getByTestId('ack-units-store-sh01').fill('12');
    await store.getByTestId('ack-submit-store-sh01').click();
    // The open list empties; all tasks show it acknowledged.
    await poll(() => store.getByTestId('task-store-sh01').count()).toBe(0);
    await store.getByText('全部', { exact: true }).click();
    await poll(() => store.getByTestId('task-acknowledged').textContent()).toContain('12');
    await e2e.screenshot(store, 'recall-store-ack');

    await qa.goto(`${caseUrl}?tab=notices`);
    await poll(() => qa.getByTestId('case-task-store-sh01').getAttribute('data-status')).toBe('acknowledged');
    expect(await qa.getByTestId('tasks-summary').textContent()).toMatch(/^1\//);
    await tab(qa, 'progress');
    await poll(async () => Number(await qa.getByTestId('progress-percent').getAttribute('data-percent'))).toBeGreaterThan(0);
    await qa.getByTestId('progress-line').waitFor();
    await e2e.screenshot(qa, 'recall-progress');
  }, 120_000);

  it('reads in English, fits 375 px, and names every control', async () => {
    await qa.goto(caseUrl);
    await qa.getByTestId('recall-case').waitFor();
    expect(await a11yProblems(qa)).toEqual([]);
    await qa.getByTestId('lang-switch').click();
    await poll(() => qa.getByTestId('level-badge').first().textContent()).toBe('Level 3 (blue)');
    await e2e.screenshot(qa, 'recall-case-en');
    for (const key of ['scope', 'notices', 'progress', 'rca']) {
      await tab(qa, key);
      expect(await a11yProblems(qa), key).toEqual([]);
    }

    const phone = await e2e.page({ viewport: { width: 375, height: 740 }, isMobile: true });
    await e2e.signIn(phone, 'qa');
    for (const key of ['overview', 'scope', 'notices', 'progress']) {
      await phone.goto(`${caseUrl}?tab=${key}`);
      await phone.getByTestId('recall-case').waitFor();
      await phone.waitForTimeout(300);
      expect(await horizontalOverflow(phone), key).toBeLessThanOrEqual(0);
    }
    await e2e.screenshot(phone, 'recall-case-375');
  }, 120_000);

  it('runs a drill and shows its score and history', async () => {
    await qa.goto('/console/drills');
    if ((await qa.evaluate(() => document.documentElement.lang)) === 'en') await qa.getByTestId('lang-switch').click();
    await qa.getByTestId('drill-code').fill(e2e.codes.batchLink);
    await qa.getByTestId('drill-submit').click();
    const score = qa.getByTestId('drill-score');
    await score.waitFor({ timeout: 60_000 });
    expect(Number(await score.getAttribute('data-score'))).toBeGreaterThan(0);
    await poll(() => qa.getByTestId('drill-history').textContent()).toMatch(/DR-\d{4}-\d+/);
    expect(await a11yProblems(qa)).toEqual([]);
    await e2e.screenshot(qa, 'drills');
  }, 120_000);
});

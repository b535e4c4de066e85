/**
 * The console's frame in a real browser: token sign-in, the language switch, navigation by role,
 * and what a role may not open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

describe.skipIf(!e2eAvailable())('console shell in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 180_000);
  afterAll(async () => e2e?.close());

  it('refuses a bad token, signs in with a good one, and shows the role', async () => {
    const page = await e2e.page();
    await page.goto('/console/');
    await page.getByTestId('login-tab-token').click();
    await page.getByTestId('token-input').fill('llt_not-a-token');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('令牌无效');
    await e2e.screenshot(page, 'login-error-zh');
    await page.getByTestId('token-input').fill(e2e.tokens.qa);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('质量');
    expect(await a11yProblems(page)).toEqual([]);
  });

  it('switches between Chinese and English and remembers it', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'qa');
    await expect.poll(() => page.getByRole('navigation').textContent()).toContain('追溯查询');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByRole('navigation').textContent()).toContain('Trace');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await expect.poll(() => page.getByRole('navigation').textContent()).toContain('Recalls');
  });

  it('shows each role only what it may use, and refuses the rest', async () => {
    const page = await e2e.page();
    await e2e.signIn(page, 'viewer');
    const nav = (await page.getByRole('navigation').textContent()) ?? '';
    expect(nav).toContain('追溯查询');
    expect(nav).not.toContain('标签打印');
    expect(nav).not.toContain('审计日志');
    await page.goto('/console/labels');
    await expect.poll(() => page.getByText('当前角色无权访问此页面').count()).toBe(1);
    await page.goto('/console/no-such-page');
    await expect.poll(() => page.getByText('页面不存在').count()).toBe(1);
  });

  it('fits a 375 px phone screen', async () => {
    const page = await e2e.page({ viewport: { width: 375, height: 740 }, isMobile: true });
    await e2e.signIn(page, 'qa');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await e2e.screenshot(page, 'shell-375');
  });
});

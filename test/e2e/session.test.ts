/**
 * A person signs in to the console with organisation, login name and password (issue 6), in Chromium:
 * the session cookie carries them through reloads, the role decides the navigation, writes made by
 * the page pass the same-origin check, and signing out ends the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, a11yProblems, e2eAvailable, horizontalOverflow, startE2E } from './support/browser.ts';

const PASSWORD = '月饼 quality 2025';

describe.skipIf(!e2eAvailable())('console sign-in with a password in Chromium', () => {
  let e2e: E2E;
  const createUser = async (login: string, role: string) => {
    const res = await fetch(`${e2e.baseUrl}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e2e.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login, displayName: login, role, password: PASSWORD }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { userId: string };
  };

  beforeAll(async () => {
    e2e = await startE2E();
  }, 180_000);
  afterAll(async () => e2e?.close());

  it('signs in with login name and password, stays signed in on reload, and signs out', async () => {
    await createUser('zhang.qa', 'qa');
    const page = await e2e.page();
    await page.goto('/console/');
    await page.getByTestId('org-input').fill(e2e.orgId);
    await page.getByTestId('login-input').fill('zhang.qa');
    await page.getByTestId('password-input').fill('wrong password 1');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('组织、登录名或密码错误');
    expect(await a11yProblems(page)).toEqual([]);
    await page.getByTestId('password-input').fill(PASSWORD);
    await e2e.screenshot(page, 'login-password');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('质量');
    const nav = (await page.getByRole('navigation').textContent()) ?? '';
    expect(nav).toContain('追溯查询');
    expect(nav).toContain('召回事件');
    expect(nav).not.toContain('演示数据');
    // The page cannot read the cookie: it is HttpOnly.
    expect(await page.evaluate(() => document.cookie)).not.toContain('lotline_session');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'lotline_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.reload();
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('质量');

    await page.getByRole('button', { name: /^退\s*出$/ }).click();
    await page.getByTestId('password-submit').waitFor();
    await page.reload();
    await page.getByTestId('password-submit').waitFor();
    expect(await page.getByTestId('whoami').count()).toBe(0);
  });

  it("shows an admin's navigation, and writes from the page pass the same-origin check", async () => {
    await createUser('li.admin', 'admin');
    const page = await e2e.page({ viewport: { width: 375, height: 740 }, isMobile: true });
    await page.goto('/console/');
    await page.getByTestId('org-input').fill(e2e.orgId);
    await page.getByTestId('login-input').fill('LI.ADMIN');
    await page.getByTestId('password-input').fill(PASSWORD);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('管理员');
    const status = await page.evaluate(async (password) => {
      const res = await fetch('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'made.in.page', role: 'viewer', password }) });
      return res.status;
    }, PASSWORD);
    expect(status).toBe(201);
  });
});

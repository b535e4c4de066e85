/**
 * People and console sessions (issue 6) on both engines: users with passwords, sign-in setting an
 * HttpOnly SameSite=Strict cookie, the cookie accepted wherever a token is, same-origin checks on
 * cookie writes, expiry on an injected clock, sign-out, disabling, tenant isolation and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/app/context.ts';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import { createAuthenticator } from '../../src/app/tokens.ts';
import { verifyPassword } from '../../src/app/users.ts';
import { buildApp } from '../../src/http/app.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

const ORIGIN = 'http://localhost';
const PASSWORD = 'correct horse 月饼';

describe.each(testEngines())('users and sessions on %s', (engine) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  const createUser = async (login: string, role: string, password = PASSWORD, auth = t.auth()) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: auth, payload: { login, displayName: `${login} 张`, role, password } });
    expect(res.statusCode, res.body).toBe(201);
    return JSON.parse(res.body) as { userId: string; login: string; role: string; disabledAt: string | null };
  };
  const signIn = async (login: string, password = PASSWORD, org = 'acme', headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/session', headers, payload: { org, login, password }, remoteAddress: `10.0.0.${Math.floor(Math.random() * 200) + 1}` });
  const cookieOf = (res: { headers: Record<string, unknown> }): string => {
    const header = String(res.headers['set-cookie']);
    const value = /lotline_session=([^;]*)/.exec(header)?.[1];
    if (!value) throw new Error(`no session cookie in ${header}`);
    return `lotline_session=${value}`;
  };
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

  beforeAll(async () => {
    t = await startTestApp(engine);
    // Every use case reads time from ctx.clock: moving it ages sessions without waiting.
    (t.ctx as { clock: Clock }).clock = clock;
  });
  afterAll(async () => t?.close());

  it('adds a user, never showing the password, and stores only a scrypt hash', async () => {
    const u = await createUser('li.hua', 'qa');
    expect(u).toMatchObject({ login: 'li.hua', role: 'qa', disabledAt: null });
    expect(JSON.stringify(u)).not.toContain(PASSWORD);
    const row = await t.ctx.database.db
      .withTables<{ users: { org_id: string; user_id: string; password_hash: string } }>()
      .selectFrom('users')
      .select('password_hash')
      .where('org_id', '=', 'acme')
      .where('user_id', '=', u.userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, row.password_hash)).toBe(false);
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: t.auth() });
    expect(JSON.parse(list.body).items.map((x: { login: string }) => x.login)).toContain('li.hua');
    expect(list.body).not.toContain('scrypt');
  });

  it('enforces the password rules and unique login names, pointing at the field', async () => {
    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/users', headers: t.auth(), payload });
    const short = await post({ login: 'short.pw', role: 'viewer', password: 'abc123456' });
    expect(short.statusCode).toBe(400);
    expect(JSON.parse(short.body).errors).toContainEqual(expect.objectContaining({ pointer: '/password', rule: 'minLength' }));
    const same = await post({ login: 'Wang.Fang.01', role: 'viewer', password: 'wang.fang.01' });
    expect(same.statusCode).toBe(400);
    expect(JSON.parse(same.body).errors).toContainEqual(expect.objectContaining({ pointer: '/password', rule: 'notLogin' }));
    const role = await post({ login: 'someone', role: 'boss', password: PASSWORD });
    expect(role.statusCode).toBe(400);
    expect(JSON.parse(role.body).errors.some((e: { pointer: string }) => e.pointer.startsWith('/role'))).toBe(true);
    const badLogin = await post({ login: 'has space', role: 'viewer', password: PASSWORD });
    expect(JSON.parse(badLogin.body).errors).toContainEqual(expect.objectContaining({ pointer: '/login' }));
    const dup = await post({ login: 'LI.HUA', role: 'viewer', password: PASSWORD });
    expect(dup.statusCode).toBe(409);
    expect(JSON.parse(dup.body).errors).toContainEqual(expect.objectContaining({ pointer: '/login' }));
    const forbidden = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.auth('qa'), payload: { login: 'x.by.qa', role: 'admin', password: PASSWORD } });
    expect(forbidden.statusCode).toBe(403);
  });

  it('signs in with a cookie that scripts cannot read and other sites do not send, and /api/me answers through it', async () => {
    const res = await signIn('Li.Hua');
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ orgId: 'acme', role: 'qa', user: { login: 'li.hua' } });
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^lotline_session=acme\.[A-Za-z0-9_-]{40,}; /);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/');
    expect(header).not.toContain('Secure');
    const who = await me(cookieOf(res));
    expect(who.statusCode, who.body).toBe(200);
    expect(JSON.parse(who.body)).toMatchObject({ orgId: 'acme', role: 'qa' });
    expect(JSON.parse(who.body).tokenId).toMatch(/^user:usr_/);
    expect(JSON.parse(who.body).permissions).toContain('recall:decide');
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const preparer = createPreparer(0);
    const behindProxy = await buildApp({ ctx: t.ctx, authenticator: createAuthenticator(t.ctx), signer: t.signer, preparer, bodyLimit: 1024 * 1024, captureLimit: 10, trustProxy: true });
    try {
      const res = await behindProxy.inject({ method: 'POST', url: '/api/session', headers: { 'x-forwarded-proto': 'https' }, payload: { org: 'acme', login: 'li.hua', password: PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      expect(String(res.headers['set-cookie'])).toContain('; Secure');
    } finally {
      await behindProxy.close();
      await preparer.close();
    }
  });

  it('accepts a cookie write from the console origin and refuses one without or with another Origin', async () => {
    await createUser('admin.zhou', 'admin');
    const cookie = cookieOf(await signIn('admin.zhou'));
    const payload = { login: 'made.by.cookie', role: 'viewer', password: PASSWORD };
    const ok = await t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: ORIGIN }, payload });
    expect(ok.statusCode, ok.body).toBe(201);
    const byReferer = await t.app.inject({ method: 'PATCH', url: `/api/users/${JSON.parse(ok.body).userId}`, headers: { cookie, referer: `${ORIGIN}/console/users` }, payload: { displayName: '由会话修改' } });
    expect(byReferer.statusCode, byReferer.body).toBe(200);
    const none = await t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie }, payload: { ...payload, login: 'no.origin' } });
    expect(none.statusCode).toBe(403);
    expect(JSON.parse(none.body).errors).toContainEqual(expect.objectContaining({ pointer: '/headers/origin', rule: 'sameOrigin' }));
    const evil = await t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: 'https://evil.example' }, payload: { ...payload, login: 'evil.origin' } });
    expect(evil.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    const logins = JSON.parse(list.body).items.map((u: { login: string }) => u.login);
    expect(logins).toContain('made.by.cookie');
    expect(logins).not.toContain('no.origin');
    expect(logins).not.toContain('evil.origin');
  });

  it('still takes bearer tokens, without an Origin, and a bearer token wins over a cookie', async () => {
    await createUser('viewer.qian', 'viewer');
    const cookie = cookieOf(await signIn('viewer.qian'));
    const withCookieOnly = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    expect(withCookieOnly.statusCode).toBe(403);
    const both = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie, ...t.auth() } });
    expect(both.statusCode).toBe(200);
    const bearerWrite = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.auth(), payload: { login: 'bearer.write', role: 'viewer', password: PASSWORD } });
    expect(bearerWrite.statusCode, bearerWrite.body).toBe(201);
  });

  it('answers the same 401 for a wrong password, an unknown login and an unknown organisation', async () => {
    const wrong = await signIn('li.hua', 'not the password!');
    const unknown = await signIn('nobody.here');
    const noOrg = await signIn('li.hua', PASSWORD, 'no-such-org');
    for (const res of [wrong, unknown, noOrg]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(JSON.parse(unknown.body).detail).toBe(JSON.parse(wrong.body).detail);
    expect(JSON.parse(noOrg.body).detail).toBe(JSON.parse(wrong.body).detail);
    const missing = await t.app.inject({ method: 'POST', url: '/api/session', payload: { org: 'acme', login: 'li.hua' } });
    expect(missing.statusCode).toBe(400);
    const crossSite = await signIn('li.hua', PASSWORD, 'acme', { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
  });

  it('limits sign-in attempts per client and login name', async () => {
    await createUser('rate.limited', 'viewer');
    const attempt = (login: string) =>
      t.app.inject({ method: 'POST', url: '/api/session', payload: { org: 'acme', login, password: 'wrong password!' }, remoteAddress: '192.0.2.7' });
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await attempt('rate.limited')).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes[10]).toBe(429);
    // Another login from the same address is counted apart.
    expect((await attempt('li.hua')).statusCode).toBe(401);
  });

  it('refuses a disabled user, and their open session stops at once', async () => {
    const u = await createUser('temp.worker', 'store');
    const cookie = cookieOf(await signIn('temp.worker'));
    expect((await me(cookie)).statusCode).toBe(200);
    const off = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.userId}`, headers: t.auth(), payload: { disabled: true } });
    expect(off.statusCode, off.body).toBe(200);
    expect(JSON.parse(off.body).disabledAt).not.toBeNull();
    expect((await me(cookie)).statusCode).toBe(401);
    const again = await signIn('temp.worker');
    expect(again.statusCode).toBe(401);
    expect(JSON.parse(again.body).detail).toBe(JSON.parse((await signIn('nobody.at.all')).body).detail);
    const on = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.userId}`, headers: t.auth(), payload: { disabled: false } });
    expect(on.statusCode).toBe(200);
    expect((await signIn('temp.worker')).statusCode).toBe(200);
    // The old session stays ended: re-enabling does not revive it.
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('ends sessions when the role or password changes', async () => {
    const u = await createUser('role.change', 'viewer');
    const cookie = cookieOf(await signIn('role.change'));
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.userId}`, headers: t.auth(), payload: { role: 'qa' } });
    expect(res.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
    const fresh = await signIn('role.change');
    expect(JSON.parse(fresh.body).role).toBe('qa');
    const pw = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.userId}`, headers: t.auth(), payload: { password: 'a new password 2' } });
    expect(pw.statusCode).toBe(200);
    expect((await me(cookieOf(fresh))).statusCode).toBe(401);
    expect((await signIn('role.change')).statusCode).toBe(401);
    expect((await signIn('role.change', 'a new password 2')).statusCode).toBe(200);
    const weak = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.userId}`, headers: t.auth(), payload: { password: 'short' } });
    expect(JSON.parse(weak.body).errors).toContainEqual(expect.objectContaining({ pointer: '/password' }));
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const cookie = cookieOf(await signIn('li.hua'));
    expect((await me(cookie)).statusCode).toBe(200);
    const noOrigin = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(noOrigin.statusCode).toBe(403);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: ORIGIN } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^lotline_session=; .*Max-Age=0/);
    expect((await me(cookie)).statusCode).toBe(401);
    // Without a cookie it is harmless.
    expect((await t.app.inject({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
  });

  it('ends a session after 12 idle hours, and 7 days after sign-in however busy', async () => {
    try {
      const idle = cookieOf(await signIn('li.hua'));
      offsetMs += 11 * 3600_000;
      expect((await me(idle)).statusCode).toBe(200);
      offsetMs += 11 * 3600_000; // 11 h after the last use: still open
      expect((await me(idle)).statusCode).toBe(200);
      offsetMs += 12 * 3600_000 + 60_000; // 12 h and a minute without use
      expect((await me(idle)).statusCode).toBe(401);

      const busy = cookieOf(await signIn('li.hua'));
      for (let h = 0; h < 7 * 24 - 10; h += 10) {
        offsetMs += 10 * 3600_000;
        expect((await me(busy)).statusCode, `after ${h + 10} h`).toBe(200);
      }
      offsetMs += 11 * 3600_000; // past 7 days since sign-in
      expect((await me(busy)).statusCode).toBe(401);
    } finally {
      offsetMs = 0;
    }
  });

  it("keeps organisations apart: rival sees none of acme's users and cannot change them", async () => {
    const acmeUser = await createUser('acme.only', 'viewer');
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: t.auth('other') });
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body).items).toEqual([]);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${acmeUser.userId}`, headers: t.auth('other'), payload: { disabled: true } });
    expect(patch.statusCode).toBe(404);
    // rival can have its own acme.only; signing in to rival with acme's password fails.
    await createUser('acme.only', 'admin', 'rival password 1', t.auth('other'));
    expect((await signIn('acme.only', PASSWORD, 'rival')).statusCode).toBe(401);
    const rivalSession = await signIn('acme.only', 'rival password 1', 'rival');
    expect(JSON.parse(rivalSession.body)).toMatchObject({ orgId: 'rival', role: 'admin' });
    const rivalList = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: cookieOf(rivalSession) } });
    expect(JSON.parse(rivalList.body).items.map((u: { orgId: string }) => u.orgId)).toEqual(['rival']);
    // A cookie naming acme with rival's secret is not a session of either.
    const forged = cookieOf(rivalSession).replace('=rival.', '=acme.');
    expect((await me(forged)).statusCode).toBe(401);
  });

  it('audits sign-ins, failures, sign-outs and user changes, never with the password', async () => {
    const rows = await t.ctx.database.db.selectFrom('audit_log').select(['action', 'actor', 'detail']).where('org_id', '=', 'acme').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['user.create', 'user.update', 'user.disable', 'session.login', 'session.login-failed', 'session.logout']) expect(actions, a).toContain(a);
    const text = JSON.stringify(rows);
    for (const secret of [PASSWORD, 'a new password 2', 'not the password!', 'wrong password!']) expect(text).not.toContain(secret);
    const failed = rows.filter((r) => r.action === 'session.login-failed').map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as { login: string; reason: string });
    expect(failed).toContainEqual({ login: 'li.hua', reason: 'password' });
    expect(failed).toContainEqual({ login: 'temp.worker', reason: 'disabled' });
    expect(rows.some((r) => r.action === 'session.login' && String(r.actor).startsWith('user:'))).toBe(true);
  });

});

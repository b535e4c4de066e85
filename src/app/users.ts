/**
 * People who sign in to the console with a login name and password (issue 6), and their sessions.
 *
 * Passwords are stored as scrypt hashes (node:crypto, per-user salt, N = 2^15) and compared in constant
 * time. A session is a random secret given to the browser as an HttpOnly cookie `<org>.<secret>`: the
 * organisation travels with it (as in recall acknowledgement links) so the secret's hash is looked up
 * within one organisation, like every other table. Sessions end after 12 hours without use or 7 days
 * after sign-in, on sign-out, or when the user is disabled.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Principal, type Role, isRole, roles } from '../core/access/roles.ts';
import { DomainError, type ErrorDetail } from '../core/errors.ts';
import type { Schema } from '../store/schema.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';

/** The two tables of migration 0013, typed here until src/store/schema.ts declares them. */
export type UserTables = {
  users: {
    org_id: string;
    user_id: string;
    login: string;
    display_name: string;
    role: Role;
    password_hash: string;
    created_at: Date;
    updated_at: Date;
    disabled_at: Date | null;
  };
  user_sessions: {
    org_id: string;
    session_id: string;
    secret_hash: string;
    user_id: string;
    created_at: Date;
    expires_at: Date;
    last_seen_at: Date;
    revoked_at: Date | null;
  };
};

type Db = Kysely<Schema> | Transaction<Schema>;
const tables = (db: Db) => db.withTables<UserTables>();

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and this long after sign-in at the latest. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'lotline_session';
export const MIN_PASSWORD_LENGTH = 10;

/** A user as listed to admins: never the password hash. */
export interface UserInfo {
  readonly userId: string;
  readonly orgId: string;
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
}

// --- passwords -----------------------------------------------------------------------------------

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // 128·N·r bytes of memory: 32 MiB at N = 2^15; maxmem leaves room above Node's 32 MiB default.
    scryptCb(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(key, expected);
}

// A hash of a password nobody knows: unknown login names cost the same scrypt as known ones, so the
// answer's timing does not tell which login names exist.
let decoyHash: Promise<string> | null = null;

/** The password rules; each broken rule points at /password. */
export function passwordProblems(password: string, login: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    problems.push({ pointer: '/password', message: `the password must be at least ${MIN_PASSWORD_LENGTH} characters long (密码至少 ${MIN_PASSWORD_LENGTH} 个字符)`, rule: 'minLength' });
  }
  if (password.trim().toLowerCase() === login.trim().toLowerCase()) {
    problems.push({ pointer: '/password', message: 'the password must not be the login name (密码不能与登录名相同)', rule: 'notLogin' });
  }
  return problems;
}

function validate(problems: ErrorDetail[]): void {
  if (problems.length > 0) throw new DomainError('ValidationException', problems.map((p) => p.message).join('; '), problems);
}

const LOGIN_PATTERN = /^[\p{L}\p{N}._@-]{1,100}$/u;

// --- users -----------------------------------------------------------------------------------------

/** Add a person to `orgId`. */
export async function createUser(
  ctx: AppContext,
  orgId: string,
  input: { login: string; displayName?: string; role: string; password: string },
  actor: Actor,
): Promise<UserInfo> {
  const login = input.login.trim();
  const problems: ErrorDetail[] = [];
  if (!LOGIN_PATTERN.test(login)) problems.push({ pointer: '/login', message: 'the login name is 1 to 100 letters, digits, or . _ @ - (登录名为 1–100 个字母、数字或 . _ @ -)', rule: 'pattern' });
  if (!isRole(input.role)) problems.push({ pointer: '/role', message: `expected one of ${roles.join(', ')}`, rule: 'enum' });
  problems.push(...passwordProblems(input.password, login));
  validate(problems);
  const role = input.role as Role;
  const passwordHash = await hashPassword(input.password);
  const userId = ctx.ids.next('usr');
  return ctx.database.db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('orgs').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
    if (!org) throw new DomainError('NoSuchResourceException', `organisation ${orgId} does not exist`);
    const taken = await tables(tx).selectFrom('users').select('user_id').where('org_id', '=', orgId).where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase())).executeTakeFirst();
    if (taken) {
      throw new DomainError('ConflictException', `the login name ${login} is already taken (登录名已被使用)`, [{ pointer: '/login', message: 'already taken (已被使用)', rule: 'unique' }]);
    }
    const now = ctx.clock.now();
    const row = await tables(tx)
      .insertInto('users')
      .values({ org_id: orgId, user_id: userId, login, display_name: input.displayName?.trim() ?? '', role, password_hash: passwordHash, created_at: now, updated_at: now, disabled_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: userId, detail: { login, role, displayName: row.display_name } });
    return toInfo(row);
  });
}

/** The people of an organisation. */
export async function listUsers(ctx: AppContext, orgId: string): Promise<UserInfo[]> {
  const rows = await tables(ctx.database.db).selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('user_id').execute();
  return rows.map(toInfo);
}

/**
 * Change a user of `orgId` (another organisation's users answer 404). A new password, a new role or
 * disabling ends the user's sessions: they sign in again with what now holds. Call
 * Authenticator.invalidate after it so cached sessions go too.
 */
export async function updateUser(
  ctx: AppContext,
  orgId: string,
  userId: string,
  input: { displayName?: string; role?: string; password?: string; disabled?: boolean },
  actor: Actor,
): Promise<UserInfo> {
  const current = await tables(ctx.database.db).selectFrom('users').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  if (!current) throw new DomainError('NoSuchResourceException', `no user ${userId}`);
  const problems: ErrorDetail[] = [];
  if (input.role !== undefined && !isRole(input.role)) problems.push({ pointer: '/role', message: `expected one of ${roles.join(', ')}`, rule: 'enum' });
  if (input.password !== undefined) problems.push(...passwordProblems(input.password, current.login));
  validate(problems);
  if (input.disabled === true && actor.tokenId === `user:${userId}`) {
    throw new DomainError('ValidationException', 'you cannot disable yourself (不能停用自己的账号)', [{ pointer: '/disabled', message: 'you cannot disable yourself (不能停用自己的账号)', rule: 'notSelf' }]);
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  const now = ctx.clock.now();
  return ctx.database.db.transaction().execute(async (tx) => {
    const row = await tables(tx)
      .updateTable('users')
      .set({
        updated_at: now,
        ...(input.displayName !== undefined ? { display_name: input.displayName.trim() } : {}),
        ...(input.role !== undefined ? { role: input.role as Role } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        ...(input.disabled === true ? { disabled_at: current.disabled_at ?? now } : input.disabled === false ? { disabled_at: null } : {}),
      })
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const endsSessions = input.disabled === true || passwordHash !== undefined || (input.role !== undefined && input.role !== current.role);
    if (endsSessions) {
      await tables(tx).updateTable('user_sessions').set({ revoked_at: now }).where('org_id', '=', orgId).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    }
    const changed = {
      ...(input.displayName !== undefined ? { displayName: row.display_name } : {}),
      ...(input.role !== undefined ? { role: row.role, previousRole: current.role } : {}),
      ...(passwordHash !== undefined ? { passwordChanged: true } : {}),
      ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
    };
    await recordAudit(tx, actor, { action: input.disabled === true ? 'user.disable' : 'user.update', targetType: 'user', targetId: userId, detail: { login: row.login, ...changed, sessionsEnded: endsSessions } });
    return toInfo(row);
  });
}

// --- sessions --------------------------------------------------------------------------------------

/** SHA-256 of a session secret, as stored. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The cookie value `<org>.<secret>` split, or null when it is not one. */
export function parseSessionCookie(value: string): { orgId: string; secret: string } | null {
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const orgId = value.slice(0, dot);
  const secret = value.slice(dot + 1);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(orgId) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
  return { orgId, secret };
}

/** A signed-in session: the cookie value to set and who it is. */
export interface SignedIn {
  readonly cookie: string;
  readonly principal: Principal;
  readonly user: UserInfo;
  readonly expiresAt: Date;
}

/** The one answer for every failed sign-in: it does not say whether the organisation, the login or the password was wrong. */
export const SIGN_IN_FAILED = 'the organisation, login name or password is wrong, or the account is disabled (组织、登录名或密码错误，或账号已停用)';

/** Check a login name and password and open a session; audited either way (never with the password). */
export async function signIn(ctx: AppContext, input: { org: string; login: string; password: string }, requestId?: string): Promise<SignedIn> {
  const orgId = input.org.trim().toLowerCase();
  const login = input.login.trim();
  const row = /^[a-z0-9][a-z0-9-]{0,62}$/.test(orgId)
    ? await tables(ctx.database.db).selectFrom('users').selectAll().where('org_id', '=', orgId).where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase())).executeTakeFirst()
    : undefined;
  decoyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  const matches = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash));
  if (!row || !matches || row.disabled_at !== null) {
    // Only an existing organisation can hold the entry (audit_log is per organisation).
    const orgExists = row !== undefined || (/^[a-z0-9][a-z0-9-]{0,62}$/.test(orgId) && (await ctx.database.db.selectFrom('orgs').select('org_id').where('org_id', '=', orgId).executeTakeFirst()) !== undefined);
    if (orgExists) {
      await recordAudit(ctx.database.db, { orgId, tokenId: 'system', role: null }, {
        action: 'session.login-failed',
        ...(row ? { targetType: 'user', targetId: row.user_id } : {}),
        detail: { login: login.slice(0, 100), reason: !row ? 'unknown-login' : row.disabled_at !== null && matches ? 'disabled' : 'password' },
        ...(requestId ? { requestId } : {}),
      });
    }
    throw new DomainError('UnauthorizedException', SIGN_IN_FAILED);
  }
  const now = ctx.clock.now();
  const sessionId = ctx.ids.next('ses');
  const secret = ctx.ids.secret(32);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  const principal: Principal = { orgId, tokenId: `user:${row.user_id}`, role: row.role };
  await ctx.database.db.transaction().execute(async (tx) => {
    await tables(tx)
      .insertInto('user_sessions')
      .values({ org_id: orgId, session_id: sessionId, secret_hash: hashSecret(secret), user_id: row.user_id, created_at: now, expires_at: expiresAt, last_seen_at: now, revoked_at: null })
      .execute();
    await recordAudit(tx, principal, { action: 'session.login', targetType: 'session', targetId: sessionId, detail: { login: row.login }, ...(requestId ? { requestId } : {}) });
  });
  return { cookie: `${orgId}.${secret}`, principal, user: toInfo(row), expiresAt };
}

/** End the session the cookie names (if it is still open); returns whether one was ended. */
export async function signOut(ctx: AppContext, cookie: string, requestId?: string): Promise<boolean> {
  const parsed = parseSessionCookie(cookie);
  if (!parsed) return false;
  return ctx.database.db.transaction().execute(async (tx) => {
    const row = await tables(tx)
      .updateTable('user_sessions')
      .set({ revoked_at: ctx.clock.now() })
      .where('org_id', '=', parsed.orgId)
      .where('secret_hash', '=', hashSecret(parsed.secret))
      .where('revoked_at', 'is', null)
      .returning(['session_id', 'user_id'])
      .executeTakeFirst();
    if (!row) return false;
    const user = await tables(tx).selectFrom('users').select(['role', 'login']).where('org_id', '=', parsed.orgId).where('user_id', '=', row.user_id).executeTakeFirst();
    await recordAudit(tx, user ? { orgId: parsed.orgId, tokenId: `user:${row.user_id}`, role: user.role } : { orgId: parsed.orgId, tokenId: 'system', role: null }, {
      action: 'session.logout',
      targetType: 'session',
      targetId: row.session_id,
      detail: { login: user?.login ?? null },
      ...(requestId ? { requestId } : {}),
    });
    return true;
  });
}

/** Resolves session cookies to principals, with a short cache (the console asks several things per page). */
export interface SessionResolver {
  resolve(cookie: string): Promise<Principal | null>;
  invalidate(): void;
}

/**
 * Session look-ups over the database. The cache runs on ctx.clock (so tests that move the clock see
 * sessions expire) and holds a result for at most `cacheMs`; last_seen_at is written at most once a
 * minute per session, not on every request.
 */
export function createSessionResolver(ctx: AppContext, cacheMs = 15_000): SessionResolver {
  const cache = new Map<string, { principal: Principal | null; until: number }>();
  return {
    async resolve(cookie) {
      const now = ctx.clock.now();
      const hit = cache.get(cookie);
      if (hit && hit.until > now.getTime()) return hit.principal;
      const parsed = parseSessionCookie(cookie);
      let principal: Principal | null = null;
      if (parsed) {
        const row = await tables(ctx.database.db)
          .selectFrom('user_sessions as s')
          .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 's.org_id').onRef('u.user_id', '=', 's.user_id'))
          .select(['s.session_id', 's.user_id', 's.expires_at', 's.last_seen_at', 's.revoked_at', 'u.role', 'u.disabled_at'])
          .where('s.org_id', '=', parsed.orgId)
          .where('s.secret_hash', '=', hashSecret(parsed.secret))
          .executeTakeFirst();
        const live = row && row.revoked_at === null && row.disabled_at === null && row.expires_at > now && row.last_seen_at.getTime() + SESSION_IDLE_MS > now.getTime();
        if (row && live) {
          principal = { orgId: parsed.orgId, tokenId: `user:${row.user_id}`, role: row.role };
          if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
            await tables(ctx.database.db).updateTable('user_sessions').set({ last_seen_at: now }).where('org_id', '=', parsed.orgId).where('session_id', '=', row.session_id).execute();
          }
        }
      }
      if (cache.size > 10_000) cache.clear();
      cache.set(cookie, { principal, until: now.getTime() + cacheMs });
      return principal;
    },
    invalidate() {
      cache.clear();
    },
  };
}

function toInfo(row: UserTables['users']): UserInfo {
  return {
    userId: row.user_id,
    orgId: row.org_id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

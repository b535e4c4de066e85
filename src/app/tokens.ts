import { createHash } from 'node:crypto';
import { type Principal, type Role, isRole, roles } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';
import { createSessionResolver } from './users.ts';

/** A token as listed to admins: never the secret itself. */
export interface TokenInfo {
  readonly tokenId: string;
  readonly orgId: string;
  readonly role: Role;
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

/** A newly created token: the secret is shown once and stored only as a hash. */
export interface CreatedToken extends TokenInfo {
  readonly token: string;
}

/** SHA-256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Issue a token for `orgId` with `role`. */
export async function createToken(
  ctx: AppContext,
  input: { orgId: string; role: string; label?: string; expiresAt?: Date | null },
  actor: Actor,
): Promise<CreatedToken> {
  if (!isRole(input.role)) {
    throw new DomainError('ValidationException', `unknown role ${JSON.stringify(input.role)}; expected one of ${roles.join(', ')}`, [
      { pointer: '/role', message: `expected one of ${roles.join(', ')}`, rule: 'enum' },
    ]);
  }
  const role = input.role;
  const tokenId = ctx.ids.next('tok');
  const token = `llt_${tokenId.slice(4)}_${ctx.ids.secret(32)}`;
  return ctx.database.db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('orgs').select('org_id').where('org_id', '=', input.orgId).executeTakeFirst();
    if (!org) {
      throw new DomainError('NoSuchResourceException', `organisation ${input.orgId} does not exist (create it with: lotline org create ${input.orgId})`);
    }
    const row = await tx
      .insertInto('api_tokens')
      .values({
        org_id: input.orgId,
        token_id: tokenId,
        token_hash: hashToken(token),
        role,
        label: input.label ?? '',
        created_by: actor.tokenId,
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'token.create', targetType: 'token', targetId: tokenId, detail: { role, label: input.label ?? '' } });
    return { ...toInfo(row), token };
  });
}

/**
 * Make `token` (chosen by the operator, e.g. LOTLINE_BOOTSTRAP_TOKEN) a valid admin token of `orgId`.
 * Idempotent: the same token is not stored twice.
 */
export async function installBootstrapToken(ctx: AppContext, orgId: string, token: string): Promise<void> {
  if (token.length < 16) throw new DomainError('ValidationException', 'the bootstrap token must be at least 16 characters long');
  const hash = hashToken(token);
  await ctx.database.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('api_tokens').select('token_id').where('token_hash', '=', hash).executeTakeFirst();
    if (existing) return;
    const tokenId = ctx.ids.next('tok');
    await tx
      .insertInto('api_tokens')
      .values({ org_id: orgId, token_id: tokenId, token_hash: hash, role: 'admin', label: 'bootstrap (LOTLINE_BOOTSTRAP_TOKEN)', created_by: 'system', expires_at: null, revoked_at: null })
      .execute();
    await recordAudit(tx, { orgId, tokenId: 'system', role: null }, { action: 'token.bootstrap', targetType: 'token', targetId: tokenId });
  });
}

/** The tokens of an organisation. */
export async function listTokens(ctx: AppContext, orgId: string): Promise<TokenInfo[]> {
  const rows = await ctx.database.db.selectFrom('api_tokens').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  return rows.map(toInfo);
}

/** Revoke a token of the caller's organisation (call Authenticator.invalidate after it). */
export async function revokeToken(ctx: AppContext, orgId: string, tokenId: string, actor: Actor): Promise<TokenInfo> {
  return ctx.database.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('org_id', '=', orgId)
      .where('token_id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new DomainError('NoSuchResourceException', `no active token ${tokenId}`);
    await recordAudit(tx, actor, { action: 'token.revoke', targetType: 'token', targetId: tokenId });
    return toInfo(row);
  });
}

/** Resolves bearer tokens to principals, with a short cache: POS checks authenticate thousands of times a second. */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | null>;
  /** Resolve a console session cookie (`<org>.<secret>`, see src/app/users.ts). */
  authenticateSession(cookie: string): Promise<Principal | null>;
  /** Forget cached look-ups (tokens and sessions), after a revocation, sign-out or user change. */
  invalidate(): void;
}

/** An authenticator over the organisation tokens in the database. */
export function createAuthenticator(ctx: AppContext, cacheMs = 15_000): Authenticator {
  // Keyed by the presented token itself: a hit costs one map lookup, not a SHA-256 (the hash is only
  // needed to ask the database). The cache lives in this process only, for at most `cacheMs`.
  const cache = new Map<string, { principal: Principal | null; until: number }>();
  const sessions = createSessionResolver(ctx, cacheMs);
  return {
    authenticateSession: (cookie) => sessions.resolve(cookie),
    async authenticate(token) {
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.principal;
      const hash = hashToken(token);
      const row = await ctx.database.db
        .selectFrom('api_tokens')
        .select(['org_id', 'token_id', 'role', 'expires_at', 'revoked_at'])
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      const at = ctx.clock.now();
      const principal =
        row && row.revoked_at === null && (row.expires_at === null || row.expires_at > at)
          ? { orgId: row.org_id, tokenId: row.token_id, role: row.role }
          : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(token, { principal, until: now + cacheMs });
      return principal;
    },
    invalidate() {
      cache.clear();
      sessions.invalidate();
    },
  };
}

function toInfo(row: {
  token_id: string;
  org_id: string;
  role: Role;
  label: string;
  created_at: Date;
  created_by: string;
  expires_at: Date | null;
  revoked_at: Date | null;
}): TokenInfo {
  return {
    tokenId: row.token_id,
    orgId: row.org_id,
    role: row.role,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

import { DomainError } from '../core/errors.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';

const ORG_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const GENESIS = '0'.repeat(64);

/** An organisation (tenant). */
export interface Org {
  readonly orgId: string;
  readonly name: string;
  readonly createdAt: string;
}

/** Create an organisation with an empty ledger; an existing one with the same id is a ConflictException. */
export async function createOrg(ctx: AppContext, orgId: string, name: string, actor: Actor): Promise<Org> {
  if (!ORG_ID.test(orgId)) {
    throw new DomainError('ValidationException', 'organisation id must be 1-63 lower-case letters, digits or hyphens', [
      { pointer: '/orgId', message: 'expected ^[a-z0-9][a-z0-9-]{0,62}$', rule: 'pattern' },
    ]);
  }
  return ctx.database.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('orgs').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
    if (existing) throw new DomainError('ConflictException', `organisation ${orgId} already exists`);
    const row = await tx
      .insertInto('orgs')
      .values({ org_id: orgId, name })
      .returning(['org_id', 'name', 'created_at'])
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('ledger_heads')
      .values({ org_id: orgId, seq: 0, entry_hash: GENESIS, checkpointed_seq: 0, last_checkpoint_hash: GENESIS })
      .execute();
    await recordAudit(tx, { ...actor, orgId }, { action: 'org.create', targetType: 'org', targetId: orgId, detail: { name } });
    return { orgId: row.org_id, name: row.name, createdAt: row.created_at.toISOString() };
  });
}

/** Create the organisation unless it exists; returns whether it was created. */
export async function ensureOrg(ctx: AppContext, orgId: string, name: string, actor: Actor): Promise<boolean> {
  const existing = await ctx.database.db.selectFrom('orgs').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
  if (existing) return false;
  await createOrg(ctx, orgId, name, actor);
  return true;
}

/** All organisations, for the operator's command line. */
export async function listOrgs(ctx: AppContext): Promise<Org[]> {
  const rows = await ctx.database.db.selectFrom('orgs').selectAll().orderBy('org_id').execute();
  return rows.map((r) => ({ orgId: r.org_id, name: r.name, createdAt: r.created_at.toISOString() }));
}

/**
 * What an organisation shows consumers (`GET/PUT /api/consumer-settings`). The product name, the
 * batch printed on the pack and any recall notice are always shown: they are on the pack already, or
 * the consumer's safety depends on them. Everything else is a choice, shown by default.
 */
import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';

/** The facts a consumer page may show; `true` = public. */
export interface PublicFacts {
  /** When the lot was made (its production event). */
  readonly productionTime: boolean;
  /** Use-by time: ILMD expiry, else production + shelf life. */
  readonly expiry: boolean;
  /** The city of the plant that made it (never the plant's name or address). */
  readonly plantCity: boolean;
  /** Whether the lot passed its QC inspections. */
  readonly qcStatus: boolean;
  /** The product's story (`attributes.story`), else a sentence from the public facts above. */
  readonly originStory: boolean;
  /** The authenticity hint from the scans of the pack's code. */
  readonly scanHistory: boolean;
}

export const PUBLIC_FACTS = ['productionTime', 'expiry', 'plantCity', 'qcStatus', 'originStory', 'scanHistory'] as const satisfies readonly (keyof PublicFacts)[];

export const DEFAULT_PUBLIC: PublicFacts = { productionTime: true, expiry: true, plantCity: true, qcStatus: true, originStory: true, scanHistory: true };

export interface ConsumerSettings {
  readonly public: PublicFacts;
  /** 0 while the organisation never saved its own. */
  readonly version: number;
  readonly updatedAt: string | null;
}

function merge(stored: unknown): PublicFacts {
  const o = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Record<string, unknown> | null;
  const out: Record<string, boolean> = { ...DEFAULT_PUBLIC };
  for (const k of PUBLIC_FACTS) if (o && typeof o[k] === 'boolean') out[k] = o[k];
  return out as unknown as PublicFacts;
}

/** The organisation's settings, or the defaults. */
export async function consumerSettings(ctx: AppContext, orgId: string): Promise<ConsumerSettings> {
  const r = await sql<{ public: unknown; version: number; updated_at: Date }>`
    SELECT public, version, updated_at FROM consumer_settings WHERE org_id = ${orgId}`.execute(ctx.database.db);
  const row = r.rows[0];
  return row ? { public: merge(row.public), version: row.version, updatedAt: row.updated_at.toISOString() } : { public: DEFAULT_PUBLIC, version: 0, updatedAt: null };
}

/**
 * Save which facts are public; fields left out keep their current value. With `ifVersion`, a
 * concurrent change is a 409 instead of a lost update.
 */
export async function saveConsumerSettings(ctx: AppContext, actor: Actor, input: { readonly public: Partial<PublicFacts>; readonly ifVersion?: number }, requestId?: string): Promise<ConsumerSettings> {
  const now = ctx.clock.now();
  await ctx.database.db.transaction().execute(async (tx) => {
    const current = await sql<{ public: unknown; version: number }>`SELECT public, version FROM consumer_settings WHERE org_id = ${actor.orgId} FOR UPDATE`.execute(tx);
    const before = current.rows[0];
    const version = before?.version ?? 0;
    if (input.ifVersion !== undefined && input.ifVersion !== version) {
      throw new DomainError('ConflictException', `the consumer settings are at version ${version}, not ${input.ifVersion}; read them again`, [{ pointer: '/headers/if-match', message: `current version ${version}`, rule: 'version' }]);
    }
    const next = { ...merge(before?.public ?? null), ...input.public };
    await sql`
      INSERT INTO consumer_settings (org_id, public, version, updated_at, updated_by)
      VALUES (${actor.orgId}, ${JSON.stringify(next)}::jsonb, ${version + 1}, ${now}, ${actor.tokenId})
      ON CONFLICT (org_id) DO UPDATE SET public = excluded.public, version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`.execute(tx);
    await recordAudit(tx, actor, { action: 'consumer.settings.update', targetType: 'consumer_settings', targetId: actor.orgId, detail: { public: next, version: version + 1 }, requestId });
  });
  return consumerSettings(ctx, actor.orgId);
}

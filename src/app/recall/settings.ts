/**
 * Per-organisation recall settings: where acknowledgement links point, how long stores have before
 * an escalation, who is told when they do not answer, the language notices default to.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { Schema } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';

export interface RecallSettings {
  /** Base URL of this Lotline as stores and consumers reach it, for acknowledgement and return links. */
  readonly publicBaseUrl: string;
  /** The brand named in notices. */
  readonly brand: string;
  /** Hours after which an unacknowledged store task escalates, level by level (e.g. [4, 12, 24]). */
  readonly escalationHours: readonly number[];
  /** Who hears about escalations (emails), besides the QA team's webhook endpoints. */
  readonly escalationContacts: readonly string[];
  /** Language of notices to parties that have none set. */
  readonly defaultLang: 'zh-CN' | 'en';
}

export const DEFAULT_RECALL_SETTINGS: RecallSettings = {
  publicBaseUrl: 'http://localhost:3000',
  brand: '',
  escalationHours: [4, 12, 24],
  escalationContacts: [],
  defaultLang: 'zh-CN',
};

/** The organisation's settings over the defaults; `db` may be the caller's transaction. */
export async function recallSettings(db: Kysely<Schema> | Transaction<Schema>, orgId: string): Promise<RecallSettings & { version: number }> {
  const row = await db.selectFrom('recall_settings').select(['settings', 'version']).where('org_id', '=', orgId).executeTakeFirst();
  return { ...DEFAULT_RECALL_SETTINGS, ...((row?.settings as Partial<RecallSettings> | undefined) ?? {}), version: row?.version ?? 0 };
}

export async function saveRecallSettings(ctx: AppContext, actor: Actor, settings: RecallSettings): Promise<RecallSettings & { version: number }> {
  try {
    new URL(settings.publicBaseUrl);
  } catch {
    throw new DomainError('ValidationException', 'publicBaseUrl must be an absolute URL', [{ pointer: '/publicBaseUrl', message: 'an absolute http(s) URL', rule: 'format' }]);
  }
  settings.escalationHours.forEach((h, i) => {
    if (i > 0 && h <= (settings.escalationHours[i - 1] ?? 0)) {
      throw new DomainError('ValidationException', 'escalation hours must increase', [{ pointer: `/escalationHours/${i}`, message: 'greater than the previous level', rule: 'increasing' }]);
    }
  });
  return ctx.database.db.transaction().execute(async (tx) => {
    const r = await sql<{ version: number }>`
      INSERT INTO recall_settings (org_id, settings, version, updated_at) VALUES (${actor.orgId}, ${JSON.stringify(settings)}::jsonb, 1, ${ctx.clock.now()})
      ON CONFLICT (org_id) DO UPDATE SET settings = EXCLUDED.settings, version = recall_settings.version + 1, updated_at = EXCLUDED.updated_at
      RETURNING version`.execute(tx);
    await recordAudit(tx, actor, { action: 'recall.settings.save', targetType: 'recall_settings', targetId: actor.orgId, detail: { ...settings } });
    return { ...settings, version: r.rows[0]?.version ?? 1 };
  });
}

import { type Kysely, type Transaction, sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { NoticeLang } from './enqueue.ts';
import {
  NOTICE_KINDS,
  NOTICE_LANGS,
  type NoticeKind,
  type NoticeTemplate,
  type NoticeVars,
  type RenderedNotice,
  builtInTemplate,
  checkTemplate,
  renderNotice,
  templateVariables,
} from './templates.ts';

/** A template as an organisation sees it: its own wording, or the built-in one. */
export interface NoticeTemplateInfo extends NoticeTemplate {
  readonly kind: NoticeKind;
  readonly lang: NoticeLang;
  /** True while the organisation has not replaced the built-in wording. */
  readonly builtIn: boolean;
  /** 0 for the built-in template; counts saves otherwise. */
  readonly version: number;
  readonly variables: readonly string[];
  readonly updatedAt: string | null;
}

interface TemplateRow {
  kind: string;
  lang: string;
  subject: string;
  body: string;
  version: number;
  updated_at: Date;
}

const LIMITS = { subject: 300, body: 20_000 } as const;

/** Every kind × language, with the organisation's own wording where it has one. */
export async function listNoticeTemplates(ctx: AppContext, orgId: string): Promise<NoticeTemplateInfo[]> {
  const rows = await sql<TemplateRow>`SELECT kind, lang, subject, body, version, updated_at FROM notice_templates WHERE org_id = ${orgId}`.execute(ctx.database.db);
  const own = new Map(rows.rows.map((r) => [`${r.kind}|${r.lang}`, r]));
  return NOTICE_KINDS.flatMap((kind) =>
    NOTICE_LANGS.map((lang) => {
      const row = own.get(`${kind}|${lang}`);
      const template = row ? { subject: row.subject, body: row.body } : builtInTemplate(kind, lang);
      return {
        kind,
        lang,
        ...template,
        builtIn: !row,
        version: row?.version ?? 0,
        variables: templateVariables(template),
        updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      };
    }),
  );
}

/**
 * Replace the built-in wording of one notice. Rejected (ValidationException, pointer `/subject` or
 * `/body`) when it names an unknown variable, so a typo never reaches a store or a consumer.
 */
export async function saveNoticeTemplate(
  ctx: AppContext,
  actor: Actor,
  kind: NoticeKind,
  lang: NoticeLang,
  template: NoticeTemplate,
  requestId?: string,
): Promise<NoticeTemplateInfo> {
  const problems = checkTemplate(template);
  if (template.subject.trim() === '') problems.push({ pointer: '/subject', message: 'the subject is empty' });
  if (template.body.trim() === '') problems.push({ pointer: '/body', message: 'the body is empty' });
  if (template.subject.length > LIMITS.subject) problems.push({ pointer: '/subject', message: `at most ${LIMITS.subject} characters` });
  if (template.body.length > LIMITS.body) problems.push({ pointer: '/body', message: `at most ${LIMITS.body} characters` });
  if (problems.length) {
    throw new DomainError('ValidationException', `the ${kind} template (${lang}) is not valid: ${problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`, problems.map((p) => ({ ...p, rule: 'template' })));
  }
  return ctx.database.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const row = (
      await sql<TemplateRow>`INSERT INTO notice_templates (org_id, kind, lang, subject, body, version, updated_at, updated_by)
        VALUES (${actor.orgId}, ${kind}, ${lang}, ${template.subject}, ${template.body}, 1, ${now}, ${actor.tokenId})
        ON CONFLICT (org_id, kind, lang) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body,
          version = notice_templates.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
        RETURNING kind, lang, subject, body, version, updated_at`.execute(tx)
    ).rows[0];
    if (!row) throw new Error('notice template upsert returned nothing');
    await recordAudit(tx, actor, { action: 'notice_template.save', targetType: 'notice_template', targetId: `${kind}/${lang}`, detail: { version: row.version }, requestId });
    return { kind, lang, subject: row.subject, body: row.body, builtIn: false, version: row.version, variables: templateVariables(row), updatedAt: new Date(row.updated_at).toISOString() };
  });
}

/** Go back to the built-in wording of one notice. */
export async function resetNoticeTemplate(ctx: AppContext, actor: Actor, kind: NoticeKind, lang: NoticeLang, requestId?: string): Promise<NoticeTemplateInfo> {
  await ctx.database.db.transaction().execute(async (tx) => {
    await sql`DELETE FROM notice_templates WHERE org_id = ${actor.orgId} AND kind = ${kind} AND lang = ${lang}`.execute(tx);
    await recordAudit(tx, actor, { action: 'notice_template.reset', targetType: 'notice_template', targetId: `${kind}/${lang}`, requestId });
  });
  const template = builtInTemplate(kind, lang);
  return { kind, lang, ...template, builtIn: true, version: 0, variables: templateVariables(template), updatedAt: null };
}

/**
 * Render a notice with the organisation's own wording where it has one (else the built-in template).
 * Use it inside the decision's transaction, right before `enqueue`.
 */
export async function renderOrgNotice(
  tx: Kysely<Schema> | Transaction<Schema>,
  orgId: string,
  kind: NoticeKind,
  lang: NoticeLang,
  vars: NoticeVars,
  options: { readonly drill?: boolean } = {},
): Promise<RenderedNotice> {
  const rows = await sql<{ kind: string; subject: string; body: string }>`SELECT kind, subject, body FROM notice_templates
    WHERE org_id = ${orgId} AND lang = ${lang} AND kind IN (${kind}, 'drill')`.execute(tx);
  const find = (k: string) => {
    const r = rows.rows.find((x) => x.kind === k);
    return r ? { subject: r.subject, body: r.body } : null;
  };
  return renderNotice(kind, lang, vars, { drill: options.drill ?? false, override: find(kind), drillOverride: find('drill') });
}

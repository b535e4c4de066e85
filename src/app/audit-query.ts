import { sql } from 'kysely';
import type { AppContext } from './context.ts';

/** One audit-log entry as shown to people. */
export interface AuditItem {
  readonly auditId: number;
  readonly at: string;
  readonly actor: string;
  readonly role: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly detail: unknown;
  readonly requestId: string | null;
}

/** Filters for searching the audit log. */
export interface AuditSearch {
  readonly q?: string;
  readonly action?: string;
  readonly actor?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly before?: number;
  readonly limit: number;
}

/** Newest-first page of an organisation's audit log. */
export async function searchAudit(ctx: AppContext, orgId: string, s: AuditSearch): Promise<{ items: AuditItem[]; next: number | null }> {
  const where = [sql`org_id = ${orgId}`];
  if (s.action) where.push(s.action.endsWith('.*') ? sql`action LIKE ${s.action.slice(0, -1) + '%'}` : sql`action = ${s.action}`);
  if (s.actor) where.push(sql`actor = ${s.actor}`);
  if (s.targetType) where.push(sql`target_type = ${s.targetType}`);
  if (s.targetId) where.push(sql`target_id = ${s.targetId}`);
  if (s.from) where.push(sql`at >= ${s.from}`);
  if (s.to) where.push(sql`at < ${s.to}`);
  if (s.before) where.push(sql`audit_id < ${s.before}`);
  if (s.q) {
    const like = `%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(action ILIKE ${like} OR target_id ILIKE ${like} OR actor ILIKE ${like} OR detail::text ILIKE ${like})`);
  }
  const rows = await sql<{ audit_id: number; at: Date; actor: string; role: string | null; action: string; target_type: string | null; target_id: string | null; detail: unknown; request_id: string | null }>`
    SELECT audit_id, at, actor, role, action, target_type, target_id, detail, request_id FROM audit_log
    WHERE ${sql.join(where, sql` AND `)} ORDER BY audit_id DESC LIMIT ${s.limit + 1}`.execute(ctx.database.db);
  const items = rows.rows.slice(0, s.limit).map((r) => ({
    auditId: Number(r.audit_id), at: r.at.toISOString(), actor: r.actor, role: r.role, action: r.action,
    targetType: r.target_type, targetId: r.target_id, detail: r.detail, requestId: r.request_id,
  }));
  return { items, next: rows.rows.length > s.limit ? (items[items.length - 1]?.auditId ?? null) : null };
}

/**
 * Recent warnings for the console's overview: what was recorded lately that someone should look at —
 * sensor readings beyond the organisation's excursion limits (or carrying a sensor alarm), QC results
 * that were not conformant, and store or warehouse recall tasks past their due time.
 *
 * "Recent" is by record time (what Lotline learned in the last hours), so a late upload of
 * yesterday's logger data still shows. The ledger seq grows with record time, so the window is a seq
 * range found by binary search on the primary key, and every read is a primary-key range scan with a
 * limit — bounded whatever the size of the organisation.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { localName } from '../trace/derive.ts';
import { type ExcursionLimit, scopeRules } from '../trace/scope.ts';
import type { TracePlace } from '../trace/types.ts';
import { placesOf, traceView, visible } from '../trace/view.ts';

export interface WarningsQuery {
  /** Look back this many hours of record time. */
  readonly hours: number;
  /** Most warnings of each kind. */
  readonly limit: number;
  /** Whether recall tasks may be shown (the caller holds `recall:read`). */
  readonly includeTasks: boolean;
}

export interface ExcursionWarning {
  readonly time: string;
  readonly recordedSeq: number;
  readonly type: string;
  readonly value: number | null;
  readonly uom: string | null;
  readonly exception: string | null;
  /** The limit broken (null when only the sensor's own alarm says so). */
  readonly limit: ExcursionLimit | null;
  readonly device: string | null;
  readonly place: TracePlace | null;
}

export interface QcWarning {
  readonly time: string;
  readonly item: string;
  readonly disposition: string;
  readonly bizStep: string | null;
  readonly place: TracePlace | null;
}

export interface OverdueTaskWarning {
  readonly caseId: string;
  readonly caseNumber: string | null;
  readonly title: string | null;
  readonly kind: string;
  readonly location: TracePlace;
  readonly dueAt: string;
  readonly overdueMs: number;
  readonly unitsExpected: number | null;
  readonly escalationLevel: number;
}

export interface WarningsReport {
  readonly since: string;
  readonly excursions: readonly ExcursionWarning[];
  readonly qcFailures: readonly QcWarning[];
  /** Null when the caller may not see recall tasks. */
  readonly overdueTasks: readonly OverdueTaskWarning[] | null;
  readonly limits: readonly ExcursionLimit[];
}

/** Warnings recorded in the last `hours` (newest first), and open recall tasks past due (oldest first). */
export async function recentWarnings(ctx: AppContext, orgId: string, q: WarningsQuery): Promise<WarningsReport> {
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - q.hours * 3600_000);
  const view = await traceView(db, orgId, null);
  const { excursionLimits } = await scopeRules(ctx, orgId);
  const firstSeq = await firstSeqSince(ctx, orgId, since, view.maxSeq);

  // A reading breaks a limit when its measurement type names the limit's (local name, `MT-` optional:
  // the same matching as the co-exposure scope) and its value is beyond the limit, or it carries an alarm.
  const bare = (t: string) => localName(t).replace(/^MT-/, '');
  const conditions = excursionLimits.map(
    (l) => sql`(regexp_replace(regexp_replace(r.type, '^.*[:/#]', ''), '^MT-', '') = ${bare(l.type)} AND (${l.max ?? null}::float8 IS NOT NULL AND r.value > ${l.max ?? null}::float8 OR ${l.min ?? null}::float8 IS NOT NULL AND r.value < ${l.min ?? null}::float8))`,
  );
  const breaks = conditions.length === 0 ? sql`r.exception IS NOT NULL` : sql`(r.exception IS NOT NULL OR ${sql.join(conditions, sql` OR `)})`;
  const readings = firstSeq === null ? [] : (
    await sql<{ seq: string; time: Date; type: string; value: number | null; uom: string | null; exception: string | null; device: string | null; place: string | null }>`
    SELECT r.seq, r.time, r.type, r.value, r.uom, r.exception, r.device, coalesce(r.place, r.site) AS place FROM trace_readings r
    WHERE r.org_id = ${orgId} AND r.seq >= ${firstSeq} AND ${visible(view, 'r')} AND ${breaks}
    ORDER BY r.seq DESC, r.ord DESC LIMIT ${q.limit}`.execute(db)
  ).rows;

  const qc = firstSeq === null ? [] : (
    await sql<{ time: Date; item: string; disposition: string; biz_step: string | null; place: string | null }>`
    SELECT m.event_time AS time, m.item, m.disposition, m.biz_step, m.place FROM trace_moves m
    WHERE m.org_id = ${orgId} AND m.seq >= ${firstSeq} AND ${visible(view, 'm')} AND m.disposition = 'non_conformant'
    ORDER BY m.seq DESC, m.ord DESC LIMIT ${q.limit}`.execute(db)
  ).rows;

  const tasks = !q.includeTasks ? null : (
    await sql<{ case_id: string; kind: string; location_id: string; due_at: Date; units_expected: number | null; escalation_level: number; case_number: string | null; title: string | null }>`
    SELECT t.case_id, t.kind, t.location_id, t.due_at, t.units_expected, t.escalation_level, c.case_number, c.state->>'title' AS title
    FROM recall_tasks t LEFT JOIN recall_cases c ON c.org_id = t.org_id AND c.case_id = t.case_id
    WHERE t.org_id = ${orgId} AND t.status = 'open' AND t.due_at < ${now}
    ORDER BY t.due_at LIMIT ${q.limit}`.execute(db)
  ).rows;

  const places = await placesOf(db, orgId, [...readings.map((r) => r.place ?? ''), ...qc.map((m) => m.place ?? ''), ...(tasks ?? []).map((t) => t.location_id)]);
  const place = (id: string | null): TracePlace | null => (id === null ? null : (places.get(id) ?? { id, name: null, type: null, city: null, region: null }));
  const limitBroken = (r: { type: string; value: number | null }): ExcursionLimit | null =>
    excursionLimits.find((l) => bare(l.type) === bare(r.type) && r.value !== null && ((l.max !== undefined && r.value > l.max) || (l.min !== undefined && r.value < l.min))) ?? null;

  return {
    since: since.toISOString(),
    excursions: readings.map((r) => ({
      time: r.time.toISOString(),
      recordedSeq: Number(r.seq),
      type: r.type,
      value: r.value,
      uom: r.uom,
      exception: r.exception,
      limit: limitBroken(r),
      device: r.device,
      place: place(r.place),
    })),
    qcFailures: qc.map((m) => ({ time: m.time.toISOString(), item: m.item, disposition: m.disposition, bizStep: m.biz_step, place: place(m.place) })),
    overdueTasks:
      tasks?.map((t) => ({
        caseId: t.case_id,
        caseNumber: t.case_number,
        title: t.title,
        kind: t.kind,
        location: place(t.location_id) as TracePlace,
        dueAt: t.due_at.toISOString(),
        overdueMs: now.getTime() - t.due_at.getTime(),
        unitsExpected: t.units_expected,
        escalationLevel: t.escalation_level,
      })) ?? null,
    limits: excursionLimits,
  };
}

/** The first ledger seq recorded at or after `since` (record time grows with seq), or null when none. */
async function firstSeqSince(ctx: AppContext, orgId: string, since: Date, head: number): Promise<number | null> {
  let lo = 1;
  let hi = head + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = await sql<{ record_time: Date }>`SELECT record_time FROM epcis_events WHERE org_id = ${orgId} AND seq = ${mid}`.execute(ctx.database.db);
    const t = r.rows[0]?.record_time;
    if (t !== undefined && t.getTime() >= since.getTime()) hi = mid;
    else lo = mid + 1;
  }
  return lo > head ? null : lo;
}

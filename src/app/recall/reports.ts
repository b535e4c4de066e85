/**
 * Gathers what a recall report shows (report-data.ts) from the case, its scope, tasks, notices,
 * returns, clocks and progress; report-pdf.ts renders it. `GET /api/recalls/{id}/reports/{kind}`
 * answers the same object as JSON (structured, for a regulator's system) or as PDF.
 */
import { scoreDrill } from '../../core/recall/drill-score.ts';
import { loadCalendar } from '../calendar.ts';
import type { AppContext } from '../context.ts';
import { deliverySummary } from '../outbox/outbox-query.ts';
import { caseTimeline, getCase, scopeVersion } from './cases.ts';
import { caseClocks, clockViews } from './clocks.ts';
import { recoveryProgress } from './progress.ts';
import type { RecallReportData, RecallReportKind, TaskSummary } from './report-data.ts';

export async function recallReportData(ctx: AppContext, orgId: string, caseId: string, kind: RecallReportKind): Promise<RecallReportData> {
  const { state } = await getCase(ctx, orgId, caseId);
  const now = ctx.clock.now();
  const db = ctx.database.db;
  const [org, scope, calendar, progress, timeline, delivery, returns] = [
    await db.selectFrom('orgs').select(['org_id', 'name']).where('org_id', '=', orgId).executeTakeFirstOrThrow(),
    await scopeVersion(ctx, orgId, caseId),
    await loadCalendar(ctx, orgId),
    await recoveryProgress(ctx, orgId, state),
    await caseTimeline(ctx, orgId, caseId),
    await deliverySummary(ctx, orgId, caseId),
    await db.selectFrom('recall_returns').select(['channel', 'quantity']).where('org_id', '=', orgId).where('case_id', '=', caseId).execute(),
  ];
  return {
    kind,
    generatedAt: now.toISOString(),
    org: { id: org.org_id, name: org.name },
    case: state,
    scope,
    clocks: clockViews(caseClocks(state, calendar, now)),
    progress,
    tasks: await taskSummary(ctx, orgId, caseId, now),
    notices: {
      byAudience: Object.entries(delivery.audiences).flatMap(([audience, c]) => (c ? [{ audience, pending: c.pending, sent: c.sent, failed: c.failed, dryRun: c.dry_run }] : [])),
    },
    returns: {
      consumer: returns.filter((r) => r.channel === 'consumer').length,
      store: returns.filter((r) => r.channel === 'store').length,
      units: returns.reduce((s, r) => s + r.quantity, 0),
    },
    drill: state.drillClock ? scoreDrill(state.drillClock) : null,
    timeline: timeline.map((t) => ({ seq: t.seq, at: t.at, actor: t.actor, role: t.role, command: t.command, reason: t.reason })),
  };
}

async function taskSummary(ctx: AppContext, orgId: string, caseId: string, now: Date): Promise<TaskSummary> {
  const rows = await ctx.database.db
    .selectFrom('recall_tasks as t')
    .leftJoin('locations as l', (j) => j.onRef('l.org_id', '=', 't.org_id').onRef('l.location_id', '=', 't.location_id'))
    .select(['t.location_id', 't.status', 't.units_expected', 't.units_removed', 't.due_at', 't.escalation_level', 'l.name_zh', 'l.name_en'])
    .where('t.org_id', '=', orgId)
    .where('t.case_id', '=', caseId)
    .where('t.status', '!=', 'cancelled')
    .execute();
  return {
    total: rows.length,
    acknowledged: rows.filter((r) => r.status === 'acknowledged').length,
    open: rows.filter((r) => r.status === 'open').length,
    escalated: rows.filter((r) => r.escalation_level > 0).length,
    unitsExpected: rows.reduce((s, r) => s + (r.units_expected ?? 0), 0),
    unitsRemoved: rows.reduce((s, r) => s + (r.units_removed ?? 0), 0),
    overdue: rows
      .filter((r) => r.status === 'open' && r.due_at.getTime() < now.getTime())
      .map((r) => ({ locationId: r.location_id, name: r.name_zh ? `${r.name_zh} / ${r.name_en}` : null, dueAt: r.due_at.toISOString(), escalationLevel: r.escalation_level })),
  };
}

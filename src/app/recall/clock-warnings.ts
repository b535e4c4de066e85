/**
 * Warn before a legal deadline passes: when a case's clock turns `due_soon` or `overdue`, the
 * organisation's escalation contacts get one notice per clock and status (the idempotency key makes a
 * repeated check a no-op). Run periodically by the server (runtime.ts).
 */
import type { LegalClock } from '../../core/calendar/legal-clocks.ts';
import type { RecallState } from '../../core/recall/types.ts';
import { loadCalendar } from '../calendar.ts';
import type { AppContext } from '../context.ts';
import { type OutboxMessage, enqueue } from '../outbox/enqueue.ts';
import { caseClocks } from './clocks.ts';
import { noticeTime } from './effects.ts';
import { recallSettings } from './settings.ts';

const WARN: ReadonlySet<LegalClock['status']> = new Set(['due_soon', 'overdue']);

/** Queue warnings for the clocks of open cases that are due soon or overdue; returns how many were new. */
export async function warnClocks(ctx: AppContext, orgId: string): Promise<number> {
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .selectFrom('recall_cases')
    .select('state')
    .where('org_id', '=', orgId)
    .where('drill', '=', false)
    .where('status', 'in', ['assessed', 'scope_proposed', 'active'])
    .execute();
  if (rows.length === 0) return 0;
  const settings = await recallSettings(ctx.database.db, orgId);
  if (settings.escalationContacts.length === 0) return 0;
  const calendar = await loadCalendar(ctx, orgId);
  const messages: OutboxMessage[] = [];
  for (const row of rows) {
    const state = row.state as RecallState;
    for (const clock of caseClocks(state, calendar, now)) {
      if (!WARN.has(clock.status)) continue;
      const overdue = clock.status === 'overdue';
      const subject = `${overdue ? '【已超期 Overdue】' : '【即将到期 Due soon】'} ${state.caseNumber} — ${clock.label['zh-CN']} / ${clock.label.en}`;
      const body = [
        `${state.caseNumber} ${state.title}`,
        `${clock.label['zh-CN']}：${overdue ? '已于' : '将于'} ${noticeTime(clock.dueAt, 'zh-CN')} ${overdue ? '到期，尚未完成。' : '到期。'}`,
        `${clock.label.en}: ${overdue ? 'was due' : 'is due'} ${noticeTime(clock.dueAt, 'en')}${overdue ? ' and is not met.' : '.'}`,
        `${settings.publicBaseUrl.replace(/\/+$/, '')}/console/recalls/${state.caseId}`,
      ].join('\n');
      for (const to of settings.escalationContacts) {
        messages.push({
          idempotencyKey: `${state.caseId}:clock:${clock.id}:${clock.status}:${clock.dueAt.toISOString()}:${to}`,
          caseId: state.caseId,
          audience: 'internal',
          channel: 'email',
          recipient: to,
          lang: 'zh-CN',
          subject,
          body,
          payload: { occasion: 'clock', clock: clock.id, status: clock.status, dueAt: clock.dueAt.toISOString(), caseNumber: state.caseNumber },
          dryRun: false,
        });
      }
    }
  }
  if (messages.length === 0) return 0;
  return ctx.database.db.transaction().execute((tx) => enqueue(tx, orgId, messages, { ids: ctx.ids, now }));
}

/**
 * The legal clocks of a case (docs/legal-clocks.md): from its level decision, start and closing, on
 * the organisation's working-day calendar.
 */
import { type LegalClock, legalClocks } from '../../core/calendar/legal-clocks.ts';
import type { WorkCalendar } from '../../core/calendar/working-days.ts';
import type { RecallState } from '../../core/recall/types.ts';
import type { ClockView } from './report-data.ts';

/** The clocks of `state` at `now`; none while no level is decided, and none for drills. */
export function caseClocks(state: RecallState, calendar: WorkCalendar, now: Date): LegalClock[] {
  if (!state.assessment || state.drill || state.status === 'cancelled') return [];
  const notifiesRegulator = state.noticePlan?.audiences.includes('regulator') ?? false;
  return legalClocks({
    level: state.assessment.level,
    fdaClass: state.assessment.fdaClass,
    decidedAt: new Date(state.assessment.at),
    startedAt: state.startedAt ? new Date(state.startedAt) : null,
    completedAt: state.closed ? new Date(state.closed.at) : null,
    // The regulator's notice is queued with the approval that starts the recall.
    planReportedAt: notifiesRegulator && state.startedAt ? new Date(state.startedAt) : null,
    now,
    calendar,
  });
}

export function clockViews(clocks: readonly LegalClock[]): ClockView[] {
  return clocks.map((c) => ({ id: c.id, label: c.label, dueAt: c.dueAt.toISOString(), metAt: c.metAt?.toISOString() ?? null, status: c.status, remainingMs: c.remainingMs }));
}

/** When the recall must be completed, once a level is decided. */
export function completionDue(state: RecallState, calendar: WorkCalendar, now: Date): Date | null {
  return caseClocks(state, calendar, now).find((c) => c.id === 'complete')?.dueAt ?? null;
}

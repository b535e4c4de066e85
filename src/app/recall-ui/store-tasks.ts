/**
 * A store's or warehouse's open work across every recall case: the console's store view. Store tokens
 * hold `recall:acknowledge` but not `recall:read` (a store must act on its task without seeing the
 * brand's whole case: scope, other stores, decisions), so this list carries just what the person at
 * the shelf needs — which case, what to do (zh-CN and en), by when, how many units are expected.
 */
import { DomainError } from '../../core/errors.ts';
import { LEVEL_COLOURS } from '../../core/recall/levels.ts';
import type { Localised, RecallState } from '../../core/recall/types.ts';
import type { AppContext } from '../context.ts';
import { knownPlaces } from '../recall/places.ts';

export const TASK_STATUSES = ['open', 'acknowledged', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface StoreTask {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly title: string;
  readonly drill: boolean;
  readonly caseStatus: string;
  /** The recall level with its colour and text (null before the assessment). */
  readonly level: { readonly level: 1 | 2 | 3; readonly colour: string; readonly 'zh-CN': string; readonly en: string } | null;
  /** What to do, from the case's notice plan (null when no plan was set). */
  readonly instructions: Localised | null;
  readonly locationId: string;
  readonly locationName: string | null;
  readonly city: string | null;
  readonly kind: 'shelf_removal' | 'quarantine';
  readonly status: TaskStatus;
  readonly unitsExpected: number | null;
  readonly unitsRemoved: number | null;
  readonly dueAt: string;
  readonly overdue: boolean;
  readonly escalationLevel: number;
  readonly acknowledgedAt: string | null;
  readonly note: string | null;
}

export interface StoreTaskQuery {
  readonly locationId?: string;
  readonly status?: TaskStatus;
  readonly limit: number;
}

/**
 * Tasks of the organisation, optionally of one location and status: open ones first, soonest due
 * first. Tasks of closed or cancelled cases are left out when asking for open work (nothing is left
 * to do there), but kept in the acknowledged history.
 */
export async function listStoreTasks(ctx: AppContext, orgId: string, q: StoreTaskQuery): Promise<{ tasks: StoreTask[] }> {
  const db = ctx.database.db;
  if (q.locationId !== undefined && q.locationId.trim() === '') {
    throw new DomainError('QueryParameterException', 'location is a location id, e.g. store-sh01', [{ pointer: '/query/location', message: 'a location id', rule: 'minLength' }]);
  }
  let query = db
    .selectFrom('recall_tasks as t')
    .innerJoin('recall_cases as c', (j) => j.onRef('c.org_id', '=', 't.org_id').onRef('c.case_id', '=', 't.case_id'))
    .select(['t.case_id', 't.location_id', 't.kind', 't.status', 't.units_expected', 't.units_removed', 't.due_at', 't.escalation_level', 't.acknowledged_at', 't.note', 'c.state', 'c.status as case_status'])
    .where('t.org_id', '=', orgId);
  if (q.locationId) query = query.where('t.location_id', '=', q.locationId);
  if (q.status) query = query.where('t.status', '=', q.status);
  if (q.status === 'open') query = query.where('c.status', 'not in', ['closed', 'cancelled']);
  const rows = await query.orderBy('t.due_at', 'asc').orderBy('t.case_id').orderBy('t.location_id').limit(q.limit).execute();
  const places = await knownPlaces(db, orgId, rows.map((r) => r.location_id));
  const now = ctx.clock.now().getTime();
  const tasks = rows.map((r): StoreTask => {
    const s = r.state as RecallState;
    const level = s.assessment?.level ?? null;
    const place = places.get(r.location_id);
    return {
      caseId: r.case_id,
      caseNumber: s.caseNumber,
      title: s.title,
      drill: s.drill,
      caseStatus: r.case_status,
      level: level === null ? null : { level, colour: LEVEL_COLOURS[level].colour, 'zh-CN': LEVEL_COLOURS[level]['zh-CN'], en: LEVEL_COLOURS[level].en },
      instructions: s.instructions,
      locationId: r.location_id,
      locationName: place?.name ?? null,
      city: place?.city ?? null,
      kind: r.kind,
      status: r.status,
      unitsExpected: r.units_expected,
      unitsRemoved: r.units_removed,
      dueAt: new Date(r.due_at).toISOString(),
      overdue: r.status === 'open' && new Date(r.due_at).getTime() < now,
      escalationLevel: r.escalation_level,
      acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
      note: r.note,
    };
  });
  // Open work first; the SQL order (soonest due) holds within each group.
  const rank = (t: StoreTask) => (t.status === 'open' ? 0 : t.status === 'acknowledged' ? 1 : 2);
  return { tasks: tasks.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t) };
}

/**
 * Mock-recall drills: a case run like a real one on a chosen or random lot, with every external
 * channel in dry run (notices are recorded with status `dry_run`, POS systems keep selling). The
 * stopwatch runs from the start to the scope, the hold and the reconciliation figure, and the drill
 * is scored (src/core/recall/drill-score.ts).
 */
import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { type DrillScore, scoreDrill } from '../../core/recall/drill-score.ts';
import type { RecallState } from '../../core/recall/types.ts';
import type { Actor } from '../audit.ts';
import { classifyNode } from '../trace/identifiers.ts';
import { massBalance } from '../trace/mass-balance.ts';
import { resolveCode, traceView } from '../trace/view.ts';
import { type RecallDeps, getCase, openCase, runCommand } from './cases.ts';
import { buildScope } from './recall-scope.ts';

export interface DrillRequest {
  /** A lot or unit code; without it, a random lot that reached at least one store. */
  readonly code?: string;
  /** `auto` runs every step now; `manual` opens the drill and leaves the steps to the team, timed. */
  readonly mode?: 'auto' | 'manual';
}

export interface DrillResult {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly lot: string;
  readonly status: string;
  readonly score: DrillScore | null;
  /** Wall-clock milliseconds the automatic run took, start to scored report. */
  readonly tookMs: number | null;
}

const DRILL_PLAN = {
  audiences: ['regulator', 'store', 'warehouse', 'distributor', 'consumer'] as const,
  instructions: { 'zh-CN': '【演练】请核对库存并模拟下架，无需实际停售', en: '[DRILL] Check your stock and simulate removal; do not actually stop selling' },
  compensation: ['refund'],
  ackHours: 4,
};

/** Start a drill; in `auto` mode it is scoped, held (dry run), reconciled, closed and scored at once. */
export async function startDrill(deps: RecallDeps, actor: Actor, request: DrillRequest, requestId?: string): Promise<DrillResult> {
  const started = performance.now();
  const lot = request.code ? await lotOfCode(deps, actor.orgId, request.code) : await randomLot(deps, actor.orgId);
  const c = classifyNode(lot);
  const opened = await openCase(
    deps,
    actor,
    {
      title: `模拟召回演练 / Mock recall drill — ${c.kind === 'lot' ? (c.lot ?? lot) : lot}`,
      hazard: 'quality',
      origin: 'drill',
      description: 'mock recall drill',
      productGtin: c.kind === 'lot' ? c.gtin : null,
      codes: [lot],
      drill: true,
    },
    requestId,
  );
  const caseId = opened.state.caseId;
  await runCommand(deps, actor, caseId, { type: 'assess', level: 3, fdaClass: null, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'medium', reputation: 'low' }, reason: 'drill: tests the recall procedure' }, { requestId });
  await runCommand(deps, actor, caseId, { type: 'set_notice_plan', plan: { ...DRILL_PLAN, audiences: [...DRILL_PLAN.audiences] }, reason: 'drill plan' }, { requestId });
  if ((request.mode ?? 'auto') === 'manual') return drillResult(deps, actor.orgId, caseId, lot, null);

  const state = (await getCase(deps.ctx, actor.orgId, caseId)).state;
  await proposeScope(deps, actor, state, { reason: 'drill: downstream and co-exposure of the lot' }, requestId);
  await runCommand(deps, actor, caseId, { type: 'approve_scope', version: 1, reason: 'drill: approve as a real case would' }, { requestId });
  await reconcile(deps, actor, caseId, requestId);
  await runCommand(deps, actor, caseId, { type: 'close', summary: 'automatic drill: scoped, held in dry run, reconciled' }, { requestId });
  return drillResult(deps, actor.orgId, caseId, lot, Math.round(performance.now() - started));
}

/** Propose the next scope version of a case from the trace engine. */
export async function proposeScope(deps: RecallDeps, actor: Actor, state: RecallState, request: Parameters<typeof buildScope>[3], requestId?: string) {
  const built = await buildScope(deps.ctx, actor.orgId, state, request);
  const version = state.scopes.length + 1;
  return runCommand(
    deps,
    actor,
    state.caseId,
    { type: 'propose_scope', version, lots: built.items.map((i) => i.lot), totals: built.totals, reason: request.reason },
    {
      requestId,
      scope: {
        version,
        createdAt: deps.ctx.clock.now().toISOString(),
        createdBy: actor.tokenId,
        reason: request.reason,
        basis: built.basis,
        items: built.items,
        diff: { added: built.basis.added, removed: built.basis.removed },
        totals: built.totals,
        approvedAt: null,
        approvedBy: null,
      },
    },
  );
}

/** Record a drill's reconciliation figure from the mass balance of its scope in force. */
export async function reconcile(deps: RecallDeps, actor: Actor, caseId: string, requestId?: string) {
  const { state } = await getCase(deps.ctx, actor.orgId, caseId);
  const lots = state.scopes.find((s) => s.version === state.approvedVersion)?.lots;
  if (!lots) throw new DomainError('InvalidStateException', 'approve a scope before reconciling it', [{ pointer: '/caseId', message: 'no approved scope', rule: 'status' }]);
  const balance = await massBalance(deps.ctx, actor.orgId, { lots });
  return runCommand(deps, actor, caseId, { type: 'record_reconciliation', accountedPercent: balance.accountedPercent, gaps: balance.differences.length }, { requestId });
}

async function drillResult(deps: RecallDeps, orgId: string, caseId: string, lot: string, tookMs: number | null): Promise<DrillResult> {
  const { state } = await getCase(deps.ctx, orgId, caseId);
  return { caseId, caseNumber: state.caseNumber, lot, status: state.status, score: state.drillClock ? scoreDrill(state.drillClock) : null, tookMs };
}

/** Drills, newest first, with their scores and the change from the drill before. */
export async function drillHistory(deps: RecallDeps, orgId: string, limit = 50) {
  const rows = await deps.ctx.database.db.selectFrom('recall_cases').select(['state']).where('org_id', '=', orgId).where('drill', '=', true).orderBy('opened_at', 'asc').execute();
  let previous: number | null = null;
  const out = rows.map((r) => {
    const s = r.state as RecallState;
    const score = s.drillClock ? scoreDrill(s.drillClock) : null;
    const change = score && previous !== null ? Math.round((score.score - previous) * 10) / 10 : null;
    if (score && s.status === 'closed') previous = score.score;
    return { caseId: s.caseId, caseNumber: s.caseNumber, lot: s.codes[0] ?? null, status: s.status, startedAt: s.opened.at, score, change };
  });
  return out.reverse().slice(0, limit);
}

async function lotOfCode(deps: RecallDeps, orgId: string, code: string): Promise<string> {
  const db = deps.ctx.database.db;
  const resolved = await resolveCode(db, await traceView(db, orgId, null), code);
  const lot = resolved.cls.kind === 'lot' ? resolved.node : resolved.unitLot;
  if (!lot) throw new DomainError('ValidationException', 'a drill runs on a lot: give a lot code or a unit code whose lot is known', [{ pointer: '/code', message: 'a lot or unit code', rule: 'lot' }]);
  // A drill on a lot nothing was recorded for would "account for" 0 of 0 units: refuse it.
  const known = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM trace_moves WHERE org_id = ${orgId} AND item = ${lot} LIMIT 1) x`.execute(db);
  if ((known.rows[0]?.n ?? 0) === 0) throw new DomainError('NoSuchResourceException', `no events of lot ${lot} are recorded, so there is nothing to trace or reconcile`, [{ pointer: '/code', message: 'a lot with recorded events', rule: 'exists' }]);
  return lot;
}

/** A random lot of this organisation's production that reached a store. */
async function randomLot(deps: RecallDeps, orgId: string): Promise<string> {
  const r = await sql<{ item: string }>`
    SELECT p.item FROM trace_moves p
    WHERE p.org_id = ${orgId} AND p.kind = 'produced' AND p.item_kind = 'lot'
    ORDER BY random() LIMIT 50`.execute(deps.ctx.database.db);
  const lot = r.rows[0]?.item;
  if (!lot) throw new DomainError('ConflictException', 'there is no produced lot to drill on yet; capture production events first or name a code', [{ pointer: '/code', message: 'no lots', rule: 'exists' }]);
  return lot;
}

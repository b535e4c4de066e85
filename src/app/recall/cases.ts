/**
 * Recall cases: every change runs the pure state machine (src/core/recall/machine.ts) inside one
 * transaction that also writes the decision log entry, the audit entry and every effect — holds,
 * store and warehouse tasks, outbox notices, disposition events — so a decision and its consequences
 * commit together or not at all (docs/recall.md).
 */
import type { Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { LedgerSigner } from '../../core/ledger/ledger-signer.ts';
import { allowedCommands, decide } from '../../core/recall/machine.ts';
import type { RecallCommand, RecallEffect, RecallState } from '../../core/recall/types.ts';
import type { Schema } from '../../store/schema.ts';
import { takeSequence } from '../../store/sequences.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { loadCalendar } from '../calendar.ts';
import { type EffectEnv, applyEffects } from './effects.ts';
import type { ScopeSnapshot } from './report-data.ts';

type Tx = Transaction<Schema>;

/** What a recall command needs beyond the database: the ledger key (disposition events are captured). */
export interface RecallDeps {
  readonly ctx: AppContext;
  readonly signer: LedgerSigner;
  /** Called after a commit that changed holds or queued notices (POS caches, the outbox worker). */
  readonly afterCommit?: (orgId: string, changed: { readonly holds: boolean; readonly notices: boolean }) => void;
}

export interface CaseSummary {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly drill: boolean;
  readonly status: string;
  readonly title: string;
  readonly level: number | null;
  readonly openedAt: string;
  readonly startedAt: string | null;
  readonly updatedAt: string;
}

export interface CaseView {
  readonly state: RecallState;
  /** Commands the case accepts now. */
  readonly allowed: readonly string[];
}

export interface CommandResult {
  readonly state: RecallState;
  readonly effects: readonly RecallEffect[];
  /** What the effects did: holds placed, tasks issued, notices queued, events captured. */
  readonly outcome: EffectOutcome;
}

export interface EffectOutcome {
  holdsPlaced: number;
  holdsReleased: number;
  tasksIssued: number;
  tasksCancelled: number;
  noticesQueued: number;
  /** Places in scope that no notice can reach (no email, phone or webhook). */
  unreachable: string[];
  eventsCaptured: string[];
}

export interface OpenCase {
  readonly title: string;
  readonly hazard: Extract<RecallCommand, { type: 'open' }>['hazard'];
  readonly origin: Extract<RecallCommand, { type: 'open' }>['origin'];
  readonly description: string;
  readonly productGtin: string | null;
  readonly codes: readonly string[];
  readonly drill?: boolean;
}

/** Open a case: a new number per year (`RC-2025-0001`, drills `DR-2025-0001`). */
export async function openCase(deps: RecallDeps, actor: Actor, input: OpenCase, requestId?: string): Promise<CommandResult> {
  const { ctx } = deps;
  const now = ctx.clock.now();
  const drill = input.drill ?? false;
  const caseId = ctx.ids.next('case');
  return inTransaction(deps, actor.orgId, async (tx, env) => {
    const year = now.getUTCFullYear();
    const prefix = drill ? 'DR' : 'RC';
    const { first } = await takeSequence(tx, actor.orgId, `recall|${prefix}|${year}`, 1);
    const command: RecallCommand = { type: 'open', caseId, caseNumber: `${prefix}-${year}-${String(first).padStart(4, '0')}`, drill, ...input, codes: [...input.codes] };
    return persist(deps, tx, env, actor, null, command, now, requestId, null);
  });
}

/** Run a command on an existing case. */
export async function runCommand(
  deps: RecallDeps,
  actor: Actor,
  caseId: string,
  command: Exclude<RecallCommand, { type: 'open' }>,
  options: { readonly requestId?: string; readonly reason?: string; readonly scope?: ScopeSnapshot } = {},
): Promise<CommandResult> {
  const now = deps.ctx.clock.now();
  return inTransaction(deps, actor.orgId, async (tx, env) => {
    const row = await tx.selectFrom('recall_cases').select(['state']).where('org_id', '=', actor.orgId).where('case_id', '=', caseId).forUpdate().executeTakeFirst();
    if (!row) throw new DomainError('NoSuchResourceException', `no recall case ${caseId}`, [{ pointer: '/caseId', message: 'not found', rule: 'exists' }]);
    return persist(deps, tx, env, actor, row.state as RecallState, command, now, options.requestId, options.scope ?? null, options.reason);
  });
}

async function inTransaction(deps: RecallDeps, orgId: string, run: (tx: Tx, env: EffectEnv) => Promise<CommandResult>): Promise<CommandResult> {
  // Read before the transaction: PGlite has one connection, which the transaction holds.
  const env: EffectEnv = { calendar: await loadCalendar(deps.ctx, orgId) };
  const result = await deps.ctx.database.db.transaction().execute((tx) => run(tx, env));
  const holds = result.outcome.holdsPlaced + result.outcome.holdsReleased > 0;
  if (holds || result.outcome.noticesQueued > 0) deps.afterCommit?.(orgId, { holds, notices: result.outcome.noticesQueued > 0 });
  return result;
}

async function persist(
  deps: RecallDeps,
  tx: Tx,
  env: EffectEnv,
  actor: Actor,
  before: RecallState | null,
  command: RecallCommand,
  now: Date,
  requestId: string | undefined,
  scope: ScopeSnapshot | null,
  reason?: string,
): Promise<CommandResult> {
  const at = now.toISOString();
  const decision = decide(before, command, { at, by: actor.tokenId });
  const state = decision.state;
  if (before === null) {
    await tx
      .insertInto('recall_cases')
      .values({ org_id: actor.orgId, case_id: state.caseId, case_number: state.caseNumber, drill: state.drill, status: state.status, state: JSON.stringify(state), version: state.version, opened_at: now, updated_at: now })
      .execute();
  } else {
    await tx
      .updateTable('recall_cases')
      .set({ status: state.status, state: JSON.stringify(state), version: state.version, updated_at: now })
      .where('org_id', '=', actor.orgId)
      .where('case_id', '=', state.caseId)
      .execute();
  }
  if (command.type === 'propose_scope') {
    if (!scope) throw new Error('a scope proposal needs its snapshot');
    await tx
      .insertInto('recall_scope_versions')
      .values({
        org_id: actor.orgId,
        case_id: state.caseId,
        version: command.version,
        created_at: now,
        created_by: actor.tokenId,
        reason: command.reason,
        basis: JSON.stringify(scope.basis),
        items: JSON.stringify(scope.items),
        diff: JSON.stringify(scope.diff),
        totals: JSON.stringify(scope.totals),
      })
      .execute();
  }
  if (command.type === 'approve_scope') {
    await tx
      .updateTable('recall_scope_versions')
      .set({ approved_at: now, approved_by: actor.tokenId })
      .where('org_id', '=', actor.orgId)
      .where('case_id', '=', state.caseId)
      .where('version', '=', command.version)
      .execute();
  }
  const { type, ...body } = command;
  await tx
    .insertInto('recall_entries')
    .values({
      org_id: actor.orgId,
      case_id: state.caseId,
      seq: state.version,
      at: now,
      actor: actor.tokenId,
      role: actor.role,
      command: type,
      body: JSON.stringify(body),
      reason: reason ?? ('reason' in command ? command.reason : null),
      request_id: requestId ?? null,
    })
    .execute();
  const outcome = await applyEffects(deps, tx, actor, state, decision.effects, now, env);
  await recordAudit(tx, actor, {
    action: `recall.${type}`,
    targetType: 'recall_case',
    targetId: state.caseId,
    detail: { caseNumber: state.caseNumber, entry: state.version, status: state.status, effects: decision.effects.map((e) => e.type), ...outcome },
    requestId,
  });
  return { state, effects: decision.effects, outcome };
}

/** One case with the commands it accepts now. */
export async function getCase(ctx: AppContext, orgId: string, caseId: string): Promise<CaseView> {
  const row = await ctx.database.db.selectFrom('recall_cases').select(['state']).where('org_id', '=', orgId).where('case_id', '=', caseId).executeTakeFirst();
  if (!row) throw new DomainError('NoSuchResourceException', `no recall case ${caseId}`, [{ pointer: '/caseId', message: 'not found', rule: 'exists' }]);
  const state = row.state as RecallState;
  return { state, allowed: allowedCommands(state.status) };
}

/** Cases, newest first; filter by status and drill. */
export async function listCases(ctx: AppContext, orgId: string, q: { status?: string; drill?: boolean; limit: number }): Promise<CaseSummary[]> {
  let query = ctx.database.db.selectFrom('recall_cases').select(['state', 'updated_at']).where('org_id', '=', orgId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.drill !== undefined) query = query.where('drill', '=', q.drill);
  const rows = await query.orderBy('opened_at', 'desc').limit(q.limit).execute();
  return rows.map((r) => {
    const s = r.state as RecallState;
    return {
      caseId: s.caseId,
      caseNumber: s.caseNumber,
      drill: s.drill,
      status: s.status,
      title: s.title,
      level: s.assessment?.level ?? null,
      openedAt: s.opened.at,
      startedAt: s.startedAt,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** The decision log of a case: every accepted command, who, when and why. */
export async function caseTimeline(ctx: AppContext, orgId: string, caseId: string) {
  await getCase(ctx, orgId, caseId);
  const rows = await ctx.database.db.selectFrom('recall_entries').selectAll().where('org_id', '=', orgId).where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, role: r.role, command: r.command, reason: r.reason, body: r.body, requestId: r.request_id }));
}

/** A frozen scope version (default: the one in force, else the latest). */
export async function scopeVersion(ctx: AppContext, orgId: string, caseId: string, version?: number): Promise<ScopeSnapshot | null> {
  const { state } = await getCase(ctx, orgId, caseId);
  const wanted = version ?? state.approvedVersion ?? state.scopes.at(-1)?.version;
  if (wanted === undefined) return null;
  const row = await ctx.database.db
    .selectFrom('recall_scope_versions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('case_id', '=', caseId)
    .where('version', '=', wanted)
    .executeTakeFirst();
  if (!row) throw new DomainError('NoSuchResourceException', `case ${state.caseNumber} has no scope version ${wanted}`, [{ pointer: '/version', message: 'not found', rule: 'exists' }]);
  return {
    version: row.version,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    reason: row.reason,
    basis: row.basis as ScopeSnapshot['basis'],
    items: row.items as ScopeSnapshot['items'],
    diff: row.diff as ScopeSnapshot['diff'],
    totals: row.totals as ScopeSnapshot['totals'],
    approvedAt: row.approved_at?.toISOString() ?? null,
    approvedBy: row.approved_by,
  };
}

/**
 * The recall case state machine. Pure: a command and the current state give the next state and the
 * effects to persist with it, or a typed error. No clock, database or network: the time and the
 * actor come in `meta`.
 */
import { DomainError } from '../errors.ts';
import type { CaseStatus, CommandMeta, RecallCommand, RecallEffect, RecallState, ScopeVersionSummary, Stamp } from './types.ts';

/** A command the case's status does not allow: `409` with the status and what is allowed. */
export class IllegalTransition extends DomainError {
  readonly from: CaseStatus | null;
  readonly command: RecallCommand['type'];

  constructor(from: CaseStatus | null, command: RecallCommand['type'], why?: string) {
    const allowed = from === null ? ['open'] : allowedCommands(from);
    super(
      'InvalidStateException',
      why ?? `a case that is ${from ?? 'not opened'} cannot take "${command}"; it can take ${allowed.length ? allowed.join(', ') : 'nothing more'}`,
      [{ pointer: '/type', message: `not allowed when the case is ${from ?? 'not opened'}`, rule: 'transition' }],
    );
    this.from = from;
    this.command = command;
  }
}

/** A command whose content contradicts the case (a stale version, an unknown CAPA): 409 or 400. */
export class InvalidCommand extends DomainError {
  constructor(pointer: string, message: string, rule: string, code: 'ValidationException' | 'ConflictException' = 'ValidationException') {
    super(code, message, [{ pointer, message, rule }]);
  }
}

const ALLOWED: Readonly<Record<CaseStatus, readonly RecallCommand['type'][]>> = {
  open: ['attach_evidence', 'assess', 'set_notice_plan', 'cancel'],
  assessed: ['attach_evidence', 'assess', 'set_notice_plan', 'propose_scope', 'cancel'],
  scope_proposed: ['attach_evidence', 'assess', 'set_notice_plan', 'propose_scope', 'approve_scope', 'cancel'],
  active: [
    'attach_evidence', 'assess', 'set_notice_plan', 'propose_scope', 'approve_scope', 'record_disposition',
    'record_rca', 'add_capa', 'complete_capa', 'record_reconciliation', 'close',
  ],
  closed: [],
  cancelled: [],
};

/** The commands a case in `status` accepts. */
export function allowedCommands(status: CaseStatus): readonly RecallCommand['type'][] {
  return ALLOWED[status];
}

export interface Decision {
  readonly state: RecallState;
  readonly effects: readonly RecallEffect[];
}

/** Apply `command` to `state` (null: the case does not exist yet). */
export function decide(state: RecallState | null, command: RecallCommand, meta: CommandMeta): Decision {
  if (command.type === 'open') {
    if (state !== null) throw new IllegalTransition(state.status, 'open', `case ${state.caseNumber} is already open`);
    return { state: opened(command, meta), effects: [] };
  }
  if (state === null) throw new IllegalTransition(null, command.type);
  if (!ALLOWED[state.status].includes(command.type)) throw new IllegalTransition(state.status, command.type);
  const stamp: Stamp = { at: meta.at, by: meta.by, entry: state.version + 1 };
  const next = (changes: Partial<RecallState>, effects: readonly RecallEffect[] = []): Decision => ({
    state: { ...state, ...changes, version: state.version + 1 },
    effects,
  });

  switch (command.type) {
    case 'attach_evidence':
      return next({ evidence: [...state.evidence, { ...stamp, attachmentId: command.attachmentId, fileName: command.fileName, sha256: command.sha256, note: command.note }] });

    case 'assess': {
      requireText('/reason', command.reason, 'the reason for the level');
      const assessment = { ...stamp, level: command.level, fdaClass: command.fdaClass, voluntary: command.voluntary, risks: command.risks, reason: command.reason };
      return next({
        assessment,
        superseded: state.assessment ? [...state.superseded, state.assessment] : state.superseded,
        status: state.status === 'open' ? 'assessed' : state.status,
      });
    }

    case 'set_notice_plan': {
      const plan = command.plan;
      if (plan.audiences.length === 0) throw new InvalidCommand('/plan/audiences', 'a notice plan names at least one audience', 'minItems');
      requireText('/plan/instructions/zh-CN', plan.instructions['zh-CN'], 'the instructions in Chinese');
      requireText('/plan/instructions/en', plan.instructions.en, 'the instructions in English');
      if (!(plan.ackHours > 0)) throw new InvalidCommand('/plan/ackHours', 'stores need a positive number of hours to acknowledge', 'exclusiveMinimum');
      return next({ noticePlan: plan, instructions: plan.instructions });
    }

    case 'propose_scope': {
      requireText('/reason', command.reason, 'the reason for this scope');
      const expected = state.scopes.length + 1;
      if (command.version !== expected) throw new InvalidCommand('/version', `the next scope version is ${expected}, not ${command.version}`, 'version', 'ConflictException');
      if (command.lots.length === 0) throw new InvalidCommand('/lots', 'a scope holds at least one lot; to drop a case before it is active, cancel it', 'minItems');
      const lots = [...new Set(command.lots)].sort();
      // An amendment is compared with the scope in force; a first proposal with the previous draft.
      const base = approvedScope(state) ?? state.scopes.at(-1) ?? null;
      const before = new Set(base?.lots ?? []);
      const after = new Set(lots);
      const summary: ScopeVersionSummary = {
        ...stamp,
        version: command.version,
        lots,
        totals: command.totals,
        reason: command.reason,
        added: lots.filter((l) => !before.has(l)),
        removed: [...before].filter((l) => !after.has(l)).sort(),
        approved: null,
      };
      const drillClock = state.drillClock && state.drillClock.scopedAt === null ? { ...state.drillClock, scopedAt: meta.at } : state.drillClock;
      return next({ scopes: [...state.scopes, summary], status: state.status === 'active' ? 'active' : 'scope_proposed', drillClock });
    }

    case 'approve_scope': {
      const latest = state.scopes.at(-1);
      if (!latest || latest.approved) throw new InvalidCommand('/version', 'there is no scope proposal waiting for approval', 'pending', 'ConflictException');
      if (command.version !== latest.version) {
        throw new InvalidCommand('/version', `version ${command.version} is not the latest proposal (${latest.version}); review the latest before approving`, 'version', 'ConflictException');
      }
      if (!state.noticePlan) throw new InvalidCommand('/noticePlan', 'set the notice plan (audiences and instructions) before approving a scope: approval holds the goods and sends the notices', 'required', 'ConflictException');
      if (!state.assessment) throw new IllegalTransition(state.status, 'approve_scope', 'assess the case (decide its level) before approving a scope');
      const inForce = approvedScope(state);
      const held = new Set(inForce?.lots ?? []);
      const now = new Set(latest.lots);
      const place = latest.lots.filter((l) => !held.has(l));
      const release = [...held].filter((l) => !now.has(l)).sort();
      const approvedSummary: ScopeVersionSummary = { ...latest, approved: stamp };
      const amendment = inForce !== null;
      const effects: RecallEffect[] = [];
      if (place.length) effects.push({ type: 'place_holds', version: latest.version, lots: place });
      if (release.length) effects.push({ type: 'release_holds', lots: release });
      effects.push({ type: 'issue_tasks', version: latest.version });
      effects.push({ type: 'notify', audiences: state.noticePlan.audiences, occasion: amendment ? 'scope_amended' : 'scope_approved' });
      const drillClock = state.drillClock && state.drillClock.heldAt === null ? { ...state.drillClock, heldAt: meta.at } : state.drillClock;
      return next(
        { scopes: [...state.scopes.slice(0, -1), approvedSummary], approvedVersion: latest.version, status: 'active', startedAt: state.startedAt ?? meta.at, drillClock },
        effects,
      );
    }

    case 'record_disposition': {
      if (!(command.quantity > 0)) throw new InvalidCommand('/quantity', 'a disposition has a positive quantity', 'exclusiveMinimum');
      requireText('/witness', command.witness, 'the witness');
      requireText('/locationId', command.locationId, 'the place');
      if (command.lots.length === 0) throw new InvalidCommand('/lots', 'name the lot(s) disposed of', 'minItems');
      const inScope = new Set(approvedScope(state)?.lots ?? []);
      command.lots.forEach((lot, i) => {
        if (!inScope.has(lot)) throw new InvalidCommand(`/lots/${i}`, `${lot} is not in the approved scope of this case`, 'inScope');
      });
      if (state.dispositions.some((d) => d.id === command.id)) throw new InvalidCommand('/id', `disposition ${command.id} is already recorded`, 'unique', 'ConflictException');
      const { type: _type, ...fields } = command;
      const disposition = { ...stamp, ...fields };
      return next({ dispositions: [...state.dispositions, disposition] }, [{ type: 'capture_disposition', disposition }]);
    }

    case 'record_rca': {
      requireText('/rootCause', command.rootCause, 'the root cause');
      const named = Object.values(command.categories).some((findings) => (findings ?? []).length > 0);
      if (!named) throw new InvalidCommand('/categories', 'name the finding under at least one category (man, machine, material, method, measurement, environment)', 'minProperties');
      return next({ rca: { ...stamp, categories: command.categories, whys: command.whys, rootCause: command.rootCause } });
    }

    case 'add_capa': {
      requireText('/action', command.action, 'the action');
      requireText('/owner', command.owner, 'the owner');
      requireText('/effectivenessCheck', command.effectivenessCheck, 'how effectiveness will be checked');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(command.dueDate)) throw new InvalidCommand('/dueDate', 'a due date is YYYY-MM-DD', 'format');
      if (state.capas.some((c) => c.id === command.id)) throw new InvalidCommand('/id', `CAPA ${command.id} already exists`, 'unique', 'ConflictException');
      const { type: _type, ...fields } = command;
      return next({ capas: [...state.capas, { ...stamp, ...fields, status: 'open', done: null }] });
    }

    case 'complete_capa': {
      const capa = state.capas.find((c) => c.id === command.id);
      if (!capa) throw new InvalidCommand('/id', `this case has no CAPA ${command.id}`, 'exists');
      if (capa.status === 'done') throw new InvalidCommand('/id', `CAPA ${command.id} is already complete`, 'status', 'ConflictException');
      requireText('/evidence', command.evidence, 'the evidence of the effectiveness check');
      const done = { ...stamp, effective: command.effective, evidence: command.evidence };
      return next({ capas: state.capas.map((c) => (c.id === command.id ? { ...c, status: 'done', done } : c)) });
    }

    case 'record_reconciliation': {
      if (!state.drillClock) throw new IllegalTransition(state.status, 'record_reconciliation', 'the reconciliation figure is recorded by drills; a real case reads it live');
      if (!(command.accountedPercent >= 0)) throw new InvalidCommand('/accountedPercent', 'a percentage is zero or more', 'minimum');
      return next({ drillClock: { ...state.drillClock, reconciledAt: state.drillClock.reconciledAt ?? meta.at, accountedPercent: command.accountedPercent, gaps: command.gaps } });
    }

    case 'close': {
      requireText('/summary', command.summary, 'the closing summary');
      if (state.drill) {
        if (!state.drillClock?.reconciledAt) throw new InvalidCommand('/summary', 'a drill closes after its reconciliation figure is recorded', 'reconciled', 'ConflictException');
      } else {
        if (!state.rca) throw new InvalidCommand('/rca', 'record the root cause analysis before closing the case', 'required', 'ConflictException');
        if (state.capas.length === 0) throw new InvalidCommand('/capas', 'add at least one corrective or preventive action before closing the case', 'minItems', 'ConflictException');
      }
      const audiences = state.noticePlan?.audiences.filter((a) => a === 'regulator') ?? [];
      return next({ status: 'closed', closed: { ...stamp, summary: command.summary } }, audiences.length ? [{ type: 'notify', audiences, occasion: 'closed' }] : []);
    }

    case 'cancel':
      requireText('/reason', command.reason, 'the reason for cancelling');
      return next({ status: 'cancelled', cancelled: { ...stamp, reason: command.reason } });
  }
}

/** The scope version in force, or null before the first approval. */
export function approvedScope(state: RecallState): ScopeVersionSummary | null {
  return state.approvedVersion === null ? null : (state.scopes.find((s) => s.version === state.approvedVersion) ?? null);
}

function opened(command: Extract<RecallCommand, { type: 'open' }>, meta: CommandMeta): RecallState {
  requireText('/title', command.title, 'a title');
  return {
    caseId: command.caseId,
    caseNumber: command.caseNumber,
    drill: command.drill,
    status: 'open',
    title: command.title,
    hazard: command.hazard,
    origin: command.origin,
    description: command.description,
    productGtin: command.productGtin,
    codes: command.codes,
    opened: { at: meta.at, by: meta.by, entry: 1 },
    assessment: null,
    superseded: [],
    scopes: [],
    approvedVersion: null,
    startedAt: null,
    noticePlan: null,
    instructions: null,
    evidence: [],
    dispositions: [],
    rca: null,
    capas: [],
    drillClock: command.drill ? { startedAt: meta.at, scopedAt: null, heldAt: null, reconciledAt: null, accountedPercent: null, gaps: null } : null,
    closed: null,
    cancelled: null,
    version: 1,
  };
}

function requireText(pointer: string, value: string, what: string): void {
  if (value.trim() === '') throw new InvalidCommand(pointer, `${what} must not be empty`, 'minLength');
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalTransition, InvalidCommand, approvedScope, decide } from './machine.ts';
import type { RecallCommand, RecallEffect, RecallState } from './types.ts';

const meta = (at: string, by = 'tok_qa') => ({ at, by });
const LOT_A = 'https://id.gs1.org/01/06912345000015/10/250905-B-A';
const LOT_B = 'https://id.gs1.org/01/06912345000015/10/250905-B-B';
const LOT_C = 'https://id.gs1.org/01/06912345000015/10/250904-B-A';
const totals = { lots: 1, units: 2000, locations: 35, cities: 3 };
const risks = { safety: 'medium', regulatory: 'low', scope: 'high', reputation: 'high' } as const;
const plan = { audiences: ['regulator', 'store', 'consumer'] as const, instructions: { 'zh-CN': '请停止食用并退回', en: 'Stop eating it and return it' }, compensation: ['refund'], ackHours: 4 };

function run(commands: RecallCommand[], start: RecallState | null = null): { state: RecallState; effects: RecallEffect[] } {
  let state = start;
  const effects: RecallEffect[] = [];
  commands.forEach((c, i) => {
    const d = decide(state, c, meta(new Date(Date.UTC(2025, 8, 5, 8, i)).toISOString()));
    state = d.state;
    effects.push(...d.effects);
  });
  return { state: state as unknown as RecallState, effects };
}

const open: RecallCommand = { type: 'open', caseId: 'case_1', caseNumber: 'RC-2025-0001', drill: false, title: '月饼封口不严', hazard: 'packaging_seal', origin: 'qc_finding', description: 'seal drift on line B', productGtin: '06912345000015', codes: [LOT_A] };
const assess: RecallCommand = { type: 'assess', level: 3, fdaClass: null, voluntary: true, risks, reason: 'preventive: seal integrity uncertain' };
const propose = (version: number, lots: string[]): RecallCommand => ({ type: 'propose_scope', version, lots, totals, reason: `scope v${version}` });

describe('recall case state machine', () => {
  it('runs a case from opening to closing, with holds, tasks and notices as effects', () => {
    const { state, effects } = run([
      open,
      assess,
      { type: 'set_notice_plan', plan, reason: 'standard plan' },
      propose(1, [LOT_A]),
      { type: 'approve_scope', version: 1, reason: 'approved by QA manager' },
      { type: 'record_disposition', id: 'd1', class: 'destroy', lots: [LOT_A], quantity: 1700, uom: 'box', locationId: 'qc-east', witness: '王工', evidence: [], note: '' },
      { type: 'record_rca', categories: { material: ['new eco film incompatible with the sealing machine'], machine: ['sealing temperature window too narrow for the new film'] }, whys: ['seal leaked', 'film did not fuse'], rootCause: 'new eco film incompatible with the sealing machine' },
      { type: 'add_capa', id: 'c1', kind: 'corrective', action: 'qualify film on the sealer before release', owner: '李经理', dueDate: '2025-09-20', effectivenessCheck: 'seal peel test on 3 lots' },
      { type: 'close', summary: 'all stores acknowledged; 1,700 boxes destroyed' },
    ]);
    expect(state.status).toBe('closed');
    expect(state.version).toBe(9);
    expect(state.startedAt).toBe('2025-09-05T08:04:00.000Z');
    expect(state.rca?.rootCause).toBe('new eco film incompatible with the sealing machine');
    expect(effects).toEqual([
      { type: 'place_holds', version: 1, lots: [LOT_A] },
      { type: 'issue_tasks', version: 1 },
      { type: 'notify', audiences: ['regulator', 'store', 'consumer'], occasion: 'scope_approved' },
      { type: 'capture_disposition', disposition: expect.objectContaining({ id: 'd1', class: 'destroy', quantity: 1700, witness: '王工' }) },
      { type: 'notify', audiences: ['regulator'], occasion: 'closed' },
    ]);
  });

  it('keeps earlier assessments as superseded entries instead of editing them', () => {
    const { state } = run([open, assess, { ...assess, level: 2, reason: 'complaints rising' } as RecallCommand]);
    expect(state.assessment).toMatchObject({ level: 2, reason: 'complaints rising', entry: 3 });
    expect(state.superseded).toEqual([expect.objectContaining({ level: 3, entry: 2 })]);
  });

  it('amends an active scope as a new version with a diff, holding added lots and releasing removed ones', () => {
    const { state, effects } = run([
      open, assess, { type: 'set_notice_plan', plan, reason: 'p' }, propose(1, [LOT_A, LOT_B]), { type: 'approve_scope', version: 1, reason: 'ok' },
      propose(2, [LOT_A, LOT_C]), { type: 'approve_scope', version: 2, reason: 'widened to the 4 Sept lot, LOT_B cleared by lab' },
    ]);
    expect(state.scopes[1]).toMatchObject({ version: 2, added: [LOT_C], removed: [LOT_B] });
    expect(approvedScope(state)?.lots).toEqual([LOT_C, LOT_A]); // sorted
    expect(effects.slice(-4)).toEqual([
      { type: 'place_holds', version: 2, lots: [LOT_C] },
      { type: 'release_holds', lots: [LOT_B] },
      { type: 'issue_tasks', version: 2 },
      { type: 'notify', audiences: plan.audiences, occasion: 'scope_amended' },
    ]);
  });

  it('refuses illegal transitions with a typed error naming what is allowed', () => {
    const { state } = run([open]);
    const attempt = () => decide(state, { type: 'approve_scope', version: 1, reason: '' }, meta('2025-09-05T09:00:00Z'));
    expect(attempt).toThrow(IllegalTransition);
    expect(attempt).toThrow(/open cannot take "approve_scope"; it can take attach_evidence, assess, set_notice_plan, cancel/);
    const closed = run([{ type: 'cancel', reason: 'false alarm: lab result negative' }], state).state;
    expect(() => decide(closed, assess, meta('2025-09-05T10:00:00Z'))).toThrow(/cancelled cannot take "assess"; it can take nothing more/);
    expect(() => decide(null, assess, meta('2025-09-05T10:00:00Z'))).toThrow(IllegalTransition);
  });

  it('rejects commands that contradict the case', () => {
    const { state } = run([open, assess, propose(1, [LOT_A])]);
    expect(() => decide(state, propose(3, [LOT_A]), meta('2025-09-05T09:00:00Z'))).toThrow(/next scope version is 2/);
    expect(() => decide(state, { type: 'approve_scope', version: 1, reason: '' }, meta('2025-09-05T09:00:00Z'))).toThrow(/notice plan/);
    const planned = run([{ type: 'set_notice_plan', plan, reason: '' }, { type: 'approve_scope', version: 1, reason: '' }], state).state;
    const outside = () => decide(planned, { type: 'record_disposition', id: 'd', class: 'recycle', lots: [LOT_B], quantity: 1, uom: 'box', locationId: 'x', witness: 'w', evidence: [], note: '' }, meta('2025-09-06T00:00:00Z'));
    expect(outside).toThrow(InvalidCommand);
    expect(outside).toThrow(/not in the approved scope/);
    expect(() => decide(planned, { type: 'close', summary: 'done' }, meta('2025-09-06T00:00:00Z'))).toThrow(/root cause analysis/);
  });

  it('times a drill from start to scope, hold and reconciliation', () => {
    const { state } = run([
      { ...open, drill: true, origin: 'drill' } as RecallCommand, assess, { type: 'set_notice_plan', plan, reason: '' }, propose(1, [LOT_A]),
      { type: 'approve_scope', version: 1, reason: '' }, { type: 'record_reconciliation', accountedPercent: 99.6, gaps: 1 }, { type: 'close', summary: 'drill done' },
    ]);
    expect(state.drillClock).toEqual({ startedAt: '2025-09-05T08:00:00.000Z', scopedAt: '2025-09-05T08:03:00.000Z', heldAt: '2025-09-05T08:04:00.000Z', reconciledAt: '2025-09-05T08:05:00.000Z', accountedPercent: 99.6, gaps: 1 });
    expect(state.status).toBe('closed');
  });

  it('keeps its invariants under any sequence of commands', () => {
    const lots = fc.subarray([LOT_A, LOT_B, LOT_C], { minLength: 0 });
    const command: fc.Arbitrary<RecallCommand> = fc.oneof(
      fc.constant(assess),
      fc.constant({ type: 'set_notice_plan', plan, reason: 'p' } as RecallCommand),
      fc.tuple(fc.integer({ min: 1, max: 5 }), lots).map(([v, l]) => propose(v, l)),
      fc.integer({ min: 1, max: 5 }).map((v) => ({ type: 'approve_scope', version: v, reason: 'r' }) as RecallCommand),
      fc.constant({ type: 'record_rca', categories: { method: ['x'] }, whys: [], rootCause: 'x' } as RecallCommand),
      fc.constant({ type: 'add_capa', id: 'c', kind: 'preventive', action: 'a', owner: 'o', dueDate: '2025-10-01', effectivenessCheck: 'e' } as RecallCommand),
      fc.constant({ type: 'close', summary: 's' } as RecallCommand),
      fc.constant({ type: 'cancel', reason: 'r' } as RecallCommand),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), (commands) => {
        let state = decide(null, open, meta('2025-09-05T08:00:00Z')).state;
        const held = new Set<string>();
        for (const [i, c] of commands.entries()) {
          let d;
          try {
            d = decide(state, c, meta(new Date(Date.UTC(2025, 8, 5, 9, i)).toISOString()));
          } catch (error) {
            // A refusal is typed and changes nothing.
            expect(error instanceof IllegalTransition || error instanceof InvalidCommand).toBe(true);
            continue;
          }
          expect(d.state.version).toBe(state.version + 1);
          expect(['closed', 'cancelled']).not.toContain(state.status);
          for (const e of d.effects) {
            if (e.type === 'place_holds') e.lots.forEach((l) => held.add(l));
            if (e.type === 'release_holds') e.lots.forEach((l) => held.delete(l));
          }
          state = d.state;
          // What is held is exactly the approved scope in force.
          expect([...held].sort()).toEqual([...(approvedScope(state)?.lots ?? [])]);
          expect(state.startedAt !== null).toBe(state.approvedVersion !== null);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../src/app/trace/identifiers.ts';
import type { MassBalanceReport, ScopeReport, TraceReport } from '../../src/app/trace/types.ts';
import { CAKE, FILM, FLOUR, PLANT, S1, S2, at, dl, documentOf, lgtin, sgtin, sscc, story } from '../support/trace-story.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('trace on %s', (engine) => {
  let t: TestApp;
  let beforeRetraction: string;
  const get = async <T>(url: string, status = 200): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth('qa') });
    expect(res.statusCode, res.body).toBe(status);
    return JSON.parse(res.body) as T;
  };
  const capture = async (events: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: documentOf(events) });
    expect(res.statusCode, res.body).toBe(202);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    const events = story();
    // Two documents, so units sold in the second resolve their lot from the first's commissioning.
    await capture(events.slice(0, 12));
    await capture(events.slice(12));
    await new Promise((r) => setTimeout(r, 5));
    beforeRetraction = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // The wrong shipment of C1 to S2 is declared an error.
    const wrong = events[12] as Record<string, unknown>;
    await capture([{ ...wrong, errorDeclaration: { declarationTime: at(23), reason: 'incorrect_data' } }]);
  });
  afterAll(async () => t?.close());

  it('traces a unit upstream to its raw lots, batch context and the humidity at the line', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sgtin(CAKE, 1003))}&direction=upstream`);
    expect(r.query.kind).toBe('unit');
    expect(r.rawLots.map((l) => l.lot).sort()).toEqual([dl(FILM, 'P1'), dl(FLOUR, 'F1')].sort());
    expect(r.batches).toHaveLength(1);
    const b = r.batches[0];
    expect(b?.lot).toBe(dl(CAKE, 'B1'));
    expect(b?.operators).toEqual(['WANG-03']);
    expect(b?.shift).toBe('AM');
    expect(b?.equipment).toEqual(['OVEN-3', 'SEALER-1']);
    expect(b?.environment.map((e) => e.value)).toEqual([75]);
    expect(r.nodes.find((n) => n.id === dl(FLOUR, 'F1'))?.path.map((s) => s.link)).toEqual([null, 'member', 'produced', 'consumed']);
  });

  it('traces a unit downstream: its case, the van, and the store where it was sold', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(`https://brand.example/01/${dl(CAKE, 'B1').slice(22, 36)}/21/1001`)}&direction=downstream`);
    expect(r.shipments.map((s) => [s.vehicle, s.units, s.receivedAt !== null])).toEqual([['https://id.gs1.org/8004/6901234V1', 1, true]]);
    const s1 = r.locations.find((l) => l.place.id === nodeId(S1));
    expect(s1).toMatchObject({ received: 1, sold: 1, onHand: 0 });
  });

  it('traces a raw lot downstream to both batches, their cases and stores, with per-store quantities', async () => {
    const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(lgtin(FLOUR, 'F1'))}&direction=downstream`);
    const lots = r.nodes.filter((n) => n.kind === 'lot').map((n) => n.id).sort();
    expect(lots).toEqual([dl(CAKE, 'B1'), dl(CAKE, 'B2'), dl(FLOUR, 'F1')].sort());
    // C2 after it was emptied carries B3, not B1: its second trip (to S1 at 22:00) is not B1's.
    const byStore = Object.fromEntries(r.locations.filter((l) => l.uom === null && l.place.id !== nodeId(PLANT)).map((l) => [l.place.id, { received: l.received, sold: l.sold, onHand: l.onHand }]));
    expect(byStore).toEqual({ [nodeId(S1)]: { received: 6, sold: 2, onHand: 4 }, [nodeId(S2)]: { received: 4, sold: 0, onHand: 4 } });
  });

  it('respects error declarations, and reproduces what was known before one (as of)', async () => {
    const now = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sscc(1))}&direction=downstream`);
    expect(now.shipments.map((s) => s.to?.id)).toEqual([nodeId(S1)]);
    const then = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(sscc(1))}&direction=downstream&asOf=${encodeURIComponent(beforeRetraction)}`);
    expect(then.shipments.map((s) => s.to?.id)).toEqual([nodeId(S1), nodeId(S2)]);
  });

  it('balances a lot: every unit of B1 is sold, on a shelf, or named as a difference', async () => {
    const r = await get<MassBalanceReport>(`/api/mass-balance?code=${encodeURIComponent(lgtin(CAKE, 'B1'))}`);
    expect(r).toMatchObject({ produced: 10, shipped: 10, received: 10, sold: 2, onHand: 8, inTransit: 0, accountedPercent: 100 });
    expect(r.differences).toEqual([]);
  });

  it('scopes co-exposure with the rule and evidence for each batch', async () => {
    const r = await get<ScopeReport>(`/api/scope?code=${encodeURIComponent(sgtin(CAKE, 1005))}&rules=raw_lot,session,equipment,vehicle,excursion`);
    const rulesOf = Object.fromEntries(r.items.map((i) => [i.lotNumber, [...new Set(i.evidence.map((e) => e.rule))].sort()]));
    expect(rulesOf).toEqual({ B1: ['downstream', 'excursion'], B2: ['excursion', 'raw_lot', 'session'], B3: ['equipment', 'vehicle'] });
    expect(r.items.find((i) => i.lotNumber === 'B2')?.evidence.find((e) => e.rule === 'raw_lot')?.shared).toBe(dl(FLOUR, 'F1'));
  });

  it('ships the same story as the README walk-through (examples/trace-demo.jsonld)', () => {
    expect(JSON.parse(readFileSync(new URL('../../examples/trace-demo.jsonld', import.meta.url), 'utf8'))).toEqual(JSON.parse(documentOf(story())));
  });

  it('answers bad codes and parameters with 4xx problems that point to the field', async () => {
    const bad = await get<{ errors: { pointer: string }[] }>(`/api/trace?code=${encodeURIComponent('(01)06901234567893(21)1')}`, 400);
    expect(bad.errors[0]?.pointer).toBe('/code');
    await get(`/api/trace?code=${encodeURIComponent('(01)06901234000021')}`, 400);
    await get(`/api/trace?code=${encodeURIComponent(sgtin(CAKE, 999999))}`, 404);
    await get(`/api/trace?code=B1&direction=sideways`, 400);
    const rules = await get<{ errors: { pointer: string }[] }>(`/api/scope?code=B1&rules=raw_lot,moon`, 400);
    expect(rules.errors[0]?.pointer).toBe('/query/rules/1');
    await get(`/api/trace?code=B1&asOf=yesterday`, 400);
  });
});

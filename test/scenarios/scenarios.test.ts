/**
 * The two seed stories end to end: master data and EPCIS documents go in through the HTTP API, and the
 * trace, scope and mass-balance answers must equal the fixtures' `expected` exactly — nothing missing,
 * nothing extra. 月华坊 (mooncake.ts) is loaded into organisation `acme`, 时光印记 (cherry-blossom.ts)
 * into `rival`, so each story is also the other's tenant-isolation check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationQuantities, MassBalanceReport, ScopeReport, TraceReport } from '../../src/app/trace/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { cherryBlossom } from '../../src/demo/cherry-blossom.ts';
import { mooncake } from '../../src/demo/mooncake.ts';
import { CO_EXPOSURE_RULES, type Counts, MASTER_DATA_ORDER, type Scenario, scopeMembership } from '../../src/demo/scenario.ts';

/** Each story, and the token role that writes and reads it (`other` is an admin of organisation `rival`). */
const STORIES: readonly { readonly story: Scenario; readonly as: 'admin' | 'other' }[] = [
  { story: mooncake, as: 'admin' },
  { story: cherryBlossom, as: 'other' },
];

interface Loaded {
  /** `POST /api/{kind}` answers that were not 201, as `kind/id: status body`. */
  readonly masterDataFailures: string[];
  /** Per document: the capture answer's status and body, and the capture job read back. */
  readonly captures: { status: number; body: Record<string, unknown>; job: Record<string, unknown> }[];
}

const numbers = (r: Counts | LocationQuantities): Counts => ({
  produced: r.produced, received: r.received, shipped: r.shipped, sold: r.sold, returned: r.returned,
  destroyed: r.destroyed, disposed: r.disposed, wasted: r.wasted, onHand: r.onHand,
});
const byPlace = (rows: readonly LocationQuantities[]): Record<string, Counts> => Object.fromEntries(rows.map((r) => [r.place.id, numbers(r)]));
const sorted = (xs: Iterable<string | null | undefined>): string[] => [...new Set([...xs].filter((x): x is string => typeof x === 'string'))].sort();
const isConformant = (disposition: string | null): boolean => disposition !== null && /(^|[-:/])conformant$/.test(disposition) && !disposition.endsWith('non_conformant');

describe.each(testEngines())('seed stories on %s', (engine) => {
  let t: TestApp;
  const loaded = new Map<Scenario, Loaded>();

  beforeAll(async () => {
    t = await startTestApp(engine);
    for (const { story, as } of STORIES) {
      const masterDataFailures: string[] = [];
      for (const kind of MASTER_DATA_ORDER) {
        for (const body of story.masterData[kind]) {
          const res = await t.app.inject({ method: 'POST', url: `/api/${kind}`, headers: t.auth(as), payload: body });
          if (res.statusCode !== 201) masterDataFailures.push(`${kind}/${JSON.stringify(Object.values(body)[0])}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        }
      }
      const captures: Loaded['captures'] = [];
      for (const doc of story.documents) {
        const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(as), 'content-type': 'application/ld+json' }, payload: JSON.stringify(doc) });
        const location = res.headers.location;
        const job = typeof location === 'string' ? (await t.app.inject({ method: 'GET', url: location, headers: t.auth(as) })).json() : {};
        captures.push({ status: res.statusCode, body: res.json(), job });
      }
      loaded.set(story, { masterDataFailures, captures });
    }
  }, 600_000);
  afterAll(async () => t?.close());

  describe.each(STORIES)('$story.name', ({ story, as }) => {
    const get = async <T>(url: string): Promise<T> => {
      const res = await t.app.inject({ method: 'GET', url, headers: t.auth(as) });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 500)}`).toBe(200);
      return res.json() as T;
    };

    it('accepts all master data and every document (202, capture job successful, every event stored)', () => {
      const l = loaded.get(story);
      expect(l?.masterDataFailures).toEqual([]);
      expect(l?.captures).toHaveLength(story.documents.length);
      for (const [i, c] of (l?.captures ?? []).entries()) {
        const events = ((story.documents[i]?.epcisBody as { eventList: unknown[] }).eventList).length;
        expect(c.status, `document ${i}: ${JSON.stringify(c.body).slice(0, 500)}`).toBe(202);
        expect(c.body, `document ${i}`).toMatchObject({ success: true, eventCount: events, storedCount: events, duplicateCount: 0 });
        expect(c.job, `document ${i}`).toMatchObject({ running: false, success: true, storedCount: events });
      }
    });

    // Exact answers: soft assertions, so a failure lists every difference at once.
    describe('trace, scope and mass balance equal the story exactly', () => {
      it('downstream: exactly these stores, cities, vehicles and per-store quantities', async () => {
        const e = story.expected.downstream;
        const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(e.code)}&direction=downstream`);
        expect.soft(r.query.node).toBe(e.lot);
        expect.soft(r.query.kind).toBe('lot');
        expect.soft(byPlace(r.locations)).toEqual(e.locations);
        const stores = r.locations.filter((l) => l.place.type === 'store');
        expect.soft(sorted(stores.map((l) => l.place.id))).toEqual(sorted(Object.keys(e.stores)));
        for (const l of stores) expect.soft({ ...numbers(l), city: l.place.city }, l.place.id).toEqual({ ...numbers(e.stores[l.place.id]!), city: e.stores[l.place.id]!.city });
        expect.soft(sorted(stores.map((l) => l.place.city))).toEqual(sorted(e.cities));
        expect.soft(sorted(r.shipments.map((s) => s.vehicle))).toEqual(sorted(e.vehicles));
        expect.soft(r.shipments).toHaveLength(e.shipments);
        expect.soft(r.shipments.every((s) => s.receivedAt !== null)).toBe(true);
      });

      it('upstream from one QR code: exactly these raw lots, suppliers, line, operator, equipment and shift', async () => {
        const e = story.expected.upstream;
        const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(e.code)}&direction=upstream`);
        expect.soft(r.query).toMatchObject({ node: e.unit, kind: 'unit' });
        expect.soft(sorted(r.nodes.filter((n) => n.kind === 'lot').map((n) => n.id))).toEqual(sorted([e.lot, ...Object.keys(e.rawLots)]));
        expect.soft(sorted(r.rawLots.map((l) => l.lot))).toEqual(sorted(Object.keys(e.rawLots)));
        for (const raw of r.rawLots) {
          const want = e.rawLots[raw.lot]!;
          expect.soft({ lotNumber: raw.lotNumber, gtin: raw.gtin, supplier: raw.supplier?.id ?? null }, raw.lot).toEqual({ lotNumber: want.lotNumber, gtin: want.gtin, supplier: want.supplier });
          expect.soft(raw.qc, raw.lot).toHaveLength(want.qcRecords);
          expect.soft(raw.qc.every((q) => isConformant(q.disposition)), raw.lot).toBe(true);
        }
        expect.soft(sorted(r.rawLots.map((l) => l.supplier?.id))).toEqual(sorted(e.suppliers));
        expect.soft(r.batches).toHaveLength(1);
        const b = r.batches[0]!;
        expect.soft({
          lot: b.lot, lotNumber: b.lotNumber, quantity: b.quantity, line: b.line?.id ?? null, plant: b.plant?.id ?? null, shift: b.shift, session: b.session,
          operators: sorted(b.operators), equipment: sorted(b.equipment), workOrders: sorted(b.workOrders),
        }).toEqual({ ...e.batch, operators: sorted(e.batch.operators), equipment: sorted(e.batch.equipment), workOrders: sorted(e.batch.workOrders) });
      });

      it('one box, traced either way, is at exactly one place: produced, carried in its cases and pallets, received, sold, never negative', async () => {
        const e = story.expected.upstream;
        for (const direction of ['upstream', 'both'] as const) {
          const r = await get<TraceReport>(`/api/trace?code=${encodeURIComponent(e.code)}&direction=${direction}`);
          const rows = r.locations.map((l) => ({ place: l.place.id, ...numbers(l) }));
          expect.soft(rows.filter((l) => l.onHand < 0), direction).toEqual([]);
          expect.soft(rows.reduce((s, l) => s + l.produced, 0), direction).toBe(1);
          // Every unit that arrives somewhere left somewhere else: one box, so in = out + where it is now.
          const total = (k: 'received' | 'shipped' | 'sold' | 'onHand' | 'returned' | 'destroyed' | 'disposed' | 'wasted') => rows.reduce((s, l) => s + l[k], 0);
          expect.soft(1 + total('received'), direction).toBe(total('shipped') + total('sold') + total('onHand') + total('returned') + total('destroyed') + total('disposed') + total('wasted'));
          expect.soft(total('onHand') + total('sold') + total('destroyed') + total('returned') + total('disposed') + total('wasted'), direction).toBe(1);
        }
      });

      it('scope: exactly these lots, each for exactly these rules', async () => {
        const e = story.expected.scope;
        const r = await get<ScopeReport>(`/api/scope?code=${encodeURIComponent(e.code)}&rules=${CO_EXPOSURE_RULES.join(',')}`);
        expect.soft(r.items[0]?.lot).toBe(e.lot);
        const want = Object.fromEntries([...scopeMembership(e)].map(([lot, rules]) => [lot, sorted(rules)]));
        const got = Object.fromEntries(r.items.slice(1).map((i) => [i.lot, sorted(i.evidence.map((x) => x.rule))]));
        expect.soft(got).toEqual(want);
        for (const lot of Object.keys(e.outOfScope)) expect.soft(r.items.map((i) => i.lot), lot).not.toContain(lot);
        expect.soft(r.totals.lots).toBe(1 + Object.keys(want).length);
      });

      it('mass balance: produced = sold + returned + destroyed + on hand, per place and in total', async () => {
        const e = story.expected.massBalance;
        const r = await get<MassBalanceReport>(`/api/mass-balance?code=${encodeURIComponent(e.code)}`);
        const { locations: rows, differences, tookMs: _took, ...totals } = r;
        const { locations: wantRows, code: _code, ...wantTotals } = e;
        expect.soft(totals).toEqual(wantTotals);
        expect.soft(byPlace(rows)).toEqual(wantRows);
        expect.soft(differences).toEqual([]);
      });
    });
  });
});

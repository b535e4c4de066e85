/**
 * The in-memory trace index stays fresh: captures made after it was built (through this handle or
 * another one, as another process would) are in the next answer, a rolled-back capture never is, and
 * `asOf` still reproduces the past. Every answer equals the SQL path's answer (index turned off).
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { nodeId } from '../../src/app/trace/identifiers.ts';
import { traceIndexStats } from '../../src/app/trace/index/registry.ts';
import { traceCode } from '../../src/app/trace/trace.ts';
import { massBalance } from '../../src/app/trace/mass-balance.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

const RAW = 'urn:epc:class:lgtin:6901234.030006.FLOUR1';
const batch = (n: number) => `urn:epc:class:lgtin:6901234.030007.B${n}`;
const at = (h: number) => new Date(Date.UTC(2025, 2, 1, h)).toISOString().replace('Z', '+00:00');
const doc = (events: object[]) =>
  JSON.stringify({ '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: at(0), epcisBody: { eventList: events } });
const making = (n: number) => ({
  type: 'TransformationEvent',
  eventTime: at(n),
  eventTimeZoneOffset: '+08:00',
  inputQuantityList: [{ epcClass: RAW, quantity: 10, uom: 'KGM' }],
  outputQuantityList: [{ epcClass: batch(n), quantity: 40 }],
  bizStep: 'creating_class_instance',
  bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.0' },
});

describe.each(testEngines())('the trace index after captures on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    delete process.env.LOTLINE_TRACE_INDEX;
  });

  const capture = async (events: object[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: doc(events) });
    expect(res.statusCode, res.body).toBe(202);
  };
  /** The answer with the index and without it: they must be equal; returns the lots reached. */
  async function lotsDownstream(ctx: AppContext, asOf: Date | null = null): Promise<string[]> {
    const { tookMs: _a, ...byIndex } = await traceCode(ctx, 'acme', { code: RAW, direction: 'downstream', asOf });
    process.env.LOTLINE_TRACE_INDEX = 'off';
    const { tookMs: _b, ...bySql } = await traceCode(ctx, 'acme', { code: RAW, direction: 'downstream', asOf });
    delete process.env.LOTLINE_TRACE_INDEX;
    expect(byIndex).toEqual(bySql);
    const mass = await massBalance(ctx, 'acme', { code: batch(1), asOf });
    process.env.LOTLINE_TRACE_INDEX = 'off';
    expect({ ...(await massBalance(ctx, 'acme', { code: batch(1), asOf })), tookMs: 0 }).toEqual({ ...mass, tookMs: 0 });
    delete process.env.LOTLINE_TRACE_INDEX;
    return byIndex.nodes.filter((n) => n.kind === 'lot' && n.direction === 'downstream').map((n) => n.lot as string).sort();
  }

  it('answers from the index, sees later captures through any handle, never a rolled-back one, and reproduces the past', async () => {
    await capture([making(1)]);
    expect(await lotsDownstream(t.ctx)).toEqual(['B1']);
    expect(traceIndexStats(t.ctx.database.db, 'acme')?.state).toBe('ready');
    const firstSeq = traceIndexStats(t.ctx.database.db, 'acme')?.seq as number;
    const between = new Date();
    await new Promise((r) => setTimeout(r, 5));

    // Another handle on the same database has its own index, as another process would.
    const other: AppContext = { ...t.ctx, database: { ...t.ctx.database, db: t.ctx.database.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }) } };
    expect(await lotsDownstream(other)).toEqual(['B1']);
    await capture([making(2)]);
    expect(await lotsDownstream(other)).toEqual(['B1', 'B2']);
    expect(await lotsDownstream(t.ctx)).toEqual(['B1', 'B2']);
    expect(traceIndexStats(t.ctx.database.db, 'acme')?.seq).toBeGreaterThan(firstSeq);

    // A capture whose transaction rolls back after writing its trace rows and moving the head.
    await expect(
      t.ctx.database.db.transaction().execute(async (tx) => {
        const head = Number((await sql<{ seq: string }>`SELECT seq FROM ledger_heads WHERE org_id = 'acme' FOR UPDATE`.execute(tx)).rows[0]?.seq);
        await sql`INSERT INTO trace_links (org_id, seq, ord, src, dst, link, event_time) VALUES ('acme', ${head + 1}, 1, ${nodeId(RAW)}, 'tx:ghost', 'consumed', now()), ('acme', ${head + 1}, 2, 'tx:ghost', ${nodeId(batch(9))}, 'produced', now())`.execute(tx);
        await sql`UPDATE ledger_heads SET seq = ${head + 1} WHERE org_id = 'acme'`.execute(tx);
        expect((await traceCode({ ...t.ctx, database: { ...t.ctx.database, db: tx } }, 'acme', { code: RAW, direction: 'downstream' })).nodes.some((n) => n.id.includes('B9'))).toBe(true);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await lotsDownstream(t.ctx)).toEqual(['B1', 'B2']);
    expect(await lotsDownstream(other)).toEqual(['B1', 'B2']);

    // As of a record time before the second capture.
    expect(await lotsDownstream(t.ctx, between)).toEqual(['B1']);
  });
});

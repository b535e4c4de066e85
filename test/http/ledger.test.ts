import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../src/app/orgs.ts';
import { createToken } from '../../src/app/tokens.ts';
import { verifyInclusionProof } from '../../src/core/ledger/verify-inclusion-proof.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { objectEventsDocument } from '../support/epcis-fixtures.ts';

const ld = { 'content-type': 'application/ld+json' };
const script = new URL('../../scripts/verify-proof.mjs', import.meta.url).pathname;

describe.each(testEngines())('tamper-evident ledger on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  /** A new organisation with `events` captured events, and its admin header. */
  async function orgWithEvents(org: string, events: number): Promise<{ authorization: string }> {
    const cli = { orgId: org, tokenId: 'cli' as const, role: null };
    await createOrg(t.ctx, org, org, cli);
    const headers = { authorization: `Bearer ${(await createToken(t.ctx, { orgId: org, role: 'admin' }, cli)).token}` };
    for (let start = 0; start < events; start += 500) {
      const serials = Array.from({ length: Math.min(500, events - start) }, (_, i) => start + i);
      const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...headers, ...ld }, payload: objectEventsDocument(serials) });
      expect(res.statusCode).toBe(202);
    }
    return headers;
  }

  /** Change stored rows the way an attacker with database access would (the append-only trigger must be lifted first). */
  async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
    await t.ctx.database.db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE epcis_events DISABLE TRIGGER epcis_events_append_only`.execute(tx);
      await statement.execute(tx);
      await sql`ALTER TABLE epcis_events ENABLE TRIGGER epcis_events_append_only`.execute(tx);
    });
  }

  it('verifies an intact ledger, with signed checkpoints every 1,024 entries', async () => {
    const headers = await orgWithEvents('intact', 1_500);
    const res = await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, report: { entriesVerified: 1_500, checkpointsVerified: 1, uncheckpointedEntries: 476 } });
  });

  it('refuses to update or delete stored events', async () => {
    await orgWithEvents('locked', 1);
    await expect(sql`UPDATE epcis_events SET event_type = 'AggregationEvent' WHERE org_id = 'locked'`.execute(t.ctx.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM epcis_events WHERE org_id = 'locked'`.execute(t.ctx.database.db)).rejects.toThrow(/append-only/);
  });

  it('names the first changed event', async () => {
    const headers = await orgWithEvents('changed', 1_200);
    await tamper(sql`UPDATE epcis_events SET doc = jsonb_set(doc, '{disposition}', '"destroyed"') WHERE org_id = 'changed' AND seq IN (700, 900)`);
    const res = await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: 700 });
  });

  it('names a deleted event', async () => {
    const headers = await orgWithEvents('deleted', 600);
    await tamper(sql`DELETE FROM epcis_events WHERE org_id = 'deleted' AND seq = 321`);
    const res = await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers });
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: 321 });
  });

  it('names reordered events', async () => {
    const headers = await orgWithEvents('reordered', 300);
    await tamper(sql`UPDATE epcis_events SET seq = -1 WHERE org_id = 'reordered' AND seq = 120`);
    await tamper(sql`UPDATE epcis_events SET seq = 120 WHERE org_id = 'reordered' AND seq = 121`);
    await tamper(sql`UPDATE epcis_events SET seq = 121 WHERE org_id = 'reordered' AND seq = -1`);
    const res = await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers });
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: 120 });
  });

  it('notices events cut off the end of the chain', async () => {
    const headers = await orgWithEvents('truncated', 50);
    await tamper(sql`DELETE FROM epcis_events WHERE org_id = 'truncated' AND seq > 45`);
    const res = await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers });
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: 46 });
  });

  it('gives inclusion proofs that a third party checks offline, and that fail for a changed event', async () => {
    const headers = await orgWithEvents('proofs', 1_100);
    const list = await t.app.inject({ method: 'GET', url: '/epcis/events?MATCH_epc=urn:epc:id:sgtin:6901234.067890.1050', headers });
    const eventId = list.json().epcisBody.queryResults.resultsBody.eventList[0].eventID as string;
    const res = await t.app.inject({ method: 'GET', url: `/api/ledger/proof/${encodeURIComponent(eventId)}`, headers });
    expect(res.statusCode).toBe(200);
    const { proof, event } = res.json();
    expect(proof.seq).toBe(1_051);
    // Seq 1,051 was past the last full block: a checkpoint was cut for it on demand.
    expect(proof.checkpoint.body).toMatchObject({ fromSeq: 1_025, toSeq: 1_100 });
    const key = (await t.app.inject({ method: 'GET', url: '/api/ledger/public-key', headers })).json().publicKeyPem as string;

    const dir = mkdtempSync(join(tmpdir(), 'lotline-proof-'));
    writeFileSync(join(dir, 'proof.json'), JSON.stringify(proof));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
    writeFileSync(join(dir, 'key.pem'), key);
    const out = execFileSync(process.execPath, [script, join(dir, 'proof.json'), join(dir, 'event.json'), join(dir, 'key.pem')], { encoding: 'utf8' });
    expect(out).toMatch(/^OK/);

    writeFileSync(join(dir, 'event.json'), JSON.stringify({ ...event, disposition: 'destroyed' }));
    expect(() => execFileSync(process.execPath, [script, join(dir, 'proof.json'), join(dir, 'event.json'), join(dir, 'key.pem')], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/Command failed/);
    // The first entry of a block chains to the last entry of the block before it.
    const first = await t.app.inject({ method: 'GET', url: '/epcis/events?MATCH_epc=urn:epc:id:sgtin:6901234.067890.1024', headers });
    const firstId = first.json().epcisBody.queryResults.resultsBody.eventList[0].eventID as string;
    const firstProof = (await t.app.inject({ method: 'GET', url: `/api/ledger/proof/${encodeURIComponent(firstId)}`, headers })).json();
    expect(firstProof.proof).toMatchObject({ seq: 1_025, leafIndex: 0 });
    expect(verifyInclusionProof(firstProof.proof, firstProof.event, key).ok).toBe(true);
    // The verifier still accepts the whole ledger after the on-demand checkpoint.
    expect((await t.app.inject({ method: 'GET', url: '/api/ledger/verify', headers })).json()).toMatchObject({ ok: true, report: { checkpointsVerified: 2 } });
  });
});

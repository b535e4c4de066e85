import { type Transaction, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidate } from '../../src/app/pos/block-cache.ts';
import { queueBlocklistPush } from '../../src/app/pos/blocklist-push.ts';
import { lotNode } from '../../src/app/trace/identifiers.ts';
import type { Schema } from '../../src/store/schema.ts';
import { CAKE, at, dl, documentOf, lgtin, sgtin, sscc, story } from '../support/trace-story.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

interface Answer {
  sellable: boolean;
  shippable: boolean;
  reason: string;
  caseId: string | null;
  caseNumber: string | null;
  instruction: string | null;
  drill: boolean;
  match: string;
  code: string;
  lot: { gtin: string | null; lot: string | null } | null;
  checkedAt: string;
  revision: number;
}

interface BlockList {
  store: { locationId: string; name: string };
  revision: number;
  lots: { gtin: string; lot: string; node: string; caseId: string; caseNumber: string; since: string; instruction: string; onHand?: number }[];
}

/** The cake's GTIN-14, as the story's Digital Links carry it. */
const GTIN = dl(CAKE, 'B1').slice(22, 36);
const GS = '\u001d';
const INSTRUCTIONS = { 'zh-CN': '请立即下架并退回 B1 批次月饼。', en: 'Take B1 mooncakes off the shelf and return them.' };

describe.each(testEngines())('POS check and block lists on %s', (engine) => {
  let t: TestApp;
  let revision = 0;

  const check = async (query: string, opts: { role?: Parameters<TestApp['auth']>[0]; headers?: Record<string, string>; status?: number } = {}): Promise<Answer> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/pos/check?${query}`, headers: { ...t.auth(opts.role ?? 'store'), ...(opts.headers ?? {}) } });
    expect(res.statusCode, res.body).toBe(opts.status ?? 200);
    return JSON.parse(res.body) as Answer;
  };
  const code = (c: string, lang = 'zh-CN') => `code=${encodeURIComponent(c)}&lang=${lang}`;
  const capture = async (events: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: documentOf(events) });
    expect(res.statusCode, res.body).toBe(202);
  };
  const db = () => t.ctx.database.db;

  /** What the recall code does when a scope is approved: case row, holds and a revision bump in one transaction. */
  const openCase = async (caseId: string, caseNumber: string, drill: boolean, state: Record<string, unknown>) => {
    const now = new Date();
    await sql`INSERT INTO recall_cases (org_id, case_id, case_number, drill, status, state, version, opened_at, updated_at)
      VALUES ('acme', ${caseId}, ${caseNumber}, ${drill}, 'active', ${JSON.stringify({ caseId, caseNumber, drill, ...state })}::jsonb, 1, ${now}, ${now})`.execute(db());
  };
  const bump = async (tx: Transaction<Schema>) => {
    revision++;
    await sql`INSERT INTO recall_hold_heads (org_id, revision, changed_at) VALUES ('acme', ${revision}, now())
      ON CONFLICT (org_id) DO UPDATE SET revision = EXCLUDED.revision, changed_at = EXCLUDED.changed_at`.execute(tx);
  };
  const hold = async (caseId: string, lot: string, options: { signal?: boolean } = {}) => {
    await db().transaction().execute(async (tx) => {
      await sql`INSERT INTO recall_holds (org_id, case_id, node, gtin, lot, scope_version, placed_at)
        VALUES ('acme', ${caseId}, ${lotNode(GTIN, lot)}, ${GTIN}, ${lot}, 1, now())
        ON CONFLICT (org_id, case_id, node) DO UPDATE SET released_at = NULL, placed_at = EXCLUDED.placed_at`.execute(tx);
      await bump(tx);
    });
    if (options.signal !== false) invalidate('acme');
  };
  const release = async (caseId: string, lot: string) => {
    await db().transaction().execute(async (tx) => {
      await sql`UPDATE recall_holds SET released_at = now() WHERE org_id = 'acme' AND case_id = ${caseId} AND node = ${lotNode(GTIN, lot)}`.execute(tx);
      await bump(tx);
    });
    invalidate('acme');
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    const events = story();
    await capture(events.slice(0, 12));
    await capture(events.slice(12));
    const wrong = events[12] as Record<string, unknown>;
    await capture([{ ...wrong, errorDeclaration: { declarationTime: at(23), reason: 'incorrect_data' } }]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/locations',
      headers: t.auth('qa'),
      payload: { locationId: 'store-s1', type: 'store', nameZh: '静安店', nameEn: 'Jing-an store', gln: '6901234000115' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await openCase('case-b1', 'RC-2025-001', false, { title: '月饼馅料过敏原未标示', hazard: 'allergen', instructions: INSTRUCTIONS });
    await openCase('case-drill', 'DR-2025-007', true, { title: 'Quarterly drill', hazard: 'microbial' });
    // A case without title, hazard or instructions: the answer falls back to default wording.
    await openCase('case-bare', 'RC-2025-002', false, {});
  });
  afterAll(async () => t?.close());

  it('answers sellable for everything while no hold exists, and for another organisation', async () => {
    const a = await check(code(`https://id.gs1.org/01/${GTIN}/10/B1/21/1003`, 'en'));
    expect(a).toMatchObject({ sellable: true, shippable: true, reason: 'not in any recall', caseNumber: null, lot: { gtin: GTIN, lot: 'B1' }, revision: 0 });
    expect(Date.parse(a.checkedAt)).not.toBeNaN();
    expect((await check(code(sscc(1)))).shippable).toBe(true);
  });

  it('blocks a held unit in every code form, with the case number and the instruction in Chinese and English', async () => {
    await hold('case-b1', 'B1');
    const forms = [
      `https://id.gs1.org/01/${GTIN}/10/B1/21/1003`,
      `https://brand.example/01/${GTIN}/21/1003`, // no lot: found by the commissioned serial range
      `(01)${GTIN}(10)B1(21)1003`,
      `]d201${GTIN}211003${GS}10B1`,
      `]d201${GTIN}211004`,
      sgtin(CAKE, 1005),
      lgtin(CAKE, 'B1'),
      `${dl(CAKE, 'B1')}`,
    ];
    for (const form of forms) {
      const zh = await check(code(form));
      expect(zh, form).toMatchObject({ sellable: false, shippable: false, caseId: 'case-b1', caseNumber: 'RC-2025-001', instruction: INSTRUCTIONS['zh-CN'], drill: false, lot: { gtin: GTIN, lot: 'B1' }, revision });
      expect(zh.reason).toContain('RC-2025-001');
      expect(zh.reason).toContain('过敏原');
      const en = await check(code(form, 'en'));
      expect(en.instruction, form).toBe(INSTRUCTIONS.en);
      expect(en.reason).toContain('undeclared allergen');
    }
    const params = await check(`gtin=${GTIN}&lot=B1&lang=en`);
    expect(params).toMatchObject({ sellable: false, caseNumber: 'RC-2025-001', instruction: INSTRUCTIONS.en, match: 'lot' });
    const lotless = await check(code(sgtin(CAKE, 1010)));
    expect(lotless).toMatchObject({ sellable: false, match: 'unit', lot: { gtin: GTIN, lot: 'B1' } });
  });

  it('takes the language from Accept-Language when lang is absent, Chinese by default', async () => {
    const c = `code=${encodeURIComponent(sgtin(CAKE, 1003))}`;
    expect((await check(c, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).instruction).toBe(INSTRUCTIONS.en);
    expect((await check(c, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } })).instruction).toBe(INSTRUCTIONS['zh-CN']);
    expect((await check(c)).instruction).toBe(INSTRUCTIONS['zh-CN']);
  });

  it('lets other lots, other serials and unknown goods through', async () => {
    for (const other of [sgtin(CAKE, 3001), `(01)${GTIN}(10)B2(21)5000`, lgtin(CAKE, 'B3'), sgtin(CAKE, 999_999), '(01)09520123456788(10)X9']) {
      const a = await check(code(other, 'en'));
      expect(a, other).toMatchObject({ sellable: true, shippable: true, reason: 'not in any recall', caseId: null, instruction: null, revision });
    }
    expect((await check(`gtin=${GTIN}&lot=B2`)).sellable).toBe(true);
  });

  it('blocks a case or pallet while it carries a held lot, and only then', async () => {
    // C1 holds B1 units 1001–1006; C3 holds B3; C2 held B1 units but was emptied and now holds B3 units.
    const c1 = await check(code(sscc(1), 'en'));
    expect(c1).toMatchObject({ sellable: false, shippable: false, match: 'container', caseNumber: 'RC-2025-001', lot: { gtin: GTIN, lot: 'B1' } });
    expect(c1.reason).toContain('case or pallet');
    expect((await check(code('(00)069012340000000016'))).shippable).toBe(false);
    expect((await check(code(sscc(3)))).shippable).toBe(true);
    expect((await check(code(sscc(2)))).shippable).toBe(true);
  });

  it('reports a drill hold as information only: nothing is blocked', async () => {
    await hold('case-drill', 'B3');
    const a = await check(code(sgtin(CAKE, 3001), 'en'));
    expect(a).toMatchObject({ sellable: true, shippable: true, drill: true, caseId: 'case-drill', caseNumber: 'DR-2025-007' });
    expect(a.reason).toMatch(/drill/);
    expect((await check(code(sscc(3)))).shippable).toBe(true);
    // A lot held by a real case and a drill is blocked by the real case.
    expect(await check(code(sgtin(CAKE, 1003)))).toMatchObject({ sellable: false, drill: false, caseNumber: 'RC-2025-001' });
  });

  it('falls back to default wording when the case has no title, hazard or instructions', async () => {
    await hold('case-bare', 'B9');
    const zh = await check(`gtin=${GTIN}&lot=B9`);
    expect(zh).toMatchObject({ sellable: false, caseNumber: 'RC-2025-002' });
    expect(zh.instruction).toMatch(/停止销售/);
    const en = await check(`gtin=${GTIN}&lot=B9&lang=en`);
    expect(en.instruction).toMatch(/^Stop selling/);
    expect(en.reason).toBe('lot B9 is on hold in recall RC-2025-002; do not sell or ship');
  });

  it('names the held lots of a product when the code carries no lot, and blocks a bare batch code of a held lot', async () => {
    const p = await check(code(GTIN, 'en'));
    expect(p).toMatchObject({ sellable: false, match: 'product', caseNumber: 'RC-2025-001', lot: null });
    expect(p.reason).toContain('check the lot printed on the pack');
    expect(await check(code('B1'))).toMatchObject({ sellable: false, match: 'batchCode', lot: { gtin: GTIN, lot: 'B1' } });
    expect((await check(code('NOT-HELD-7'))).sellable).toBe(true);
  });

  it('refuses a code it cannot read with a problem pointing at the parameter', async () => {
    for (const [query, pointer] of [
      [code('hello world'), '/query/code'],
      [code(`(01)${GTIN.slice(0, 13)}9(10)B1`), '/query/code'],
      ['lang=en', '/query/code'],
      ['gtin=123&lot=B1', '/query/gtin'],
      [`gtin=${GTIN}&lot=${encodeURIComponent('bad lot with spaces')}`, '/query/lot'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/pos/check?${query}`, headers: t.auth('store') });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((JSON.parse(res.body) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer), query).toContain(pointer);
    }
  });

  it('lets a released lot through again at once after invalidate, and sees a change made elsewhere within the revalidation interval', async () => {
    await release('case-b1', 'B1');
    expect(await check(code(sgtin(CAKE, 1003)))).toMatchObject({ sellable: true, caseId: null, revision });
    expect((await check(code(sscc(1)))).shippable).toBe(true);
    // Another process placed this hold: no in-process signal, only the revision in the database.
    await hold('case-b1', 'B2', { signal: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(await check(`gtin=${GTIN}&lot=B2`)).toMatchObject({ sellable: false, caseNumber: 'RC-2025-001', revision });
  });

  it('serves the block list with a strong ETag, 304 while unchanged, and a new ETag after a hold change', async () => {
    const get = (query: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/api/pos/blocklist?${query}`, headers: { ...t.auth('store'), ...headers } });
    const first = await get('store=store-s1&lang=en');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const list = JSON.parse(first.body) as BlockList;
    expect(list.store).toEqual({ locationId: 'store-s1', name: 'Jing-an store' });
    expect(list.revision).toBe(revision);
    // Active real holds only: B1 was released, B3 is a drill's.
    expect(list.lots.map((l) => [l.caseNumber, l.lot]).sort()).toEqual([['RC-2025-001', 'B2'], ['RC-2025-002', 'B9']]);
    const b2 = list.lots.find((l) => l.lot === 'B2');
    expect(b2).toMatchObject({ gtin: GTIN, node: lotNode(GTIN, 'B2'), caseId: 'case-b1', instruction: INSTRUCTIONS.en });
    expect(Date.parse(b2?.since ?? '')).not.toBeNaN();

    const again = await get('store=store-s1&lang=en', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const zh = await get('store=store-s1&lang=zh-CN', { 'if-none-match': etag });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers.etag).not.toBe(etag);

    await hold('case-b1', 'B1');
    const changed = await get('store=store-s1&lang=en', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect((JSON.parse(changed.body) as BlockList).lots.map((l) => l.lot).sort()).toEqual(['B1', 'B2', 'B9']);
  });

  it('counts the units of each held lot on hand at the store when asked', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/pos/blocklist?store=store-s1&onHand=true&lang=en', headers: t.auth('store') });
    expect(res.statusCode, res.body).toBe(200);
    const list = JSON.parse(res.body) as BlockList;
    // S1 received case C1 (B1 units 1001–1006) and sold two of them.
    expect(list.lots.find((l) => l.lot === 'B1')?.onHand).toBe(4);
    expect(list.lots.find((l) => l.lot === 'B2')?.onHand).toBe(0);
  });

  it('answers 404 for an unknown store, and 403 to a role without pos:check', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/pos/blocklist?store=nowhere', headers: t.auth('store') });
    expect(unknown.statusCode).toBe(404);
    expect((JSON.parse(unknown.body) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/query/store');
    for (const url of [`/api/pos/check?${code(sgtin(CAKE, 1003))}`, '/api/pos/blocklist?store=store-s1']) {
      expect((await t.app.inject({ method: 'GET', url, headers: t.auth('supplier') })).statusCode, url).toBe(403);
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    // Another organisation's holds are not this one's: rival's till sells the same code.
    const rival = await check(code(sgtin(CAKE, 1003)), { role: 'other' });
    expect(rival).toMatchObject({ sellable: true, caseId: null, revision: 0 });
    const rivalList = await t.app.inject({ method: 'GET', url: '/api/pos/blocklist?store=store-s1', headers: t.auth('other') });
    expect(rivalList.statusCode).toBe(404);
  });

  it('queues one block-list webhook per subscribed endpoint, idempotently, and drills as dry runs', async () => {
    const now = new Date('2025-09-06T08:00:00Z');
    const endpoint = (id: string, topics: string[], active: boolean, location: string | null) =>
      sql`INSERT INTO webhook_endpoints (org_id, endpoint_id, url, secret, location_id, topics, active, created_at)
        VALUES ('acme', ${id}, ${`https://pos.example/${id}`}, 'secret', ${location}, ${topics}::text[], ${active}, ${now})`.execute(db());
    await endpoint('ep-s1', ['pos.blocklist'], true, 'store-s1');
    await endpoint('ep-all', ['recall.notice', 'pos.blocklist'], true, null);
    await endpoint('ep-notices', ['recall.notice'], true, null);
    await endpoint('ep-off', ['pos.blocklist'], false, null);
    await sql`INSERT INTO webhook_endpoints (org_id, endpoint_id, url, secret, location_id, topics, active, created_at)
      VALUES ('rival', 'ep-rival', 'https://pos.example/rival', 's', null, ARRAY['pos.blocklist'], true, ${now})`.execute(db());

    const change = { caseId: 'case-b1', caseNumber: 'RC-2025-001', revision: 41, added: [{ gtin: GTIN, lot: 'B1', node: lotNode(GTIN, 'B1') }], released: [], drill: false };
    const queue = (c: typeof change) => db().transaction().execute((tx) => queueBlocklistPush(tx, 'acme', c, { ids: t.ctx.ids, now }));
    expect(await queue(change)).toBe(2);
    expect(await queue(change)).toBe(0);
    const rows = await db().selectFrom('outbox').selectAll().where('org_id', '=', 'acme').where('idempotency_key', 'like', 'blocklist:%').orderBy('recipient').execute();
    expect(rows.map((r) => [r.recipient, r.idempotency_key, r.channel, r.audience, r.status, r.dry_run, r.case_id])).toEqual([
      ['ep-all', 'blocklist:41:ep-all', 'webhook', 'store', 'pending', false, 'case-b1'],
      ['ep-s1', 'blocklist:41:ep-s1', 'webhook', 'store', 'pending', false, 'case-b1'],
    ]);
    const payload = (typeof rows[1]?.payload === 'string' ? JSON.parse(rows[1].payload) : rows[1]?.payload) as Record<string, unknown>;
    expect(payload).toMatchObject({ topic: 'pos.blocklist', caseNumber: 'RC-2025-001', revision: 41, added: change.added, released: [], drill: false, store: 'store-s1' });
    expect(rows[0]?.subject).toContain('RC-2025-001');

    expect(await queue({ ...change, caseId: 'case-drill', caseNumber: 'DR-2025-007', revision: 42, drill: true })).toBe(2);
    const drill = await db().selectFrom('outbox').select(['status', 'dry_run']).where('org_id', '=', 'acme').where('idempotency_key', 'like', 'blocklist:42:%').execute();
    expect(drill).toEqual([{ status: 'dry_run', dry_run: true }, { status: 'dry_run', dry_run: true }]);
    const rivalRows = await db().selectFrom('outbox').select('message_id').where('org_id', '=', 'rival').execute();
    expect(rivalRows).toEqual([]);
  });
});

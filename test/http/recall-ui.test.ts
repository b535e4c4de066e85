/**
 * GET /api/tasks, the store's work list of the web console, on both engines: on the 月华坊 demo data,
 * a real recall is approved through the API, and a store token (which may acknowledge but not read
 * cases) sees its task with what to do, by when and how many units; acknowledging moves it out of the
 * open list; other organisations and roles without `recall:acknowledge` see nothing.
 */
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import { type AppContext, randomIds, systemClock } from '../../src/app/context.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createAuthenticator, createToken } from '../../src/app/tokens.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../src/core/ledger/ed25519.ts';
import { loadDemo } from '../../src/demo/demo.ts';
import { mooncake } from '../../src/demo/mooncake.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/database.ts';
import { freshDatabase, testEngines } from '../support/engines.ts';

describe.each(testEngines())('store task list on %s', (engine) => {
  let app: FastifyInstance;
  let database: Database;
  let close: () => Promise<void>;
  const tokens: Record<string, string> = {};
  let caseId = '';
  let caseNumber = '';
  let tasksIssued = 0;

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), 'accept-language': 'en' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) => {
    const r = await call(method, url, who, payload);
    expect(r.status, `${method} ${url}: ${JSON.stringify(r.body).slice(0, 600)}`).toBeLessThan(300);
    return r.body;
  };

  beforeAll(async () => {
    database = await freshDatabase(engine);
    const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
    const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
    const preparer = createPreparer(0);
    await loadDemo({ ctx, signer, preparer }, 'acme', 'mooncake', { publicBaseUrl: 'https://recall.example' });
    await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', tokenId: 'cli', role: null });
    for (const role of ['qa', 'store', 'warehouse', 'viewer', 'regulator'] as const) tokens[role] = (await createToken(ctx, { orgId: 'acme', role }, { orgId: 'acme', tokenId: 'cli', role: null })).token;
    tokens.rival = (await createToken(ctx, { orgId: 'rival', role: 'admin' }, { orgId: 'rival', tokenId: 'cli', role: null })).token;
    app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: 64 * 1024 * 1024, captureLimit: 50_000 });
    await app.ready();
    close = async () => {
      await app.close();
      await preparer.close();
      await database.close();
    };

    const lot = mooncake.codes.batchLink;
    const opened = await ok('POST', '/api/recalls', 'qa', { title: '星辰月饼封口不严 / Star mooncake seal leak', hazard: 'packaging_seal', origin: 'qc_finding', codes: [lot] });
    caseId = opened.case.caseId;
    caseNumber = opened.case.caseNumber;
    await ok('POST', `/api/recalls/${caseId}/assess`, 'qa', { level: 3, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'seal integrity uncertain' });
    await ok('PUT', `/api/recalls/${caseId}/notice-plan`, 'qa', { audiences: ['store'], instructions: { 'zh-CN': '请立即下架并退回', en: 'Take it off the shelf and send it back' }, compensation: ['refund'], ackHours: 4 });
    await ok('POST', `/api/recalls/${caseId}/scope`, 'qa', { rules: ['downstream'], reason: 'the suspect batch' });
    tasksIssued = (await ok('POST', `/api/recalls/${caseId}/scope/1/approve`, 'qa', { reason: 'approved' })).outcome.tasksIssued;
  }, 600_000);
  afterAll(async () => close?.());

  it("gives a store its task with what to do, by when and how many units, without recall:read", async () => {
    expect((await call('GET', `/api/recalls/${caseId}`, 'store')).status).toBe(403);
    const { tasks } = await ok('GET', '/api/tasks?location=store-sh01', 'store');
    expect(tasks).toHaveLength(1);
    const task = tasks[0];
    expect(task).toMatchObject({
      caseId,
      caseNumber,
      title: '星辰月饼封口不严 / Star mooncake seal leak',
      drill: false,
      caseStatus: 'active',
      locationId: 'store-sh01',
      kind: 'shelf_removal',
      status: 'open',
      overdue: false,
      escalationLevel: 0,
      instructions: { 'zh-CN': '请立即下架并退回', en: 'Take it off the shelf and send it back' },
      level: { level: 3, colour: 'blue', 'zh-CN': '三级召回（蓝色）' },
    });
    expect(task.locationName).toBeTruthy();
    expect(task.unitsExpected).toBeGreaterThan(0);
    // Due ackHours (4 h) after the approval.
    const dueIn = Date.parse(task.dueAt) - Date.now();
    expect(dueIn).toBeGreaterThan(3.9 * 3_600_000);
    expect(dueIn).toBeLessThanOrEqual(4 * 3_600_000);
  });

  it('lists every open task of the organisation, open first and soonest due first', async () => {
    const { tasks } = await ok('GET', '/api/tasks?status=open', 'warehouse');
    expect(tasks).toHaveLength(tasksIssued);
    expect(tasks.every((t: { status: string; caseId: string }) => t.status === 'open' && t.caseId === caseId)).toBe(true);
    const due = tasks.map((t: { dueAt: string }) => Date.parse(t.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));
  });

  it('moves an acknowledged task out of the open list and keeps the units removed', async () => {
    await ok('POST', `/api/recalls/${caseId}/tasks/store-sh01/ack`, 'store', { unitsRemoved: 12, note: '货架已清空' });
    expect((await ok('GET', '/api/tasks?location=store-sh01&status=open', 'store')).tasks).toEqual([]);
    const done = (await ok('GET', '/api/tasks?location=store-sh01&status=acknowledged', 'store')).tasks;
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: 'acknowledged', unitsRemoved: 12, note: '货架已清空' });
    expect(done[0].acknowledgedAt).toBeTruthy();
    // Without a status filter, open ones come first.
    const all = (await ok('GET', '/api/tasks', 'store')).tasks as { status: string }[];
    expect(all).toHaveLength(tasksIssued);
    expect(all.at(-1)?.status).toBe('acknowledged');
    expect(all.slice(0, -1).every((t) => t.status === 'open')).toBe(true);
  });

  it("leaves a closed drill's tasks out of the open work", async () => {
    const drill = await ok('POST', '/api/drills', 'qa', { code: mooncake.codes.batchLink, mode: 'auto' });
    expect(drill.status).toBe('closed');
    const open = (await ok('GET', '/api/tasks?status=open', 'store')).tasks as { caseId: string }[];
    expect(open.some((t) => t.caseId === drill.caseId)).toBe(false);
    const history = (await ok('GET', '/api/tasks', 'store')).tasks as { caseId: string; drill: boolean }[];
    expect(history.filter((t) => t.caseId === drill.caseId).every((t) => t.drill)).toBe(true);
  });

  it('refuses roles that may not acknowledge, a missing token and a bad filter; other organisations see nothing', async () => {
    expect((await call('GET', '/api/tasks', 'viewer')).status).toBe(403);
    expect((await call('GET', '/api/tasks', 'regulator')).status).toBe(403);
    expect((await call('GET', '/api/tasks', '')).status).toBe(401);
    const bad = await call('GET', '/api/tasks?status=done', 'store');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    expect((await ok('GET', '/api/tasks', 'rival')).tasks).toEqual([]);
    expect((await ok('GET', '/api/tasks?location=store-sh01', 'rival')).tasks).toEqual([]);
  });
});

/**
 * A recall of the 月华坊 星辰月饼 batch through the HTTP API, on both engines: open, assess, plan the
 * notices, scope from the trace engine, approve (holds, tasks, notices in one transaction), POS check
 * flips, stores acknowledge by link and by API, returns and receipts become EPCIS events, progress
 * moves, disposition, RCA/CAPA, close, reports; then a drill. Real parts only: the seed story is
 * captured through the API, notices are read from the outbox table, events from the EPCIS query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warnClocks } from '../../src/app/recall/clock-warnings.ts';
import { escalateOverdue } from '../../src/app/recall/tasks.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { demoMasterData } from '../../src/demo/demo.ts';
import { mooncake } from '../../src/demo/mooncake.ts';
import { MASTER_DATA_ORDER } from '../../src/demo/scenario.ts';

const ROOT_CAUSE = 'new eco film incompatible with the sealing machine';

describe.each(testEngines())('recall workflow on %s', (engine) => {
  let t: TestApp;
  const lot = mooncake.codes.batchLink;
  const storeCount = Object.keys(mooncake.expected.downstream.stores).length;
  let caseId = '';
  let caseNumber = '';

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, role: Parameters<TestApp['auth']>[0] = 'qa') => {
    const res = await t.app.inject({ method, url, headers: { ...t.auth(role), 'accept-language': 'en' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, role: Parameters<TestApp['auth']>[0] = 'qa') => {
    const r = await call(method, url, payload, role);
    expect(r.status, `${method} ${url}: ${JSON.stringify(r.body).slice(0, 800)}`).toBeLessThan(300);
    return r.body as Record<string, any>;
  };
  const outbox = async () => t.ctx.database.db.selectFrom('outbox').selectAll().where('org_id', '=', 'acme').where('case_id', '=', caseId).execute();

  beforeAll(async () => {
    t = await startTestApp(engine);
    const md = demoMasterData(mooncake);
    for (const kind of MASTER_DATA_ORDER) for (const body of md[kind]) await ok('POST', `/api/${kind}`, body, 'admin');
    for (const doc of mooncake.documents) {
      const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('admin'), 'content-type': 'application/ld+json' }, payload: JSON.stringify(doc) });
      expect(res.statusCode).toBe(202);
    }
    await ok('PUT', '/api/recall-settings', { publicBaseUrl: 'https://recall.yuehuafang.example', brand: '月华坊', escalationHours: [4, 12], escalationContacts: ['qa-lead@yuehuafang.example'], defaultLang: 'zh-CN' });
    // A loyalty member who bought the scanned box.
    const serial = /\/21\/([^/?#]+)$/.exec(mooncake.codes.unitQr)?.[1] as string;
    const gtin = /\/01\/(\d{14})\//.exec(mooncake.codes.unitQr)?.[1] as string;
    await ok('POST', '/api/members', { members: [{ memberId: 'M-0001', name: '张女士', email: 'zhang@example.com', lang: 'zh-CN', purchases: [{ purchaseId: 'P-1', gtin, serial, storeId: 'store-sh01', purchasedAt: '2025-09-06T10:00:00+08:00' }] }] });
  }, 600_000);
  afterAll(async () => t?.close());

  it('opens a case and refuses to approve before it is assessed, naming what it can do', async () => {
    const opened = await ok('POST', '/api/recalls', { title: '星辰月饼封口不严 / Star mooncake seal leak', hazard: 'packaging_seal', origin: 'qc_finding', description: 'seal drift on line B after a new film lot', productGtin: /\/01\/(\d{14})\//.exec(lot)?.[1], codes: [lot] });
    caseId = opened.case.caseId;
    caseNumber = opened.case.caseNumber;
    expect(caseNumber).toMatch(/^RC-\d{4}-0001$/);
    expect(opened.allowed).toEqual(['attach_evidence', 'assess', 'set_notice_plan', 'cancel']);
    const early = await call('POST', `/api/recalls/${caseId}/scope/1/approve`, { reason: 'too early' });
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.body)).toContain('cannot take \\"approve_scope\\"');
    const bad = await call('POST', `/api/recalls/${caseId}/assess`, { level: 4, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'low', reputation: 'low' }, reason: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/level');
    // Another organisation cannot see it.
    expect((await call('GET', `/api/recalls/${caseId}`, undefined, 'other')).status).toBe(404);
  });

  it('records the assessment (voluntary level 3, blue) and keeps superseded ones', async () => {
    await ok('POST', `/api/recalls/${caseId}/assess`, { level: 2, voluntary: true, risks: { safety: 'medium', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'first view' });
    const body = await ok('POST', `/api/recalls/${caseId}/assess`, { level: 3, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'preventive: seal integrity uncertain, no illness reported' });
    expect(body.case.assessment).toMatchObject({ level: 3, voluntary: true });
    expect(body.case.superseded).toHaveLength(1);
    expect(body.level).toMatchObject({ colour: 'blue' });
    expect(body.clocks.map((c: { id: string }) => c.id)).toEqual(['start', 'plan_report', 'complete']);
    await ok('PUT', `/api/recalls/${caseId}/notice-plan`, { audiences: ['regulator', 'store', 'consumer'], instructions: { 'zh-CN': '请立即停止食用并退回', en: 'Stop eating it and return it' }, compensation: ['refund'], ackHours: 4 });
  });

  it('freezes a scope from the trace engine with the reason for each lot, then approves it: holds, tasks and notices in one go', async () => {
    const posBefore = await ok('GET', `/api/pos/check?code=${encodeURIComponent(mooncake.codes.unitQr)}`, undefined, 'store');
    expect(posBefore.sellable).toBe(true);

    const proposed = await ok('POST', `/api/recalls/${caseId}/scope`, { rules: ['downstream'], reason: 'the suspect batch and everything made from it' });
    expect(proposed.scope.items.map((i: { lot: string }) => i.lot)).toEqual([lot]);
    expect(proposed.scope.items[0].evidence.length).toBeGreaterThan(0);
    expect(proposed.scope.totals).toMatchObject({ lots: 1, cities: 3 });

    const approved = await ok('POST', `/api/recalls/${caseId}/scope/1/approve`, { reason: 'approved by QA manager 李' });
    expect(approved.case.status).toBe('active');
    expect(approved.outcome, JSON.stringify(approved.outcome)).toMatchObject({ holdsPlaced: 1, tasksIssued: storeCount, unreachable: [] });

    // The POS check flips for the scanned box, in any code form.
    const pos = await ok('GET', `/api/pos/check?code=${encodeURIComponent(mooncake.codes.unitQr)}&lang=en`, undefined, 'store');
    expect(pos).toMatchObject({ sellable: false, caseNumber });
    const byLot = await ok('GET', `/api/pos/check?code=${encodeURIComponent(mooncake.codes.batchLgtin)}`, undefined, 'store');
    expect(byLot.sellable).toBe(false);

    const messages = await outbox();
    const stores = messages.filter((m) => m.audience === 'store');
    expect(stores).toHaveLength(storeCount);
    expect(new Set(stores.map((m) => m.recipient)).size).toBe(storeCount);
    expect(stores[0]?.subject).toContain('立即下架');
    expect(stores[0]?.body).toMatch(/https:\/\/recall\.yuehuafang\.example\/ack\/acme\.[\w-]+/);
    expect(messages.filter((m) => m.audience === 'regulator').map((m) => m.recipient)).toEqual(['recall-desk@amr.example']);
    expect(messages.filter((m) => m.audience === 'consumer').map((m) => m.recipient)).toEqual(['zhang@example.com']);
    expect(messages.every((m) => m.status === 'pending' && !m.dry_run)).toBe(true);
  });

  it('lets stores acknowledge through the link of their notice and through the API', async () => {
    const message = (await outbox()).find((m) => m.audience === 'store' && m.payload && (m.payload as { locationId?: string }).locationId === 'store-sh01');
    const link = /https:\/\/recall\.yuehuafang\.example(\/ack\/\S+)/.exec(message?.body ?? '')?.[1] as string;
    const page = await t.app.inject({ method: 'GET', url: link, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(caseNumber);
    expect(page.body).toContain('确认下架');
    const posted = await t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'unitsRemoved=12&name=%E7%8E%8B%E5%BA%97%E9%95%BF' });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('已确认');
    expect((await t.app.inject({ method: 'GET', url: '/ack/acme.not-a-real-secret' })).statusCode).toBe(404);

    const api = await ok('POST', `/api/recalls/${caseId}/tasks/store-sh02/ack`, { unitsRemoved: 8, note: 'back room checked' }, 'store');
    expect(api).toMatchObject({ status: 'acknowledged', unitsRemoved: 8 });
    const tasks = await ok('GET', `/api/recalls/${caseId}/tasks?status=acknowledged`);
    expect(tasks.tasks.map((x: { locationId: string }) => x.locationId).sort()).toEqual(['store-sh01', 'store-sh02']);
  });

  it('escalates stores that did not acknowledge in time', async () => {
    const later = { ...t.ctx, clock: { now: () => new Date(Date.now() + 5 * 3_600_000) } };
    const escalated = await escalateOverdue(later, 'acme');
    expect(escalated).toBe(storeCount - 2);
    const escalations = (await outbox()).filter((m) => (m.payload as { occasion?: string }).occasion === 'escalation');
    expect(escalations.filter((m) => m.recipient === 'qa-lead@yuehuafang.example')).toHaveLength(storeCount - 2);
    expect(await escalateOverdue(later, 'acme')).toBe(0);
  });

  it('records returns as EPCIS events the trace engine sees, and progress moves', async () => {
    const storeReturn = await ok('POST', `/api/recalls/${caseId}/returns`, { channel: 'store', code: lot, quantity: 12, storeId: 'store-sh01' }, 'store');
    expect(storeReturn).toMatchObject({ channel: 'store', status: 'in_transit', quantity: 12 });
    expect(storeReturn.reference).toMatch(/^RT-[2-9A-Z]{8}$/);
    const received = await ok('POST', `/api/returns/${storeReturn.reference}/receive`, { qcCentreId: 'plant-sz-qc' }, 'warehouse');
    expect(received.status).toBe('received');
    const consumer = await ok('POST', `/api/recalls/${caseId}/returns`, { channel: 'consumer', code: mooncake.codes.unitQr, compensation: 'refund', contact: { name: '张女士', phone: '13800000000' } });
    expect(consumer).toMatchObject({ channel: 'consumer', status: 'issued', compensation: 'refund' });
    await ok('POST', `/api/returns/${consumer.reference}/receive`, { qcCentreId: 'plant-sz-qc' }, 'warehouse');
    const events = await ok('GET', `/epcis/events?EQ_bizStep=shipping&EQ_disposition=recalled`, undefined, 'admin');
    expect(JSON.stringify(events)).toContain(storeReturn.reference);

    const progress = await ok('GET', `/api/recalls/${caseId}/progress`);
    expect(progress.byCity.map((c: { key: string }) => c.key).sort()).toEqual(['上海', '南京', '杭州']);
    expect(progress.recoveredUnits).toBe(12 + 8 + 1);
    expect(progress.percent).toBeGreaterThan(0);
    expect(progress.series.at(-1).recovered).toBe(21);
    expect(progress.soldToMembersNotified).toBe(1);
  });

  it('records a disposition as a destroying event, and will not close without RCA and CAPA', async () => {
    const d = await ok('POST', `/api/recalls/${caseId}/dispositions`, { class: 'destroy', lots: [lot], quantity: 13, locationId: 'plant-sz-qc', witness: '王工 (QA)', note: 'incinerated' });
    expect(d.outcome.eventsCaptured).toHaveLength(1);
    const events = await ok('GET', `/epcis/events?EQ_bizStep=destroying`, undefined, 'admin');
    expect(JSON.stringify(events)).toContain('王工 (QA)');
    const early = await call('POST', `/api/recalls/${caseId}/close`, { summary: 'done' });
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.body)).toContain('root cause analysis');
    await ok('PUT', `/api/recalls/${caseId}/rca`, { categories: { material: [ROOT_CAUSE], machine: ['seal temperature window too narrow for the film'] }, whys: ['boxes leaked', 'seals did not fuse', 'film melts at a higher temperature'], rootCause: ROOT_CAUSE });
    const capa = await ok('POST', `/api/recalls/${caseId}/capas`, { kind: 'corrective', action: 'qualify every new film lot on the sealer before release', owner: '李经理', dueDate: '2025-09-30', effectivenessCheck: 'seal peel test on the next 3 film lots' });
    const capaId = capa.case.capas[0].id;
    await ok('POST', `/api/recalls/${caseId}/capas/${capaId}/complete`, { effective: true, evidence: '3 lots passed peel test' });
    const closed = await ok('POST', `/api/recalls/${caseId}/close`, { summary: 'all stores told; returns destroyed' });
    expect(closed.case.status).toBe('closed');
    expect(closed.case.rca.rootCause).toBe(ROOT_CAUSE);
    expect((await outbox()).filter((m) => (m.payload as { occasion?: string }).occasion === 'closed').map((m) => m.audience)).toEqual(['regulator']);
  });

  it('keeps the decision log append-only and serves the reports as JSON and PDF', async () => {
    const timeline = await ok('GET', `/api/recalls/${caseId}/timeline`);
    expect(timeline.entries.map((e: { command: string }) => e.command)).toEqual([
      'open', 'assess', 'assess', 'set_notice_plan', 'propose_scope', 'approve_scope', 'record_disposition', 'record_rca', 'add_capa', 'complete_capa', 'close',
    ]);
    await expect(t.ctx.database.db.updateTable('recall_entries').set({ reason: 'rewritten' }).where('org_id', '=', 'acme').execute()).rejects.toThrow(/append-only/);
    const plan = await ok('GET', `/api/recalls/${caseId}/reports/plan`);
    expect(plan.scope.items[0].lot).toBe(lot);
    expect(plan.clocks.find((c: { id: string }) => c.id === 'complete').status).toBe('met');
    const pdf = await call('GET', `/api/recalls/${caseId}/reports/closing?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await call('GET', `/api/recalls/${caseId}/reports/drill`)).status).toBe(400);
  });

  it('runs a drill in dry run: scored, nothing sent, nothing blocked', async () => {
    const drill = await ok('POST', '/api/drills', { code: mooncake.expected.scope.byRule.raw_lot[0] });
    expect(drill.caseNumber).toMatch(/^DR-\d{4}-0001$/);
    expect(drill.status).toBe('closed');
    expect(drill.score.minutesToReconciliation).toBeLessThan(1);
    expect(drill.score.accountedPercent).toBeGreaterThan(0);
    const sent = await t.ctx.database.db.selectFrom('outbox').select(['status', 'dry_run', 'subject']).where('org_id', '=', 'acme').where('case_id', '=', drill.caseId).execute();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((m) => m.status === 'dry_run' && m.dry_run && /演练|DRILL/.test(m.subject))).toBe(true);
    const pos = await ok('GET', `/api/pos/check?code=${encodeURIComponent(mooncake.expected.scope.byRule.raw_lot[0] as string)}`, undefined, 'store');
    expect(pos.sellable).toBe(true);
    const history = await ok('GET', '/api/drills');
    expect(history.drills[0]).toMatchObject({ caseNumber: drill.caseNumber, status: 'closed' });
    const report = await call('GET', `/api/recalls/${drill.caseId}/reports/drill?format=pdf`);
    expect(report.status).toBe(200);
  });
  it('warns the escalation contacts before a legal deadline passes, once per clock and status', async () => {
    const opened = await ok('POST', '/api/recalls', { title: '一级召回测试 / level 1 test', hazard: 'microbial', origin: 'complaint', codes: [lot] });
    const id = opened.case.caseId as string;
    await ok('POST', `/api/recalls/${id}/assess`, { level: 1, voluntary: false, risks: { safety: 'critical', regulatory: 'high', scope: 'high', reputation: 'high' }, reason: 'listeria found' });
    const at = (hours: number) => ({ ...t.ctx, clock: { now: () => new Date(Date.now() + hours * 3_600_000) } });
    const warnings = async () => t.ctx.database.db.selectFrom('outbox').select(['payload', 'recipient', 'subject']).where('org_id', '=', 'acme').where('case_id', '=', id).execute();
    expect(await warnClocks(at(1), 'acme')).toBe(0);
    // 24 h to start: the warning window opens with a quarter left (after 18 h).
    expect(await warnClocks(at(19), 'acme')).toBe(2);
    expect(await warnClocks(at(20), 'acme')).toBe(0);
    expect((await warnings()).map((m) => `${(m.payload as { clock: string }).clock}:${(m.payload as { status: string }).status}`).sort()).toEqual(['plan_report:due_soon', 'start:due_soon']);
    expect(await warnClocks(at(25), 'acme')).toBe(2);
    const all = await warnings();
    expect(all.every((m) => m.recipient === 'qa-lead@yuehuafang.example')).toBe(true);
    expect(all.some((m) => m.subject.includes('已超期'))).toBe(true);
    await ok('POST', `/api/recalls/${id}/cancel`, { reason: 'test case' });
  });
});

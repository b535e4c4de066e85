import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryWorker, startDelivery } from '../../src/app/outbox/delivery.ts';
import { createEmailTransport } from '../../src/app/outbox/email-transport.ts';
import { renderOrgNotice } from '../../src/app/outbox/notice-templates.ts';
import { createSmsTransport, loggingSmsAdapter } from '../../src/app/outbox/sms-transport.ts';
import { createWebhookTransport } from '../../src/app/outbox/webhook-transport.ts';
import { createWebhookEndpoint } from '../../src/app/outbox/webhooks.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { type TestReceiver, message, put, startReceiver } from '../outbox/support.ts';

interface Item {
  messageId: string;
  idempotencyKey: string;
  caseId: string | null;
  audience: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

describe.each(testEngines())('outbox API on %s', (engine) => {
  let t: TestApp;
  let receiver: TestReceiver;
  let worker: DeliveryWorker;
  let endpointId: string;
  const json = { 'content-type': 'application/json' };

  const get = async <T>(url: string, role: Parameters<TestApp['auth']>[0] = 'viewer', status = 200): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth(role) });
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const byKey = async (key: string) => (await get<{ items: Item[] }>('/api/outbox?limit=500')).items.find((i) => i.idempotencyKey === key)!;

  beforeAll(async () => {
    t = await startTestApp(engine);
    receiver = await startReceiver();
    receiver.status = 410;
    worker = startDelivery(t.ctx, {
      transports: {
        email: createEmailTransport({ smtpUrl: null, mailFrom: null }),
        webhook: createWebhookTransport(t.ctx),
        sms: createSmsTransport(loggingSmsAdapter(t.ctx.logger)),
      },
      pollIntervalMs: null,
    });
    endpointId = (await createWebhookEndpoint(t.ctx, { orgId: 'acme', tokenId: 'cli', role: null }, { url: receiver.url, topics: ['recall.notice'] })).endpointId;
    await put(t.ctx, 'acme', [
      message({ idempotencyKey: 'A/regulator', caseId: 'case_A', audience: 'regulator', channel: 'email', recipient: 'food@regulator.example' }),
      message({ idempotencyKey: 'A/store-001', caseId: 'case_A', audience: 'store', channel: 'webhook', recipient: endpointId }),
      message({ idempotencyKey: 'A/consumer-1', caseId: 'case_A', audience: 'consumer', channel: 'sms', recipient: '+8613800138000' }),
      message({ idempotencyKey: 'A/consumer-2', caseId: 'case_A', audience: 'consumer', channel: 'sms', recipient: '+8613800138001' }),
      message({ idempotencyKey: 'B/store-001', caseId: 'case_B', audience: 'store', channel: 'sms', recipient: '+8613800138002' }),
      message({ idempotencyKey: 'D/store-001', caseId: 'case_D', audience: 'store', channel: 'email', recipient: 'a@store.example', dryRun: true }),
    ]);
    await put(t.ctx, 'rival', [message({ idempotencyKey: 'R/1', caseId: 'case_A', channel: 'sms', recipient: '+8613800138003' })]);
    await worker.runOnce();
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.stop();
    await t?.close();
  });

  it('lists notices with their delivery status, filtered by case, status, audience and channel', async () => {
    const all = await get<{ items: Item[]; next: string | null }>('/api/outbox');
    expect(all.items.map((i) => i.idempotencyKey).sort()).toEqual(['A/consumer-1', 'A/consumer-2', 'A/regulator', 'A/store-001', 'B/store-001', 'D/store-001']);
    expect(all.next).toBeNull();

    const caseA = await get<{ items: Item[] }>('/api/outbox?caseId=case_A');
    expect(Object.fromEntries(caseA.items.map((i) => [i.idempotencyKey, i.status]))).toEqual({
      'A/regulator': 'pending',
      'A/store-001': 'failed',
      'A/consumer-1': 'sent',
      'A/consumer-2': 'sent',
    });
    const waiting = caseA.items.find((i) => i.idempotencyKey === 'A/regulator');
    expect(waiting).toMatchObject({ attempts: 0, lastError: expect.stringContaining('LOTLINE_SMTP_URL'), nextAttemptAt: expect.any(String) });
    const failed = await get<{ items: Item[] }>('/api/outbox?status=failed');
    expect(failed.items).toEqual([expect.objectContaining({ idempotencyKey: 'A/store-001', attempts: 1, lastError: 'HTTP 410: gone: this endpoint was removed', nextAttemptAt: null })]);
    expect((await get<{ items: Item[] }>('/api/outbox?channel=sms&audience=consumer')).items).toHaveLength(2);
    expect((await get<{ items: Item[] }>('/api/outbox?status=dry_run')).items.map((i) => i.idempotencyKey)).toEqual(['D/store-001']);
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let url = '/api/outbox?limit=2';
    for (let page = 0; page < 10; page++) {
      const r = await get<{ items: Item[]; next: string | null }>(url);
      expect(r.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.items.map((i) => i.messageId));
      if (!r.next) break;
      url = `/api/outbox?limit=2&cursor=${encodeURIComponent(r.next)}`;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const bad = await get<{ errors: { pointer: string }[] }>('/api/outbox?cursor=garbage', 'viewer', 400);
    expect(bad.errors.map((e) => e.pointer)).toEqual(['/query/cursor']);
    const badStatus = await get<{ errors: { pointer: string }[] }>('/api/outbox?status=lost', 'viewer', 400);
    expect(badStatus.errors.map((e) => e.pointer)).toContain('/query/status');
  });

  it('summarises a case by audience and status', async () => {
    const s = await get<{ total: Record<string, number>; audiences: Record<string, Record<string, number>>; nextAttemptAt: string | null }>('/api/outbox/summary?caseId=case_A');
    expect(s.total).toEqual({ pending: 1, sent: 2, failed: 1, dry_run: 0, total: 4 });
    expect(s.audiences).toEqual({
      regulator: { pending: 1, sent: 0, failed: 0, dry_run: 0, total: 1 },
      store: { pending: 0, sent: 0, failed: 1, dry_run: 0, total: 1 },
      consumer: { pending: 0, sent: 2, failed: 0, dry_run: 0, total: 2 },
    });
    expect(s.nextAttemptAt).not.toBeNull();
  });

  it('shows one message with its attempts, and hides other organisations\' messages', async () => {
    const failed = await byKey('A/store-001');
    const detail = await get<Item & { body: string; payload: unknown; attemptLog: { attempt: number; ok: boolean; detail: string }[] }>(`/api/outbox/${failed.messageId}`);
    expect(detail).toMatchObject({ idempotencyKey: 'A/store-001', status: 'failed', body: 'Take lot B1 off the shelf.', payload: {} });
    expect(detail.attemptLog).toEqual([{ attempt: 1, at: expect.any(String), ok: false, detail: 'HTTP 410: gone: this endpoint was removed' }]);
    await get(`/api/outbox/${failed.messageId}`, 'other', 404);
    await get('/api/outbox/msg_nope', 'viewer', 404);
    expect((await get<{ items: Item[] }>('/api/outbox', 'other')).items.map((i) => i.idempotencyKey)).toEqual(['R/1']);
    await get('/api/outbox', 'store', 403);
  });

  it('retries a failed message once asked (audited), and never re-sends a delivered or drill one', async () => {
    const failed = await byKey('A/store-001');
    const denied = await t.app.inject({ method: 'POST', url: `/api/outbox/${failed.messageId}/retry`, headers: t.auth('viewer') });
    expect(denied.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/outbox/${failed.messageId}/retry`, headers: t.auth('other') })).statusCode).toBe(404);

    const res = await t.app.inject({ method: 'POST', url: `/api/outbox/${failed.messageId}/retry`, headers: t.auth('qa') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Item>()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 410: gone: this endpoint was removed' });
    receiver.status = 200;
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, sent: 1 });
    const after = await get<Item & { attemptLog: { ok: boolean }[] }>(`/api/outbox/${failed.messageId}`);
    expect(after).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(after.attemptLog.map((a) => a.ok)).toEqual([false, true]);
    expect(receiver.requests.filter((r) => r.status === 200 && r.headers['idempotency-key'] === 'A/store-001')).toHaveLength(1);

    const audit = await get<{ items: { action: string; detail: Record<string, unknown> }[] }>(`/api/audit?action=outbox.retry&targetId=${failed.messageId}`, 'admin');
    expect(audit.items).toEqual([expect.objectContaining({ action: 'outbox.retry', detail: { previousStatus: 'failed', lastError: 'HTTP 410: gone: this endpoint was removed' } })]);

    const again = await t.app.inject({ method: 'POST', url: `/api/outbox/${failed.messageId}/retry`, headers: t.auth('qa') });
    expect(again.statusCode).toBe(409);
    const drill = await byKey('D/store-001');
    expect((await t.app.inject({ method: 'POST', url: `/api/outbox/${drill.messageId}/retry`, headers: t.auth('qa') })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: '/api/outbox/msg_nope/retry', headers: t.auth('qa') })).statusCode).toBe(404);
  });

  it('lets an organisation reword a notice; unknown variables are rejected with a pointer', async () => {
    const list = await get<{ items: { kind: string; lang: string; builtIn: boolean; variables: string[] }[] }>('/api/notice-templates');
    expect(list.items).toHaveLength(16);
    expect(list.items.find((i) => i.kind === 'store' && i.lang === 'zh-CN')).toMatchObject({ builtIn: true, variables: expect.arrayContaining(['ackUrl', 'deadline']) });

    const put = (payload: unknown, role: Parameters<TestApp['auth']>[0] = 'qa', url = '/api/notice-templates/public/en') =>
      t.app.inject({ method: 'PUT', url, headers: { ...t.auth(role), ...json }, payload: payload as object });
    const bad = await put({ subject: '{{brand}} recall', body: 'Lots {{lots}}; call {{hotline}}.' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { pointer: string; message: string }[] }>().errors).toEqual([
      expect.objectContaining({ pointer: '/body', message: expect.stringContaining('unknown variable {{hotline}}') }),
    ]);
    expect((await put({ subject: 'x', body: 'y' }, 'store')).statusCode).toBe(403);
    const badKind = await put({ subject: 'x', body: 'y' }, 'qa', '/api/notice-templates/flyer/en');
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toContain('/params/kind');

    const saved = await put({ subject: '{{brand}}: {{productName}} recall', body: 'Lots {{lots}}. {{instruction}}' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ kind: 'public', lang: 'en', builtIn: false, version: 1 });
    expect((await put({ subject: '{{brand}}: {{productName}} recalled', body: 'Lots {{lots}}. {{instruction}}' })).json()).toMatchObject({ version: 2 });
    const rendered = await renderOrgNotice(t.ctx.database.db, 'acme', 'public', 'en', { brand: 'Acme', caseNumber: 'RC-9', productName: 'Star', lots: 'B1', instruction: 'Do not eat it.' }, { drill: true });
    expect(rendered.subject).toBe('[DRILL] Acme: Star recalled');
    expect(rendered.body.endsWith('\n\nLots B1. Do not eat it.')).toBe(true);
    // Other organisations keep the built-in wording.
    const rival = await renderOrgNotice(t.ctx.database.db, 'rival', 'public', 'en', { brand: 'R', productName: 'P', lots: 'L', level: 'II', hazard: 'h', instruction: 'i', returnInstructions: 'r', compensation: 'c' });
    expect(rival.subject).toBe('R recalls P');

    const reset = await t.app.inject({ method: 'DELETE', url: '/api/notice-templates/public/en', headers: t.auth('qa') });
    expect(reset.json()).toMatchObject({ builtIn: true, version: 0 });
    const audit = await get<{ items: { action: string }[] }>('/api/audit?action=notice_template.*', 'admin');
    expect(audit.items.map((i) => i.action)).toEqual(['notice_template.reset', 'notice_template.save', 'notice_template.save']);
  });
});

import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { type DeliveryWorker, startDelivery } from '../../src/app/outbox/delivery.ts';
import { createEmailTransport } from '../../src/app/outbox/email-transport.ts';
import { createSmsTransport, loggingSmsAdapter } from '../../src/app/outbox/sms-transport.ts';
import { createOutboxRuntime, defaultOutboxConfig } from '../../src/app/outbox/runtime.ts';
import { createWebhookTransport } from '../../src/app/outbox/webhook-transport.ts';
import { signWebhook, verifyWebhookSignature } from '../../src/app/outbox/webhook-signature.ts';
import { type CreatedWebhookEndpoint, createWebhookEndpoint, deactivateWebhookEndpoint, webhookRecipients } from '../../src/app/outbox/webhooks.ts';
import { testEngines } from '../support/engines.ts';
import { HOUR, MINUTE, type SteppingClock, type TestReceiver, attemptsOf, message, outboxContext, put, startReceiver, statuses } from './support.ts';

const admin = { orgId: 'acme', tokenId: 'cli' as const, role: null };

describe.each(testEngines())('signed webhooks on %s', (engine) => {
  let ctx: AppContext;
  let clock: SteppingClock;
  let close: () => Promise<void>;
  let receiver: TestReceiver;
  let worker: DeliveryWorker;
  let endpoint: CreatedWebhookEndpoint;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  beforeEach(async () => {
    ({ ctx, clock, close } = await outboxContext(engine));
    await receiver.start();
    receiver.requests.length = 0;
    receiver.status = 200;
    worker = startDelivery(ctx, {
      transports: {
        email: createEmailTransport({ smtpUrl: null, mailFrom: null }),
        webhook: createWebhookTransport(ctx, { timeoutMs: 5_000 }),
        sms: createSmsTransport(loggingSmsAdapter(ctx.logger)),
      },
      pollIntervalMs: null,
    });
    endpoint = await createWebhookEndpoint(ctx, admin, { url: receiver.url, topics: ['recall.notice', 'pos.blocklist'] });
  });
  afterEach(async () => {
    await worker.stop();
    await close();
  });

  /** Requests the receiver accepted, i.e. deliveries. */
  const delivered = () => receiver.requests.filter((r) => r.status < 300);

  it('POSTs the message as signed JSON that verifies with the endpoint secret, and not with another', async () => {
    await put(ctx, 'acme', [
      message({
        idempotencyKey: 'case_1/blocklist/rev-7',
        channel: 'webhook',
        recipient: endpoint.endpointId,
        audience: 'store',
        lang: 'zh-CN',
        subject: '禁售清单更新',
        body: '批次 B1 禁止销售',
        payload: { topic: 'pos.blocklist', revision: 7, lots: ['B1'] },
      }),
    ]);
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, sent: 1 });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/lotline');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers['idempotency-key']).toBe('case_1/blocklist/rev-7');
    const [row] = await statuses(ctx, 'acme');
    expect(request?.headers['lotline-event-id']).toBe(row?.message_id);

    const signature = request?.headers['lotline-signature'];
    expect(signature).toMatch(new RegExp(`^t=${Math.floor(clock.now().getTime() / 1000)},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(endpoint.secret, signature, request!.raw, 300, clock.now())).toEqual({ ok: true, timestamp: Math.floor(clock.now().getTime() / 1000) });
    expect(verifyWebhookSignature('whsec_not-the-secret', signature, request!.raw, 300, clock.now())).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(endpoint.secret, signature, request!.raw.replace('B1', 'B2'), 300, clock.now())).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(endpoint.secret, signature, request!.raw, 300, new Date(clock.now().getTime() + 10 * MINUTE))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyWebhookSignature(endpoint.secret, 'v1=abc', request!.raw, 300, clock.now())).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWebhookSignature(endpoint.secret, undefined, request!.raw, 300, clock.now())).toEqual({ ok: false, reason: 'malformed' });

    expect(JSON.parse(request!.raw)).toEqual({
      id: row?.message_id,
      idempotencyKey: 'case_1/blocklist/rev-7',
      topic: 'pos.blocklist',
      audience: 'store',
      caseId: 'case_1',
      createdAt: clock.now().toISOString(),
      subject: '禁售清单更新',
      body: '批次 B1 禁止销售',
      lang: 'zh-CN',
      payload: { topic: 'pos.blocklist', revision: 7, lots: ['B1'] },
    });
    const [attempt] = await attemptsOf(ctx, 'acme', row!.message_id);
    expect(attempt).toMatchObject({ attempt: 1, ok: true, detail: 'HTTP 200: ok' });
  });

  it('accepts a signature made with the documented recipe (what a receiver in another language computes)', () => {
    const raw = '{"a":1}';
    const v1 = createHmac('sha256', 'whsec_x').update(`1757466000.${raw}`).digest('hex');
    expect(signWebhook('whsec_x', 1757466000, raw)).toBe(`t=1757466000,v1=${v1}`);
    expect(verifyWebhookSignature('whsec_x', `t=1757466000,v1=${'0'.repeat(64)},v1=${v1}`, Buffer.from(raw), 300, new Date(1757466000_000)).ok).toBe(true);
  });

  it('retries with growing delays while the receiver is down (closed port, then 503) for an hour, then delivers each message once', async () => {
    const count = 12;
    await put(ctx, 'acme', Array.from({ length: count }, (_, i) => message({ idempotencyKey: `notice-${i}`, channel: 'webhook', recipient: endpoint.endpointId })));
    await receiver.stop();
    for (let elapsed = 0; elapsed < HOUR; elapsed += MINUTE) {
      if (elapsed === 30 * MINUTE) {
        await receiver.start();
        receiver.status = 503;
      }
      const pass = await worker.runOnce();
      expect(pass.sent + pass.failed).toBe(0);
      clock.step(MINUTE);
    }
    const rows = await statuses(ctx, 'acme');
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    const log = await attemptsOf(ctx, 'acme', rows[0]!.message_id);
    expect(log.some((a) => /ECONNREFUSED/.test(a.detail))).toBe(true);
    expect(log.some((a) => a.detail === 'HTTP 503: unavailable')).toBe(true);
    const gaps = log.slice(1).map((a, i) => (new Date(a.at).getTime() - new Date(log[i]!.at).getTime()) / MINUTE);
    // Doubling until the 15 min cap (12–18 min with jitter, seen on a 1 min step), then staying there.
    const belowCap = gaps.filter((g) => g < 12);
    expect(gaps.slice(0, belowCap.length)).toEqual(belowCap);
    for (let i = 1; i < belowCap.length; i++) expect(belowCap[i]).toBeGreaterThanOrEqual(belowCap[i - 1]!);
    expect(gaps.slice(belowCap.length).every((g) => g >= 12 && g <= 19)).toBe(true);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(4 * gaps[0]!);
    expect(log.length).toBeLessThan(15);

    receiver.status = 200;
    clock.step(15 * MINUTE);
    expect(await worker.runOnce()).toMatchObject({ attempted: count, sent: count });
    clock.step(HOUR);
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });
    const keys = delivered().map((r) => r.headers['idempotency-key']);
    expect(keys.sort()).toEqual(Array.from({ length: count }, (_, i) => `notice-${i}`).sort());
    expect((await statuses(ctx, 'acme')).every((r) => r.status === 'sent')).toBe(true);
  });

  it('never sends a message twice when two workers run at once (SKIP LOCKED claims)', async () => {
    const count = 60;
    await put(ctx, 'acme', Array.from({ length: count }, (_, i) => message({ idempotencyKey: `race-${i}`, channel: 'webhook', recipient: endpoint.endpointId })));
    const second = startDelivery(ctx, {
      transports: { email: createEmailTransport({ smtpUrl: null, mailFrom: null }), webhook: createWebhookTransport(ctx), sms: createSmsTransport(loggingSmsAdapter(ctx.logger)) },
      pollIntervalMs: null,
      batchSize: 7,
    });
    try {
      const [a, b] = await Promise.all([worker.runOnce(), second.runOnce()]);
      expect(a.attempted + b.attempted).toBe(count);
      expect(a.sent + b.sent).toBe(count);
    } finally {
      await second.stop();
    }
    const keys = delivered().map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(count);
    expect(new Set(keys).size).toBe(count);
  });

  it('delivers right after wake(), without waiting for a poll', async () => {
    const runtime = createOutboxRuntime(ctx, { ...defaultOutboxConfig, pollIntervalMs: 3_600_000 });
    try {
      await put(ctx, 'acme', [message({ idempotencyKey: 'woken', channel: 'webhook', recipient: endpoint.endpointId })]);
      runtime.wake();
      for (let i = 0; i < 100 && delivered().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(delivered().map((r) => r.headers['idempotency-key'])).toEqual(['woken']);
    } finally {
      await runtime.stop();
    }
  });

  it('fails permanently on 410 Gone with the reason, and on a deactivated endpoint', async () => {
    receiver.status = 410;
    await put(ctx, 'acme', [message({ idempotencyKey: 'gone', channel: 'webhook', recipient: endpoint.endpointId })]);
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, failed: 1 });
    let [row] = await statuses(ctx, 'acme');
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 410: gone: this endpoint was removed' });

    receiver.status = 200;
    await deactivateWebhookEndpoint(ctx, admin, endpoint.endpointId);
    await put(ctx, 'acme', [message({ idempotencyKey: 'to-deactivated', channel: 'webhook', recipient: endpoint.endpointId })]);
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, failed: 1 });
    [row] = (await statuses(ctx, 'acme')).filter((r) => r.idempotency_key === 'to-deactivated');
    expect(row?.last_error).toMatch(/deactivated/);
    expect(delivered()).toHaveLength(0);
  });

  it('retries 429 and 408 (the receiver asks to wait)', async () => {
    receiver.status = 429;
    await put(ctx, 'acme', [message({ idempotencyKey: 'busy', channel: 'webhook', recipient: endpoint.endpointId })]);
    expect(await worker.runOnce()).toMatchObject({ retrying: 1 });
    receiver.status = 408;
    clock.step(MINUTE);
    expect(await worker.runOnce()).toMatchObject({ retrying: 1 });
    receiver.status = 200;
    clock.step(MINUTE);
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
  });

  it('sends a store only its own block-list changes; unscoped endpoints get everything of their topics', async () => {
    const store1 = 'store-001';
    await ctx.database.db
      .insertInto('locations')
      .values([
        { org_id: 'acme', location_id: store1, type: 'store', name_zh: '静安店', name_en: 'Jing-an', attributes: '{}', gln: null, gln_extension: null, parent_id: null, party_id: null, city: null, region: null, country: null, address: null, latitude: null, longitude: null },
        { org_id: 'acme', location_id: 'store-002', type: 'store', name_zh: '徐汇店', name_en: 'Xuhui', attributes: '{}', gln: null, gln_extension: null, parent_id: null, party_id: null, city: null, region: null, country: null, address: null, latitude: null, longitude: null },
      ])
      .execute();
    const scoped = await createWebhookEndpoint(ctx, admin, { url: receiver.url, locationId: store1, topics: ['pos.blocklist'] });
    const other = await createWebhookEndpoint(ctx, admin, { url: receiver.url, locationId: 'store-002', topics: ['pos.blocklist'] });
    const tasks = await createWebhookEndpoint(ctx, admin, { url: receiver.url, topics: ['recall.task'] });
    await createWebhookEndpoint(ctx, { ...admin, orgId: 'rival' }, { url: receiver.url, topics: ['pos.blocklist'] });
    const db = ctx.database.db;
    expect(new Set(await webhookRecipients(db, 'acme', 'pos.blocklist', store1))).toEqual(new Set([endpoint.endpointId, scoped.endpointId]));
    expect(new Set(await webhookRecipients(db, 'acme', 'pos.blocklist', 'store-002'))).toEqual(new Set([endpoint.endpointId, other.endpointId]));
    expect(await webhookRecipients(db, 'acme', 'pos.blocklist', null)).toEqual([endpoint.endpointId]);
    expect(await webhookRecipients(db, 'acme', 'recall.task', store1)).toEqual([tasks.endpointId]);
    await deactivateWebhookEndpoint(ctx, admin, scoped.endpointId);
    expect(await webhookRecipients(db, 'acme', 'pos.blocklist', store1)).toEqual([endpoint.endpointId]);
  });
});

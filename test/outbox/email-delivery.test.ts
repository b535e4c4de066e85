import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { defaultRetryPolicy } from '../../src/app/outbox/backoff.ts';
import { type DeliveryWorker, startDelivery } from '../../src/app/outbox/delivery.ts';
import { createEmailTransport, emailMessageId } from '../../src/app/outbox/email-transport.ts';
import { createSmsTransport, loggingSmsAdapter } from '../../src/app/outbox/sms-transport.ts';
import { renderNotice } from '../../src/app/outbox/templates.ts';
import type { Transport, Transports } from '../../src/app/outbox/transport.ts';
import { createWebhookTransport } from '../../src/app/outbox/webhook-transport.ts';
import { testEngines } from '../support/engines.ts';
import { HOUR, MINUTE, type SteppingClock, type TestSmtp, attemptsOf, message, outboxContext, put, startSmtp, statuses } from './support.ts';

const storeVars = {
  brand: '月华坊',
  caseNumber: 'RC-2025-007',
  productName: '星辰月饼 Star Mooncake',
  lots: 'B1, B2',
  units: 12,
  instruction: '停止销售 <立即>',
  deadline: '2025-09-10 18:00',
  ackUrl: 'https://lotline.example/ack/acme/abc?x=1&y=2',
  storeName: '静安店',
};

describe.each(testEngines())('email delivery over SMTP on %s', (engine) => {
  let ctx: AppContext;
  let clock: SteppingClock;
  let close: () => Promise<void>;
  let smtp: TestSmtp;
  let email: Transport;
  let worker: DeliveryWorker;

  const transports = (emailTransport: Transport): Transports => ({
    email: emailTransport,
    webhook: createWebhookTransport(ctx),
    sms: createSmsTransport(loggingSmsAdapter(ctx.logger)),
  });

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  beforeEach(async () => {
    ({ ctx, clock, close } = await outboxContext(engine));
    smtp.received.length = 0;
    smtp.refuseWith = null;
    email = createEmailTransport({ smtpUrl: smtp.url, mailFrom: 'Acme Recall <recall@acme.example>', timeoutMs: 5_000 });
    worker = startDelivery(ctx, { transports: transports(email), pollIntervalMs: null });
  });
  afterEach(async () => {
    await worker.stop();
    await email.close();
    await smtp.start();
    await close();
  });

  it('delivers notices in Chinese and English with their headers, Message-ID and an escaped HTML part', async () => {
    const zh = renderNotice('store', 'zh-CN', storeVars);
    const en = renderNotice('store', 'en', { ...storeVars, storeName: 'Jing-an store', instruction: 'Stop selling <now>' });
    await put(ctx, 'acme', [
      message({ idempotencyKey: 'case_1/store/store-001/zh', channel: 'email', recipient: 'jingan@store.example', lang: 'zh-CN', subject: zh.subject, body: zh.body }),
      message({ idempotencyKey: 'case_1/store/store-002/en', channel: 'email', recipient: 'manager@store.example', lang: 'en', subject: en.subject, body: en.body }),
    ]);
    const summary = await worker.runOnce();
    expect(summary).toMatchObject({ attempted: 2, sent: 2, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);

    const zhMail = smtp.received.find((m) => m.to.includes('jingan@store.example'));
    expect(zhMail?.from).toBe('recall@acme.example');
    expect(zhMail?.subject).toBe('【立即下架】星辰月饼 Star Mooncake 批次 B1, B2（RC-2025-007）');
    expect(zhMail?.text).toContain('静安店：');
    expect(zhMail?.text).toContain('请立即将以下产品下架并停止销售');
    expect(zhMail?.text).toContain('要求：停止销售 <立即>');
    expect(zhMail?.html).toContain('停止销售 &lt;立即&gt;');
    expect(zhMail?.html).toContain('<a href="https://lotline.example/ack/acme/abc?x=1&amp;y=2">');
    expect(zhMail?.headers.get('content-language')).toBe('zh-CN');
    expect(zhMail?.headers.get('x-lotline-case')).toBe('case_1');
    expect(zhMail?.headers.get('x-lotline-idempotency-key')).toBe('case_1/store/store-001/zh');
    expect(zhMail?.headers.get('message-id')).toBe(emailMessageId('acme', 'case_1/store/store-001/zh', 'acme.example'));

    const enMail = smtp.received.find((m) => m.to.includes('manager@store.example'));
    expect(enMail?.subject).toBe('[Remove from shelf now] 星辰月饼 Star Mooncake lot B1, B2 (RC-2025-007)');
    expect(enMail?.text).toContain('Jing-an store:\n\nTake the following product off the shelf now');
    expect(enMail?.headers.get('content-language')).toBe('en');
    expect(enMail?.headers.get('message-id')).not.toBe(zhMail?.headers.get('message-id'));

    const rows = await statuses(ctx, 'acme');
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual([['sent', 1, null], ['sent', 1, null]]);
    expect(rows.every((r) => r.sent_at !== null && new Date(r.sent_at).getTime() === clock.now().getTime())).toBe(true);
    const log = await attemptsOf(ctx, 'acme', rows[0]!.message_id);
    expect(log.map((a) => [a.attempt, a.ok])).toEqual([[1, true]]);
    expect(log[0]?.detail).toMatch(/^SMTP accepted jingan@store\.example: 250/);

    // Nothing is sent twice.
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('keeps messages pending through an hour of SMTP outage, then delivers each exactly once', async () => {
    await smtp.stop();
    const count = 40;
    await put(ctx, 'acme', Array.from({ length: count }, (_, i) => message({ idempotencyKey: `outage-${String(i).padStart(2, '0')}`, channel: 'email', recipient: `store${i}@store.example` })));
    const first = await worker.runOnce();
    expect(first).toMatchObject({ attempted: count, sent: 0, retrying: count, failed: 0 });
    let rows = await statuses(ctx, 'acme');
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 1 && /ECONNREFUSED|ESOCKET|ECONNECTION/.test(r.last_error ?? ''))).toBe(true);
    // First retry 15 s ± 20 % later.
    for (const r of rows) {
      const wait = new Date(r.next_attempt_at).getTime() - clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(12_000);
      expect(wait).toBeLessThanOrEqual(18_000);
    }

    // One hour, looking every 5 minutes (the worker's poll, stepped).
    for (let elapsed = 0; elapsed < HOUR; elapsed += 5 * MINUTE) {
      clock.step(5 * MINUTE);
      const pass = await worker.runOnce();
      expect(pass.sent + pass.failed).toBe(0);
    }
    rows = await statuses(ctx, 'acme');
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    const log = await attemptsOf(ctx, 'acme', rows[0]!.message_id);
    expect(log.length).toBeGreaterThanOrEqual(6);
    expect(log.every((a) => !a.ok)).toBe(true);
    const gaps = log.slice(1).map((a, i) => new Date(a.at).getTime() - new Date(log[i]!.at).getTime());
    // Doubling (seen on the 5 min step) until the 15 min cap, where jitter may reorder neighbours.
    const belowCap = gaps.filter((g) => g < 12 * MINUTE);
    expect(gaps.slice(0, belowCap.length)).toEqual(belowCap);
    for (let i = 1; i < belowCap.length; i++) expect(belowCap[i]).toBeGreaterThanOrEqual(belowCap[i - 1]!);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0]!);

    await smtp.start();
    clock.step(15 * MINUTE);
    const recovered = await worker.runOnce();
    expect(recovered).toMatchObject({ attempted: count, sent: count, failed: 0 });
    clock.step(HOUR);
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });

    rows = await statuses(ctx, 'acme');
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const keys = smtp.received.map((m) => m.headers.get('x-lotline-idempotency-key'));
    expect(keys).toHaveLength(count);
    expect(new Set(keys).size).toBe(count);
    expect(new Set(smtp.received.flatMap((m) => m.to))).toEqual(new Set(Array.from({ length: count }, (_, i) => `store${i}@store.example`)));
  });

  it('retries an SMTP "try later" (451) and fails a 550 at once with the reason', async () => {
    smtp.refuseWith = 451;
    await put(ctx, 'acme', [message({ idempotencyKey: 'greylisted', channel: 'email', recipient: 'slow@store.example' })]);
    expect(await worker.runOnce()).toMatchObject({ retrying: 1 });
    smtp.refuseWith = 550;
    await put(ctx, 'acme', [message({ idempotencyKey: 'no-such-user', channel: 'email', recipient: 'gone@store.example' })]);
    clock.step(MINUTE);
    expect(await worker.runOnce()).toMatchObject({ attempted: 2, failed: 2 });
    const rows = await statuses(ctx, 'acme');
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(rows[1]?.last_error).toMatch(/^SMTP 550/);
    smtp.refuseWith = null;
    expect(smtp.received).toHaveLength(0);
  });

  it('gives up only after the horizon (72 h by default)', async () => {
    await smtp.stop();
    await put(ctx, 'acme', [message({ idempotencyKey: 'long-outage', channel: 'email', recipient: 'a@store.example' })]);
    await worker.runOnce();
    clock.step(71 * HOUR);
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, retrying: 1 });
    clock.step(defaultRetryPolicy.giveUpAfterMs - 71 * HOUR);
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, failed: 1 });
    const [row] = await statuses(ctx, 'acme');
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toMatch(/^gave up after 72 h/);
    await smtp.start();
  });

  it('leaves email pending with a visible reason while SMTP is not configured, and sends it once it is', async () => {
    const unconfigured = startDelivery(ctx, { transports: transports(createEmailTransport({ smtpUrl: null, mailFrom: null })), pollIntervalMs: null });
    await put(ctx, 'acme', [message({ idempotencyKey: 'waiting', channel: 'email', recipient: 'a@store.example' })]);
    expect(await unconfigured.runOnce()).toMatchObject({ attempted: 0, waiting: 1 });
    clock.step(5 * 24 * HOUR);
    expect(await unconfigured.runOnce()).toMatchObject({ attempted: 0, waiting: 1 });
    await unconfigured.stop();
    let [row] = await statuses(ctx, 'acme');
    expect(row?.status).toBe('pending');
    expect(row?.last_error).toContain('LOTLINE_SMTP_URL');
    expect(await attemptsOf(ctx, 'acme', row!.message_id)).toEqual([]);

    expect(await worker.runOnce()).toMatchObject({ attempted: 1, sent: 1 });
    [row] = await statuses(ctx, 'acme');
    expect(row?.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('stores a message once per idempotency key', async () => {
    const m = message({ idempotencyKey: 'case_1/regulator', channel: 'email', recipient: 'food@regulator.example' });
    expect(await put(ctx, 'acme', [m])).toBe(1);
    expect(await put(ctx, 'acme', [{ ...m, subject: 'changed' }])).toBe(0);
    // Another organisation may use the same key.
    expect(await put(ctx, 'rival', [m])).toBe(1);
    expect(await statuses(ctx, 'acme')).toHaveLength(1);
    await worker.runOnce();
    expect(smtp.received.filter((r) => r.subject === 'Remove from shelf')).toHaveLength(2);
    expect(smtp.received.filter((r) => r.subject === 'changed')).toHaveLength(0);
  });

  it('never sends drill messages: they stay dry_run', async () => {
    const drill = renderNotice('store', 'en', storeVars, { drill: true });
    expect(drill.subject.startsWith('[DRILL] ')).toBe(true);
    await put(ctx, 'acme', [message({ idempotencyKey: 'drill-1', channel: 'email', recipient: 'a@store.example', subject: drill.subject, body: drill.body, dryRun: true })]);
    clock.step(HOUR);
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });
    const [row] = await statuses(ctx, 'acme');
    expect(row?.status).toBe('dry_run');
    expect(smtp.received).toHaveLength(0);
  });

  it('logs SMS without a gateway and counts it as delivered; a bad number fails at once', async () => {
    await put(ctx, 'acme', [
      message({ idempotencyKey: 'sms-ok', channel: 'sms', recipient: '+86 138 0013 8000', audience: 'consumer' }),
      message({ idempotencyKey: 'sms-bad', channel: 'sms', recipient: 'call me', audience: 'consumer' }),
    ]);
    expect(await worker.runOnce()).toMatchObject({ attempted: 2, sent: 1, failed: 1 });
    const rows = await statuses(ctx, 'acme');
    const ok = rows.find((r) => r.idempotency_key === 'sms-ok');
    expect(ok?.status).toBe('sent');
    const [attempt] = await attemptsOf(ctx, 'acme', ok!.message_id);
    expect(attempt?.detail).toContain('logged, no SMS gateway configured');
    expect(attempt?.detail).toContain('+8613800138000');
    expect(rows.find((r) => r.idempotency_key === 'sms-bad')?.last_error).toMatch(/not a phone number/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelivery } from '../../src/app/outbox/delivery.ts';
import { createEmailTransport } from '../../src/app/outbox/email-transport.ts';
import { createSmsTransport, loggingSmsAdapter } from '../../src/app/outbox/sms-transport.ts';
import { createWebhookTransport } from '../../src/app/outbox/webhook-transport.ts';
import { verifyWebhookSignature } from '../../src/app/outbox/webhook-signature.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';
import { type TestReceiver, startReceiver } from '../outbox/support.ts';

interface Problem {
  status: number;
  errors?: { pointer: string; message: string }[];
}

describe.each(testEngines())('webhook endpoints API on %s', (engine) => {
  let t: TestApp;
  let receiver: TestReceiver;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await startTestApp(engine);
    receiver = await startReceiver();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/locations',
      headers: { ...t.auth(), ...json },
      payload: { locationId: 'store-001', type: 'store', nameZh: '静安店', nameEn: 'Jing-an store' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const register = (payload: unknown, role: Parameters<TestApp['auth']>[0] = 'qa') =>
    t.app.inject({ method: 'POST', url: '/api/webhooks', headers: { ...t.auth(role), ...json }, payload: payload as object });

  it('registers an endpoint and shows its secret once', async () => {
    const res = await register({ url: receiver.url, locationId: 'store-001', topics: ['pos.blocklist', 'recall.task'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json<{ endpointId: string; secret: string; url: string; locationId: string; topics: string[]; active: boolean }>();
    expect(created).toMatchObject({ url: receiver.url, locationId: 'store-001', topics: ['pos.blocklist', 'recall.task'], active: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);

    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: t.auth('qa') });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    expect(list.json<{ items: { endpointId: string; secret?: string }[] }>().items).toEqual([
      { endpointId: created.endpointId, url: receiver.url, locationId: 'store-001', topics: ['pos.blocklist', 'recall.task'], active: true, createdAt: expect.any(String) },
    ]);

    const audit = await t.app.inject({ method: 'GET', url: `/api/audit?action=webhook.create&targetId=${created.endpointId}`, headers: t.auth() });
    const entries = audit.json<{ items: { detail: unknown }[] }>().items;
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0]?.detail)).not.toContain(created.secret);
  });

  it('points at the field of each mistake', async () => {
    const cases: [unknown, string[]][] = [
      [{ url: 'ftp://example.com/x', topics: ['recall.notice'] }, ['/url']],
      [{ url: 'not a url', topics: ['recall.notice'] }, ['/url']],
      [{ url: 'https://user:pw@example.com/x', topics: ['recall.notice'] }, ['/url']],
      [{ url: 'https://example.com/x', topics: ['recall.notice', 'recall.nope'] }, ['/topics/1']],
      [{ url: 'https://example.com/x', topics: ['recall.notice', 'recall.notice'] }, ['/topics/1']],
      [{ url: 'https://example.com/x', topics: [] }, ['/topics']],
      [{ url: 'https://example.com/x', topics: ['pos.blocklist'], locationId: 'store-999' }, ['/locationId']],
      [{ topics: ['pos.blocklist'] }, ['/url']],
      [{ url: 'https://example.com/x', topics: ['pos.blocklist'], secret: 'mine' }, ['/secret']],
    ];
    for (const [payload, pointers] of cases) {
      const res = await register(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<Problem>();
      expect(problem.errors?.map((e) => e.pointer), JSON.stringify(payload)).toEqual(expect.arrayContaining(pointers));
    }
  });

  it('lets only recall:configure holders manage endpoints (a store token gets 403)', async () => {
    for (const role of ['store', 'viewer', 'regulator', 'production'] as const) {
      expect((await register({ url: 'https://example.com/x', topics: ['recall.notice'] }, role)).statusCode, role).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: t.auth(role) })).statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: json, payload: {} })).statusCode).toBe(401);
  });

  it('pings an endpoint with a signed test message, and deactivates it', async () => {
    const created = (await register({ url: receiver.url, topics: ['recall.notice'] })).json<{ endpointId: string; secret: string }>();
    const ping = await t.app.inject({ method: 'POST', url: `/api/webhooks/${created.endpointId}/ping`, headers: t.auth('qa') });
    expect(ping.statusCode, ping.body).toBe(202);
    const { messageId } = ping.json<{ messageId: string }>();
    expect(ping.headers.location).toBe(`/api/outbox/${messageId}`);

    const worker = startDelivery(t.ctx, {
      transports: {
        email: createEmailTransport({ smtpUrl: null, mailFrom: null }),
        webhook: createWebhookTransport(t.ctx),
        sms: createSmsTransport(loggingSmsAdapter(t.ctx.logger)),
      },
      pollIntervalMs: null,
    });
    try {
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    } finally {
      await worker.stop();
    }
    const request = receiver.requests.find((r) => r.headers['lotline-event-id'] === messageId);
    expect(request).toBeDefined();
    expect(verifyWebhookSignature(created.secret, request?.headers['lotline-signature'], request!.raw, 300).ok).toBe(true);
    expect(JSON.parse(request!.raw)).toMatchObject({ topic: 'webhook.ping', audience: 'internal', payload: { endpointId: created.endpointId } });

    const detail = await t.app.inject({ method: 'GET', url: `/api/outbox/${messageId}`, headers: t.auth('viewer') });
    expect(detail.json()).toMatchObject({ status: 'sent', attempts: 1, attemptLog: [{ attempt: 1, ok: true, detail: 'HTTP 200: ok' }] });

    const del = await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.endpointId}`, headers: t.auth('qa') });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ endpointId: created.endpointId, active: false });
    const again = await t.app.inject({ method: 'POST', url: `/api/webhooks/${created.endpointId}/ping`, headers: t.auth('qa') });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/webhooks/whk_nope', headers: t.auth('qa') })).statusCode).toBe(404);
    const audit = await t.app.inject({ method: 'GET', url: `/api/audit?targetId=${created.endpointId}`, headers: t.auth() });
    expect(audit.json<{ items: { action: string }[] }>().items.map((i) => i.action).sort()).toEqual(['webhook.create', 'webhook.deactivate', 'webhook.ping']);
  });

  it('keeps organisations apart', async () => {
    const created = (await register({ url: receiver.url, topics: ['recall.notice'] })).json<{ endpointId: string }>();
    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: t.auth('other') });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.endpointId}`, headers: t.auth('other') })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/webhooks/${created.endpointId}/ping`, headers: t.auth('other') })).statusCode).toBe(404);
  });
});

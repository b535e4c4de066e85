import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { NoticeLang } from '../../app/outbox/enqueue.ts';
import { listNoticeTemplates, resetNoticeTemplate, saveNoticeTemplate } from '../../app/outbox/notice-templates.ts';
import { AUDIENCES, CHANNELS, OUTBOX_STATUSES, type OutboxSearch, deliverySummary, listOutbox, outboxMessage, retryOutboxMessage } from '../../app/outbox/outbox-query.ts';
import { NOTICE_KINDS, NOTICE_LANGS, type NoticeKind } from '../../app/outbox/templates.ts';
import { WEBHOOK_TOPICS, createWebhookEndpoint, deactivateWebhookEndpoint, listWebhookEndpoints, pingWebhookEndpoint } from '../../app/outbox/webhooks.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const oneOf = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const Id = Type.String({ minLength: 1, maxLength: 200 });

const OutboxQuery = Type.Object(
  {
    caseId: Type.Optional(Id),
    status: Type.Optional(oneOf(OUTBOX_STATUSES)),
    audience: Type.Optional(oneOf(AUDIENCES)),
    channel: Type.Optional(oneOf(CHANNELS)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'the `next` value of the previous page' })),
  },
  { additionalProperties: false },
);

const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http or https URL that receives signed POST requests' }),
    locationId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { description: 'a store: the endpoint gets only that store\'s block-list changes' })),
    topics: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 10, description: `any of ${WEBHOOK_TOPICS.join(', ')}` }),
  },
  { additionalProperties: false },
);

const TemplateBody = Type.Object(
  { subject: Type.String({ maxLength: 300 }), body: Type.String({ maxLength: 20_000 }) },
  { additionalProperties: false },
);
const TemplateParams = Type.Object({ kind: oneOf(NOTICE_KINDS), lang: oneOf(NOTICE_LANGS) }, { additionalProperties: false });

/** The notification outbox (delivery status, retries), webhook endpoints, and notice templates. */
export function registerOutboxRoutes(app: FastifyInstance, deps: RouteDeps): void {
  // Absent in tests without a delivery worker: retried and ping messages then wait for the next poll.
  const wake = () => deps.outbox?.wake();
  const tags = ['notifications'];

  app.get('/api/outbox', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'Notices and their delivery status, newest first: attempts, last error, next attempt', querystring: OutboxQuery },
  }, async (request) => listOutbox(deps.ctx, principalOf(request).orgId, request.query as OutboxSearch));

  app.get('/api/outbox/summary', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'Delivery of a case\'s notices: counts by audience and status', querystring: Type.Object({ caseId: Id }, { additionalProperties: false }) },
  }, async (request) => deliverySummary(deps.ctx, principalOf(request).orgId, (request.query as { caseId: string }).caseId));

  app.get('/api/outbox/:messageId', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'One notice with its text, payload and every delivery attempt', params: Type.Object({ messageId: Id }) },
  }, async (request) => outboxMessage(deps.ctx, principalOf(request).orgId, (request.params as { messageId: string }).messageId));

  app.post('/api/outbox/:messageId/retry', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Send a failed notice again now, with a fresh retry window (a delivered one is never re-sent)', params: Type.Object({ messageId: Id }) },
  }, async (request) => {
    const item = await retryOutboxMessage(deps.ctx, principalOf(request), (request.params as { messageId: string }).messageId, request.id);
    wake();
    return item;
  });

  app.get('/api/webhooks', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Webhook endpoints (their secrets are never shown again)' },
  }, async (request) => ({ items: await listWebhookEndpoints(deps.ctx, principalOf(request).orgId) }));

  app.post('/api/webhooks', {
    config: { permission: 'recall:configure' },
    schema: {
      tags,
      summary: 'Register a webhook endpoint; the signing secret is in this answer only',
      description: 'Deliveries are signed: `Lotline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (docs/notifications.md).',
      body: WebhookBody,
    },
  }, async (request, reply) => {
    const body = request.body as { url: string; locationId?: string | null; topics: string[] };
    const created = await createWebhookEndpoint(deps.ctx, principalOf(request), body, request.id);
    reply.code(201).header('cache-control', 'no-store');
    return created;
  });

  app.delete('/api/webhooks/:endpointId', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Deactivate a webhook endpoint (kept for the record)', params: Type.Object({ endpointId: Id }) },
  }, async (request) => deactivateWebhookEndpoint(deps.ctx, principalOf(request), (request.params as { endpointId: string }).endpointId, request.id));

  app.post('/api/webhooks/:endpointId/ping', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Send a signed test message to an endpoint', params: Type.Object({ endpointId: Id }) },
  }, async (request, reply) => {
    const queued = await pingWebhookEndpoint(deps.ctx, principalOf(request), (request.params as { endpointId: string }).endpointId, request.id);
    wake();
    reply.code(202).header('location', `/api/outbox/${queued.messageId}`);
    return queued;
  });

  app.get('/api/notice-templates', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'Notice templates per kind and language: the organisation\'s own wording, or the built-in one' },
  }, async (request) => ({ items: await listNoticeTemplates(deps.ctx, principalOf(request).orgId) }));

  app.put('/api/notice-templates/:kind/:lang', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Replace the wording of one notice; only known {{variables}} are accepted', params: TemplateParams, body: TemplateBody },
  }, async (request) => {
    const p = request.params as { kind: NoticeKind; lang: NoticeLang };
    return saveNoticeTemplate(deps.ctx, principalOf(request), p.kind, p.lang, request.body as { subject: string; body: string }, request.id);
  });

  app.delete('/api/notice-templates/:kind/:lang', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'Go back to the built-in wording of one notice', params: TemplateParams },
  }, async (request) => {
    const p = request.params as { kind: NoticeKind; lang: NoticeLang };
    return resetNoticeTemplate(deps.ctx, principalOf(request), p.kind, p.lang, request.id);
  });
}

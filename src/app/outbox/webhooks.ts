import { type Kysely, type Transaction, sql } from 'kysely';
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { enqueue } from './enqueue.ts';

/** What a webhook endpoint can subscribe to. */
export const WEBHOOK_TOPICS = ['recall.notice', 'pos.blocklist', 'recall.task'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** A registered endpoint, as listed: never its secret. */
export interface WebhookEndpoint {
  readonly endpointId: string;
  readonly url: string;
  /** A store: the endpoint receives only that store's changes. Null: every change of its topics. */
  readonly locationId: string | null;
  readonly topics: readonly WebhookTopic[];
  readonly active: boolean;
  readonly createdAt: string;
}

/** A newly registered endpoint with its signing secret, shown this once. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

/** What registering an endpoint needs. */
export interface WebhookEndpointInput {
  readonly url: string;
  readonly locationId?: string | null;
  readonly topics: readonly string[];
}

/** Whether `value` names a webhook topic. */
export function isWebhookTopic(value: unknown): value is WebhookTopic {
  return typeof value === 'string' && (WEBHOOK_TOPICS as readonly string[]).includes(value);
}

/** Problems of a webhook URL, with the pointer `/url`; empty when it is usable. */
export function checkWebhookUrl(value: string): ErrorDetail[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ pointer: '/url', message: 'not an absolute URL; expected https://host/path', rule: 'url' }];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [{ pointer: '/url', message: `only http and https URLs can receive webhooks, not ${url.protocol}`, rule: 'url' }];
  if (url.username || url.password) {
    // A password in the URL would be shown to everyone who lists endpoints; the signature authenticates Lotline.
    return [{ pointer: '/url', message: 'the URL must not contain a user name or password; verify the Lotline-Signature header instead', rule: 'url' }];
  }
  if (url.hash) return [{ pointer: '/url', message: 'the URL must not contain a #fragment', rule: 'url' }];
  return [];
}

/** Register a webhook endpoint; the generated secret is returned once and used to sign every delivery. */
export async function createWebhookEndpoint(ctx: AppContext, actor: Actor, input: WebhookEndpointInput, requestId?: string): Promise<CreatedWebhookEndpoint> {
  const problems: ErrorDetail[] = [...checkWebhookUrl(input.url)];
  if (input.topics.length === 0) problems.push({ pointer: '/topics', message: `name at least one topic: ${WEBHOOK_TOPICS.join(', ')}`, rule: 'minItems' });
  input.topics.forEach((t, i) => {
    if (!isWebhookTopic(t)) problems.push({ pointer: `/topics/${i}`, message: `unknown topic ${JSON.stringify(t)}; topics are ${WEBHOOK_TOPICS.join(', ')}`, rule: 'enum' });
    else if (input.topics.indexOf(t) !== i) problems.push({ pointer: `/topics/${i}`, message: `topic ${t} is listed twice`, rule: 'uniqueItems' });
  });
  const locationId = input.locationId ?? null;
  return ctx.database.db.transaction().execute(async (tx) => {
    if (locationId !== null) {
      const location = await tx
        .selectFrom('locations')
        .select(['type', 'archived'])
        .where('org_id', '=', actor.orgId)
        .where('location_id', '=', locationId)
        .executeTakeFirst();
      if (!location || location.archived) problems.push({ pointer: '/locationId', message: `no location ${JSON.stringify(locationId)} in this organisation`, rule: 'exists' });
    }
    if (problems.length) throw new DomainError('ValidationException', `the webhook endpoint is not valid: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`, problems);
    const endpointId = ctx.ids.next('whk');
    const secret = `whsec_${ctx.ids.secret(32)}`;
    const createdAt = ctx.clock.now();
    const topics = input.topics.filter(isWebhookTopic);
    await tx
      .insertInto('webhook_endpoints')
      .values({ org_id: actor.orgId, endpoint_id: endpointId, url: input.url, secret, location_id: locationId, topics, active: true, created_at: createdAt })
      .execute();
    await recordAudit(tx, actor, { action: 'webhook.create', targetType: 'webhook', targetId: endpointId, detail: { url: input.url, locationId, topics }, requestId });
    return { endpointId, url: input.url, locationId, topics, active: true, createdAt: createdAt.toISOString(), secret };
  });
}

/** The organisation's webhook endpoints, active ones first, without secrets. */
export async function listWebhookEndpoints(ctx: AppContext, orgId: string): Promise<WebhookEndpoint[]> {
  const rows = await ctx.database.db
    .selectFrom('webhook_endpoints')
    .select(['endpoint_id', 'url', 'location_id', 'topics', 'active', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('active', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('endpoint_id')
    .execute();
  return rows.map(toEndpoint);
}

/** Stop sending to an endpoint. Messages already queued for it fail with "deactivated"; the row stays for the record. */
export async function deactivateWebhookEndpoint(ctx: AppContext, actor: Actor, endpointId: string, requestId?: string): Promise<WebhookEndpoint> {
  return ctx.database.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('webhook_endpoints')
      .set({ active: false })
      .where('org_id', '=', actor.orgId)
      .where('endpoint_id', '=', endpointId)
      .returning(['endpoint_id', 'url', 'location_id', 'topics', 'active', 'created_at'])
      .executeTakeFirst();
    if (!row) throw new DomainError('NoSuchResourceException', `no webhook endpoint ${endpointId}`);
    await recordAudit(tx, actor, { action: 'webhook.deactivate', targetType: 'webhook', targetId: endpointId, requestId });
    return toEndpoint(row);
  });
}

/** Queue a signed test message to one endpoint, so its owner can check their signature verification. */
export async function pingWebhookEndpoint(ctx: AppContext, actor: Actor, endpointId: string, requestId?: string): Promise<{ messageId: string; idempotencyKey: string }> {
  return ctx.database.db.transaction().execute(async (tx) => {
    const endpoint = await tx
      .selectFrom('webhook_endpoints')
      .select(['active'])
      .where('org_id', '=', actor.orgId)
      .where('endpoint_id', '=', endpointId)
      .executeTakeFirst();
    if (!endpoint) throw new DomainError('NoSuchResourceException', `no webhook endpoint ${endpointId}`);
    if (!endpoint.active) throw new DomainError('InvalidStateException', `webhook endpoint ${endpointId} is deactivated; register a new one`);
    const now = ctx.clock.now();
    const idempotencyKey = `webhook-ping:${endpointId}:${ctx.ids.next('ping')}`;
    await enqueue(
      tx,
      actor.orgId,
      [
        {
          idempotencyKey,
          caseId: null,
          audience: 'internal',
          channel: 'webhook',
          recipient: endpointId,
          lang: 'zh-CN',
          subject: 'Lotline 测试消息 / test message',
          body: '这是一条测试消息：若签名验证通过，您的接收端已配置正确。\nThis is a test message: if its signature verifies, your receiver is set up correctly.',
          payload: { topic: 'webhook.ping', endpointId },
          dryRun: false,
        },
      ],
      { ids: ctx.ids, now },
    );
    const row = await tx
      .selectFrom('outbox')
      .select('message_id')
      .where('org_id', '=', actor.orgId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'webhook.ping', targetType: 'webhook', targetId: endpointId, detail: { messageId: row.message_id }, requestId });
    return { messageId: row.message_id, idempotencyKey };
  });
}

/**
 * Active endpoints that should receive a message of `topic` about `locationId`: endpoints without a
 * location get everything of their topics; an endpoint scoped to a store gets only that store's messages
 * (so with `locationId` null, only unscoped endpoints). Call it inside the decision's transaction and
 * enqueue one webhook message per endpoint id returned.
 *
 * @example for (const id of await webhookRecipients(tx, orgId, 'pos.blocklist', 'store-001')) messages.push({ channel: 'webhook', recipient: id, … })
 */
export async function webhookRecipients(
  tx: Kysely<Schema> | Transaction<Schema>,
  orgId: string,
  topic: WebhookTopic,
  locationId: string | null,
): Promise<string[]> {
  let query = tx
    .selectFrom('webhook_endpoints')
    .select('endpoint_id')
    .where('org_id', '=', orgId)
    .where('active', '=', true)
    .where(sql<boolean>`${topic} = ANY(topics)`);
  query = locationId === null ? query.where('location_id', 'is', null) : query.where((eb) => eb.or([eb('location_id', 'is', null), eb('location_id', '=', locationId)]));
  return (await query.orderBy('endpoint_id').execute()).map((r) => r.endpoint_id);
}

function toEndpoint(row: { endpoint_id: string; url: string; location_id: string | null; topics: string[]; active: boolean; created_at: Date }): WebhookEndpoint {
  return {
    endpointId: row.endpoint_id,
    url: row.url,
    locationId: row.location_id,
    topics: row.topics.filter(isWebhookTopic),
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

import type { AppContext } from '../context.ts';
import { DeliveryError, type DeliveryMessage, type Transport, clip } from './transport.ts';
import { signWebhook } from './webhook-signature.ts';

/** The JSON a webhook receiver gets. */
export interface WebhookBody {
  /** The outbox message id (also the `Lotline-Event-Id` header). */
  readonly id: string;
  /** Same key, same message: drop a delivery whose key you have already processed. */
  readonly idempotencyKey: string;
  readonly topic: string;
  readonly audience: string;
  readonly caseId: string | null;
  readonly createdAt: string;
  readonly subject: string;
  readonly body: string;
  readonly lang: string;
  readonly payload: Record<string, unknown>;
}

/** The webhook topic of a message: `payload.topic` when it names one, else a recall notice. */
export function messageTopic(message: Pick<DeliveryMessage, 'payload'>): string {
  const topic = message.payload['topic'];
  return typeof topic === 'string' && topic !== '' ? topic : 'recall.notice';
}

/** The exact JSON text sent for `message` (the signature covers these bytes). */
export function webhookBody(message: DeliveryMessage): string {
  const body: WebhookBody = {
    id: message.messageId,
    idempotencyKey: message.idempotencyKey,
    topic: messageTopic(message),
    audience: message.audience,
    caseId: message.caseId,
    createdAt: message.createdAt.toISOString(),
    subject: message.subject,
    body: message.body,
    lang: message.lang,
    payload: message.payload,
  };
  return JSON.stringify(body);
}

/**
 * Signed webhooks: POST the message as JSON to the endpoint named by the recipient, with
 * `Lotline-Signature`, `Idempotency-Key` and `Lotline-Event-Id`. A 2xx answer is delivered; 408, 429
 * and 5xx (and network errors, timeouts) are retried; any other answer is permanent. Redirects are not
 * followed: a signed request should reach the registered URL or nothing.
 */
export function createWebhookTransport(ctx: Pick<AppContext, 'database' | 'clock'>, options: { readonly timeoutMs?: number } = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    unavailable: () => null,
    async send(message) {
      const endpoint = await ctx.database.db
        .selectFrom('webhook_endpoints')
        .select(['url', 'secret', 'active'])
        .where('org_id', '=', message.orgId)
        .where('endpoint_id', '=', message.recipient)
        .executeTakeFirst();
      if (!endpoint) throw DeliveryError.permanent(`no webhook endpoint ${message.recipient}`);
      if (!endpoint.active) throw DeliveryError.permanent(`webhook endpoint ${message.recipient} is deactivated`);
      const raw = webhookBody(message);
      const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
      let response: Response;
      try {
        response = await fetch(endpoint.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Lotline-Webhooks/1',
            'lotline-signature': signWebhook(endpoint.secret, timestamp, raw),
            'idempotency-key': message.idempotencyKey,
            'lotline-event-id': message.messageId,
            'lotline-topic': messageTopic(message),
          },
          body: raw,
        });
      } catch (error) {
        const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(error));
        throw DeliveryError.transient(`POST ${endpoint.url} failed: ${why}`, error);
      }
      const text = clip(await response.text().catch(() => ''), 200);
      const status = response.status;
      const detail = `HTTP ${status}${text ? `: ${text}` : ''}`;
      if (status >= 200 && status < 300) return { detail };
      if (status === 408 || status === 429 || status >= 500) throw DeliveryError.transient(detail);
      throw DeliveryError.permanent(status >= 300 && status < 400 ? `${detail} (redirects are not followed; register the final URL)` : detail);
    },
    close: async () => undefined,
  };
}

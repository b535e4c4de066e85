import type { AppContext } from '../context.ts';
import { defaultRetryPolicy } from './backoff.ts';
import { type DeliverySummary, type DeliveryWorker, startDelivery } from './delivery.ts';
import { createEmailTransport } from './email-transport.ts';
import { type SmsAdapter, createSmsTransport, loggingSmsAdapter } from './sms-transport.ts';
import type { Transports } from './transport.ts';
import { createWebhookTransport } from './webhook-transport.ts';

/** What the outbox reads from the environment (src/config.ts parses it; see docs/notifications.md). */
export interface OutboxConfig {
  /** LOTLINE_SMTP_URL: `smtp://user:pass@host:587` or `smtps://…`; null leaves email waiting (visible, not lost). */
  readonly smtpUrl: string | null;
  /** LOTLINE_MAIL_FROM: `Lotline <recall@brand.example>`. */
  readonly mailFrom: string | null;
  /** LOTLINE_OUTBOX_POLL_MS: milliseconds between two looks at the outbox (default 5,000). */
  readonly pollIntervalMs: number;
  /** LOTLINE_OUTBOX_GIVE_UP_HOURS: how long a failing message is retried before it is marked failed (default 72). */
  readonly giveUpAfterHours: number;
  /** LOTLINE_WEBHOOK_TIMEOUT_MS: how long a webhook receiver may take to answer (default 10,000). */
  readonly webhookTimeoutMs: number;
}

/** Defaults: nothing configured, poll every 5 s, retry for 72 h, webhooks time out after 10 s. */
export const defaultOutboxConfig: OutboxConfig = { smtpUrl: null, mailFrom: null, pollIntervalMs: 5_000, giveUpAfterHours: 72, webhookTimeoutMs: 10_000 };

/** The running outbox of a server: the delivery worker and its transports. */
export interface OutboxRuntime {
  /** Deliver right away; call after committing anything that enqueued messages. */
  wake(): void;
  /** One delivery pass (the CLI and tests). */
  runOnce(): Promise<DeliverySummary>;
  /** Stop the worker and close the SMTP pool. */
  stop(): Promise<void>;
}

/**
 * Start delivering the outbox with the transports `config` describes: SMTP email, signed webhooks, and
 * SMS through `smsAdapter` (default: logged, counted as delivered).
 *
 * @example
 * const outbox = createOutboxRuntime(ctx, config.outbox);
 * // … on shutdown: await outbox.stop();
 */
export function createOutboxRuntime(
  ctx: AppContext,
  config: OutboxConfig,
  options: { readonly smsAdapter?: SmsAdapter; readonly transports?: Partial<Transports>; readonly random?: () => number; readonly poll?: boolean } = {},
): OutboxRuntime {
  const transports: Transports = {
    email: options.transports?.email ?? createEmailTransport({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom }),
    webhook: options.transports?.webhook ?? createWebhookTransport(ctx, { timeoutMs: config.webhookTimeoutMs }),
    sms: options.transports?.sms ?? createSmsTransport(options.smsAdapter ?? loggingSmsAdapter(ctx.logger)),
  };
  if (transports.email.unavailable()) ctx.logger.warn('email notices will wait: LOTLINE_SMTP_URL / LOTLINE_MAIL_FROM are not set');
  const worker: DeliveryWorker = startDelivery(ctx, {
    transports,
    retry: { ...defaultRetryPolicy, giveUpAfterMs: config.giveUpAfterHours * 3_600_000 },
    pollIntervalMs: options.poll === false ? null : config.pollIntervalMs,
    ...(options.random ? { random: options.random } : {}),
  });
  // Messages written while the server was down go out at start, not one poll later.
  worker.wake();
  return {
    wake: () => worker.wake(),
    runOnce: () => worker.runOnce(),
    stop: async () => {
      await worker.stop();
      await Promise.all([transports.email.close(), transports.webhook.close(), transports.sms.close()]);
    },
  };
}

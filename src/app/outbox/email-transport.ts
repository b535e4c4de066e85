import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { textToHtml } from './templates.ts';
import { DeliveryError, type DeliveryMessage, type Transport, clip } from './transport.ts';

/** Where email goes: an SMTP server URL and the sender. */
export interface EmailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start); null when not configured. */
  readonly smtpUrl: string | null;
  /** `Lotline <recall@brand.example>`; the domain also names the Message-IDs. */
  readonly mailFrom: string | null;
  /** Milliseconds to wait for the server to answer (connect, greet, each command). */
  readonly timeoutMs?: number;
}

/** Cheap sanity check of one address; the SMTP server is the real judge. */
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/**
 * Email over SMTP (nodemailer, pooled connections). Each message carries a Message-ID derived from its
 * idempotency key, so a message sent twice (a crash between the send and its record) has the same
 * Message-ID both times and mail systems can drop the copy.
 */
export function createEmailTransport(settings: EmailSettings): Transport {
  const unavailableReason = !settings.smtpUrl
    ? 'email is not configured: set LOTLINE_SMTP_URL (and LOTLINE_MAIL_FROM); the message waits until then / 未配置邮件服务器（LOTLINE_SMTP_URL），邮件将等待发送'
    : !settings.mailFrom
      ? 'email sender is not configured: set LOTLINE_MAIL_FROM / 未配置发件人（LOTLINE_MAIL_FROM）'
      : null;
  if (unavailableReason !== null) {
    return {
      unavailable: () => unavailableReason,
      send: async () => {
        throw DeliveryError.transient(unavailableReason);
      },
      close: async () => undefined,
    };
  }
  const server = parseSmtpUrl(settings.smtpUrl ?? '');
  const from = settings.mailFrom ?? '';
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'lotline.invalid';
  const timeout = settings.timeoutMs ?? 30_000;
  const mailer = createTransport({
    pool: true,
    maxConnections: 3,
    maxMessages: 200,
    ...server,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    unavailable: () => null,
    async send(message: DeliveryMessage) {
      if (!ADDRESS.test(message.recipient)) throw DeliveryError.permanent(`not an email address: ${JSON.stringify(message.recipient)}`);
      const headers: Record<string, string> = { 'X-Lotline-Idempotency-Key': message.idempotencyKey, 'Content-Language': message.lang };
      if (message.caseId) headers['X-Lotline-Case'] = message.caseId;
      try {
        const info = await mailer.sendMail({
          from,
          to: message.recipient,
          subject: message.subject,
          text: message.body,
          html: textToHtml(message.body),
          messageId: emailMessageId(message.orgId, message.idempotencyKey, domain),
          headers,
        });
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length) throw DeliveryError.permanent(`the server refused ${rejected.join(', ')}: ${clip(String(info.response ?? ''))}`);
        return { detail: clip(`SMTP accepted ${message.recipient}: ${String(info.response ?? '')}`) };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: async () => {
      mailer.close();
    },
  };
}

/** `<lotline.<hash>@domain>`: the same idempotency key always gives the same Message-ID. */
export function emailMessageId(orgId: string, idempotencyKey: string, domain: string): string {
  const hash = createHash('sha256').update(`${orgId}\n${idempotencyKey}`, 'utf8').digest('hex').slice(0, 32);
  return `<lotline.${hash}@${domain}>`;
}

/** smtp:// and smtps:// URLs as nodemailer options; the password stays out of every message and log. */
function parseSmtpUrl(value: string): { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('LOTLINE_SMTP_URL is not a URL; expected smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`LOTLINE_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = decodeURIComponent(url.username);
  return { host: url.hostname, port, secure, ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}) };
}

/**
 * SMTP 5xx answers about the message or its recipient (550 no such user, 553 bad address) are
 * permanent; everything else (connection refused, timeouts, 4xx "try later", 503, failed
 * authentication — an operator can fix that) is retried.
 */
function classifySmtpError(error: unknown): DeliveryError {
  if (DeliveryError.is(error)) return error;
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const text = clip(e.response ?? e.message ?? String(error));
  const code = e.responseCode;
  if (code !== undefined && code >= 500 && code < 600 && code !== 503 && e.code !== 'EAUTH') {
    return DeliveryError.permanent(`SMTP ${code}: ${text}`, error);
  }
  return DeliveryError.transient(`${e.code ?? 'SMTP'}${code ? ` ${code}` : ''}: ${text}`, error);
}

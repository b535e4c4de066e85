import type { Audience, Channel, NoticeLang } from './enqueue.ts';

/** One claimed outbox message, as a transport sees it. */
export interface DeliveryMessage {
  readonly orgId: string;
  readonly messageId: string;
  readonly idempotencyKey: string;
  readonly caseId: string | null;
  readonly audience: Audience;
  readonly channel: Channel;
  /** Email address, webhook endpoint id, or phone number. */
  readonly recipient: string;
  readonly lang: NoticeLang;
  readonly subject: string;
  readonly body: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/**
 * Why a send failed. `permanent` failures (an invalid address, an HTTP 4xx other than 408/429, an SMTP
 * 5xx for the recipient) will not get better by waiting: the message is marked failed at once. Transient
 * ones (a refused connection, a timeout, HTTP 5xx, SMTP 4xx) are retried with backoff.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;

  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
  }

  /** A failure that waiting cannot fix. */
  static permanent(message: string, cause?: unknown): DeliveryError {
    return new DeliveryError(message, { permanent: true, cause });
  }

  /** A failure worth retrying later. */
  static transient(message: string, cause?: unknown): DeliveryError {
    return new DeliveryError(message, { permanent: false, cause });
  }

  static is(value: unknown): value is DeliveryError {
    return value instanceof DeliveryError;
  }
}

/** Sends one message over one channel; resolves with a short description of what the receiver said. */
export interface Transport {
  /**
   * Why this transport cannot send at all right now (e.g. no SMTP server configured), or null when it can.
   * Messages of an unavailable channel are not attempted: they stay pending with this reason as their
   * last error, so nothing is lost and the reason is visible.
   */
  unavailable(): string | null;
  /** Send `message`; throws a DeliveryError on failure. */
  send(message: DeliveryMessage): Promise<{ readonly detail: string }>;
  /** Release connections (SMTP pools). */
  close(): Promise<void>;
}

/** The transport of each channel. */
export type Transports = Readonly<Record<Channel, Transport>>;

/** Shorten a receiver's answer for the attempt log. */
export function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

import type { Logger } from 'pino';
import { DeliveryError, type Transport, clip } from './transport.ts';

/** An SMS gateway (Aliyun, Tencent Cloud, Twilio…): one text to one number; throws DeliveryError on failure. */
export interface SmsAdapter {
  send(to: string, text: string): Promise<{ readonly detail: string }>;
}

/**
 * The adapter used when no SMS gateway is configured: it writes the text to the log and counts it as
 * delivered, so an organisation without a gateway still sees in the attempt record what would have been sent.
 */
export function loggingSmsAdapter(logger: Logger): SmsAdapter {
  return {
    send: async (to, text) => {
      logger.info({ to, text }, 'SMS logged (no SMS gateway configured)');
      return { detail: clip(`logged, no SMS gateway configured / 未配置短信网关，仅记录: to ${to}: ${text}`, 600) };
    },
  };
}

/** A phone number in E.164 form, or a mainland Chinese mobile number (11 digits starting with 1). */
const PHONE = /^(\+[1-9]\d{6,14}|1[3-9]\d{9})$/;

/** SMS through `adapter`: the subject and body as one text; numbers are checked first (a bad one is permanent). */
export function createSmsTransport(adapter: SmsAdapter): Transport {
  return {
    unavailable: () => null,
    async send(message) {
      const to = message.recipient.replace(/[\s-]/g, '');
      if (!PHONE.test(to)) throw DeliveryError.permanent(`not a phone number: ${JSON.stringify(message.recipient)} (use +<country><number>)`);
      const text = message.subject ? `${message.subject}\n${message.body}` : message.body;
      try {
        return await adapter.send(to, text);
      } catch (error) {
        if (DeliveryError.is(error)) throw error;
        throw DeliveryError.transient(`SMS gateway: ${error instanceof Error ? error.message : String(error)}`, error);
      }
    },
    close: async () => undefined,
  };
}

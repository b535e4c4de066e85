import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe-style: `Lotline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the endpoint's secret. The timestamp is inside the signed text, so a captured request cannot be
 * replayed later than the receiver's tolerance.
 */
export const SIGNATURE_HEADER = 'lotline-signature';

/** The `Lotline-Signature` header value for `rawBody` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

/** Why a signature was not accepted; `ok` when it was. */
export type SignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * Check a `Lotline-Signature` header against the raw request body (the exact bytes received, before any
 * JSON parsing) and the endpoint secret. Accepts any `v1=` entry (several appear while a secret is
 * rotated); rejects timestamps more than `toleranceSeconds` away from `now` (default: the system clock).
 *
 * @example
 * const check = verifyWebhookSignature(secret, req.headers['lotline-signature'], rawBody, 300);
 * if (!check.ok) return res.writeHead(400).end(check.reason);
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | string[] | undefined,
  rawBody: string | Buffer,
  toleranceSeconds: number,
  now: Date = new Date(),
): SignatureCheck {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return { ok: false, reason: 'malformed' };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(v)) signatures.push(v);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'mismatch' };
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, timestamp };
}

function hmacHex(secret: string, timestamp: number, rawBody: string | Buffer): string {
  // Bytes as received: a receiver that re-serialises parsed JSON would compute a different text.
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest('hex');
}

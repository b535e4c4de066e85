import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import type { IdGenerator } from '../context.ts';

/** Who a notice is for. */
export type Audience = 'regulator' | 'store' | 'warehouse' | 'distributor' | 'consumer' | 'public' | 'internal';
export type Channel = 'email' | 'webhook' | 'sms';
export type NoticeLang = 'zh-CN' | 'en';

/** One message to deliver; written to the outbox in the transaction of the decision that caused it. */
export interface OutboxMessage {
  /** Same key, same message: a second enqueue of it is ignored, and receivers get it to drop duplicates. */
  readonly idempotencyKey: string;
  readonly caseId: string | null;
  readonly audience: Audience;
  readonly channel: Channel;
  /** Email address, webhook endpoint id, or phone number. */
  readonly recipient: string;
  readonly lang: NoticeLang;
  readonly subject: string;
  readonly body: string;
  /** Structured content (webhooks send it as JSON; email and SMS keep it for the record). */
  readonly payload: Record<string, unknown>;
  /** Drills: recorded with status `dry_run`, never sent. */
  readonly dryRun: boolean;
}

/**
 * Write messages to the outbox inside the caller's transaction. Messages whose idempotency key is
 * already there are skipped. Returns how many were new.
 */
export async function enqueue(
  tx: Kysely<Schema> | Transaction<Schema>,
  orgId: string,
  messages: readonly OutboxMessage[],
  at: { readonly ids: IdGenerator; readonly now: Date },
): Promise<number> {
  let inserted = 0;
  // Chunks keep each statement well under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < messages.length; i += 1000) {
    const rows = messages.slice(i, i + 1000).map((m) => ({
      org_id: orgId,
      message_id: at.ids.next('msg'),
      idempotency_key: m.idempotencyKey,
      case_id: m.caseId,
      audience: m.audience,
      channel: m.channel,
      recipient: m.recipient,
      lang: m.lang,
      subject: m.subject,
      body: m.body,
      payload: JSON.stringify(m.payload),
      dry_run: m.dryRun,
      status: m.dryRun ? ('dry_run' as const) : ('pending' as const),
      next_attempt_at: at.now,
      created_at: at.now,
    }));
    const result = await tx
      .insertInto('outbox')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/**
 * Push block-list changes to stores' POS systems: one signed webhook per active endpoint subscribed
 * to `pos.blocklist`, written to the outbox in the transaction of the decision that placed or
 * released the holds (the outbox delivers after commit, with retries). A store-scoped endpoint gets
 * every change too, because every store blocks every held lot (it may receive one later); its
 * payload names its store. A drill's change is recorded as a dry run and never sent.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import type { IdGenerator } from '../context.ts';
import { type OutboxMessage, enqueue } from '../outbox/enqueue.ts';

/** The webhook topic of block-list changes. */
export const BLOCKLIST_TOPIC = 'pos.blocklist';

/** A held (or released) lot, as the block list names it. */
export interface BlockListLot {
  readonly gtin: string | null;
  readonly lot: string | null;
  /** The lot's canonical node id (lotNode(gtin, lot)). */
  readonly node: string;
}

/** What one decision changed in the block list. */
export interface BlockListChange {
  readonly caseId: string;
  readonly caseNumber: string;
  /** recall_hold_heads.revision after the change. */
  readonly revision: number;
  readonly added: readonly BlockListLot[];
  readonly released: readonly BlockListLot[];
  readonly drill: boolean;
}

/**
 * Queue the change for every active `pos.blocklist` endpoint of the organisation, inside `tx`.
 * Idempotent: the key `blocklist:<revision>:<endpointId>` makes a re-run add nothing. Returns how
 * many messages were new.
 * @example await queueBlocklistPush(tx, orgId, { caseId, caseNumber, revision, added, released: [], drill: false }, { ids: ctx.ids, now });
 */
export async function queueBlocklistPush(
  tx: Kysely<Schema> | Transaction<Schema>,
  orgId: string,
  change: BlockListChange,
  at: { readonly ids: IdGenerator; readonly now: Date },
): Promise<number> {
  const endpoints = await sql<{ endpoint_id: string; location_id: string | null }>`
    SELECT endpoint_id, location_id FROM webhook_endpoints
    WHERE org_id = ${orgId} AND active AND ${BLOCKLIST_TOPIC} = ANY(topics)
    ORDER BY endpoint_id`.execute(tx);
  if (endpoints.rows.length === 0) return 0;
  const subject = `召回 ${change.caseNumber} 暂停销售清单变更 / Block list change for recall ${change.caseNumber}`;
  const body =
    `${change.drill ? '演练 / Drill. ' : ''}` +
    `暂停 ${change.added.length} 个批次，解除 ${change.released.length} 个批次（版本 ${change.revision}）。` +
    ` ${change.added.length} lot(s) held, ${change.released.length} released (revision ${change.revision}).`;
  const messages: OutboxMessage[] = endpoints.rows.map((e) => ({
    idempotencyKey: `blocklist:${change.revision}:${e.endpoint_id}`,
    caseId: change.caseId,
    audience: 'store',
    channel: 'webhook',
    recipient: e.endpoint_id,
    lang: 'zh-CN',
    subject,
    body,
    payload: {
      topic: BLOCKLIST_TOPIC,
      caseId: change.caseId,
      caseNumber: change.caseNumber,
      revision: change.revision,
      added: change.added.map((l) => ({ gtin: l.gtin, lot: l.lot, node: l.node })),
      released: change.released.map((l) => ({ gtin: l.gtin, lot: l.lot, node: l.node })),
      drill: change.drill,
      store: e.location_id,
    },
    dryRun: change.drill,
  }));
  return enqueue(tx, orgId, messages, at);
}

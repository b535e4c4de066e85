import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * Take the next `count` numbers of a per-organisation counter (`scope` names it, e.g. a production
 * day, line and shift, or a GTIN and batch). One upsert, so concurrent callers never get the same
 * number, on either engine. Returns the first and last numbers taken.
 */
export async function takeSequence(db: Kysely<Schema> | Transaction<Schema>, orgId: string, scope: string, count: number): Promise<{ first: number; last: number }> {
  const r = await sql<{ last_seq: number }>`
    INSERT INTO batch_code_sequences (org_id, scope, last_seq) VALUES (${orgId}, ${scope}, ${count})
    ON CONFLICT (org_id, scope) DO UPDATE SET last_seq = batch_code_sequences.last_seq + ${count}
    RETURNING last_seq`.execute(db);
  const last = r.rows[0]!.last_seq;
  return { first: last - count + 1, last };
}

/** The last number taken from a counter, 0 when none was. */
export async function lastOfSequence(db: Kysely<Schema> | Transaction<Schema>, orgId: string, scope: string): Promise<number> {
  const row = await db.selectFrom('batch_code_sequences').select('last_seq').where('org_id', '=', orgId).where('scope', '=', scope).executeTakeFirst();
  return row?.last_seq ?? 0;
}

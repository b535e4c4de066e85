/**
 * Write a captured document's trace rows in the capture transaction: rows name events by position,
 * mapped here to ledger seqs (rows of events already stored are dropped with their events).
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import type { PreparedDocument } from '../capture/prepare.ts';
import type { DerivedTrace } from './derive.ts';
import { type LotRange, pendingRanges, resolvePending } from './pending.ts';

type Tx = Transaction<Schema>;

export async function storeTrace(tx: Tx, orgId: string, prepared: PreparedDocument, seqs: readonly (number | null)[]): Promise<void> {
  const t = prepared.trace;
  const seqArray = sql`${seqs}::bigint[]`;
  let resolved: DerivedTrace | null = null;
  const p = prepared.pendingTrace;
  if (p.units.length > 0 || p.moves.length > 0) resolved = resolvePending(p, await storedLotRanges(tx, orgId, p));
  const json = (ready: string, extra: readonly unknown[] | undefined): string => (extra && extra.length > 0 ? (ready === '[]' ? JSON.stringify(extra) : `${ready.slice(0, -1)},${JSON.stringify(extra).slice(1)}`) : ready);

  const links = json(t.links, resolved?.links);
  if (links !== '[]') {
    await sql`
      INSERT INTO trace_links (org_id, seq, ord, src, dst, link, event_time, qty, uom)
      SELECT ${orgId}, l.seq, x.ord, x.src, x.dst, x.link, x.t, x.qty, x.uom
      FROM ROWS FROM (jsonb_to_recordset(${links}::jsonb) AS (e int, src text, dst text, link text, t timestamptz, qty float8, uom text))
           WITH ORDINALITY AS x(e, src, dst, link, t, qty, uom, ord)
      JOIN unnest(${seqArray}) WITH ORDINALITY AS l(seq, e) ON l.e = x.e
      WHERE l.seq IS NOT NULL`.execute(tx);
  }
  const units = json(t.units, resolved?.units);
  if (units !== '[]') {
    await sql`
      INSERT INTO trace_units (org_id, seq, ord, role, series, lo, hi, lot, target, event_time)
      SELECT ${orgId}, l.seq, x.ord, x.role, x.series, x.lo, x.hi, x.lot, x.target, x.t
      FROM ROWS FROM (jsonb_to_recordset(${units}::jsonb) AS (e int, role text, series text, lo bigint, hi bigint, lot text, target text, t timestamptz))
           WITH ORDINALITY AS x(e, role, series, lo, hi, lot, target, t, ord)
      JOIN unnest(${seqArray}) WITH ORDINALITY AS l(seq, e) ON l.e = x.e
      WHERE l.seq IS NOT NULL`.execute(tx);
  }
  const moves = json(t.moves, resolved?.moves);
  if (moves !== '[]') {
    await sql`
      INSERT INTO trace_moves (org_id, seq, ord, item, item_kind, series, lo, hi, gtin, kind, qty, uom, place, source, destination, vehicle, biz_step, disposition, event_time)
      SELECT ${orgId}, l.seq, x.ord, x.item, x.item_kind, x.series, x.lo, x.hi, x.gtin, x.kind, x.qty, x.uom, x.place, x.source, x.destination, x.vehicle, x.biz_step, x.disposition, x.t
      FROM ROWS FROM (jsonb_to_recordset(${moves}::jsonb) AS (e int, item text, item_kind text, series text, lo bigint, hi bigint, gtin text, kind text, qty float8, uom text,
             place text, source text, destination text, vehicle text, biz_step text, disposition text, t timestamptz))
           WITH ORDINALITY AS x(e, item, item_kind, series, lo, hi, gtin, kind, qty, uom, place, source, destination, vehicle, biz_step, disposition, t, ord)
      JOIN unnest(${seqArray}) WITH ORDINALITY AS l(seq, e) ON l.e = x.e
      WHERE l.seq IS NOT NULL`.execute(tx);
  }
  if (t.readings !== '[]') {
    await sql`
      INSERT INTO trace_readings (org_id, seq, ord, place, site, device, type, time, value, min_value, max_value, uom, exception)
      SELECT ${orgId}, l.seq, x.ord, x.place, x.site, x.device, x.type, x.time, x.value, x.min_value, x.max_value, x.uom, x.exception
      FROM ROWS FROM (jsonb_to_recordset(${t.readings}::jsonb) AS (e int, place text, site text, device text, type text, time timestamptz, value float8, min_value float8, max_value float8, uom text, exception text))
           WITH ORDINALITY AS x(e, place, site, device, type, time, value, min_value, max_value, uom, exception, ord)
      JOIN unnest(${seqArray}) WITH ORDINALITY AS l(seq, e) ON l.e = x.e
      WHERE l.seq IS NOT NULL`.execute(tx);
  }
  if (t.retractions !== '[]') {
    await sql`
      INSERT INTO trace_retractions (org_id, seq, hash_id, event_id)
      SELECT ${orgId}, l.seq, x.hash_id, x.event_id
      FROM jsonb_to_recordset(${t.retractions}::jsonb) AS x(e int, hash_id text, event_id text)
      JOIN unnest(${seqArray}) WITH ORDINALITY AS l(seq, e) ON l.e = x.e
      WHERE l.seq IS NOT NULL`.execute(tx);
  }
}

/** The stored commissioned ranges that overlap the pending ranges (two index probes per range). */
async function storedLotRanges(tx: Tx, orgId: string, pending: Parameters<typeof pendingRanges>[0]): Promise<LotRange[]> {
  const ranges = pendingRanges(pending);
  if (ranges.length === 0) return [];
  const r = await sql<{ series: string; lo: string; hi: string; lot: string }>`
    SELECT DISTINCT u.series, u.lo, u.hi, u.lot
    FROM unnest(${ranges.map((x) => x.series)}::text[], ${ranges.map((x) => x.lo)}::bigint[], ${ranges.map((x) => x.hi)}::bigint[]) AS x(series, lo, hi)
    CROSS JOIN LATERAL (
      (SELECT series, lo, hi, lot FROM trace_units
        WHERE org_id = ${orgId} AND role = 'commissioned' AND series = x.series AND lo >= x.lo AND lo <= x.hi)
      UNION ALL
      (SELECT series, lo, hi, lot FROM trace_units
        WHERE org_id = ${orgId} AND role = 'commissioned' AND series = x.series AND lo < x.lo ORDER BY lo DESC LIMIT 1)
    ) u
    WHERE u.hi >= x.lo`.execute(tx);
  return r.rows.map((row) => ({ series: row.series, lo: Number(row.lo), hi: Number(row.hi), lot: row.lot }));
}

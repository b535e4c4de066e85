/**
 * What the FSMA 204 export reads: the product, the events that may be CTEs of it (from the derived
 * trace tables, docs/trace.md), their documents, and master data, always in batches (one query per
 * batch of events, never one per event or per place).
 */
import { type Kysely, sql } from 'kysely';
import type { EpcisEvent } from '../../core/epcis/event.ts';
import type { Schema } from '../../store/schema.ts';
import type { PackingLink } from './container-contents.ts';
import type { LotOrigin, StoredEvent } from './fsma204-rows.ts';
import { type PlaceFacts, describePlace, englishName } from './place-description.ts';

type Db = Kysely<Schema>;

/** A product of the organisation. */
export interface ProductRecord {
  readonly productId: string;
  readonly gtin: string | null;
  readonly description: string;
  readonly shelfLifeHours: number;
}

/** `brand name` in English where master data has English. */
function productDescription(row: { name_en: string; name_zh: string; brand: string | null }): string {
  const name = englishName(row.name_en, row.name_zh) ?? '';
  const brand = row.brand?.trim();
  return brand && !name.toLowerCase().startsWith(brand.toLowerCase()) ? `${brand} ${name}` : name;
}

/** The product with this identifier or GTIN-14, or null. */
export async function findProduct(db: Db, orgId: string, by: { readonly productId: string } | { readonly gtin: string }): Promise<ProductRecord | null> {
  let q = db.selectFrom('products').select(['product_id', 'gtin', 'name_en', 'name_zh', 'brand', 'shelf_life_hours']).where('org_id', '=', orgId);
  q = 'gtin' in by ? q.where('gtin', '=', by.gtin) : q.where('product_id', '=', by.productId);
  const row = await q.executeTakeFirst();
  return row ? { productId: row.product_id, gtin: row.gtin, description: productDescription(row), shelfLifeHours: row.shelf_life_hours } : null;
}

/** Product descriptions by GTIN-14 (null for GTINs master data does not know). */
export async function productDescriptions(db: Db, orgId: string, gtins: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(gtins.map((g) => [g, null]));
  if (gtins.length === 0) return out;
  const rows = await db.selectFrom('products').select(['gtin', 'name_en', 'name_zh', 'brand']).where('org_id', '=', orgId).where('gtin', 'in', [...gtins]).execute();
  for (const row of rows) if (row.gtin !== null) out.set(row.gtin, productDescription(row));
  return out;
}

/**
 * Run `read` in a transaction that groups a month of a product's movements (a few hundred thousand
 * rows) in a hash table in memory: the planner would sort them by their long text keys first, which
 * costs more than the scan. JIT compilation is off: its start-up costs more than it saves here.
 */
async function grouped<T>(db: Db, read: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
    await sql`SET LOCAL enable_sort = off`.execute(tx);
    await sql`SET LOCAL jit = off`.execute(tx);
    return read(tx);
  });
}

/** Movements of one item in one event that may make the event a CTE. */
export interface CandidateMove {
  readonly seq: number;
  readonly timeMs: number;
  readonly item: string;
  readonly kind: string;
  readonly bizStep: string | null;
  /** Unit ranges of the item shipped or received (series, lo, hi), whose lot the store resolved. */
  readonly ranges: readonly { readonly series: string; readonly lo: number; readonly hi: number }[];
}

/** Business steps outside the CBV that name a CTE (the mapping decides; this only narrows the read). */
const DECLARED_CTE_STEP = '(harvest|cooling|initial.?packing|first.?land|landing)';

/**
 * One pass over the product's movements (the `trace_moves_gtin` index) from `since` to `to`:
 * `lots` are its lots that moved in that time (their cases and pallets may move in the period), and
 * `moves` the movements in [from, to) that can be CTEs, one per event and item: produced
 * (transformation outputs, commissioning), shipped, received, returned, or a step that names a CTE.
 * Sales and sensor readings only count towards `lots`; units commissioned one by one are grouped.
 */
export async function productMoves(db: Db, orgId: string, gtin: string, since: Date, from: Date, to: Date): Promise<{ lots: string[]; moves: CandidateMove[] }> {
  // The inner queries are fenced (OFFSET 0) so that the CTE test `c` is computed once per row, not once per use.
  const r = await grouped(db, (tx) => sql<{ item: string; item_kind: string; seq: number | null; kind: string | null; biz_step: string | null; t_ms: number; series: string[] | null; lo: number[] | null; hi: number[] | null }>`
    SELECT item, item_kind, seq, kind, biz_step, min(t_ms) AS t_ms,
           array_agg(series) FILTER (WHERE ranged) AS series, array_agg(lo) FILTER (WHERE ranged) AS lo, array_agg(hi) FILTER (WHERE ranged) AS hi
    FROM (
      SELECT item, item_kind, t_ms, CASE WHEN c THEN seq END AS seq, CASE WHEN c THEN kind END AS kind, CASE WHEN c THEN biz_step END AS biz_step,
             c AND kind <> 'produced' AND series IS NOT NULL AS ranged, series, lo, hi
      FROM (
        SELECT item, item_kind, seq, kind, biz_step, series, lo, hi, (extract(epoch FROM event_time) * 1000)::float8 AS t_ms,
               event_time >= ${from.toISOString()}::timestamptz
               AND (kind IN ('produced', 'shipped', 'received', 'returned') OR (kind = 'observed' AND biz_step ~* ${DECLARED_CTE_STEP})) AS c
        FROM trace_moves
        WHERE org_id = ${orgId} AND gtin = ${gtin}
          AND event_time >= ${since.toISOString()}::timestamptz AND event_time < ${to.toISOString()}::timestamptz
        OFFSET 0
      ) m
      OFFSET 0
    ) g
    GROUP BY seq, item, item_kind, kind, biz_step`.execute(tx));
  const lots = new Set<string>();
  const moves: CandidateMove[] = [];
  for (const x of r.rows) {
    if (x.item_kind === 'lot') lots.add(x.item);
    if (x.seq === null || x.kind === null) continue;
    const series = x.series ?? [];
    moves.push({
      seq: Number(x.seq), timeMs: Number(x.t_ms), item: x.item, kind: x.kind, bizStep: x.biz_step,
      ranges: series.map((s, i) => ({ series: s, lo: Number(x.lo?.[i]), hi: Number(x.hi?.[i]) })),
    });
  }
  return { lots: [...lots], moves };
}

type LinkRow = { src: string; dst: string; link: string; qty: number | null; uom: string | null; t_ms: number };
const toPackingLink = (x: LinkRow): PackingLink => ({ src: x.src, dst: x.dst, link: x.link as PackingLink['link'], qty: x.qty === null ? null : Number(x.qty), uom: x.uom, timeMs: Number(x.t_ms) });

/*
 * Lists of identifiers are probed one by one through an index (unnest … CROSS JOIN LATERAL, kept a
 * nested loop by OFFSET 0 or LIMIT): with `= ANY(array)` of thousands of ids, or a join the planner
 * may flatten, it estimates a large share of the table and scans all of it.
 */

/** Lots put into (carries) or taken out of containers before `to` (the `trace_links_src` index). */
export async function lotPackingLinks(db: Db, orgId: string, lots: readonly string[], to: Date): Promise<PackingLink[]> {
  return packingLinksFrom(db, orgId, lots, ['carries', 'unpacked'], to);
}

/**
 * Containers packed into (or taken out of) other containers before `to`: cases on pallets. (A
 * container emptied all at once is not looked for: an SSCC is not reused, so its contents before
 * the emptying are what it carried whenever it moved.)
 */
export async function containerPackingLinks(db: Db, orgId: string, containers: readonly string[], to: Date): Promise<PackingLink[]> {
  return packingLinksFrom(db, orgId, containers, ['packed', 'unpacked'], to);
}

/** Links of `links` kinds out of each of `sources` before `to`, one index probe per source. */
async function packingLinksFrom(db: Db, orgId: string, sources: readonly string[], links: readonly string[], to: Date): Promise<PackingLink[]> {
  if (sources.length === 0) return [];
  const r = await sql<LinkRow>`
    SELECT l.src, l.dst, l.link, l.qty, l.uom, (extract(epoch FROM l.event_time) * 1000)::float8 AS t_ms
    FROM unnest(${[...sources]}::text[]) AS x(id)
    CROSS JOIN LATERAL (
      SELECT src, dst, link, qty, uom, event_time FROM trace_links
      WHERE org_id = ${orgId} AND src = x.id AND link = ANY(${[...links]}::text[]) AND event_time < ${to.toISOString()}::timestamptz
      OFFSET 0
    ) l`.execute(db);
  return r.rows.map(toPackingLink);
}

/** Shipping and receiving of these containers in [from, to) (the `trace_moves_item` index). */
export async function containerMoves(db: Db, orgId: string, containers: readonly string[], from: Date, to: Date): Promise<CandidateMove[]> {
  if (containers.length === 0) return [];
  const r = await sql<{ seq: number; t_ms: number; item: string; kind: string; biz_step: string | null }>`
    SELECT m.seq, (extract(epoch FROM m.event_time) * 1000)::float8 AS t_ms, x.id AS item, m.kind, m.biz_step
    FROM unnest(${[...containers]}::text[]) AS x(id)
    CROSS JOIN LATERAL (
      SELECT seq, event_time, kind, biz_step FROM trace_moves
      WHERE org_id = ${orgId} AND item = x.id
        AND event_time >= ${from.toISOString()}::timestamptz AND event_time < ${to.toISOString()}::timestamptz
      OFFSET 0
    ) m
    WHERE m.kind IN ('shipped', 'received', 'returned') OR (m.kind = 'observed' AND m.biz_step ~* ${DECLARED_CTE_STEP})`.execute(db);
  return r.rows.map((x) => ({ seq: Number(x.seq), timeMs: Number(x.t_ms), item: x.item, kind: x.kind, bizStep: x.biz_step, ranges: [] }));
}

/** Which of these events are transformations (they produced something from a `tx:` node). */
export async function transformationsAmong(db: Db, orgId: string, seqs: readonly number[]): Promise<Set<number>> {
  if (seqs.length === 0) return new Set();
  const r = await sql<{ seq: number }>`
    SELECT x.seq FROM unnest(${[...seqs]}::bigint[]) AS x(seq)
    CROSS JOIN LATERAL (SELECT 1 FROM trace_links WHERE org_id = ${orgId} AND seq = x.seq AND link = 'produced' AND src LIKE 'tx:%' LIMIT 1) t`.execute(db);
  return new Set(r.rows.map((x) => Number(x.seq)));
}

/** The hash IDs and event IDs that error declarations retract. */
export async function retracted(db: Db, orgId: string): Promise<{ readonly hashIds: ReadonlySet<string>; readonly eventIds: ReadonlySet<string> }> {
  const r = await sql<{ hash_id: string; event_id: string | null }>`SELECT hash_id, event_id FROM trace_retractions WHERE org_id = ${orgId}`.execute(db);
  return { hashIds: new Set(r.rows.map((x) => x.hash_id)), eventIds: new Set(r.rows.flatMap((x) => (x.event_id ? [x.event_id] : []))) };
}

/**
 * The stored events of these ledger positions, in the order asked, without error declarations and
 * without the events they retract.
 */
export async function eventsAt(db: Db, orgId: string, seqs: readonly number[], gone: { readonly hashIds: ReadonlySet<string>; readonly eventIds: ReadonlySet<string> }): Promise<StoredEvent[]> {
  if (seqs.length === 0) return [];
  const rows = await db
    .selectFrom('epcis_events')
    .select(['seq', 'hash_id', 'event_id', 'doc'])
    .where('org_id', '=', orgId)
    .where('seq', 'in', [...seqs])
    .where('declares_error', '=', false)
    .execute();
  const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
  return seqs.flatMap((seq) => {
    const r = bySeq.get(seq);
    if (!r || gone.hashIds.has(r.hash_id) || (r.event_id !== null && gone.eventIds.has(r.event_id))) return [];
    return [{ seq, eventId: r.event_id ?? r.hash_id, doc: r.doc as unknown as EpcisEvent }];
  });
}

/**
 * Where each lot was first produced: its earliest `produced` movement (transformation output or
 * commissioning), one index probe per lot that stops at the first such row.
 */
export async function lotOrigins(db: Db, orgId: string, lots: readonly string[]): Promise<Map<string, LotOrigin | null>> {
  const out = new Map<string, LotOrigin | null>(lots.map((l) => [l, null]));
  if (lots.length === 0) return out;
  const r = await sql<{ item: string; seq: number; place: string | null }>`
    SELECT x.item, o.seq, o.place
    FROM unnest(${[...lots]}::text[]) AS x(item)
    CROSS JOIN LATERAL (
      SELECT seq, place FROM trace_moves
      WHERE org_id = ${orgId} AND item = x.item AND kind = 'produced'
      ORDER BY event_time, seq LIMIT 1
    ) o`.execute(db);
  for (const x of r.rows) out.set(x.item, { seq: Number(x.seq), place: x.place });
  return out;
}

/** The lots units were commissioned into (null where none was). */
export async function commissionedLots(db: Db, orgId: string, units: readonly { readonly id: string; readonly series: string; readonly n: number }[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(units.map((u) => [u.id, null]));
  if (units.length === 0) return out;
  const r = await sql<{ i: number; lot: string }>`
    SELECT x.i, u.lot
    FROM unnest(${units.map((u) => u.series)}::text[], ${units.map((u) => u.n)}::bigint[]) WITH ORDINALITY AS x(series, n, i)
    CROSS JOIN LATERAL (
      SELECT lot, hi FROM trace_units
      WHERE org_id = ${orgId} AND role = 'commissioned' AND series = x.series AND lo <= x.n
      ORDER BY lo DESC LIMIT 1
    ) u
    WHERE u.hi >= x.n`.execute(db);
  for (const x of r.rows) {
    const unit = units[Number(x.i) - 1];
    if (unit) out.set(unit.id, x.lot);
  }
  return out;
}

const GLN_ID = /^https:\/\/id\.gs1\.org\/(414|417)\/(\d{13})(?:\/254\/([^/?#]+))?$/;

/**
 * Location descriptions of places by canonical id: an SGLN is the location with that GLN and
 * extension (else the GLN's main location), a PGLN the party with that GLN (else its location), any
 * other id a location with that identifier. Null for places master data does not know.
 */
export async function placeDescriptions(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(ids.map((id) => [id, null]));
  if (ids.length === 0) return out;
  const parsed = ids.map((id) => {
    const m = GLN_ID.exec(id);
    return { id, kind: m?.[1] ?? null, gln: m?.[2] ?? null, ext: m?.[3] === undefined ? null : decodeURIComponent(m[3]) };
  });
  const glns = [...new Set(parsed.flatMap((p) => (p.gln ? [p.gln] : [])))];
  const others = parsed.filter((p) => p.gln === null).map((p) => p.id);
  const locations = await sql<{ location_id: string; gln: string | null; gln_extension: string | null; name_en: string; name_zh: string; address: string | null; city: string | null; region: string | null; country: string | null; party_en: string | null; party_zh: string | null; phone: string | null }>`
    SELECT l.location_id, l.gln, l.gln_extension, l.name_en, l.name_zh, l.address, l.city, l.region, l.country,
           p.name_en AS party_en, p.name_zh AS party_zh, p.phone
    FROM locations l LEFT JOIN parties p ON p.org_id = l.org_id AND p.party_id = l.party_id
    WHERE l.org_id = ${orgId} AND (l.gln = ANY(${glns}::text[]) OR l.location_id = ANY(${others}::text[]))`.execute(db);
  const parties = glns.length
    ? await sql<{ gln: string; name_en: string; name_zh: string; city: string | null; region: string | null; country: string | null; phone: string | null }>`
        SELECT gln, name_en, name_zh, city, region, country, phone FROM parties WHERE org_id = ${orgId} AND gln = ANY(${glns}::text[])`.execute(db)
    : { rows: [] };
  type Loc = (typeof locations.rows)[number];
  const locationFacts = (l: Loc): PlaceFacts => ({
    name: englishName(l.name_en, l.name_zh), business: englishName(l.party_en, l.party_zh), address: l.address, city: l.city, region: l.region, country: l.country, phone: l.phone,
  });
  const partyByGln = new Map(parties.rows.map((p) => [p.gln, p]));
  for (const p of parsed) {
    let facts: PlaceFacts | null = null;
    if (p.gln === null) {
      const l = locations.rows.find((x) => x.location_id === p.id);
      facts = l ? locationFacts(l) : null;
    } else {
      const sameGln = locations.rows.filter((x) => x.gln === p.gln);
      const location = sameGln.find((x) => (x.gln_extension ?? null) === p.ext) ?? sameGln.find((x) => x.gln_extension === null) ?? sameGln[0];
      const party = partyByGln.get(p.gln);
      if (p.kind === '417' && party) facts = { name: null, business: englishName(party.name_en, party.name_zh), address: null, city: party.city, region: party.region, country: party.country, phone: party.phone };
      else if (location) facts = locationFacts(location);
      else if (party) facts = { name: null, business: englishName(party.name_en, party.name_zh), address: null, city: party.city, region: party.region, country: party.country, phone: party.phone };
    }
    out.set(p.id, facts ? describePlace(facts) : null);
  }
  return out;
}

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

/** A movement row of the trace tables that may make its event a CTE, with its event's identity. */
export interface CandidateMove {
  readonly seq: number;
  readonly timeMs: number;
  readonly eventType: string;
  readonly hashId: string;
  readonly eventId: string | null;
  readonly item: string;
  readonly kind: string;
  readonly bizStep: string | null;
  readonly series: string | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** Business steps outside the CBV that name a CTE (the mapping decides; this only narrows the read). */
const DECLARED_CTE_STEP = '(harvest|cooling|initial.?packing|first.?land|landing)';

/**
 * Movements of the product's lots and units in [from, to) that can be CTEs: produced (transformation
 * outputs, commissioning), shipped, received, returned, or a step that names a CTE. Found through the
 * `trace_moves_gtin` index; sales and sensor readings are never read.
 */
export async function productMoves(db: Db, orgId: string, gtin: string, from: Date, to: Date): Promise<CandidateMove[]> {
  const r = await sql<{ seq: number; t_ms: number; event_type: string; hash_id: string; event_id: string | null; item: string; kind: string; biz_step: string | null; series: string | null; lo: number | null; hi: number | null }>`
    SELECT m.seq, (extract(epoch FROM m.event_time) * 1000)::float8 AS t_ms, e.event_type, e.hash_id, e.event_id,
           m.item, m.kind, m.biz_step, m.series, m.lo, m.hi
    FROM trace_moves m
    JOIN epcis_events e ON e.org_id = m.org_id AND e.seq = m.seq
    WHERE m.org_id = ${orgId} AND m.gtin = ${gtin}
      AND m.event_time >= ${from.toISOString()}::timestamptz AND m.event_time < ${to.toISOString()}::timestamptz
      AND (m.kind IN ('produced', 'shipped', 'received', 'returned') OR m.biz_step ~* ${DECLARED_CTE_STEP})`.execute(db);
  return r.rows.map((x) => ({
    seq: Number(x.seq), timeMs: Number(x.t_ms), eventType: x.event_type, hashId: x.hash_id, eventId: x.event_id, item: x.item, kind: x.kind, bizStep: x.biz_step,
    series: x.series, lo: x.lo === null ? null : Number(x.lo), hi: x.hi === null ? null : Number(x.hi),
  }));
}

/** The product's lots that moved in [since, to): the lots whose cases and pallets may move in the range. */
export async function productLots(db: Db, orgId: string, gtin: string, since: Date, to: Date): Promise<string[]> {
  const r = await sql<{ item: string }>`
    SELECT DISTINCT item FROM trace_moves
    WHERE org_id = ${orgId} AND gtin = ${gtin} AND item_kind = 'lot'
      AND event_time >= ${since.toISOString()}::timestamptz AND event_time < ${to.toISOString()}::timestamptz`.execute(db);
  return r.rows.map((x) => x.item);
}

type LinkRow = { src: string; dst: string; link: string; qty: number | null; uom: string | null; t_ms: number };
const toPackingLink = (x: LinkRow): PackingLink => ({ src: x.src, dst: x.dst, link: x.link as PackingLink['link'], qty: x.qty === null ? null : Number(x.qty), uom: x.uom, timeMs: Number(x.t_ms) });

/** Lots put into (carries) or taken out of containers before `to`. */
export async function lotPackingLinks(db: Db, orgId: string, lots: readonly string[], to: Date): Promise<PackingLink[]> {
  if (lots.length === 0) return [];
  const r = await sql<LinkRow>`
    SELECT src, dst, link, qty, uom, (extract(epoch FROM event_time) * 1000)::float8 AS t_ms
    FROM trace_links
    WHERE org_id = ${orgId} AND src = ANY(${[...lots]}::text[]) AND link IN ('carries', 'unpacked') AND event_time < ${to.toISOString()}::timestamptz`.execute(db);
  return r.rows.map(toPackingLink);
}

/** Containers packed into (or taken out of) other containers, and containers emptied, before `to`. */
export async function containerPackingLinks(db: Db, orgId: string, containers: readonly string[], to: Date): Promise<PackingLink[]> {
  if (containers.length === 0) return [];
  const ids = [...containers];
  const before = to.toISOString();
  const r = await sql<LinkRow>`
    SELECT src, dst, link, qty, uom, (extract(epoch FROM event_time) * 1000)::float8 AS t_ms
    FROM trace_links
    WHERE org_id = ${orgId} AND src = ANY(${ids}::text[]) AND link IN ('packed', 'unpacked') AND event_time < ${before}::timestamptz
    UNION ALL
    SELECT src, dst, link, qty, uom, (extract(epoch FROM event_time) * 1000)::float8 AS t_ms
    FROM trace_links
    WHERE org_id = ${orgId} AND dst = ANY(${ids}::text[]) AND src = '*' AND link = 'unpacked' AND event_time < ${before}::timestamptz`.execute(db);
  return r.rows.map(toPackingLink);
}

/** Shipping and receiving of these containers in [from, to). */
export async function containerMoves(db: Db, orgId: string, containers: readonly string[], from: Date, to: Date): Promise<CandidateMove[]> {
  if (containers.length === 0) return [];
  const r = await sql<{ seq: number; t_ms: number; event_type: string; hash_id: string; event_id: string | null; item: string; kind: string; biz_step: string | null }>`
    SELECT m.seq, (extract(epoch FROM m.event_time) * 1000)::float8 AS t_ms, e.event_type, e.hash_id, e.event_id, m.item, m.kind, m.biz_step
    FROM trace_moves m
    JOIN epcis_events e ON e.org_id = m.org_id AND e.seq = m.seq
    WHERE m.org_id = ${orgId} AND m.item = ANY(${[...containers]}::text[])
      AND m.event_time >= ${from.toISOString()}::timestamptz AND m.event_time < ${to.toISOString()}::timestamptz
      AND (m.kind IN ('shipped', 'received', 'returned') OR m.biz_step ~* ${DECLARED_CTE_STEP})`.execute(db);
  return r.rows.map((x) => ({ seq: Number(x.seq), timeMs: Number(x.t_ms), eventType: x.event_type, hashId: x.hash_id, eventId: x.event_id, item: x.item, kind: x.kind, bizStep: x.biz_step, series: null, lo: null, hi: null }));
}

/** The hash IDs and event IDs that error declarations retract. */
export async function retracted(db: Db, orgId: string): Promise<{ readonly hashIds: ReadonlySet<string>; readonly eventIds: ReadonlySet<string> }> {
  const r = await sql<{ hash_id: string; event_id: string | null }>`SELECT hash_id, event_id FROM trace_retractions WHERE org_id = ${orgId}`.execute(db);
  return { hashIds: new Set(r.rows.map((x) => x.hash_id)), eventIds: new Set(r.rows.flatMap((x) => (x.event_id ? [x.event_id] : []))) };
}

/** The stored events of these ledger positions (errors declarations left out), in the order asked. */
export async function eventsAt(db: Db, orgId: string, seqs: readonly number[]): Promise<StoredEvent[]> {
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
    return r ? [{ seq, eventId: r.event_id ?? r.hash_id, doc: r.doc as unknown as EpcisEvent }] : [];
  });
}

/** Where each lot was first produced: the earliest `produced` movement (transformation output or commissioning). */
export async function lotOrigins(db: Db, orgId: string, lots: readonly string[]): Promise<Map<string, LotOrigin | null>> {
  const out = new Map<string, LotOrigin | null>(lots.map((l) => [l, null]));
  if (lots.length === 0) return out;
  const r = await sql<{ item: string; seq: number; place: string | null }>`
    SELECT DISTINCT ON (item) item, seq, place FROM trace_moves
    WHERE org_id = ${orgId} AND item = ANY(${[...lots]}::text[]) AND kind = 'produced'
    ORDER BY item, event_time, seq`.execute(db);
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

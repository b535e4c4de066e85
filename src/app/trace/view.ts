/**
 * What the trace engine may see: every event up to a ledger seq ("as of" a record time), minus the
 * events error declarations had retracted by then. Also: resolving any code a user types or scans to
 * the node it names, and master-data names of places and products.
 */
import { type Kysely, sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { parseAnyCode, toCanonicalDigitalLink } from '../../core/gs1/any-code.ts';
import { toDomainError } from '../../core/gs1/gs1-error.ts';
import type { Schema } from '../../store/schema.ts';
import { type NodeClass, classifyNode, lotInLink, unitSeries } from './identifiers.ts';
import { indexLotOfUnit, indexNodesKnown } from './index/queries.ts';
import { refreshTraceIndex, traceIndexFor } from './index/registry.ts';
import type { TraceNode, TracePlace } from './types.ts';

type Db = Kysely<Schema>;

export interface TraceView {
  readonly orgId: string;
  /** Highest visible seq. */
  readonly maxSeq: number;
  /** Seqs of retracted events (sorted). */
  readonly retracted: readonly number[];
  readonly asOf: Date | null;
}

/** The view of `orgId` as of `asOf` (record time; null = now). */
export async function traceView(db: Db, orgId: string, asOf: Date | null): Promise<TraceView> {
  const head = await sql<{ seq: string }>`SELECT seq FROM ledger_heads WHERE org_id = ${orgId}`.execute(db);
  let maxSeq = Number(head.rows[0]?.seq ?? 0);
  // Bring the in-memory trace index up to the committed head (index/registry.ts) before answering.
  await refreshTraceIndex(db, orgId, maxSeq);
  if (asOf !== null) maxSeq = await lastSeqAt(db, orgId, asOf, maxSeq);
  const r = await sql<{ seq: string }>`
    SELECT e.seq FROM trace_retractions r
    JOIN epcis_events e ON e.org_id = r.org_id AND e.hash_id = r.hash_id AND NOT e.declares_error
    WHERE r.org_id = ${orgId} AND r.seq <= ${maxSeq}
    UNION
    SELECT e.seq FROM trace_retractions r
    JOIN epcis_events e ON e.org_id = r.org_id AND e.event_id = r.event_id AND NOT e.declares_error
    WHERE r.org_id = ${orgId} AND r.seq <= ${maxSeq} AND r.event_id IS NOT NULL`.execute(db);
  return { orgId, maxSeq, retracted: r.rows.map((x) => Number(x.seq)).sort((a, b) => a - b), asOf };
}

/** The last seq recorded at or before `time`: a binary search over the ledger (record time grows with seq). */
async function lastSeqAt(db: Db, orgId: string, time: Date, head: number): Promise<number> {
  let lo = 0;
  let hi = head;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const r = await sql<{ record_time: Date }>`SELECT record_time FROM epcis_events WHERE org_id = ${orgId} AND seq = ${mid}`.execute(db);
    const t = r.rows[0]?.record_time;
    if (t !== undefined && t.getTime() <= time.getTime()) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** SQL condition: row `alias` is visible in `view`. */
export function visible(view: TraceView, alias: string) {
  const seq = sql.ref(`${alias}.seq`);
  return view.retracted.length === 0 ? sql`${seq} <= ${view.maxSeq}` : sql`(${seq} <= ${view.maxSeq} AND NOT ${seq} = ANY(${view.retracted}::bigint[]))`;
}

/** The node a code names, with the lot of a unit when known. */
export interface ResolvedCode {
  readonly node: string;
  readonly cls: NodeClass;
  /** For a unit: its lot node (from the printed link or its commissioning), else null. */
  readonly unitLot: string | null;
}

/**
 * Resolve any code (Digital Link, element string, scan data, EPC URI, GTIN + lot, batch code of one of
 * the organisation's products, or a non-GS1 identifier already in the trace) to a trace node.
 */
export async function resolveCode(db: Db, view: TraceView, code: string): Promise<ResolvedCode> {
  const trimmed = code.trim();
  const parsed = parseAnyCode(trimmed);
  if (!parsed.ok) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && (await nodeExists(db, view, [trimmed])).length > 0) return { node: trimmed, cls: classifyNode(trimmed), unitLot: null };
    throw toDomainError(parsed.error, '/code');
  }
  const id = parsed.value;
  if (id.kind === 'batchCode') return resolveBatchCode(db, view, id.code);
  const canonical = toCanonicalDigitalLink(id, { qualifiers: 'epcis' });
  if (!canonical.ok) throw toDomainError(canonical.error, '/code');
  const cls = classifyNode(canonical.value);
  if (cls.kind === 'product') {
    throw new DomainError('QueryParameterException', 'a GTIN alone names a product, not a lot: add the batch/lot (AI 10) or the serial (AI 21)', [{ pointer: '/code', message: 'GTIN without lot or serial', rule: 'lotRequired' }]);
  }
  if (cls.kind === 'unit') {
    const printed = id.kind === 'gtin' && id.lot !== undefined ? lotInLink(`https://id.gs1.org/01/${id.gtin}/10/${encodeURIComponent(id.lot)}/21/x`) : null;
    return { node: cls.id, cls, unitLot: printed ?? (await lotOfUnit(db, view, cls.gtin, cls.serial)) };
  }
  return { node: cls.id, cls, unitLot: null };
}

/** The lot a unit was commissioned into, from the stored serial ranges. */
export async function lotOfUnit(db: Db, view: TraceView, gtin: string, serial: string): Promise<string | null> {
  const { series, n } = unitSeries(gtin, serial);
  const index = traceIndexFor(db, view);
  if (index) return indexLotOfUnit(index, view, series, n);
  const r = await sql<{ lot: string; hi: string }>`
    SELECT u.lot, u.hi FROM trace_units u
    WHERE u.org_id = ${view.orgId} AND u.role = 'commissioned' AND u.series = ${series} AND u.lo <= ${n} AND ${visible(view, 'u')}
    ORDER BY u.lo DESC LIMIT 8`.execute(db);
  return r.rows.find((row) => Number(row.hi) >= n)?.lot ?? null;
}

async function nodeExists(db: Db, view: TraceView, nodes: readonly string[]): Promise<string[]> {
  const index = traceIndexFor(db, view);
  if (index) return indexNodesKnown(index, view, nodes);
  const r = await sql<{ node: string }>`
    SELECT l.dst AS node FROM unnest(${nodes}::text[]) AS n(node) JOIN trace_links l ON l.org_id = ${view.orgId} AND l.dst = n.node WHERE ${visible(view, 'l')}
    UNION SELECT l.src FROM unnest(${nodes}::text[]) AS n(node) JOIN trace_links l ON l.org_id = ${view.orgId} AND l.src = n.node WHERE ${visible(view, 'l')}
    UNION SELECT m.item FROM unnest(${nodes}::text[]) AS n(node) JOIN trace_moves m ON m.org_id = ${view.orgId} AND m.item = n.node WHERE ${visible(view, 'm')}`.execute(db);
  return r.rows.map((x) => x.node);
}

async function resolveBatchCode(db: Db, view: TraceView, code: string): Promise<ResolvedCode> {
  const products = await sql<{ gtin: string }>`SELECT gtin FROM products WHERE org_id = ${view.orgId} AND gtin IS NOT NULL`.execute(db);
  const candidates = products.rows.map((p) => classifyNode(`https://id.gs1.org/01/${p.gtin.padStart(14, '0')}/10/${encodeURIComponent(code)}`).id);
  const found = candidates.length === 0 ? [] : await nodeExists(db, view, candidates);
  if (found.length === 0) {
    throw new DomainError('NoSuchResourceException', `no lot "${code}" of any of the organisation's products is in the trace`, [{ pointer: '/code', message: 'unknown batch code', rule: 'unknownLot' }]);
  }
  if (found.length > 1) {
    throw new DomainError('QueryParameterException', `batch code "${code}" is used by ${found.length} products; scan the pack or give the GTIN with the lot`, found.map((f) => ({ pointer: '/code', message: f, rule: 'ambiguousLot' })));
  }
  const node = found[0] as string;
  return { node, cls: classifyNode(node), unitLot: null };
}

/** Master-data names of places given as node ids (SGLN Digital Links, GLNs or location ids). */
export async function placesOf(db: Db, orgId: string, ids: Iterable<string>): Promise<Map<string, TracePlace>> {
  const wanted = [...new Set([...ids].filter((x) => x))];
  const out = new Map<string, TracePlace>();
  if (wanted.length === 0) return out;
  const glnOf = (id: string): { gln: string; ext: string | null } | null => {
    const m = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})(?:\/254\/([^/?#]+))?$/.exec(id);
    return m ? { gln: m[1] as string, ext: m[2] ?? null } : null;
  };
  const glns = wanted.map(glnOf).filter((x) => x !== null).map((x) => x.gln);
  const r = await sql<{ location_id: string; name_zh: string; name_en: string; type: string; city: string | null; region: string | null; gln: string | null; gln_extension: string | null }>`
    SELECT location_id, name_zh, name_en, type, city, region, gln, gln_extension FROM locations
    WHERE org_id = ${orgId} AND (location_id = ANY(${wanted}::text[]) OR gln = ANY(${glns}::text[]))`.execute(db);
  // Parties (suppliers, carriers) are named by their party GLN (…/417/…).
  const partyGlns = wanted.map((id) => /^https:\/\/id\.gs1\.org\/417\/(\d{13})$/.exec(id)?.[1]).filter((x): x is string => x !== undefined);
  const parties = partyGlns.length === 0 ? [] : (await sql<{ gln: string; name_zh: string; name_en: string; kind: string; city: string | null; region: string | null }>`
    SELECT gln, name_zh, name_en, kind, city, region FROM parties WHERE org_id = ${orgId} AND gln = ANY(${partyGlns}::text[])`.execute(db)).rows;
  for (const id of wanted) {
    const party = parties.find((p) => id === `https://id.gs1.org/417/${p.gln}`);
    if (party) {
      out.set(id, { id, name: `${party.name_zh} / ${party.name_en}`, type: party.kind, city: party.city, region: party.region });
      continue;
    }
    const g = glnOf(id);
    const row =
      r.rows.find((l) => l.location_id === id) ??
      (g ? (r.rows.find((l) => l.gln === g.gln && (l.gln_extension ?? '0') === (g.ext ?? '0')) ?? (g.ext === null ? undefined : r.rows.find((l) => l.gln === g.gln && l.gln_extension === null))) : undefined);
    out.set(id, row ? { id, name: `${row.name_zh} / ${row.name_en}`, type: row.type, city: row.city, region: row.region } : { id, name: null, type: null, city: null, region: null });
  }
  return out;
}

/** Master-data names of products by GTIN-14. */
export async function productNames(db: Db, orgId: string, gtins: Iterable<string>): Promise<Map<string, NonNullable<TraceNode['productName']>>> {
  const wanted = [...new Set(gtins)];
  const out = new Map<string, NonNullable<TraceNode['productName']>>();
  if (wanted.length === 0) return out;
  const forms = wanted.flatMap((g) => [g, g.replace(/^0+/, '')]);
  const r = await sql<{ gtin: string; name_zh: string; name_en: string }>`SELECT gtin, name_zh, name_en FROM products WHERE org_id = ${orgId} AND gtin = ANY(${forms}::text[])`.execute(db);
  for (const row of r.rows) out.set(row.gtin.padStart(14, '0'), { zh: row.name_zh, en: row.name_en });
  return out;
}

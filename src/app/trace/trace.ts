/**
 * `GET /api/trace` and `lotline trace`: from any code, the upstream (raw lots, suppliers, production
 * context, environment) and downstream (containers, shipments, places with quantities) of what it names.
 */
import { type Kysely, sql } from 'kysely';
import { contextPrefixes, expandVocabularyValue } from '../../core/epcis/cbv.ts';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { cbvWord, extensionFields, localName, namedValues } from './derive.ts';
import { type NodeClass, nodeId as canonicalPlace, unitSeries } from './identifiers.ts';
import type { BatchInfo, LocationQuantities, QcRecord, RawLotInfo, SensorReading, ShipmentInfo, TraceDirection, TraceNode, TracePlace, TraceReport, TraceStep } from './types.ts';
import { type MoveRow, type MoveRowN, type ReadingRowN, indexLinksOfKind, indexLotArrivals, indexLotTotals, indexMoveRows, indexNodesKnown, indexReadings, indexUnitPackings } from './index/queries.ts';
import { traceIndexFor } from './index/registry.ts';
import { type TraceView, type ResolvedCode, placesOf, productNames, resolveCode, traceView, visible } from './view.ts';
import { ALL_TIME, type Reached, type WalkResult, type WalkSeed, type Window, eventIdsOf, walk } from './walk.ts';

type Db = Kysely<Schema>;

export interface TraceQuery {
  readonly code: string;
  readonly direction: TraceDirection;
  /** Reproduce what was known at this record time. */
  readonly asOf?: Date | null;
}

/** Trace a code: one structured report. */
export async function traceCode(ctx: AppContext, orgId: string, q: TraceQuery): Promise<TraceReport> {
  const started = performance.now();
  const db = ctx.database.db;
  const view = await traceView(db, orgId, q.asOf ?? null);
  const origin = await resolveCode(db, view, q.code);
  const graph = await traceGraph(db, view, origin, q.direction);
  const report = await buildReport(db, view, origin, graph, q.direction);
  if (report.nodes.length <= 1 && report.locations.length === 0 && report.shipments.length === 0 && !(await isKnown(db, view, origin))) {
    throw new DomainError('NoSuchResourceException', `${q.code} is not in the trace: no captured event names it`, [{ pointer: '/code', message: origin.node, rule: 'unknownCode' }]);
  }
  return { ...report, truncated: graph.truncated === true, query: { code: q.code, node: origin.node, kind: origin.cls.kind, direction: q.direction, asOf: view.asOf?.toISOString() ?? null }, tookMs: round(performance.now() - started) };
}

/** Whether any derived row names the node (a unit: its lot is known, or it has rows of its own). */
async function isKnown(db: Db, view: TraceView, origin: ResolvedCode): Promise<boolean> {
  if (origin.unitLot !== null) return true;
  const index = traceIndexFor(db, view);
  if (index) return indexNodesKnown(index, view, [origin.node]).length > 0;
  const r = await sql<{ one: number }>`
    SELECT 1 AS one FROM trace_moves m WHERE m.org_id = ${view.orgId} AND m.item = ${origin.node} AND ${visible(view, 'm')}
    UNION ALL SELECT 1 FROM trace_links l WHERE l.org_id = ${view.orgId} AND (l.src = ${origin.node} OR l.dst = ${origin.node}) AND ${visible(view, 'l')}
    LIMIT 1`.execute(db);
  return r.rows.length > 0;
}

/** Walk the graph from a resolved code in the asked direction(s). */
export async function traceGraph(db: Db, view: TraceView, origin: ResolvedCode, direction: TraceDirection): Promise<WalkResult> {
  const result: WalkResult = { reached: new Map(), edges: [] };
  const originSeed: WalkSeed = { node: origin.node, window: ALL_TIME, via: null };
  if (direction !== 'upstream') {
    const seeds = [originSeed, ...(origin.cls.kind === 'unit' ? await unitContainers(db, view, origin.cls, origin.unitLot) : [])];
    await walk(db, view, seeds, 'downstream', result);
  }
  if (direction !== 'downstream') {
    const seeds = [originSeed];
    if (origin.cls.kind === 'unit' && origin.unitLot !== null) seeds.push({ node: origin.unitLot, window: ALL_TIME, via: { node: origin.unitLot, eventId: null, link: 'member' } });
    await walk(db, view, seeds, 'upstream', result);
  }
  return result;
}

/** The containers a unit was packed into (from the serial ranges), each with the time it was inside. */
async function unitContainers(db: Db, view: TraceView, unit: Extract<NodeClass, { kind: 'unit' }>, lot: string | null): Promise<WalkSeed[]> {
  const { series, n } = unitSeries(unit.gtin, unit.serial);
  const index = traceIndexFor(db, view);
  if (index) {
    const { packings, emptied } = indexUnitPackings(index, view, series, n, lot);
    return containerSeeds(packings, emptied);
  }
  const byLot = lot === null ? sql`u.lot IS NULL AND u.series = ${series}` : sql`u.lot = ${lot}`;
  const r = await sql<{ role: string; target: string; t: Date; seq: string }>`
    SELECT u.role, u.target, u.event_time AS t, u.seq FROM trace_units u
    WHERE u.org_id = ${view.orgId} AND ${byLot} AND u.series = ${series} AND u.lo <= ${n} AND u.hi >= ${n}
      AND u.role IN ('packed', 'unpacked') AND ${visible(view, 'u')}
    ORDER BY u.event_time`.execute(db);
  const targets = [...new Set(r.rows.map((x) => x.target))];
  const all = targets.length === 0 ? [] : (await sql<{ dst: string; t: Date }>`
    SELECT l.dst, l.event_time AS t FROM trace_links l
    WHERE l.org_id = ${view.orgId} AND l.dst = ANY(${targets}::text[]) AND l.src = '*' AND l.link = 'unpacked' AND ${visible(view, 'l')}`.execute(db)).rows;
  return containerSeeds(
    r.rows.map((x) => ({ role: x.role, target: x.target, t: x.t.getTime(), seq: Number(x.seq) })),
    all.map((x) => ({ dst: x.dst, t: x.t.getTime() })),
  );
}

/** Each packing of the unit, open until its unpacking or its container's emptying. */
function containerSeeds(packings: readonly { role: string; target: string; t: number; seq: number }[], emptied: readonly { dst: string; t: number }[]): WalkSeed[] {
  const seeds: WalkSeed[] = [];
  for (const p of packings) {
    if (p.role !== 'packed') continue;
    const from = p.t;
    const ends = [...packings.filter((x) => x.role === 'unpacked' && x.target === p.target), ...emptied.filter((x) => x.dst === p.target)].map((x) => x.t).filter((t) => t >= from);
    const window: Window = { lo: from, hi: ends.length ? Math.min(...ends) : Infinity };
    seeds.push({ node: p.target, window, via: { node: p.target, eventId: String(p.seq), link: 'packed' } });
  }
  return seeds;
}

async function buildReport(db: Db, view: TraceView, origin: ResolvedCode, graph: WalkResult, direction: TraceDirection): Promise<Omit<TraceReport, 'query' | 'tookMs' | 'truncated'>> {
  const reached = [...graph.reached.values()];
  const lots = reached.filter((r) => r.cls.kind === 'lot');
  const producedBy = new Map<string, number>();
  const makingOf = new Map<string, string>();
  for (const e of graph.edges) {
    if (e.link !== 'produced') continue;
    producedBy.set(e.to, e.seq);
    makingOf.set(e.to, e.from);
  }
  // Lots whose making we may not have walked (a downstream-only trace): ask which have a transformation.
  const unknownMaking = lots.filter((l) => !producedBy.has(l.node)).map((l) => l.node);
  const index = traceIndexFor(db, view);
  if (unknownMaking.length > 0 && index) {
    for (const row of indexLinksOfKind(index, view, unknownMaking, 'in', 'produced')) {
      producedBy.set(row.dst, row.seq);
      makingOf.set(row.dst, row.src);
    }
  } else if (unknownMaking.length > 0) {
    const r = await sql<{ dst: string; src: string; seq: string }>`
      SELECT l.dst, l.src, l.seq FROM unnest(${unknownMaking}::text[]) AS n(node) JOIN trace_links l ON l.org_id = ${view.orgId} AND l.dst = n.node WHERE l.link = 'produced' AND ${visible(view, 'l')}`.execute(db);
    for (const row of r.rows) {
      producedBy.set(row.dst, Number(row.seq));
      makingOf.set(row.dst, row.src);
    }
  }
  const rawLotNodes = lots.filter((l) => !producedBy.has(l.node) && (l.direction !== 'downstream')).map((l) => l.node);
  const batchLots = lots.filter((l) => producedBy.has(l.node)).map((l) => l.node);

  let located = direction === 'upstream' ? reached.filter((r) => r.direction === 'origin') : reached.filter((r) => r.direction !== 'upstream');
  let movesGraph = graph;
  if (direction === 'upstream' && origin.cls.kind === 'unit') {
    // Where the box itself went travels with its cases and pallets, which lie downstream: walk them too,
    // or the places would show its sale without its receipt.
    movesGraph = await traceGraph(db, view, origin, 'downstream');
    located = [...movesGraph.reached.values()].filter((r) => r.direction === 'origin' || r.cls.kind === 'container');
  }
  const movement = await movementsOf(db, view, origin, located, movesGraph);

  const gtins = new Set<string>();
  for (const r of reached) if ('gtin' in r.cls && r.cls.gtin) gtins.add(r.cls.gtin);
  const [names, rawLots, batches] = await Promise.all([
    productNames(db, view.orgId, gtins),
    rawLotInfo(db, view, rawLotNodes),
    batchInfo(db, view, batchLots.map((l) => ({ lot: l, seq: producedBy.get(l) as number, tx: makingOf.get(l) as string, environment: graph.reached.get(l)?.direction !== 'downstream' }))),
  ]);
  const places = await placesOf(db, view.orgId, [...movement.placeIds, ...rawLots.flatMap((l) => l.placeIds), ...batches.flatMap((b) => b.placeIds)]);
  const pathEvents = await eventIdsOf(db, view.orgId, [...new Set(reached.flatMap((r) => r.path.map((s) => (s.eventId === null ? -1 : Number(s.eventId)))).filter((s) => s >= 0))]);

  const nodes: TraceNode[] = reached
    .sort((a, b) => a.depth - b.depth || a.node.localeCompare(b.node))
    .map((r) => toTraceNode(r, names, pathEvents));
  const productOf = (gtin: string | null) => (gtin ? (names.get(gtin) ?? null) : null);
  return {
    nodes,
    // Lists in a fixed order (by lot, input node): the same answer whichever path read the rows.
    rawLots: [...rawLots].sort((a, b) => a.info.lot.localeCompare(b.info.lot)).map((l) => ({ ...l.info, productName: productOf(l.info.gtin), supplier: l.supplierId ? (places.get(l.supplierId) ?? null) : null })),
    batches: [...batches].sort((a, b) => a.info.lot.localeCompare(b.info.lot)).map((b) => ({ ...b.info, productName: productOf(b.info.gtin), line: b.lineId ? (places.get(b.lineId) ?? null) : null, plant: b.plantId ? (places.get(b.plantId) ?? null) : null })),
    shipments: movement.shipments.map((s) => ({ ...s, from: placeOrNull(places, s.fromId), to: placeOrNull(places, s.toId) })).map(({ fromId: _f, toId: _t, ...s }) => s),
    locations: movement.locations.map((l) => ({ ...l, place: places.get(l.placeId) ?? { id: l.placeId, name: null, type: null, city: null, region: null } })).map(({ placeId: _p, ...l }) => l),
  };
}

const placeOrNull = (places: Map<string, TracePlace>, id: string | null): TracePlace | null => (id === null ? null : (places.get(id) ?? { id, name: null, type: null, city: null, region: null }));

function toTraceNode(r: Reached, names: Map<string, NonNullable<TraceNode['productName']>>, events: Map<number, string>): TraceNode {
  const c = r.cls;
  const gtin = c.kind === 'unit' || c.kind === 'product' ? c.gtin : c.kind === 'lot' ? c.gtin : null;
  return {
    id: r.node,
    kind: c.kind,
    gtin,
    lot: c.kind === 'lot' ? c.lot : null,
    serial: c.kind === 'unit' ? c.serial : null,
    productName: gtin ? (names.get(gtin) ?? null) : null,
    direction: r.direction,
    depth: r.depth,
    path: r.path.map((s): TraceStep => ({ ...s, eventId: s.eventId === null ? null : (events.get(Number(s.eventId)) ?? s.eventId) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Movements: quantities per place, and shipments
// ---------------------------------------------------------------------------------------------


/** Quantities at a place, named by its id (names are looked up once for the whole answer). */
export type Quantities = Omit<LocationQuantities, 'place'> & { placeId: string };
type Shipment = Omit<ShipmentInfo, 'from' | 'to'> & { fromId: string | null; toId: string | null };

/**
 * Quantities per place of the traced goods: lots count all their movements; a unit counts only its
 * own; a container counts the traced units inside it (while they were inside), once per event.
 */
export async function movementsOf(db: Db, view: TraceView, origin: ResolvedCode, located: readonly Reached[], graph: WalkResult): Promise<{ locations: Quantities[]; shipments: Shipment[]; placeIds: string[] }> {
  const lotNodes = located.filter((r) => r.cls.kind === 'lot').map((r) => r.node);
  const containers = located.filter((r) => r.cls.kind === 'container' || (r.cls.kind === 'unit' && r.direction !== 'origin'));
  const unit = origin.cls.kind === 'unit' ? origin.cls : null;
  const items = [...lotNodes, ...containers.map((c) => c.node), ...(unit ? [unit.id, ...(origin.unitLot ? [origin.unitLot] : [])] : [])];
  if (items.length === 0) return { locations: [], shipments: [], placeIds: [] };

  // Lots (not the origin unit's lot): totals per place and kind, summed in SQL (or from the index).
  const wholeLots = lotNodes.filter((l) => !(unit && l === origin.unitLot));
  const others = [...containers.map((c) => c.node), ...(unit ? [unit.id] : [])];
  const index = traceIndexFor(db, view);
  const read = index
    ? {
        totals: wholeLots.length === 0 ? [] : indexLotTotals(index, view, wholeLots),
        rows: indexMoveRows(index, view, others, wholeLots, unit && origin.unitLot ? { lot: origin.unitLot, series: unitSeries(unit.gtin, unit.serial).series, n: unit.n } : null),
      }
    : await sqlMoves(db, view, origin, wholeLots, others);
  const { totals, rows } = read;
  const counted = await countMovements(db, view, origin, containers, graph, totals, rows);
  if (unit && origin.unitLot && !counted.locations.some((l) => l.produced > 0)) await unitMadeWithItsLot(db, view, origin.unitLot, counted);
  return counted;
}

/**
 * A unit whose lot was made as a quantity (a transformation output, no serials of its own) was made
 * where its lot was: count it as produced there, or its first shipment would leave it below zero.
 */
async function unitMadeWithItsLot(db: Db, view: TraceView, lot: string, counted: { locations: Quantities[]; placeIds: string[] }): Promise<void> {
  const index = traceIndexFor(db, view);
  const lotTotals: { place: string | null; kind: string; qty: number | null }[] = index
    ? indexLotTotals(index, view, [lot])
    : (
        await sql<{ place: string | null; kind: string; qty: number | null }>`
          SELECT m.place, m.kind, sum(m.qty)::float8 AS qty FROM trace_moves m
          WHERE m.org_id = ${view.orgId} AND m.item = ${lot} AND m.kind = 'produced' AND ${visible(view, 'm')} GROUP BY m.place, m.kind`.execute(db)
      ).rows;
  const made = lotTotals.filter((t) => t.kind === 'produced' && t.place !== null).sort((a, b) => (b.qty ?? 0) - (a.qty ?? 0))[0];
  if (!made?.place) return;
  const place = made.place;
  let row = counted.locations.find((l) => l.placeId === place && l.uom === null);
  if (!row) {
    row = { placeId: place, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0, produced: 0, uom: null };
    counted.locations.push(row);
    counted.locations.sort((a, b) => a.placeId.localeCompare(b.placeId) || (a.uom ?? '').localeCompare(b.uom ?? ''));
    counted.placeIds.push(place);
  }
  (row as { produced: number }).produced += 1;
  (row as { onHand: number }).onHand = round(row.onHand + 1);
}

type Total = { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null };

/** The SQL reads of `movementsOf`: lot totals per place and kind, and the rows counted one by one. */
async function sqlMoves(db: Db, view: TraceView, origin: ResolvedCode, wholeLots: readonly string[], others: readonly string[]): Promise<{ totals: Total[]; rows: MoveRowN[] }> {
  const unit = origin.cls.kind === 'unit' ? origin.cls : null;
  const totals = wholeLots.length === 0 ? [] : (await sql<{ place: string | null; kind: string; uom: string | null; units: boolean; qty: number }>`
    SELECT m.place, m.kind, m.uom, m.series IS NOT NULL AS units, sum(m.qty)::float8 AS qty
    FROM unnest(${wholeLots}::text[]) AS i(item) JOIN trace_moves m ON m.org_id = ${view.orgId} AND m.item = i.item
    WHERE ${visible(view, 'm')}
    GROUP BY m.place, m.kind, m.uom, m.series IS NOT NULL`.execute(db)).rows;

  // Containers, the origin unit's own rows: one by one (windows and nesting matter).
  const rows = (await sql<MoveRow>`
    SELECT m.seq, m.item, m.item_kind, m.series, m.lo, m.hi, m.kind, m.qty, m.uom, m.place, m.source, m.destination, m.vehicle, m.event_time AS t
    FROM unnest(${others}::text[]) AS i(item) JOIN trace_moves m ON m.org_id = ${view.orgId} AND m.item = i.item
    WHERE ${visible(view, 'm')}
    UNION ALL
    SELECT m.seq, m.item, m.item_kind, m.series, m.lo, m.hi, m.kind, m.qty, m.uom, m.place, m.source, m.destination, m.vehicle, m.event_time AS t
    FROM unnest(${wholeLots}::text[]) AS i(item) JOIN trace_moves m ON m.org_id = ${view.orgId} AND m.item = i.item
    WHERE m.kind IN ('shipped', 'received') AND ${visible(view, 'm')}
    ${unit && origin.unitLot ? sql`UNION ALL SELECT m.seq, m.item, m.item_kind, m.series, m.lo, m.hi, m.kind, m.qty, m.uom, m.place, m.source, m.destination, m.vehicle, m.event_time FROM trace_moves m
      WHERE m.org_id = ${view.orgId} AND m.item = ${origin.unitLot} AND m.series = ${unitSeries(unit.gtin, unit.serial).series} AND m.lo <= ${unit.n} AND m.hi >= ${unit.n} AND ${visible(view, 'm')}` : sql``}
    ORDER BY t`.execute(db)).rows;
  return {
    totals,
    rows: rows.map((m) => ({ ...m, seq: Number(m.seq), lo: m.lo === null ? null : Number(m.lo), hi: m.hi === null ? null : Number(m.hi), t: m.t.getTime() })),
  };
}

/** Count the movements read by `movementsOf` into quantities per place and shipments. */
async function countMovements(db: Db, view: TraceView, origin: ResolvedCode, containers: readonly Reached[], graph: WalkResult, totals: readonly Total[], rows: readonly MoveRowN[]): Promise<{ locations: Quantities[]; shipments: Shipment[]; placeIds: string[] }> {
  const unit = origin.cls.kind === 'unit' ? origin.cls : null;
  const carried = carriedUnits(graph, containers, unit !== null);
  const windows = new Map(containers.map((c) => [c.node, c.windows]));
  const parentOf = new Map<string, Set<string>>();
  for (const e of graph.edges) if (e.link === 'packed') (parentOf.get(e.from) ?? parentOf.set(e.from, new Set()).get(e.from))?.add(e.to);

  const byPlace = new Map<string, Quantities>();
  const at = (placeId: string, uom: string | null): Quantities => {
    const key = `${placeId}\u0000${uom ?? ''}`;
    let q = byPlace.get(key);
    if (!q) byPlace.set(key, (q = { placeId, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0, produced: 0, uom }));
    return q;
  };
  const add = (placeId: string | null, kind: string, uom: string | null, qty: number) => {
    if (placeId === null || kind === 'observed') return;
    const q = at(placeId, uom) as unknown as Record<string, number>;
    if (typeof q[kind] === 'number') q[kind] = (q[kind] ?? 0) + qty;
  };
  // Produced: a batch's transformation output and its commissioned units describe the same goods.
  const produced = new Map<string, number>();
  for (const t of totals) {
    if (t.kind === 'produced') {
      const key = `${t.place ?? ''}\u0000${t.uom ?? ''}`;
      produced.set(key, Math.max(produced.get(key) ?? 0, t.qty ?? 0));
    } else add(t.place, t.kind, t.uom, t.qty ?? 0);
  }
  for (const [key, qty] of produced) {
    const [place, uom] = key.split('\u0000') as [string, string];
    if (place) add(place, 'produced', uom === '' ? null : uom, qty);
  }

  // Per event: count a container's units once, and not again for a container inside another one listed.
  const bySeq = new Map<number, MoveRowN[]>();
  for (const m of rows) (bySeq.get(m.seq) ?? bySeq.set(m.seq, []).get(m.seq))?.push(m);
  const shipments: Shipment[] = [];
  for (const [seq, group] of bySeq) {
    const t = group[0]?.t ?? 0;
    const inWindow = (m: MoveRowN) => m.item_kind === 'lot' || m.item === unit?.id || (windows.get(m.item) ?? []).some((w) => t >= w.lo && t < w.hi);
    const counted = group.filter(inWindow);
    if (counted.length === 0) continue;
    const listed = new Set(counted.map((m) => m.item));
    let units = 0;
    for (const m of counted) {
      const nested = [...(parentOf.get(m.item) ?? [])].some((p) => listed.has(p));
      if (nested) continue;
      const n = m.item_kind === 'lot' ? (m.item === origin.unitLot && unit ? 1 : (m.qty ?? 0)) : m.item === unit?.id ? 1 : (carried.get(m.item) ?? null);
      if (n === null) continue;
      units += n;
      // Lots' own totals were summed in SQL; containers and the origin unit are counted here.
      if (m.item_kind !== 'lot' || (unit && m.item === origin.unitLot)) add(m.place, m.kind, m.item_kind === 'lot' ? m.uom : null, n);
    }
    const first = counted[0] as MoveRowN;
    if (first.kind === 'shipped') {
      shipments.push({ eventId: String(seq), time: new Date(first.t).toISOString(), fromId: first.place, toId: first.destination, vehicle: first.vehicle, items: [...listed].sort(), units, receivedAt: null, temperature: [] });
    }
  }
  // A shipment is received when one of its items is next received at its destination.
  const receipts = new Map<string, MoveRowN[]>();
  for (const m of rows) if (m.kind === 'received') (receipts.get(m.item) ?? receipts.set(m.item, []).get(m.item))?.push(m);
  for (const s of shipments) {
    const t = Date.parse(s.time);
    let first: number | null = null;
    for (const item of s.items) {
      // rows are in time order, so the first match per item is its earliest receipt.
      const got = receipts.get(item)?.find((m) => m.t >= t && (s.toId === null || m.place === s.toId));
      if (got && (first === null || got.t < first)) first = got.t;
    }
    (s as { receivedAt: string | null }).receivedAt = first === null ? null : new Date(first).toISOString();
  }
  // Shipments in time order, the same instant by ledger seq (eventId still holds the seq here).
  shipments.sort((a, b) => a.time.localeCompare(b.time) || Number(a.eventId) - Number(b.eventId));
  await transitReadings(db, view, shipments);
  const ids = await eventIdsOf(db, view.orgId, shipments.map((s) => Number(s.eventId)));
  for (const s of shipments) (s as { eventId: string }).eventId = ids.get(Number(s.eventId)) ?? s.eventId;

  const locations = [...byPlace.values()].map((q) => ({ ...q, onHand: round(q.received + q.produced - q.shipped - q.sold - q.returned - q.destroyed - q.disposed - q.wasted) }));
  locations.sort((a, b) => a.placeId.localeCompare(b.placeId) || (a.uom ?? '').localeCompare(b.uom ?? ''));
  const placeIds = [...locations.map((l) => l.placeId), ...shipments.flatMap((s) => [s.fromId, s.toId].filter((x): x is string => x !== null))];
  return { locations, shipments, placeIds };
}

/** Traced units inside each reached container: lot → container links, summed up through nesting. */
function carriedUnits(graph: WalkResult, containers: readonly Reached[], fromUnit: boolean): Map<string, number> {
  const direct = new Map<string, number>();
  const children = new Map<string, Set<string>>();
  const reached = new Set(containers.map((c) => c.node));
  for (const e of graph.edges) {
    if (!reached.has(e.to)) continue;
    if (e.link === 'carries') direct.set(e.to, (direct.get(e.to) ?? 0) + (e.qty ?? 0));
    if (e.link === 'packed') (children.get(e.to) ?? children.set(e.to, new Set()).get(e.to))?.add(e.from);
  }
  const memo = new Map<string, number>();
  const total = (node: string, stack: Set<string>): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (stack.has(node)) return 0;
    stack.add(node);
    let n = direct.get(node) ?? 0;
    const kids = children.get(node) ?? new Set<string>();
    // Traced from one unit: a container with nothing else known inside holds that unit (its packing
    // comes from the serial ranges, not from a graph edge), also when it is inside a pallet.
    if (fromUnit && n === 0 && kids.size === 0) n = 1;
    for (const child of kids) n += reached.has(child) ? total(child, stack) : child.startsWith('https://id.gs1.org/01/') ? 1 : 0;
    stack.delete(node);
    memo.set(node, n);
    return n;
  };
  const out = new Map<string, number>();
  for (const c of containers) out.set(c.node, total(c.node, new Set()));
  return out;
}

/** Vehicle readings between shipping and receipt (or 24 hours). */
async function transitReadings(db: Db, view: TraceView, shipments: Shipment[]): Promise<void> {
  const asked = shipments.filter((s) => s.vehicle !== null);
  if (asked.length === 0) return;
  const from = asked.map((s) => s.time);
  const to = asked.map((s) => s.receivedAt ?? new Date(Date.parse(s.time) + 86_400_000).toISOString());
  const index = traceIndexFor(db, view);
  if (index) {
    const rows = indexReadings(index, view, asked.map((s, k) => ({ place: s.vehicle as string, t0: Date.parse(from[k] as string), t1: Date.parse(to[k] as string) })), false);
    for (const row of rows) (asked[row.i - 1]?.temperature as SensorReading[]).push(reading(row));
    for (const s of asked) (s.temperature as SensorReading[]).sort(byReading);
    return;
  }
  const r = await sql<ReadingRow & { i: string }>`
    SELECT x.i, r.time, r.type, r.value, r.min_value, r.max_value, r.uom, r.exception, r.device, r.place
    FROM unnest(${asked.map((s) => s.vehicle)}::text[], ${from}::timestamptz[], ${to}::timestamptz[]) WITH ORDINALITY AS x(place, t0, t1, i)
    CROSS JOIN LATERAL (
      SELECT * FROM trace_readings r WHERE r.org_id = ${view.orgId} AND r.place = x.place AND r.time >= x.t0 AND r.time <= x.t1 AND ${visible(view, 'r')}
    ) r
    ORDER BY r.time`.execute(db);
  for (const row of r.rows) (asked[Number(row.i) - 1]?.temperature as SensorReading[]).push(reading(row));
  for (const s of asked) (s.temperature as SensorReading[]).sort(byReading);
}

/** Readings in time order, ties in a fixed order (type, device, place, value): the same whichever path read them. */
function byReading(a: SensorReading, b: SensorReading): number {
  return a.time.localeCompare(b.time) || a.type.localeCompare(b.type) || (a.deviceId ?? '').localeCompare(b.deviceId ?? '') || (a.place ?? '').localeCompare(b.place ?? '') || (a.value ?? 0) - (b.value ?? 0);
}

type ReadingRow = Omit<ReadingRowN, 'seq' | 'ord'>;

const reading = (r: ReadingRow): SensorReading => ({
  time: r.time.toISOString(),
  type: r.type,
  value: r.value,
  minValue: r.min_value,
  maxValue: r.max_value,
  uom: r.uom,
  exception: r.exception,
  deviceId: r.device,
  place: r.place,
});

// ---------------------------------------------------------------------------------------------
// Raw lots and batches
// ---------------------------------------------------------------------------------------------

const STANDARD = contextPrefixes(null);
const QC_KEYS = [
  `bs|${expandVocabularyValue('bizStep', 'inspecting', STANDARD)}`,
  `bs|${expandVocabularyValue('bizStep', 'sampling', STANDARD)}`,
  `d|${expandVocabularyValue('disposition', 'conformant', STANDARD)}`,
  `d|${expandVocabularyValue('disposition', 'non_conformant', STANDARD)}`,
];
const QC_KEY_SET = new Set(QC_KEYS);

/** QC events on lots: inspecting/sampling steps or conformance dispositions, plus certificationInfo. */
async function qcOf(db: Db, view: TraceView, lots: readonly string[]): Promise<Map<string, QcRecord[]>> {
  const out = new Map<string, QcRecord[]>();
  if (lots.length === 0) return out;
  // Few events name a lot as a class (its commissioning, receipt, inspections): find them by the lot's
  // key alone and keep the QC ones here; asking the index for the QC steps too would read every inspection.
  const keys = lots.map((l) => `c|${l}`);
  const r = await sql<{ seq: string; id: string; keys: string[]; doc: Record<string, unknown>; event_time: Date }>`
    SELECT e.seq, coalesce(e.event_id, e.hash_id) AS id, e.keys, e.doc, e.event_time FROM epcis_events e
    WHERE e.org_id = ${view.orgId} AND e.keys && ${keys}::text[] AND NOT e.declares_error AND ${visible(view, 'e')}
    ORDER BY e.event_time`.execute(db);
  for (const row of r.rows) {
    if (!row.keys.some((k) => QC_KEY_SET.has(k)) && (row.doc as { certificationInfo?: unknown }).certificationInfo === undefined) continue;
    const doc = row.doc as { bizStep?: string; disposition?: string; readPoint?: { id: string }; bizLocation?: { id: string }; certificationInfo?: string | string[] };
    const record: QcRecord = {
      eventId: row.id,
      time: row.event_time.toISOString(),
      bizStep: cbvWord(doc.bizStep ?? null),
      disposition: cbvWord(doc.disposition ?? null),
      place: doc.bizLocation?.id ?? doc.readPoint?.id ?? null,
      certifications: doc.certificationInfo === undefined ? [] : Array.isArray(doc.certificationInfo) ? doc.certificationInfo : [doc.certificationInfo],
    };
    for (const l of lots) if (row.keys.includes(`c|${l}`)) (out.get(l) ?? out.set(l, []).get(l))?.push(record);
  }
  return out;
}

async function rawLotInfo(db: Db, view: TraceView, lots: readonly string[]): Promise<{ info: RawLotInfo; supplierId: string | null; placeIds: string[] }[]> {
  if (lots.length === 0) return [];
  const index = traceIndexFor(db, view);
  const moves = index
    ? indexLotArrivals(index, view, lots).map((m) => ({ ...m, seq: String(m.seq), t: new Date(m.t) }))
    : (await sql<{ seq: string; item: string; kind: string; qty: number | null; uom: string | null; place: string | null; source: string | null; t: Date }>`
    SELECT m.seq, m.item, m.kind, m.qty, m.uom, m.place, m.source, m.event_time AS t
    FROM unnest(${lots}::text[]) AS i(item) JOIN trace_moves m ON m.org_id = ${view.orgId} AND m.item = i.item
    WHERE m.kind IN ('produced', 'received') AND ${visible(view, 'm')}
    ORDER BY m.event_time`.execute(db)).rows;
  const qc = await qcOf(db, view, lots);
  // The supplier is the owning party the goods came from (sourceList type owning_party).
  const receiptSeqs = [...new Set(moves.filter((m) => m.kind === 'received').map((m) => Number(m.seq)))];
  const owners = new Map<string, string>();
  if (receiptSeqs.length > 0) {
    const docs = await sql<{ seq: string; doc: { sourceList?: { type: string; source: string }[] } }>`
      SELECT e.seq, e.doc FROM epcis_events e WHERE e.org_id = ${view.orgId} AND e.seq = ANY(${receiptSeqs}::bigint[])`.execute(db);
    for (const d of docs.rows) {
      const owner = (d.doc.sourceList ?? []).find((x) => cbvWord(x.type) === 'owning_party' || cbvWord(x.type) === 'possessing_party');
      if (owner) owners.set(String(d.seq), canonicalPlace(owner.source));
    }
  }
  return lots.map((lot) => {
    const own = moves.filter((m) => m.item === lot);
    const received = own.filter((m) => m.kind === 'received');
    const supplierId = received.map((m) => owners.get(String(m.seq))).find((x) => x !== undefined) ?? received.find((m) => m.source !== null)?.source ?? own.find((m) => m.kind === 'produced')?.place ?? null;
    const cls = lotClass(lot);
    return {
      info: {
        lot,
        gtin: cls.gtin,
        lotNumber: cls.lot,
        productName: null,
        supplier: null,
        received: received.map((m) => ({ time: m.t.toISOString(), quantity: m.qty, uom: m.uom, place: m.place })),
        qc: qc.get(lot) ?? [],
      },
      supplierId,
      placeIds: [supplierId, ...received.map((m) => m.place)].filter((x): x is string => x !== null),
    };
  });
}

function lotClass(lot: string): { gtin: string | null; lot: string | null } {
  const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/.exec(lot);
  return m ? { gtin: m[1] as string, lot: decodeURIComponent(m[2] as string) } : { gtin: null, lot: null };
}

const CONTEXT_NAMES = new Set(['line', 'shift', 'operator', 'equipment', 'session', 'vehicle']);
const ENVIRONMENT_MARGIN_MS = 2 * 3600_000;

/** Production context of batches from their transformation events. */
async function batchInfo(db: Db, view: TraceView, batches: readonly { lot: string; seq: number; tx: string; environment: boolean }[]): Promise<{ info: BatchInfo; lineId: string | null; plantId: string | null; placeIds: string[] }[]> {
  if (batches.length === 0) return [];
  const seqs = [...new Set(batches.map((b) => b.seq))];
  const txs = [...new Set(batches.map((b) => b.tx))];
  const events = (await sql<{ seq: string; id: string; doc: Record<string, unknown>; event_time: Date }>`
    SELECT e.seq, coalesce(e.event_id, e.hash_id) AS id, e.doc, e.event_time FROM unnest(${seqs}::bigint[]) AS s(seq) JOIN epcis_events e ON e.org_id = ${view.orgId} AND e.seq = s.seq`.execute(db)).rows;
  const bySeq = new Map(events.map((e) => [Number(e.seq), e]));
  const index = traceIndexFor(db, view);
  const seqSet = new Set(seqs);
  const inputs = index
    ? indexLinksOfKind(index, view, txs, 'in', 'consumed').filter((l) => seqSet.has(l.seq)).map((l) => ({ ...l, seq: String(l.seq) }))
    : (await sql<{ seq: string; src: string; qty: number | null; uom: string | null }>`
    SELECT l.seq, l.src, l.qty, l.uom FROM unnest(${txs}::text[]) AS x(tx) JOIN trace_links l ON l.org_id = ${view.orgId} AND l.dst = x.tx
    WHERE l.link = 'consumed' AND l.seq = ANY(${seqs}::bigint[]) AND ${visible(view, 'l')}`.execute(db)).rows;
  const outputs = index
    ? indexLinksOfKind(index, view, txs, 'out', 'produced').filter((l) => seqSet.has(l.seq))
    : (await sql<{ dst: string; qty: number | null; uom: string | null }>`
    SELECT l.dst, l.qty, l.uom FROM unnest(${txs}::text[]) AS x(tx) JOIN trace_links l ON l.org_id = ${view.orgId} AND l.src = x.tx
    WHERE l.link = 'produced' AND l.seq = ANY(${seqs}::bigint[]) AND ${visible(view, 'l')}`.execute(db)).rows;
  const qc = await qcOf(db, view, batches.map((b) => b.lot));
  const contexts = batches.map((b) => {
    const ev = bySeq.get(b.seq);
    const doc = (ev?.doc ?? {}) as Record<string, unknown> & { readPoint?: { id: string }; bizLocation?: { id: string }; ilmd?: Record<string, unknown>; bizTransactionList?: { type?: string; bizTransaction: string }[]; sensorElementList?: unknown[] };
    const fields = extensionFields(doc);
    const named = (name: string): unknown[] => namedValues(fields, name);
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
    const parameters: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (!CONTEXT_NAMES.has(localName(k)) && !k.endsWith('lotNumber')) parameters[k] = v;
    if (doc.sensorElementList) parameters.sensorElementList = doc.sensorElementList;
    const lineField = named('line')[0];
    const lineId = lineField === undefined ? (doc.readPoint?.id ?? null) : text(lineField);
    const out = outputs.find((o) => o.dst === b.lot);
    const cls = lotClass(b.lot);
    return {
      b,
      time: ev?.event_time ?? new Date(0),
      lineId,
      plantId: doc.bizLocation?.id ?? null,
      readPoint: doc.readPoint?.id ?? null,
      info: {
        lot: b.lot,
        gtin: cls.gtin,
        lotNumber: cls.lot,
        productName: null,
        producedAt: (ev?.event_time ?? new Date(0)).toISOString(),
        quantity: out?.qty ?? null,
        uom: out?.uom ?? null,
        line: null,
        plant: null,
        shift: named('shift').map(text)[0] ?? null,
        operators: named('operator').map(text),
        equipment: named('equipment').map(text),
        session: named('session').map(text)[0] ?? null,
        workOrders: (doc.bizTransactionList ?? []).map((t) => t.bizTransaction),
        parameters,
        inputs: inputs
          .filter((i) => Number(i.seq) === b.seq)
          .map((i) => ({ node: i.src, quantity: i.qty, uom: i.uom }))
          .sort((x, y) => x.node.localeCompare(y.node) || (x.quantity ?? 0) - (y.quantity ?? 0)),
        qc: qc.get(b.lot) ?? [],
        environment: [] as SensorReading[],
        eventId: ev?.id ?? String(b.seq),
      },
    };
  });
  // Environment: readings at the line (read point) and the plant (business location) around production.
  const places: string[] = [];
  const from: string[] = [];
  const to: string[] = [];
  const owner: number[] = [];
  contexts.forEach((c, i) => {
    // The batch story (environment) of the query's own lots and their sources; what was made
    // downstream is listed without it (ask for that lot to see its story).
    if (!c.b.environment) return;
    for (const p of [c.readPoint, c.plantId]) {
      if (p === null) continue;
      places.push(canonicalPlace(p));
      from.push(new Date(c.time.getTime() - ENVIRONMENT_MARGIN_MS).toISOString());
      to.push(new Date(c.time.getTime() + ENVIRONMENT_MARGIN_MS).toISOString());
      owner.push(i);
    }
  });
  if (places.length > 0) {
    const r = index
      ? { rows: indexReadings(index, view, places.map((place, k) => ({ place, t0: Date.parse(from[k] as string), t1: Date.parse(to[k] as string) })), true) }
      : await sql<ReadingRow & { i: string }>`
      WITH x AS (SELECT * FROM unnest(${places}::text[], ${from}::timestamptz[], ${to}::timestamptz[]) WITH ORDINALITY AS x(place, t0, t1, i))
      SELECT x.i, r.seq, r.ord, r.time, r.type, r.value, r.min_value, r.max_value, r.uom, r.exception, r.device, r.place
      FROM x JOIN trace_readings r ON r.org_id = ${view.orgId} AND r.place = x.place AND r.time >= x.t0 AND r.time <= x.t1 AND ${visible(view, 'r')}
      UNION
      SELECT x.i, r.seq, r.ord, r.time, r.type, r.value, r.min_value, r.max_value, r.uom, r.exception, r.device, r.place
      FROM x JOIN trace_readings r ON r.org_id = ${view.orgId} AND r.site = x.place AND r.time >= x.t0 AND r.time <= x.t1 AND ${visible(view, 'r')}
      ORDER BY time`.execute(db);
    const seen = new Set<string>();
    for (const row of r.rows) {
      const c = contexts[owner[Number(row.i) - 1] as number];
      const key = `${owner[Number(row.i) - 1]}|${(row as unknown as { seq: string }).seq}|${(row as unknown as { ord: number }).ord}`;
      if (!c || seen.has(key)) continue;
      seen.add(key);
      c.info.environment.push(reading(row));
    }
  }
  for (const c of contexts) c.info.environment.sort(byReading);
  return contexts.map((c) => ({ info: c.info, lineId: c.lineId === null ? null : canonicalPlace(c.lineId), plantId: c.plantId === null ? null : canonicalPlace(c.plantId), placeIds: [c.lineId, c.plantId].filter((x): x is string => x !== null).map(canonicalPlace) }));
}


const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Units expiring soon, by place: for the console's overview (a store manager pulls them from the
 * shelf, a planner moves them first). A lot expires at its production time plus its product's
 * `shelf_life_hours`; what is on hand at each place is counted exactly as the trace engine counts it
 * (`movementsOf`: received − shipped − sold − returned − destroyed − disposed − wasted, containers
 * counting the lot's units they hold), so the overview and the trace explorer never disagree.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { classifyNode } from '../trace/identifiers.ts';
import { movementsOf } from '../trace/trace.ts';
import type { TraceNode, TracePlace } from '../trace/types.ts';
import { placesOf, productNames, traceView, visible } from '../trace/view.ts';
import { ALL_TIME, CONTAINMENT, walk } from '../trace/walk.ts';

export interface ExpiringQuery {
  /** Lots expiring from now up to this many hours ahead. */
  readonly hours: number;
  /** Also lots that expired up to this many hours ago and are still on hand somewhere (0: none). */
  readonly pastHours: number;
  /** Most lots examined, earliest expiry first; beyond, the answer says `truncated`. */
  readonly maxLots: number;
}

export interface ExpiringLot {
  readonly lot: string;
  readonly gtin: string | null;
  readonly lotNumber: string | null;
  readonly productName: TraceNode['productName'];
  readonly producedAt: string;
  readonly expiresAt: string;
  /** True when `expiresAt` has passed: the units on hand are out of date. */
  readonly expired: boolean;
  readonly onHand: number;
  readonly uom: string | null;
}

export interface ExpiringPlace {
  readonly place: TracePlace;
  /** Units on hand of the lots below (all units of measure together; see each lot's `uom`). */
  readonly onHand: number;
  readonly earliestExpiry: string;
  readonly lots: readonly ExpiringLot[];
}

export interface ExpiringReport {
  readonly from: string;
  readonly to: string;
  readonly hours: number;
  readonly pastHours: number;
  readonly places: readonly ExpiringPlace[];
  readonly totals: { readonly lots: number; readonly units: number; readonly places: number };
  /** More lots than `maxLots` expire in the window: the latest-expiring ones were left out. */
  readonly truncated: boolean;
  readonly tookMs: number;
}

/**
 * Lots whose expiry falls in (now − pastHours, now + hours], with their units on hand per place.
 *
 * The candidate lots come from one indexed read per product (`trace_moves_gtin`: org, GTIN, time),
 * because a product's lots expiring in the window were produced in a window shifted by its shelf
 * life; each lot's production time is then its earliest `produced` movement.
 */
export async function expiringUnits(ctx: AppContext, orgId: string, q: ExpiringQuery): Promise<ExpiringReport> {
  const started = performance.now();
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - q.pastHours * 3600_000);
  const to = new Date(now.getTime() + q.hours * 3600_000);
  const view = await traceView(db, orgId, null);

  const candidates = (
    await sql<{ lot: string; gtin: string; shelf: number }>`
    SELECT DISTINCT m.item AS lot, m.gtin, p.shelf_life_hours AS shelf
    FROM products p
    JOIN trace_moves m ON m.org_id = p.org_id AND m.gtin = lpad(p.gtin, 14, '0')
      AND m.event_time > ${from}::timestamptz - make_interval(hours => p.shelf_life_hours)
      AND m.event_time <= ${to}::timestamptz - make_interval(hours => p.shelf_life_hours)
    WHERE p.org_id = ${orgId} AND NOT p.archived AND m.kind = 'produced' AND m.item_kind = 'lot' AND ${visible(view, 'm')}`.execute(db)
  ).rows;
  if (candidates.length === 0) return empty(q, from, to, started);

  // A lot's production time is its first `produced` movement (a transformation and the commissioning
  // of its units are two), which may fall just before the window: read it for each candidate.
  const firsts = new Map(
    (
      await sql<{ lot: string; t: Date }>`
      SELECT m.item AS lot, min(m.event_time) AS t FROM trace_moves m
      WHERE m.org_id = ${orgId} AND m.item = ANY(${candidates.map((c) => c.lot)}::text[]) AND m.kind = 'produced' AND ${visible(view, 'm')}
      GROUP BY m.item`.execute(db)
    ).rows.map((r) => [r.lot, r.t.getTime()]),
  );
  const lots = candidates
    .map((c) => ({ ...c, producedAt: firsts.get(c.lot) ?? 0 }))
    .map((c) => ({ ...c, expiresAt: c.producedAt + c.shelf * 3600_000 }))
    .filter((c) => c.expiresAt > from.getTime() && c.expiresAt <= to.getTime())
    .sort((a, b) => a.expiresAt - b.expiresAt || a.lot.localeCompare(b.lot));
  const examined = lots.slice(0, q.maxLots);

  // Per lot: its own units through their containers (not what was made from it), counted per place.
  const perPlace = new Map<string, { lot: (typeof examined)[number]; onHand: number; uom: string | null }[]>();
  for (const lot of examined) {
    const graph = await walk(db, view, [{ node: lot.lot, window: ALL_TIME, via: null }], 'downstream', undefined, CONTAINMENT);
    const origin = { node: lot.lot, cls: classifyNode(lot.lot), unitLot: null };
    const moved = await movementsOf(db, view, origin, [...graph.reached.values()], graph);
    for (const l of moved.locations) {
      if (l.onHand <= 0) continue;
      const list = perPlace.get(l.placeId) ?? [];
      list.push({ lot, onHand: l.onHand, uom: l.uom });
      perPlace.set(l.placeId, list);
    }
  }

  const places = await placesOf(db, orgId, perPlace.keys());
  const names = await productNames(db, orgId, examined.map((l) => l.gtin));
  const nowMs = now.getTime();
  const out: ExpiringPlace[] = [...perPlace].map(([placeId, entries]) => {
    const lotsHere: ExpiringLot[] = entries.map((e) => {
      const cls = classifyNode(e.lot.lot);
      return {
        lot: e.lot.lot,
        gtin: e.lot.gtin,
        lotNumber: cls.kind === 'lot' ? cls.lot : null,
        productName: names.get(e.lot.gtin) ?? null,
        producedAt: new Date(e.lot.producedAt).toISOString(),
        expiresAt: new Date(e.lot.expiresAt).toISOString(),
        expired: e.lot.expiresAt <= nowMs,
        onHand: e.onHand,
        uom: e.uom,
      };
    });
    return {
      place: places.get(placeId) ?? { id: placeId, name: null, type: null, city: null, region: null },
      onHand: round(lotsHere.reduce((s, l) => s + l.onHand, 0)),
      earliestExpiry: lotsHere[0]?.expiresAt ?? '',
      lots: lotsHere,
    };
  });
  out.sort((a, b) => a.earliestExpiry.localeCompare(b.earliestExpiry) || b.onHand - a.onHand || a.place.id.localeCompare(b.place.id));
  const lotsOnHand = new Set(out.flatMap((p) => p.lots.map((l) => l.lot)));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    hours: q.hours,
    pastHours: q.pastHours,
    places: out,
    totals: { lots: lotsOnHand.size, units: round(out.reduce((s, p) => s + p.onHand, 0)), places: out.length },
    truncated: lots.length > examined.length,
    tookMs: round(performance.now() - started),
  };
}

function empty(q: ExpiringQuery, from: Date, to: Date, started: number): ExpiringReport {
  return { from: from.toISOString(), to: to.toISOString(), hours: q.hours, pastHours: q.pastHours, places: [], totals: { lots: 0, units: 0, places: 0 }, truncated: false, tookMs: round(performance.now() - started) };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

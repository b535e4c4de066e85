/**
 * Mass balance of a lot (or of the lots of a scope): produced = shipped + on hand + wasted at the
 * making site, and per place received = sold + on hand + returned + destroyed. What cannot be
 * explained — stock that went negative, shipments never received, receipts never shipped — is listed,
 * and the share of units whose whereabouts are explained is what a mock recall is scored on.
 */
import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import type { LocationQuantities, MassBalanceDifference, MassBalanceReport } from './types.ts';
import { movementsOf } from './trace.ts';
import { indexConsumed } from './index/queries.ts';
import { traceIndexFor } from './index/registry.ts';
import { placesOf, resolveCode, traceView, visible } from './view.ts';
import { ALL_TIME, CONTAINMENT, type WalkResult, walk } from './walk.ts';

export interface MassBalanceQuery {
  /** Any code: a unit or lot code reconciles its lot. */
  readonly code?: string;
  /** Lot nodes (e.g. a recall scope's). */
  readonly lots?: readonly string[];
  readonly asOf?: Date | null;
  /** Shipments older than this and not received count as unexplained (default 48 hours). */
  readonly transitHours?: number;
}

export async function massBalance(ctx: AppContext, orgId: string, q: MassBalanceQuery): Promise<MassBalanceReport> {
  const started = performance.now();
  const db = ctx.database.db;
  const view = await traceView(db, orgId, q.asOf ?? null);
  let lots = [...(q.lots ?? [])];
  if (q.code !== undefined) {
    const origin = await resolveCode(db, view, q.code);
    if (origin.cls.kind === 'lot') lots.push(origin.node);
    else if (origin.cls.kind === 'unit' && origin.unitLot !== null) lots.push(origin.unitLot);
    else throw new DomainError('QueryParameterException', 'mass balance needs a lot: give a lot, a batch code, or a unit whose lot is known', [{ pointer: '/code', message: `${origin.cls.kind} ${origin.node}`, rule: 'lotRequired' }]);
  }
  lots = [...new Set(lots)];
  if (lots.length === 0) throw new DomainError('QueryParameterException', 'give a code or lots', [{ pointer: '/code', message: 'required', rule: 'required' }]);

  const graph: WalkResult = await walk(db, view, lots.map((node) => ({ node, window: ALL_TIME, via: null })), 'downstream', undefined, CONTAINMENT);
  const located = [...graph.reached.values()];
  const origin = { node: lots[0] as string, cls: located[0]?.cls ?? { kind: 'lot' as const, id: lots[0] as string, gtin: null, lot: null }, unitLot: null };
  const moved = await movementsOf(db, view, origin, located, graph);

  const index = traceIndexFor(db, view);
  const consumedQty = index
    ? (indexConsumed(index, view, lots) ?? 0)
    : ((
        await sql<{ qty: number | null }>`
    SELECT sum(l.qty)::float8 AS qty FROM trace_links l
    WHERE l.org_id = ${orgId} AND l.src = ANY(${lots}::text[]) AND l.link = 'consumed' AND ${visible(view, 'l')}`.execute(db)
      ).rows[0]?.qty ?? 0);

  const places = await placesOf(db, orgId, moved.placeIds);
  const place = (id: string) => places.get(id) ?? { id, name: null, type: null, city: null, region: null };
  const locations: LocationQuantities[] = moved.locations.map(({ placeId, ...rest }) => ({ ...rest, place: place(placeId) }));
  // The unit of measure reconciled: the one most was produced in (units for serialised goods).
  const uom = dominantUom(locations);
  const same = locations.filter((l) => l.uom === uom);
  const sum = (k: keyof Omit<LocationQuantities, 'place' | 'uom'>) => round(same.reduce((s, l) => s + l[k], 0));

  const differences: MassBalanceDifference[] = [];
  for (const l of same) {
    if (l.onHand < 0) {
      differences.push({
        place: l.place,
        kind: 'negative_stock',
        quantity: -l.onHand,
        detail: `${-l.onHand} more left ${l.place.name ?? l.place.id} than arrived there`,
        detailZh: `${l.place.name ?? l.place.id} 的出库比入库多 ${-l.onHand}`,
      });
    }
  }
  const now = view.asOf?.getTime() ?? Date.now();
  const transitMs = (q.transitHours ?? 48) * 3600_000;
  let inTransit = 0;
  for (const s of moved.shipments) {
    if (s.receivedAt !== null || s.units === null) continue;
    inTransit += s.units;
    if (now - Date.parse(s.time) > transitMs) {
      differences.push({
        place: s.toId === null ? null : place(s.toId),
        kind: 'in_transit',
        quantity: s.units,
        detail: `${s.units} shipped ${s.time} (${s.eventId}) were never received`,
        detailZh: `${s.time} 发出的 ${s.units} 件(${s.eventId})从未收货`,
      });
    }
  }
  const produced = sum('produced');
  const received = sum('received');
  const shippedAll = sum('shipped');
  const base = produced > 0 ? produced : received;
  const unexplained = differences.reduce((s, d) => s + d.quantity, 0);
  const positiveOnHand = round(same.reduce((s, l) => s + Math.max(0, l.onHand), 0));
  const explained = round(sum('sold') + sum('returned') + sum('destroyed') + sum('disposed') + sum('wasted') + consumedQty + positiveOnHand + inTransit - differences.filter((d) => d.kind === 'in_transit').reduce((s, d) => s + d.quantity, 0));
  if (base > 0 && Math.abs(base - explained) > 1e-9 && differences.length === 0) {
    differences.push({
      place: null,
      kind: explained < base ? 'unaccounted' : 'over_accounted',
      quantity: round(Math.abs(base - explained)),
      detail: `${round(Math.abs(base - explained))} ${explained < base ? 'not accounted for' : 'more accounted for than were made'}`,
      detailZh: explained < base ? `${round(base - explained)} 去向不明` : `去向合计比生产多 ${round(explained - base)}`,
    });
  }
  const accountedPercent = base === 0 ? 100 : Math.max(0, Math.min(100, round(((base - unexplained) / base) * 100)));
  return {
    lots,
    uom,
    produced,
    shipped: round(shippedAll),
    received,
    inTransit: round(inTransit),
    sold: sum('sold'),
    returned: sum('returned'),
    destroyed: sum('destroyed'),
    disposed: sum('disposed'),
    wasted: sum('wasted'),
    consumed: round(consumedQty),
    onHand: positiveOnHand,
    accountedPercent,
    locations,
    differences,
    tookMs: round(performance.now() - started),
  };
}

function dominantUom(locations: readonly LocationQuantities[]): string | null {
  const totals = new Map<string | null, number>();
  for (const l of locations) totals.set(l.uom, (totals.get(l.uom) ?? 0) + l.produced + l.received);
  let best: string | null = null;
  let most = -1;
  for (const [uom, n] of totals) if (n > most) [best, most] = [uom, n];
  return best;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

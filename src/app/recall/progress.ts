/**
 * How well a recall is working, live: the share of the units in scope that are back (taken off the
 * shelf and acknowledged, or returned), by store, city and channel, over time; the units sold to
 * consumers nobody has told yet; and what the mass balance of the scope still cannot explain.
 */
import { sql } from 'kysely';
import { approvedScope } from '../../core/recall/machine.ts';
import type { RecallState } from '../../core/recall/types.ts';
import type { AppContext } from '../context.ts';
import { massBalance } from '../trace/mass-balance.ts';
import type { TracePlace } from '../trace/types.ts';
import { scopeVersion } from './cases.ts';
import { knownPlaces } from './places.ts';
import type { RecoveryProgress, RecoveryRow } from './report-data.ts';

const round = (n: number) => Math.round(n * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole) : 0);

export async function recoveryProgress(ctx: AppContext, orgId: string, state: RecallState): Promise<RecoveryProgress | null> {
  const scope = approvedScope(state);
  if (!scope) return null;
  const db = ctx.database.db;
  const snapshot = await scopeVersion(ctx, orgId, state.caseId, scope.version);
  if (!snapshot) return null;

  // Units that reached stores, per store place (from the frozen scope).
  const storeUnits = new Map<string, { place: TracePlace; received: number; sold: number }>();
  for (const item of snapshot.items) {
    for (const l of item.locations) {
      if (l.place.type !== 'store' || l.received <= 0) continue;
      const s = storeUnits.get(l.place.id) ?? { place: l.place, received: 0, sold: 0 };
      s.received += l.received;
      s.sold += l.sold;
      storeUnits.set(l.place.id, s);
    }
  }
  const known = await knownPlaces(db, orgId, storeUnits.keys());
  const locationOf = new Map([...known.values()].map((p) => [p.locationId, p.placeId]));

  const tasks = await db.selectFrom('recall_tasks').select(['location_id', 'units_removed', 'acknowledged_at']).where('org_id', '=', orgId).where('case_id', '=', state.caseId).where('kind', '=', 'shelf_removal').where('status', '=', 'acknowledged').execute();
  const returns = await db.selectFrom('recall_returns').select(['channel', 'location_id', 'quantity', 'status', 'updated_at', 'created_at']).where('org_id', '=', orgId).where('case_id', '=', state.caseId).execute();

  // Per store: what it acknowledged removing, or what it sent back, whichever is more (the same units).
  const shelf = new Map<string, number>();
  const events: { at: number; units: number }[] = [];
  for (const t of tasks) {
    const place = locationOf.get(t.location_id);
    if (!place) continue;
    shelf.set(place, (shelf.get(place) ?? 0) + (t.units_removed ?? 0));
  }
  const sentBack = new Map<string, number>();
  for (const r of returns) {
    if (r.channel !== 'store' || !r.location_id) continue;
    const place = locationOf.get(r.location_id);
    if (place) sentBack.set(place, (sentBack.get(place) ?? 0) + r.quantity);
  }
  const consumerReceived = returns.filter((r) => r.channel === 'consumer' && r.status === 'received');
  const consumerUnits = consumerReceived.reduce((s, r) => s + r.quantity, 0);

  const byStore: RecoveryRow[] = [];
  for (const [placeId, s] of storeUnits) {
    const recovered = Math.min(s.received, Math.max(shelf.get(placeId) ?? 0, sentBack.get(placeId) ?? 0));
    byStore.push({ key: known.get(placeId)?.locationId ?? placeId, place: s.place, inScope: s.received, recovered, percent: pct(recovered, s.received) });
  }
  byStore.sort((a, b) => a.percent - b.percent || a.key.localeCompare(b.key));
  const cities = new Map<string, { inScope: number; recovered: number }>();
  for (const row of byStore) {
    const city = row.place?.city ?? '(unknown)';
    const c = cities.get(city) ?? { inScope: 0, recovered: 0 };
    c.inScope += row.inScope;
    c.recovered += row.recovered;
    cities.set(city, c);
  }
  const inScopeUnits = byStore.reduce((s, r) => s + r.inScope, 0);
  const shelfUnits = byStore.reduce((s, r) => s + r.recovered, 0);
  const recoveredUnits = Math.min(inScopeUnits, shelfUnits + consumerUnits);
  const soldUnits = [...storeUnits.values()].reduce((s, x) => s + x.sold, 0);

  // Over time: acknowledgements, store returns and consumer receipts, cumulated per hour.
  for (const t of tasks) if (t.acknowledged_at) events.push({ at: t.acknowledged_at.getTime(), units: t.units_removed ?? 0 });
  for (const r of consumerReceived) events.push({ at: r.updated_at.getTime(), units: r.quantity });
  events.sort((a, b) => a.at - b.at);
  const series: { at: string; percent: number; recovered: number }[] = [];
  let running = 0;
  for (const e of events) {
    running = Math.min(inScopeUnits, running + e.units);
    const hour = new Date(Math.floor(e.at / 3_600_000) * 3_600_000).toISOString();
    const point = { at: hour, percent: pct(running, inScopeUnits), recovered: running };
    if (series.at(-1)?.at === hour) series[series.length - 1] = point;
    else series.push(point);
  }

  // Consumers: members who bought units in scope, and whether a notice to them was queued.
  const members = await sql<{ units: number | null; notified: number | null }>`
    SELECT sum(p.quantity) AS units,
           sum(p.quantity) FILTER (WHERE EXISTS (
             SELECT 1 FROM outbox o WHERE o.org_id = p.org_id AND o.case_id = ${state.caseId} AND o.audience = 'consumer'
               AND o.payload->>'memberId' = p.member_id AND o.status IN ('sent', 'pending', 'dry_run'))) AS notified
    FROM member_purchases p WHERE p.org_id = ${orgId} AND p.lot_node = ANY(${scope.lots}::text[])`.execute(db);
  const notified = members.rows[0]?.notified ?? 0;

  const balance = await massBalance(ctx, orgId, { lots: scope.lots });
  return {
    asOf: ctx.clock.now().toISOString(),
    inScopeUnits,
    recoveredUnits,
    percent: pct(recoveredUnits, inScopeUnits),
    byStore,
    byCity: [...cities].map(([key, c]) => ({ key, place: null, inScope: c.inScope, recovered: c.recovered, percent: pct(c.recovered, c.inScope) })).sort((a, b) => a.key.localeCompare(b.key)),
    byChannel: [
      { key: 'store_shelf', place: null, inScope: inScopeUnits - soldUnits, recovered: shelfUnits, percent: pct(shelfUnits, inScopeUnits - soldUnits) },
      { key: 'consumer_return', place: null, inScope: soldUnits, recovered: consumerUnits, percent: pct(consumerUnits, soldUnits) },
    ],
    series,
    soldNotNotified: Math.max(0, soldUnits - notified),
    soldToMembersNotified: notified,
    accountedPercent: balance.accountedPercent,
    unreconciled: balance.differences.map((d) => ({ place: d.place?.id ?? null, kind: d.kind, quantity: d.quantity, detail: { 'zh-CN': d.detailZh, en: d.detail } })),
  };
}

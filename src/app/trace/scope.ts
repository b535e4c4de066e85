/**
 * Co-exposure scope: the suspect lot(s) of a code, what was made from them, and the other batches that
 * shared something risky with them — a raw lot, a production session (line + time), an equipment run,
 * a vehicle trip, or an environmental excursion. Every item carries the rule and the evidence.
 */
import { type Kysely, sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { extensionFields, localName, namedValues } from './derive.ts';
import { classifyNode, nodeId } from './identifiers.ts';
import type { ScopeEvidence, ScopeItem, ScopeReport, ScopeRule } from './types.ts';
import { type Quantities, movementsOf } from './trace.ts';
import { type TraceView, placesOf, productNames, resolveCode, traceView, visible } from './view.ts';
import { ALL_TIME, CONTAINMENT, eventIdsOf, walk } from './walk.ts';

type Db = Kysely<Schema>;

export const SCOPE_RULES: readonly ScopeRule[] = ['raw_lot', 'session', 'equipment', 'vehicle', 'excursion'];

/** An environmental limit: readings of `type` outside [min, max] are an excursion. */
export interface ExcursionLimit {
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
}

/** Per-organisation rule settings (`PUT /api/scope-rules`). */
export interface ScopeRuleConfig {
  /** Rules applied when a query names none. */
  readonly defaultRules: readonly ScopeRule[];
  /** Same line within this many hours of each other (when no shift or session field says otherwise). */
  readonly sessionHours: number;
  /** Same equipment within this many hours: one run. */
  readonly equipmentHours: number;
  /** Same vehicle within this many hours: one trip. */
  readonly vehicleHours: number;
  /** Readings around production (hours before and after) that count for excursions. */
  readonly excursionMarginHours: number;
  readonly excursionLimits: readonly ExcursionLimit[];
}

export const DEFAULT_SCOPE_RULES: ScopeRuleConfig = {
  defaultRules: ['raw_lot', 'session', 'equipment', 'vehicle', 'excursion'],
  sessionHours: 4,
  equipmentHours: 12,
  vehicleHours: 6,
  excursionMarginHours: 2,
  excursionLimits: [{ type: 'https://ref.gs1.org/voc/MT-Humidity', max: 70 }, { type: 'https://ref.gs1.org/voc/MT-RelativeHumidity', max: 70 }],
};

export async function scopeRules(ctx: AppContext, orgId: string): Promise<ScopeRuleConfig & { version: number }> {
  const r = await sql<{ config: Partial<ScopeRuleConfig>; version: number }>`SELECT config, version FROM scope_rules WHERE org_id = ${orgId}`.execute(ctx.database.db);
  const row = r.rows[0];
  return row ? { ...DEFAULT_SCOPE_RULES, ...row.config, version: row.version } : { ...DEFAULT_SCOPE_RULES, version: 0 };
}

export async function saveScopeRules(ctx: AppContext, actor: Actor, config: ScopeRuleConfig): Promise<ScopeRuleConfig & { version: number }> {
  return ctx.database.db.transaction().execute(async (tx) => {
    const r = await sql<{ version: number }>`
      INSERT INTO scope_rules (org_id, config, version, updated_at) VALUES (${actor.orgId}, ${JSON.stringify(config)}::jsonb, 1, now())
      ON CONFLICT (org_id) DO UPDATE SET config = EXCLUDED.config, version = scope_rules.version + 1, updated_at = now()
      RETURNING version`.execute(tx);
    await recordAudit(tx, actor, { action: 'scope_rules.save', targetType: 'scope_rules', targetId: actor.orgId, detail: { ...config } });
    return { ...config, version: r.rows[0]?.version ?? 1 };
  });
}

export interface ScopeQuery {
  readonly code: string;
  readonly rules?: readonly ScopeRule[];
  readonly asOf?: Date | null;
}

interface Production {
  seq: number;
  lot: string;
  time: number;
  line: string | null;
  site: string | null;
  readPoint: string | null;
  shift: string | null;
  session: string | null;
  equipment: string[];
  eventId: string;
}

export async function coExposureScope(ctx: AppContext, orgId: string, q: ScopeQuery): Promise<ScopeReport> {
  const started = performance.now();
  const db = ctx.database.db;
  const config = await scopeRules(ctx, orgId);
  const rules = q.rules && q.rules.length > 0 ? q.rules : config.defaultRules;
  const view = await traceView(db, orgId, q.asOf ?? null);
  const origin = await resolveCode(db, view, q.code);

  // The suspect lots: the code's lot, or the lots inside a container.
  let suspects: string[];
  if (origin.cls.kind === 'lot') suspects = [origin.node];
  else if (origin.cls.kind === 'unit') suspects = origin.unitLot ? [origin.unitLot] : [];
  else {
    const up = await walk(db, view, [{ node: origin.node, window: ALL_TIME, via: null }], 'upstream', undefined, CONTAINMENT);
    suspects = [...up.reached.values()].filter((r) => r.cls.kind === 'lot').map((r) => r.node);
  }
  if (suspects.length === 0) throw new DomainError('NoSuchResourceException', `no lot is known for ${q.code}`, [{ pointer: '/code', message: 'lot unknown', rule: 'unknownLot' }]);

  const items = new Map<string, ScopeEvidence[]>();
  const addEvidence = (lot: string, e: ScopeEvidence) => (items.get(lot) ?? items.set(lot, []).get(lot))?.push(e);
  for (const s of suspects) addEvidence(s, { rule: 'downstream', detail: `the lot of ${q.code}`, detailZh: `${q.code} 所属批次`, shared: s, eventIds: [] });
  // What was made from the suspect lots is affected too.
  const made = await walk(db, view, suspects.map((node) => ({ node, window: ALL_TIME, via: null })), 'downstream', undefined, ['consumed', 'produced']);
  for (const r of made.reached.values()) {
    if (r.cls.kind === 'lot' && r.direction === 'downstream') addEvidence(r.node, { rule: 'downstream', detail: `made from ${suspects.join(', ')}`, detailZh: `由 ${suspects.join('、')} 制成`, shared: suspects[0] as string, eventIds: [] });
  }
  const suspectSet = new Set(suspects);
  const productions = await productionsOf(db, view, suspects);

  if (rules.includes('raw_lot')) {
    const up = await walk(db, view, suspects.map((node) => ({ node, window: ALL_TIME, via: null })), 'upstream', undefined, ['consumed', 'produced']);
    const rawLots = [...up.reached.values()].filter((r) => r.cls.kind === 'lot' && r.direction === 'upstream').map((r) => r.node);
    for (const raw of rawLots) {
      const down = await walk(db, view, [{ node: raw, window: ALL_TIME, via: null }], 'downstream', undefined, ['consumed', 'produced']);
      for (const r of down.reached.values()) {
        if (r.cls.kind !== 'lot' || r.node === raw || suspectSet.has(r.node) || r.direction !== 'downstream') continue;
        const via = r.path.map((s) => s.eventId).filter((x): x is string => x !== null);
        addEvidence(r.node, { rule: 'raw_lot', detail: `also made with raw lot ${raw}`, detailZh: `同样使用原料批次 ${raw}`, shared: raw, eventIds: via });
      }
    }
  }

  if ((rules.includes('session') || rules.includes('equipment') || rules.includes('excursion')) && productions.length > 0) {
    const spanHours = Math.max(config.sessionHours, config.equipmentHours, config.excursionMarginHours);
    const lo = Math.min(...productions.map((p) => p.time)) - spanHours * 3600_000;
    const hi = Math.max(...productions.map((p) => p.time)) + spanHours * 3600_000;
    const nearby = (await productionsBetween(db, view, lo, hi)).filter((p) => !suspectSet.has(p.lot));
    for (const s of productions) {
      for (const p of nearby) {
        const dtHours = Math.abs(p.time - s.time) / 3600_000;
        if (rules.includes('session') && s.line !== null && p.line === s.line && sameSession(s, p, dtHours, config.sessionHours)) {
          addEvidence(p.lot, { rule: 'session', detail: `same line ${s.line}, ${sessionLabel(s, p, dtHours)}`, detailZh: `同一产线 ${s.line},${sessionLabelZh(s, p, dtHours)}`, shared: s.line, eventIds: [s.eventId, p.eventId] });
        }
        if (rules.includes('equipment') && dtHours <= config.equipmentHours) {
          for (const eq of s.equipment.filter((x) => p.equipment.includes(x))) {
            addEvidence(p.lot, { rule: 'equipment', detail: `same equipment ${eq} within ${config.equipmentHours} h`, detailZh: `${config.equipmentHours} 小时内使用同一设备 ${eq}`, shared: eq, eventIds: [s.eventId, p.eventId] });
          }
        }
      }
    }
    if (rules.includes('excursion')) await excursions(db, view, config, productions, nearby, addEvidence);
  }

  if (rules.includes('vehicle') || rules.includes('excursion')) {
    const trips = await suspectTrips(db, view, config, suspects);
    if (rules.includes('vehicle')) await vehicleTrips(db, view, config, trips, suspectSet, addEvidence);
    if (rules.includes('excursion')) await vehicleExcursions(db, view, config, trips, addEvidence);
  }

  // Per lot: where its units are.
  const lots = [...items.keys()];
  const perLot = new Map<string, Quantities[]>();
  const allPlaces: string[] = [];
  for (const lot of lots) {
    const graph = await walk(db, view, [{ node: lot, window: ALL_TIME, via: null }], 'downstream', undefined, CONTAINMENT);
    const moved = await movementsOf(db, view, { node: lot, cls: classifyNode(lot), unitLot: null }, [...graph.reached.values()], graph);
    perLot.set(lot, moved.locations);
    allPlaces.push(...moved.locations.map((l) => l.placeId));
  }
  const places = await placesOf(db, orgId, allPlaces);
  const names = await productNames(db, orgId, lots.map((l) => classifyNode(l)).flatMap((c) => (c.kind === 'lot' && c.gtin ? [c.gtin] : [])));
  const ordered = [...suspects, ...lots.filter((l) => !suspectSet.has(l)).sort()];
  // Evidence names events by ledger seq where it came from the derived tables: show event IDs.
  const seqs = [...new Set([...items.values()].flat().flatMap((e) => e.eventIds).filter((x) => /^\d+$/.test(x)).map(Number))];
  const ids = await eventIdsOf(db, orgId, seqs);
  for (const [lot, list] of items) items.set(lot, list.map((e) => ({ ...e, eventIds: [...new Set(e.eventIds.map((x) => (/^\d+$/.test(x) ? (ids.get(Number(x)) ?? x) : x)))] })));
  const scopeItems: ScopeItem[] = ordered.map((lot) => {
    const c = classifyNode(lot);
    const gtin = c.kind === 'lot' ? c.gtin : null;
    const locs = (perLot.get(lot) ?? []).map(({ placeId, ...rest }) => ({ ...rest, place: places.get(placeId) ?? { id: placeId, name: null, type: null, city: null, region: null } }));
    return { lot, gtin, lotNumber: c.kind === 'lot' ? c.lot : null, productName: gtin ? (names.get(gtin) ?? null) : null, evidence: dedupe(items.get(lot) ?? []), locations: locs };
  });
  const reachedPlaces = scopeItems.flatMap((i) => i.locations.filter((l) => l.received > 0 && l.place.type !== 'plant'));
  const units = scopeItems.reduce((s, i) => s + Math.max(0, ...i.locations.map((l) => l.produced)), 0);
  return {
    query: { code: q.code, node: origin.node, rules, asOf: view.asOf?.toISOString() ?? null },
    items: scopeItems,
    totals: {
      lots: scopeItems.length,
      units,
      locations: new Set(reachedPlaces.map((l) => l.place.id)).size,
      cities: new Set(reachedPlaces.map((l) => l.place.city).filter((c) => c !== null)).size,
    },
    tookMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}

function dedupe(evidence: readonly ScopeEvidence[]): ScopeEvidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.rule}|${e.shared}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sameSession(a: Production, b: Production, dtHours: number, sessionHours: number): boolean {
  if (a.session !== null && b.session !== null) return a.session === b.session;
  if (a.shift !== null && b.shift !== null) return a.shift === b.shift && dtHours <= 24 && localDay(a.time) === localDay(b.time);
  return dtHours <= sessionHours;
}

/** The production day in China Standard Time (the seeds' brands); shifts repeat daily. */
const localDay = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

const sessionLabel = (a: Production, b: Production, dt: number) =>
  a.session !== null && b.session !== null ? `session ${a.session}` : a.shift !== null && b.shift !== null ? `shift ${a.shift} on ${localDay(a.time)}` : `${dt.toFixed(1)} h apart`;
const sessionLabelZh = (a: Production, b: Production, dt: number) =>
  a.session !== null && b.session !== null ? `同一生产时段 ${a.session}` : a.shift !== null && b.shift !== null ? `${localDay(a.time)} 同一班次 ${a.shift}` : `相隔 ${dt.toFixed(1)} 小时`;

/** Production (transformation) events that made the given lots. */
async function productionsOf(db: Db, view: TraceView, lots: readonly string[]): Promise<Production[]> {
  const r = await sql<{ seq: string; dst: string; doc: Record<string, unknown>; event_time: Date; id: string }>`
    SELECT l.seq, l.dst, e.doc, e.event_time, coalesce(e.event_id, e.hash_id) AS id FROM trace_links l
    JOIN epcis_events e ON e.org_id = l.org_id AND e.seq = l.seq
    WHERE l.org_id = ${view.orgId} AND l.dst = ANY(${lots}::text[]) AND l.link = 'produced' AND ${visible(view, 'l')}`.execute(db);
  return r.rows.map((row) => production(Number(row.seq), row.dst, row.doc, row.event_time, row.id));
}

/** Every production between two times (the event-time index), with the lots each made. */
async function productionsBetween(db: Db, view: TraceView, lo: number, hi: number): Promise<Production[]> {
  const r = await sql<{ seq: string; dst: string; doc: Record<string, unknown>; event_time: Date; id: string }>`
    SELECT e.seq, l.dst, e.doc, e.event_time, coalesce(e.event_id, e.hash_id) AS id FROM epcis_events e
    JOIN trace_links l ON l.org_id = e.org_id AND l.src = 'tx:' || coalesce(e.doc->>'transformationID', e.hash_id) AND l.seq = e.seq AND l.link = 'produced'
    WHERE e.org_id = ${view.orgId} AND e.event_time >= ${new Date(lo)} AND e.event_time <= ${new Date(hi)}
      AND e.event_type = 'TransformationEvent' AND NOT e.declares_error AND ${visible(view, 'e')}`.execute(db);
  return r.rows.filter((row) => classifyNode(row.dst).kind === 'lot').map((row) => production(Number(row.seq), row.dst, row.doc, row.event_time, row.id));
}

function production(seq: number, lot: string, doc: Record<string, unknown>, time: Date, eventId: string): Production {
  const fields = extensionFields(doc);
  const named = (name: string) => namedValues(fields, name).map((v) => String(v));
  const readPoint = (doc.readPoint as { id?: string } | undefined)?.id ?? null;
  const site = (doc.bizLocation as { id?: string } | undefined)?.id ?? null;
  return {
    seq,
    lot,
    time: time.getTime(),
    line: named('line')[0] ?? (readPoint === null ? null : nodeId(readPoint)),
    site: site === null ? null : nodeId(site),
    readPoint: readPoint === null ? null : nodeId(readPoint),
    shift: named('shift')[0] ?? null,
    session: named('session')[0] ?? null,
    equipment: named('equipment'),
    eventId,
  };
}

/** Batches made at a place while its readings were outside the limits. */
async function excursions(db: Db, view: TraceView, config: ScopeRuleConfig, suspects: readonly Production[], nearby: readonly Production[], addEvidence: (lot: string, e: ScopeEvidence) => void): Promise<void> {
  const margin = config.excursionMarginHours * 3600_000;
  for (const s of suspects) {
    const places = [s.readPoint, s.site].filter((x): x is string => x !== null);
    if (places.length === 0) continue;
    const r = await sql<{ seq: string; place: string | null; site: string | null; type: string; time: Date; value: number | null; uom: string | null; exception: string | null }>`
      SELECT r.seq, r.place, r.site, r.type, r.time, r.value, r.uom, r.exception FROM trace_readings r
      WHERE r.org_id = ${view.orgId} AND (r.place = ANY(${places}::text[]) OR r.site = ANY(${places}::text[]))
        AND r.time >= ${new Date(s.time - margin)} AND r.time <= ${new Date(s.time + margin)} AND ${visible(view, 'r')}
      ORDER BY r.time`.execute(db);
    const bad = r.rows.filter((x) => breaks(config, x));
    if (bad.length === 0) continue;
    const where = bad[0]?.place ?? bad[0]?.site ?? (places[0] as string);
    const lo = Math.min(...bad.map((b) => b.time.getTime()));
    const hi = Math.max(...bad.map((b) => b.time.getTime()));
    const worst = bad.map((b) => `${localName(b.type)} ${b.value ?? b.exception}${b.uom ? ` ${b.uom}` : ''}`).slice(0, 3).join(', ');
    const shared = `${where}@${new Date(lo).toISOString()}`;
    const evidence = (lot: string) =>
      addEvidence(lot, { rule: 'excursion', detail: `made at ${where} during an excursion (${worst})`, detailZh: `在 ${where} 环境超标期间生产(${worst})`, shared, eventIds: [...new Set(bad.map((b) => b.seq))] });
    evidence(s.lot);
    for (const p of nearby) {
      if (p.time < lo - margin || p.time > hi + margin) continue;
      if ((p.readPoint !== null && places.includes(p.readPoint)) || (p.site !== null && p.site === s.site && bad.some((b) => b.place === p.readPoint || b.site === p.site && b.place === b.site))) evidence(p.lot);
    }
  }
}

/** Whether a limit's measurement type names a reading's (full URI, CURIE or bare word; `MT-` optional). */
export const typeMatches = (limitType: string, readingType: string): boolean => limitType === readingType || localName(limitType).replace(/^MT-/, '') === localName(readingType).replace(/^MT-/, '');

/** A shipment on a vehicle: from shipping to receipt (or `vehicleHours` when no receipt is recorded). */
interface Trip {
  readonly item: string;
  readonly itemKind: string;
  readonly vehicle: string;
  readonly seq: string;
  readonly from: number;
  readonly to: number;
}

/** Shipments on vehicles, with their receipt; `where` narrows the rows. */
async function tripsWhere(db: Db, view: TraceView, config: ScopeRuleConfig, where: ReturnType<typeof sql>): Promise<Trip[]> {
  const r = await sql<{ item: string; item_kind: string; vehicle: string; seq: string; t: Date; received: Date | null }>`
    SELECT m.item, m.item_kind, m.vehicle, m.seq, m.event_time AS t,
      (SELECT min(x.event_time) FROM trace_moves x
        WHERE x.org_id = m.org_id AND x.item = m.item AND x.kind = 'received' AND x.event_time >= m.event_time AND ${visible(view, 'x')}) AS received
    FROM trace_moves m
    WHERE m.org_id = ${view.orgId} AND m.kind = 'shipped' AND m.vehicle IS NOT NULL AND ${visible(view, 'm')} AND ${where}`.execute(db);
  return r.rows.map((row) => ({
    item: row.item,
    itemKind: row.item_kind,
    vehicle: row.vehicle,
    seq: row.seq,
    from: row.t.getTime(),
    to: row.received?.getTime() ?? row.t.getTime() + config.vehicleHours * 3600_000,
  }));
}

/** Lots that travelled on a vehicle at the same time as a suspect lot (overlapping transits). */
/** The suspect goods' own trips; a container's only while it held them. */
async function suspectTrips(db: Db, view: TraceView, config: ScopeRuleConfig, suspects: readonly string[]): Promise<Trip[]> {
  const graph = await walk(db, view, suspects.map((node) => ({ node, window: ALL_TIME, via: null })), 'downstream', undefined, CONTAINMENT);
  const items = [...graph.reached.keys()];
  return (await tripsWhere(db, view, config, sql`m.item IN (SELECT unnest(${items}::text[]))`)).filter((trip) =>
    (graph.reached.get(trip.item)?.windows ?? [ALL_TIME]).some((w) => trip.from >= w.lo && trip.from < w.hi),
  );
}

/**
 * The lots on a vehicle at some time within any of `intervals` (overlapping transits): lots shipped
 * loose, and what shipped containers held when they were shipped. One query and one walk per call.
 */
async function lotsOnVehicle(db: Db, view: TraceView, config: ScopeRuleConfig, vehicle: string, intervals: readonly { from: number; to: number }[]): Promise<Map<string, Trip>> {
  const longest = config.vehicleHours * 3600_000 * 8;
  const from = Math.min(...intervals.map((i) => i.from));
  const to = Math.max(...intervals.map((i) => i.to));
  const others = (await tripsWhere(db, view, config, sql`m.vehicle = ${vehicle} AND m.event_time >= ${new Date(from - longest)} AND m.event_time < ${new Date(to)}`)).filter((o) =>
    intervals.some((i) => o.from < i.to && o.to > i.from),
  );
  const lots = new Map<string, Trip>();
  for (const o of others) if (o.itemKind === 'lot') lots.set(o.item, o);
  const containers = others.filter((x) => x.itemKind === 'container');
  if (containers.length > 0) {
    // What each container held when it was shipped.
    const up = await walk(db, view, containers.map((o) => ({ node: o.item, window: { lo: o.from, hi: o.from + 1 }, via: null })), 'upstream', undefined, CONTAINMENT);
    for (const r of up.reached.values()) {
      if (r.cls.kind !== 'lot' || lots.has(r.node)) continue;
      const seed = r.path[0]?.node;
      lots.set(r.node, containers.find((c) => c.item === seed) ?? (containers[0] as Trip));
    }
  }
  return lots;
}

/** Readings on a vehicle during the suspect goods' trips that break a limit: other goods aboard then were exposed too. */
async function vehicleExcursions(db: Db, view: TraceView, config: ScopeRuleConfig, trips: readonly Trip[], addEvidence: (lot: string, e: ScopeEvidence) => void): Promise<void> {
  for (const trip of trips) {
    const r = await sql<{ seq: string; type: string; time: Date; value: number | null; uom: string | null; exception: string | null }>`
      SELECT r.seq, r.type, r.time, r.value, r.uom, r.exception FROM trace_readings r
      WHERE r.org_id = ${view.orgId} AND r.place = ${trip.vehicle} AND r.time >= ${new Date(trip.from)} AND r.time <= ${new Date(trip.to)} AND ${visible(view, 'r')}`.execute(db);
    const bad = r.rows.filter((x) => breaks(config, x));
    if (bad.length === 0) continue;
    const lo = Math.min(...bad.map((b) => b.time.getTime()));
    const hi = Math.max(...bad.map((b) => b.time.getTime())) + 1;
    const worst = bad.map((b) => `${localName(b.type)} ${b.value ?? b.exception}${b.uom ? ` ${b.uom}` : ''}`).slice(0, 3).join(', ');
    for (const [lot] of await lotsOnVehicle(db, view, config, trip.vehicle, [{ from: lo, to: hi }])) {
      addEvidence(lot, { rule: 'excursion', detail: `on vehicle ${trip.vehicle} during an excursion (${worst})`, detailZh: `车辆 ${trip.vehicle} 环境超标期间在车上(${worst})`, shared: `${trip.vehicle}@${new Date(lo).toISOString()}`, eventIds: [...new Set(bad.map((b) => b.seq))] });
    }
  }
}

function breaks(config: ScopeRuleConfig, x: { type: string; value: number | null; exception: string | null }): boolean {
  return x.exception !== null || config.excursionLimits.some((l) => typeMatches(l.type, x.type) && x.value !== null && ((l.max !== undefined && x.value > l.max) || (l.min !== undefined && x.value < l.min)));
}

async function vehicleTrips(db: Db, view: TraceView, config: ScopeRuleConfig, own: readonly Trip[], suspectSet: ReadonlySet<string>, addEvidence: (lot: string, e: ScopeEvidence) => void): Promise<void> {
  const byVehicle = new Map<string, Trip[]>();
  for (const trip of own) (byVehicle.get(trip.vehicle) ?? byVehicle.set(trip.vehicle, []).get(trip.vehicle))?.push(trip);
  for (const [vehicle, trips] of byVehicle) {
    const lots = await lotsOnVehicle(db, view, config, vehicle, trips);
    for (const [lot, o] of lots) {
      if (suspectSet.has(lot)) continue;
      const trip = trips.find((t) => o.from < t.to && o.to > t.from) ?? (trips[0] as Trip);
      const when = new Date(trip.from).toISOString();
      addEvidence(lot, {
        rule: 'vehicle',
        detail: `on vehicle ${vehicle} during the suspect goods' trip of ${when}`,
        detailZh: `与可疑产品同车 ${vehicle}(${when} 发车)`,
        shared: vehicle,
        eventIds: [trip.seq, o.seq],
      });
    }
  }
}

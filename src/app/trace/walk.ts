/**
 * Walk the trace graph breadth first, one SQL query per level. Downstream follows flow edges
 * (input → transformation → output, lot or child → container); upstream follows them backwards.
 * A container's contents count only while packed: every reached node carries the time window in
 * which the path to it holds; containment outside the window, and (downstream) consumption outside
 * it, are not followed. There is no depth limit (a starter fed daily for years is a long chain);
 * a visit budget stops pathological graphs and marks the answer truncated. Visits are keyed by
 * node and window, so cycles end (windows are intersections of finitely many edge intervals).
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import { type NodeClass, classifyNode } from './identifiers.ts';
import type { TraceStep } from './types.ts';
import { type FlowRow, indexLinksAt } from './index/queries.ts';
import type { TraceIndex } from './index/memory-index.ts';
import { traceIndexFor, traceIndexOf } from './index/registry.ts';
import { type TraceView, visible } from './view.ts';

type Db = Kysely<Schema>;

/** [lo, hi) in epoch ms; ±Infinity when open. */
export interface Window {
  readonly lo: number;
  readonly hi: number;
}
export const ALL_TIME: Window = { lo: -Infinity, hi: Infinity };

export interface Reached {
  readonly node: string;
  readonly cls: NodeClass;
  readonly direction: 'origin' | 'upstream' | 'downstream';
  readonly depth: number;
  readonly path: readonly TraceStep[];
  /** Windows in which the node is reached (one per distinct path window). */
  readonly windows: Window[];
}

/** An edge the walk followed, in flow direction (from → to). */
export interface WalkedEdge {
  readonly from: string;
  readonly to: string;
  readonly link: string;
  readonly seq: number;
  readonly time: number;
  readonly qty: number | null;
  readonly uom: string | null;
  /** For containment: [packed, unpacked). */
  readonly valid: Window;
}

export interface WalkResult {
  readonly reached: Map<string, Reached>;
  readonly edges: WalkedEdge[];
  /** True when the walk stopped at MAX_VISITS: the answer is incomplete. */
  truncated?: boolean;
}

/** A starting point: a node with the window it is considered in. */
export interface WalkSeed {
  readonly node: string;
  readonly window: Window;
  readonly via: TraceStep | null;
}

/** Most (node, window) visits of one walk; beyond, the walk stops and says it was cut short. */
export const MAX_VISITS = 2_000_000;
const FLOW = ['consumed', 'produced', 'packed', 'carries'];
/** Only containment: where a lot's own units went, not what was made from them. */
export const CONTAINMENT = ['packed', 'carries'];

interface LinkRow {
  src: string;
  dst: string;
  link: string;
  seq: string;
  t: Date;
  qty: number | null;
  uom: string | null;
  until: Date | null;
}

/**
 * The flow links out of (downstream) or into (upstream) `nodes`, with the end of each containment:
 * from the in-memory trace index when it covers the view (index/queries.ts), else one SQL query.
 */
async function linksAt(db: Db, view: TraceView, nodes: readonly string[], direction: 'upstream' | 'downstream', flow: readonly string[]): Promise<FlowRow[]> {
  const index = traceIndexFor(db, view);
  if (index) return indexLinksAt(index, view, nodes, direction, flow);
  return sqlLinksAt(db, view, nodes, direction, flow);
}

/** The SQL form of `linksAt` (also what the index is checked against). */
export async function sqlLinksAt(db: Db, view: TraceView, nodes: readonly string[], direction: 'upstream' | 'downstream', flow: readonly string[]): Promise<FlowRow[]> {
  const side = direction === 'downstream' ? sql.ref('l.src') : sql.ref('l.dst');
  const r = await sql<LinkRow>`
    SELECT l.src, l.dst, l.link, l.seq, l.event_time AS t, l.qty, l.uom,
      CASE WHEN l.link IN ('packed', 'carries') THEN (
        SELECT min(u.event_time) FROM trace_links u
        WHERE u.org_id = l.org_id AND u.dst = l.dst AND u.link = 'unpacked' AND (u.src = l.src OR u.src = '*')
          AND u.event_time >= l.event_time AND ${visible(view, 'u')}) END AS until
    FROM unnest(${nodes}::text[]) AS n(node)
    JOIN trace_links l ON l.org_id = ${view.orgId} AND ${side} = n.node
    WHERE l.link = ANY(${flow}::text[]) AND ${visible(view, 'l')}`.execute(db);
  return r.rows.map((row) => ({ src: row.src, dst: row.dst, link: row.link, seq: Number(row.seq), t: row.t.getTime(), qty: row.qty, uom: row.uom, until: row.until === null ? null : row.until.getTime() }));
}

const intersect = (a: Window, b: Window): Window | null => {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo < hi ? { lo, hi } : null;
};

/** Walk from `seeds` in one direction. `reached` may already hold the origin. */
export async function walk(db: Db, view: TraceView, seeds: readonly WalkSeed[], direction: 'upstream' | 'downstream', into?: WalkResult, flow: readonly string[] = FLOW): Promise<WalkResult> {
  return walkOver((nodes) => linksAt(db, view, nodes, direction, flow), seeds, direction, into);
}

/** The same walk over one trace index, never SQL (what the property test compares with the SQL walk). */
export async function walkIndex(index: TraceIndex, view: TraceView, seeds: readonly WalkSeed[], direction: 'upstream' | 'downstream', into?: WalkResult, flow: readonly string[] = FLOW): Promise<WalkResult> {
  return walkOver(async (nodes) => indexLinksAt(index, view, nodes, direction, flow), seeds, direction, into);
}

/** The walk itself, given where a level's links come from. */
async function walkOver(linksOf: (nodes: readonly string[]) => Promise<FlowRow[]>, seeds: readonly WalkSeed[], direction: 'upstream' | 'downstream', into?: WalkResult): Promise<WalkResult> {
  const result: WalkResult = into ?? { reached: new Map(), edges: [] };
  const seen = new Set<string>();
  const visitKey = (node: string, w: Window) => `${node}\u0000${w.lo}\u0000${w.hi}`;
  let frontier: { node: string; window: Window; path: readonly TraceStep[] }[] = [];
  for (const s of seeds) {
    const existing = result.reached.get(s.node);
    const origin: TraceStep = { node: seeds[0]?.node ?? s.node, eventId: null, link: null };
    const path = existing?.path ?? (s.via ? [origin, s.via] : [origin]);
    if (!existing) result.reached.set(s.node, { node: s.node, cls: classifyNode(s.node), direction: s.via ? direction : 'origin', depth: s.via ? 1 : 0, path, windows: [s.window] });
    seen.add(visitKey(s.node, s.window));
    frontier.push({ node: s.node, window: s.window, path });
  }
  while (frontier.length > 0) {
    if (seen.size > MAX_VISITS) {
      result.truncated = true;
      break;
    }
    const rows = await linksOf([...new Set(frontier.map((f) => f.node))]);
    const bySide = new Map<string, FlowRow[]>();
    for (const row of rows) {
      const key = direction === 'downstream' ? row.src : row.dst;
      let list = bySide.get(key);
      if (!list) bySide.set(key, (list = []));
      list.push(row);
    }
    // Each node's links in a fixed order (seq, far end, kind, time), so that which path reaches a node
    // first does not depend on the order the rows were read in (index or SQL, any plan).
    const far = direction === 'downstream' ? (r: FlowRow) => r.dst : (r: FlowRow) => r.src;
    for (const list of bySide.values()) if (list.length > 1) list.sort((a, b) => a.seq - b.seq || (far(a) < far(b) ? -1 : far(a) > far(b) ? 1 : 0) || (a.link < b.link ? -1 : a.link > b.link ? 1 : 0) || a.t - b.t);
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const row of bySide.get(f.node) ?? []) {
        const t = row.t;
        const containment = row.link === 'packed' || row.link === 'carries';
        const valid: Window = containment ? { lo: t, hi: row.until === null ? Infinity : row.until } : { lo: t, hi: t + 1 };
        // Window rules: containment narrows to [packed, unpacked); downstream, an input flows on only if
        // consumed inside its window, and outputs start afresh.
        let window: Window | null;
        if (containment) window = intersect(f.window, valid);
        else if (direction === 'downstream') window = row.link === 'produced' || (t >= f.window.lo && t < f.window.hi) ? ALL_TIME : null;
        // Upstream, an input is seen as it was when consumed: a container's contents at that moment.
        else window = row.link === 'consumed' ? { lo: t, hi: t + 1 } : ALL_TIME;
        if (window === null) continue;
        const to = direction === 'downstream' ? row.dst : row.src;
        const seq = row.seq;
        result.edges.push({ from: row.src, to: row.dst, link: row.link, seq, time: t, qty: row.qty, uom: row.uom, valid });
        const key = visitKey(to, window);
        if (seen.has(key)) continue;
        seen.add(key);
        const step: TraceStep = { node: to, eventId: String(seq), link: row.link };
        const existing = result.reached.get(to);
        const path = existing?.path ?? [...f.path, step];
        if (existing) existing.windows.push(window);
        else result.reached.set(to, { node: to, cls: classifyNode(to), direction, depth: f.path.length, path, windows: [window] });
        next.push({ node: to, window, path });
      }
    }
    frontier = next;
  }
  return result;
}

/** Replace the ledger seqs in paths with event IDs (one query). */
export async function namePathEvents(db: Db, orgId: string, reached: Map<string, Reached>): Promise<Map<number, string>> {
  const seqs = new Set<number>();
  for (const r of reached.values()) for (const s of r.path) if (s.eventId !== null) seqs.add(Number(s.eventId));
  return eventIdsOf(db, orgId, [...seqs]);
}

/**
 * Event IDs (or hash IDs) of ledger seqs. Lists are joined as unnest(…) rather than `= ANY(…)`
 * throughout the trace code: the planner then probes the index once per value, where a long
 * ANY list (and PGlite's missing statistics) can make it scan the whole table.
 */
/** Most event IDs the index keeps per organisation (about 100 MiB); beyond, it starts afresh. */
const EVENT_ID_CACHE = 1_000_000;

export async function eventIdsOf(db: Db, orgId: string, seqs: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (seqs.length === 0) return out;
  // The trace index keeps the IDs it has been asked for (an event's ID never changes once committed;
  // a transaction's handle has no index, so an uncommitted event is never cached).
  const cache = traceIndexOf(db, orgId)?.eventIds ?? null;
  const missing = cache === null ? seqs : seqs.filter((seq) => !cache.has(seq));
  if (cache !== null) for (const seq of seqs) if (cache.has(seq)) out.set(seq, cache.get(seq) as string);
  if (missing.length === 0) return out;
  const r = await sql<{ seq: string; id: string }>`
    SELECT e.seq, coalesce(e.event_id, e.hash_id) AS id FROM unnest(${missing}::bigint[]) AS s(seq) JOIN epcis_events e ON e.org_id = ${orgId} AND e.seq = s.seq`.execute(db);
  if (cache !== null && cache.size + r.rows.length > EVENT_ID_CACHE) cache.clear();
  for (const row of r.rows) {
    out.set(Number(row.seq), row.id);
    cache?.set(Number(row.seq), row.id);
  }
  return out;
}

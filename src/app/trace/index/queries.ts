/**
 * The trace engine's reads, answered from a TraceIndex. Each function mirrors one SQL query of
 * walk.ts, trace.ts, view.ts or mass-balance.ts (named in its comment) and returns the same rows,
 * with the same visibility rule (`seq ≤ view.maxSeq` and not retracted); the callers share everything
 * after the read, so the SQL and index paths differ only in where rows come from.
 */
import type { TraceView } from '../view.ts';
import { LINK_KINDS, NONE, type TraceIndex, nullable } from './memory-index.ts';

/** A flow link as walk.ts reads it; times in epoch ms. */
export interface FlowRow {
  src: string;
  dst: string;
  link: string;
  seq: number;
  t: number;
  qty: number | null;
  uom: string | null;
  until: number | null;
}

/** A movement row as trace.ts reads it; times in epoch ms. */
export interface MoveRowN {
  seq: number;
  item: string;
  item_kind: string;
  series: string | null;
  lo: number | null;
  hi: number | null;
  kind: string;
  qty: number | null;
  uom: string | null;
  place: string | null;
  source: string | null;
  destination: string | null;
  vehicle: string | null;
  t: number;
}

/** The same row as SQL reads it: bigint columns as text, the time as a Date. */
export type MoveRow = Omit<MoveRowN, 'seq' | 'lo' | 'hi' | 't'> & { seq: string; lo: string | null; hi: string | null; t: Date };

export interface ReadingRowN {
  seq: number;
  ord: number;
  time: Date;
  type: string;
  value: number | null;
  min_value: number | null;
  max_value: number | null;
  uom: string | null;
  exception: string | null;
  device: string | null;
  place: string | null;
}

const LINK_CODE = new Map<string, number>(LINK_KINDS.map((k, i) => [k, i]));
const PACKED = LINK_CODE.get('packed') as number;
const CARRIES = LINK_CODE.get('carries') as number;
const CONSUMED = LINK_CODE.get('consumed') as number;
const PRODUCED = LINK_CODE.get('produced') as number;

/** The view's visibility rule on a seq. */
export function visibility(view: TraceView): (seq: number) => boolean {
  const max = view.maxSeq;
  if (view.retracted.length === 0) return (seq) => seq <= max;
  const retracted = new Set(view.retracted);
  return (seq) => seq <= max && !retracted.has(seq);
}

/** walk.ts `linksAt`: flow links out of (downstream) or into (upstream) `nodes`, with each containment's end. */
export function indexLinksAt(idx: TraceIndex, view: TraceView, nodes: readonly string[], direction: 'upstream' | 'downstream', flow: readonly string[]): FlowRow[] {
  const ok = visibility(view);
  const kinds = new Set(flow.map((k) => LINK_CODE.get(k) ?? NONE));
  const c = idx.links.cols;
  const chains = direction === 'downstream' ? idx.linksOut : idx.linksIn;
  const s = idx.strings;
  const out: FlowRow[] = [];
  for (const node of nodes) {
    for (let i = chains.first(s.find(node)); i !== NONE; i = chains.next[i] as number) {
      const link = c.link[i] as number;
      if (!kinds.has(link) || !ok(c.seq[i] as number)) continue;
      const t = c.time[i] as number;
      let until: number | null = null;
      if (link === PACKED || link === CARRIES) {
        const src = c.src[i] as number;
        for (let u = idx.unpackings.first(c.dst[i] as number); u !== NONE; u = idx.unpackings.next[u] as number) {
          const ut = c.time[u] as number;
          if ((c.src[u] === src || c.src[u] === idx.star) && ut >= t && ok(c.seq[u] as number) && (until === null || ut < until)) until = ut;
        }
      }
      out.push({ src: s.text(c.src[i] as number) as string, dst: s.text(c.dst[i] as number) as string, link: LINK_KINDS[link] as string, seq: c.seq[i] as number, t, qty: nullable(c.qty[i] as number), uom: s.text(c.uom[i] as number), until });
    }
  }
  return out;
}

/** Visible links of one kind into (`in`) or out of (`out`) the nodes: dst, src, seq, qty, uom. */
export function indexLinksOfKind(idx: TraceIndex, view: TraceView, nodes: readonly string[], side: 'in' | 'out', kind: 'consumed' | 'produced'): { src: string; dst: string; seq: number; qty: number | null; uom: string | null }[] {
  const ok = visibility(view);
  const code = kind === 'consumed' ? CONSUMED : PRODUCED;
  const c = idx.links.cols;
  const chains = side === 'in' ? idx.linksIn : idx.linksOut;
  const s = idx.strings;
  const out: { src: string; dst: string; seq: number; qty: number | null; uom: string | null }[] = [];
  for (const node of nodes) {
    for (let i = chains.first(s.find(node)); i !== NONE; i = chains.next[i] as number) {
      if (c.link[i] !== code || !ok(c.seq[i] as number)) continue;
      out.push({ src: s.text(c.src[i] as number) as string, dst: s.text(c.dst[i] as number) as string, seq: c.seq[i] as number, qty: nullable(c.qty[i] as number), uom: s.text(c.uom[i] as number) });
    }
  }
  return out;
}

/** view.ts `nodeExists`: which of the nodes a visible link or movement names. */
export function indexNodesKnown(idx: TraceIndex, view: TraceView, nodes: readonly string[]): string[] {
  const ok = visibility(view);
  const seqOfLink = idx.links.cols.seq;
  const seqOfMove = idx.moves.cols.seq;
  const any = (chains: { first(k: number): number; next: Int32Array }, seqs: Float64Array, key: number): boolean => {
    for (let i = chains.first(key); i !== NONE; i = chains.next[i] as number) if (ok(seqs[i] as number)) return true;
    return false;
  };
  return [...new Set(nodes)].filter((node) => {
    const k = idx.strings.find(node);
    return k !== NONE && (any(idx.linksIn, seqOfLink, k) || any(idx.linksOut, seqOfLink, k) || any(idx.movesByItem, seqOfMove, k));
  });
}

/** view.ts `lotOfUnit`: the lot a unit number was commissioned into (the same 8 nearest ranges below it). */
export function indexLotOfUnit(idx: TraceIndex, view: TraceView, series: string, n: number): string | null {
  const ok = visibility(view);
  const c = idx.units.cols;
  const commissioned = idx.strings.find('commissioned');
  const below: number[] = [];
  for (let i = idx.unitsBySeries.first(idx.strings.find(series)); i !== NONE; i = idx.unitsBySeries.next[i] as number) {
    if (c.role[i] === commissioned && (c.lo[i] as number) <= n && ok(c.seq[i] as number)) below.push(i);
  }
  below.sort((a, b) => (c.lo[b] as number) - (c.lo[a] as number));
  const hit = below.slice(0, 8).find((i) => (c.hi[i] as number) >= n);
  return hit === undefined ? null : idx.strings.text(c.lot[hit] as number);
}

/** trace.ts `unitContainers`: packings/unpackings of a unit number (of its lot, or of no lot), in time order, and containers emptied. */
export function indexUnitPackings(idx: TraceIndex, view: TraceView, series: string, n: number, lot: string | null): { packings: { role: string; target: string; t: number; seq: number }[]; emptied: { dst: string; t: number }[] } {
  const ok = visibility(view);
  const c = idx.units.cols;
  const s = idx.strings;
  const packed = s.find('packed');
  const unpacked = s.find('unpacked');
  const lotId = lot === null ? NONE : s.find(lot);
  if (lot !== null && lotId === NONE) return { packings: [], emptied: [] };
  const packings: { role: string; target: string; t: number; seq: number }[] = [];
  for (let i = idx.unitsBySeries.first(s.find(series)); i !== NONE; i = idx.unitsBySeries.next[i] as number) {
    const role = c.role[i] as number;
    if ((role !== packed && role !== unpacked) || c.lot[i] !== lotId || (c.lo[i] as number) > n || (c.hi[i] as number) < n || !ok(c.seq[i] as number)) continue;
    packings.push({ role: s.text(role) as string, target: s.text(c.target[i] as number) as string, t: c.time[i] as number, seq: c.seq[i] as number });
  }
  packings.sort((a, b) => a.t - b.t);
  const emptied: { dst: string; t: number }[] = [];
  const lc = idx.links.cols;
  for (const target of new Set(packings.map((p) => p.target))) {
    for (let u = idx.unpackings.first(s.find(target)); u !== NONE; u = idx.unpackings.next[u] as number) {
      if (lc.src[u] === idx.star && ok(lc.seq[u] as number)) emptied.push({ dst: target, t: lc.time[u] as number });
    }
  }
  return { packings, emptied };
}

function moveRow(idx: TraceIndex, i: number): MoveRowN {
  const c = idx.moves.cols;
  const s = idx.strings;
  return {
    seq: c.seq[i] as number,
    item: s.text(c.item[i] as number) as string,
    item_kind: s.text(c.itemKind[i] as number) as string,
    series: s.text(c.series[i] as number),
    lo: nullable(c.lo[i] as number),
    hi: nullable(c.hi[i] as number),
    kind: s.text(c.kind[i] as number) as string,
    qty: nullable(c.qty[i] as number),
    uom: s.text(c.uom[i] as number),
    place: s.text(c.place[i] as number),
    source: s.text(c.source[i] as number),
    destination: s.text(c.destination[i] as number),
    vehicle: s.text(c.vehicle[i] as number),
    t: c.time[i] as number,
  };
}

/** Visible movement rows of each item (optionally of some kinds only, or only a unit's range), in (seq, ord) order. */
function movesOf(idx: TraceIndex, ok: (seq: number) => boolean, items: readonly string[], kinds: readonly string[] | null, unit: { series: string; n: number } | null, each: (i: number) => void): void {
  const c = idx.moves.cols;
  const kindIds = kinds === null ? null : new Set(kinds.map((k) => idx.strings.find(k)));
  const seriesId = unit === null ? NONE : idx.strings.find(unit.series);
  // Shipments and receipts only: their own chain, not every sale of the lot.
  const transfers = kinds !== null && kinds.every((k) => k === 'shipped' || k === 'received');
  const chains = transfers ? idx.transfersByItem : idx.movesByItem;
  for (const item of items) {
    for (let i = chains.first(idx.strings.find(item)); i !== NONE; i = chains.next[i] as number) {
      if (!ok(c.seq[i] as number)) continue;
      if (kindIds !== null && !kindIds.has(c.kind[i] as number)) continue;
      if (unit !== null && (c.series[i] !== seriesId || seriesId === NONE || (c.lo[i] as number) > unit.n || (c.hi[i] as number) < unit.n)) continue;
      each(i);
    }
  }
}

/** trace.ts lot totals: per place, kind, unit of measure and whether the rows were units, the summed quantity. */
export function indexLotTotals(idx: TraceIndex, view: TraceView, lots: readonly string[]): { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }[] {
  // A lot's totals over all its rows are kept until the lot gets another row; they serve any view that
  // sees every row of the lot (no retraction, seq bound at or past its last row).
  const out: { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }[] = [];
  const seqs = idx.moves.cols.seq;
  for (const lot of lots) {
    const id = idx.strings.find(lot);
    if (id === NONE) continue;
    const tail = id < idx.movesByItem.tail.length ? (idx.movesByItem.tail[id] as number) : NONE;
    if (tail === NONE) continue;
    const whole = view.retracted.length === 0 && (seqs[tail] as number) <= view.maxSeq;
    if (!whole) {
      out.push(...lotTotals(idx, view, [lot]));
      continue;
    }
    let cached = idx.lotTotals.get(id);
    if (!cached || cached.tail !== tail) idx.lotTotals.set(id, (cached = { tail, groups: lotTotals(idx, view, [lot]) }));
    out.push(...cached.groups);
  }
  // Summed over the lots together, as the SQL GROUP BY does (a place's produced is the larger of the lots' outputs and their units).
  const merged = new Map<string, { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }>();
  for (const g of out) {
    const key = `${g.place}\u0000${g.kind}\u0000${g.uom}\u0000${g.units}`;
    const m = merged.get(key);
    if (!m) merged.set(key, { ...g });
    else if (g.qty !== null) m.qty = (m.qty ?? 0) + g.qty;
  }
  return [...merged.values()];
}

function lotTotals(idx: TraceIndex, view: TraceView, lots: readonly string[]): { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }[] {
  const c = idx.moves.cols;
  const groups = new Map<string, { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }>();
  movesOf(idx, visibility(view), lots, null, null, (i) => {
    const units = c.series[i] !== NONE;
    const key = `${c.place[i]}|${c.kind[i]}|${c.uom[i]}|${units ? 1 : 0}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { place: idx.strings.text(c.place[i] as number), kind: idx.strings.text(c.kind[i] as number) as string, uom: idx.strings.text(c.uom[i] as number), units, qty: null }));
    const q = c.qty[i] as number;
    if (!Number.isNaN(q)) g.qty = (g.qty ?? 0) + q;
  });
  return [...groups.values()];
}

/**
 * trace.ts movement rows: every row of `others` (containers, the origin unit), the shipments and
 * receipts of `lots`, and the rows of `unitLot` that cover the origin unit; in time order.
 */
export function indexMoveRows(idx: TraceIndex, view: TraceView, others: readonly string[], lots: readonly string[], unitLot: { lot: string; series: string; n: number } | null): MoveRowN[] {
  const ok = visibility(view);
  const rows: number[] = [];
  const push = (i: number) => rows.push(i);
  movesOf(idx, ok, others, null, null, push);
  movesOf(idx, ok, lots, ['shipped', 'received'], null, push);
  if (unitLot) movesOf(idx, ok, [unitLot.lot], null, unitLot, push);
  const c = idx.moves.cols;
  rows.sort((a, b) => (c.time[a] as number) - (c.time[b] as number) || a - b);
  return rows.map((i) => moveRow(idx, i));
}

/** trace.ts `rawLotInfo`: produced and received rows of lots, in time order. */
export function indexLotArrivals(idx: TraceIndex, view: TraceView, lots: readonly string[]): MoveRowN[] {
  const rows: number[] = [];
  movesOf(idx, visibility(view), lots, ['produced', 'received'], null, (i) => rows.push(i));
  const c = idx.moves.cols;
  rows.sort((a, b) => (c.time[a] as number) - (c.time[b] as number) || a - b);
  return rows.map((i) => moveRow(idx, i));
}

function readingRow(idx: TraceIndex, i: number): ReadingRowN {
  const c = idx.readings.cols;
  const s = idx.strings;
  return {
    seq: c.seq[i] as number,
    ord: c.ord[i] as number,
    time: new Date(c.time[i] as number),
    type: s.text(c.type[i] as number) as string,
    value: nullable(c.value[i] as number),
    min_value: nullable(c.min[i] as number),
    max_value: nullable(c.max[i] as number),
    uom: s.text(c.uom[i] as number),
    exception: s.text(c.exception[i] as number),
    device: s.text(c.device[i] as number),
    place: s.text(c.place[i] as number),
  };
}

/**
 * trace.ts readings at places (and, with `bySite`, at sites) between two times (inclusive), each asked
 * window numbered from 1 as `i`; in time order.
 */
export function indexReadings(idx: TraceIndex, view: TraceView, asked: readonly { place: string; t0: number; t1: number }[], bySite: boolean): (ReadingRowN & { i: number })[] {
  const ok = visibility(view);
  const c = idx.readings.cols;
  const hits: { r: number; i: number }[] = [];
  asked.forEach((x, k) => {
    const key = idx.strings.find(x.place);
    const seen = new Set<number>();
    for (const chains of bySite ? [idx.readingsByPlace, idx.readingsBySite] : [idx.readingsByPlace]) {
      for (let r = chains.first(key); r !== NONE; r = chains.next[r] as number) {
        const t = c.time[r] as number;
        if (t < x.t0 || t > x.t1 || !ok(c.seq[r] as number) || seen.has(r)) continue;
        seen.add(r);
        hits.push({ r, i: k + 1 });
      }
    }
  });
  hits.sort((a, b) => (c.time[a.r] as number) - (c.time[b.r] as number) || a.r - b.r || a.i - b.i);
  return hits.map((h) => ({ ...readingRow(idx, h.r), i: h.i }));
}

/** mass-balance.ts: the quantity of the lots consumed by transformations (null when none). */
export function indexConsumed(idx: TraceIndex, view: TraceView, lots: readonly string[]): number | null {
  let sum: number | null = null;
  for (const l of indexLinksOfKind(idx, view, lots, 'out', 'consumed')) if (l.qty !== null) sum = (sum ?? 0) + l.qty;
  return sum;
}

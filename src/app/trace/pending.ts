/**
 * Units whose lot an event does not say (a sale scans only the serial): the store resolves them
 * against the commissioned ranges, so that rows carry the lot and a lot's trace never has to search
 * serials. Units whose lot stays unknown become nodes of their own.
 */
import type { DerivedTrace, LinkKind, LinkRow, MoveRow, UnitRow } from './derive.ts';
import { type UnitRange, unitIdOf } from './identifiers.ts';

/** A commissioned range: these units belong to `lot`. */
export interface LotRange extends UnitRange {
  readonly lot: string;
}

export interface PendingTrace {
  readonly units: readonly UnitRow[];
  readonly moves: readonly MoveRow[];
  /** Ranges commissioned by the same document (they resolve its later events). */
  readonly commissioned: readonly LotRange[];
}

/** Rows whose lot is known, with the lot → parent links of packed units; the rest pending. */
export function splitPending(trace: DerivedTrace): { ready: DerivedTrace; pending: PendingTrace } {
  const readyUnits = trace.units.filter((u) => u.lot !== null);
  const pendingUnits = trace.units.filter((u) => u.lot === null);
  const pendingMoves = trace.moves.filter((m) => m.item === null);
  const ready: DerivedTrace = {
    links: [...trace.links, ...lotLinks(readyUnits)],
    units: readyUnits,
    moves: pendingMoves.length === 0 ? trace.moves : trace.moves.filter((m) => m.item !== null),
    readings: trace.readings,
    retractions: trace.retractions,
  };
  const hasPending = pendingUnits.length > 0 || pendingMoves.length > 0;
  const commissioned = hasPending ? readyUnits.filter((u) => u.role === 'commissioned').map((u) => ({ series: u.series, lo: u.lo, hi: u.hi, lot: u.lot as string })) : [];
  return { ready, pending: { units: pendingUnits, moves: pendingMoves, commissioned } };
}

/** The distinct ranges a pending set asks about. */
export function pendingRanges(pending: PendingTrace): UnitRange[] {
  const seen = new Map<string, UnitRange>();
  for (const r of [...pending.units, ...pending.moves]) {
    if (r.series === null || r.lo === null || r.hi === null) continue;
    seen.set(`${r.series}|${r.lo}|${r.hi}`, { series: r.series, lo: r.lo, hi: r.hi });
  }
  return [...seen.values()];
}

/**
 * Resolve pending rows with the lots of `known` ranges (the document's own and the stored ones):
 * each row splits into one row per lot it spans; units of no known lot become their own nodes.
 */
export function resolvePending(pending: PendingTrace, known: readonly LotRange[]): DerivedTrace {
  const bySeries = new Map<string, LotRange[]>();
  for (const r of [...pending.commissioned, ...known]) {
    let list = bySeries.get(r.series);
    if (!list) bySeries.set(r.series, (list = []));
    list.push(r);
  }
  for (const list of bySeries.values()) list.sort((a, b) => a.lo - b.lo);

  const out: DerivedTrace = { links: [], units: [], moves: [], readings: [], retractions: [] };
  for (const u of pending.units) {
    for (const piece of pieces(u, bySeries)) {
      if (piece.lot !== null) out.units.push({ ...u, lo: piece.lo, hi: piece.hi, lot: piece.lot });
      else for (const id of unitIds(u.series, piece.lo, piece.hi)) out.links.push(unitLink(u, id));
    }
  }
  out.links.push(...lotLinks(out.units));
  for (const m of pending.moves) {
    if (m.series === null || m.lo === null || m.hi === null) continue;
    for (const piece of pieces({ series: m.series, lo: m.lo, hi: m.hi }, bySeries)) {
      if (piece.lot !== null) out.moves.push({ ...m, item: piece.lot, item_kind: 'lot', lo: piece.lo, hi: piece.hi, qty: piece.hi - piece.lo + 1 });
      else for (const id of unitIds(m.series, piece.lo, piece.hi)) out.moves.push({ ...m, item: id, item_kind: 'unit', lo: null, hi: null, series: null, qty: 1 });
    }
  }
  return out;
}

/** A range cut at the edges of the known lot ranges: [lo, hi] with its lot, or null where unknown. */
function pieces(r: UnitRange, bySeries: ReadonlyMap<string, readonly LotRange[]>): { lo: number; hi: number; lot: string | null }[] {
  const known = bySeries.get(r.series) ?? [];
  const out: { lo: number; hi: number; lot: string | null }[] = [];
  let cursor = r.lo;
  for (const k of known) {
    if (k.hi < cursor) continue;
    if (k.lo > r.hi) break;
    if (k.lo > cursor) out.push({ lo: cursor, hi: k.lo - 1, lot: null });
    const hi = Math.min(k.hi, r.hi);
    out.push({ lo: Math.max(cursor, k.lo), hi, lot: k.lot });
    cursor = hi + 1;
    if (cursor > r.hi) break;
  }
  if (cursor <= r.hi) out.push({ lo: cursor, hi: r.hi, lot: null });
  return out;
}

/** The units of a range (ranges are built from the EPCs an event lists, so this never exceeds them). */
function unitIds(series: string, lo: number, hi: number): string[] {
  const ids: string[] = [];
  for (let n = lo; n <= hi; n++) ids.push(unitIdOf(series, n));
  return ids;
}

function unitLink(u: UnitRow, unitId: string): LinkRow {
  const target = u.target ?? '';
  switch (u.role) {
    case 'output':
      return { e: u.e, src: target, dst: unitId, link: 'produced', t: u.t, qty: 1, uom: null };
    case 'input':
      return { e: u.e, src: unitId, dst: target, link: 'consumed', t: u.t, qty: 1, uom: null };
    default:
      return { e: u.e, src: unitId, dst: target, link: u.role === 'unpacked' ? 'unpacked' : 'packed', t: u.t, qty: 1, uom: null };
  }
}

/** Lot-level links of unit rows: lot → parent for packed (carries) and unpacked units, lot → tx for inputs. */
export function lotLinks(units: readonly UnitRow[]): LinkRow[] {
  const sums = new Map<string, LinkRow>();
  for (const u of units) {
    if (u.lot === null || u.target === null) continue;
    let link: LinkKind;
    if (u.role === 'packed') link = 'carries';
    else if (u.role === 'unpacked') link = 'unpacked';
    else if (u.role === 'input') link = 'consumed';
    else continue;
    const key = `${u.e}|${link}|${u.lot}|${u.target}`;
    const row = sums.get(key);
    if (row) row.qty = (row.qty ?? 0) + (u.hi - u.lo + 1);
    else sums.set(key, { e: u.e, src: u.lot, dst: u.target, link, t: u.t, qty: u.hi - u.lo + 1, uom: null });
  }
  return [...sums.values()];
}

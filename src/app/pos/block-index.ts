/**
 * The block index of one organisation: its active holds by lot node, lot number and GTIN, and the
 * commissioned serial ranges of the held lots, so that a POS check is a few Map reads and a binary
 * search with no database work. Pure: built from rows the repository read (block-index.repository.ts).
 */
import { classifyNode } from '../trace/identifiers.ts';

/** What the recall case says about a hold, as the POS answer shows it. */
export interface HoldCase {
  readonly caseId: string;
  readonly caseNumber: string;
  /** Drills run in dry-run: their holds inform, they never block. */
  readonly drill: boolean;
  readonly title: string | null;
  /** A hazard word of src/core/recall/types.ts (`microbial`, `allergen`, …), or free text, or null. */
  readonly hazard: string | null;
  /** What to do, per language, from the case's notice plan; null where the case has none. */
  readonly instructions: { readonly 'zh-CN': string | null; readonly en: string | null };
}

/** One active hold: a lot (node) of an approved scope. */
export interface Hold {
  readonly node: string;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly case: HoldCase;
  readonly placedAt: Date;
}

/** A commissioned run of serials of a held lot. */
export interface HeldRange {
  readonly series: string;
  readonly lo: number;
  readonly hi: number;
  /** The held lot node. */
  readonly lot: string;
}

/** The revision and change markers an index was read at. */
export interface BlockHead {
  /** `recall_hold_heads.revision` (0 when the organisation never had a hold). */
  readonly revision: number;
  /** The ledger head seq: new events can add serials to a held lot or change what a container holds. */
  readonly seq: number;
  /** Latest change of any recall case (titles and instructions live in the case state). */
  readonly casesStamp: string;
}

/** Serial ranges of one series, sorted by `lo`, with a running maximum of `hi` for overlapping runs. */
interface SeriesRanges {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly maxHi: readonly number[];
  readonly lot: readonly string[];
}

export interface BlockIndex {
  readonly orgId: string;
  readonly head: BlockHead;
  /** Every active hold, blocking ones first, then by placement. */
  readonly holds: readonly Hold[];
  /** Whether any hold blocks (is not a drill's). */
  readonly blocking: boolean;
  readonly byNode: ReadonlyMap<string, readonly Hold[]>;
  /** By lot number alone, for batch codes typed or scanned without a GTIN. */
  readonly byLotNumber: ReadonlyMap<string, readonly Hold[]>;
  /** By GTIN-14 and lot number (`gtinLotKey`): a scanned lot needs no node id built. */
  readonly byGtinLot: ReadonlyMap<string, readonly Hold[]>;
  /** By GTIN-14, for a code that names a product but not its lot. */
  readonly byGtin: ReadonlyMap<string, readonly Hold[]>;
  readonly ranges: ReadonlyMap<string, SeriesRanges>;
}

const EMPTY: readonly Hold[] = [];

/** Order: holds that block before drills, then the oldest placement, then case number. */
function holdOrder(a: Hold, b: Hold): number {
  if (a.case.drill !== b.case.drill) return a.case.drill ? 1 : -1;
  const t = a.placedAt.getTime() - b.placedAt.getTime();
  if (t !== 0) return t;
  return a.case.caseNumber < b.case.caseNumber ? -1 : a.case.caseNumber > b.case.caseNumber ? 1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

function push<K>(map: Map<K, Hold[]>, key: K, hold: Hold): void {
  const list = map.get(key);
  if (list) list.push(hold);
  else map.set(key, [hold]);
}

/** The GTIN and lot number of a hold, from its columns or else from its node. */
export function lotOfHold(hold: Hold): { gtin: string | null; lot: string | null } {
  if (hold.gtin !== null && hold.lot !== null) return { gtin: hold.gtin, lot: hold.lot };
  const c = classifyNode(hold.node);
  return c.kind === 'lot' ? { gtin: hold.gtin ?? c.gtin, lot: hold.lot ?? c.lot } : { gtin: hold.gtin, lot: hold.lot };
}

/** Build the index from the active holds and the commissioned ranges of their lots. */
export function buildBlockIndex(orgId: string, head: BlockHead, holds: readonly Hold[], ranges: readonly HeldRange[]): BlockIndex {
  const sorted = [...holds].sort(holdOrder);
  const byNode = new Map<string, Hold[]>();
  const byLotNumber = new Map<string, Hold[]>();
  const byGtinLot = new Map<string, Hold[]>();
  const byGtin = new Map<string, Hold[]>();
  for (const h of sorted) {
    push(byNode, h.node, h);
    const { gtin, lot } = lotOfHold(h);
    if (lot !== null) push(byLotNumber, lot, h);
    if (gtin !== null) push(byGtin, gtin, h);
    if (gtin !== null && lot !== null) push(byGtinLot, gtinLotKey(gtin, lot), h);
  }
  return { orgId, head, holds: sorted, blocking: sorted.some((h) => !h.case.drill), byNode, byLotNumber, byGtinLot, byGtin, ranges: indexRanges(ranges) };
}

/** The same holds with the ranges read at a newer ledger head. */
export function withRanges(index: BlockIndex, head: BlockHead, ranges: readonly HeldRange[]): BlockIndex {
  return { ...index, head, ranges: indexRanges(ranges) };
}

/** Merge touching runs of the same lot, sort by `lo`, and keep a running maximum of `hi`. */
function indexRanges(ranges: readonly HeldRange[]): Map<string, SeriesRanges> {
  const bySeries = new Map<string, HeldRange[]>();
  for (const r of ranges) {
    const list = bySeries.get(r.series);
    if (list) list.push(r);
    else bySeries.set(r.series, [r]);
  }
  const out = new Map<string, SeriesRanges>();
  for (const [series, list] of bySeries) {
    list.sort((a, b) => a.lo - b.lo || a.hi - b.hi);
    const lo: number[] = [];
    const hi: number[] = [];
    const lot: string[] = [];
    for (const r of list) {
      // Serials commissioned one event at a time arrive as many adjacent runs of one lot: one run each.
      const last = lo.length - 1;
      if (last >= 0 && lot[last] === r.lot && r.lo <= (hi[last] as number) + 1) {
        hi[last] = Math.max(hi[last] as number, r.hi);
        continue;
      }
      lo.push(r.lo);
      hi.push(r.hi);
      lot.push(r.lot);
    }
    const maxHi: number[] = [];
    let m = -Infinity;
    for (const h of hi) maxHi.push((m = Math.max(m, h)));
    out.set(series, { lo, hi, maxHi, lot });
  }
  return out;
}

/** The active holds of a node (a lot, or anything else the recall code held). */
export function holdsOf(index: BlockIndex, node: string): readonly Hold[] {
  return index.byNode.get(node) ?? EMPTY;
}

/** The key of byGtinLot. */
export function gtinLotKey(gtin: string, lot: string): string {
  return `${gtin}|${lot}`;
}

/** The active holds of lot `lot` of `gtin` (the same as holdsOf its lot node). */
export function holdsOfLot(index: BlockIndex, gtin: string, lot: string): readonly Hold[] {
  return index.byGtinLot.get(gtinLotKey(gtin, lot)) ?? EMPTY;
}

/** The held lots whose commissioned serials include unit `n` of `series`. */
export function heldLotsOfUnit(index: BlockIndex, series: string, n: number): string[] {
  const s = index.ranges.get(series);
  if (!s) return [];
  // The last run starting at or before n; runs further left can only contain n while maxHi reaches it.
  let a = 0;
  let b = s.lo.length - 1;
  let at = -1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    if ((s.lo[mid] as number) <= n) {
      at = mid;
      a = mid + 1;
    } else b = mid - 1;
  }
  const lots: string[] = [];
  for (let i = at; i >= 0 && (s.maxHi[i] as number) >= n; i--) {
    if ((s.hi[i] as number) >= n && !lots.includes(s.lot[i] as string)) lots.push(s.lot[i] as string);
  }
  return lots;
}

/** Holds of several nodes, deduplicated and in index order. */
export function holdsOfAll(index: BlockIndex, nodes: Iterable<string>): Hold[] {
  const found = new Set<Hold>();
  for (const node of nodes) for (const h of holdsOf(index, node)) found.add(h);
  return [...found].sort(holdOrder);
}

/**
 * An in-memory reference for the trace walk (src/app/trace/walk.ts), written to be read rather than
 * to be fast: the property tests check the SQL walk against it on random graphs.
 *
 * Semantics (docs/trace.md and the intent comments of walk.ts):
 * - Visible rows: seq ≤ maxSeq and seq not retracted (flow links and 'unpacked' rows alike).
 * - Flow links: consumed (input → tx), produced (tx → output), packed (child → parent), carries
 *   (lot → parent). Downstream follows src → dst; upstream follows dst → src. Nothing else is followed.
 * - A containment link (packed, carries) at time t is valid over [t, u), u the earliest visible
 *   'unpacked' row with the same dst and the same src (or src '*') at or after t; else [t, ∞).
 * - Every state is (node, window), window = [lo, hi) in epoch ms. Following a link:
 *   - containment: the window narrows to its intersection with the link's validity (empty: not followed);
 *   - downstream 'consumed' at t: followed only if t lies in the window; the tx starts afresh (all time);
 *   - downstream 'produced': the output starts afresh (all time);
 *   - upstream 'produced': the tx starts afresh (all time);
 *   - upstream 'consumed' at t: the input is seen as it was when consumed, [t, t + 1).
 * - States are visited once, so cycles end; a node is reached when some state of it is.
 */

/** The links the walk reads and the one it ignores. */
export type LinkKind = 'consumed' | 'produced' | 'packed' | 'carries' | 'unpacked' | 'associated';

/** One row of trace_links, as the reference needs it (time in epoch ms). */
export interface LinkRow {
  readonly seq: number;
  readonly src: string;
  readonly dst: string;
  readonly link: LinkKind;
  readonly time: number;
}

/** Which rows are visible: the reference's copy of TraceView's rule. */
export interface RefView {
  readonly maxSeq: number;
  readonly retracted: readonly number[];
}

/** [lo, hi) in epoch ms; ±Infinity when open. */
export interface RefWindow {
  readonly lo: number;
  readonly hi: number;
}

export type Direction = 'upstream' | 'downstream';

/** What the reference walk found from one start node. */
export interface RefWalk {
  /** Every node reached, the start included. */
  readonly nodes: Set<string>;
  /** Every (node, window) state visited, as `node|lo|hi`. */
  readonly states: Set<string>;
  /** Breadth-first generations with at least one state: the SQL walk runs one query per generation. */
  readonly levels: number;
}

const ALL: RefWindow = { lo: -Infinity, hi: Infinity };

const isVisible = (row: LinkRow, view: RefView): boolean => row.seq <= view.maxSeq && !view.retracted.includes(row.seq);

const isContainment = (link: LinkKind): boolean => link === 'packed' || link === 'carries';

const isFlow = (link: LinkKind): boolean => link === 'consumed' || link === 'produced' || isContainment(link);

/** When a containment row ends: the earliest visible matching 'unpacked' at or after it (∞ if none). */
export function containmentEnd(rows: readonly LinkRow[], view: RefView, packed: LinkRow): number {
  let end = Infinity;
  for (const u of rows) {
    const matches = u.link === 'unpacked' && u.dst === packed.dst && (u.src === packed.src || u.src === '*');
    if (matches && isVisible(u, view) && u.time >= packed.time && u.time < end) end = u.time;
  }
  return end;
}

/** The window after following `row` from a state with window `w`, or null when the row is not followed. */
export function stepWindow(rows: readonly LinkRow[], view: RefView, row: LinkRow, w: RefWindow, direction: Direction): RefWindow | null {
  if (isContainment(row.link)) {
    const lo = Math.max(w.lo, row.time);
    const hi = Math.min(w.hi, containmentEnd(rows, view, row));
    return lo < hi ? { lo, hi } : null;
  }
  if (direction === 'downstream') {
    if (row.link === 'produced') return ALL;
    return w.lo <= row.time && row.time < w.hi ? ALL : null;
  }
  return row.link === 'consumed' ? { lo: row.time, hi: row.time + 1 } : ALL;
}

/** Walk from `start` (in the all-time window) in `direction` over the visible flow rows. */
export function referenceWalk(rows: readonly LinkRow[], view: RefView, start: string, direction: Direction): RefWalk {
  const flow = rows.filter((r) => isFlow(r.link) && isVisible(r, view));
  const key = (node: string, w: RefWindow) => `${node}|${w.lo}|${w.hi}`;
  const nodes = new Set([start]);
  const states = new Set([key(start, ALL)]);
  let generation: { node: string; window: RefWindow }[] = [{ node: start, window: ALL }];
  let levels = 0;
  while (generation.length > 0) {
    levels++;
    const next: typeof generation = [];
    for (const { node, window } of generation) {
      for (const row of flow) {
        const from = direction === 'downstream' ? row.src : row.dst;
        if (from !== node) continue;
        const w = stepWindow(rows, view, row, window, direction);
        if (w === null) continue;
        const to = direction === 'downstream' ? row.dst : row.src;
        if (states.has(key(to, w))) continue;
        states.add(key(to, w));
        nodes.add(to);
        next.push({ node: to, window: w });
      }
    }
    generation = next;
  }
  return { nodes, states, levels };
}

/**
 * An upper bound on the states any walk over `rows` can visit: windows are all time, [t, t + 1), or
 * intersections with containment validities, so both ends come from a finite set of times.
 */
export function stateBound(rows: readonly LinkRow[], view: RefView, nodeCount: number): number {
  const ends = new Set<number>([-Infinity, Infinity]);
  for (const r of rows) {
    ends.add(r.time);
    ends.add(r.time + 1);
    if (isContainment(r.link)) ends.add(containmentEnd(rows, view, r));
  }
  return nodeCount * ends.size * ends.size;
}

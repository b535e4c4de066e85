/**
 * A compact in-memory copy of one organisation's derived trace tables (trace_links, trace_units,
 * trace_moves, trace_readings), so that a trace answers from memory instead of one SQL round trip per
 * breadth-first level and one index probe per container (issue 4: an upstream trace in < 20 ms, a raw
 * lot's downstream with per-store quantities in < 100 ms at p95).
 *
 * The SQL tables stay the truth. The index is a cache of their committed rows, keyed by ledger seq:
 * - Built from the database on the organisation's first trace query (awaited for a small
 *   organisation, in the background for a large one — queries use SQL until it is ready), in seq
 *   chunks so that no result set is large.
 * - Kept fresh by pulling: every query already reads the organisation's ledger head (`traceView`);
 *   when the head is past what the index holds, the rows of the missing seq range are loaded first
 *   (one range probe per table on the primary key). Captures are serialised per organisation by the
 *   `FOR UPDATE` lock on `ledger_heads`, so every seq up to a committed head is committed: the index
 *   never holds a rolled-back capture's rows, and it sees captures made by other processes sharing
 *   the same PostgreSQL.
 * - Every row keeps its seq, so an `asOf` view (a lower seq bound) and retractions (a seq set) are
 *   applied when reading, exactly as `visible()` does in SQL.
 * - Strings are interned (one table per organisation); rows are columns in typed arrays; the rows of
 *   a node (links out, links in, unpackings, moves of an item, unit ranges of a series, readings of a
 *   place) are chained through per-row "next" arrays, in (seq, ord) order.
 * - When the rows exceed `LOTLINE_TRACE_INDEX_MAX_ROWS` (default 60 million) the organisation is
 *   not indexed and every query uses SQL. `LOTLINE_TRACE_INDEX=off` turns the index off.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../../store/schema.ts';
import type { MoveRow } from './queries.ts';

type Db = Kysely<Schema>;

const NONE = -1;

/** Interned strings: id ↔ text. */
export class Strings {
  readonly #ids = new Map<string, number>();
  readonly list: string[] = [];
  id(s: string): number {
    let i = this.#ids.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.#ids.set(s, i);
    }
    return i;
  }
  idOrNone(s: string | null | undefined): number {
    return s === null || s === undefined ? NONE : this.id(s);
  }
  /** The id of a string already seen, else NONE (lookups never intern). */
  find(s: string): number {
    return this.#ids.get(s) ?? NONE;
  }
  text(i: number): string | null {
    return i < 0 ? null : (this.list[i] as string);
  }
  get size(): number {
    return this.list.length;
  }
}

type Typed = Float64Array | Int32Array;

/** Columns of one table, grown by doubling. */
class Table<C extends Record<string, Typed>> {
  n = 0;
  cap: number;
  cols: C;
  constructor(cols: C) {
    this.cols = cols;
    this.cap = Object.values(cols)[0]?.length ?? 0;
  }
  /** Index of a new row (columns grown as needed). */
  push(): number {
    if (this.n === this.cap) {
      this.cap = Math.max(1024, this.cap * 2);
      for (const k of Object.keys(this.cols) as (keyof C)[]) {
        const old = this.cols[k] as Typed;
        const grown = new (old.constructor as new (n: number) => Typed)(this.cap);
        grown.set(old);
        this.cols[k] = grown as C[keyof C];
      }
    }
    return this.n++;
  }
  bytes(): number {
    let b = 0;
    for (const c of Object.values(this.cols)) b += c.byteLength;
    return b;
  }
}

const f64 = () => new Float64Array(0);
const i32 = () => new Int32Array(0);

/** Per-key chains of rows in insertion order: head and tail per key, next per row. */
class Chains {
  head = new Int32Array(0);
  tail = new Int32Array(0);
  next = new Int32Array(0);
  add(key: number, row: number): void {
    if (key >= this.head.length) {
      const size = Math.max(1024, key + 1, this.head.length * 2);
      const head = new Int32Array(size).fill(NONE);
      const tail = new Int32Array(size).fill(NONE);
      head.set(this.head);
      tail.set(this.tail);
      this.head = head;
      this.tail = tail;
    }
    if (row >= this.next.length) {
      const next = new Int32Array(Math.max(1024, row + 1, this.next.length * 2));
      next.set(this.next);
      this.next = next;
    }
    this.next[row] = NONE;
    const last = this.tail[key] as number;
    if (last === NONE) this.head[key] = row;
    else this.next[last] = row;
    this.tail[key] = row;
  }
  first(key: number): number {
    return key < 0 || key >= this.head.length ? NONE : (this.head[key] as number);
  }
  bytes(): number {
    return this.head.byteLength + this.tail.byteLength + this.next.byteLength;
  }
}

export const LINK_KINDS = ['consumed', 'produced', 'packed', 'unpacked', 'carries', 'associated'] as const;
const LINK_CODE = new Map<string, number>(LINK_KINDS.map((k, i) => [k, i]));

/** What the index holds for one organisation. */
export class TraceIndex {
  readonly orgId: string;
  readonly strings = new Strings();
  /** Every row with seq ≤ this is loaded. */
  seq = 0;
  readonly links = new Table({ seq: f64(), src: i32(), dst: i32(), link: i32(), time: f64(), qty: f64(), uom: i32() });
  readonly linksOut = new Chains();
  readonly linksIn = new Chains();
  /** 'unpacked' links by the container (dst) they empty. */
  readonly unpackings = new Chains();
  readonly units = new Table({ seq: f64(), role: i32(), series: i32(), lo: f64(), hi: f64(), lot: i32(), target: i32(), time: f64() });
  readonly unitsBySeries = new Chains();
  readonly moves = new Table({
    seq: f64(),
    item: i32(),
    itemKind: i32(),
    series: i32(),
    lo: f64(),
    hi: f64(),
    kind: i32(),
    qty: f64(),
    uom: i32(),
    place: i32(),
    source: i32(),
    destination: i32(),
    vehicle: i32(),
    time: f64(),
  });
  readonly movesByItem = new Chains();
  /** The shipped and received rows of each item (a lot's transfers, without its sales and counts). */
  readonly transfersByItem = new Chains();
  /** Per-lot totals (see queries.ts `indexLotTotals`), valid while the lot's last row is `tail`. */
  readonly lotTotals = new Map<number, { tail: number; groups: readonly { place: string | null; kind: string; uom: string | null; units: boolean; qty: number | null }[] }>();
  readonly readings = new Table({ seq: f64(), ord: i32(), place: i32(), site: i32(), device: i32(), type: i32(), time: f64(), value: f64(), min: f64(), max: f64(), uom: i32(), exception: i32() });
  readonly readingsByPlace = new Chains();
  readonly readingsBySite = new Chains();
  /** Event IDs (or hash IDs) of ledger seqs, filled from SQL as asked; immutable once committed. */
  readonly eventIds = new Map<number, string>();
  /** The '*' source of an 'unpacked' link: the container emptied of everything. */
  readonly star: number;

  constructor(orgId: string) {
    this.orgId = orgId;
    this.star = this.strings.id('*');
  }

  get rows(): number {
    return this.links.n + this.units.n + this.moves.n + this.readings.n;
  }

  /** Approximate bytes held: typed columns and chains, plus the interned strings and their map. */
  bytes(): number {
    let strings = 0;
    for (const s of this.strings.list) strings += 2 * s.length + 24 + 40;
    let ids = 0;
    for (const v of this.eventIds.values()) ids += 2 * v.length + 24 + 40;
    return (
      this.links.bytes() +
      this.linksOut.bytes() +
      this.linksIn.bytes() +
      this.unpackings.bytes() +
      this.units.bytes() +
      this.unitsBySeries.bytes() +
      this.moves.bytes() +
      this.movesByItem.bytes() +
      this.transfersByItem.bytes() +
      this.readings.bytes() +
      this.readingsByPlace.bytes() +
      this.readingsBySite.bytes() +
      strings +
      ids
    );
  }

  /** Load the committed rows with seq in (this.seq, head], in chunks of `step` seqs. */
  async load(db: Db, head: number, step = 50_000, budget = Infinity): Promise<void> {
    while (this.seq < head) {
      const hi = Math.min(head, this.seq + step);
      await this.#loadRange(db, this.seq, hi);
      this.seq = hi;
      if (this.rows > budget) throw new IndexOverBudget(this.rows, budget);
    }
  }

  async #loadRange(db: Db, lo: number, hi: number): Promise<void> {
    const org = this.orgId;
    const s = this.strings;
    const links = await sql<{ seq: string; src: string; dst: string; link: string; t: Date; qty: number | null; uom: string | null }>`
      SELECT seq, src, dst, link, event_time AS t, qty, uom FROM trace_links
      WHERE org_id = ${org} AND seq > ${lo} AND seq <= ${hi} ORDER BY seq, ord`.execute(db);
    for (const r of links.rows) {
      const i = this.links.push();
      const c = this.links.cols;
      const src = s.id(r.src);
      const dst = s.id(r.dst);
      const link = LINK_CODE.get(r.link) ?? LINK_CODE.get('associated') as number;
      c.seq[i] = Number(r.seq);
      c.src[i] = src;
      c.dst[i] = dst;
      c.link[i] = link;
      c.time[i] = r.t.getTime();
      c.qty[i] = r.qty ?? NaN;
      c.uom[i] = s.idOrNone(r.uom);
      this.linksOut.add(src, i);
      this.linksIn.add(dst, i);
      if (r.link === 'unpacked') this.unpackings.add(dst, i);
    }
    const units = await sql<{ seq: string; role: string; series: string; lo: string; hi: string; lot: string | null; target: string | null; t: Date }>`
      SELECT seq, role, series, lo, hi, lot, target, event_time AS t FROM trace_units
      WHERE org_id = ${org} AND seq > ${lo} AND seq <= ${hi} ORDER BY seq, ord`.execute(db);
    for (const r of units.rows) {
      const i = this.units.push();
      const c = this.units.cols;
      const series = s.id(r.series);
      c.seq[i] = Number(r.seq);
      c.role[i] = s.id(r.role);
      c.series[i] = series;
      c.lo[i] = Number(r.lo);
      c.hi[i] = Number(r.hi);
      c.lot[i] = s.idOrNone(r.lot);
      c.target[i] = s.idOrNone(r.target);
      c.time[i] = r.t.getTime();
      this.unitsBySeries.add(series, i);
    }
    const moves = await sql<MoveRow>`
      SELECT seq, item, item_kind, series, lo, hi, kind, qty, uom, place, source, destination, vehicle, event_time AS t FROM trace_moves
      WHERE org_id = ${org} AND seq > ${lo} AND seq <= ${hi} ORDER BY seq, ord`.execute(db);
    for (const r of moves.rows) {
      const i = this.moves.push();
      const c = this.moves.cols;
      const item = s.id(r.item);
      c.seq[i] = Number(r.seq);
      c.item[i] = item;
      c.itemKind[i] = s.id(r.item_kind);
      c.series[i] = s.idOrNone(r.series);
      c.lo[i] = r.lo === null ? NaN : Number(r.lo);
      c.hi[i] = r.hi === null ? NaN : Number(r.hi);
      c.kind[i] = s.id(r.kind);
      c.qty[i] = r.qty ?? NaN;
      c.uom[i] = s.idOrNone(r.uom);
      c.place[i] = s.idOrNone(r.place);
      c.source[i] = s.idOrNone(r.source);
      c.destination[i] = s.idOrNone(r.destination);
      c.vehicle[i] = s.idOrNone(r.vehicle);
      c.time[i] = r.t.getTime();
      this.movesByItem.add(item, i);
      if (r.kind === 'shipped' || r.kind === 'received') this.transfersByItem.add(item, i);
    }
    const readings = await sql<{
      seq: string;
      ord: number;
      place: string | null;
      site: string | null;
      device: string | null;
      type: string;
      time: Date;
      value: number | null;
      min_value: number | null;
      max_value: number | null;
      uom: string | null;
      exception: string | null;
    }>`
      SELECT seq, ord, place, site, device, type, time, value, min_value, max_value, uom, exception FROM trace_readings
      WHERE org_id = ${org} AND seq > ${lo} AND seq <= ${hi} ORDER BY seq, ord`.execute(db);
    for (const r of readings.rows) {
      const i = this.readings.push();
      const c = this.readings.cols;
      const place = s.idOrNone(r.place);
      const site = s.idOrNone(r.site);
      c.seq[i] = Number(r.seq);
      c.ord[i] = r.ord;
      c.place[i] = place;
      c.site[i] = site;
      c.device[i] = s.idOrNone(r.device);
      c.type[i] = s.id(r.type);
      c.time[i] = r.time.getTime();
      c.value[i] = r.value ?? NaN;
      c.min[i] = r.min_value ?? NaN;
      c.max[i] = r.max_value ?? NaN;
      c.uom[i] = s.idOrNone(r.uom);
      c.exception[i] = s.idOrNone(r.exception);
      if (place !== NONE) this.readingsByPlace.add(place, i);
      if (site !== NONE) this.readingsBySite.add(site, i);
    }
  }
}

export class IndexOverBudget extends Error {
  constructor(rows: number, budget: number) {
    super(`trace index: ${rows} rows exceed the budget of ${budget} (LOTLINE_TRACE_INDEX_MAX_ROWS)`);
  }
}

export const nullable = (n: number): number | null => (Number.isNaN(n) ? null : n);
export { NONE };

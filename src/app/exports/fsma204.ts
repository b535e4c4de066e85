/**
 * The FSMA 204 export: a product's critical tracking events over a period as the FDA's electronic
 * sortable spreadsheet (XLSX or CSV), streamed (docs/fsma204.md).
 *
 * Events are found through the derived trace tables (docs/trace.md): the product's own movements
 * by GTIN and time (transformation outputs included), and the shipping and receiving of the cases
 * and pallets that hold its lots. Their documents are then read in batches of 500, mapped to rows
 * (fsma204-rows.ts) with master data looked up once per batch, and written as they are ready.
 */
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { parseAnyCode } from '../../core/gs1/any-code.ts';
import { parseGtin } from '../../core/gs1/keys.ts';
import type { Schema } from '../../store/schema.ts';
import { classifyNode } from '../trace/identifiers.ts';
import type { AppContext } from '../context.ts';
import { type ContainerContents, type PackingLink, createContainerContents } from './container-contents.ts';
import { csvStream } from './csv-writer.ts';
import { FSMA204_COLUMNS } from './fsma204-columns.ts';
import { type Fsma204Lookups, type Fsma204Row, type LotOrigin, type StoredEvent, createDayOrder, fsma204Rows, localDateTime } from './fsma204-rows.ts';
import {
  type CandidateMove,
  type ProductRecord,
  commissionedLots,
  containerMoves,
  containerPackingLinks,
  eventsAt,
  findProduct,
  lotOrigins,
  lotPackingLinks,
  placeDescriptions,
  productDescriptions,
  productMoves,
  retracted,
  transformationsAmong,
} from './fsma204.repository.ts';
import { xlsxStream } from './xlsx-writer.ts';

type Db = Kysely<Schema>;

export type Fsma204Format = 'xlsx' | 'csv';

/** What to export. */
export interface Fsma204Query {
  /** Product identifier, or its GTIN (8 to 14 digits, Digital Link or element string). */
  readonly product: string;
  /** Start of the period (inclusive). */
  readonly from: Date;
  /** End of the period (exclusive). */
  readonly to: Date;
  /** Offset for the dates in the file name, e.g. `+08:00` (default UTC). */
  readonly zone?: string;
}

/** An export ready to send: the file streams as `body` is read. */
export interface Fsma204Export {
  readonly fileName: string;
  readonly contentType: string;
  readonly product: { readonly productId: string; readonly gtin: string };
  readonly body: Readable;
}

/** The longest period one export covers. */
export const MAX_PERIOD_DAYS = 366;
/** Events read and mapped per batch. */
const BATCH = 500;
/** How far before the period the product's lots are looked for (their cases may ship later): its shelf life, within these bounds. */
const MIN_LOOKBACK_MS = 7 * 86_400_000;
const MAX_LOOKBACK_MS = 400 * 86_400_000;
/** Cases in pallets in containers: levels of nesting followed. */
const MAX_NESTING = 3;

const CONTENT_TYPES: Readonly<Record<Fsma204Format, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8; header=present',
};

/**
 * Export the FSMA 204 sortable spreadsheet of one product over [from, to). Checks the query and
 * reads the first rows before it returns, so mistakes and database errors are thrown, not streamed.
 *
 * @example
 * const out = await exportFsma204(ctx, 'acme', { product: '06901234567892', from, to }, 'csv');
 * out.body.pipe(createWriteStream(out.fileName));
 */
export async function exportFsma204(ctx: AppContext, orgId: string, q: Fsma204Query, format: Fsma204Format): Promise<Fsma204Export> {
  checkPeriod(q.from, q.to);
  const db = ctx.database.db;
  const product = await resolveProduct(db, orgId, q.product);
  const batches = await primed(readRows(db, orgId, product, q.from, q.to));
  const body =
    format === 'csv'
      ? csvStream(FSMA204_COLUMNS, batches)
      : xlsxStream(FSMA204_COLUMNS, batches, { sheetName: 'FSMA 204', creator: 'Lotline', created: ctx.clock.now() });
  const day = (d: Date): string => localDateTime(d.getTime(), q.zone ?? 'Z').date.replace(/-/g, '');
  return {
    fileName: `fsma204-${product.gtin}-${day(q.from)}-${day(q.to)}.${format}`,
    contentType: CONTENT_TYPES[format],
    product: { productId: product.productId, gtin: product.gtin },
    body,
  };
}

function checkPeriod(from: Date, to: Date): void {
  if (from.getTime() > to.getTime()) {
    throw new DomainError('QueryParameterException', 'to must not be earlier than from', [{ pointer: '/query/to', message: 'earlier than from', rule: 'range' }]);
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw new DomainError('QueryParameterException', `one export covers at most ${MAX_PERIOD_DAYS} days; split the period`, [
      { pointer: '/query/to', message: `more than ${MAX_PERIOD_DAYS} days after from`, rule: 'maxRange' },
    ]);
  }
}

/** The product by identifier, else by GTIN; it must have a GTIN (events name products by GTIN). */
async function resolveProduct(db: Db, orgId: string, code: string): Promise<ProductRecord & { readonly gtin: string }> {
  const pointer = '/query/product';
  let product = await findProduct(db, orgId, { productId: code });
  if (!product) {
    let gtin: string | null = null;
    if (/^(\d{8}|\d{12,14})$/.test(code)) {
      // A GTIN's length: a wrong check digit is a mistake to point at, not an unknown product.
      const parsed = parseGtin(code);
      if (!parsed.ok) throw new DomainError('QueryParameterException', `product ${code} is not a product identifier or a valid GTIN: ${parsed.error.message}`, [{ pointer, message: parsed.error.message, rule: 'gtin' }]);
      gtin = parsed.value.gtin14;
    } else if (!/^\d+$/.test(code)) {
      const parsed = parseAnyCode(code, { accept: ['digitalLink', 'elementString', 'epcUri'] });
      if (parsed.ok && parsed.value.kind === 'gtin') gtin = parsed.value.gtin;
    }
    if (gtin !== null) product = await findProduct(db, orgId, { gtin });
  }
  if (!product) throw new DomainError('NoSuchResourceException', `no product ${code}`, [{ pointer, message: 'no product with this identifier or GTIN', rule: 'reference' }]);
  if (product.gtin === null) {
    throw new DomainError('QueryParameterException', `product ${product.productId} has no GTIN; add one: events name products by GTIN`, [{ pointer, message: 'the product has no GTIN', rule: 'gtinRequired' }]);
  }
  return { ...product, gtin: product.gtin };
}

/** Read the first batch now (errors are thrown here), and hand back an iterable that starts with it. */
async function primed<T>(source: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await source.next();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done) return;
        yield first.value;
        yield* source;
      } finally {
        await source.return(undefined);
      }
    },
  };
}

/** The spreadsheet's rows in order (date, then TLC), in batches. */
async function* readRows(db: Db, orgId: string, product: ProductRecord & { readonly gtin: string }, from: Date, to: Date): AsyncGenerator<Fsma204Row[]> {
  const gtin = product.gtin;
  const lookback = Math.min(MAX_LOOKBACK_MS, Math.max(MIN_LOOKBACK_MS, product.shelfLifeHours * 3_600_000));
  const since = new Date(from.getTime() - lookback);
  const [slices, gone] = await Promise.all([
    Promise.all(timeSlices(since, to, PARALLEL_READS).map(([a, b]) => productMoves(db, orgId, gtin, a, from, b))),
    retracted(db, orgId),
  ]);
  const own = { lots: [...new Set(slices.flatMap((x) => x.lots))], moves: slices.flatMap((x) => x.moves) };

  // Cases and pallets holding the product's lots, and their shipping and receiving.
  const packing: PackingLink[] = await inParallel(own.lots, (part) => lotPackingLinks(db, orgId, part, to));
  const containers = new Set(packing.filter((l) => l.link === 'carries').map((l) => l.dst));
  let frontier = [...containers];
  for (let level = 0; level < MAX_NESTING && frontier.length > 0; level++) {
    const links = await inParallel(frontier, (part) => containerPackingLinks(db, orgId, part, to));
    packing.push(...links);
    frontier = [...new Set(links.filter((l) => l.link === 'packed' && !containers.has(l.dst)).map((l) => l.dst))];
    for (const c of frontier) containers.add(c);
  }
  const moved = await inParallel([...containers], (part) => containerMoves(db, orgId, part, from, to));

  const lookups = createBatchedLookups(db, orgId, { contents: createContainerContents(packing), unitRanges: unitRangeIndex(own.moves) });
  lookups.known.products.set(gtin, product.description);
  const candidates = [...own.moves, ...moved];
  await lookups.prefetchOrigins([...new Set(candidates.filter((m) => m.kind === 'produced').map((m) => m.item))]);
  const origin = (lot: string): LotOrigin | null => lookups.known.origins.get(lot) ?? null;
  const transformations = await transformationsAmong(db, orgId, [...relabelled(candidates, origin)]);
  const events = candidateEvents(candidates, origin, transformations);

  const order = createDayOrder();
  const read = (i: number) => eventsAt(db, orgId, events.slice(i, i + BATCH).map((e) => e.seq), gone);
  let reading = events.length > 0 ? read(0) : null;
  for (let i = 0; reading !== null; i += BATCH) {
    const stored = await reading;
    const next = events[i + BATCH];
    // Read the next batch while this one is mapped and written.
    reading = next === undefined ? null : read(i + BATCH);
    order.add(await lookups.map(stored, gtin));
    const ready = next === undefined ? [] : order.ready(next.timeMs);
    if (ready.length > 0) yield ready;
  }
  const rest = order.rest();
  if (rest.length > 0) yield rest;
}

/** Reads split this many ways run side by side on PostgreSQL (one connection each); PGlite runs them in turn. */
const PARALLEL_READS = 4;

/** [since, to) cut into `n` equal slices. */
function timeSlices(since: Date, to: Date, n: number): [Date, Date][] {
  const a = since.getTime();
  const step = (to.getTime() - a) / n;
  return Array.from({ length: n }, (_, i) => [new Date(a + Math.round(step * i)), i === n - 1 ? to : new Date(a + Math.round(step * (i + 1)))]);
}

/** `read` over `ids` cut into PARALLEL_READS parts, side by side, results concatenated. */
async function inParallel<T>(ids: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const size = Math.max(1, Math.ceil(ids.length / PARALLEL_READS));
  const parts: string[][] = [];
  for (let i = 0; i < ids.length; i += size) parts.push(ids.slice(i, i + size));
  return (await Promise.all(parts.map(read))).flat();
}

/** Events that produced only lots that existed before them: labelling units of a batch, unless they are transformations. */
function relabelled(moves: readonly CandidateMove[], origin: (lot: string) => LotOrigin | null): Set<number> {
  const creates = new Set<number>();
  const produces = new Set<number>();
  for (const m of moves) {
    if (m.kind !== 'produced') continue;
    produces.add(m.seq);
    const o = origin(m.item);
    if (o === null || o.seq === m.seq) creates.add(m.seq);
  }
  return new Set([...produces].filter((seq) => !creates.has(seq)));
}

/**
 * The events worth reading, in time order: every candidate except those that only produced lots
 * that already existed and are not transformations (commissioning the units of a baked batch is
 * labelling, not a CTE; the batch's transformation is).
 */
export function candidateEvents(
  moves: readonly CandidateMove[],
  origin: (lot: string) => LotOrigin | null,
  transformations: ReadonlySet<number>,
): { readonly seq: number; readonly timeMs: number }[] {
  const skip = relabelled(moves, origin);
  const keep = new Map<number, number>();
  for (const m of moves) {
    if (keep.has(m.seq)) continue;
    if (m.kind === 'produced' && skip.has(m.seq) && !transformations.has(m.seq)) continue;
    keep.set(m.seq, m.timeMs);
  }
  return [...keep].map(([seq, timeMs]) => ({ seq, timeMs })).sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
}

/** The lots of unit ranges the product's movements already resolved: series → ranges, by `lo`. */
type UnitRangeIndex = ReadonlyMap<string, readonly { readonly lo: number; readonly hi: number; readonly lot: string }[]>;

function unitRangeIndex(moves: readonly CandidateMove[]): UnitRangeIndex {
  const index = new Map<string, { lo: number; hi: number; lot: string }[]>();
  for (const m of moves) {
    for (const r of m.ranges) {
      let list = index.get(r.series);
      if (!list) index.set(r.series, (list = []));
      list.push({ lo: r.lo, hi: r.hi, lot: m.item });
    }
  }
  for (const list of index.values()) list.sort((a, b) => a.lo - b.lo);
  return index;
}

function lotInRanges(index: UnitRangeIndex, series: string, n: number): string | null {
  const list = index.get(series);
  if (!list) return null;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = list[mid]!;
    if (n < r.lo) hi = mid - 1;
    else if (n > r.hi) lo = mid + 1;
    else return r.lot;
  }
  return null;
}

/** Rounds of "map, then fetch what the mapping missed" per batch; lookups reach at most two levels (lot → origin → place). */
const MAX_ROUNDS = 4;

/**
 * Lookups answered from caches, which record what they could not answer; `map` runs the mapping,
 * fetches every miss of the batch with one query per kind, and maps again until nothing is missing.
 */
function createBatchedLookups(db: Db, orgId: string, base: { readonly contents: ContainerContents; readonly unitRanges: UnitRangeIndex }) {
  const known = {
    products: new Map<string, string | null>(),
    places: new Map<string, string | null>(),
    units: new Map<string, string | null>(),
    origins: new Map<string, LotOrigin | null>(),
  };
  const missing = {
    products: new Set<string>(),
    places: new Set<string>(),
    units: new Map<string, { id: string; series: string; n: number }>(),
    origins: new Set<string>(),
  };
  const cached = <K, V>(map: Map<K, V | null>, miss: (key: K) => void) => (key: K): V | null => {
    if (map.has(key)) return map.get(key) ?? null;
    miss(key);
    return null;
  };
  const lookups: Fsma204Lookups = {
    productDescription: cached(known.products, (g) => missing.products.add(g)),
    placeDescription: cached(known.places, (id) => missing.places.add(id)),
    unitLot: (unit) => {
      const node = classifyNode(unit);
      if (node.kind !== 'unit') return null;
      const fromMoves = lotInRanges(base.unitRanges, node.series, node.n);
      if (fromMoves !== null) return fromMoves;
      return cached(known.units, (id: string) => missing.units.set(id, { id, series: node.series, n: node.n }))(unit);
    },
    contents: (container, timeMs) => base.contents.contents(container, timeMs),
    lotOrigin: cached(known.origins, (lot) => missing.origins.add(lot)),
  };
  const anyMissing = (): boolean => missing.products.size + missing.places.size + missing.units.size + missing.origins.size > 0;
  const fill = async (): Promise<void> => {
    const take = <T>(set: Set<T>): T[] => {
      const out = [...set];
      set.clear();
      return out;
    };
    const units = [...missing.units.values()];
    missing.units.clear();
    const [products, places, unitLots, origins] = await Promise.all([
      productDescriptions(db, orgId, take(missing.products)),
      placeDescriptions(db, orgId, take(missing.places)),
      commissionedLots(db, orgId, units),
      lotOrigins(db, orgId, take(missing.origins)),
    ]);
    for (const [k, v] of products) known.products.set(k, v);
    for (const [k, v] of places) known.places.set(k, v);
    for (const [k, v] of unitLots) known.units.set(k, v);
    for (const [k, v] of origins) known.origins.set(k, v);
  };
  return {
    known,
    /** Look up where these lots come from before mapping (to skip labelling events unread). */
    async prefetchOrigins(lots: readonly string[]): Promise<void> {
      const wanted = lots.filter((l) => !known.origins.has(l));
      for (const [k, v] of await lotOrigins(db, orgId, wanted)) known.origins.set(k, v);
    },
    /** The rows of `events`, every lookup answered. */
    async map(events: readonly StoredEvent[], gtin: string): Promise<Fsma204Row[]> {
      for (let round = 1; ; round++) {
        const rows = fsma204Rows(events, gtin, lookups);
        if (!anyMissing()) return rows;
        if (round === MAX_ROUNDS) {
          // Unreachable by construction; answer with what is known rather than loop.
          missing.products.clear();
          missing.places.clear();
          missing.units.clear();
          missing.origins.clear();
          return rows;
        }
        await fill();
      }
    },
  };
}

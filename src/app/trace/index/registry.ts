/**
 * Which trace index serves which query: one index per (database handle, organisation), found by the
 * Kysely instance the query runs on. A transaction is another instance, so a query inside a
 * transaction (which may see its own uncommitted rows) never reads the index: it uses SQL.
 *
 * `refreshTraceIndex` is called by `traceView` with the ledger head it has just read: it builds the
 * index on first use and loads the seq range the index is missing (captures of this process or of
 * another one sharing the database). `traceIndexFor` then hands the index to the query only when it
 * covers the view's seq bound; otherwise the query runs in SQL, as it does while a large index is
 * still being built, after a build failed, or when the organisation exceeds the row budget.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../../../store/schema.ts';
import type { TraceView } from '../view.ts';
import { IndexOverBudget, TraceIndex } from './memory-index.ts';

type Db = Kysely<Schema>;

interface Entry {
  state: 'building' | 'ready' | 'over budget' | 'failed';
  index: TraceIndex;
  /** Serialises loads: one catch-up at a time, the others wait for it. */
  lock: Promise<void>;
  /** Milliseconds the first build took. */
  buildMs: number | null;
  error: string | null;
}

const registry = new WeakMap<Db, Map<string, Entry>>();

/** The index is used unless LOTLINE_TRACE_INDEX is `off` (read on every call, so tests can switch). */
export function traceIndexEnabled(): boolean {
  const v = process.env.LOTLINE_TRACE_INDEX;
  return v !== 'off' && v !== '0' && v !== 'false';
}

const maxRows = (): number => Number(process.env.LOTLINE_TRACE_INDEX_MAX_ROWS ?? 60_000_000);
/** Organisations with at most this many seqs are indexed before their first query answers. */
const syncBuildSeqs = (): number => Number(process.env.LOTLINE_TRACE_INDEX_SYNC_SEQS ?? 50_000);

function entryOf(db: Db, orgId: string): Entry | undefined {
  return db.isTransaction ? undefined : registry.get(db)?.get(orgId);
}

/** Bring the organisation's index up to `head` (building it on first use). */
export async function refreshTraceIndex(db: Db, orgId: string, head: number): Promise<void> {
  // Inside a transaction the rows read may be uncommitted: never index them.
  if (!traceIndexEnabled() || db.isTransaction) return;
  let byOrg = registry.get(db);
  if (!byOrg) registry.set(db, (byOrg = new Map()));
  let entry = byOrg.get(orgId);
  if (!entry) {
    const index = new TraceIndex(orgId);
    const e: Entry = { state: 'building', index, lock: Promise.resolve(), buildMs: null, error: null };
    byOrg.set(orgId, e);
    entry = e;
    const started = performance.now();
    e.lock = index.load(db, head, 50_000, maxRows()).then(
      () => {
        e.state = 'ready';
        e.buildMs = performance.now() - started;
      },
      (error: unknown) => {
        e.state = error instanceof IndexOverBudget ? 'over budget' : 'failed';
        e.error = error instanceof Error ? error.message : String(error);
        e.index = new TraceIndex(orgId); // let the partial rows go
        // A failed build (e.g. the database closed) is retried by the next query; over budget stays.
        if (e.state === 'failed') byOrg.delete(orgId);
      },
    );
    if (head <= syncBuildSeqs()) await e.lock;
    return;
  }
  if (entry.state !== 'ready' || entry.index.seq >= head) return;
  const e = entry;
  const run = e.lock.then(async () => {
    if (e.state !== 'ready' || e.index.seq >= head) return;
    try {
      await e.index.load(db, head, 50_000, maxRows());
    } catch (error) {
      e.state = error instanceof IndexOverBudget ? 'over budget' : 'failed';
      e.error = error instanceof Error ? error.message : String(error);
      e.index = new TraceIndex(orgId); // let the rows go: SQL answers from now on
      if (e.state === 'failed') registry.get(db)?.delete(orgId);
    }
  });
  e.lock = run;
  await run;
}

/** The index to answer `view` from, or null (use SQL). */
export function traceIndexFor(db: Db, view: TraceView): TraceIndex | null {
  if (!traceIndexEnabled()) return null;
  const e = entryOf(db, view.orgId);
  if (!e || e.state !== 'ready' || e.index.seq < view.maxSeq) return null;
  return e.index;
}

/** The organisation's index (event-ID cache included) whatever seq it has reached, or null. */
export function traceIndexOf(db: Db, orgId: string): TraceIndex | null {
  if (!traceIndexEnabled()) return null;
  const e = entryOf(db, orgId);
  return e && e.state === 'ready' ? e.index : null;
}

/** Build (or catch up) the organisation's index and wait for it; null when it cannot be used. */
export async function traceIndexReady(db: Db, orgId: string, head: number): Promise<TraceIndex | null> {
  await refreshTraceIndex(db, orgId, head);
  const e = entryOf(db, orgId);
  if (!e) return null;
  await e.lock;
  return e.state === 'ready' ? e.index : null;
}

/** What the index of an organisation holds (for the benchmark and operators). */
export function traceIndexStats(db: Db, orgId: string): { state: string; seq: number; rows: number; strings: number; bytes: number; buildMs: number | null; error: string | null } | null {
  const e = entryOf(db, orgId);
  if (!e) return null;
  return { state: e.state, seq: e.index.seq, rows: e.index.rows, strings: e.index.strings.size, bytes: e.index.bytes(), buildMs: e.buildMs, error: e.error };
}

/** Forget the organisation's index (tests; or after rewriting derived rows in place). */
export function dropTraceIndex(db: Db, orgId: string): void {
  registry.get(db)?.delete(orgId);
}

/**
 * The trace benchmark's data set: a database holding N events of the bakery generator's trace world,
 * loaded through the real capture path (master data through the master-data use case, then documents
 * prepared by the worker pool and stored by `storeCapture`, so the trace tables are derived exactly as
 * in production). A marker row records the generator version, seed and N once a load has finished;
 * with `reuse`, a later run that finds a matching marker skips loading.
 *
 * @example
 * const ds = await openTraceDataset({ engine: 'pglite', events: 50_000, seed: 1, docSize: 5000, location: 'bench/.data/x', reuse: true, pgAdminUrl: null });
 * ds.marker.samples.units; // unit codes to query
 * await ds.close();
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import { storeCapture } from '../../src/app/capture/capture.ts';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import type { PrepareOutcome } from '../../src/app/capture/prepare.ts';
import { type AppContext, randomIds, systemClock } from '../../src/app/context.ts';
import type { EntityKind } from '../../src/app/master-data/definitions.ts';
import { createRecord } from '../../src/app/master-data/master-data.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../src/core/ledger/ed25519.ts';
import { type Database, type Engine, openDatabase } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { type BakeryEventKind, type BakerySamples, type BakeryStats, createBakeryGenerator } from '../../src/demo/scale/epcis-generator.ts';
import { progressBar } from './progress.ts';
import { type Summary, peakRssMiB, summarize } from './stats.ts';

/** Bump when the generator's trace world changes, so `--reuse` does not reuse a data set of the old world. */
export const TRACE_WORLD_VERSION = 'trace-world-1';
export const BENCH_ORG = 'bench';
export const BENCH_ACTOR = { orgId: BENCH_ORG, tokenId: 'system' as const, role: null };
const CAPTURE_LIMIT = 50_000;
/** Documents being prepared (worker pool) while one is stored. */
const PREPARE_AHEAD = 2;
const MASTER_DATA_ORDER: readonly EntityKind[] = ['parties', 'locations', 'equipment', 'operators', 'products'];

export interface TraceDatasetOptions {
  readonly engine: Engine;
  readonly events: number;
  readonly seed: number;
  /** Events per captured document. */
  readonly docSize: number;
  /** PGlite: the data folder. PostgreSQL: its last path segment names the database. */
  readonly location: string;
  readonly reuse: boolean;
  /** A PostgreSQL URL whose server the bench may create and drop its own database on (postgres only). */
  readonly pgAdminUrl: string | null;
  readonly sampleSize?: number;
  /** Show a progress bar on stderr (default true). */
  readonly progress?: boolean;
}

/** How the load went. */
export interface LoadReport {
  readonly events: number;
  readonly documents: number;
  readonly masterDataRows: number;
  readonly masterDataSeconds: number;
  /** Events only: from the first document generated to the last one committed. */
  readonly eventSeconds: number;
  readonly eventsPerSecond: number;
  /** storeCapture per document (ms). */
  readonly storeMs: Summary;
  /** Events per second in each tenth of the load (how it slows as the database grows). */
  readonly rateByTenth: readonly number[];
  /** Peak RSS of the loading process (fresh database creation included), MiB. */
  readonly peakRssMiB: number;
  readonly databaseMiB: number;
  /** Rows in the derived trace tables after the load. */
  readonly traceRows: Readonly<Record<string, number>>;
}

/** What the marker row keeps: enough to query a reused data set without generating it again. */
export interface TraceDatasetMarker {
  readonly version: string;
  readonly seed: number;
  readonly events: number;
  readonly docSize: number;
  readonly engine: Engine;
  readonly loadedAt: string;
  /** The code that derived the trace tables (commit, plus uncommitted capture/trace files). */
  readonly revision: string;
  readonly migrations: readonly string[];
  readonly load: LoadReport;
  readonly samples: BakerySamples;
  readonly stats: BakeryStats;
  readonly counts: Readonly<Record<BakeryEventKind, number>>;
}

export interface TraceDataset {
  readonly database: Database;
  readonly ctx: AppContext;
  /** Where the data is (a folder or a database name). */
  readonly where: string;
  readonly marker: TraceDatasetMarker;
  readonly reused: boolean;
  /** Why a reusable data set could not be reused (null when reused or not asked). */
  readonly reloadReason: string | null;
  close(): Promise<void>;
}

/** A context for the benchmark (warn-level logs, system clock and ids). */
export function benchContext(database: Database): AppContext {
  return { database, clock: systemClock, ids: randomIds, logger: pino({ level: 'warn' }) };
}

/** The PostgreSQL database a location names: `lotline_bench_` + its last path segment. */
export function postgresDatabaseName(location: string): string {
  return `lotline_bench_${basename(location).toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 63);
}

/** Open the data set at `o.location`, reusing it when asked and its marker matches, else loading it afresh. */
export async function openTraceDataset(o: TraceDatasetOptions): Promise<TraceDataset> {
  let reloadReason: string | null = null;
  if (o.reuse) {
    const existing = await openExisting(o);
    if (existing) {
      const marker = await readMarker(existing.database);
      const mismatch = markerMismatch(marker, o);
      if (mismatch === null && marker) {
        return { database: existing.database, ctx: benchContext(existing.database), where: existing.where, marker, reused: true, reloadReason: null, close: () => existing.database.close() };
      }
      reloadReason = mismatch;
      await existing.database.close();
    } else reloadReason = 'no data set there yet';
  }
  const fresh = await createFresh(o);
  try {
    const marker = await load(fresh.database, o);
    return { database: fresh.database, ctx: benchContext(fresh.database), where: fresh.where, marker, reused: false, reloadReason, close: () => fresh.database.close() };
  } catch (error) {
    await fresh.database.close().catch(() => undefined);
    throw error;
  }
}

function markerMismatch(marker: TraceDatasetMarker | null, o: TraceDatasetOptions): string | null {
  if (!marker) return 'no marker (an earlier load did not finish)';
  if (marker.version !== TRACE_WORLD_VERSION) return `generated by ${marker.version}, this bench generates ${TRACE_WORLD_VERSION}`;
  if (marker.seed !== o.seed) return `seed ${marker.seed}, asked for ${o.seed}`;
  if (marker.events !== o.events) return `${marker.events} events, asked for ${o.events}`;
  return null;
}

async function adminQuery(url: string, statement: string, params: readonly unknown[] = []): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement, [...params])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

function postgresUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

async function openExisting(o: TraceDatasetOptions): Promise<{ database: Database; where: string } | null> {
  if (o.engine === 'pglite') {
    if (!existsSync(join(o.location, 'PG_VERSION'))) return null;
    const database = await openDatabase({ kind: 'pglite', dataDir: o.location });
    await migrate(database);
    return { database, where: `PGlite data folder ${o.location}` };
  }
  const admin = requirePgUrl(o);
  const name = postgresDatabaseName(o.location);
  if ((await adminQuery(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])) === 0) return null;
  const database = await openDatabase({ kind: 'postgres', url: postgresUrl(admin, name), poolSize: 4 });
  await migrate(database);
  return { database, where: `PostgreSQL database ${name}` };
}

async function createFresh(o: TraceDatasetOptions): Promise<{ database: Database; where: string }> {
  if (o.engine === 'pglite') {
    rmSync(o.location, { recursive: true, force: true });
    mkdirSync(dirname(o.location), { recursive: true });
    const database = await openDatabase({ kind: 'pglite', dataDir: o.location });
    await migrate(database);
    return { database, where: `PGlite data folder ${o.location}` };
  }
  const admin = requirePgUrl(o);
  const name = postgresDatabaseName(o.location);
  await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const database = await openDatabase({ kind: 'postgres', url: postgresUrl(admin, name), poolSize: 4 });
  await migrate(database);
  return { database, where: `PostgreSQL database ${name}` };
}

function requirePgUrl(o: TraceDatasetOptions): string {
  if (!o.pgAdminUrl) throw new Error('PostgreSQL needs LOTLINE_BENCH_PG_URL or DATABASE_URL');
  return o.pgAdminUrl;
}

async function readMarker(database: Database): Promise<TraceDatasetMarker | null> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('bench_trace_marker')::text AS t`.execute(database.db);
  if (!exists.rows[0]?.t) return null;
  const r = await sql<{ info: TraceDatasetMarker }>`SELECT info FROM bench_trace_marker WHERE id = 1`.execute(database.db);
  return r.rows[0]?.info ?? null;
}

async function writeMarker(database: Database, marker: TraceDatasetMarker): Promise<void> {
  // A benchmark-only table: it exists in benchmark databases alone, never in a product schema.
  await sql`CREATE TABLE IF NOT EXISTS bench_trace_marker (id integer PRIMARY KEY, info jsonb NOT NULL)`.execute(database.db);
  await sql`INSERT INTO bench_trace_marker (id, info) VALUES (1, ${JSON.stringify(marker)}::jsonb)
            ON CONFLICT (id) DO UPDATE SET info = EXCLUDED.info`.execute(database.db);
}

/** Rows in the derived trace tables (tables that do not exist count as absent). */
export async function traceRowCounts(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['trace_links', 'trace_units', 'trace_moves', 'trace_readings', 'trace_retractions']) {
    const exists = await sql<{ t: string | null }>`SELECT to_regclass(${table})::text AS t`.execute(database.db);
    if (!exists.rows[0]?.t) continue;
    const r = await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ${sql.table(table)} WHERE org_id = ${BENCH_ORG}`.execute(database.db);
    out[table] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

async function databaseMiB(database: Database): Promise<number> {
  const r = await sql<{ bytes: number }>`SELECT pg_database_size(current_database())::bigint AS bytes`.execute(database.db);
  return Number(r.rows[0]?.bytes ?? 0) / 1024 / 1024;
}

/** The commit, plus uncommitted files of the capture and trace code (others may be editing the tree). */
export function codeRevision(): string {
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(3));
    return dirty.length ? `commit ${head} plus uncommitted changes in ${dirty.join(', ')}` : `commit ${head}`;
  } catch {
    return 'unknown revision';
  }
}

async function load(database: Database, o: TraceDatasetOptions): Promise<TraceDatasetMarker> {
  const ctx = benchContext(database);
  await createOrg(ctx, BENCH_ORG, '月华坊 Yuehuafang (trace bench)', BENCH_ACTOR);
  const gen = createBakeryGenerator({ seed: o.seed, world: 'trace', ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}) });

  // Master data first, through the same use case as POST /api/<kind>.
  const md0 = performance.now();
  const md = gen.masterData();
  let masterDataRows = 0;
  for (const kind of MASTER_DATA_ORDER) {
    for (const row of md[kind]) {
      await createRecord(ctx, BENCH_ACTOR, kind, row);
      masterDataRows++;
    }
  }
  const masterDataSeconds = (performance.now() - md0) / 1000;

  // Events: documents prepared on the worker pool ahead of the one being stored, stored in order
  // (a document may name units commissioned by an earlier one).
  const preparer = createPreparer();
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const bar = o.progress === false ? null : progressBar({ label: `[trace] ${o.engine} load`, total: o.events, unit: 'events' });
  const storeMs: number[] = [];
  const marks: { events: number; at: number }[] = [];
  const ahead: { events: number; outcome: Promise<PrepareOutcome> }[] = [];
  let generated = 0;
  let stored = 0;
  let documents = 0;
  const t0 = performance.now();
  const fill = (): void => {
    while (ahead.length < PREPARE_AHEAD && generated < o.events) {
      const n = Math.min(o.docSize, o.events - generated);
      const body = JSON.stringify(gen.document(n));
      generated += n;
      ahead.push({ events: n, outcome: preparer.prepare(body, 'document', CAPTURE_LIMIT) });
    }
  };
  try {
    fill();
    for (let next = ahead.shift(); next; next = ahead.shift()) {
      fill();
      const outcome = await next.outcome;
      if (!outcome.ok) throw new Error(`generated document rejected: ${outcome.message}: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
      const s0 = performance.now();
      const job = await storeCapture(ctx, signer, BENCH_ACTOR, outcome);
      storeMs.push(performance.now() - s0);
      if (job.storedCount !== next.events) throw new Error(`stored ${job.storedCount} of ${next.events} events (duplicates in the generated data?)`);
      stored += next.events;
      documents++;
      marks.push({ events: stored, at: performance.now() });
      bar?.update(stored);
    }
  } finally {
    bar?.done();
    await preparer.close();
  }
  const eventSeconds = (performance.now() - t0) / 1000;

  const rateByTenth: number[] = [];
  let from = { events: 0, at: t0 };
  for (let k = 1; k <= 10; k++) {
    const mark = marks.find((m) => m.events >= (o.events * k) / 10);
    if (!mark || mark.events === from.events) continue;
    rateByTenth.push(((mark.events - from.events) / (mark.at - from.at)) * 1000);
    from = mark;
  }
  const migrations = (await sql<{ name: string }>`SELECT name FROM lotline_migrations ORDER BY name`.execute(database.db)).rows.map((r) => r.name);
  const loadReport: LoadReport = {
    events: stored,
    documents,
    masterDataRows,
    masterDataSeconds,
    eventSeconds,
    eventsPerSecond: stored / eventSeconds,
    storeMs: summarize(storeMs),
    rateByTenth,
    peakRssMiB: peakRssMiB(),
    databaseMiB: await databaseMiB(database),
    traceRows: await traceRowCounts(database),
  };
  const marker: TraceDatasetMarker = {
    version: TRACE_WORLD_VERSION,
    seed: o.seed,
    events: o.events,
    docSize: o.docSize,
    engine: o.engine,
    loadedAt: new Date().toISOString(),
    revision: codeRevision(),
    migrations,
    load: loadReport,
    samples: gen.samples(),
    stats: gen.stats(),
    counts: gen.counts(),
  };
  await writeMarker(database, marker);
  return marker;
}

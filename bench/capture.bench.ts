/**
 * Sustained EPCIS capture throughput on PGlite and PostgreSQL:
 * `npm run bench -- capture [--events N] [--doc-size N] [--runs N] [--engines pglite,postgres] [--warmup-docs N] [--seed N]
 *   [--http-runs N | --no-http]`. Defaults: 200,000 measured events in documents of 1,000, 3 runs, both engines, 1 HTTP run.
 *
 * The parent generates realistic bakery documents once (src/demo/scale/epcis-generator.ts) into a temporary
 * file, checks that one passes `prepareCapture`, and times the CPU stages of preparing one document.
 * Each engine then runs in a child process of its own, so its peak RSS is its own. For every run the
 * child opens a fresh database (PGlite in a temporary data folder on disk, as `npm start` does; a new
 * PostgreSQL database from LOTLINE_BENCH_PG_URL), migrates it, creates an organisation, captures the
 * warm-up documents, and then times the measured ones through exactly what `POST /epcis/capture` does,
 * without HTTP: `createPreparer()` (worker threads) → `prepare(body, 'document', limit)` →
 * `storeCapture(ctx, signer, actor, outcome)`. It does so twice per run, each time on a fresh
 * database: one document at a time (sequential), and with two in flight (pipelined: a worker prepares
 * document n+1 while document n is stored, as when a server has concurrent requests). PGlite is also
 * measured through a listening HTTP server (`buildApp` + `listen`), driven by `fetch` from the parent
 * process with two requests in flight, so the HTTP overhead is known. After the last run, 20 more documents
 * are stored with every SQL statement timed, and a few are sent again (all events already stored).
 * Results: bench/results/capture.md and capture.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InsertQueryNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  RawNode,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import { pino } from 'pino';
import { storeCapture } from '../src/app/capture/capture.ts';
import { eventKeys } from '../src/app/capture/event-keys.ts';
import { createPreparer, type Preparer } from '../src/app/capture/prepare-pool.ts';
import { type PreparedDocument, prepareCapture } from '../src/app/capture/prepare.ts';
import { type AppContext, randomIds, systemClock } from '../src/app/context.ts';
import { createOrg } from '../src/app/orgs.ts';
import { createAuthenticator, createToken } from '../src/app/tokens.ts';
import { type EpcisEvent, type EventIndex, eventIndex } from '../src/core/epcis/event.ts';
import { epcisContextFromDocument, eventHashId } from '../src/core/epcis/event-hash.ts';
import { validateEpcisDocument } from '../src/core/epcis/validate.ts';
import { CHECKPOINT_BLOCK_SIZE, createCheckpoint } from '../src/core/ledger/checkpoint.ts';
import { contentHash } from '../src/core/ledger/content-hash.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../src/core/ledger/ed25519.ts';
import { entryHash } from '../src/core/ledger/entry-hash.ts';
import type { LedgerSigner } from '../src/core/ledger/ledger-signer.ts';
import { buildApp } from '../src/http/app.ts';
import { type Database, type Engine, openDatabase } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { BakeryEventKind, type JsonObject, createBakeryGenerator } from '../src/demo/scale/epcis-generator.ts';
import { peakRssMiB, percentile, rssSampler, type Summary, summarize, writeReport } from './lib/stats.ts';
import { parseArgs, positive } from './lib/args.ts';
import { codeRevision } from './lib/trace-dataset.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface Options {
  /** Measured events per run (warm-up excluded). */
  readonly events: number;
  readonly docSize: number;
  readonly runs: number;
  readonly engines: readonly Engine[];
  readonly warmupDocs: number;
  readonly seed: number;
  readonly http: boolean;
  /** Runs of the HTTP configuration (default 1, to keep a full run near 10 minutes). */
  readonly httpRuns: number;
}

type ChildRole = 'direct' | 'http';

const ORG = 'bench';
const CAPTURE_LIMIT = 50_000;
const BODY_LIMIT = 64 * 1024 * 1024;
/** Documents in flight in the pipelined mode. */
const PIPELINE_DEPTH = 2;
/** Documents captured after the last run with per-statement timing (not part of the throughput figures). */
const DIAGNOSTIC_DOCS = 20;
const DEFAULT_PG_URL = 'postgres://postgres@localhost/postgres?host=/tmp/lotline-pg';
const system = { orgId: ORG, tokenId: 'system' as const, role: null };


const KNOWN_FLAGS: ReadonlySet<string> = new Set(['events', 'doc-size', 'runs', 'engines', 'warmup-docs', 'seed', 'no-http', 'http-runs']);

function optionsFrom(flags: Map<string, string>): Options {
  for (const name of flags.keys()) if (!KNOWN_FLAGS.has(name)) throw new Error(`unknown option --${name}; known: ${[...KNOWN_FLAGS].map((f) => `--${f}`).join(' ')}`);
  const engines = (flags.get('engines') ?? 'pglite,postgres').split(',').map((s) => s.trim());
  for (const e of engines) if (e !== 'pglite' && e !== 'postgres') throw new Error(`--engines: unknown engine ${e}`);
  return {
    events: positive(flags, 'events', 200_000),
    docSize: positive(flags, 'doc-size', 1_000),
    runs: positive(flags, 'runs', 3),
    engines: engines as Engine[],
    warmupDocs: positive(flags, 'warmup-docs', 5),
    seed: positive(flags, 'seed', 20250905),
    http: flags.get('no-http') === undefined,
    httpRuns: positive(flags, 'http-runs', 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Dataset: generated once, written as one document per line, read back by offset
// ---------------------------------------------------------------------------------------------

interface DatasetDoc {
  readonly offset: number;
  readonly length: number;
  readonly events: number;
}

interface Dataset {
  readonly file: string;
  readonly warmup: readonly DatasetDoc[];
  readonly measured: readonly DatasetDoc[];
  readonly diagnostic: readonly DatasetDoc[];
  /** Event kinds of the measured documents. */
  readonly mix: Readonly<Record<BakeryEventKind, number>>;
  readonly measuredBytes: number;
}

function generateDataset(dir: string, o: Options): Dataset {
  const gen = createBakeryGenerator({ seed: o.seed });
  const file = join(dir, 'documents.ndjson');
  const fd = openSync(file, 'w');
  let offset = 0;
  const write = (count: number): DatasetDoc[] => {
    const docs: DatasetDoc[] = [];
    for (let left = count; left > 0; ) {
      const n = Math.min(o.docSize, left);
      left -= n;
      const text = Buffer.from(`${JSON.stringify(gen.document(n))}\n`, 'utf8');
      writeSync(fd, text);
      docs.push({ offset, length: text.length - 1, events: n });
      offset += text.length;
    }
    return docs;
  };
  try {
    const warmup = write(o.warmupDocs * o.docSize);
    const before = gen.counts();
    const measured = write(o.events);
    const after = gen.counts();
    const diagnostic = write(DIAGNOSTIC_DOCS * o.docSize);
    const mix = Object.fromEntries(BakeryEventKind.all.map((k) => [k, after[k] - before[k]])) as Record<BakeryEventKind, number>;
    const dataset: Dataset = { file, warmup, measured, diagnostic, mix, measuredBytes: measured.reduce((s, d) => s + d.length, 0) };
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify(dataset));
    return dataset;
  } finally {
    closeSync(fd);
  }
}

/** Reads documents of the dataset file by offset (what a server does with a request body it has received). */
function documentReader(file: string): { read(doc: DatasetDoc): string; close(): void } {
  const fd = openSync(file, 'r');
  return {
    read(doc) {
      const buf = Buffer.allocUnsafe(doc.length);
      readSync(fd, buf, 0, doc.length, doc.offset);
      return buf.toString('utf8');
    },
    close: () => closeSync(fd),
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring one pass over a list of documents
// ---------------------------------------------------------------------------------------------

type Mode = 'sequential' | 'pipelined' | 'http';

interface DocTiming {
  readonly latencyMs: number;
  /** From the start to the prepared outcome (in-process modes only). */
  readonly prepareMs: number | null;
  /** From the prepared outcome to the committed capture (in-process modes only). */
  readonly storeMs: number | null;
}

interface DocSample extends DocTiming {
  readonly events: number;
}

interface Pass {
  readonly wallMs: number;
  readonly samples: readonly DocSample[];
}

/** Capture `docs` with at most `depth` in flight; per-document latency runs from the start of its capture to its completion. */
async function drive(docs: readonly DatasetDoc[], depth: number, read: (doc: DatasetDoc) => string, capture: (body: string) => Promise<DocTiming>): Promise<Pass> {
  const samples: DocSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (const doc of docs) {
    while (inFlight.size >= depth) await Promise.race(inFlight);
    const body = read(doc);
    const task: Promise<void> = capture(body)
      .then((t) => {
        samples.push({ events: doc.events, ...t });
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  return { wallMs: performance.now() - start, samples };
}

/** The in-process equivalent of `POST /epcis/capture` for a document that must be stored whole. */
function directCapture(ctx: AppContext, preparer: Preparer, signer: LedgerSigner): (body: string) => Promise<DocTiming> {
  return async (body) => {
    const t0 = performance.now();
    const outcome = await preparer.prepare(body, 'document', CAPTURE_LIMIT);
    const t1 = performance.now();
    if (!outcome.ok) throw new Error(`document rejected: ${outcome.message}: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
    const job = await storeCapture(ctx, signer, system, outcome);
    const t2 = performance.now();
    if (job.storedCount !== outcome.events.length) throw new Error(`stored ${job.storedCount} of ${outcome.events.length} events (duplicates in the dataset?)`);
    return { latencyMs: t2 - t0, prepareMs: t1 - t0, storeMs: t2 - t1 };
  };
}

// ---------------------------------------------------------------------------------------------
// Fresh databases
// ---------------------------------------------------------------------------------------------

interface BenchDatabase {
  readonly database: Database;
  readonly where: string;
  drop(): Promise<void>;
}

function pgAdminUrl(): string {
  return process.env.LOTLINE_BENCH_PG_URL ?? DEFAULT_PG_URL;
}

async function adminExec(statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshBenchDatabase(engine: Engine): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'lotline-bench-pglite-'));
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    await migrate(database);
    return {
      database,
      where: `PGlite data folder ${dir}/pglite`,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `lotline_bench_${randomIds.next('db').slice(3).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  await adminExec(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrate(database);
  return {
    database,
    where: `PostgreSQL database ${name}`,
    drop: async () => {
      await database.close();
      await adminExec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function benchContext(database: Database): AppContext {
  return { database, clock: systemClock, ids: randomIds, logger: pino({ level: 'warn' }) };
}

async function storedState(database: Database): Promise<{ events: number; seq: number; checkpoints: number; bytes: number }> {
  const r = await sql<{ events: number; seq: number; checkpoints: number; bytes: number }>`
    SELECT (SELECT count(*)::int FROM epcis_events WHERE org_id = ${ORG}) AS events,
           (SELECT seq FROM ledger_heads WHERE org_id = ${ORG}) AS seq,
           (SELECT count(*)::int FROM ledger_checkpoints WHERE org_id = ${ORG}) AS checkpoints,
           pg_database_size(current_database()) AS bytes`.execute(database.db);
  const row = r.rows[0];
  if (!row) throw new Error('no state');
  return { events: Number(row.events), seq: Number(row.seq), checkpoints: Number(row.checkpoints), bytes: Number(row.bytes) };
}

function expectStored(state: { events: number; seq: number; checkpoints: number }, events: number): void {
  const checkpoints = Math.floor(events / CHECKPOINT_BLOCK_SIZE);
  if (state.events !== events || state.seq !== events || state.checkpoints !== checkpoints) {
    throw new Error(`expected ${events} events, ledger head ${events} and ${checkpoints} checkpoints; found ${JSON.stringify(state)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Per-statement timing (diagnostic only): a Kysely plugin on the context's database handle
// ---------------------------------------------------------------------------------------------

function statementLabel(node: RootOperationNode): string {
  if (InsertQueryNode.is(node)) return `INSERT ${node.into?.table.identifier.name ?? '?'}`;
  if (RawNode.is(node)) {
    const text = node.sqlFragments.join('$').replace(/\s+/g, ' ').trim();
    const verb = text.startsWith('ROLLBACK TO') ? 'ROLLBACK TO SAVEPOINT' : (text.split(' ')[0] ?? '?');
    const table = /\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(text)?.[1];
    const from = /\b(jsonb?_to_recordset)\b/.exec(text)?.[1];
    const detail = text.includes('FOR UPDATE') ? ' … FOR UPDATE' : text.includes('= ANY(') ? ' … = ANY(…)' : from ? ` … ${from}` : '';
    return table ? `${verb} ${table}${detail}` : verb;
  }
  return node.kind;
}

function statementTimer(): { readonly plugin: KyselyPlugin; take(): Map<string, number> } {
  const started = new WeakMap<QueryId, { label: string; t0: number }>();
  let current = new Map<string, number>();
  return {
    plugin: {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        started.set(args.queryId, { label: statementLabel(args.node), t0: performance.now() });
        return args.node;
      },
      async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        const s = started.get(args.queryId);
        if (s) current.set(s.label, (current.get(s.label) ?? 0) + performance.now() - s.t0);
        return args.result;
      },
    },
    take() {
      const out = current;
      current = new Map();
      return out;
    },
  };
}

interface StatementStat {
  readonly label: string;
  /** Median per document of the time spent in this statement (0 for documents that did not run it). */
  readonly medianMsPerDoc: number;
  readonly meanMsPerDoc: number;
  /** Share of documents that ran it. */
  readonly share: number;
}

interface Diagnostic {
  readonly docs: number;
  readonly atEvents: number;
  readonly storeMs: Summary;
  readonly statements: readonly StatementStat[];
  /** storeCapture time outside the timed statements: BEGIN/COMMIT, entry hashes, checkpoint signing, driver. */
  readonly outsideMs: Summary;
  /** Scan nodes of the plan of storeCapture's "already stored?" query at the end (EXPLAIN of the same query text). */
  readonly alreadyStoredPlan: string;
  /** storeCapture of documents sent a second time (every event already stored), median ms, with its statements. */
  readonly resend: { readonly docs: number; readonly storeMs: number; readonly statements: string };
}

async function diagnose(database: Database, docs: readonly DatasetDoc[], read: (doc: DatasetDoc) => string, signer: LedgerSigner, atEvents: number): Promise<Diagnostic> {
  const timer = statementTimer();
  const ctx = benchContext({ ...database, db: database.db.withPlugin(timer.plugin) });
  const perDoc: Map<string, number>[] = [];
  const store: number[] = [];
  const outside: number[] = [];
  const sent: PreparedDocument[] = [];
  for (const doc of docs) {
    const outcome = prepareCapture(read(doc), 'document', CAPTURE_LIMIT);
    if (!outcome.ok) throw new Error(`diagnostic document rejected: ${outcome.message}`);
    sent.push(outcome);
    timer.take();
    const t0 = performance.now();
    await storeCapture(ctx, signer, system, outcome);
    const ms = performance.now() - t0;
    const statements = timer.take();
    perDoc.push(statements);
    store.push(ms);
    outside.push(ms - [...statements.values()].reduce((a, b) => a + b, 0));
  }
  const labels = [...new Set(perDoc.flatMap((m) => [...m.keys()]))];
  const statements = labels
    .map((label) => {
      const values = perDoc.map((m) => m.get(label) ?? 0);
      return { label, medianMsPerDoc: summarize(values).median, meanMsPerDoc: summarize(values).mean, share: perDoc.filter((m) => m.has(label)).length / perDoc.length };
    })
    .sort((a, b) => b.meanMsPerDoc - a.meanMsPerDoc);

  // A client that re-sends documents (a retry after a timeout): every event is already stored.
  const resent = sent.slice(-5);
  const resendMs: number[] = [];
  const resendStatements = new Map<string, number>();
  for (const outcome of resent) {
    timer.take();
    const t0 = performance.now();
    const job = await storeCapture(ctx, signer, system, outcome);
    resendMs.push(performance.now() - t0);
    if (job.storedCount !== 0) throw new Error(`a re-sent document stored ${job.storedCount} events again`);
    for (const [label, ms] of timer.take()) resendStatements.set(label, (resendStatements.get(label) ?? 0) + ms / resent.length);
  }
  const resend = {
    docs: resent.length,
    storeMs: median(resendMs),
    statements: [...resendStatements]
      .sort((a, b) => b[1] - a[1])
      .map(([label, ms]) => `${label} ${ms.toFixed(1)}`)
      .join('; '),
  };

  // The query of alreadyStored() in src/app/capture/capture.ts, explained as the planner sees it now.
  const hashes = (sent[sent.length - 1]?.events ?? []).map((e) => e.hashId);
  const plan = await sql<{ 'QUERY PLAN': string }>`
    EXPLAIN SELECT hash_id, declares_error FROM epcis_events WHERE org_id = ${ORG} AND hash_id = ANY(${hashes}::text[])`.execute(database.db);
  const alreadyStoredPlan = plan.rows
    .map((r) => r['QUERY PLAN'])
    .filter((line) => / Scan /.test(` ${line.trim().replace(/^->\s+/, '')}`))
    .map((line) => line.trim().replace(/^->\s+/, '').replace(/\s+\(cost.*$/, ''))
    .join(' ← ');
  return { docs: docs.length, atEvents, storeMs: summarize(store), statements, outsideMs: summarize(outside), alreadyStoredPlan, resend };
}

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

interface ModeRun {
  readonly run: number;
  readonly mode: Mode;
  readonly events: number;
  readonly wallMs: number;
  readonly samples: readonly DocSample[];
  /** CPU time of the capturing process (all its threads) per 1,000 events; a PostgreSQL server's own CPU is not in it. */
  readonly cpuMsPer1000: number;
}

interface EngineResult {
  readonly engine: Engine;
  readonly runs: readonly ModeRun[];
  /** Peak RSS of the whole child process, fresh-database creation included. */
  readonly peakRssMiB: number;
  /** Highest RSS sampled while measured documents were being captured. */
  readonly captureRssMiB: number;
  /** CPU time of the child process (all threads). */
  readonly cpuSeconds: number;
  readonly databaseMiB: number;
  readonly where: string;
  readonly diagnostic: Diagnostic | null;
}

type ChildMessage =
  | { readonly kind: 'result'; readonly result: EngineResult }
  | { readonly kind: 'ready'; readonly port: number; readonly token: string }
  | {
      readonly kind: 'httpDone';
      readonly peakRssMiB: number;
      readonly captureRssMiB: number;
      readonly databaseMiB: number;
      readonly cpuSeconds: number;
      readonly totalCpuSeconds: number;
      readonly diagnostic: Diagnostic;
    };

type ParentMessage = { readonly kind: 'finish'; readonly events: number };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started as a child with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');


const cpuSecondsNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const sustained = (events: number, wallMs: number): number => (events / wallMs) * 1000;

function progressLine(engine: string, run: number, runs: number, mode: Mode, pass: Pass, events: number): string {
  const lat = summarize(pass.samples.map((s) => s.latencyMs));
  return `[capture] ${engine} run ${run}/${runs} ${mode}: ${fmt(sustained(events, pass.wallMs))} events/s sustained over ${fmt(events)} events (doc latency median ${lat.median.toFixed(1)} ms, p95 ${lat.p95.toFixed(1)} ms); peak RSS so far ${peakRssMiB()} MiB\n`;
}

/** Child: every run and mode on fresh databases of one engine, in-process. */
async function directChild(engine: Engine, dataset: Dataset, runs: number): Promise<void> {
  const preparer = createPreparer();
  const reader = documentReader(dataset.file);
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const measuredEvents = dataset.measured.reduce((s, d) => s + d.events, 0);
  const warmupEvents = dataset.warmup.reduce((s, d) => s + d.events, 0);
  const results: ModeRun[] = [];
  const rss = rssSampler();
  let diagnostic: Diagnostic | null = null;
  let databaseMiB = 0;
  let where = '';
  try {
    for (let run = 1; run <= runs; run++) {
      for (const mode of ['sequential', 'pipelined'] as const) {
        const fresh = await freshBenchDatabase(engine);
        where = fresh.where;
        try {
          const ctx = benchContext(fresh.database);
          await createOrg(ctx, ORG, '月华坊 Yuehuafang (bench)', system);
          const capture = directCapture(ctx, preparer, signer);
          const depth = mode === 'sequential' ? 1 : PIPELINE_DEPTH;
          await drive(dataset.warmup, depth, reader.read, capture);
          rss.on();
          const cpu0 = cpuSecondsNow();
          const pass = await drive(dataset.measured, depth, reader.read, capture);
          const cpuMsPer1000 = ((cpuSecondsNow() - cpu0) * 1e6) / measuredEvents;
          rss.off();
          const state = await storedState(fresh.database);
          expectStored(state, warmupEvents + measuredEvents);
          databaseMiB = state.bytes / 1024 / 1024;
          results.push({ run, mode, events: measuredEvents, ...pass, cpuMsPer1000 });
          process.stdout.write(progressLine(engine, run, runs, mode, pass, measuredEvents));
          if (run === runs && mode === 'pipelined') {
            diagnostic = await diagnose(fresh.database, dataset.diagnostic, reader.read, signer, state.events);
          }
        } finally {
          await fresh.drop();
        }
      }
    }
  } finally {
    rss.stop();
    reader.close();
    await preparer.close();
  }
  const result: EngineResult = { engine, runs: results, peakRssMiB: peakRssMiB(), captureRssMiB: rss.maxMiB(), cpuSeconds: cpuSecondsNow(), databaseMiB, where, diagnostic };
  await send({ kind: 'result', result });
}

/** Child: Lotline's HTTP app on a fresh PGlite database, listening on a loopback port; the parent drives it. */
async function httpChild(dataset: Dataset): Promise<void> {
  const fresh = await freshBenchDatabase('pglite');
  const ctx = benchContext(fresh.database);
  await createOrg(ctx, ORG, '月华坊 Yuehuafang (bench)', system);
  const token = await createToken(ctx, { orgId: ORG, role: 'production', label: 'bench' }, system);
  const preparer = createPreparer();
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: BODY_LIMIT, captureLimit: CAPTURE_LIMIT });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const finish = new Promise<ParentMessage>((resolve) => process.once('message', (m: ParentMessage) => resolve(m)));
  const rss = rssSampler();
  rss.on();
  const cpu0 = cpuSecondsNow();
  await send({ kind: 'ready', port: address.port, token: token.token });
  const { events } = await finish;
  const cpuSeconds = cpuSecondsNow() - cpu0;
  rss.off();
  rss.stop();
  await app.close();
  await preparer.close();
  const state = await storedState(fresh.database);
  expectStored(state, events);
  const reader = documentReader(dataset.file);
  const diagnostic = await diagnose(fresh.database, dataset.diagnostic, reader.read, signer, state.events);
  reader.close();
  await fresh.drop();
  await send({ kind: 'httpDone', peakRssMiB: peakRssMiB(), captureRssMiB: rss.maxMiB(), databaseMiB: state.bytes / 1024 / 1024, cpuSeconds, totalCpuSeconds: cpuSecondsNow(), diagnostic });
}

function startChild(args: readonly string[]): { child: ChildProcess; next(kind: ChildMessage['kind']): Promise<ChildMessage> } {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, [main, 'capture', ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: ChildMessage[] = [];
  const waiting: { kind: ChildMessage['kind']; resolve(m: ChildMessage): void; reject(e: Error): void }[] = [];
  let exit: Error | null = null;
  child.on('message', (m: ChildMessage) => {
    const w = waiting.findIndex((x) => x.kind === m.kind);
    if (w >= 0) waiting.splice(w, 1)[0]?.resolve(m);
    else inbox.push(m);
  });
  child.on('exit', (code, signal) => {
    exit = new Error(`benchmark child ${args.join(' ')} exited with ${code ?? signal}`);
    for (const w of waiting.splice(0)) w.reject(exit);
  });
  return {
    child,
    next(kind) {
      const i = inbox.findIndex((m) => m.kind === kind);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as ChildMessage);
      if (exit) return Promise.reject(exit);
      return new Promise((resolve, reject) => waiting.push({ kind, resolve, reject }));
    },
  };
}

async function runDirectEngine(engine: Engine, datasetDir: string, runs: number): Promise<EngineResult> {
  const { child, next } = startChild(['--child', 'direct', '--engine', engine, '--dataset', datasetDir, '--runs', String(runs)]);
  const m = await next('result');
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  if (m.kind !== 'result') throw new Error('unexpected message');
  return m.result;
}

/** One HTTP run: a server child on a fresh PGlite database, requests sent from this process with `fetch`. */
async function runHttp(
  datasetDir: string,
  dataset: Dataset,
  run: number,
  runs: number,
): Promise<{ run: ModeRun; peakRssMiB: number; captureRssMiB: number; databaseMiB: number; totalCpuSeconds: number; diagnostic: Diagnostic }> {
  const { child, next } = startChild(['--child', 'http', '--dataset', datasetDir]);
  const ready = await next('ready');
  if (ready.kind !== 'ready') throw new Error('unexpected message');
  const url = `http://127.0.0.1:${ready.port}/epcis/capture`;
  const headers = { authorization: `Bearer ${ready.token}`, 'content-type': 'application/ld+json' };
  const reader = documentReader(dataset.file);
  const capture = async (body: string): Promise<DocTiming> => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body });
    const job = (await res.json()) as { storedCount?: number; eventCount?: number; title?: string };
    if (res.status !== 202 || job.storedCount !== job.eventCount) throw new Error(`capture answered ${res.status}: ${JSON.stringify(job).slice(0, 500)}`);
    return { latencyMs: performance.now() - t0, prepareMs: null, storeMs: null };
  };
  try {
    await drive(dataset.warmup, PIPELINE_DEPTH, reader.read, capture);
    const pass = await drive(dataset.measured, PIPELINE_DEPTH, reader.read, capture);
    const events = dataset.measured.reduce((s, d) => s + d.events, 0);
    process.stdout.write(progressLine('pglite via HTTP', run, runs, 'http', pass, events));
    child.send({ kind: 'finish', events: events + dataset.warmup.reduce((s, d) => s + d.events, 0) } satisfies ParentMessage);
    const done = await next('httpDone');
    if (done.kind !== 'httpDone') throw new Error('unexpected message');
    // The server's CPU covers warm-up and measured documents alike (it cannot tell them apart).
    const served = events + dataset.warmup.reduce((s, d) => s + d.events, 0);
    return { run: { run, mode: 'http', events, ...pass, cpuMsPer1000: (done.cpuSeconds * 1e6) / served }, peakRssMiB: done.peakRssMiB, captureRssMiB: done.captureRssMiB, databaseMiB: done.databaseMiB, totalCpuSeconds: done.totalCpuSeconds, diagnostic: done.diagnostic };
  } finally {
    reader.close();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

// ---------------------------------------------------------------------------------------------
// CPU breakdown of preparing one document (main thread, exported core functions timed directly)
// ---------------------------------------------------------------------------------------------

interface Stage {
  readonly stage: string;
  readonly ms: number;
  /** Part of prepareCapture (worker thread), as opposed to storeCapture's CPU work (main thread). */
  readonly prepare: boolean;
}

const MAIN_THREAD_STAGES: ReadonlySet<string> = new Set(['ledger entry hashes (entryHash × events, main thread in storeCapture)']);

function median(values: readonly number[]): number {
  return summarize(values).median;
}

async function cpuBreakdown(body: string, signer: LedgerSigner): Promise<{ stages: Stage[]; prepareInlineMs: number; prepareWorkerMs: number; events: number }> {
  const reps = 25;
  const times = new Map<string, number[]>();
  const time = <T>(stage: string, fn: () => T): T => {
    const t0 = performance.now();
    const out = fn();
    const list = times.get(stage) ?? [];
    list.push(performance.now() - t0);
    times.set(stage, list);
    return out;
  };
  let events = 0;
  for (let rep = 0; rep < reps + 5; rep++) {
    if (rep === 5) times.clear(); // the first repetitions warm the JIT up
    const parsed = time('JSON.parse', () => JSON.parse(body) as Record<string, unknown>);
    const validated = time('validate (validateEpcisDocument: semantic checks + ajv)', () => validateEpcisDocument(parsed));
    if (!validated.ok) throw new Error(`breakdown document invalid: ${JSON.stringify(validated.error.slice(0, 3))}`);
    const list = validated.value.events;
    events = list.length;
    const indexes = time('index (eventIndex)', () => list.map((v): EventIndex => eventIndex(v.event, v.context)));
    const hashIds = time('hash IDs (epcisContextFromDocument + eventHashId)', () => {
      const context = epcisContextFromDocument(parsed);
      return list.map((v) => eventHashId(v.event as unknown as Record<string, unknown>, context));
    });
    const keys = time('index keys (eventKeys)', () => indexes.map((ix) => eventKeys(ix)));
    const hashes = time('content hashes (contentHash)', () => list.map((v) => contentHash(v.event)));
    time('row JSON (JSON.stringify of rows)', () =>
      `[${list
        .map((v, i) => {
          const ix = indexes[i] as EventIndex;
          const event: EpcisEvent = v.event;
          return JSON.stringify({ event_id: ix.eventId ?? hashIds[i], hash_id: hashIds[i], declares_error: false, event_type: ix.type, event_time: ix.eventTime, keys: keys[i], doc: event });
        })
        .join(',')}]`,
    );
    time('ledger entry hashes (entryHash × events, main thread in storeCapture)', () => {
      let prev = '0'.repeat(64);
      for (let i = 0; i < list.length; i++) prev = entryHash({ orgId: ORG, seq: i + 1, eventHashId: hashIds[i] as string, contentHash: hashes[i] as string, prevHash: prev });
      return prev;
    });
  }
  const block = Array.from({ length: CHECKPOINT_BLOCK_SIZE }, (_, i) => entryHash({ orgId: ORG, seq: i + 1, eventHashId: `ni:///sha-256;${'a'.repeat(64)}?ver=CBV2.0`, contentHash: 'b'.repeat(64), prevHash: 'c'.repeat(64) }));
  const checkpointMs = median(
    Array.from({ length: 10 }, () => {
      const t0 = performance.now();
      createCheckpoint({ orgId: ORG, fromSeq: 1, entryHashes: block, prevCheckpointHash: '0'.repeat(64), createdAt: new Date() }, signer);
      return performance.now() - t0;
    }),
  );
  const inline = Array.from({ length: reps + 5 }, () => {
    const t0 = performance.now();
    prepareCapture(body, 'document', CAPTURE_LIMIT);
    return performance.now() - t0;
  }).slice(5);
  const preparer = createPreparer(1);
  const worker: number[] = [];
  try {
    for (let rep = 0; rep < reps + 5; rep++) {
      const t0 = performance.now();
      const outcome = await preparer.prepare(body, 'document', CAPTURE_LIMIT);
      if (rep >= 5) worker.push(performance.now() - t0);
      if (!outcome.ok) throw new Error('worker rejected the document');
    }
  } finally {
    await preparer.close();
  }
  const stages: Stage[] = [...times].map(([stage, list]) => ({ stage, ms: median(list), prepare: !MAIN_THREAD_STAGES.has(stage) }));
  stages.push({
    stage: `ledger checkpoint (createCheckpoint: Merkle root of ${CHECKPOINT_BLOCK_SIZE} entries + Ed25519 signature, ${checkpointMs.toFixed(2)} ms once per ${CHECKPOINT_BLOCK_SIZE} events; main thread in storeCapture)`,
    ms: (checkpointMs * events) / CHECKPOINT_BLOCK_SIZE,
    prepare: false,
  });
  return { stages, prepareInlineMs: median(inline), prepareWorkerMs: median(worker), events };
}

/** Preparation cost per event of each kind, from single-kind documents (main thread, inline). */
function costByKind(read: (doc: DatasetDoc) => string, docs: readonly DatasetDoc[]): { kind: BakeryEventKind; usPerEvent: number; n: number }[] {
  const byKind = new Map<BakeryEventKind, JsonObject[]>();
  let context: JsonObject['@context'] = null;
  for (const doc of docs) {
    const parsed = JSON.parse(read(doc)) as { '@context': JsonObject['@context']; epcisBody: { eventList: JsonObject[] } };
    context = parsed['@context'];
    for (const e of parsed.epcisBody.eventList) {
      const kind = BakeryEventKind.of(e);
      const list = byKind.get(kind) ?? [];
      if (list.length < 500) list.push(e);
      byKind.set(kind, list);
    }
  }
  const out: { kind: BakeryEventKind; usPerEvent: number; n: number }[] = [];
  for (const kind of BakeryEventKind.all) {
    const list = byKind.get(kind);
    if (!list || list.length === 0) continue;
    const body = JSON.stringify({ '@context': context, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-09-30T00:00:00.000+08:00', epcisBody: { eventList: list } });
    const ms = Array.from({ length: 8 }, () => {
      const t0 = performance.now();
      const r = prepareCapture(body, 'document', CAPTURE_LIMIT);
      if (!r.ok) throw new Error(`${kind} document rejected: ${JSON.stringify(r.errors.slice(0, 2))}`);
      return performance.now() - t0;
    }).slice(3);
    out.push({ kind, usPerEvent: (median(ms) * 1000) / list.length, n: list.length });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

interface RunStats {
  readonly sustained: number;
  readonly docRate: Summary;
  /** The 5th percentile of per-document events/s: 95% of documents went at least this fast. */
  readonly docRateLow: number;
  readonly latency: Summary;
  readonly prepare: Summary | null;
  readonly store: Summary | null;
  /** Median latency of the first and the last tenth of the measured documents (growth with table size). */
  readonly latencyFirstTenth: number;
  readonly latencyLastTenth: number;
}

function runStats(r: ModeRun): RunStats {
  const prepare = r.samples.flatMap((s) => (s.prepareMs === null ? [] : [s.prepareMs]));
  const store = r.samples.flatMap((s) => (s.storeMs === null ? [] : [s.storeMs]));
  const rates = r.samples.map((s) => (s.events / s.latencyMs) * 1000);
  const tenth = Math.max(1, Math.floor(r.samples.length / 10));
  return {
    sustained: sustained(r.events, r.wallMs),
    docRate: summarize(rates),
    docRateLow: percentile([...rates].sort((a, b) => a - b), 5),
    latency: summarize(r.samples.map((s) => s.latencyMs)),
    prepare: prepare.length ? summarize(prepare) : null,
    store: store.length ? summarize(store) : null,
    latencyFirstTenth: median(r.samples.slice(0, tenth).map((s) => s.latencyMs)),
    latencyLastTenth: median(r.samples.slice(-tenth).map((s) => s.latencyMs)),
  };
}

const COLUMNS = [
  'engine',
  'path',
  'sustained events/s (median of runs)',
  'runs min–max events/s',
  'per-doc events/s median',
  'per-doc events/s p95 (95% of docs at least)',
  'doc latency median ms',
  'doc latency p95 ms',
  'prepare / store median ms',
  'CPU ms per 1,000 events (bench process)',
  'RSS during capture MiB',
  'peak RSS MiB (with DB creation)',
] as const;

function modeRow(engine: string, path: string, runs: readonly ModeRun[], memory: { readonly captureRssMiB: number; readonly peakRssMiB: number }): (string | number)[] {
  const stats = runs.map(runStats);
  const med = (f: (s: RunStats) => number): number => median(stats.map(f));
  const rates = stats.map((s) => s.sustained);
  const split = runs[0]?.mode === 'sequential';
  return [
    engine,
    path,
    Math.round(med((s) => s.sustained)),
    `${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`,
    Math.round(med((s) => s.docRate.median)),
    Math.round(med((s) => s.docRateLow)),
    med((s) => s.latency.median),
    med((s) => s.latency.p95),
    split ? `${med((s) => s.prepare?.median ?? Number.NaN).toFixed(1)} / ${med((s) => s.store?.median ?? Number.NaN).toFixed(1)}` : '—',
    Math.round(median(runs.map((r) => r.cpuMsPer1000))),
    memory.captureRssMiB,
    memory.peakRssMiB,
  ];
}

/** Busy CPU time of the whole machine so far, in core-seconds (Linux /proc/stat; null elsewhere). */
function machineBusySeconds(): number | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return (fields.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry
// ---------------------------------------------------------------------------------------------

/** Run the capture benchmark (or, with `--child`, one engine's share of it); see the module comment. */
export async function run(args: string[]): Promise<void> {
  const flags = parseArgs(args);
  const role = flags.get('child') as ChildRole | undefined;
  if (role === 'direct') {
    const dir = flags.get('dataset');
    const engine = flags.get('engine');
    if (!dir || (engine !== 'pglite' && engine !== 'postgres')) throw new Error('--child direct needs --dataset and --engine');
    const dataset = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as Dataset;
    await directChild(engine, dataset, positive(flags, 'runs', 3));
    process.exit(0);
  }
  if (role === 'http') {
    const dir = flags.get('dataset');
    if (!dir) throw new Error('--child http needs --dataset');
    await httpChild(JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')) as Dataset);
    process.exit(0);
  }
  await parent(optionsFrom(flags), args);
}

async function postgresReachable(): Promise<string | null> {
  try {
    await adminExec('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Machine CPU while a child ran: total busy core-seconds, and how much of it the child itself used. */
interface CpuShare {
  readonly wallSeconds: number;
  readonly machineBusySeconds: number | null;
  readonly childSeconds: number;
}

function cpuNote(label: string, c: CpuShare, extra: string, expectOthers: boolean): string {
  if (c.machineBusySeconds === null) return `${label}: the child used ${c.childSeconds.toFixed(0)} CPU-s in ${c.wallSeconds.toFixed(0)} s.`;
  const cores = availableParallelism();
  const other = c.machineBusySeconds - c.childSeconds;
  const share = other / (c.wallSeconds * cores);
  const warning =
    !expectOthers && share > 0.1
      ? ` WARNING: other processes took ${(share * 100).toFixed(0)}% of the machine, so the events/s figures of this engine are depressed; "CPU ms per 1,000 events" is the figure that contention does not change much.`
      : '';
  return `${label}: machine ${((c.machineBusySeconds / (c.wallSeconds * cores)) * 100).toFixed(0)}% busy over ${c.wallSeconds.toFixed(0)} s on ${cores} cores (${c.machineBusySeconds.toFixed(0)} core-s); the bench child used ${c.childSeconds.toFixed(0)} core-s, everything else ${other.toFixed(0)} core-s${extra}.${warning}`;
}

async function parent(o: Options, args: readonly string[]): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const revision = codeRevision();
  const idle0 = machineBusySeconds();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle1 = machineBusySeconds();
  const busyBefore = idle0 === null || idle1 === null ? null : (idle1 - idle0) / (2 * availableParallelism());
  if (busyBefore !== null && busyBefore > 0.2) process.stdout.write(`[capture] note: the machine is already ${(busyBefore * 100).toFixed(0)}% busy before the benchmark starts; figures will be depressed\n`);
  const dir = mkdtempSync(join(tmpdir(), 'lotline-bench-capture-'));
  try {
    const t0 = performance.now();
    const dataset = generateDataset(dir, o);
    const reader = documentReader(dataset.file);
    const measuredEvents = dataset.measured.reduce((s, d) => s + d.events, 0);
    const warmupEvents = dataset.warmup.reduce((s, d) => s + d.events, 0);
    const mib = dataset.measuredBytes / 1024 / 1024;
    process.stdout.write(
      `[capture] generated ${fmt(measuredEvents)} measured + ${fmt(warmupEvents)} warm-up + ${fmt(dataset.diagnostic.length * o.docSize)} diagnostic events in ${((performance.now() - t0) / 1000).toFixed(1)} s (${mib.toFixed(1)} MiB of measured JSON)\n`,
    );

    // The generated documents pass the capture path's validation before anything is timed.
    const probe = dataset.measured[0];
    if (!probe) throw new Error('no measured documents');
    const check = prepareCapture(reader.read(probe), 'document', CAPTURE_LIMIT);
    if (!check.ok) throw new Error(`a generated document is not valid: ${check.message}: ${JSON.stringify(check.errors.slice(0, 5))}`);

    const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
    const breakdown = await cpuBreakdown(reader.read(probe), signer);
    const kinds = costByKind(reader.read, dataset.measured.slice(0, 30));
    process.stdout.write(`[capture] CPU breakdown of one ${breakdown.events}-event document: prepareCapture ${breakdown.prepareInlineMs.toFixed(1)} ms inline, ${breakdown.prepareWorkerMs.toFixed(1)} ms through a worker\n`);

    const results: { result: EngineResult; cpu: CpuShare }[] = [];
    const skipped: string[] = [];
    for (const engine of o.engines) {
      if (engine === 'postgres') {
        const problem = await postgresReachable();
        if (problem) {
          skipped.push(`postgres skipped: cannot reach ${pgAdminUrl()} (${problem}); set LOTLINE_BENCH_PG_URL or run scripts/pg-test-server.sh`);
          process.stdout.write(`[capture] ${skipped[skipped.length - 1]}\n`);
          continue;
        }
      }
      const busy0 = machineBusySeconds();
      const wall0 = performance.now();
      const r = await runDirectEngine(engine, dir, o.runs);
      const busy1 = machineBusySeconds();
      const cpu: CpuShare = { wallSeconds: (performance.now() - wall0) / 1000, machineBusySeconds: busy0 === null || busy1 === null ? null : busy1 - busy0, childSeconds: r.cpuSeconds };
      results.push({ result: r, cpu });
      const stats = (mode: Mode): number => median(r.runs.filter((x) => x.mode === mode).map((x) => runStats(x).sustained));
      process.stdout.write(
        `[capture] ${engine}: sequential ${fmt(stats('sequential'))} events/s, pipelined ${fmt(stats('pipelined'))} events/s (median of ${o.runs}); RSS during capture ${r.captureRssMiB} MiB, peak ${r.peakRssMiB} MiB\n`,
      );
    }

    const httpRuns: ModeRun[] = [];
    const httpMemory = { captureRssMiB: 0, peakRssMiB: 0 };
    let httpCpu: CpuShare | null = null;
    let httpDiagnostic: Diagnostic | null = null;
    if (o.http && o.engines.includes('pglite')) {
      const busy0 = machineBusySeconds();
      const wall0 = performance.now();
      const own0 = cpuSecondsNow();
      let serverSeconds = 0;
      for (let run = 1; run <= o.httpRuns; run++) {
        const h = await runHttp(dir, dataset, run, o.httpRuns);
        httpDiagnostic = h.diagnostic;
        serverSeconds += h.totalCpuSeconds;
        httpRuns.push(h.run);
        httpMemory.captureRssMiB = Math.max(httpMemory.captureRssMiB, h.captureRssMiB);
        httpMemory.peakRssMiB = Math.max(httpMemory.peakRssMiB, h.peakRssMiB);
      }
      const busy1 = machineBusySeconds();
      httpCpu = { wallSeconds: (performance.now() - wall0) / 1000, machineBusySeconds: busy0 === null || busy1 === null ? null : busy1 - busy0, childSeconds: serverSeconds + cpuSecondsNow() - own0 };
    }
    reader.close();

    // Table.
    const rows: (string | number)[][] = [];
    for (const { result: r } of results) {
      rows.push(modeRow(r.engine, 'in-process, sequential (1 doc in flight)', r.runs.filter((x) => x.mode === 'sequential'), r));
      rows.push(modeRow(r.engine, `in-process, pipelined (${PIPELINE_DEPTH} docs in flight)`, r.runs.filter((x) => x.mode === 'pipelined'), r));
    }
    if (httpRuns.length) rows.push(modeRow('pglite', `HTTP POST /epcis/capture, listening server + fetch (${PIPELINE_DEPTH} requests in flight)`, httpRuns, httpMemory));

    const runsOf = (engine: Engine, mode: Mode): readonly ModeRun[] => results.find((x) => x.result.engine === engine)?.result.runs.filter((x) => x.mode === mode) ?? [];
    const sustainedOf = (list: readonly ModeRun[]): number | null => (list.length ? median(list.map((x) => runStats(x).sustained)) : null);
    const notes: string[] = [];
    notes.push(`Command: \`npm run bench -- capture${args.length ? ` ${args.join(' ')}` : ''}\` on ${revision} (whole run ${((performance.now() - started) / 1000 / 60).toFixed(1)} min; machine ${busyBefore === null ? '?' : (busyBefore * 100).toFixed(0)}% busy in the 2 s before; load average ${loadBefore.map((l) => l.toFixed(2)).join('/')} before, ${loadavg().map((l) => l.toFixed(2)).join('/')} after).`);
    const pglitePipelined = sustainedOf(runsOf('pglite', 'pipelined'));
    const pgliteSequential = sustainedOf(runsOf('pglite', 'sequential'));
    if (pglitePipelined !== null && pgliteSequential !== null) {
      const best = Math.max(pglitePipelined, pgliteSequential);
      notes.push(
        `Bar (≥ 20,000 events/s sustained on PGlite, counting validation, hash IDs, the ledger and indexes): ${best >= 20_000 ? 'MET' : 'NOT MET'} — pipelined ${fmt(pglitePipelined)}, sequential ${fmt(pgliteSequential)} events/s (median of ${o.runs} runs).`,
      );
    }
    if (httpRuns.length && pglitePipelined !== null) {
      const http = median(httpRuns.map((x) => runStats(x).sustained));
      const httpCpuMs = median(httpRuns.map((x) => x.cpuMsPer1000));
      const directCpuMs = median(runsOf('pglite', 'pipelined').map((x) => x.cpuMsPer1000));
      notes.push(
        `HTTP overhead (PGlite, ${PIPELINE_DEPTH} in flight): ${fmt(http)} events/s through a listening Fastify server (buildApp + listen on 127.0.0.1; fetch from the parent process over loopback TCP, Bearer token, log level warn) vs ${fmt(pglitePipelined)} in-process: ${(((pglitePipelined - http) / pglitePipelined) * 100).toFixed(1)}% lower. Server CPU per 1,000 events ${httpCpuMs.toFixed(0)} ms vs ${directCpuMs.toFixed(0)} ms in-process; the fetch client also shares the 2 cores with the server.`,
      );
    }
    const pgliteDiagnostic = results.find((x) => x.result.engine === 'pglite')?.result.diagnostic;
    if (pgliteDiagnostic) {
      const store = pgliteDiagnostic.storeMs.median;
      const prep = breakdown.prepareWorkerMs;
      const perDoc = o.docSize / 1000;
      const cpuPer1000 = median(runsOf('pglite', 'pipelined').map((x) => x.cpuMsPer1000));
      const cores = availableParallelism();
      notes.push(
        `Where the pipelined PGlite time goes: storeCapture runs on the main thread (PGlite's WASM engine included), ${store.toFixed(1)} ms per ${fmt(o.docSize)}-event document ⇒ at most ${fmt((o.docSize / store) * 1000)} events/s; preparing runs on the worker, ${prep.toFixed(1)} ms ⇒ at most ${fmt((o.docSize / prep) * 1000)} events/s; the slower side bounds the pipeline (here ${store > prep ? 'the database write, mostly the INSERT into epcis_events' : 'preparation'}). In all, capture costs ${cpuPer1000.toFixed(0)} ms of CPU per 1,000 events (main + worker, including the hand-off, garbage collection and reading the documents), so ${cores} fully used cores cannot exceed ≈ ${fmt((cores * 1e6) / cpuPer1000)} events/s even with perfect overlap; 20,000 events/s needs ≤ ${((cores * 1e6) / 20_000).toFixed(0)} ms of CPU per 1,000 events split evenly, i.e. each side under ${(50 * perDoc).toFixed(0)} ms per document.`,
      );
    }
    notes.push(
      `Method: each engine runs in its own child process. Every run × mode uses a fresh, migrated database with one organisation; ${o.warmupDocs} warm-up documents (${fmt(warmupEvents)} events) are captured first and not timed. Per-document latency runs from prepare() to the committed storeCapture(); in pipelined mode it includes waiting for the other document. "Sustained" = measured events ÷ wall time of all measured documents. "prepare / store" splits the sequential latency (prepare includes the worker hand-off). ${createPreparerThreads()} preparer worker thread(s) (createPreparer() default: cores − 1). Every run checks that all events, the ledger head and the checkpoints were stored. "CPU ms per 1,000 events" is the CPU time of the capturing process (main + worker threads; for PostgreSQL the server's own CPU is not in it).`,
    );
    notes.push(
      'Memory: "RSS during capture" is the highest RSS sampled every 50 ms while measured documents were captured (worker thread included); "peak RSS" is the process maximum (getrusage), which for PGlite is set by creating a fresh on-disk database (PGlite runs initdb in WASM: ≈ 1.1 GiB for a moment; reopening an existing data folder peaks near 370 MiB).',
    );
    for (const { result: r, cpu } of results) {
      const list = r.runs.filter((x) => x.mode === 'sequential').map(runStats);
      const growth = list.length ? `sequential doc latency grows from ${median(list.map((s) => s.latencyFirstTenth)).toFixed(0)} ms (first tenth of the measured documents) to ${median(list.map((s) => s.latencyLastTenth)).toFixed(0)} ms (last tenth)` : '';
      notes.push(`${r.engine}: ${r.where.replace(/ [^ ]*$/, '')}, fresh per run and mode; ${fmt(warmupEvents + measuredEvents)} events take ${r.databaseMiB.toFixed(0)} MiB; ${growth}.`);
      notes.push(cpuNote(`CPU during the ${r.engine} child`, cpu, r.engine === 'postgres' ? ' (the PostgreSQL server processes do part of the work there)' : ' (other processes on the machine)', r.engine === 'postgres'));
    }
    if (httpRuns.length) notes.push(`HTTP server child: RSS during capture ${httpMemory.captureRssMiB} MiB, peak ${httpMemory.peakRssMiB} MiB; the fetch client runs in the parent process.`);
    if (httpCpu) notes.push(cpuNote('CPU during the HTTP runs (server child + fetch client in the parent, counted together as the bench)', httpCpu, ' (other processes on the machine)', false));

    const prepareSum = breakdown.stages.filter((s) => s.prepare).reduce((a, s) => a + s.ms, 0);
    notes.push(
      `CPU breakdown of one ${fmt(breakdown.events)}-event document (median of 25 on the main thread; exported core functions timed directly; the prepare stages run on a worker thread in capture, the rest on the main thread):`,
    );
    for (const s of breakdown.stages) notes.push(`  ${s.stage}: ${s.ms.toFixed(2)} ms`);
    for (const { result: r } of results) {
      if (r.diagnostic) notes.push(`  DB insert on ${r.engine} (storeCapture, median of ${r.diagnostic.docs} documents after ${fmt(r.diagnostic.atEvents)} stored events): ${r.diagnostic.storeMs.median.toFixed(1)} ms`);
    }
    notes.push(
      `  prepare stages sum ${prepareSum.toFixed(1)} ms; prepareCapture itself ${breakdown.prepareInlineMs.toFixed(1)} ms inline, ${breakdown.prepareWorkerMs.toFixed(1)} ms through a worker thread (postMessage + structured clone of the outcome included); one prepare thread alone caps capture at ≈ ${fmt((breakdown.events / breakdown.prepareWorkerMs) * 1000)} events/s.`,
    );
    notes.push(`Prepare cost by event kind (µs per event, single-kind documents of up to 500 events): ${kinds.map((k) => `${k.kind} ${k.usPerEvent.toFixed(0)}`).join(', ')}.`);
    for (const { result: r } of results) if (r.diagnostic) notes.push(statementNote(r.engine, r.diagnostic, o.docSize));
    if (httpDiagnostic) notes.push(statementNote('pglite (HTTP server child)', httpDiagnostic, o.docSize));
    notes.push(...skipped);

    const total = Object.values(dataset.mix).reduce((a, b) => a + b, 0);
    const mix = BakeryEventKind.inWorld('capture').map((k) => `${k} ${((dataset.mix[k] / total) * 100).toFixed(1)}%`).join(', ');
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const report = {
      name: 'capture',
      dataset: `${fmt(measuredEvents)} measured events per run (+ ${fmt(warmupEvents)} warm-up) in ${dataset.measured.length} EPCISDocuments of ${fmt(o.docSize)} events (${mib.toFixed(0)} MiB of JSON, ${Math.round(dataset.measuredBytes / measuredEvents)} bytes/event), bakery generator seed ${o.seed}; ${o.runs} runs per engine and mode. Mix: ${mix}. Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${platform()} ${release()}.`,
      columns: COLUMNS,
      rows,
      notes,
      details: {
        options: o,
        mix: dataset.mix,
        breakdown,
        kinds,
        engines: results.map(({ result: r, cpu: c }) => ({ ...r, cpu: c, runs: r.runs.map((x) => ({ run: x.run, mode: x.mode, events: x.events, wallMs: x.wallMs, cpuMsPer1000: x.cpuMsPer1000, ...runStats(x) })) })),
        http: { memory: httpMemory, cpu: httpCpu, diagnostic: httpDiagnostic, runs: httpRuns.map((x) => ({ run: x.run, events: x.events, wallMs: x.wallMs, cpuMsPer1000: x.cpuMsPer1000, ...runStats(x) })) },
      },
    };
    writeReport(report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function statementNote(where: string, d: Diagnostic, docSize: number): string {
  const statements = d.statements.map((s) => `${s.label} ${s.meanMsPerDoc.toFixed(1)}${s.share < 1 ? ` (in ${(s.share * 100).toFixed(0)}% of documents)` : ''}`).join('; ');
  return `storeCapture on ${where}, statement by statement (${d.docs} documents of ${fmt(docSize)} events after ${fmt(d.atEvents)} stored events; mean ms per document, timed by a Kysely plugin): ${statements}; outside statements (BEGIN/COMMIT, entry hashes, checkpoint signing, driver) median ${d.outsideMs.median.toFixed(1)}. Total median ${d.storeMs.median.toFixed(1)} ms, p95 ${d.storeMs.p95.toFixed(1)} ms. A re-sent document (all ${fmt(docSize)} events already stored; ${d.resend.docs} tries): ${d.resend.storeMs.toFixed(1)} ms (${d.resend.statements}). Plan of the "already stored?" look-up (alreadyStored in capture.ts) at this size: ${d.alreadyStoredPlan}.`;
}


function createPreparerThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

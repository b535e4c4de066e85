/**
 * Trace query latency at scale (issue 4) on PGlite and PostgreSQL:
 * `npm run bench -- trace [--events N] [--engine pglite|postgres|both] [--data-dir DIR] [--reuse]
 *   [--samples N] [--warmup N] [--export-samples N] [--doc-size N] [--seed N] [--analyze] [--budget-seconds N]
 *   [--index sql|index|both]`.
 * Defaults: 10,000,000 events, both engines, data in bench/.data/trace-<engine>-<N>, 200 samples
 * after 20 warm-up queries per measurement, 5 export samples, documents of 5,000 events, at most
 * 900 s per measurement (warm-up takes at most a quarter of it). `--analyze` runs ANALYZE on the trace
 * tables before querying. `--index` says how trace queries read the derived rows: `sql` (the in-memory
 * trace index turned off), `index` (built first, its build time and size reported), or `both` (default:
 * SQL first, then the index, on the same subjects in the same process, so the two are compared under the
 * same machine load). The FSMA export runs once, after the others.
 *
 * Each engine runs in a child process of its own (so its peak RSS is its own). The child opens the
 * data set (bench/lib/trace-dataset.ts): with `--reuse` and a matching marker it is used as it is;
 * otherwise it is loaded afresh through the real capture path — the bakery generator's trace world
 * (src/demo/scale/epcis-generator.ts), master data through the master-data use case, documents prepared
 * by the worker pool and stored with `storeCapture`, with a progress bar on stderr. Then, on query
 * subjects drawn (seeded) from the codes the generator printed:
 *
 * | measurement | call | bar |
 * |---|---|---|
 * | upstream trace of a unit | `traceCode(ctx, org, { code: unit, direction: 'upstream' })` | p95 < 20 ms |
 * | downstream scope of a raw lot, with per-store quantities | `traceCode(ctx, org, { code: rawLot, direction: 'downstream' })` | p95 < 100 ms |
 * | mass balance of a batch | `massBalance(ctx, org, { code: batchLot })` | p95 < 200 ms |
 * | co-exposure scope of a unit | `coExposureScope(ctx, org, { code: unit, rules })` | report only |
 * | FSMA 204 sortable spreadsheet, one product, one month | `exportFsma204(ctx, org, { product, from, to }, 'xlsx')` | every sample < 10 s |
 *
 * The functions are imported dynamically: one that does not exist yet is reported as not available.
 * PostgreSQL needs LOTLINE_BENCH_PG_URL (or DATABASE_URL): the bench creates and drops its own database
 * `lotline_bench_<data-dir name>` on that server and never writes into the URL's own database.
 * Results: bench/results/trace.md and trace.json.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AppContext } from '../src/app/context.ts';
import type { MassBalanceReport, ScopeReport, ScopeRule, TraceDirection, TraceReport } from '../src/app/trace/types.ts';
import type { Engine } from '../src/store/database.ts';
import type { BakerySamples } from '../src/demo/scale/epcis-generator.ts';
import { formatDuration } from './lib/progress.ts';
import { seededRandom, type Random } from '../src/demo/scale/random.ts';
import { type Summary, peakRssMiB, rssSampler, summarize, writeReport } from './lib/stats.ts';
import { BENCH_ORG, type LoadReport, type TraceDatasetMarker, codeRevision, openTraceDataset } from './lib/trace-dataset.ts';
import { parseArgs, positive } from './lib/args.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface Options {
  readonly events: number;
  readonly engines: readonly Engine[];
  /** Given on the command line (else the per-engine default). */
  readonly dataDir: string | null;
  readonly reuse: boolean;
  readonly samples: number;
  readonly warmup: number;
  readonly exportSamples: number;
  readonly docSize: number;
  readonly seed: number;
  /** ANALYZE the trace tables before querying (PGlite never does it for them by itself). */
  readonly analyze: boolean;
  /** Time limit per measurement (warm-up included): sampling stops early when it is spent. */
  readonly budgetSeconds: number;
  /** How trace queries read: SQL only, the in-memory trace index, or both in turn. */
  readonly index: 'sql' | 'index' | 'both';
}

const KNOWN_FLAGS: ReadonlySet<string> = new Set(['events', 'engine', 'data-dir', 'reuse', 'samples', 'warmup', 'export-samples', 'doc-size', 'seed', 'analyze', 'budget-seconds', 'index', 'child']);
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
/** The co-exposure rules asked for: all of Lotline's default rules. */
const SCOPE_RULES: readonly ScopeRule[] = ['raw_lot', 'session', 'equipment', 'vehicle', 'excursion'];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');


function optionsFrom(flags: Map<string, string>): Options {
  for (const name of flags.keys()) if (!KNOWN_FLAGS.has(name)) throw new Error(`unknown option --${name}; known: ${[...KNOWN_FLAGS].filter((f) => f !== 'child').map((f) => `--${f}`).join(' ')}`);
  const engine = flags.get('engine') ?? 'both';
  if (engine !== 'pglite' && engine !== 'postgres' && engine !== 'both') throw new Error(`--engine must be pglite, postgres or both, got ${engine}`);
  return {
    events: positive(flags, 'events', 10_000_000),
    engines: engine === 'both' ? ['pglite', 'postgres'] : [engine],
    dataDir: flags.get('data-dir') ?? null,
    reuse: flags.get('reuse') !== undefined,
    samples: positive(flags, 'samples', 200),
    warmup: positive(flags, 'warmup', 20),
    exportSamples: positive(flags, 'export-samples', 5),
    docSize: positive(flags, 'doc-size', 5_000),
    seed: positive(flags, 'seed', 20250905),
    analyze: flags.get('analyze') !== undefined,
    budgetSeconds: positive(flags, 'budget-seconds', 900),
    index: indexMode(flags.get('index') ?? 'both'),
  };
}

function indexMode(v: string): Options['index'] {
  if (v !== 'sql' && v !== 'index' && v !== 'both') throw new Error(`--index must be sql, index or both, got ${v}`);
  return v;
}

/** Where an engine's data set lives: the default per engine and N, or under an explicit --data-dir. */
function locationOf(o: Options, engine: Engine): string {
  if (o.dataDir === null) return join(BENCH_DIR, '.data', `trace-${engine}-${o.events}`);
  return o.engines.length > 1 ? join(o.dataDir, engine) : o.dataDir;
}

const pgUrl = (): string | null => process.env.LOTLINE_BENCH_PG_URL ?? process.env.DATABASE_URL ?? null;

// ---------------------------------------------------------------------------------------------
// The functions under test, imported when they exist
// ---------------------------------------------------------------------------------------------

type TraceCodeFn = (ctx: AppContext, orgId: string, q: { readonly code: string; readonly direction: TraceDirection }) => Promise<TraceReport>;
type MassBalanceFn = (ctx: AppContext, orgId: string, q: { readonly code: string }) => Promise<MassBalanceReport>;
type ScopeFn = (ctx: AppContext, orgId: string, q: { readonly code: string; readonly rules: readonly ScopeRule[] }) => Promise<ScopeReport>;
/** Resolves to an export whose `body` streams the file (or to the bytes themselves). */
type ExportFn = (ctx: AppContext, orgId: string, q: { readonly product: string; readonly from: Date; readonly to: Date; readonly zone?: string }, format: 'xlsx') => Promise<unknown>;

/** A named export of a source module, or why it is not available. */
async function optionalFunction<F>(relative: string, name: string): Promise<{ fn: F } | { missing: string }> {
  const url = new URL(relative, import.meta.url);
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    const fn = mod[name];
    return typeof fn === 'function' ? { fn: fn as F } : { missing: `${relative.replace(/^\.\.\//, '')} has no export ${name}` };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { missing: `${relative.replace(/^\.\.\//, '')} cannot be imported (${message})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

type MeasurementName = 'upstream' | 'downstream' | 'massBalance' | 'scope' | 'fsma204';

interface Bar {
  readonly ms: number;
  /** p95 of the samples, or every sample (max). */
  readonly stat: 'p95' | 'max';
}

const MEASUREMENTS: readonly { readonly name: MeasurementName; readonly label: string; readonly bar: Bar | null; readonly size: string }[] = [
  { name: 'upstream', label: 'upstream trace of a unit: traceCode(upstream)', bar: { ms: 20, stat: 'p95' }, size: 'nodes' },
  { name: 'downstream', label: 'downstream scope of a raw lot with per-store quantities: traceCode(downstream).locations', bar: { ms: 100, stat: 'p95' }, size: 'stores' },
  { name: 'massBalance', label: 'mass balance of a batch: massBalance', bar: { ms: 200, stat: 'p95' }, size: 'places' },
  { name: 'scope', label: `co-exposure scope of a unit: coExposureScope(${SCOPE_RULES.join(', ')})`, bar: null, size: 'lots' },
  { name: 'fsma204', label: 'FSMA 204 sortable spreadsheet, one product, one month: exportFsma204(xlsx)', bar: { ms: 10_000, stat: 'max' }, size: 'KiB' },
];

interface MeasurementResult {
  readonly name: MeasurementName;
  /** How the trace rows were read: SQL, or the in-memory trace index. */
  readonly mode?: 'sql' | 'index';
  readonly status: 'measured' | 'not available' | 'failed';
  readonly reason: string | null;
  readonly ms: Summary | null;
  readonly samples: readonly number[];
  readonly errors: number;
  readonly firstError: string | null;
  /** Answers that found something (a non-empty report). */
  readonly answered: number;
  /** Size of each answer (nodes, stores, places, lots or KiB), for judging how much work it was. */
  readonly sizes: Summary | null;
  /** Sampling stopped before the asked count because the time budget was spent. */
  readonly stoppedEarly: boolean;
}

interface Probe<T> {
  /** Subject of the next call. */
  subject(): string;
  call(subject: string): Promise<T>;
  size(result: T): number;
}

/** `warmup` calls, then `samples` timed ones; errors are counted, not timed. */
async function measure<T>(name: MeasurementName, probe: Probe<T>, plan: { warmup: number; samples: number; budgetSeconds: number }, log: (line: string) => void): Promise<MeasurementResult> {
  const { warmup, samples } = plan;
  const deadline = performance.now() + plan.budgetSeconds * 1000;
  // Warm-up may take a quarter of the budget at most, so slow calls still leave time for samples.
  const warmupDeadline = performance.now() + plan.budgetSeconds * 250;
  const times: number[] = [];
  const sizes: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let answered = 0;
  const fail = (error: unknown): void => {
    errors++;
    firstError ??= error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
  };
  for (let i = 0; i < warmup && performance.now() < warmupDeadline; i++) {
    try {
      await probe.call(probe.subject());
    } catch (error) {
      fail(error);
    }
  }
  const warmupErrors = errors;
  let stoppedEarly = false;
  for (let i = 0; i < samples; i++) {
    if (performance.now() >= deadline) {
      stoppedEarly = true;
      log(`${name}: time budget of ${plan.budgetSeconds} s spent after ${i} of ${samples} samples`);
      break;
    }
    const subject = probe.subject();
    const t0 = performance.now();
    try {
      const result = await probe.call(subject);
      times.push(performance.now() - t0);
      const size = probe.size(result);
      sizes.push(size);
      if (size > 0) answered++;
    } catch (error) {
      fail(error);
    }
    if ((i + 1) % 50 === 0) log(`${name}: ${i + 1}/${samples}`);
  }
  errors -= warmupErrors;
  return {
    name,
    status: times.length > 0 ? 'measured' : 'failed',
    reason: times.length > 0 ? null : `every call failed: ${firstError ?? '?'}`,
    ms: times.length > 0 ? summarize(times) : null,
    samples: times,
    errors,
    firstError,
    answered,
    sizes: sizes.length > 0 ? summarize(sizes) : null,
    stoppedEarly,
  };
}

const notAvailable = (name: MeasurementName, reason: string): MeasurementResult => ({
  name,
  status: 'not available',
  reason,
  ms: null,
  samples: [],
  errors: 0,
  firstError: null,
  answered: 0,
  sizes: null,
  stoppedEarly: false,
});

/** How many bytes an export produced, whatever it returned (bytes, text, a stream, or an object carrying one). */
async function exportedBytes(value: unknown): Promise<number> {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'object' && Symbol.asyncIterator in value) {
    let n = 0;
    for await (const chunk of value as AsyncIterable<unknown>) n += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0;
    return n;
  }
  if (typeof value === 'object') {
    for (const key of ['body', 'stream', 'data', 'content', 'buffer', 'file']) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) return exportedBytes(inner);
    }
  }
  return 0;
}

interface Subjects {
  readonly units: () => string;
  readonly rawLots: () => string;
  readonly batchLots: () => string;
  readonly exportWindow: () => { product: { productId: string; gtin: string }; from: Date; to: Date };
}

function subjectsOf(samples: BakerySamples, span: { first: string | null; last: string | null }, rng: Random): Subjects {
  const from = (list: readonly string[], what: string) => (): string => {
    if (list.length === 0) throw new Error(`the data set has no ${what}`);
    return rng.pick(list);
  };
  const first = span.first ? Date.parse(span.first) : Date.now();
  const last = span.last ? Date.parse(span.last) : first;
  const month = 30 * 86_400_000;
  return {
    units: from(samples.units, 'units'),
    rawLots: from(samples.rawLots, 'raw lots'),
    batchLots: from(samples.batchLots, 'batch lots'),
    exportWindow: () => {
      const start = last - first > month ? first + Math.floor(rng.next() * (last - first - month)) : first;
      return { product: rng.pick(samples.products), from: new Date(start), to: new Date(start + month) };
    },
  };
}

/** The FSMA export of one product (by GTIN) over one window; its size is what the body stream yields. */
function fsmaProbe(fn: ExportFn, ctx: AppContext, subjects: Subjects): Probe<number> {
  const windows: ReturnType<Subjects['exportWindow']>[] = [];
  return {
    subject: () => {
      windows.push(subjects.exportWindow());
      return String(windows.length - 1);
    },
    call: async (key) => {
      const w = windows[Number(key)];
      if (!w) throw new Error('no export window');
      return exportedBytes(await fn(ctx, BENCH_ORG, { product: w.product.gtin, from: w.from, to: w.to, zone: '+08:00' }, 'xlsx'));
    },
    size: (bytes) => bytes / 1024,
  };
}

// ---------------------------------------------------------------------------------------------
// The child: one engine
// ---------------------------------------------------------------------------------------------

interface EngineResult {
  readonly engine: Engine;
  readonly where: string;
  readonly reused: boolean;
  readonly reloadReason: string | null;
  readonly marker: Omit<TraceDatasetMarker, 'samples'>;
  readonly measurements: readonly MeasurementResult[];
  /** Highest RSS sampled while queries ran (MiB). */
  readonly queryRssMiB: number;
  /** Process peak (getrusage) over this run: the load included when it loaded. */
  readonly peakRssMiB: number;
  /** Trace tables whose planner statistics were missing when queries started. */
  readonly tablesWithoutStatistics: readonly string[];
  readonly databaseMiB: number;
  /** The in-memory trace index, when it was built. */
  readonly index: IndexReport | null;
}

interface IndexReport {
  readonly buildMs: number;
  readonly rows: number;
  readonly strings: number;
  readonly bytes: number;
  /** Process RSS and V8 heap growth across the build (MiB). */
  readonly rssGrowthMiB: number;
  readonly heapGrowthMiB: number;
  /** The event-ID cache after the measurements: entries and bytes (included in bytesAfter). */
  readonly bytesAfter: number;
  readonly state: string;
  /** Answers compared between the index and SQL on sampled subjects: identical/compared. */
  readonly sameAnswers: string | null;
}

function send(message: EngineResult): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started as a child with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function runEngine(engine: Engine, o: Options): Promise<EngineResult> {
  const log = (line: string): void => {
    process.stderr.write(`[trace] ${engine} ${line}\n`);
  };
  const location = locationOf(o, engine);
  const dataset = await openTraceDataset({ engine, events: o.events, seed: o.seed, docSize: o.docSize, location, reuse: o.reuse, pgAdminUrl: pgUrl() });
  try {
    const { marker, ctx } = dataset;
    if (dataset.reused) log(`reusing ${dataset.where}: ${fmt(marker.events)} events loaded ${marker.loadedAt} (${formatDuration(marker.load.eventSeconds)}, ${fmt(marker.load.eventsPerSecond)} events/s)`);
    else log(`loaded ${fmt(marker.load.events)} events into ${dataset.where} in ${formatDuration(marker.load.eventSeconds)} (${fmt(marker.load.eventsPerSecond)} events/s)${dataset.reloadReason ? `; not reused: ${dataset.reloadReason}` : ''}`);

    // Column statistics (pg_stats) exist only once a table has been analysed.
    const traceTables = ['trace_links', 'trace_units', 'trace_moves', 'trace_readings'];
    const analysed = await sql<{ tablename: string }>`SELECT DISTINCT tablename FROM pg_stats WHERE tablename = ANY(${traceTables}::text[])`.execute(dataset.database.db);
    const tablesWithoutStatistics = traceTables.filter((t) => !analysed.rows.some((r) => r.tablename === t));
    if (o.analyze) {
      const a0 = performance.now();
      await sql`ANALYZE trace_links, trace_units, trace_moves, trace_readings`.execute(dataset.database.db);
      log(`ANALYZE of the trace tables took ${((performance.now() - a0) / 1000).toFixed(1)} s`);
    }

    const [trace, mass, scope, fsma] = await Promise.all([
      optionalFunction<TraceCodeFn>('../src/app/trace/trace.ts', 'traceCode'),
      optionalFunction<MassBalanceFn>('../src/app/trace/mass-balance.ts', 'massBalance'),
      optionalFunction<ScopeFn>('../src/app/trace/scope.ts', 'coExposureScope'),
      optionalFunction<ExportFn>('../src/app/exports/fsma204.ts', 'exportFsma204'),
    ]);
    const rss = rssSampler();
    rss.on();
    const results: MeasurementResult[] = [];
    const plan = { warmup: o.warmup, samples: o.samples, budgetSeconds: o.budgetSeconds };
    /** The trace measurements in one read mode, on the same seeded subjects each time. */
    const traceMeasurements = async (mode: 'sql' | 'index'): Promise<void> => {
      process.env.LOTLINE_TRACE_INDEX = mode === 'sql' ? 'off' : 'on';
      const subjects = subjectsOf(marker.samples, { first: marker.stats.firstEventTime, last: marker.stats.lastEventTime }, seededRandom((o.seed ^ 0x7ace) >>> 0));
      const tag = (m: MeasurementResult): MeasurementResult => ({ ...m, mode });
      if ('fn' in trace) {
        const traceCode = trace.fn;
        results.push(tag(await measure('upstream', { subject: subjects.units, call: (code) => traceCode(ctx, BENCH_ORG, { code, direction: 'upstream' }), size: (r) => r.nodes.length }, plan, log)));
        results.push(
          tag(
            await measure(
              'downstream',
              { subject: subjects.rawLots, call: (code) => traceCode(ctx, BENCH_ORG, { code, direction: 'downstream' }), size: (r) => r.locations.filter((l) => l.place.type === 'store').length },
              plan,
              log,
            ),
          ),
        );
      } else {
        results.push(tag(notAvailable('upstream', trace.missing)), tag(notAvailable('downstream', trace.missing)));
      }
      if ('fn' in mass) {
        const massBalance = mass.fn;
        results.push(tag(await measure('massBalance', { subject: subjects.batchLots, call: (code) => massBalance(ctx, BENCH_ORG, { code }), size: (r) => r.locations.length }, plan, log)));
      } else results.push(tag(notAvailable('massBalance', mass.missing)));
      if ('fn' in scope) {
        const coExposureScope = scope.fn;
        results.push(tag(await measure('scope', { subject: subjects.units, call: (code) => coExposureScope(ctx, BENCH_ORG, { code, rules: SCOPE_RULES }), size: (r) => r.items.length }, plan, log)));
      } else results.push(tag(notAvailable('scope', scope.missing)));
    };
    let index: IndexReport | null = null;
    const registry = await import('../src/app/trace/index/registry.ts');
    if (o.index !== 'index') await traceMeasurements('sql');
    if (o.index !== 'sql') {
      process.env.LOTLINE_TRACE_INDEX = 'on';
      const head = await sql<{ seq: string }>`SELECT seq FROM ledger_heads WHERE org_id = ${BENCH_ORG}`.execute(dataset.database.db);
      const rss0 = process.memoryUsage();
      const b0 = performance.now();
      await registry.traceIndexReady(dataset.database.db, BENCH_ORG, Number(head.rows[0]?.seq ?? 0));
      const buildMs = performance.now() - b0;
      const rss1 = process.memoryUsage();
      const stats = registry.traceIndexStats(dataset.database.db, BENCH_ORG);
      log(`trace index: ${stats?.state} in ${(buildMs / 1000).toFixed(1)} s, ${fmt(stats?.rows ?? 0)} rows, ${((stats?.bytes ?? 0) / 1024 / 1024).toFixed(1)} MiB`);
      await traceMeasurements('index');
      index = {
        buildMs,
        rows: stats?.rows ?? 0,
        strings: stats?.strings ?? 0,
        bytes: stats?.bytes ?? 0,
        rssGrowthMiB: Math.round((rss1.rss - rss0.rss) / 1024 / 1024),
        heapGrowthMiB: Math.round((rss1.heapUsed - rss0.heapUsed) / 1024 / 1024),
        bytesAfter: registry.traceIndexStats(dataset.database.db, BENCH_ORG)?.bytes ?? 0,
        state: stats?.state ?? 'not built',
        sameAnswers: null,
      };
      // The same answers from both paths on the real data set (tookMs aside), a few subjects each.
      if (o.index === 'both' && 'fn' in trace && 'fn' in mass) {
        const traceCode = trace.fn;
        const massBalance = mass.fn;
        const subjects = subjectsOf(marker.samples, { first: marker.stats.firstEventTime, last: marker.stats.lastEventTime }, seededRandom((o.seed ^ 0x5a5e) >>> 0));
        const strip = (r: object) => JSON.stringify({ ...r, tookMs: 0 });
        const calls: (() => Promise<object>)[] = [];
        for (let k = 0; k < 5; k++) {
          const unit = subjects.units();
          const raw = subjects.rawLots();
          const lot = subjects.batchLots();
          calls.push(() => traceCode(ctx, BENCH_ORG, { code: unit, direction: 'upstream' }), () => traceCode(ctx, BENCH_ORG, { code: raw, direction: 'downstream' }), () => massBalance(ctx, BENCH_ORG, { code: lot }));
        }
        let same = 0;
        for (const call of calls) {
          process.env.LOTLINE_TRACE_INDEX = 'on';
          const a = strip(await call());
          process.env.LOTLINE_TRACE_INDEX = 'off';
          const b = strip(await call());
          if (a === b) same++;
          else log(`different answers: ${a.slice(0, 200)} … vs … ${b.slice(0, 200)}`);
        }
        process.env.LOTLINE_TRACE_INDEX = 'on';
        index = { ...index, sameAnswers: `${same}/${calls.length}` };
      }
    }
    if ('fn' in fsma) {
      const subjects = subjectsOf(marker.samples, { first: marker.stats.firstEventTime, last: marker.stats.lastEventTime }, seededRandom((o.seed ^ 0x7ace) >>> 0));
      results.push(await measure('fsma204', fsmaProbe(fsma.fn, ctx, subjects), { warmup: 1, samples: o.exportSamples, budgetSeconds: o.budgetSeconds }, log));
    } else results.push(notAvailable('fsma204', fsma.missing));
    rss.off();
    rss.stop();

    const size = await sql<{ bytes: number }>`SELECT pg_database_size(current_database())::bigint AS bytes`.execute(dataset.database.db);
    const { samples: _samples, ...rest } = marker;
    return {
      engine,
      where: dataset.where,
      reused: dataset.reused,
      reloadReason: dataset.reloadReason,
      marker: rest,
      measurements: results,
      queryRssMiB: rss.maxMiB(),
      peakRssMiB: peakRssMiB(),
      tablesWithoutStatistics,
      databaseMiB: Number(size.rows[0]?.bytes ?? 0) / 1024 / 1024,
      index,
    };
  } finally {
    await dataset.close();
  }
}

function runChild(engine: Engine, args: readonly string[]): Promise<EngineResult> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, [main, 'trace', ...args, '--child', engine], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: EngineResult | null = null;
    child.on('message', (m: EngineResult) => {
      result = m;
    });
    child.on('exit', (code, signal) => (result ? resolve(result) : reject(new Error(`trace benchmark child (${engine}) exited with ${code ?? signal} before reporting`))));
  });
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const COLUMNS = ['engine', 'measurement', 'samples (errors)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'bar', 'verdict', 'answers'] as const;

function verdict(m: MeasurementResult, bar: Bar | null): string {
  if (m.status !== 'measured' || !m.ms) return m.status === 'not available' ? 'not available' : 'failed';
  if (!bar) return 'report only';
  const value = bar.stat === 'p95' ? m.ms.p95 : m.ms.max;
  const met = value < bar.ms && m.errors === 0;
  const empty = m.answered < m.samples.length ? ` (${m.samples.length - m.answered} empty answers)` : '';
  return `${met ? 'MET' : 'NOT MET'}${m.errors > 0 ? ' (errors)' : ''}${empty}`;
}

function answersText(m: MeasurementResult, sizeLabel: string): string {
  if (m.status === 'not available') return m.reason ?? '';
  if (!m.sizes) return m.reason ?? '';
  const s = m.sizes;
  return `${fmt(m.answered)}/${fmt(m.samples.length)} non-empty; ${sizeLabel} median ${fmt(s.median)}, max ${fmt(s.max)}`;
}

const ms = (v: number | undefined): string => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));

function loadRow(r: EngineResult): (string | number)[] {
  const l: LoadReport = r.marker.load;
  const tenths = l.rateByTenth.length >= 2 ? `; first tenth ${fmt(l.rateByTenth[0] as number)}, last tenth ${fmt(l.rateByTenth[l.rateByTenth.length - 1] as number)} events/s` : '';
  return [
    r.engine,
    `load through the capture path (${fmt(l.documents)} documents of ${fmt(r.marker.docSize)} events; storeCapture per document)${r.reused ? `, reused from ${r.marker.loadedAt.slice(0, 10)}` : ''}`,
    l.documents,
    ms(l.storeMs.median),
    ms(l.storeMs.p95),
    ms(l.storeMs.p99),
    ms(l.storeMs.max),
    '—',
    '—',
    `${fmt(l.events)} events in ${formatDuration(l.eventSeconds)} = ${fmt(l.eventsPerSecond)} events/s${tenths}; master data ${fmt(l.masterDataRows)} rows in ${l.masterDataSeconds.toFixed(1)} s; peak RSS ${l.peakRssMiB} MiB`,
  ];
}

/** Run the trace benchmark (see the module comment). */
export async function run(args: string[]): Promise<void> {
  const flags = parseArgs(args);
  const o = optionsFrom(flags);
  const child = flags.get('child');
  if (child !== undefined) {
    if (child !== 'pglite' && child !== 'postgres') throw new Error(`--child: unknown engine ${child}`);
    await send(await runEngine(child, o));
    return;
  }

  const started = performance.now();
  const loadBefore = loadavg();
  const revision = codeRevision();
  const results: EngineResult[] = [];
  const notes: string[] = [];
  for (const engine of o.engines) {
    if (engine === 'postgres' && pgUrl() === null) {
      notes.push('PostgreSQL: skipped — set LOTLINE_BENCH_PG_URL (or DATABASE_URL) to a server the bench may create its own database on (e.g. the URL `bash scripts/pg-test-server.sh` prints).');
      process.stderr.write('[trace] postgres skipped: LOTLINE_BENCH_PG_URL / DATABASE_URL not set\n');
      continue;
    }
    results.push(await runChild(engine, args.filter((a, i) => a !== '--child' && args[i - 1] !== '--child')));
  }

  const rows: (string | number)[][] = [];
  for (const r of results) {
    rows.push(loadRow(r));
    for (const spec of MEASUREMENTS) {
     for (const m of r.measurements.filter((x) => x.name === spec.name)) {
      const label = m.mode === undefined ? spec.label : `${spec.label} [${m.mode === 'sql' ? 'SQL' : 'trace index'}]`;
      const bar = spec.bar ? `${spec.bar.stat === 'p95' ? 'p95' : 'every sample'} < ${spec.bar.ms >= 1000 ? `${spec.bar.ms / 1000} s` : `${spec.bar.ms} ms`}` : '—';
      rows.push([r.engine, label, m.status === 'measured' ? `${m.samples.length}${m.errors ? ` (${m.errors})` : ''}${m.stoppedEarly ? ', time budget spent' : ''}` : '0', ms(m.ms?.median), ms(m.ms?.p95), ms(m.ms?.p99), ms(m.ms?.max), bar, verdict(m, spec.bar), answersText(m, spec.size)]);
     }
    }
  }

  const command = `npm run bench -- trace${args.length ? ` ${args.join(' ')}` : ''}`;
  notes.unshift(
    `Command: \`${command}\` on ${revision} (whole run ${((performance.now() - started) / 60_000).toFixed(1)} min; load average ${loadBefore.map((l) => l.toFixed(2)).join('/')} before, ${loadavg().map((l) => l.toFixed(2)).join('/')} after).`,
  );
  for (const r of results) {
    const s = r.marker.stats;
    const rowsText = Object.entries(r.marker.load.traceRows)
      .map(([t, n]) => `${t} ${fmt(n)}`)
      .join(', ');
    notes.push(
      `${r.engine}: ${r.where} (${r.databaseMiB.toFixed(0)} MiB). ${r.reused ? `Reused: loaded ${r.marker.loadedAt} from ${r.marker.revision}.` : `Loaded in this run${r.reloadReason ? ` (not reused: ${r.reloadReason})` : ''}.`} Data set: ${fmt(s.events)} events from ${s.firstEventTime?.slice(0, 10)} to ${s.lastEventTime?.slice(0, 10)}; ${fmt(s.units)} units in ${fmt(s.batches)} batches (${s.batchesRejected} failed QC), ${fmt(s.rawLots)} raw lots (${s.rawLotsRejected} rejected), ${fmt(s.cases)} cases, ${fmt(s.pallets)} pallets, ${fmt(s.trips)} vehicle trips, ${s.storesReached} stores in ${s.citiesReached} cities; derived rows: ${rowsText || 'none'}.`,
    );
    notes.push(
      `${r.engine} memory: peak RSS of this run's process ${r.peakRssMiB} MiB (getrusage maxRSS${r.reused ? '; the data set was reused, so no load in it' : ', the load included'}); highest RSS sampled while queries ran ${r.queryRssMiB} MiB; peak RSS of the process that loaded the data set ${r.marker.load.peakRssMiB} MiB.`,
    );
    if (r.tablesWithoutStatistics.length) {
      notes.push(
        `${r.engine}: when the queries started, ${r.tablesWithoutStatistics.join(', ')} had no planner statistics (never analysed: ${r.engine === 'pglite' ? 'PGlite has no autovacuum and storeCapture re-analyses only epcis_events' : 'autovacuum had not reached them yet'}); ${o.analyze ? 'the bench ran ANALYZE on the trace tables first (--analyze)' : 'the queries ran with plans chosen without statistics (run with --analyze to compare)'}.`,
      );
    } else if (o.analyze) notes.push(`${r.engine}: the bench ran ANALYZE on the trace tables before the queries (--analyze).`);
    if (r.index) {
      const x = r.index;
      const perRow = x.rows > 0 ? x.bytes / x.rows : 0;
      notes.push(
        `${r.engine} trace index: built from the database in ${(x.buildMs / 1000).toFixed(1)} s (${x.state}); ${fmt(x.rows)} rows (trace_links + trace_units + trace_moves + trace_readings), ${fmt(x.strings)} interned strings, ${(x.bytes / 1024 / 1024).toFixed(1)} MiB counted (${perRow.toFixed(0)} bytes per row, strings included), ${(x.bytesAfter / 1024 / 1024).toFixed(1)} MiB after the measurements (event-ID cache filled); process RSS grew ${x.rssGrowthMiB} MiB and the V8 heap ${x.heapGrowthMiB} MiB across the build.${x.sameAnswers ? ` Identical answers from the index and from SQL (whole reports, tookMs aside) on ${x.sameAnswers} sampled calls (5 each of upstream, downstream and mass balance).` : ''} At the same bytes per row, 10,000,000 events (about ${fmt((x.rows * 10_000_000) / r.marker.stats.events)} rows) would take about ${((perRow * x.rows * 10_000_000) / r.marker.stats.events / 1024 ** 3).toFixed(1)} GiB.`,
      );
    }
    for (const m of r.measurements) if (m.stoppedEarly) notes.push(`${r.engine} ${m.name}${m.mode ? ` [${m.mode}]` : ''}: sampling stopped after ${m.samples.length} samples when the time budget of ${o.budgetSeconds} s per measurement was spent (--budget-seconds).`);
    for (const m of r.measurements) if (m.errors > 0) notes.push(`${r.engine} ${m.name}${m.mode ? ` [${m.mode}]` : ''}: ${m.errors} of ${m.samples.length + m.errors} calls failed; first error: ${m.firstError}`);
    const l = r.marker.load;
    if (!r.reused && l.eventsPerSecond > 0) {
      const estimate = 10_000_000 / l.eventsPerSecond;
      notes.push(`${r.engine}: at the measured ${fmt(l.eventsPerSecond)} events/s, loading 10,000,000 events would take about ${formatDuration(estimate)} (longer if the rate falls as the database grows${l.rateByTenth.length >= 2 ? `; here ${fmt(l.rateByTenth[0] as number)} → ${fmt(l.rateByTenth[l.rateByTenth.length - 1] as number)} events/s from the first to the last tenth` : ''}).`);
    }
  }
  notes.push(
    `Method: each engine in its own child process. Subjects are drawn with a seeded random source from uniform samples (reservoirs of ≤ 1,000) of the codes the generator put into emitted events: unit codes as printed (EPC URNs, or the brand's Digital Links with the lot), accepted raw lots and batches passed by QC as GS1 Digital Links, and for the export a product and a 30-day window inside the simulated period. ${o.warmup} warm-up calls per measurement (1 for the export), then ${o.samples} timed calls (${o.exportSamples} for the export), one at a time; a call that throws is counted as an error and not timed. "answers" says how many reports found something (upstream: trace nodes; downstream: stores in locations; mass balance: places; scope: lots in scope; export: KiB written). Loading: master data through createRecord, then the generator's trace world in documents prepared by createPreparer() (worker threads) and stored in order with storeCapture, the same path as POST /epcis/capture.`,
  );
  notes.push(
    'Generator (trace world, src/demo/scale/epcis-generator.ts): 6 products on 3 lines in shifts (line, shift, operator, oven + sealer, session and work order on every batch), raw lots inspected at receipt and batches after baking (about 1% and 0.5% fail and are destroyed), Lotline-style labels (sequential serials; 30% of units as Digital Links carrying the lot), cases of 12–24, East China served by van trips from the Shanghai plant, the other six regions by pallets trucked to a regional warehouse and unpacked there, 320 stores in 50 cities, production following store demand, 0.2% of units sent back from stores and expired ones destroyed, cold rooms, the dry store and the production areas reporting temperature and humidity with occasional excursions.',
  );

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const first = results[0]?.marker;
  const report = {
    name: 'trace',
    dataset: `${fmt(o.events)} events of the bakery generator's trace world (seed ${o.seed})${first ? `: ${fmt(first.stats.units)} units, ${fmt(first.stats.batches)} batches, ${fmt(first.stats.rawLots)} raw lots, ${first.stats.storesReached} stores in ${first.stats.citiesReached} cities` : ''}. Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${platform()} ${release()}.`,
    columns: COLUMNS,
    rows,
    notes,
    details: { options: o, engines: results },
  };
  writeReport(report);
}


/**
 * POS check throughput and latency over HTTP against the real server (issue 5, "Hold"):
 * `npm run bench -- pos [--seconds N] [--rates N,N] [--connections N] [--depth N] [--engines pglite,postgres]
 *   [--lots N] [--units N] [--seed N]`.
 * Defaults: 10 s per measurement, fixed rates of 10,000 and 20,000 checks/s (lowest first), 32 connections, 4 requests in flight
 * per connection when saturating, PGlite (PostgreSQL too with `--engines pglite,postgres`, on
 * LOTLINE_BENCH_PG_URL or the local test server), 40 lots of 2,000 units.
 *
 * Dataset, loaded through the capture path (prepareCapture → storeCapture) into a fresh database:
 * 5 products × 8 lots; each lot's units commissioned (ObjectEvent ADD with the lot in the ILMD),
 * packed 100 to a case (AggregationEvent), 20 cases to a pallet. Then, as the recall code would
 * write them, 5 open recall cases holding 4 lots each (20 held lots, instructions in zh and en) and
 * one drill holding 2 more, with the hold revision bumped. 20 store tokens (one per till).
 *
 * The server is `lotline serve` in a child process on that database, listening on a local port.
 * The load generator is this (parent) process: one thread, raw HTTP/1.1 keep-alive connections with
 * pipelining, so it needs little CPU of its own (its CPU time is reported). Codes are drawn (seeded)
 * from: unit Digital Links with lot, without lot (matched by serial range), element strings, scan data
 * with GS separators, EPC URIs, GTIN + lot parameters, and SSCCs of cases and pallets; a quarter of
 * them from held lots. Measurements, in this order, each after a warm-up:
 *
 * | measurement | what |
 * |---|---|
 * | GET /healthz, saturated | baseline on the same server: the same hooks (no auth), one `SELECT 1` |
 * | GET /api/pos/check, saturated | connections × depth requests always in flight: the most checks/s |
 * | GET /api/pos/check at fixed rates | each of `--rates` checks/s spread over the connections; latency from the scheduled send time (no coordinated omission) |
 *
 * Results: bench/results/pos.md and pos.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import { storeCapture } from '../src/app/capture/capture.ts';
import { prepareCapture } from '../src/app/capture/prepare.ts';
import { type AppContext, randomIds, systemClock } from '../src/app/context.ts';
import { createOrg } from '../src/app/orgs.ts';
import { createToken } from '../src/app/tokens.ts';
import { lotNode } from '../src/app/trace/identifiers.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../src/core/ledger/ed25519.ts';
import { type Database, type Engine, openDatabase } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { parseArgs, positive } from './lib/args.ts';
import { type TradeItem, sgtinUrn, ssccUrn, tradeItem } from '../src/demo/scale/bakery-world.ts';
import { seededRandom } from '../src/demo/scale/random.ts';
import { type Summary, summarize, writeReport } from './lib/stats.ts';
import { codeRevision } from './lib/trace-dataset.ts';

const ORG = 'bench';
const PREFIX = '6901234';
const CASES = 5;
const LOTS_PER_CASE = 4;
const DRILL_LOTS = 2;
const UNITS_PER_CASE_BOX = 100;
const CASES_PER_PALLET = 20;
const DEFAULT_PG_URL = 'postgres://postgres@localhost/postgres?host=/tmp/lotline-pg';
const KNOWN_FLAGS: ReadonlySet<string> = new Set(['seconds', 'rates', 'connections', 'depth', 'engines', 'lots', 'units', 'seed']);

interface Options {
  readonly seconds: number;
  readonly rates: readonly number[];
  readonly connections: number;
  readonly depth: number;
  readonly engines: readonly Engine[];
  readonly lots: number;
  readonly units: number;
  readonly seed: number;
}

function optionsFrom(flags: Map<string, string>): Options {
  for (const name of flags.keys()) if (!KNOWN_FLAGS.has(name)) throw new Error(`unknown option --${name}; known: ${[...KNOWN_FLAGS].map((f) => `--${f}`).join(' ')}`);
  const engines = (flags.get('engines') ?? 'pglite').split(',').map((s) => s.trim());
  for (const e of engines) if (e !== 'pglite' && e !== 'postgres') throw new Error(`--engines: unknown engine ${e}`);
  const o = {
    seconds: positive(flags, 'seconds', 10),
    rates: (flags.get('rates') ?? '10000,20000').split(',').map((r) => {
      const n = Number(r.replace(/_/g, ''));
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--rates: not a positive whole number: ${r}`);
      return n;
    }),
    connections: positive(flags, 'connections', 32),
    depth: positive(flags, 'depth', 4),
    engines: engines as Engine[],
    lots: positive(flags, 'lots', 40),
    units: positive(flags, 'units', 2_000),
    seed: positive(flags, 'seed', 20250905),
  };
  if (o.lots < CASES * LOTS_PER_CASE + DRILL_LOTS + 5) throw new Error(`--lots must be at least ${CASES * LOTS_PER_CASE + DRILL_LOTS + 5}`);
  if (o.units % (UNITS_PER_CASE_BOX * CASES_PER_PALLET) !== 0) throw new Error(`--units must be a multiple of ${UNITS_PER_CASE_BOX * CASES_PER_PALLET}`);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------------------------

interface Lot {
  readonly item: TradeItem;
  readonly lot: string;
  /** First serial; serials are unique per GTIN. */
  readonly first: number;
  readonly cases: readonly string[];
  readonly pallets: readonly string[];
  held: 'case' | 'drill' | null;
}

interface World {
  readonly lots: readonly Lot[];
  readonly tokens: readonly string[];
  readonly events: number;
}

const T0 = Date.parse('2025-09-05T00:00:00.000Z');
const time = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('Z', '+00:00');

function planLots(o: Options): Lot[] {
  const items = Array.from({ length: 5 }, (_, i) => tradeItem(PREFIX, `1000${i + 1}`));
  const lots: Lot[] = [];
  let sscc = 1;
  for (let i = 0; i < o.lots; i++) {
    const item = items[i % items.length] as TradeItem;
    const k = Math.floor(i / items.length);
    const boxes = o.units / UNITS_PER_CASE_BOX;
    const cases = Array.from({ length: boxes }, () => ssccUrn(PREFIX, sscc++));
    const pallets = Array.from({ length: boxes / CASES_PER_PALLET }, () => ssccUrn(PREFIX, sscc++));
    lots.push({ item, lot: `2509${String(5 + k).padStart(2, '0')}-MC-AM-${String(k + 1).padStart(3, '0')}`, first: k * o.units + 1, cases, pallets, held: null });
  }
  // Held: the first 20 lots by a seeded shuffle, then 2 for the drill.
  const rnd = seededRandom(o.seed);
  const order = lots.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  order.slice(0, CASES * LOTS_PER_CASE).forEach((i) => ((lots[i] as Lot).held = 'case'));
  order.slice(CASES * LOTS_PER_CASE, CASES * LOTS_PER_CASE + DRILL_LOTS).forEach((i) => ((lots[i] as Lot).held = 'drill'));
  return lots;
}

/** The EPCIS events of the world: per lot, commissioning, packing into cases, cases onto pallets. */
function* worldEvents(lots: readonly Lot[], o: Options): Generator<Record<string, unknown>> {
  const base = (minutes: number) => ({ eventTime: time(minutes), eventTimeZoneOffset: '+00:00' });
  const plant = `urn:epc:id:sgln:${PREFIX}.00001.0`;
  for (const [i, l] of lots.entries()) {
    const serials = Array.from({ length: o.units }, (_, n) => sgtinUrn(l.item, String(l.first + n)));
    yield { type: 'ObjectEvent', ...base(i), epcList: serials, action: 'ADD', bizStep: 'commissioning', bizLocation: { id: plant }, ilmd: { 'cbvmda:lotNumber': l.lot } };
    for (const [c, parent] of l.cases.entries()) {
      yield { type: 'AggregationEvent', ...base(i + 1), parentID: parent, childEPCs: serials.slice(c * UNITS_PER_CASE_BOX, (c + 1) * UNITS_PER_CASE_BOX), action: 'ADD', bizStep: 'packing' };
    }
    for (const [p, parent] of l.pallets.entries()) {
      yield { type: 'AggregationEvent', ...base(i + 2), parentID: parent, childEPCs: l.cases.slice(p * CASES_PER_PALLET, (p + 1) * CASES_PER_PALLET), action: 'ADD', bizStep: 'packing' };
    }
  }
}

function documentOf(events: readonly Record<string, unknown>[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: time(0),
    epcisBody: { eventList: events },
  });
}

async function loadWorld(database: Database, o: Options): Promise<World> {
  await migrate(database);
  const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: 'warn' }) };
  const system = { orgId: ORG, tokenId: 'system' as const, role: null };
  await createOrg(ctx, ORG, 'POS bench bakery 月华坊', system);
  const tokens: string[] = [];
  for (let i = 0; i < 20; i++) tokens.push((await createToken(ctx, { orgId: ORG, role: 'store', label: `till ${i + 1}` }, system)).token);
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const lots = planLots(o);
  let batch: Record<string, unknown>[] = [];
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const outcome = prepareCapture(documentOf(batch), 'document', 50_000);
    if (!outcome.ok) throw new Error(`bench document rejected: ${outcome.message} ${JSON.stringify(outcome.errors.slice(0, 3))}`);
    await storeCapture(ctx, signer, system, outcome);
    events += batch.length;
    batch = [];
  };
  for (const e of worldEvents(lots, o)) {
    batch.push(e);
    if (batch.length >= 200) await flush();
  }
  await flush();

  // What the recall code writes when scopes are approved.
  const now = new Date();
  const held = lots.filter((l) => l.held === 'case');
  const drill = lots.filter((l) => l.held === 'drill');
  const cases = [
    ...Array.from({ length: CASES }, (_, c) => ({ id: `case-${c + 1}`, number: `RC-2025-${String(c + 1).padStart(3, '0')}`, drill: false, lots: held.slice(c * LOTS_PER_CASE, (c + 1) * LOTS_PER_CASE) })),
    { id: 'case-drill', number: 'DR-2025-001', drill: true, lots: drill },
  ];
  await database.db.transaction().execute(async (tx) => {
    for (const c of cases) {
      const state = { caseId: c.id, caseNumber: c.number, drill: c.drill, title: `月饼批次召回 ${c.number}`, hazard: 'allergen', instructions: { 'zh-CN': '立即下架并单独存放，等待退回通知。', en: 'Take off the shelf now, keep apart, await return instructions.' } };
      await sql`INSERT INTO recall_cases (org_id, case_id, case_number, drill, status, state, version, opened_at, updated_at)
        VALUES (${ORG}, ${c.id}, ${c.number}, ${c.drill}, 'active', ${JSON.stringify(state)}::jsonb, 1, ${now}, ${now})`.execute(tx);
      for (const l of c.lots) {
        await sql`INSERT INTO recall_holds (org_id, case_id, node, gtin, lot, scope_version, placed_at)
          VALUES (${ORG}, ${c.id}, ${lotNode(l.item.gtin14, l.lot)}, ${l.item.gtin14}, ${l.lot}, 1, ${now})`.execute(tx);
      }
    }
    await sql`INSERT INTO recall_hold_heads (org_id, revision, changed_at) VALUES (${ORG}, ${cases.length}, ${now})`.execute(tx);
  });
  return { lots, tokens, events };
}

// ---------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------

type CodeKind = 'dlWithLot' | 'dlWithoutLot' | 'elementString' | 'scanData' | 'epcUri' | 'gtinLot' | 'sscc';
const MIX: readonly (readonly [CodeKind, number])[] = [
  ['dlWithLot', 35],
  ['dlWithoutLot', 20],
  ['elementString', 12],
  ['scanData', 10],
  ['epcUri', 12],
  ['gtinLot', 6],
  ['sscc', 5],
];

interface CodeSample {
  readonly path: string;
  readonly kind: CodeKind;
  /** Whether the code belongs to a lot held by a real (not drill) case. */
  readonly held: boolean;
}

function codeSamples(lots: readonly Lot[], o: Options, count: number): CodeSample[] {
  const rnd = seededRandom(o.seed + 1).next;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const heldLots = lots.filter((l) => l.held === 'case');
  const others = lots.filter((l) => l.held !== 'case');
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const out: CodeSample[] = [];
  for (let i = 0; i < count; i++) {
    let r = rnd() * total;
    const kind = (MIX.find(([, w]) => (r -= w) < 0) ?? MIX[0])?.[0] as CodeKind;
    const held = rnd() < 0.25;
    const l = pick(held ? heldLots : others);
    const gtin = l.item.gtin14;
    const serial = String(l.first + Math.floor(rnd() * o.units));
    let query: string;
    switch (kind) {
      case 'dlWithLot':
        query = `code=${encodeURIComponent(`https://id.gs1.org/01/${gtin}/10/${l.lot}/21/${serial}`)}`;
        break;
      case 'dlWithoutLot':
        query = `code=${encodeURIComponent(`https://qr.yuehuafang.example/01/${gtin}/21/${serial}`)}`;
        break;
      case 'elementString':
        query = `code=${encodeURIComponent(`(01)${gtin}(10)${l.lot}(21)${serial}`)}`;
        break;
      case 'scanData':
        query = `code=${encodeURIComponent(`]d201${gtin}10${l.lot}\u001d21${serial}`)}`;
        break;
      case 'epcUri':
        query = `code=${encodeURIComponent(sgtinUrn(l.item, serial))}`;
        break;
      case 'gtinLot':
        query = `gtin=${gtin}&lot=${encodeURIComponent(l.lot)}`;
        break;
      case 'sscc':
        query = `code=${encodeURIComponent(rnd() < 0.8 ? pick(l.cases) : pick(l.pallets))}`;
        break;
    }
    out.push({ path: `/api/pos/check?${query}`, kind, held });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Load generator: raw HTTP/1.1 keep-alive connections with pipelining
// ---------------------------------------------------------------------------------------------

interface Outcome {
  readonly completed: number;
  readonly wallMs: number;
  readonly latencies: Float64Array;
  readonly statuses: Map<number, number>;
  /** Answers whose body says "sellable":false. */
  readonly notSellable: number;
  readonly loadgenCpuMs: number;
  readonly serverCpuMs: number;
}

const SELLABLE_FALSE = Buffer.from('"sellable":false');
const HEADER_END = Buffer.from('\r\n\r\n');

class Connection {
  readonly socket: Socket;
  /** Scheduled start times of the requests in flight, in order (HTTP/1.1 answers in order). */
  private readonly starts: number[] = [];
  private head = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly onResponse: (status: number, body: Buffer, startedAt: number) => void;
  constructor(port: number, onResponse: (status: number, body: Buffer, startedAt: number) => void) {
    this.onResponse = onResponse;
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (error) => {
      throw error;
    });
  }
  get inFlight(): number {
    return this.starts.length - this.head;
  }
  send(request: string, startedAt: number): void {
    this.starts.push(startedAt);
    this.socket.write(request);
  }
  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) return;
      const headers = this.buffer.toString('latin1', 0, end);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
      const length = m ? Number(m[1]) : 0;
      const total = end + 4 + length;
      if (this.buffer.length < total) return;
      const status = Number(headers.slice(9, 12));
      const body = this.buffer.subarray(end + 4, total);
      this.buffer = this.buffer.subarray(total);
      const startedAt = this.starts[this.head++] as number;
      if (this.head > 4096) {
        this.starts.splice(0, this.head);
        this.head = 0;
      }
      this.onResponse(status, body, startedAt);
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

/** CPU milliseconds (user + system, all threads) of a process so far, from /proc. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

type Driver = { readonly mode: 'saturate'; readonly depth: number } | { readonly mode: 'rate'; readonly perSecond: number };

async function drive(port: number, serverPid: number, requests: readonly string[], connections: number, seconds: number, driver: Driver): Promise<Outcome> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let notSellable = 0;
  let completed = 0;
  let sent = 0;
  let lastResponseAt = 0;
  let stopping = false;
  const conns: Connection[] = [];
  const next = () => requests[sent++ % requests.length] as string;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const onResponse = (conn: () => Connection) => (status: number, body: Buffer, startedAt: number) => {
    latencies.push(performance.now() - startedAt);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (body.indexOf(SELLABLE_FALSE) >= 0) notSellable++;
    completed++;
    lastResponseAt = performance.now();
    if (driver.mode === 'saturate' && !stopping) conn().send(next(), performance.now());
    if (stopping && completed === sent) resolveDone();
  };
  for (let i = 0; i < connections; i++) {
    const c: Connection = new Connection(port, onResponse(() => c));
    conns.push(c);
  }
  await Promise.all(conns.map((c) => new Promise<void>((r) => c.socket.once('connect', () => r()))));
  const cpu0 = process.cpuUsage();
  const server0 = processCpuMs(serverPid);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  if (driver.mode === 'saturate') {
    for (const c of conns) for (let d = 0; d < driver.depth; d++) c.send(next(), performance.now());
    await new Promise((r) => setTimeout(r, seconds * 1000));
  } else {
    // Every millisecond or so, send what is due since the start; latency counts from the scheduled time.
    const interval = 1000 / driver.perSecond;
    let k = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        const due = Math.min(Math.floor((Math.min(now, until) - t0) / interval), Math.ceil(seconds * driver.perSecond));
        while (k < due) {
          (conns[k % connections] as Connection).send(next(), t0 + k * interval);
          k++;
        }
        if (now >= until) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  stopping = true;
  if (completed < sent) await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  // Until the last answer: at a fixed rate the server may still be catching up when sending stops.
  const wallMs = lastResponseAt - t0;
  const cpu = process.cpuUsage(cpu0);
  const serverCpuMs = processCpuMs(serverPid) - server0;
  for (const c of conns) c.close();
  return { completed, wallMs, latencies: Float64Array.from(latencies), statuses, notSellable, loadgenCpuMs: (cpu.user + cpu.system) / 1000, serverCpuMs };
}

function requestText(path: string, token: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept-Language: zh-CN,zh;q=0.9\r\n\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, [main, 'serve', '--port', String(port), '--host', '127.0.0.1'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start within 60 s');
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// One engine
// ---------------------------------------------------------------------------------------------

interface EngineResult {
  readonly engine: Engine;
  readonly world: { readonly lots: number; readonly heldLots: number; readonly drillLots: number; readonly units: number; readonly events: number; readonly containers: number };
  readonly loadMs: number;
  readonly runs: readonly { readonly name: string; readonly outcome: Outcome; readonly latency: Summary }[];
  readonly expectedNotSellable: number;
}

async function adminExec(url: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function runEngine(engine: Engine, o: Options): Promise<EngineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lotline-bench-pos-'));
  const pgAdmin = process.env.LOTLINE_BENCH_PG_URL ?? DEFAULT_PG_URL;
  const pgName = `lotline_bench_pos_${randomIds.next('db').slice(3).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  let serverEnv: NodeJS.ProcessEnv;
  let database: Database;
  if (engine === 'pglite') {
    database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    serverEnv = { LOTLINE_DATA_DIR: dir, DATABASE_URL: '' };
  } else {
    await adminExec(pgAdmin, `CREATE DATABASE ${pgName}`);
    const url = new URL(pgAdmin);
    url.pathname = `/${pgName}`;
    database = await openDatabase({ kind: 'postgres', url: url.toString() });
    serverEnv = { LOTLINE_DATA_DIR: dir, DATABASE_URL: url.toString() };
  }
  let child: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    process.stderr.write(`pos bench (${engine}): loading ${o.lots} lots of ${o.units} units …\n`);
    const world = await loadWorld(database, o);
    await database.close();
    const loadMs = performance.now() - t0;
    writeFileSync(join(dir, 'ledger-signing-key.pem'), generateEd25519KeyPair().privateKeyPem, { mode: 0o600 });

    const port = await freePort();
    child = await startServer(serverEnv, port);
    const pid = child.pid as number;
    const samples = codeSamples(world.lots, o, 50_000);
    const checks = samples.map((s, i) => requestText(s.path, world.tokens[i % world.tokens.length] as string));
    const health = [requestText('/healthz', world.tokens[0] as string)];
    const expectedNotSellable = samples.filter((s) => s.held).length / samples.length;
    const runs: EngineResult['runs'][number][] = [];
    const measure = async (name: string, requests: readonly string[], driver: Driver) => {
      process.stderr.write(`pos bench (${engine}): ${name} …\n`);
      await drive(port, pid, requests, o.connections, Math.min(3, o.seconds), driver);
      const outcome = await drive(port, pid, requests, o.connections, o.seconds, driver);
      runs.push({ name, outcome, latency: summarize(Array.from(outcome.latencies)) });
    };
    await measure('GET /healthz (baseline), saturated', health, { mode: 'saturate', depth: o.depth });
    await measure('GET /api/pos/check, saturated', checks, { mode: 'saturate', depth: o.depth });
    // Lowest rate first: a rate the server cannot sustain leaves a backlog that would spoil the next measurement.
    for (const rate of [...o.rates].sort((a, b) => a - b)) await measure(`GET /api/pos/check at ${rate.toLocaleString('en')}/s`, checks, { mode: 'rate', perSecond: rate });
    const lots = world.lots.length;
    return {
      engine,
      world: {
        lots,
        heldLots: world.lots.filter((l) => l.held === 'case').length,
        drillLots: world.lots.filter((l) => l.held === 'drill').length,
        units: lots * o.units,
        events: world.events,
        containers: world.lots.reduce((s, l) => s + l.cases.length + l.pallets.length, 0),
      },
      loadMs,
      runs,
      expectedNotSellable,
    };
  } finally {
    if (child) await stopServer(child);
    if (engine === 'postgres') await adminExec(pgAdmin, `DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Entry
// ---------------------------------------------------------------------------------------------

export async function run(args: string[]): Promise<void> {
  const o = optionsFrom(parseArgs(args));
  const loadBefore = loadavg()[0] ?? 0;
  const results: EngineResult[] = [];
  for (const engine of o.engines) results.push(await runEngine(engine, o));
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const { name, outcome, latency } of r.runs) {
      const perSecond = (outcome.completed / outcome.wallMs) * 1000;
      const ok = outcome.statuses.get(200) ?? 0;
      const isCheck = name.includes('/api/pos/check');
      const bar = isCheck ? (name.includes('saturated') ? '≥ 20,000/s' : name.includes(' 20,000/s') ? 'p99 < 5 ms' : '') : '';
      rows.push([
        r.engine,
        name,
        Math.round(perSecond),
        latency.median,
        latency.p95,
        latency.p99,
        latency.max,
        isCheck ? `${((outcome.notSellable / Math.max(1, ok)) * 100).toFixed(1)} %` : '',
        ok === outcome.completed ? 'all 200' : JSON.stringify(Object.fromEntries(outcome.statuses)),
        `${Math.round((outcome.serverCpuMs / outcome.wallMs) * 100)} % / ${Math.round((outcome.loadgenCpuMs / outcome.wallMs) * 100)} %`,
        bar,
      ]);
    }
  }
  const first = results[0];
  writeReport({
    name: 'pos',
    dataset: first
      ? `${first.world.lots} lots × ${o.units} units (${first.world.units.toLocaleString('en')} units, ${first.world.containers} cases and pallets, ${first.world.events} EPCIS events captured); ` +
        `${CASES} open recall cases holding ${first.world.heldLots} lots, 1 drill holding ${first.world.drillLots}; 50,000 codes drawn from ${MIX.map(([k, w]) => `${k} ${w} %`).join(', ')}, ` +
        `${(first.expectedNotSellable * 100).toFixed(1)} % of them from held lots; ${o.connections} connections, ${o.depth} in flight each when saturated; ${o.seconds} s per measurement after up to 3 s of warm-up`
      : 'no engine run',
    columns: ['engine', 'measurement', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'not sellable', 'statuses', 'CPU server / load generator', 'bar'],
    rows,
    notes: [
      `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}; 1-minute load average ${loadBefore.toFixed(2)} before and ${(loadavg()[0] ?? 0).toFixed(2)} after (other processes share the cores).`,
      'Server: `lotline serve` in a child process (all production hooks: helmet headers, input guard, token authentication with its cache, Prometheus timing); the load generator is the parent process, one thread, raw HTTP/1.1 with pipelining.',
      'Saturated: latency includes queueing behind the requests in flight (connections × depth). Fixed rate: latency from each request’s scheduled send time, so a stall counts for every request it delays.',
      '"not sellable" is the share of 200 answers with "sellable":false; about the share of codes drawn from lots held by real cases (drill holds never block).',
      `Load of the data set through the capture path: ${results.map((r) => `${r.engine} ${(r.loadMs / 1000).toFixed(1)} s`).join(', ')}.`,
      `Code: ${codeRevision()}.`,
    ],
  });
}

/**
 * Recall decisions at scale (issue 5): `npm run bench -- recall [--events N] [--engine pglite|postgres]
 * [--data-dir DIR] [--reuse] [--runs N] [--seed N]`.
 *
 * On the trace benchmark's data set (bench/lib/trace-dataset.ts: the bakery world with 300+ stores; default
 * 200,000 events in bench/.data/recall-<engine>-<N>, loaded through the real capture path unless `--reuse`
 * finds it), each run opens a case on a raw-material lot (whose downstream reaches ~300 stores), and times:
 *
 * | measurement | what | bar |
 * |---|---|---|
 * | scope | `POST /api/recalls/{id}/scope` use case: the trace engine's downstream scope, frozen as version 1 | report |
 * | approve → last store notice queued | `approve_scope`: holds, one task per store, every notice in the outbox, one transaction | < 1 s for 300 stores |
 * | baseline: assess | the same command path (lock, state machine, log, audit) without effects | — |
 * | drill | `startDrill` on a batch: open, assess, scope, hold (dry run), notices (dry run), reconcile, close, score | < 5 s (10M events) |
 *
 * Every store of the bench organisation gets a contact (a party with an email) first, so each store task
 * has a notice; the bench then counts tasks and queued notices per approval. Results: bench/results/recall.md/json.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../src/store/schema.ts';
import { generateEd25519KeyPair, createEd25519Signer } from '../src/core/ledger/ed25519.ts';
import type { Actor } from '../src/app/audit.ts';
import { type RecallDeps, getCase, openCase, runCommand } from '../src/app/recall/cases.ts';
import { proposeScope, startDrill } from '../src/app/recall/drills.ts';
import type { Engine } from '../src/store/database.ts';
import { parseArgs, positive } from './lib/args.ts';
import { seededRandom } from '../src/demo/scale/random.ts';
import { peakRssMiB, summarize, writeReport } from './lib/stats.ts';
import { BENCH_ORG, codeRevision, openTraceDataset } from './lib/trace-dataset.ts';

const KNOWN = new Set(['events', 'engine', 'data-dir', 'reuse', 'runs', 'seed']);
const ms = (n: number) => Math.round(n * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const flags = parseArgs(args);
  for (const name of flags.keys()) if (!KNOWN.has(name)) throw new Error(`unknown option --${name}; known: ${[...KNOWN].map((f) => `--${f}`).join(' ')}`);
  const events = positive(flags, 'events', 200_000);
  const engine = (flags.get('engine') ?? 'pglite') as Engine;
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error('--engine is pglite or postgres');
  const runs = positive(flags, 'runs', 10);
  const seed = positive(flags, 'seed', 1);
  const pgAdminUrl = process.env.LOTLINE_BENCH_PG_URL ?? process.env.DATABASE_URL ?? null;
  if (engine === 'postgres' && !pgAdminUrl) throw new Error('PostgreSQL needs LOTLINE_BENCH_PG_URL');
  // Its own copy: recall runs add cases and holds, which the trace benchmark's data set should not carry.
  const location = flags.get('data-dir') ?? `bench/.data/recall-${engine}-${events}`;

  const dataset = await openTraceDataset({ engine, events, seed, docSize: 5_000, location, reuse: flags.has('reuse'), pgAdminUrl });
  try {
    const { ctx } = dataset;
    const deps: RecallDeps = { ctx, signer: createEd25519Signer(generateEd25519KeyPair().privateKeyPem) };
    const actor: Actor = { orgId: BENCH_ORG, tokenId: 'system', role: null };
    const stores = await giveStoresContacts(dataset.ctx.database.db);
    const random = seededRandom(seed);
    const shuffle = <T>(xs: readonly T[]): T[] => {
      const a = [...xs];
      for (let i = a.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [a[i], a[j]] = [a[j] as T, a[i] as T];
      }
      return a;
    };
    const rawLots = shuffle(dataset.marker.samples.rawLots);
    const batchLots = shuffle(dataset.marker.samples.batchLots);

    const assessMs: number[] = [];
    const scopeMs: number[] = [];
    const approveMs: number[] = [];
    const drillMs: number[] = [];
    const perRun: { lot: string; lots: number; tasks: number; notices: number; approveMs: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const lot = rawLots[i % rawLots.length] as string;
      const opened = await openCase(deps, actor, { title: `bench ${i}`, hazard: 'microbial', origin: 'manual', description: '', productGtin: null, codes: [lot] });
      const caseId = opened.state.caseId;
      let t = performance.now();
      await runCommand(deps, actor, caseId, { type: 'assess', level: 1, fdaClass: null, voluntary: false, risks: { safety: 'high', regulatory: 'high', scope: 'high', reputation: 'high' }, reason: 'bench' });
      assessMs.push(performance.now() - t);
      await runCommand(deps, actor, caseId, { type: 'set_notice_plan', plan: { audiences: ['store', 'warehouse', 'regulator'], instructions: { 'zh-CN': '停止销售', en: 'Stop selling' }, compensation: ['refund'], ackHours: 4 }, reason: 'bench' });
      t = performance.now();
      const { state } = await getCase(ctx, BENCH_ORG, caseId);
      await proposeScope(deps, actor, state, { rules: ['downstream'], reason: 'bench' });
      scopeMs.push(performance.now() - t);
      t = performance.now();
      const approved = await runCommand(deps, actor, caseId, { type: 'approve_scope', version: 1, reason: 'bench' });
      const took = performance.now() - t;
      approveMs.push(took);
      perRun.push({ lot, lots: approved.state.scopes[0]?.lots.length ?? 0, tasks: approved.outcome.tasksIssued, notices: approved.outcome.noticesQueued, approveMs: ms(took) });
      process.stderr.write(`  run ${i + 1}/${runs}: ${perRun.at(-1)?.lots} lots, ${approved.outcome.tasksIssued} tasks, ${approved.outcome.noticesQueued} notices, approve ${ms(took)} ms\n`);

      t = performance.now();
      await startDrill(deps, actor, { code: batchLots[i % batchLots.length] as string });
      drillMs.push(performance.now() - t);
    }
    const row = (name: string, samples: number[], bar: string) => {
      const s = summarize(samples);
      return [name, s.n, ms(s.median), ms(s.p95), ms(s.max), bar];
    };
    const tasks = summarize(perRun.map((r) => r.tasks));
    writeReport({
      name: 'recall',
      dataset: `${engine}, ${dataset.marker.events.toLocaleString('en-US')} events (${dataset.reused ? 'reused' : 'loaded'} at ${dataset.where}), ${stores} stores with contacts, ${runs} runs, seed ${seed}`,
      columns: ['measurement', 'n', 'median ms', 'p95 ms', 'max ms', 'bar'],
      rows: [
        row('baseline: assess (command path, no effects)', assessMs, '—'),
        row('scope: trace engine downstream of a raw lot, frozen', scopeMs, 'report'),
        row('approve → last store notice queued', approveMs, '< 1,000 ms for 300 stores'),
        row('drill on a batch, start to scored report', drillMs, '< 5,000 ms (10M events)'),
      ],
      notes: [
        `per approval: median ${tasks.median} store/warehouse tasks (max ${tasks.max}), lots per scope ${summarize(perRun.map((r) => r.lots)).median}, notices queued median ${summarize(perRun.map((r) => r.notices)).median}`,
        `runs: ${perRun.map((r) => `${r.lots} lots/${r.tasks} tasks/${r.notices} notices in ${r.approveMs} ms`).join('; ')}`,
        `peak RSS ${peakRssMiB()} MiB; code ${codeRevision()}`,
        'command: npm run bench -- recall ' + args.join(' '),
      ],
    });
  } finally {
    await dataset.close();
  }
}

/** One party with an email per store of the bench organisation (idempotent), so every store task gets a notice. */
async function giveStoresContacts(db: Kysely<Schema>): Promise<number> {
  await sql`
    INSERT INTO parties (org_id, party_id, kind, name_zh, name_en, email)
    SELECT org_id, 'contact-' || location_id, 'store', name_zh, name_en, location_id || '@stores.example'
    FROM locations WHERE org_id = ${BENCH_ORG} AND type = 'store'
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`UPDATE locations SET party_id = 'contact-' || location_id WHERE org_id = ${BENCH_ORG} AND type = 'store' AND party_id IS DISTINCT FROM 'contact-' || location_id`.execute(db);
  await sql`
    INSERT INTO parties (org_id, party_id, kind, name_zh, name_en, email) VALUES (${BENCH_ORG}, 'bench-regulator', 'regulator', '市场监管局', 'Regulator', 'regulator@amr.example')
    ON CONFLICT DO NOTHING`.execute(db);
  const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM locations WHERE org_id = ${BENCH_ORG} AND type = 'store'`.execute(db);
  return n.rows[0]?.n ?? 0;
}

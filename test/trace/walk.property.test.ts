/**
 * Properties of the SQL trace walk on random graphs, cycles included: it reaches what the in-memory
 * reference (reference-walk.ts) reaches, upstream and downstream mirror each other, and it ends in a
 * bounded number of queries (one per breadth-first generation). The walk over the in-memory trace
 * index (src/app/trace/index/) gives the SQL walk's answer on the same graphs and views (as-of seq
 * bounds, retractions), whether the index was built at once or caught up seq by seq.
 */
import fc from 'fast-check';
import { type KyselyPlugin, sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppContext, randomIds, systemClock } from '../../src/app/context.ts';
import { createOrg } from '../../src/app/orgs.ts';
import type { TraceView } from '../../src/app/trace/view.ts';
import { TraceIndex } from '../../src/app/trace/index/memory-index.ts';
import { ALL_TIME, type WalkResult, walk, walkIndex } from '../../src/app/trace/walk.ts';
import type { Database } from '../../src/store/database.ts';
import { freshDatabase, testEngines } from '../support/engines.ts';
import { type Direction, type LinkKind, type LinkRow, type RefView, referenceWalk, stateBound } from './reference-walk.ts';

const ORG = 'acme';
const DIRECTIONS: readonly Direction[] = ['downstream', 'upstream'];
/** walk.ts stops silently after this many levels; a walk that needs them all may have been cut short. */
const WALK_MAX_LEVELS = 256;
const WALK_TIMEOUT_MS = 10_000;

// A small alphabet so that cycles and shared nodes are common. Short names keep counterexamples
// readable; the database holds the identifiers they stand for.
const LOTS = ['L1', 'L2', 'L3'] as const;
const CONTAINERS = ['C1', 'C2', 'C3'] as const;
const TXS = ['T1', 'T2'] as const;
const NODES: readonly string[] = [...LOTS, ...CONTAINERS, ...TXS];
const STORED: Record<string, string> = {
  L1: 'https://id.gs1.org/01/09520123456788/10/L1',
  L2: 'https://id.gs1.org/01/09520123456788/10/L2',
  L3: 'urn:epc:class:lgtin:4012345.012345.L3',
  C1: 'https://id.gs1.org/00/395201234500000012',
  C2: 'https://id.gs1.org/00/395201234500000029',
  C3: 'urn:epc:id:grai:4012345.55555.1',
  T1: 'tx:w-1',
  T2: 'tx:w-2',
  '*': '*',
};
const SHORT = new Map(Object.entries(STORED).map(([k, v]) => [v, k]));

// Times 1 ms apart, so that [t, t + 1) windows touch their neighbours, plus one far away.
const BASE = Date.parse('2025-03-01T08:00:00.000Z');
const time = fc.constantFrom(0, 1, 2, 3, 5, 60_000).map((k) => BASE + k);
const seq = fc.integer({ min: 1, max: 12 });

const row = (link: LinkKind, src: fc.Arbitrary<string>, dst: fc.Arbitrary<string>): fc.Arbitrary<LinkRow> =>
  fc.record({ seq, src, dst, link: fc.constant(link), time });
const lot = fc.constantFrom(...LOTS);
const container = fc.constantFrom(...CONTAINERS);
const tx = fc.constantFrom(...TXS);
const anyNode = fc.constantFrom(...NODES);
const goods = fc.oneof(lot, container);

/** Links shaped as capture derives them, and (less often) any link between any two nodes. */
const link: fc.Arbitrary<LinkRow> = fc.oneof(
  { weight: 3, arbitrary: row('consumed', goods, tx) },
  { weight: 3, arbitrary: row('produced', tx, lot) },
  { weight: 4, arbitrary: row('packed', goods, container) },
  { weight: 2, arbitrary: row('carries', lot, container) },
  { weight: 2, arbitrary: row('unpacked', goods, container) },
  { weight: 2, arbitrary: row('unpacked', fc.constant('*'), container) },
  { weight: 1, arbitrary: row('associated', anyNode, anyNode) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<LinkKind>('consumed', 'produced', 'packed', 'carries', 'unpacked')
      .chain((k) => row(k, k === 'unpacked' ? fc.oneof(anyNode, fc.constant('*')) : anyNode, anyNode)),
  },
);

interface Graph {
  readonly links: readonly LinkRow[];
  readonly view: RefView;
}

const graph: fc.Arbitrary<Graph> = fc.record({
  links: fc.array(link, { maxLength: 40, size: 'max' }),
  view: fc.record({
    maxSeq: fc.oneof({ weight: 2, arbitrary: fc.constant(12) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) }),
    retracted: fc.oneof(fc.constant([]), fc.uniqueArray(seq, { maxLength: 4 })),
  }),
});

const at = (k: number) => BASE + k;
/** Hand-picked graphs every run starts with: cycles through containment and through production. */
const EXAMPLES: Graph[] = [
  {
    view: { maxSeq: 12, retracted: [] },
    links: [
      { seq: 1, src: 'C1', dst: 'C2', link: 'packed', time: at(0) },
      { seq: 2, src: 'C2', dst: 'C1', link: 'packed', time: at(1) },
      { seq: 3, src: 'C2', dst: 'C3', link: 'packed', time: at(1) },
      { seq: 4, src: 'C3', dst: 'C1', link: 'packed', time: at(2) },
      { seq: 5, src: '*', dst: 'C3', link: 'unpacked', time: at(5) },
    ],
  },
  {
    view: { maxSeq: 12, retracted: [4] },
    links: [
      { seq: 1, src: 'L1', dst: 'C1', link: 'packed', time: at(0) },
      { seq: 2, src: 'C1', dst: 'T1', link: 'consumed', time: at(2) },
      { seq: 2, src: 'T1', dst: 'L1', link: 'produced', time: at(2) },
      { seq: 3, src: 'L1', dst: 'C1', link: 'unpacked', time: at(1) },
      { seq: 4, src: 'L1', dst: 'C1', link: 'unpacked', time: at(3) },
      { seq: 5, src: 'L1', dst: 'T2', link: 'consumed', time: at(3) },
      { seq: 5, src: 'T2', dst: 'L2', link: 'produced', time: at(3) },
      { seq: 6, src: 'L2', dst: 'T1', link: 'consumed', time: at(5) },
    ],
  },
];

const viewOf = (g: Graph): TraceView => ({ orgId: ORG, maxSeq: g.view.maxSeq, retracted: [...g.view.retracted].sort((a, b) => a - b), asOf: null });
const nodesOf = (g: Graph): string[] => NODES.filter((n) => g.links.some((l) => l.src === n || l.dst === n));
const sorted = (xs: Iterable<string>) => [...xs].sort();

/** `x ∈ upstream(y) ⇔ y ∈ downstream(x)` over `nodes`, given each node's reached sets; the first violation, or null. */
function asymmetry(nodes: readonly string[], reached: (node: string, d: Direction) => ReadonlySet<string>): string | null {
  for (const x of nodes) {
    for (const y of nodes) {
      const up = reached(y, 'upstream').has(x);
      const down = reached(x, 'downstream').has(y);
      if (up !== down) return `${x} ∈ upstream(${y}) is ${up}, ${y} ∈ downstream(${x}) is ${down}`;
    }
  }
  return null;
}

describe('the reference walk', () => {
  const all = { maxSeq: 12, retracted: [] };
  const reach = (links: LinkRow[], start: string, d: Direction, view: RefView = all) => sorted(referenceWalk(links, view, start, d).nodes);

  it('follows a container into production only while the goods were inside it', () => {
    const packed: LinkRow = { seq: 1, src: 'L1', dst: 'C1', link: 'packed', time: at(0) };
    const unpacked: LinkRow = { seq: 2, src: 'L1', dst: 'C1', link: 'unpacked', time: at(2) };
    const inside: LinkRow = { seq: 3, src: 'C1', dst: 'T1', link: 'consumed', time: at(1) };
    const after: LinkRow = { seq: 3, src: 'C1', dst: 'T1', link: 'consumed', time: at(2) };
    const made: LinkRow = { seq: 3, src: 'T1', dst: 'L2', link: 'produced', time: at(2) };
    expect(reach([packed, unpacked, inside, made], 'L1', 'downstream')).toEqual(['C1', 'L1', 'L2', 'T1']);
    expect(reach([packed, unpacked, after, made], 'L1', 'downstream')).toEqual(['C1', 'L1']);
    expect(reach([packed, unpacked, after, made], 'L2', 'upstream')).toEqual(['C1', 'L2', 'T1']);
    // Not visible, the unpacking does not end the packing.
    expect(reach([packed, unpacked, after, made], 'L1', 'downstream', { maxSeq: 12, retracted: [2] })).toEqual(['C1', 'L1', 'L2', 'T1']);
    expect(reach([packed, unpacked, after, made], 'L2', 'upstream', { maxSeq: 1, retracted: [] })).toEqual(['L2']);
    // Emptying the container (src '*') ends every packing into it; an unpacking before the packing does not.
    const emptied: LinkRow = { seq: 4, src: '*', dst: 'C1', link: 'unpacked', time: at(1) };
    expect(reach([packed, emptied, after, made], 'L1', 'downstream')).toEqual(['C1', 'L1']);
    expect(reach([{ ...packed, time: at(2) }, emptied, after, made], 'L1', 'downstream')).toEqual(['C1', 'L1', 'L2', 'T1']);
  });

  it('ends on cycles and ignores links that are not flow', () => {
    const cycle: LinkRow[] = [
      { seq: 1, src: 'L1', dst: 'T1', link: 'consumed', time: at(0) },
      { seq: 1, src: 'T1', dst: 'L1', link: 'produced', time: at(0) },
      { seq: 2, src: 'L1', dst: 'L2', link: 'associated', time: at(0) },
    ];
    expect(reach(cycle, 'L1', 'downstream')).toEqual(['L1', 'T1']);
    expect(reach(cycle, 'L1', 'upstream')).toEqual(['L1', 'T1']);
  });

  it('mirrors: x ∈ upstream(y) ⇔ y ∈ downstream(x)', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const walks = new Map(NODES.flatMap((n) => DIRECTIONS.map((d) => [`${d} ${n}`, referenceWalk(g.links, g.view, n, d).nodes] as const)));
        expect(asymmetry(NODES, (n, d) => walks.get(`${d} ${n}`) as Set<string>)).toBeNull();
      }),
      { numRuns: 2000, examples: EXAMPLES.map((g) => [g]) },
    );
  });
});

describe.each(testEngines())('the SQL trace walk against the reference on %s', (engine) => {
  let database: Database;

  beforeAll(async () => {
    database = await freshDatabase(engine);
    const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: 'silent' }) };
    await createOrg(ctx, ORG, 'Acme Bakery', { orgId: ORG, tokenId: 'cli', role: null });
  });
  afterAll(async () => {
    await database?.close();
  });

  /** Replace the organisation's trace links by `g`'s (trace_links is derived: no append-only trigger). */
  async function store(g: Graph): Promise<void> {
    const db = database.db;
    await sql`DELETE FROM trace_links WHERE org_id = ${ORG}`.execute(db);
    if (g.links.length === 0) return;
    const rows = JSON.stringify(g.links.map((l, ord) => ({ seq: l.seq, ord, src: STORED[l.src], dst: STORED[l.dst], link: l.link, t: new Date(l.time).toISOString() })));
    await sql`
      INSERT INTO trace_links (org_id, seq, ord, src, dst, link, event_time)
      SELECT ${ORG}, x.seq, x.ord, x.src, x.dst, x.link, x.t
      FROM jsonb_to_recordset(${rows}::jsonb) AS x(seq bigint, ord int, src text, dst text, link text, t timestamptz)`.execute(db);
  }

  /** The SQL walk from `start`: the nodes it reached and the queries it ran; fails if it does not return. */
  async function sqlWalk(g: Graph, start: string, direction: Direction): Promise<{ nodes: Set<string>; queries: number }> {
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`walk ${direction} from ${start} did not end in ${WALK_TIMEOUT_MS} ms`)), WALK_TIMEOUT_MS);
    });
    try {
      const seed = { node: STORED[start] as string, window: ALL_TIME, via: null };
      const result = await Promise.race([walk(database.db.withPlugin(counter), viewOf(g), [seed], direction), timeout]);
      return { nodes: new Set([...result.reached.keys()].map((id) => SHORT.get(id) ?? id)), queries };
    } finally {
      clearTimeout(timer);
    }
  }

  it('reaches the reference nodes from every node, both ways, in one query per generation; and mirrors', async () => {
    await fc.assert(
      fc.asyncProperty(graph, async (g) => {
        await store(g);
        const nodes = nodesOf(g);
        const found = new Map<string, Set<string>>();
        for (const start of nodes) {
          for (const direction of DIRECTIONS) {
            const ref = referenceWalk(g.links, g.view, start, direction);
            const got = await sqlWalk(g, start, direction);
            found.set(`${direction} ${start}`, got.nodes);
            expect(sorted(got.nodes), `${direction} from ${start}`).toEqual(sorted(ref.nodes));
            // Termination with a bound: one query per breadth-first generation of (node, window) states,
            // never more generations than states, nor more states than windows over the graph's times allow.
            expect(got.queries, `queries ${direction} from ${start}`).toBe(ref.levels);
            expect(ref.levels).toBeLessThanOrEqual(ref.states.size);
            expect(ref.states.size).toBeLessThanOrEqual(stateBound(g.links, g.view, nodes.length));
            expect(got.queries).toBeLessThan(WALK_MAX_LEVELS);
          }
        }
        expect(asymmetry(nodes, (n, d) => found.get(`${d} ${n}`) as Set<string>)).toBeNull();
      }),
      { numRuns: 100, examples: EXAMPLES.map((g) => [g]) },
    );
  });

  /** What a walk found, independent of row order: each node with its windows, and the edges followed. */
  function shape(r: WalkResult): { nodes: string[]; edges: string[] } {
    const short = (id: string) => SHORT.get(id) ?? id;
    const w = (x: { lo: number; hi: number }) => `[${x.lo},${x.hi})`;
    return {
      nodes: sorted([...r.reached.values()].map((n) => `${short(n.node)} ${n.direction} ${sorted(n.windows.map(w)).join(' ')}`)),
      edges: sorted(r.edges.map((e) => `${short(e.from)}>${short(e.to)} ${e.link} ${e.seq} ${e.time} ${w(e.valid)}`)),
    };
  }

  it('walks the trace index as it walks SQL, on the same views; an index caught up seq by seq answers as one built at once', async () => {
    await fc.assert(
      fc.asyncProperty(graph, fc.integer({ min: 0, max: 12 }), async (g, split) => {
        await store(g);
        const whole = new TraceIndex(ORG);
        await whole.load(database.db, 12);
        // Built up to `split` first (an earlier head), then caught up one seq at a time (captures).
        const grown = new TraceIndex(ORG);
        await grown.load(database.db, split, 5);
        const early: Graph = { links: g.links, view: { ...g.view, maxSeq: Math.min(g.view.maxSeq, split) } };
        for (const start of nodesOf(g)) {
          for (const direction of DIRECTIONS) {
            const seed = [{ node: STORED[start] as string, window: ALL_TIME, via: null }];
            const early0 = await walk(database.db, viewOf(early), seed, direction);
            expect(shape(await walkIndex(grown, viewOf(early), seed, direction)), `early ${direction} from ${start}`).toEqual(shape(early0));
            expect(sorted(shape(early0).nodes.map((n) => n.split(' ')[0] as string))).toEqual(sorted(referenceWalk(early.links, early.view, start, direction).nodes));
          }
        }
        await grown.load(database.db, 12, 1);
        for (const start of nodesOf(g)) {
          for (const direction of DIRECTIONS) {
            const seed = [{ node: STORED[start] as string, window: ALL_TIME, via: null }];
            const bySql = shape(await walk(database.db, viewOf(g), seed, direction));
            expect(shape(await walkIndex(whole, viewOf(g), seed, direction)), `${direction} from ${start}`).toEqual(bySql);
            expect(shape(await walkIndex(grown, viewOf(g), seed, direction)), `caught up: ${direction} from ${start}`).toEqual(bySql);
            expect(sorted(bySql.nodes.map((n) => n.split(' ')[0] as string))).toEqual(sorted(referenceWalk(g.links, g.view, start, direction).nodes));
          }
        }
      }),
      { numRuns: 60, examples: EXAMPLES.map((g) => [g, 3]) },
    );
  });
});

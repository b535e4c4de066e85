/**
 * The SQL behind the POS block index: the change markers (one cheap statement, read at most every
 * revalidation interval), the active holds with their cases, the commissioned serial ranges of held
 * lots, and what a container holds now (the trace engine's containment walk).
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import { traceView, visible } from '../trace/view.ts';
import { CONTAINMENT, walk } from '../trace/walk.ts';
import type { BlockHead, HeldRange, Hold, HoldCase } from './block-index.ts';

type Db = Kysely<Schema>;

interface HeadRow {
  revision: number;
  seq: number;
  cases_stamp: number;
}

/** Three primary-key or per-organisation reads; no hold rows. */
const HEAD = (orgId: string) => sql`
  SELECT coalesce((SELECT revision FROM recall_hold_heads WHERE org_id = ${orgId}), 0)::int8 AS revision,
         coalesce((SELECT seq FROM ledger_heads WHERE org_id = ${orgId}), 0)::int8 AS seq,
         coalesce((SELECT (extract(epoch FROM max(updated_at)) * 1000000)::int8 FROM recall_cases WHERE org_id = ${orgId}), 0)::int8 AS cases_stamp`;

function toHead(row: HeadRow | undefined): BlockHead {
  return { revision: Number(row?.revision ?? 0), seq: Number(row?.seq ?? 0), casesStamp: String(row?.cases_stamp ?? 0) };
}

/** The organisation's hold revision, ledger head and latest case change. */
export async function readBlockHead(db: Db, orgId: string): Promise<BlockHead> {
  const r = await sql<HeadRow>`${HEAD(orgId)}`.execute(db);
  return toHead(r.rows[0]);
}

interface HoldRow extends HeadRow {
  case_id: string | null;
  node: string | null;
  gtin: string | null;
  lot: string | null;
  placed_at: Date | null;
  case_number: string | null;
  drill: boolean | null;
  title: string | null;
  hazard: string | null;
  instructions: unknown;
}

/** `{ "zh-CN": …, "en": … }` from the case state, tolerating absent or partial values. */
function readInstructions(value: unknown): HoldCase['instructions'] {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return { 'zh-CN': v as string, en: null };
    }
  }
  if (typeof v !== 'object' || v === null) return { 'zh-CN': null, en: null };
  const o = v as Record<string, unknown>;
  const text = (x: unknown): string | null => (typeof x === 'string' && x.trim() !== '' ? x : null);
  return { 'zh-CN': text(o['zh-CN']) ?? text(o.zh), en: text(o.en) };
}

/** The active holds with their cases, and the markers they were read at (one statement, one snapshot). */
export async function loadHolds(db: Db, orgId: string): Promise<{ head: BlockHead; holds: Hold[] }> {
  const r = await sql<HoldRow>`
    SELECT h.revision, h.seq, h.cases_stamp, x.*
    FROM (${HEAD(orgId)}) h
    LEFT JOIN LATERAL (
      SELECT r.case_id, r.node, r.gtin, r.lot, r.placed_at, c.case_number, c.drill,
             c.state->>'title' AS title, c.state->>'hazard' AS hazard, c.state->'instructions' AS instructions
      FROM recall_holds r
      LEFT JOIN recall_cases c ON c.org_id = r.org_id AND c.case_id = r.case_id
      WHERE r.org_id = ${orgId} AND r.released_at IS NULL
    ) x ON true`.execute(db);
  const cases = new Map<string, HoldCase>();
  const holds: Hold[] = [];
  for (const row of r.rows) {
    if (row.case_id === null || row.node === null) continue;
    let c = cases.get(row.case_id);
    if (!c) {
      c = {
        caseId: row.case_id,
        caseNumber: row.case_number ?? row.case_id,
        drill: row.drill === true,
        title: row.title,
        hazard: row.hazard,
        instructions: readInstructions(row.instructions),
      };
      cases.set(row.case_id, c);
    }
    holds.push({ node: row.node, gtin: row.gtin, lot: row.lot, case: c, placedAt: row.placed_at ?? new Date(0) });
  }
  return { head: toHead(r.rows[0]), holds };
}

/** The commissioned serial ranges of `lots` visible now (retracted commissioning events excluded). */
export async function loadHeldRanges(db: Db, orgId: string, lots: readonly string[]): Promise<HeldRange[]> {
  if (lots.length === 0) return [];
  const view = await traceView(db, orgId, null);
  const r = await sql<{ series: string; lo: number; hi: number; lot: string }>`
    SELECT u.series, u.lo, u.hi, u.lot
    FROM unnest(${lots}::text[]) AS l(lot)
    JOIN trace_units u ON u.org_id = ${orgId} AND u.lot = l.lot
    WHERE u.role = 'commissioned' AND ${visible(view, 'u')}`.execute(db);
  return r.rows.map((x) => ({ series: x.series, lo: Number(x.lo), hi: Number(x.hi), lot: x.lot }));
}

/** What a container holds from `at` on: lots (directly or in nested containers) and units of no known lot. */
export interface ContainerContents {
  readonly lots: readonly string[];
  readonly units: readonly { readonly series: string; readonly n: number }[];
}

/**
 * The lots a container (case, pallet, crate) carries at `at` or later, through nested containers,
 * as the trace engine stores packing: `carries` (lot → container, also for packed units of a known
 * lot) and `packed` (child → parent) links, each valid until its first `unpacked`.
 */
export async function containerContents(db: Db, orgId: string, node: string, at: Date): Promise<ContainerContents> {
  const view = await traceView(db, orgId, null);
  const graph = await walk(db, view, [{ node, window: { lo: at.getTime(), hi: Infinity }, via: null }], 'upstream', undefined, CONTAINMENT);
  const lots: string[] = [];
  const units: { series: string; n: number }[] = [];
  for (const r of graph.reached.values()) {
    if (r.node === node) continue;
    if (r.cls.kind === 'lot') lots.push(r.node);
    else if (r.cls.kind === 'unit') units.push({ series: r.cls.series, n: r.cls.n });
  }
  return { lots, units };
}

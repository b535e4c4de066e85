/**
 * `GET /api/pos/blocklist`: the list a store's POS keeps offline. Every store gets every held lot
 * of the organisation (a store may receive a held lot later); with `onHand`, each lot also says how
 * many of its units the trace engine places at that store now. Drill holds are left out: a drill
 * runs in dry-run and must not reach any till.
 *
 * The strong ETag is derived from the hold revision, the latest case change (titles and
 * instructions live in the case), the store (and its master-data version: its name is in the
 * body) and the language, and with `onHand` also from the ledger
 * head the figures were computed at; the body holds nothing else (no timestamps of the request).
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { classifyNode } from '../trace/identifiers.ts';
import { movementsOf } from '../trace/trace.ts';
import { traceView } from '../trace/view.ts';
import { ALL_TIME, CONTAINMENT, walk } from '../trace/walk.ts';
import { type BlockIndex, lotOfHold } from './block-index.ts';
import type { BlockCache } from './block-cache.ts';
import { type PosLang, instructionText } from './pos-text.ts';

type Db = Kysely<Schema>;

export interface BlockListQuery {
  /** The store's location id (master data). */
  readonly store: string;
  readonly lang: PosLang;
  /** Also count each lot's units at the store (trace engine; computed once per hold revision and ledger head). */
  readonly onHand: boolean;
}

export interface BlockListEntry {
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly node: string;
  readonly caseId: string;
  readonly caseNumber: string;
  /** When the hold was placed. */
  readonly since: string;
  readonly instruction: string;
  /** Units of this lot at the store now (only with `onHand`). */
  readonly onHand?: number;
}

export interface BlockList {
  readonly store: { readonly locationId: string; readonly name: string };
  readonly revision: number;
  readonly lang: PosLang;
  readonly lots: readonly BlockListEntry[];
}

/** The block list, or `body: null` when the caller's ETag still matches. */
export interface BlockListResult {
  readonly etag: string;
  readonly body: BlockList | null;
}

export interface BlockListService {
  get(orgId: string, q: BlockListQuery, ifNoneMatch: string | undefined): Promise<BlockListResult>;
}

interface StoreRow {
  location_id: string;
  name_zh: string;
  name_en: string;
  gln: string | null;
  gln_extension: string | null;
  version: number;
}

async function storeOf(db: Db, orgId: string, store: string): Promise<StoreRow> {
  const r = await sql<StoreRow>`SELECT location_id, name_zh, name_en, gln, gln_extension, version FROM locations WHERE org_id = ${orgId} AND location_id = ${store}`.execute(db);
  const row = r.rows[0];
  if (!row) throw new DomainError('NoSuchResourceException', `no location "${store}" in the master data`, [{ pointer: '/query/store', message: 'unknown location id', rule: 'unknownStore' }]);
  return row;
}

/** Whether a trace place id names the store: its location id, or its GLN (with its extension, if any). */
function isStorePlace(store: StoreRow, placeId: string): boolean {
  if (placeId === store.location_id) return true;
  if (store.gln === null) return false;
  const gln = `https://id.gs1.org/414/${store.gln.padStart(13, '0')}`;
  const ext = store.gln_extension;
  if (ext === null || ext === '0') return placeId === gln || (ext === null && placeId.startsWith(`${gln}/254/`));
  return placeId === `${gln}/254/${ext}`;
}

/** If-None-Match: `*` or a list of entity tags (weak comparison, as RFC 9110 prescribes for it). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Units of each held lot per place, for one (revision, ledger head). */
type PlaceCounts = Map<string, { placeId: string; onHand: number }[]>;

/** The block-list use case, with the on-hand figures remembered per organisation. */
export function createBlockListService(ctx: AppContext, cache: BlockCache): BlockListService {
  const onHandMemo = new Map<string, { key: string; counts: Promise<PlaceCounts> }>();

  async function placeCounts(index: BlockIndex, lots: readonly string[]): Promise<PlaceCounts> {
    const db = ctx.database.db;
    const view = await traceView(db, index.orgId, null);
    const out: PlaceCounts = new Map();
    for (const lot of lots) {
      const graph = await walk(db, view, [{ node: lot, window: ALL_TIME, via: null }], 'downstream', undefined, CONTAINMENT);
      const moved = await movementsOf(db, view, { node: lot, cls: classifyNode(lot), unitLot: null }, [...graph.reached.values()], graph);
      out.set(lot, moved.locations.map((l) => ({ placeId: l.placeId, onHand: l.onHand })));
    }
    return out;
  }

  function countsFor(index: BlockIndex, lots: readonly string[]): Promise<PlaceCounts> {
    const key = `${index.head.revision}|${index.head.casesStamp}|${index.head.seq}`;
    const memo = onHandMemo.get(index.orgId);
    if (memo && memo.key === key) return memo.counts;
    const counts = placeCounts(index, lots);
    onHandMemo.set(index.orgId, { key, counts });
    counts.catch(() => {
      if (onHandMemo.get(index.orgId)?.counts === counts) onHandMemo.delete(index.orgId);
    });
    return counts;
  }

  return {
    async get(orgId, q, ifNoneMatch) {
      const store = await storeOf(ctx.database.db, orgId, q.store);
      const index = await cache.index(orgId);
      const h = index.head;
      const tagged = [orgId, h.casesStamp, q.store, store.version, q.lang, q.onHand ? `onHand@${h.seq}` : ''].join('\u0000');
      const etag = `"bl-${h.revision}-${createHash('sha256').update(tagged).digest('base64url').slice(0, 22)}"`;
      if (matches(ifNoneMatch, etag)) return { etag, body: null };

      const holds = index.holds.filter((x) => !x.case.drill);
      const counts = q.onHand ? await countsFor(index, [...new Set(holds.map((x) => x.node))]) : null;
      const lots = holds
        .map((x): BlockListEntry => {
          const { gtin, lot } = lotOfHold(x);
          const entry: BlockListEntry = { gtin, lot, node: x.node, caseId: x.case.caseId, caseNumber: x.case.caseNumber, since: x.placedAt.toISOString(), instruction: instructionText(x.case, q.lang) };
          if (counts === null) return entry;
          const onHand = (counts.get(x.node) ?? []).filter((p) => isStorePlace(store, p.placeId)).reduce((s, p) => s + p.onHand, 0);
          return { ...entry, onHand };
        })
        .sort((a, b) => (a.caseNumber < b.caseNumber ? -1 : a.caseNumber > b.caseNumber ? 1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
      return {
        etag,
        body: { store: { locationId: store.location_id, name: q.lang === 'en' ? store.name_en : store.name_zh }, revision: h.revision, lang: q.lang, lots },
      };
    },
  };
}

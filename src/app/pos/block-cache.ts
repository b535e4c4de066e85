/**
 * The POS block index per organisation, kept in memory. A check uses the index as it is while it is
 * younger than the revalidation interval (250 ms by default) and the organisation was not
 * invalidated in this process (hold-signal.ts); otherwise the next check first reads the change
 * markers (one cheap statement) and reloads only what changed: holds and cases when the hold
 * revision or a case changed, the held lots' serial ranges and container contents when new events
 * were recorded. So an answer is never based on data older than the interval, and most checks do no
 * database work at all.
 */
import type { AppContext } from '../context.ts';
import { type BlockIndex, buildBlockIndex, withRanges } from './block-index.ts';
import { type ContainerContents, containerContents, loadHeldRanges, loadHolds, readBlockHead } from './block-index.repository.ts';
import { invalidationEpoch } from './hold-signal.ts';

export { invalidate } from './hold-signal.ts';

/** Default revalidation interval: the most an answer may lag behind a committed hold change elsewhere. */
export const REVALIDATE_MS = 250;
/** Containers whose contents are remembered per organisation (until the next recorded event). */
const MAX_CONTAINERS = 20_000;

export interface BlockCacheOptions {
  readonly revalidateMs?: number;
}

export interface BlockCache {
  /** The revalidation interval in milliseconds. */
  readonly revalidateMs: number;
  /** The organisation's index: at once when fresh, else after revalidating it. */
  index(orgId: string): BlockIndex | Promise<BlockIndex>;
  /** What a container holds now (remembered until the organisation records another event). */
  contents(index: BlockIndex, node: string, at: Date): ContainerContents | Promise<ContainerContents>;
}

interface Entry {
  index: BlockIndex | null;
  /** performance.now() when the markers behind `index` were read (before the read started). */
  checkedAt: number;
  /** The invalidation epoch seen before that read. */
  epoch: number;
  pending: Promise<BlockIndex> | null;
  /** The invalidation epoch the pending read started after. */
  pendingEpoch: number;
  containers: Map<string, ContainerContents | Promise<ContainerContents>>;
  containersSeq: number;
}

/** A block cache on the context's database; one per app. */
export function createBlockCache(ctx: AppContext, options: BlockCacheOptions = {}): BlockCache {
  const revalidateMs = options.revalidateMs ?? REVALIDATE_MS;
  const entries = new Map<string, Entry>();
  const db = () => ctx.database.db;

  async function revalidate(orgId: string, entry: Entry): Promise<BlockIndex> {
    const epoch = invalidationEpoch(orgId);
    const started = performance.now();
    const head = await readBlockHead(db(), orgId);
    let index = entry.index;
    if (index === null || index.head.revision !== head.revision || index.head.casesStamp !== head.casesStamp) {
      const loaded = await loadHolds(db(), orgId);
      const lots = [...new Set(loaded.holds.map((h) => h.node))];
      index = buildBlockIndex(orgId, loaded.head, loaded.holds, await loadHeldRanges(db(), orgId, lots));
    } else if (index.head.seq !== head.seq) {
      // New events: a held lot may have new serials; containers may hold other things now.
      index = index.holds.length === 0 ? { ...index, head } : withRanges(index, head, await loadHeldRanges(db(), orgId, [...index.byNode.keys()]));
    }
    // A read that started earlier but finished later must not replace a newer one.
    if (started >= entry.checkedAt) {
      entry.index = index;
      entry.checkedAt = started;
      entry.epoch = epoch;
    }
    return index;
  }

  return {
    revalidateMs,
    index(orgId) {
      let entry = entries.get(orgId);
      if (entry === undefined) {
        entry = { index: null, checkedAt: -Infinity, epoch: -1, pending: null, pendingEpoch: -1, containers: new Map(), containersSeq: -1 };
        entries.set(orgId, entry);
      }
      const epoch = invalidationEpoch(orgId);
      // A read in flight serves everyone who asks meanwhile, unless an invalidation came after it started.
      if (entry.pending !== null && entry.pendingEpoch === epoch) return entry.pending;
      if (entry.pending === null && entry.index !== null && performance.now() - entry.checkedAt < revalidateMs && entry.epoch === epoch) return entry.index;
      const e = entry;
      const pending: Promise<BlockIndex> = revalidate(orgId, e).finally(() => {
        if (e.pending === pending) e.pending = null;
      });
      e.pending = pending;
      e.pendingEpoch = epoch;
      return pending;
    },
    contents(index, node, at) {
      const entry = entries.get(index.orgId);
      if (entry === undefined) return containerContents(db(), index.orgId, node, at);
      if (entry.containersSeq !== index.head.seq) {
        entry.containers.clear();
        entry.containersSeq = index.head.seq;
      }
      const known = entry.containers.get(node);
      if (known !== undefined) return known;
      if (entry.containers.size >= MAX_CONTAINERS) entry.containers.clear();
      const seq = entry.containersSeq;
      const loading = containerContents(db(), index.orgId, node, at).then(
        (c) => {
          if (entry.containersSeq === seq) entry.containers.set(node, c);
          return c;
        },
        (error: unknown) => {
          if (entry.containers.get(node) === loading) entry.containers.delete(node);
          throw error;
        },
      );
      entry.containers.set(node, loading);
      return loading;
    },
  };
}

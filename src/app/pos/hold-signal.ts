/**
 * The in-process signal between whoever changes holds (the recall code) and the POS block caches:
 * "the holds of this organisation changed, look again now". It carries no data, only a counter per
 * organisation, so it is process-wide on purpose: the recall code does not need to know which app
 * instances hold a cache, and a cache notices the signal with one Map read per check.
 *
 * Other processes (a second server on the same PostgreSQL) learn of the change from
 * `recall_hold_heads.revision` within the revalidation interval (docs/pos.md).
 */
const epochs = new Map<string, number>();

/**
 * Tell every POS cache in this process that `orgId`'s holds changed; call it after the commit that
 * placed or released holds (the revision bump in the same transaction covers other processes).
 * @example await db.transaction().execute(async (tx) => { …place holds, bump revision… }); invalidate(orgId);
 */
export function invalidate(orgId: string): void {
  epochs.set(orgId, (epochs.get(orgId) ?? 0) + 1);
}

/** How many times `orgId` was invalidated in this process (a cache compares it with what it saw). */
export function invalidationEpoch(orgId: string): number {
  return epochs.get(orgId) ?? 0;
}

import { contentHash } from './content-hash.ts';
import { entryHash, GENESIS_PREV_HASH, type EntryHashParts } from './entry-hash.ts';

/** One row of an organisation's hash chain. */
export interface LedgerEntry extends EntryHashParts {
  /** `entryHash(this)`. */
  readonly entryHash: string;
}

/** The last entry of a chain: its seq and entry hash. */
export interface LedgerHead {
  readonly seq: number;
  readonly entryHash: string;
}

/** The head of an empty chain: the next entry is seq 1 with prevHash = 64 zeros. */
export const GENESIS_HEAD: LedgerHead = Object.freeze({ seq: 0, entryHash: GENESIS_PREV_HASH });

/**
 * The entry that appends the stored event document `doc` after `head` in `orgId`'s chain.
 * @example const entry = appendEntry('org-1', GENESIS_HEAD, event.eventID, storedDoc); // entry.seq === 1
 * @throws RangeError when orgId or eventHashId is empty or holds a line feed, or `head` is malformed.
 */
export function appendEntry(orgId: string, head: LedgerHead, eventHashId: string, doc: unknown): LedgerEntry {
  const parts: EntryHashParts = { orgId, seq: head.seq + 1, eventHashId, contentHash: contentHash(doc), prevHash: head.entryHash };
  return { ...parts, entryHash: entryHash(parts) };
}

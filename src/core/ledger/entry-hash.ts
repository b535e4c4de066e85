import { isHashHex, sha256Hex, ZERO_HASH } from './hash-hex.ts';
import { isLineText, isPositiveInteger } from './json-shape.ts';

/** The `prevHash` of an organisation's entry 1. */
export const GENESIS_PREV_HASH = ZERO_HASH;

/** Domain tag on the first line of every entry-hash preimage. */
export const ENTRY_HASH_TAG = 'lotline-ledger-v1';

/** What an entry hash commits to. `seq` runs 1, 2, 3… per organisation. */
export interface EntryHashParts {
  readonly orgId: string;
  readonly seq: number;
  /** The EPCIS event hash ID (`ni:///sha-256;…`), as stored. */
  readonly eventHashId: string;
  /** `contentHash(doc)` of the stored event document. */
  readonly contentHash: string;
  /** The entry hash at `seq - 1`, or GENESIS_PREV_HASH for seq 1. */
  readonly prevHash: string;
}

/**
 * Why `parts` cannot be hashed, or undefined when they can. Text fields must be non-empty and free
 * of line feeds (the preimage is line-separated, so a `\n` would make two entries hash alike).
 */
export function entryPartsProblem(parts: EntryHashParts): string | undefined {
  if (!isLineText(parts.orgId)) return 'orgId must be a non-empty string without line feeds';
  if (!isPositiveInteger(parts.seq)) return 'seq must be a positive safe integer';
  if (!isLineText(parts.eventHashId)) return 'eventHashId must be a non-empty string without line feeds';
  if (!isHashHex(parts.contentHash)) return 'contentHash must be 64 lowercase hex digits';
  if (!isHashHex(parts.prevHash)) return 'prevHash must be 64 lowercase hex digits';
  return undefined;
}

/**
 * Hex SHA-256 of the UTF-8 string `lotline-ledger-v1\n{orgId}\n{seq}\n{eventHashId}\n{contentHash}\n{prevHash}`.
 * @throws RangeError when `entryPartsProblem(parts)` finds a problem (a caller bug: check untrusted input first).
 */
export function entryHash(parts: EntryHashParts): string {
  const problem = entryPartsProblem(parts);
  if (problem !== undefined) throw new RangeError(`entryHash: ${problem}`);
  return sha256Hex(`${ENTRY_HASH_TAG}\n${parts.orgId}\n${parts.seq}\n${parts.eventHashId}\n${parts.contentHash}\n${parts.prevHash}`);
}

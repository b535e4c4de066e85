import { err, ok, type Result } from '../result.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import { entryHash, entryPartsProblem } from './entry-hash.ts';
import { ZERO_HASH } from './hash-hex.ts';
import { merkleRoot } from './merkle-tree.ts';
import { unreachable } from './unreachable.ts';
import { describeCheckpointFailure, parseSignedCheckpoint, verifyCheckpoint, type CheckpointFailure } from './verify-checkpoint.ts';

/** One stored ledger row as the chain verifier reads it. */
export interface ChainEntry {
  readonly seq: number;
  readonly eventHashId: string;
  /** contentHash(doc), recomputed by the caller from the stored event document (not read from the row). */
  readonly contentHash: string;
  readonly storedPrevHash: string;
  readonly storedEntryHash: string;
}

/** Where verification starts: after a trusted entry and checkpoint (genesis: seq 0 and zeros). */
export interface ChainStart {
  /** The last entry already trusted; the first entry fed must be seq + 1. */
  readonly seq: number;
  /** Its entry hash. */
  readonly entryHash: string;
  /** checkpointHash of the checkpoint ending at `seq` (the first checkpoint fed must chain from it and start at seq + 1). */
  readonly checkpointHash: string;
}

/** Verify from the beginning of the chain. */
export const GENESIS_START: ChainStart = Object.freeze({ seq: 0, entryHash: ZERO_HASH, checkpointHash: ZERO_HASH });

/** Resume after a checkpoint already verified (for example the one the last run ended on). */
export function chainStartAfter(checkpoint: SignedCheckpoint): ChainStart {
  return { seq: checkpoint.body.toSeq, entryHash: checkpoint.body.headHash, checkpointHash: checkpoint.checkpointHash };
}

/** How to check checkpoints alongside the entries. */
export interface ChainVerifierOptions {
  readonly start?: ChainStart;
  /** The organisation's checkpoints in fromSeq order, as stored (unknown: they are validated); consumed lazily. */
  readonly checkpoints?: Iterable<unknown>;
  /**
   * keyId → trusted Ed25519 public key PEM. When given, every checkpoint must be signed by one of these keys;
   * when absent, signatures are checked against the key each checkpoint carries (consistency only).
   */
  readonly trustedKeys?: ReadonlyMap<string, string>;
}

/** A checkpoint's range, on the failures that concern a checkpoint. */
interface Block {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/**
 * The first thing wrong, at `seq` (the entry, or the checkpoint block position, where the chain stops being trustworthy).
 * `expected` is what the ledger states (a stored hash, a checkpoint field), `actual` what was recomputed.
 */
export type ChainFailure =
  | { readonly kind: 'malformedEntry'; readonly seq: number; readonly reason: string }
  | { readonly kind: 'seqGap'; readonly seq: number; readonly expectedSeq: number }
  | { readonly kind: 'seqOutOfOrder'; readonly seq: number; readonly expectedSeq: number }
  | { readonly kind: 'prevHashMismatch'; readonly seq: number; readonly expected: string; readonly actual: string }
  | { readonly kind: 'entryHashMismatch'; readonly seq: number; readonly expected: string; readonly actual: string }
  | { readonly kind: 'checkpointInvalid'; readonly seq: number; readonly failure: CheckpointFailure }
  | ({ readonly kind: 'checkpointUnknownKey'; readonly seq: number; readonly keyId: string } & Block)
  | ({ readonly kind: 'checkpointOrgMismatch'; readonly seq: number; readonly orgId: string } & Block)
  | ({ readonly kind: 'checkpointGap'; readonly seq: number; readonly expectedFromSeq: number } & Block)
  | ({ readonly kind: 'checkpointChainBroken'; readonly seq: number; readonly expected: string; readonly actual: string } & Block)
  | ({ readonly kind: 'merkleRootMismatch'; readonly seq: number; readonly expected: string; readonly actual: string } & Block)
  | ({ readonly kind: 'headHashMismatch'; readonly seq: number; readonly expected: string; readonly actual: string } & Block)
  | ({ readonly kind: 'checkpointBeyondChain'; readonly seq: number } & Block);

/** Where a verifier has got to. */
export interface ChainProgress {
  /** The last entry verified (start.seq before any). */
  readonly lastSeq: number;
  readonly headHash: string;
  readonly checkpointsVerified: number;
}

/** The outcome of a whole verification run. */
export interface ChainReport extends ChainProgress {
  readonly orgId: string;
  readonly entriesVerified: number;
  /** The last checkpoint verified: store it and pass `chainStartAfter(it)` to resume next time. */
  readonly lastCheckpoint: SignedCheckpoint | undefined;
  /** Entries after the last verified checkpoint: checked by the chain only, not yet covered by a signature. */
  readonly uncheckpointedEntries: number;
}

/** Incremental verifier: feed entries in seq order, in batches of any size; the first failure sticks. */
export interface ChainVerifier {
  /** Verify the next entries. Returns the first failure so far, or the progress. */
  feed(entries: Iterable<ChainEntry>): Result<ChainProgress, ChainFailure>;
  /** End of input. Also fails when a checkpoint covers seqs past the last entry (the tail was cut off). Call once. */
  finish(): Result<ChainReport, ChainFailure>;
}

/** A pending checkpoint and the entry hashes of its block gathered so far. */
interface OpenBlock {
  readonly checkpoint: SignedCheckpoint;
  readonly entryHashes: string[];
}

/**
 * Start verifying `orgId`'s chain. Each entry must follow the previous one (seq + 1, prevHash = its entry hash)
 * and hash to its stored entry hash; each checkpoint must be genuine, start where the previous one ended, chain
 * to it by prevCheckpointHash, and match the Merkle root and head of its block.
 * @example
 * const v = createChainVerifier(orgId, { checkpoints, trustedKeys });
 * for await (const page of pages) { const r = v.feed(page); if (!r.ok) return r; }
 * return v.finish();
 */
export function createChainVerifier(orgId: string, options: ChainVerifierOptions = {}): ChainVerifier {
  const start = options.start ?? GENESIS_START;
  const checkpointIterator = options.checkpoints?.[Symbol.iterator]();
  let lastSeq = start.seq;
  let headHash = start.entryHash;
  let prevCheckpointHash = start.checkpointHash;
  let entriesVerified = 0;
  let checkpointsVerified = 0;
  let lastCheckpoint: SignedCheckpoint | undefined;
  let uncheckpointedEntries = 0;
  let open: OpenBlock | undefined;
  let failure: ChainFailure | undefined;
  let started = false;
  let finished = false;

  /** Take the next checkpoint and check everything about it that does not need its block's entries. */
  const openNextBlock = (): ChainFailure | undefined => {
    open = undefined;
    const next = checkpointIterator?.next();
    if (next === undefined || next.done === true) return undefined;
    const at = lastSeq + 1;
    const parsed = parseSignedCheckpoint(next.value);
    if (!parsed.ok) return { kind: 'checkpointInvalid', seq: at, failure: parsed.error };
    const { body, keyId } = parsed.value;
    const block = { fromSeq: body.fromSeq, toSeq: body.toSeq };
    let trustedPem: string | undefined;
    if (options.trustedKeys !== undefined) {
      trustedPem = options.trustedKeys.get(keyId);
      if (trustedPem === undefined) return { kind: 'checkpointUnknownKey', seq: at, keyId, ...block };
    }
    const verified = verifyCheckpoint(parsed.value, trustedPem);
    if (!verified.ok) return { kind: 'checkpointInvalid', seq: at, failure: verified.error };
    if (body.orgId !== orgId) return { kind: 'checkpointOrgMismatch', seq: at, orgId: body.orgId, ...block };
    if (body.fromSeq !== at) return { kind: 'checkpointGap', seq: at, expectedFromSeq: at, ...block };
    if (body.prevCheckpointHash !== prevCheckpointHash) {
      return { kind: 'checkpointChainBroken', seq: at, expected: body.prevCheckpointHash, actual: prevCheckpointHash, ...block };
    }
    open = { checkpoint: parsed.value, entryHashes: [] };
    return undefined;
  };

  /** The entry at toSeq of the open block has been verified: compare the block with its checkpoint. */
  const closeBlock = (block: OpenBlock): ChainFailure | undefined => {
    const { body, checkpointHash } = block.checkpoint;
    const range = { fromSeq: body.fromSeq, toSeq: body.toSeq };
    const root = merkleRoot(block.entryHashes);
    if (root !== body.merkleRoot) return { kind: 'merkleRootMismatch', seq: body.toSeq, expected: body.merkleRoot, actual: root, ...range };
    if (headHash !== body.headHash) return { kind: 'headHashMismatch', seq: body.toSeq, expected: body.headHash, actual: headHash, ...range };
    prevCheckpointHash = checkpointHash;
    lastCheckpoint = block.checkpoint;
    checkpointsVerified += 1;
    uncheckpointedEntries = 0;
    return openNextBlock();
  };

  const verifyEntry = (entry: ChainEntry): ChainFailure | undefined => {
    const expectedSeq = lastSeq + 1;
    if (!Number.isSafeInteger(entry.seq)) return { kind: 'malformedEntry', seq: expectedSeq, reason: `seq ${String(entry.seq)} is not an integer` };
    if (entry.seq > expectedSeq) return { kind: 'seqGap', seq: entry.seq, expectedSeq };
    if (entry.seq < expectedSeq) return { kind: 'seqOutOfOrder', seq: entry.seq, expectedSeq };
    if (entry.storedPrevHash !== headHash) return { kind: 'prevHashMismatch', seq: entry.seq, expected: entry.storedPrevHash, actual: headHash };
    const parts = { orgId, seq: entry.seq, eventHashId: entry.eventHashId, contentHash: entry.contentHash, prevHash: headHash };
    const problem = entryPartsProblem(parts);
    if (problem !== undefined) return { kind: 'malformedEntry', seq: entry.seq, reason: problem };
    const actual = entryHash(parts);
    if (actual !== entry.storedEntryHash) return { kind: 'entryHashMismatch', seq: entry.seq, expected: entry.storedEntryHash, actual };
    lastSeq = entry.seq;
    headHash = actual;
    entriesVerified += 1;
    uncheckpointedEntries += 1;
    if (open === undefined) return undefined;
    open.entryHashes.push(actual);
    return entry.seq === open.checkpoint.body.toSeq ? closeBlock(open) : undefined;
  };

  const begin = (): void => {
    if (finished) throw new Error('ChainVerifier: used after finish()');
    if (started) return;
    started = true;
    failure = openNextBlock();
  };

  const progress = (): ChainProgress => ({ lastSeq, headHash, checkpointsVerified });

  return {
    feed(entries) {
      begin();
      if (failure !== undefined) return err(failure);
      for (const entry of entries) {
        failure = verifyEntry(entry);
        if (failure !== undefined) return err(failure);
      }
      return ok(progress());
    },
    finish() {
      begin();
      finished = true;
      if (failure === undefined && open !== undefined) {
        const { fromSeq, toSeq } = open.checkpoint.body;
        failure = { kind: 'checkpointBeyondChain', seq: lastSeq + 1, fromSeq, toSeq };
      }
      if (failure !== undefined) return err(failure);
      return ok({ ...progress(), orgId, entriesVerified, lastCheckpoint, uncheckpointedEntries });
    },
  };
}

/** Verify a whole chain held in one iterable (tests, small organisations); the store pages through createChainVerifier instead. */
export function verifyChain(orgId: string, entries: Iterable<ChainEntry>, options: ChainVerifierOptions = {}): Result<ChainReport, ChainFailure> {
  const verifier = createChainVerifier(orgId, options);
  const fed = verifier.feed(entries);
  return fed.ok ? verifier.finish() : fed;
}

/** A sentence naming the first bad seq and what is wrong, for the verify command. */
export function describeChainFailure(failure: ChainFailure): string {
  const at = `seq ${failure.seq}`;
  switch (failure.kind) {
    case 'malformedEntry':
      return `${at}: malformed entry: ${failure.reason}`;
    case 'seqGap':
      return `${at}: expected seq ${failure.expectedSeq}; entries ${failure.expectedSeq}..${failure.seq - 1} are missing (deleted?)`;
    case 'seqOutOfOrder':
      return `${at}: expected seq ${failure.expectedSeq}; entries are repeated or out of order`;
    case 'prevHashMismatch':
      return `${at}: its prevHash is not the entry hash of seq ${failure.seq - 1}: an entry before it was removed, replaced or moved`;
    case 'entryHashMismatch':
      return `${at}: the event document, its hash ID or the entry row changed after it was appended (entry hash ${failure.actual}, stored ${failure.expected})`;
    case 'checkpointInvalid':
      return `${at}: the checkpoint starting here is not genuine: ${describeCheckpointFailure(failure.failure)}`;
    case 'checkpointUnknownKey':
      return `${at}: checkpoint [${failure.fromSeq}, ${failure.toSeq}] is signed by key ${failure.keyId}, which is not trusted`;
    case 'checkpointOrgMismatch':
      return `${at}: checkpoint [${failure.fromSeq}, ${failure.toSeq}] belongs to organisation ${failure.orgId}`;
    case 'checkpointGap':
      return `${at}: the next checkpoint should start at ${failure.expectedFromSeq} but covers [${failure.fromSeq}, ${failure.toSeq}]: a checkpoint is missing, overlaps or is out of order`;
    case 'checkpointChainBroken':
      return `${at}: checkpoint [${failure.fromSeq}, ${failure.toSeq}] does not chain to the previous checkpoint (${failure.actual})`;
    case 'merkleRootMismatch':
      return `${at}: the entries ${failure.fromSeq}..${failure.toSeq} do not match their signed checkpoint's Merkle root: the chain was rewritten`;
    case 'headHashMismatch':
      return `${at}: the entry hash at ${failure.toSeq} is not the signed checkpoint's headHash`;
    case 'checkpointBeyondChain':
      return `${at}: the chain ends at ${failure.seq - 1} but a signed checkpoint covers [${failure.fromSeq}, ${failure.toSeq}]: entries were cut off`;
    default:
      return unreachable(failure);
  }
}

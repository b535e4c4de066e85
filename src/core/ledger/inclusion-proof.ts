import { err, ok, type Result } from '../result.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import { entryHash, entryPartsProblem } from './entry-hash.ts';
import { isHashHex } from './hash-hex.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { merkleAuditPath, merkleRoot } from './merkle-tree.ts';

/**
 * Evidence that one event is entry `seq` of `orgId`'s chain, inside a signed checkpoint. Self-contained:
 * a third party checks it offline with scripts/verify-proof.mjs and, ideally, the organisation's public key.
 */
export interface InclusionProof {
  readonly v: 1;
  readonly orgId: string;
  readonly seq: number;
  readonly eventHashId: string;
  /** contentHash of the event document; recomputed from the document when the verifier has it. */
  readonly contentHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
  /** seq - checkpoint.body.fromSeq. */
  readonly leafIndex: number;
  /** toSeq - fromSeq + 1. */
  readonly treeSize: number;
  /** RFC 6962 audit path, hex, leaf to root. */
  readonly auditPath: readonly string[];
  readonly checkpoint: SignedCheckpoint;
}

/**
 * The inclusion proof of `entry` under `checkpoint`, given the entry hashes of the whole block
 * (seqs fromSeq..toSeq, in order). Fails when the pieces do not fit together: the entry's hash,
 * org or seq, the block's length, the entry's place in it, or the block's Merkle root.
 */
export function buildInclusionProof(
  entry: LedgerEntry,
  blockEntryHashes: readonly string[],
  checkpoint: SignedCheckpoint,
): Result<InclusionProof, string> {
  const { body } = checkpoint;
  const problem = entryPartsProblem(entry);
  if (problem !== undefined) return err(`the entry is malformed: ${problem}`);
  if (entryHash(entry) !== entry.entryHash) return err(`entry ${entry.seq}: entryHash is not the hash of its parts`);
  if (entry.orgId !== body.orgId) return err(`the entry belongs to ${entry.orgId}, the checkpoint to ${body.orgId}`);
  if (entry.seq < body.fromSeq || entry.seq > body.toSeq) return err(`seq ${entry.seq} is outside the checkpoint [${body.fromSeq}, ${body.toSeq}]`);
  const treeSize = body.toSeq - body.fromSeq + 1;
  if (blockEntryHashes.length !== treeSize) return err(`the block has ${blockEntryHashes.length} entry hashes, the checkpoint covers ${treeSize}`);
  if (!blockEntryHashes.every(isHashHex)) return err('every entry hash of the block must be 64 lowercase hex digits');
  const leafIndex = entry.seq - body.fromSeq;
  if (blockEntryHashes[leafIndex] !== entry.entryHash) return err(`the block's entry hash at seq ${entry.seq} is not the entry's`);
  if (merkleRoot(blockEntryHashes) !== body.merkleRoot) return err(`the block's Merkle root is not the checkpoint's`);
  return ok({
    v: 1,
    orgId: entry.orgId,
    seq: entry.seq,
    eventHashId: entry.eventHashId,
    contentHash: entry.contentHash,
    prevHash: entry.prevHash,
    entryHash: entry.entryHash,
    leafIndex,
    treeSize,
    auditPath: merkleAuditPath(blockEntryHashes, leafIndex),
    checkpoint,
  });
}

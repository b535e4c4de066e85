import { err, ok, type Result } from '../result.ts';
import { canonicalJson } from './canonical-json.ts';
import { isHashHex, sha256Hex } from './hash-hex.ts';
import { isLineText, isPositiveInteger } from './json-shape.ts';
import type { LedgerSigner } from './ledger-signer.ts';
import { merkleRoot } from './merkle-tree.ts';

/** The store cuts a checkpoint after this many entries (and on demand); blocks may be shorter. */
export const CHECKPOINT_BLOCK_SIZE = 1024;

/** What a checkpoint signs: a block [fromSeq, toSeq] of one organisation's chain. Hashed and signed as canonicalJson(body). */
export interface CheckpointBody {
  readonly v: 1;
  readonly orgId: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  /** RFC 6962 Merkle tree hash (hex) of the entry hashes fromSeq..toSeq. */
  readonly merkleRoot: string;
  /** The entry hash at toSeq. */
  readonly headHash: string;
  /** The previous checkpoint's checkpointHash, or 64 zeros for the organisation's first. */
  readonly prevCheckpointHash: string;
  /** When it was cut, as Date.prototype.toISOString prints it (UTC, milliseconds). */
  readonly createdAt: string;
}

/** A checkpoint as stored and as embedded in inclusion proofs. */
export interface SignedCheckpoint {
  readonly body: CheckpointBody;
  /** Hex SHA-256 of canonicalJson(body). */
  readonly checkpointHash: string;
  /** Base64 Ed25519 signature over the UTF-8 bytes of canonicalJson(body). */
  readonly signature: string;
  readonly keyId: string;
  /** SPKI PEM of the signing key, for convenience: a verifier should trust its own copy of the key. */
  readonly publicKeyPem: string;
}

/** What the store knows when it cuts a checkpoint. */
export interface CheckpointInput {
  readonly orgId: string;
  readonly fromSeq: number;
  /** The entry hashes of seqs fromSeq, fromSeq + 1, …; the block ends at fromSeq + length - 1. */
  readonly entryHashes: readonly string[];
  /** checkpointHash of the organisation's previous checkpoint, or ZERO_HASH. */
  readonly prevCheckpointHash: string;
  /** From the clock port. */
  readonly createdAt: Date;
}

/** Hex SHA-256 of canonicalJson(body). */
export function checkpointHash(body: CheckpointBody): string {
  return sha256Hex(canonicalJson(body));
}

/** The bytes a checkpoint signature covers: UTF-8 of canonicalJson(body). */
export function checkpointSigningBytes(body: CheckpointBody): Uint8Array {
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** Cut and sign the checkpoint of a block; fails on an empty block or malformed input. */
export function createCheckpoint(input: CheckpointInput, signer: LedgerSigner): Result<SignedCheckpoint, string> {
  const { orgId, fromSeq, entryHashes, prevCheckpointHash, createdAt } = input;
  if (!isLineText(orgId)) return err('orgId must be a non-empty string without line feeds');
  if (!isPositiveInteger(fromSeq)) return err('fromSeq must be a positive integer');
  if (entryHashes.length === 0) return err('a checkpoint covers at least one entry');
  if (!entryHashes.every(isHashHex)) return err('every entry hash must be 64 lowercase hex digits');
  if (!isHashHex(prevCheckpointHash)) return err('prevCheckpointHash must be 64 lowercase hex digits');
  if (Number.isNaN(createdAt.getTime())) return err('createdAt is an invalid Date');
  const body: CheckpointBody = {
    v: 1,
    orgId,
    fromSeq,
    toSeq: fromSeq + entryHashes.length - 1,
    merkleRoot: merkleRoot(entryHashes),
    headHash: entryHashes[entryHashes.length - 1] as string,
    prevCheckpointHash,
    createdAt: createdAt.toISOString(),
  };
  return ok({
    body,
    checkpointHash: checkpointHash(body),
    signature: Buffer.from(signer.sign(checkpointSigningBytes(body))).toString('base64'),
    keyId: signer.keyId,
    publicKeyPem: signer.publicKeyPem,
  });
}

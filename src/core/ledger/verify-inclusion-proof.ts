import { err, ok, type Result } from '../result.ts';
import { contentHash } from './content-hash.ts';
import { entryHash } from './entry-hash.ts';
import { isHashHex } from './hash-hex.ts';
import type { InclusionProof } from './inclusion-proof.ts';
import { isLineText, isPositiveInteger, shapeProblem, type MemberRule } from './json-shape.ts';
import { merkleRootFromAuditPath } from './merkle-tree.ts';
import { unreachable } from './unreachable.ts';
import { describeCheckpointFailure, verifyCheckpoint, type CheckpointFailure, type SignatureKeySource } from './verify-checkpoint.ts';

/**
 * Why an inclusion proof does not hold, checked from the event up to the signature; the first failing check wins.
 * `expected` is what the proof (or its checkpoint) states, `actual` what the verifier recomputed.
 */
export type ProofFailure =
  | CheckpointFailure
  | { readonly kind: 'orgMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'contentHashMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'entryHashMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'seqOutsideCheckpoint'; readonly seq: number; readonly fromSeq: number; readonly toSeq: number }
  | { readonly kind: 'leafIndexMismatch'; readonly expected: number; readonly actual: number }
  | { readonly kind: 'treeSizeMismatch'; readonly expected: number; readonly actual: number }
  | { readonly kind: 'auditPathInvalid'; readonly reason: string }
  | { readonly kind: 'merkleRootMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'headHashMismatch'; readonly expected: string; readonly actual: string };

/** What a valid proof establishes. */
export interface VerifiedInclusion {
  readonly orgId: string;
  readonly seq: number;
  readonly eventHashId: string;
  readonly checkpointHash: string;
  readonly keyId: string;
  /** 'embeddedKey' means only that the proof is consistent; who signed it needs a trusted key. */
  readonly signatureCheckedWith: SignatureKeySource;
  /** Whether an event document was given and matched contentHash. */
  readonly eventChecked: boolean;
}

const proofRules: Readonly<Record<string, MemberRule>> = {
  v: [(v) => v === 1, 'the version 1 (the only one this verifier knows)'],
  orgId: [isLineText, 'a non-empty string without line feeds'],
  seq: [isPositiveInteger, 'a positive integer'],
  eventHashId: [isLineText, 'a non-empty string without line feeds'],
  contentHash: [isHashHex, '64 lowercase hex digits'],
  prevHash: [isHashHex, '64 lowercase hex digits'],
  entryHash: [isHashHex, '64 lowercase hex digits'],
  leafIndex: [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer'],
  treeSize: [isPositiveInteger, 'a positive integer'],
  auditPath: [(v) => Array.isArray(v) && v.length <= 64 && v.every(isHashHex), 'an array of at most 64 hashes of 64 lowercase hex digits'],
  checkpoint: [() => true, 'an object'],
};

/**
 * Verify an inclusion proof (parsed JSON; the shape is checked): recompute the event's contentHash when
 * `doc` is given, the entry hash from its parts, the Merkle root from the audit path (RFC 9162 §2.1.3.2),
 * compare them with the checkpoint body, then check checkpointHash and the Ed25519 signature, with
 * `trustedPublicKeyPem` when given, else with the key inside the proof (consistency only).
 */
export function verifyInclusionProof(proof: unknown, doc?: unknown, trustedPublicKeyPem?: string): Result<VerifiedInclusion, ProofFailure> {
  const problem = shapeProblem(proof, proofRules, 'proof');
  if (problem !== undefined) return err({ kind: 'malformed', ...problem });
  const p = proof as InclusionProof;
  const checked = verifyCheckpoint(p.checkpoint, trustedPublicKeyPem, 'proof.checkpoint');
  // Report the checkpoint's shape first (its fields are needed below); its hash and signature last.
  if (!checked.ok && checked.error.kind === 'malformed') return checked;
  const { body } = p.checkpoint;
  if (p.orgId !== body.orgId) return err({ kind: 'orgMismatch', expected: body.orgId, actual: p.orgId });
  if (doc !== undefined) {
    const actual = safeContentHash(doc);
    if (actual === undefined) return err({ kind: 'malformed', field: 'event', reason: 'has no JSON form' });
    if (actual !== p.contentHash) return err({ kind: 'contentHashMismatch', expected: p.contentHash, actual });
  }
  const actualEntryHash = entryHash(p);
  if (actualEntryHash !== p.entryHash) return err({ kind: 'entryHashMismatch', expected: p.entryHash, actual: actualEntryHash });
  if (p.seq < body.fromSeq || p.seq > body.toSeq) return err({ kind: 'seqOutsideCheckpoint', seq: p.seq, fromSeq: body.fromSeq, toSeq: body.toSeq });
  if (p.leafIndex !== p.seq - body.fromSeq) return err({ kind: 'leafIndexMismatch', expected: p.seq - body.fromSeq, actual: p.leafIndex });
  if (p.treeSize !== body.toSeq - body.fromSeq + 1) return err({ kind: 'treeSizeMismatch', expected: body.toSeq - body.fromSeq + 1, actual: p.treeSize });
  const root = merkleRootFromAuditPath(p.entryHash, p.leafIndex, p.treeSize, p.auditPath);
  if (!root.ok) return err({ kind: 'auditPathInvalid', reason: root.error });
  if (root.value !== body.merkleRoot) return err({ kind: 'merkleRootMismatch', expected: body.merkleRoot, actual: root.value });
  if (p.seq === body.toSeq && p.entryHash !== body.headHash) return err({ kind: 'headHashMismatch', expected: body.headHash, actual: p.entryHash });
  if (!checked.ok) return checked;
  return ok({
    orgId: p.orgId,
    seq: p.seq,
    eventHashId: p.eventHashId,
    checkpointHash: p.checkpoint.checkpointHash,
    keyId: p.checkpoint.keyId,
    signatureCheckedWith: checked.value.checkedWith,
    eventChecked: doc !== undefined,
  });
}

/** A sentence for a proof failure, as the verify command and scripts/verify-proof.mjs print it. */
export function describeProofFailure(failure: ProofFailure): string {
  switch (failure.kind) {
    case 'malformed':
    case 'checkpointHashMismatch':
    case 'keyIdMismatch':
    case 'signatureInvalid':
      return describeCheckpointFailure(failure);
    case 'orgMismatch':
      return `the proof is for organisation ${failure.actual} but its checkpoint is ${failure.expected}'s`;
    case 'contentHashMismatch':
      return `the event document hashes to ${failure.actual}, the proof says ${failure.expected}: the event was altered`;
    case 'entryHashMismatch':
      return `the entry's parts hash to ${failure.actual}, the proof says ${failure.expected}`;
    case 'seqOutsideCheckpoint':
      return `seq ${failure.seq} is outside the checkpoint's block [${failure.fromSeq}, ${failure.toSeq}]`;
    case 'leafIndexMismatch':
      return `leafIndex is ${failure.actual}, but seq and the checkpoint put the entry at ${failure.expected}`;
    case 'treeSizeMismatch':
      return `treeSize is ${failure.actual}, but the checkpoint covers ${failure.expected} entries`;
    case 'auditPathInvalid':
      return `the audit path does not fit the tree: ${failure.reason}`;
    case 'merkleRootMismatch':
      return `the audit path leads to root ${failure.actual}, the checkpoint's is ${failure.expected}`;
    case 'headHashMismatch':
      return `the entry is the checkpoint's last, but its hash is not the checkpoint's headHash ${failure.expected}`;
    default:
      return unreachable(failure);
  }
}

function safeContentHash(doc: unknown): string | undefined {
  try {
    return contentHash(doc);
  } catch {
    return undefined;
  }
}

/** Tamper-evident event ledger: hash chain per organisation, signed Merkle checkpoints, inclusion proofs. See docs/ledger.md. */
export { canonicalJson } from './canonical-json.ts';
export { contentHash } from './content-hash.ts';
export { isHashHex, sha256Hex, ZERO_HASH } from './hash-hex.ts';
export { ENTRY_HASH_TAG, entryHash, entryPartsProblem, GENESIS_PREV_HASH, type EntryHashParts } from './entry-hash.ts';
export { appendEntry, GENESIS_HEAD, type LedgerEntry, type LedgerHead } from './ledger-entry.ts';
export { merkleAuditPath, merkleLeafHash, merkleNodeHash, merkleRoot, merkleRootFromAuditPath } from './merkle-tree.ts';
export type { LedgerSigner } from './ledger-signer.ts';
export { canonicalPublicKeyPem, createEd25519Signer, ed25519KeyId, generateEd25519KeyPair, verifyEd25519 } from './ed25519.ts';
export {
  CHECKPOINT_BLOCK_SIZE,
  checkpointHash,
  checkpointSigningBytes,
  createCheckpoint,
  type CheckpointBody,
  type CheckpointInput,
  type SignedCheckpoint,
} from './checkpoint.ts';
export {
  describeCheckpointFailure,
  parseSignedCheckpoint,
  verifyCheckpoint,
  type CheckpointFailure,
  type SignatureKeySource,
  type VerifiedCheckpoint,
} from './verify-checkpoint.ts';
export { buildInclusionProof, type InclusionProof } from './inclusion-proof.ts';
export { describeProofFailure, verifyInclusionProof, type ProofFailure, type VerifiedInclusion } from './verify-inclusion-proof.ts';
export {
  chainStartAfter,
  createChainVerifier,
  describeChainFailure,
  GENESIS_START,
  verifyChain,
  type ChainEntry,
  type ChainFailure,
  type ChainProgress,
  type ChainReport,
  type ChainStart,
  type ChainVerifier,
  type ChainVerifierOptions,
} from './chain-verifier.ts';

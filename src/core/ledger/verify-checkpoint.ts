import { err, ok, type Result } from '../result.ts';
import { checkpointHash, checkpointSigningBytes, type SignedCheckpoint } from './checkpoint.ts';
import { canonicalPublicKeyPem, ed25519KeyId, verifyEd25519 } from './ed25519.ts';
import { isHashHex } from './hash-hex.ts';
import { isLineText, isPositiveInteger, shapeProblem, type MemberRule, type ShapeProblem } from './json-shape.ts';
import { unreachable } from './unreachable.ts';

/** Why a signed checkpoint is not genuine. `expected` is what the checkpoint states, `actual` what was recomputed. */
export type CheckpointFailure =
  | ({ readonly kind: 'malformed' } & ShapeProblem)
  | { readonly kind: 'checkpointHashMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'keyIdMismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'signatureInvalid'; readonly checkedWith: SignatureKeySource };

/** Which public key a signature was checked with: one the verifier trusts, or the one inside the checkpoint (self-consistency only). */
export type SignatureKeySource = 'trustedKey' | 'embeddedKey';

/** A checkpoint that passed verifyCheckpoint, and which key vouched for it. */
export interface VerifiedCheckpoint {
  readonly checkpoint: SignedCheckpoint;
  readonly checkedWith: SignatureKeySource;
}

const isoUtcMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const keyIdPattern = /^[0-9a-f]{16}$/;

const bodyRules: Readonly<Record<string, MemberRule>> = {
  v: [(v) => v === 1, 'the version 1 (the only one this verifier knows)'],
  orgId: [isLineText, 'a non-empty string without line feeds'],
  fromSeq: [isPositiveInteger, 'a positive integer'],
  toSeq: [isPositiveInteger, 'a positive integer'],
  merkleRoot: [isHashHex, '64 lowercase hex digits'],
  headHash: [isHashHex, '64 lowercase hex digits'],
  prevCheckpointHash: [isHashHex, '64 lowercase hex digits'],
  createdAt: [(v) => typeof v === 'string' && isoUtcMillis.test(v) && !Number.isNaN(Date.parse(v)), 'an ISO 8601 UTC time as toISOString prints it'],
};

const signedRules: Readonly<Record<string, MemberRule>> = {
  body: [() => true, 'an object'],
  checkpointHash: [isHashHex, '64 lowercase hex digits'],
  signature: [isCanonicalSignature, 'the standard base64 of 64 bytes'],
  keyId: [(v) => typeof v === 'string' && keyIdPattern.test(v), '16 lowercase hex digits'],
  publicKeyPem: [(v) => typeof v === 'string', 'a string'],
};

/** Check that `value` has the shape of a SignedCheckpoint (at `path`, for messages), without checking hashes or signature. */
export function parseSignedCheckpoint(value: unknown, path = 'checkpoint'): Result<SignedCheckpoint, CheckpointFailure> {
  const problem = shapeProblem(value, signedRules, path) ?? shapeProblem((value as { body: unknown }).body, bodyRules, `${path}.body`);
  if (problem !== undefined) return err({ kind: 'malformed', ...problem });
  const checkpoint = value as SignedCheckpoint;
  if (checkpoint.body.toSeq < checkpoint.body.fromSeq) return err({ kind: 'malformed', field: `${path}.body.toSeq`, reason: 'must not be below fromSeq' });
  return ok(checkpoint);
}

/**
 * Verify a checkpoint on its own: shape, checkpointHash = SHA-256(canonicalJson(body)), keyId and PEM of the
 * embedded key, and the Ed25519 signature, checked with `trustedPublicKeyPem` when given and otherwise with the
 * embedded key (which proves only that the checkpoint is self-consistent, not who signed it).
 * Whether its block's entries match is for the chain verifier or an inclusion proof.
 */
export function verifyCheckpoint(value: unknown, trustedPublicKeyPem?: string, path = 'checkpoint'): Result<VerifiedCheckpoint, CheckpointFailure> {
  const parsed = parseSignedCheckpoint(value, path);
  if (!parsed.ok) return parsed;
  const checkpoint = parsed.value;
  const actualHash = checkpointHash(checkpoint.body);
  if (actualHash !== checkpoint.checkpointHash) return err({ kind: 'checkpointHashMismatch', expected: checkpoint.checkpointHash, actual: actualHash });
  const pem = canonicalPublicKeyPem(checkpoint.publicKeyPem);
  if (!pem.ok || pem.value !== checkpoint.publicKeyPem) {
    return err({ kind: 'malformed', field: `${path}.publicKeyPem`, reason: 'must be an Ed25519 public key in SPKI PEM, written as canonicalPublicKeyPem does' });
  }
  const actualKeyId = ed25519KeyId(checkpoint.publicKeyPem);
  if (actualKeyId !== checkpoint.keyId) return err({ kind: 'keyIdMismatch', expected: checkpoint.keyId, actual: actualKeyId });
  if (trustedPublicKeyPem !== undefined && !canonicalPublicKeyPem(trustedPublicKeyPem).ok) {
    return err({ kind: 'malformed', field: 'trustedPublicKeyPem', reason: 'must be an Ed25519 public key in PEM' });
  }
  const checkedWith: SignatureKeySource = trustedPublicKeyPem === undefined ? 'embeddedKey' : 'trustedKey';
  const signature = Buffer.from(checkpoint.signature, 'base64');
  if (!verifyEd25519(checkpointSigningBytes(checkpoint.body), signature, trustedPublicKeyPem ?? checkpoint.publicKeyPem)) {
    return err({ kind: 'signatureInvalid', checkedWith });
  }
  return ok({ checkpoint, checkedWith });
}

/** A sentence for a checkpoint failure, for logs and the verify command. */
export function describeCheckpointFailure(failure: CheckpointFailure): string {
  switch (failure.kind) {
    case 'malformed':
      return `${failure.field} ${failure.reason}`;
    case 'checkpointHashMismatch':
      return `checkpointHash ${failure.expected} is not the hash of the checkpoint body (${failure.actual}): the body or the hash was altered`;
    case 'keyIdMismatch':
      return `keyId ${failure.expected} does not name the embedded public key (whose id is ${failure.actual})`;
    case 'signatureInvalid':
      return failure.checkedWith === 'trustedKey'
        ? 'the checkpoint signature is not valid under the trusted public key: altered, or signed with another key'
        : 'the checkpoint signature is not valid under the public key it carries: the checkpoint was altered';
    default:
      return unreachable(failure);
  }
}

function isCanonicalSignature(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 64 && bytes.toString('base64') === value;
}

import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { checkpointHash, createCheckpoint, type SignedCheckpoint } from './checkpoint.ts';
import { createEd25519Signer, generateEd25519KeyPair, verifyEd25519 } from './ed25519.ts';
import { buildInclusionProof, type InclusionProof } from './inclusion-proof.ts';
import { fixtureLedger, singleBitFlips } from './ledger-fixture.ts';
import { describeProofFailure, verifyInclusionProof, type ProofFailure } from './verify-inclusion-proof.ts';

const keys = generateEd25519KeyPair();
const signer = createEd25519Signer(keys.privateKeyPem);
const otherKeys = generateEd25519KeyPair();
const ledger = fixtureLedger('org-1', 12, [5, 7], signer);
const [first, second] = ledger.checkpoints as [SignedCheckpoint, SignedCheckpoint];

function proofFor(seq: number): InclusionProof {
  const checkpoint = seq <= 5 ? first : second;
  const block = ledger.entries.slice(checkpoint.body.fromSeq - 1, checkpoint.body.toSeq).map((e) => e.entryHash);
  const built = buildInclusionProof(ledger.entries[seq - 1]!, block, checkpoint);
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

function failureOf(proof: unknown, doc?: unknown, trusted?: string): ProofFailure {
  const result = verifyInclusionProof(proof, doc, trusted);
  if (result.ok) throw new Error('expected the proof to be rejected');
  return result.error;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe('checkpoints', () => {
  it('sign canonicalJson(body) with Ed25519 and hash it', () => {
    expect(first.body).toMatchObject({ v: 1, orgId: 'org-1', fromSeq: 1, toSeq: 5, headHash: ledger.entries[4]!.entryHash, prevCheckpointHash: '0'.repeat(64) });
    expect(second.body).toMatchObject({ fromSeq: 6, toSeq: 12, headHash: ledger.entries[11]!.entryHash, prevCheckpointHash: first.checkpointHash });
    expect(first.checkpointHash).toBe(checkpointHash(first.body));
    expect(verifyEd25519(Buffer.from(canonicalJson(first.body)), Buffer.from(first.signature, 'base64'), keys.publicKeyPem)).toBe(true);
    expect(first.publicKeyPem).toBe(keys.publicKeyPem);
  });

  it('refuse empty blocks and malformed input', () => {
    const input = { orgId: 'org-1', fromSeq: 1, entryHashes: [], prevCheckpointHash: '0'.repeat(64), createdAt: new Date() };
    expect(createCheckpoint(input, signer)).toEqual({ ok: false, error: 'a checkpoint covers at least one entry' });
    expect(createCheckpoint({ ...input, entryHashes: ['AB'] }, signer).ok).toBe(false);
    expect(createCheckpoint({ ...input, entryHashes: [first.body.headHash], createdAt: new Date(Number.NaN) }, signer).ok).toBe(false);
  });
});

describe('inclusion proofs', () => {
  it('verify for every entry, with and without the event and the trusted key', () => {
    for (let seq = 1; seq <= 12; seq++) {
      const proof = proofFor(seq);
      expect(proof).toMatchObject({ seq, leafIndex: seq <= 5 ? seq - 1 : seq - 6, treeSize: seq <= 5 ? 5 : 7 });
      const verified = verifyInclusionProof(JSON.parse(JSON.stringify(proof)), ledger.docs[seq - 1], keys.publicKeyPem);
      expect(verified).toEqual({
        ok: true,
        value: { orgId: 'org-1', seq, eventHashId: ledger.entries[seq - 1]!.eventHashId, checkpointHash: proof.checkpoint.checkpointHash, keyId: signer.keyId, signatureCheckedWith: 'trustedKey', eventChecked: true },
      });
      expect(verifyInclusionProof(proof)).toMatchObject({ ok: true, value: { signatureCheckedWith: 'embeddedKey', eventChecked: false } });
    }
  });

  it('are not built from pieces that do not fit', () => {
    const block = ledger.entries.slice(0, 5).map((e) => e.entryHash);
    expect(buildInclusionProof(ledger.entries[6]!, block, first).ok).toBe(false);
    expect(buildInclusionProof(ledger.entries[1]!, block.slice(0, 4), first).ok).toBe(false);
    expect(buildInclusionProof(ledger.entries[1]!, [...block].reverse(), first).ok).toBe(false);
    expect(buildInclusionProof(ledger.entries[1]!, block.map((h, i) => (i === 3 ? h.toUpperCase() : h)), first)).toEqual({ ok: false, error: 'every entry hash of the block must be 64 lowercase hex digits' });
    expect(buildInclusionProof({ ...ledger.entries[1]!, contentHash: ledger.entries[2]!.contentHash }, block, first).ok).toBe(false);
  });

  it('reject every single-bit change of the proof JSON, its checkpoint included', () => {
    for (const seq of [1, 3, 5, 6, 12]) {
      const text = JSON.stringify(proofFor(seq));
      let flips = 0;
      for (const flip of singleBitFlips(text)) {
        const changed = parseOrUndefined(flip.text);
        if (changed === undefined) continue; // no longer JSON: rejected before any check
        flips += 1;
        const result = verifyInclusionProof(changed, ledger.docs[seq - 1]);
        expect(result.ok, `seq ${seq}, byte ${flip.at} bit ${flip.bit}: ${flip.text.slice(Math.max(0, flip.at - 20), flip.at + 20)}`).toBe(false);
      }
      expect(flips).toBeGreaterThan(text.length); // most flips still parse: the checks above did run
    }
  });

  it('reject every single-bit change of the event document', () => {
    const proof = proofFor(7);
    const text = JSON.stringify(ledger.docs[6]);
    for (const flip of singleBitFlips(text)) {
      const changed = parseOrUndefined(flip.text);
      if (changed === undefined) continue;
      const result = verifyInclusionProof(proof, changed);
      expect(result.ok, `byte ${flip.at} bit ${flip.bit}`).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('contentHashMismatch');
    }
  });

  it('name what is wrong', () => {
    const proof = proofFor(7);
    const doc = ledger.docs[6];
    const other = proofFor(8);
    const hex = (c: string): string => c.repeat(64);
    expect(failureOf(proof, ledger.docs[7]).kind).toBe('contentHashMismatch');
    expect(failureOf({ ...proof, contentHash: other.contentHash }, doc).kind).toBe('contentHashMismatch');
    expect(failureOf({ ...proof, contentHash: other.contentHash }).kind).toBe('entryHashMismatch');
    expect(failureOf({ ...proof, eventHashId: other.eventHashId }, doc).kind).toBe('entryHashMismatch');
    expect(failureOf({ ...proof, prevHash: hex('a') }, doc).kind).toBe('entryHashMismatch');
    expect(failureOf({ ...proof, entryHash: other.entryHash }, doc).kind).toBe('entryHashMismatch');
    expect(failureOf({ ...proof, orgId: 'org-2' }, doc)).toEqual({ kind: 'orgMismatch', expected: 'org-1', actual: 'org-2' });
    expect(failureOf({ ...proof, leafIndex: 2 }, doc)).toEqual({ kind: 'leafIndexMismatch', expected: 1, actual: 2 });
    expect(failureOf({ ...proof, treeSize: 8 }, doc)).toEqual({ kind: 'treeSizeMismatch', expected: 7, actual: 8 });
    expect(failureOf({ ...proof, auditPath: proof.auditPath.slice(1) }, doc).kind).toBe('auditPathInvalid');
    expect(failureOf({ ...proof, auditPath: [...proof.auditPath].reverse() }, doc).kind).toBe('merkleRootMismatch');
    expect(failureOf({ ...proof, v: 2 }, doc)).toMatchObject({ kind: 'malformed', field: 'proof.v' });
    expect(failureOf({ ...proof, extra: true }, doc)).toMatchObject({ kind: 'malformed', field: 'proof.extra' });
    expect(failureOf({ ...proof, seq: 1 }, doc).kind).toBe('entryHashMismatch');
    const cp = proof.checkpoint;
    expect(failureOf({ ...proof, checkpoint: { ...cp, checkpointHash: hex('b') } }, doc).kind).toBe('checkpointHashMismatch');
    expect(failureOf({ ...proof, checkpoint: { ...cp, body: { ...cp.body, createdAt: '2030-01-01T00:00:00.000Z' } } }, doc).kind).toBe('checkpointHashMismatch');
    expect(failureOf({ ...proof, checkpoint: { ...cp, keyId: '0123456789abcdef' } }, doc).kind).toBe('keyIdMismatch');
    expect(failureOf({ ...proof, checkpoint: { ...cp, signature: first.signature } }, doc)).toEqual({ kind: 'signatureInvalid', checkedWith: 'embeddedKey' });
    expect(failureOf(proof, doc, otherKeys.publicKeyPem)).toEqual({ kind: 'signatureInvalid', checkedWith: 'trustedKey' });
    expect(failureOf(proof, doc, 'not a key')).toMatchObject({ kind: 'malformed', field: 'trustedPublicKeyPem' });
  });

  it('reject a proof re-signed with another key when the trusted key is given, and accept it otherwise', () => {
    // An attacker without the organisation's key can make a self-consistent proof for a forged event...
    const forger = createEd25519Signer(otherKeys.privateKeyPem);
    const forged = fixtureLedger('org-1', 12, [5, 7], forger);
    const block = forged.entries.slice(5, 12).map((e) => e.entryHash);
    const built = buildInclusionProof(forged.entries[6]!, block, forged.checkpoints[1]!);
    if (!built.ok) throw new Error(built.error);
    expect(verifyInclusionProof(built.value, forged.docs[6]).ok).toBe(true);
    // ...which the organisation's public key exposes.
    expect(failureOf(built.value, forged.docs[6], keys.publicKeyPem)).toEqual({ kind: 'signatureInvalid', checkedWith: 'trustedKey' });
  });

  it('describe each failure in a sentence', () => {
    expect(describeProofFailure({ kind: 'contentHashMismatch', expected: 'a', actual: 'b' })).toContain('the event was altered');
    expect(describeProofFailure({ kind: 'malformed', field: 'proof.seq', reason: 'must be a positive integer' })).toBe('proof.seq must be a positive integer');
  });
});

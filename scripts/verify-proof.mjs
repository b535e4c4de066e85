#!/usr/bin/env node
// Check a Lotline inclusion proof offline, with nothing but Node.js (18 or later):
//   node verify-proof.mjs proof.json [event.json] [trusted-public-key.pem]
// Prints "OK ..." and exits 0, or "FAIL: <reason>" and exits 1. The formats are in docs/ledger.md.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');
const bytes = (hex) => Buffer.from(hex, 'hex');
// Canonical JSON: JSON.stringify with the keys of every object sorted (UTF-16 code unit order).
const canon = (v) =>
  Array.isArray(v) ? `[${v.map(canon).join(',')}]`
  : v !== null && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
  : JSON.stringify(v);

// RFC 9162 §2.1.3.2: the Merkle root that the audit path gives for the leaf.
function rootFromPath(entryHash, index, size, path) {
  let fn = index, sn = size - 1, r = sha256(Buffer.from([0]), bytes(entryHash));
  for (const p of path) {
    if (sn === 0) return 'the audit path is too long';
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), bytes(p), bytes(r));
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else r = sha256(Buffer.from([1]), bytes(r), bytes(p));
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : 'the audit path is too short';
}

function check(p, event, trustedPem) {
  const cp = p.checkpoint, b = cp.body, hex = /^[0-9a-f]{64}$/;
  if (p.v !== 1 || b.v !== 1) return 'unknown proof or checkpoint version';
  if (p.orgId !== b.orgId) return 'the proof and its checkpoint are for different organisations';
  if (event !== undefined && sha256(canon(event)) !== p.contentHash) return "the event does not match the proof's contentHash: the event was altered";
  if (!Number.isSafeInteger(p.seq) || [p.orgId, p.eventHashId].some((s) => typeof s !== 'string' || s.includes('\n'))) return 'malformed seq, orgId or eventHashId';
  const entryHash = sha256(`lotline-ledger-v1\n${p.orgId}\n${p.seq}\n${p.eventHashId}\n${p.contentHash}\n${p.prevHash}`);
  if (entryHash !== p.entryHash) return 'entryHash is not the hash of the entry';
  if (p.seq < b.fromSeq || p.seq > b.toSeq) return 'seq is outside the checkpoint';
  if (p.leafIndex !== p.seq - b.fromSeq || p.treeSize !== b.toSeq - b.fromSeq + 1) return 'leafIndex or treeSize do not match the checkpoint';
  if (!p.auditPath.every((h) => hex.test(h))) return 'malformed audit path';
  const root = rootFromPath(entryHash, p.leafIndex, p.treeSize, p.auditPath);
  if (root !== b.merkleRoot) return hex.test(root) ? 'the audit path does not lead to the checkpoint merkleRoot' : root;
  if (p.seq === b.toSeq && entryHash !== b.headHash) return 'the last entry of the checkpoint is not its headHash';
  if (sha256(canon(b)) !== cp.checkpointHash) return 'checkpointHash is not the hash of the checkpoint body';
  const embedded = createPublicKey(cp.publicKeyPem);
  if (embedded.export({ type: 'spki', format: 'pem' }) !== cp.publicKeyPem) return 'publicKeyPem is not in canonical form';
  if (sha256(embedded.export({ type: 'spki', format: 'der' })).slice(0, 16) !== cp.keyId) return 'keyId does not name publicKeyPem';
  const signature = Buffer.from(cp.signature, 'base64');
  if (signature.toString('base64') !== cp.signature) return 'the signature is not canonical base64';
  if (!verify(null, Buffer.from(canon(b)), createPublicKey(trustedPem ?? cp.publicKeyPem), signature)) {
    return trustedPem ? 'the checkpoint is not signed by the trusted key' : 'the checkpoint signature is invalid';
  }
  return undefined;
}

// Command line (everything above is the check itself).
const [proofFile, ...others] = process.argv.slice(2);
if (!proofFile) {
  console.error('usage: node verify-proof.mjs proof.json [event.json] [trusted-public-key.pem]');
  process.exit(2);
}
const texts = others.map((f) => readFileSync(f, 'utf8'));
const trustedPem = texts.find((t) => t.trimStart().startsWith('-----BEGIN'));
const eventText = texts.find((t) => !t.trimStart().startsWith('-----BEGIN'));
let reason, proof;
try {
  proof = JSON.parse(readFileSync(proofFile, 'utf8'));
  reason = check(proof, eventText === undefined ? undefined : JSON.parse(eventText), trustedPem);
} catch (e) {
  reason = `malformed input: ${e.message}`;
}
if (reason) {
  console.log(`FAIL: ${reason}`);
  process.exit(1);
}
const b = proof.checkpoint.body;
console.log(`OK: event ${proof.eventHashId} is entry ${proof.seq} of ${proof.orgId}'s ledger, in checkpoint [${b.fromSeq}, ${b.toSeq}] of ${b.createdAt}`);
console.log(eventText === undefined ? '  (the event itself was not checked: pass event.json)' : '  the event document matches');
console.log(trustedPem ? '  signed by the trusted key' : `  signed by the key inside the proof (${proof.checkpoint.keyId}): pass the organisation's public key to know who signed`);

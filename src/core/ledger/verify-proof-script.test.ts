import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEd25519Signer, generateEd25519KeyPair } from './ed25519.ts';
import { buildInclusionProof, type InclusionProof } from './inclusion-proof.ts';
import { fixtureLedger, singleBitFlips } from './ledger-fixture.ts';
import { verifyInclusionProof } from './verify-inclusion-proof.ts';

// Spawns the standalone third-party script (scripts/verify-proof.mjs) on proofs built by the TypeScript core.
const script = fileURLToPath(new URL('../../../scripts/verify-proof.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lotline-proof-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = generateEd25519KeyPair();
const otherKeys = generateEd25519KeyPair();
const ledger = fixtureLedger('org-1', 12, [5, 7], createEd25519Signer(keys.privateKeyPem));

function proofFor(seq: number): InclusionProof {
  const checkpoint = ledger.checkpoints[seq <= 5 ? 0 : 1]!;
  const block = ledger.entries.slice(checkpoint.body.fromSeq - 1, checkpoint.body.toSeq).map((e) => e.entryHash);
  const built = buildInclusionProof(ledger.entries[seq - 1]!, block, checkpoint);
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

let files = 0;
function file(content: string): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  return path;
}

function run(proof: unknown, ...extra: string[]): { status: number | null; out: string } {
  const proofFile = file(typeof proof === 'string' ? proof : JSON.stringify(proof, null, 2));
  const result = spawnSync(process.execPath, [script, proofFile, ...extra], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout + result.stderr };
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Flip the lowest bit of the last base64 digit before the padding: a padding bit, so the decoded bytes stay the same. */
function flipPaddingBit(text: string, paddedEnd: string): string {
  const at = text.lastIndexOf(paddedEnd) - 1;
  return text.slice(0, at) + base64[base64.indexOf(text[at]!) ^ 1] + text.slice(at + 1);
}
const otherHex = (h: string): string => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');

describe('scripts/verify-proof.mjs', () => {
  const proof = proofFor(7);
  const event = file(JSON.stringify(ledger.docs[6], null, 2));
  const trusted = file(keys.publicKeyPem);

  it('accepts a valid proof, alone, with its event, and with the trusted key in either order', () => {
    const alone = run(proof);
    expect(alone).toMatchObject({ status: 0 });
    expect(alone.out).toContain("OK: event ni:///sha-256;0000000000000000000000000000000000000000000000000000000000000007?ver=CBV2.0 is entry 7 of org-1's ledger, in checkpoint [6, 12]");
    expect(alone.out).toContain('the event itself was not checked');
    const full = run(proof, event, trusted);
    expect(full.status).toBe(0);
    expect(full.out).toContain('the event document matches');
    expect(full.out).toContain('signed by the trusted key');
    expect(run(proof, trusted, event).status).toBe(0);
    expect(run(proof, trusted).status).toBe(0);
    for (const seq of [1, 5, 6, 12]) expect(run(proofFor(seq), file(JSON.stringify(ledger.docs[seq - 1]))).status, `seq ${seq}`).toBe(0);
  });

  it('rejects another event and another key', () => {
    expect(run(proof, file(JSON.stringify(ledger.docs[7])))).toEqual({ status: 1, out: "FAIL: the event does not match the proof's contentHash: the event was altered\n" });
    expect(run(proof, event, file(otherKeys.publicKeyPem))).toEqual({ status: 1, out: 'FAIL: the checkpoint is not signed by the trusted key\n' });
    expect(run('{"v":1,')).toMatchObject({ status: 1, out: expect.stringMatching(/^FAIL: malformed input/) });
  });

  const cp = proof.checkpoint;
  const body = cp.body;
  const tampered: [string, unknown][] = [
    ['v', { ...proof, v: 2 }],
    ['orgId', { ...proof, orgId: 'org-0' }],
    ['seq', { ...proof, seq: 8 }],
    ['eventHashId', { ...proof, eventHashId: proof.eventHashId.replace('07?', '08?') }],
    ['contentHash', { ...proof, contentHash: otherHex(proof.contentHash) }],
    ['prevHash', { ...proof, prevHash: otherHex(proof.prevHash) }],
    ['entryHash', { ...proof, entryHash: otherHex(proof.entryHash) }],
    ['leafIndex', { ...proof, leafIndex: 2 }],
    ['treeSize', { ...proof, treeSize: 8 }],
    ['auditPath element', { ...proof, auditPath: proof.auditPath.map((h, i) => (i === 1 ? otherHex(h) : h)) }],
    ['auditPath element in capitals', { ...proof, auditPath: proof.auditPath.map((h, i) => (i === 1 ? h.toUpperCase() : h)) }],
    ['auditPath shorter', { ...proof, auditPath: proof.auditPath.slice(1) }],
    ['auditPath longer', { ...proof, auditPath: [...proof.auditPath, proof.contentHash] }],
    ['checkpoint.body.v', { ...proof, checkpoint: { ...cp, body: { ...body, v: 2 } } }],
    ['checkpoint.body.orgId', { ...proof, checkpoint: { ...cp, body: { ...body, orgId: 'org-0' } } }],
    ['checkpoint.body.fromSeq', { ...proof, checkpoint: { ...cp, body: { ...body, fromSeq: 5 } } }],
    ['checkpoint.body.toSeq', { ...proof, checkpoint: { ...cp, body: { ...body, toSeq: 13 } } }],
    ['checkpoint.body.merkleRoot', { ...proof, checkpoint: { ...cp, body: { ...body, merkleRoot: otherHex(body.merkleRoot) } } }],
    ['checkpoint.body.headHash', { ...proof, checkpoint: { ...cp, body: { ...body, headHash: otherHex(body.headHash) } } }],
    ['checkpoint.body.prevCheckpointHash', { ...proof, checkpoint: { ...cp, body: { ...body, prevCheckpointHash: otherHex(body.prevCheckpointHash) } } }],
    ['checkpoint.body.createdAt', { ...proof, checkpoint: { ...cp, body: { ...body, createdAt: body.createdAt.replace('09:00', '09:01') } } }],
    ['checkpoint.checkpointHash', { ...proof, checkpoint: { ...cp, checkpointHash: otherHex(cp.checkpointHash) } }],
    ['checkpoint.signature', { ...proof, checkpoint: { ...cp, signature: (cp.signature[0] === 'A' ? 'B' : 'A') + cp.signature.slice(1) } }],
    ['checkpoint.signature padding bit', { ...proof, checkpoint: { ...cp, signature: flipPaddingBit(cp.signature, '==') } }],
    ['checkpoint.keyId', { ...proof, checkpoint: { ...cp, keyId: otherHex(cp.keyId) } }],
    ['checkpoint.publicKeyPem', { ...proof, checkpoint: { ...cp, publicKeyPem: cp.publicKeyPem.replace('MCowBQYDK2VwAyEA', 'MCowBQYDK2VwAyEB') } }],
    ['checkpoint.publicKeyPem padding bit', { ...proof, checkpoint: { ...cp, publicKeyPem: flipPaddingBit(cp.publicKeyPem, '=\n') } }],
    ['checkpoint.publicKeyPem line end', { ...proof, checkpoint: { ...cp, publicKeyPem: cp.publicKeyPem.replace(/\n$/, '\r\n') } }],
  ];

  it("rejects every single-bit change of the proof and the event (the script's check function, loaded in-process)", async () => {
    // Thousands of spawns would be slow: load the script's text above its command-line part as a module instead.
    const source = readFileSync(script, 'utf8');
    const cut = source.indexOf('// Command line');
    expect(cut).toBeGreaterThan(0);
    const module = join(dir, 'check.mjs');
    writeFileSync(module, `${source.slice(0, cut)}\nexport { check };\n`);
    const { check } = (await import(pathToFileURL(module).href)) as { check: (p: unknown, e: unknown, k?: string) => string | undefined };
    const outcome = (proofText: string, doc: unknown): string | undefined => {
      try {
        return check(JSON.parse(proofText), doc);
      } catch (e) {
        return `threw ${String(e)}`;
      }
    };
    const text = JSON.stringify(proof);
    expect(outcome(text, ledger.docs[6])).toBeUndefined();
    for (const flip of singleBitFlips(text)) expect(outcome(flip.text, ledger.docs[6]), `byte ${flip.at} bit ${flip.bit}`).toBeTypeOf('string');
    for (const flip of singleBitFlips(JSON.stringify(ledger.docs[6]))) {
      let doc: unknown;
      try {
        doc = JSON.parse(flip.text);
      } catch {
        continue;
      }
      expect(outcome(text, doc), `event byte ${flip.at} bit ${flip.bit}`).toBeTypeOf('string');
    }
  });

  it.each(tampered)('rejects a proof with %s changed, as the TypeScript verifier does', (_, changed) => {
    expect(changed).not.toEqual(proof);
    const result = run(changed, event);
    expect(result.status, result.out).toBe(1);
    expect(result.out).toMatch(/^FAIL: /);
    expect(verifyInclusionProof(changed, ledger.docs[6]).ok).toBe(false);
  });
});

describe('the ~20-line snippet in docs/ledger.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/ledger.md', import.meta.url)), 'utf8');
  const snippet = /<!-- snippet:verify-proof -->\n```js\n([\s\S]*?)```/.exec(doc)?.[1];
  const snippetFile = join(dir, 'snippet.mjs');
  writeFileSync(snippetFile, snippet ?? '');
  const proof = proofFor(7);
  const event = file(JSON.stringify(ledger.docs[6]));
  const runSnippet = (p: unknown, ...extra: string[]) => spawnSync(process.execPath, [snippetFile, file(JSON.stringify(p)), ...extra], { encoding: 'utf8' });

  it('is short, and accepts valid proofs', () => {
    expect(snippet).toBeDefined();
    expect((snippet ?? '').trim().split('\n').length).toBeLessThanOrEqual(25);
    expect(runSnippet(proof, event, file(keys.publicKeyPem))).toMatchObject({ status: 0, stdout: 'OK\n' });
    expect(runSnippet(proof)).toMatchObject({ status: 0, stdout: 'OK\n' });
    expect(runSnippet(proofFor(12), '', file(keys.publicKeyPem))).toMatchObject({ status: 0, stdout: 'OK\n' });
  });

  it('rejects a changed event, a signed field changed, and another key', () => {
    expect(runSnippet(proof, file(JSON.stringify(ledger.docs[7])))).toMatchObject({ status: 1, stdout: 'FAIL\n' });
    expect(runSnippet({ ...proof, seq: 8 }, event)).toMatchObject({ status: 1 });
    expect(runSnippet({ ...proof, auditPath: proof.auditPath.slice(1) }, event)).toMatchObject({ status: 1 });
    expect(runSnippet({ ...proof, checkpoint: { ...proof.checkpoint, body: { ...proof.checkpoint.body, toSeq: 13 } } }, event)).toMatchObject({ status: 1 });
    expect(runSnippet(proof, event, file(otherKeys.publicKeyPem))).toMatchObject({ status: 1 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainStartAfter, createChainVerifier, describeChainFailure, verifyChain, type ChainEntry, type ChainFailure } from './chain-verifier.ts';
import { checkpointHash, checkpointSigningBytes, type SignedCheckpoint } from './checkpoint.ts';
import { createEd25519Signer, generateEd25519KeyPair } from './ed25519.ts';
import { entryHash } from './entry-hash.ts';
import { chainRows, fixtureEvent, fixtureLedger } from './ledger-fixture.ts';

const keys = generateEd25519KeyPair();
const signer = createEd25519Signer(keys.privateKeyPem);
const trustedKeys = new Map([[signer.keyId, keys.publicKeyPem]]);
const other = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);

// 40 entries; checkpoints [1,16], [17,24], [25,33]; 34..40 not yet checkpointed.
const ledger = fixtureLedger('org-1', 40, [16, 8, 9], signer);
const rows = chainRows(ledger.entries, ledger.docs);
const cps = ledger.checkpoints;

function failureOf(entries: readonly ChainEntry[], checkpoints: readonly unknown[] = cps, options: { trusted?: ReadonlyMap<string, string> } = {}): ChainFailure {
  const result = verifyChain('org-1', entries, { checkpoints, trustedKeys: options.trusted ?? trustedKeys });
  if (result.ok) throw new Error('expected the chain to be rejected');
  return result.error;
}

/** The rows after replacing the document at `seq` (stored hashes untouched, as an UPDATE would leave them). */
function withChangedDoc(seq: number): ChainEntry[] {
  const docs = [...ledger.docs];
  docs[seq - 1] = { ...ledger.docs[seq - 1], disposition: 'destroyed' };
  return chainRows(ledger.entries, docs);
}

/** The rows after an attacker changes the document at `seq` and recomputes every stored hash from there on. */
function withRewrittenChain(seq: number): ChainEntry[] {
  const out = rows.slice(0, seq - 1);
  let prevHash = seq === 1 ? '0'.repeat(64) : (rows[seq - 2] as ChainEntry).storedEntryHash;
  for (const row of rows.slice(seq - 1)) {
    const contentHash = row.seq === seq ? chainRows([ledger.entries[seq - 1]!], [{ ...ledger.docs[seq - 1], disposition: 'destroyed' }])[0]!.contentHash : row.contentHash;
    const hash = entryHash({ orgId: 'org-1', seq: row.seq, eventHashId: row.eventHashId, contentHash, prevHash });
    out.push({ ...row, contentHash, storedPrevHash: prevHash, storedEntryHash: hash });
    prevHash = hash;
  }
  return out;
}

/** A checkpoint with a body changed and re-signed by `by`: genuine signature, wrong content. */
function resigned(checkpoint: SignedCheckpoint, change: Partial<SignedCheckpoint['body']>, by = signer): SignedCheckpoint {
  const body = { ...checkpoint.body, ...change };
  return { body, checkpointHash: checkpointHash(body), signature: Buffer.from(by.sign(checkpointSigningBytes(body))).toString('base64'), keyId: by.keyId, publicKeyPem: by.publicKeyPem };
}

describe('verifyChain on an untouched ledger', () => {
  it('accepts it and reports how far signatures cover it', () => {
    const result = verifyChain('org-1', rows, { checkpoints: cps, trustedKeys });
    expect(result).toEqual({
      ok: true,
      value: { orgId: 'org-1', lastSeq: 40, headHash: ledger.entries[39]!.entryHash, entriesVerified: 40, checkpointsVerified: 3, lastCheckpoint: cps[2], uncheckpointedEntries: 7 },
    });
  });

  it('gives the same answer however the entries are split into batches (property)', () => {
    const tampers = [rows, withChangedDoc(20), rows.slice(0, 30), withRewrittenChain(5)];
    const expected = tampers.map((t) => verifyChain('org-1', t, { checkpoints: cps, trustedKeys }));
    fc.assert(
      fc.property(fc.nat(tampers.length - 1), fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 40 }), (which, sizes) => {
        const input = tampers[which]!;
        const verifier = createChainVerifier('org-1', { checkpoints: cps, trustedKeys });
        let at = 0;
        for (const size of [...sizes, input.length]) {
          const fed = verifier.feed(input.slice(at, at + size));
          at += size;
          if (!fed.ok) break;
        }
        expect(verifier.finish()).toEqual(expected[which]);
      }),
      { numRuns: 200 },
    );
  });

  it('resumes after a verified checkpoint', () => {
    const result = verifyChain('org-1', rows.slice(16), { start: chainStartAfter(cps[0]!), checkpoints: cps.slice(1), trustedKeys });
    expect(result).toMatchObject({ ok: true, value: { entriesVerified: 24, checkpointsVerified: 2, lastSeq: 40 } });
  });

  it('checks chain links only when given no checkpoints, and trusts embedded keys when given no trusted keys', () => {
    expect(verifyChain('org-1', rows)).toMatchObject({ ok: true, value: { checkpointsVerified: 0, uncheckpointedEntries: 40 } });
    expect(verifyChain('org-1', rows, { checkpoints: cps })).toMatchObject({ ok: true, value: { checkpointsVerified: 3 } });
  });

  it('verifies thousands of entries in pages with store-sized checkpoints', () => {
    const big = fixtureLedger('org-1', 3000, [1024, 1024, 500], signer);
    const bigRows = chainRows(big.entries, big.docs);
    const verifier = createChainVerifier('org-1', { checkpoints: big.checkpoints, trustedKeys });
    for (let at = 0; at < bigRows.length; at += 1000) expect(verifier.feed(bigRows.slice(at, at + 1000)).ok).toBe(true);
    expect(verifier.finish()).toMatchObject({ ok: true, value: { lastSeq: 3000, checkpointsVerified: 3, uncheckpointedEntries: 452 } });
  });
});

describe('verifyChain names the first bad entry', () => {
  it('for a changed event', () => {
    expect(failureOf(withChangedDoc(20))).toMatchObject({ kind: 'entryHashMismatch', seq: 20 });
    expect(failureOf(withChangedDoc(38))).toMatchObject({ kind: 'entryHashMismatch', seq: 38 });
    // A changed hash ID, the stored entry hash itself, or the other way round: all break the entry's hash.
    expect(failureOf(rows.map((r) => (r.seq === 9 ? { ...r, eventHashId: 'ni:///sha-256;forged' } : r)))).toMatchObject({ kind: 'entryHashMismatch', seq: 9 });
  });

  it('for a deleted event', () => {
    expect(failureOf(rows.filter((r) => r.seq !== 12))).toEqual({ kind: 'seqGap', seq: 13, expectedSeq: 12 });
    expect(failureOf(rows.slice(1))).toEqual({ kind: 'seqGap', seq: 2, expectedSeq: 1 });
    // Deleted and the later rows renumbered to hide the gap.
    const renumbered = rows.filter((r) => r.seq !== 12).map((r) => (r.seq > 12 ? { ...r, seq: r.seq - 1 } : r));
    expect(failureOf(renumbered)).toMatchObject({ kind: 'prevHashMismatch', seq: 12, expected: rows[11]!.storedEntryHash, actual: rows[10]!.storedEntryHash });
  });

  it('for reordered events', () => {
    const swapped = [...rows];
    [swapped[6], swapped[7]] = [swapped[7]!, swapped[6]!];
    expect(failureOf(swapped)).toEqual({ kind: 'seqGap', seq: 8, expectedSeq: 7 });
    expect(failureOf([...rows.slice(0, 8), rows[6]!, ...rows.slice(8)])).toEqual({ kind: 'seqOutOfOrder', seq: 7, expectedSeq: 9 });
    // Rows keep their seq but exchange their events.
    const exchanged = rows.map((r) => (r.seq === 7 ? { ...r, eventHashId: rows[7]!.eventHashId, contentHash: rows[7]!.contentHash } : r.seq === 8 ? { ...r, eventHashId: rows[6]!.eventHashId, contentHash: rows[6]!.contentHash } : r));
    expect(failureOf(exchanged)).toMatchObject({ kind: 'entryHashMismatch', seq: 7 });
  });

  it('for a prevHash pointing elsewhere', () => {
    expect(failureOf(rows.map((r) => (r.seq === 30 ? { ...r, storedPrevHash: rows[27]!.storedEntryHash } : r)))).toMatchObject({ kind: 'prevHashMismatch', seq: 30 });
  });

  it('for a chain rewritten consistently, through the signed checkpoint of its block', () => {
    expect(failureOf(withRewrittenChain(20))).toMatchObject({ kind: 'merkleRootMismatch', seq: 24, fromSeq: 17, toSeq: 24 });
    expect(failureOf(withRewrittenChain(16))).toMatchObject({ kind: 'merkleRootMismatch', seq: 16, fromSeq: 1, toSeq: 16 });
  });

  it('for a tail cut off inside a signed checkpoint', () => {
    expect(failureOf(rows.slice(0, 30))).toEqual({ kind: 'checkpointBeyondChain', seq: 31, fromSeq: 25, toSeq: 33 });
    expect(failureOf([])).toEqual({ kind: 'checkpointBeyondChain', seq: 1, fromSeq: 1, toSeq: 16 });
  });

  it('but not for changes after the last checkpoint that rewrite or cut the uncheckpointed tail (documented limit)', () => {
    expect(verifyChain('org-1', withRewrittenChain(35), { checkpoints: cps, trustedKeys }).ok).toBe(true);
    expect(verifyChain('org-1', rows.slice(0, 34), { checkpoints: cps, trustedKeys }).ok).toBe(true);
  });
});

describe('verifyChain checks the checkpoints', () => {
  it('signatures, and which key made them', () => {
    const forgedSignature = { ...cps[1]!, signature: cps[0]!.signature };
    expect(failureOf(rows, [cps[0], forgedSignature, cps[2]])).toEqual({ kind: 'checkpointInvalid', seq: 17, failure: { kind: 'signatureInvalid', checkedWith: 'trustedKey' } });
    const byOther = resigned(cps[0]!, {}, other);
    expect(failureOf(rows, [byOther, cps[1], cps[2]])).toEqual({ kind: 'checkpointUnknownKey', seq: 1, keyId: other.keyId, fromSeq: 1, toSeq: 16 });
    const wrongPem = new Map([[signer.keyId, other.publicKeyPem]]);
    expect(failureOf(rows, cps, { trusted: wrongPem })).toEqual({ kind: 'checkpointInvalid', seq: 1, failure: { kind: 'signatureInvalid', checkedWith: 'trustedKey' } });
  });

  it('their hashes and shape', () => {
    expect(failureOf(rows, [cps[0], { ...cps[1]!, body: { ...cps[1]!.body, createdAt: '2031-01-01T00:00:00.000Z' } }])).toMatchObject({ kind: 'checkpointInvalid', seq: 17, failure: { kind: 'checkpointHashMismatch' } });
    expect(failureOf(rows, [{ ...cps[0]!, body: null }])).toMatchObject({ kind: 'checkpointInvalid', seq: 1, failure: { kind: 'malformed', field: 'checkpoint.body' } });
  });

  it('no gaps or overlaps in coverage', () => {
    expect(failureOf(rows, [cps[0], cps[2]])).toEqual({ kind: 'checkpointGap', seq: 17, expectedFromSeq: 17, fromSeq: 25, toSeq: 33 });
    expect(failureOf(rows, [cps[1], cps[2]])).toEqual({ kind: 'checkpointGap', seq: 1, expectedFromSeq: 1, fromSeq: 17, toSeq: 24 });
    const overlapping = resigned(cps[1]!, { fromSeq: 16 });
    expect(failureOf(rows, [cps[0], overlapping])).toMatchObject({ kind: 'checkpointGap', seq: 17, fromSeq: 16 });
  });

  it('the prevCheckpointHash links', () => {
    const unlinked = resigned(cps[1]!, { prevCheckpointHash: '0'.repeat(64) });
    expect(failureOf(rows, [cps[0], unlinked, cps[2]])).toEqual({ kind: 'checkpointChainBroken', seq: 17, fromSeq: 17, toSeq: 24, expected: '0'.repeat(64), actual: cps[0]!.checkpointHash });
  });

  it('the Merkle root and head of each block, and the organisation', () => {
    const wrongHead = resigned(cps[1]!, { headHash: rows[22]!.storedEntryHash });
    expect(failureOf(rows, [cps[0], wrongHead])).toMatchObject({ kind: 'headHashMismatch', seq: 24 });
    const wrongRoot = resigned(cps[1]!, { merkleRoot: rows[0]!.storedEntryHash });
    expect(failureOf(rows, [cps[0], wrongRoot])).toMatchObject({ kind: 'merkleRootMismatch', seq: 24, expected: rows[0]!.storedEntryHash });
    const otherOrg = fixtureLedger('org-2', 16, [16], signer).checkpoints;
    expect(failureOf(rows, otherOrg)).toMatchObject({ kind: 'checkpointOrgMismatch', seq: 1, orgId: 'org-2' });
  });
});

describe('the first failure, found by a model of tampering (property)', () => {
  type Tamper = 'change' | 'delete' | 'swap' | 'duplicate';
  const arbitrary = fc.record({
    n: fc.integer({ min: 2, max: 60 }),
    where: fc.double({ min: 0, max: 0.999, noNaN: true }),
    tamper: fc.constantFrom<Tamper>('change', 'delete', 'swap', 'duplicate'),
  });

  it('is always the tampered seq', () => {
    fc.assert(
      fc.property(arbitrary, ({ n, where, tamper }) => {
        const small = fixtureLedger('org-1', n, [], signer);
        const k = 1 + Math.floor(where * (n - 1)); // 1..n-1, so k + 1 exists
        let input = chainRows(small.entries, small.docs);
        const expected = {
          change: { kind: 'entryHashMismatch', seq: k },
          delete: { kind: 'seqGap', seq: k + 1, expectedSeq: k },
          swap: { kind: 'seqGap', seq: k + 1, expectedSeq: k },
          duplicate: { kind: 'seqOutOfOrder', seq: k, expectedSeq: k + 1 },
        }[tamper];
        if (tamper === 'change') input = chainRows(small.entries, small.docs.map((d, i) => (i === k - 1 ? fixtureEvent(1000 + i) : d)));
        if (tamper === 'delete') input = input.filter((r) => r.seq !== k);
        if (tamper === 'swap') input = [...input.slice(0, k - 1), input[k]!, input[k - 1]!, ...input.slice(k + 1)];
        if (tamper === 'duplicate') input = [...input.slice(0, k), input[k - 1]!, ...input.slice(k)];
        const result = verifyChain('org-1', input);
        expect(result.ok ? undefined : result.error).toMatchObject(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the verifier object', () => {
  it('keeps the first failure and refuses use after finish', () => {
    const verifier = createChainVerifier('org-1');
    expect(verifier.feed(rows.slice(0, 3)).ok).toBe(true);
    const failed = verifier.feed(rows.slice(4));
    expect(failed).toEqual({ ok: false, error: { kind: 'seqGap', seq: 5, expectedSeq: 4 } });
    expect(verifier.feed(rows.slice(3))).toEqual(failed);
    expect(verifier.finish()).toEqual(failed);
    expect(() => verifier.feed([])).toThrow();
  });

  it('describes failures with their seq', () => {
    expect(describeChainFailure({ kind: 'seqGap', seq: 13, expectedSeq: 12 })).toBe('seq 13: expected seq 12; entries 12..12 are missing (deleted?)');
    expect(describeChainFailure({ kind: 'checkpointBeyondChain', seq: 31, fromSeq: 25, toSeq: 33 })).toContain('entries were cut off');
  });

  it('rejects a malformed row instead of throwing', () => {
    expect(failureOf(rows.map((r) => (r.seq === 2 ? { ...r, contentHash: 'nope' } : r)))).toMatchObject({ kind: 'malformedEntry', seq: 2 });
    expect(failureOf([{ ...rows[0]!, seq: Number.NaN }])).toMatchObject({ kind: 'malformedEntry', seq: 1 });
  });
});


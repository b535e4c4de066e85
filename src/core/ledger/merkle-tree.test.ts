import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merkleAuditPath, merkleRoot, merkleRootFromAuditPath } from './merkle-tree.ts';

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const entry = (i: number): string => sha(Buffer.from(`entry-${i}`)).toString('hex');
const entries = (n: number): string[] => Array.from({ length: n }, (_, i) => entry(i));
const leaf = (hex: string): Buffer => sha(Buffer.from([0]), Buffer.from(hex, 'hex'));
const node = (l: Buffer, r: Buffer): Buffer => sha(Buffer.from([1]), l, r);

/**
 * Reference root, built bottom-up level by level (pair neighbours, carry an odd last node up unchanged):
 * a different algorithm from the implementation's top-down split, giving the same tree as RFC 6962.
 */
function referenceRoot(hexes: readonly string[]): string {
  let level = hexes.map(leaf);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i] as Buffer, level[i + 1] as Buffer) : (level[i] as Buffer));
    level = next;
  }
  return (level[0] as Buffer).toString('hex');
}

describe('merkleRoot', () => {
  it('builds the small trees of RFC 6962 by hand', () => {
    const e = entries(7);
    const [l0, l1, l2, l3, l4, l5, l6] = e.map(leaf) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    expect(merkleRoot(e.slice(0, 1))).toBe(l0.toString('hex'));
    expect(merkleRoot(e.slice(0, 2))).toBe(node(l0, l1).toString('hex'));
    expect(merkleRoot(e.slice(0, 3))).toBe(node(node(l0, l1), l2).toString('hex'));
    expect(merkleRoot(e.slice(0, 5))).toBe(node(node(node(l0, l1), node(l2, l3)), l4).toString('hex'));
    expect(merkleRoot(e.slice(0, 7))).toBe(node(node(node(l0, l1), node(l2, l3)), node(node(l4, l5), l6)).toString('hex'));
  });

  it('matches known roots computed by a separate Python implementation (itself checked against the RFC 6962 reference vectors)', () => {
    const known: [number, string][] = [
      [1, '8fc4565a030e7b984be355c138ed6411034ee100844784d733671db6048942cc'],
      [2, 'ec41137f68d8e549730e6534038dd1a592e2886d9baf6fe5c7cfdecc8091a4b1'],
      [3, '639cd00d319a522c5f4cb1a0c15360ab2e14d7dc1b82586689da9d5a54520908'],
      [4, '83a15238d38b2c8c40b9e0648e563a7333ed0bc031152d2dfaf08cd6b4b68a8c'],
      [5, '686740a495ff2741cf86a9fc66aa54ec7db395646b6d164ef122141223627650'],
      [6, '581720ab3c84b73c8174255d963a1efefc1a018ea6f544bf7c164640659bf900'],
      [7, '80ba229b17c7597338c07959843e3d410d915b2a064b229a1ea26f7728769af7'],
      [8, 'e7455cb4779d9c297b0c7a39ef44e19030561bbde40ea7167575bb9fcc7a232c'],
      [9, '7719eb21661fb92f37e846f824f8423fbfbba74e844c8be236a567506ae76359'],
      [16, 'f19e19847361c36e96fd3992da79d9b291610f9ab3e3513d3c97da810ecb5203'],
      [17, '84b39fd0350001ad0ef1d6886db35abfa3241db8139941892b8341c5d6c6207a'],
      [70, 'a3d7432c1dde67725f3b28b8cb59db369af51d3540a2bcc44a839739056c4604'],
    ];
    for (const [n, root] of known) expect(merkleRoot(entries(n)), `n = ${n}`).toBe(root);
  });

  it('agrees with the bottom-up reference for every size 1..300', () => {
    const e = entries(300);
    for (let n = 1; n <= 300; n++) expect(merkleRoot(e.slice(0, n)), `n = ${n}`).toBe(referenceRoot(e.slice(0, n)));
  });

  it('is the hash of no bytes for an empty tree', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('audit paths', () => {
  it('verify for every leaf of every tree of size 1..70, with ceil(log2) or fewer elements', () => {
    const e = entries(70);
    for (let n = 1; n <= 70; n++) {
      const tree = e.slice(0, n);
      const root = referenceRoot(tree);
      for (let i = 0; i < n; i++) {
        const path = merkleAuditPath(tree, i);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(merkleRootFromAuditPath(tree[i] as string, i, n, path)).toEqual({ ok: true, value: root });
      }
    }
  });

  it('verify for random trees and leaves, and fail for any other leaf or index (property)', () => {
    // Not for another tree size: leaf 0 of 5 and of 6 leaves have paths of the same shape. The size is
    // bound by the signed checkpoint (toSeq - fromSeq + 1), which verifyInclusionProof checks separately.
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
    const arbitrary = fc
      .array(hash, { minLength: 1, maxLength: 70 })
      .chain((tree) => fc.tuple(fc.constant(tree), fc.nat(tree.length - 1), fc.nat(tree.length - 1)));
    fc.assert(
      fc.property(arbitrary, ([tree, i, j]) => {
        const root = referenceRoot(tree);
        const path = merkleAuditPath(tree, i);
        expect(merkleRootFromAuditPath(tree[i] as string, i, tree.length, path)).toEqual({ ok: true, value: root });
        if (tree[j] !== tree[i]) expect(merkleRootFromAuditPath(tree[j] as string, i, tree.length, path)).not.toEqual({ ok: true, value: root });
        if (j !== i) expect(merkleRootFromAuditPath(tree[i] as string, j, tree.length, path)).not.toEqual({ ok: true, value: root });
      }),
      { numRuns: 1000 },
    );
  });

  it('reject a path element changed, dropped or added, and an index outside the tree', () => {
    const tree = entries(13);
    const root = merkleRoot(tree);
    const path = merkleAuditPath(tree, 6);
    for (let k = 0; k < path.length; k++) {
      const changed = path.map((p, idx) => (idx === k ? entry(1000) : p));
      const result = merkleRootFromAuditPath(tree[6] as string, 6, 13, changed);
      expect(result.ok && result.value === root).toBe(false);
    }
    expect(merkleRootFromAuditPath(tree[6] as string, 6, 13, path.slice(1))).toEqual({ ok: false, error: 'the audit path is shorter than the tree is deep' });
    expect(merkleRootFromAuditPath(tree[6] as string, 6, 13, [...path, entry(1)])).toEqual({ ok: false, error: 'the audit path is longer than the tree is deep' });
    expect(merkleRootFromAuditPath(tree[6] as string, 13, 13, path)).toEqual({ ok: false, error: 'leafIndex is outside the tree' });
    expect(() => merkleAuditPath(tree, 13)).toThrow(RangeError);
  });
});

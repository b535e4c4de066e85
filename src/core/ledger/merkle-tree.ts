import { createHash } from 'node:crypto';
import { err, ok, type Result } from '../result.ts';
import { isHashHex } from './hash-hex.ts';

/**
 * RFC 6962 / RFC 9162 Merkle tree over a checkpoint block's entry hashes (given as hex).
 * leaf = SHA-256(0x00 || entryHashBytes), node = SHA-256(0x01 || left || right); a tree of n > 1
 * leaves splits at k, the largest power of two smaller than n: MTH(D[0:k]) on the left, MTH(D[k:n]) on the right.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The leaf hash of one entry hash: SHA-256(0x00 || the 32 bytes of `entryHashHex`). */
export function merkleLeafHash(entryHashHex: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(hashBytes(entryHashHex)).digest();
}

/** SHA-256(0x01 || left || right). */
export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Hex Merkle tree hash of `entryHashes` in order; SHA-256 of no bytes for an empty list, as RFC 6962 defines. */
export function merkleRoot(entryHashes: readonly string[]): string {
  if (entryHashes.length === 0) return createHash('sha256').digest('hex');
  return subtreeHash(entryHashes.map(merkleLeafHash), 0, entryHashes.length).toString('hex');
}

/**
 * The RFC 6962 audit path (PATH(m, D[n])) of leaf `leafIndex`: sibling subtree hashes in hex, from the leaf up.
 * @throws RangeError when `leafIndex` is not an index of `entryHashes`.
 */
export function merkleAuditPath(entryHashes: readonly string[], leafIndex: number): string[] {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= entryHashes.length) {
    throw new RangeError(`merkleAuditPath: leaf ${leafIndex} is outside a tree of ${entryHashes.length}`);
  }
  const leaves = entryHashes.map(merkleLeafHash);
  const path: Buffer[] = [];
  let start = 0;
  let end = leaves.length;
  let m = leafIndex;
  // Walk from the root down to the leaf, collecting the sibling of each step; reverse at the end.
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m < k) {
      path.push(subtreeHash(leaves, start + k, end));
      end = start + k;
    } else {
      path.push(subtreeHash(leaves, start, start + k));
      start += k;
      m -= k;
    }
  }
  return path.reverse().map((h) => h.toString('hex'));
}

/**
 * The root that `auditPath` proves for leaf `leafIndex` of a tree of `treeSize` leaves holding `entryHashHex`:
 * the verification algorithm of RFC 9162 §2.1.3.2. Compare the result with the trusted root.
 * Fails when the index is outside the tree or the path is too short or too long for it.
 */
export function merkleRootFromAuditPath(
  entryHashHex: string,
  leafIndex: number,
  treeSize: number,
  auditPath: readonly string[],
): Result<string, string> {
  if (!isHashHex(entryHashHex)) return err('the entry hash is not 64 lowercase hex digits');
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) return err('treeSize must be a positive integer');
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) return err('leafIndex is outside the tree');
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = merkleLeafHash(entryHashHex);
  for (const p of auditPath) {
    if (!isHashHex(p)) return err('an audit path element is not 64 lowercase hex digits');
    if (sn === 0) return err('the audit path is longer than the tree is deep');
    const sibling = hashBytes(p);
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = merkleNodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return err('the audit path is shorter than the tree is deep');
  return ok(r.toString('hex'));
}

function subtreeHash(leaves: readonly Buffer[], start: number, end: number): Buffer {
  if (end - start === 1) return leaves[start] as Buffer;
  const k = largestPowerOfTwoBelow(end - start);
  return merkleNodeHash(subtreeHash(leaves, start, start + k), subtreeHash(leaves, start + k, end));
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function hashBytes(hex: string): Buffer {
  if (!isHashHex(hex)) throw new RangeError('merkle: an entry hash must be 64 lowercase hex digits');
  return Buffer.from(hex, 'hex');
}

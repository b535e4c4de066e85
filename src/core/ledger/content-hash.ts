import { canonicalJson } from './canonical-json.ts';
import { sha256Hex } from './hash-hex.ts';

/** Lowercase hex SHA-256 of `canonicalJson(doc)`: the fingerprint of a stored event document. */
export function contentHash(doc: unknown): string {
  return sha256Hex(canonicalJson(doc));
}

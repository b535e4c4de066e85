import { parseGln, parseGtin } from '../../core/gs1/keys.ts';
import { type Result, err, ok } from '../../core/result.ts';

/** Check a GTIN (8/12/13/14 digits, returned as GTIN-14) or a GLN (13 digits) with its check digit. */
export function validateGs1Key(kind: 'gtin' | 'gln', text: string): Result<string, string> {
  if (kind === 'gtin') {
    const gtin = parseGtin(text);
    return gtin.ok ? ok(gtin.value.gtin14) : err(gtin.error.message);
  }
  const gln = parseGln(text);
  return gln.ok ? ok(gln.value) : err(gln.error.message);
}

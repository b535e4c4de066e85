import { type Result, err, ok } from '../../core/result.ts';

/** Check a GTIN (8/12/13/14 digits, returned as GTIN-14) or a GLN (13 digits) with its check digit. */
export function validateGs1Key(kind: 'gtin' | 'gln', text: string): Result<string, string> {
  if (!/^\d+$/.test(text)) return err(`${kind.toUpperCase()} must contain digits only`);
  const lengths = kind === 'gtin' ? [8, 12, 13, 14] : [13];
  if (!lengths.includes(text.length)) return err(`${kind.toUpperCase()} must have ${lengths.join(', ')} digits, got ${text.length}`);
  const body = text.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  const expected = (10 - (sum % 10)) % 10;
  const given = Number(text[text.length - 1]);
  if (given !== expected) return err(`check digit of ${kind.toUpperCase()} is ${given}, expected ${expected}`);
  return ok(kind === 'gtin' ? text.padStart(14, '0') : text);
}

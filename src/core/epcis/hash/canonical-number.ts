/** Longest run of zeros a plain decimal may gain from an exponent before the number is left as written. */
const MAX_EXPONENT_SHIFT = 1000;

/**
 * A numeric string in plain decimal notation without redundant zeros (CBV 2.0 §8.9 rule 6), or null
 * when `text` is not a number. Accepts what a JSON or xsd:decimal/double lexical form gives: a sign,
 * digits with an optional point, and an optional exponent. Exact: works on the digits, never on a
 * binary double.
 *
 * @example canonicalNumber('0.3434000') // '0.3434'
 * @example canonicalNumber('1.0E-4') // '0.0001'
 * @example canonicalNumber('007') // '7'
 */
export function canonicalNumber(text: string): string | null {
  const n = text.length;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) {
    negative = c === 45;
    i++;
  }
  const intStart = i;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
  const intDigits = text.slice(intStart, i);
  let fracDigits = '';
  if (i < n && text.charCodeAt(i) === 46) {
    const fracStart = ++i;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
    fracDigits = text.slice(fracStart, i);
  }
  if (intDigits.length === 0 && fracDigits.length === 0) return null;
  let exponent = 0;
  if (i < n) {
    c = text.charCodeAt(i);
    if (c !== 101 && c !== 69) return null; // 'e' / 'E'
    i++;
    let expNegative = false;
    c = text.charCodeAt(i);
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      i++;
    }
    const expStart = i;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      exponent = exponent * 10 + (c - 48);
      if (exponent > MAX_EXPONENT_SHIFT * 10) return null;
      i++;
    }
    if (i === expStart || i !== n) return null;
    if (expNegative) exponent = -exponent;
  }

  // digits d1 d2 ... with the decimal point after `point` of them
  let digits = intDigits + fracDigits;
  let point = intDigits.length + exponent;
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  if (lead === digits.length) return '0';
  let trail = digits.length;
  while (digits.charCodeAt(trail - 1) === 48) trail--;
  digits = digits.slice(lead, trail);
  point -= lead;
  if (point > digits.length + MAX_EXPONENT_SHIFT || point < -MAX_EXPONENT_SHIFT) return null;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * The GS1 mod-10 check digit (GS1 General Specifications 7.9.1): weights 3 and 1
 * alternate from the rightmost data digit; the check digit brings the sum to a multiple of ten.
 */

/**
 * Check digit of the first `length` characters of `digits` (default: all of them).
 * The caller guarantees they are ASCII digits.
 * @example gs1CheckDigit('952012345678') // 8, as in GTIN-13 9520123456788
 */
export function gs1CheckDigit(digits: string, length: number = digits.length): number {
  let sum = 0;
  let weight3 = true;
  for (let i = length - 1; i >= 0; i--) {
    const d = digits.charCodeAt(i) - 48;
    sum += weight3 ? d * 3 : d;
    weight3 = !weight3;
  }
  return (10 - (sum % 10)) % 10;
}

/** `digits` followed by its check digit. */
export function withCheckDigit(digits: string): string {
  return digits + String(gs1CheckDigit(digits));
}

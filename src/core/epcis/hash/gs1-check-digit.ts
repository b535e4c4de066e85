/**
 * GS1 mod-10 check digit of a digit string (GS1 General Specifications §7.9.1): weights 3,1,3,…
 * from the rightmost digit. The caller guarantees `digits` holds only ASCII digits.
 *
 * @example gs1CheckDigit('401234500005') // '4' (GLN 4012345000054)
 */
export function gs1CheckDigit(digits: string): string {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return String((10 - (sum % 10)) % 10);
}

/** `digits` followed by its GS1 check digit. */
export function withCheckDigit(digits: string): string {
  return digits + gs1CheckDigit(digits);
}

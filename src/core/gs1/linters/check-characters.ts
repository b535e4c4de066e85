/**
 * Check-character linters: the GS1 mod-10 check digit (`csum`) and the GS1
 * check-character pair over character set 82 (`csumalpha`, GS1 General Specifications 7.9.5).
 */
import { CSET82_CHARACTERS } from './charset.ts';
import { lintFail, type LintFailure } from './lint-failure.ts';

/** `csum`: the last digit is the GS1 mod-10 check digit of the digits before it. */
export function lintCsum(data: string): LintFailure | null {
  const n = data.length;
  if (n === 0) return lintFail('TOO_SHORT_FOR_CHECK_DIGIT', 0, 0);
  // One pass: check the characters and sum with weights 3, 1, ... from the right of the data digits.
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = data.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return lintFail('NON_DIGIT_CHARACTER', i, 1);
    if (i < n - 1) sum += (n - 1 - i) % 2 === 1 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10 === data.charCodeAt(n - 1) - 48 ? null : lintFail('INCORRECT_CHECK_DIGIT', n - 1, 1);
}

const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The first 97 primes: weights of the check-character pair, applied from the right. */
const PRIMES: readonly number[] = (() => {
  const out: number[] = [];
  for (let n = 2; out.length < 97; n++) {
    let prime = true;
    for (const p of out) {
      if (p * p > n) break;
      if (n % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) out.push(n);
  }
  return out;
})();

const CSET82_VALUE = (() => {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < CSET82_CHARACTERS.length; i++) t[CSET82_CHARACTERS.charCodeAt(i)] = i;
  return t;
})();

/** The two check characters for `data` (all character set 82), or `null` when a character is outside it or the data is too long. */
export function checkCharacterPair(data: string): string | null {
  const n = data.length;
  if (n > PRIMES.length) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = data.charCodeAt(i);
    const v = c > 255 ? -1 : (CSET82_VALUE[c] as number);
    if (v < 0) return null;
    sum += v * (PRIMES[n - 1 - i] as number);
  }
  sum %= 1021;
  return (CSET32[sum >> 5] as string) + (CSET32[sum & 31] as string);
}

/** `csumalpha`: the last two characters are the GS1 check-character pair of the data before them. */
export function lintCsumAlpha(data: string): LintFailure | null {
  const n = data.length;
  if (n < 2) return lintFail('TOO_SHORT_FOR_CHECK_PAIR', 0, n);
  if (n - 2 > PRIMES.length) return lintFail('TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION', 0, n);
  for (let i = 0; i < n - 2; i++) {
    const c = data.charCodeAt(i);
    if (c > 255 || (CSET82_VALUE[c] as number) < 0) return lintFail('INVALID_CSET82_CHARACTER', i, 1);
  }
  const pair = checkCharacterPair(data.slice(0, n - 2));
  return pair === data.slice(n - 2) ? null : lintFail('INCORRECT_CHECK_PAIR', n - 2, 2);
}

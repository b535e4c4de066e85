/**
 * Character-set linters: GS1 AI encodable character sets 82 and 39, the file-safe
 * base64 set 64, and numeric data (GS1 General Specifications, figures 7.11-1 to 7.11-3).
 */
import { lintFail, type LintFailure } from './lint-failure.ts';

/** The 82 characters of GS1 AI encodable character set 82, in the order used by the check-character pair. */
export const CSET82_CHARACTERS = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** The 39 characters of GS1 AI encodable character set 39. */
export const CSET39_CHARACTERS = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The 64 characters of GS1 AI encodable character set 64 (RFC 4648 base64url alphabet). */
export const CSET64_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const CSET82 = table(CSET82_CHARACTERS);
const CSET39 = table(CSET39_CHARACTERS);
const CSET64 = table(CSET64_CHARACTERS);

/** Index of the first character of `data` outside the set, or -1. */
function firstOutside(data: string, set: Uint8Array, end: number = data.length): number {
  for (let i = 0; i < end; i++) {
    const c = data.charCodeAt(i);
    if (c > 255 || set[c] === 0) return i;
  }
  return -1;
}

/** Whether every character of `data` is in character set 82. */
export function isCset82(data: string): boolean {
  return firstOutside(data, CSET82) < 0;
}

/** Whether `data` is non-empty and all ASCII digits. */
export function isAllDigits(data: string): boolean {
  if (data.length === 0) return false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Index of the first non-digit of `data` within [0, end), or -1. */
export function firstNonDigit(data: string, end: number = data.length): number {
  for (let i = 0; i < end; i++) {
    const c = data.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

/** `csetnumeric`: only the digits 0-9. */
export function lintCsetNumeric(data: string): LintFailure | null {
  const i = firstNonDigit(data);
  return i < 0 ? null : lintFail('NON_DIGIT_CHARACTER', i, 1);
}

/** `cset82`: only characters of GS1 AI encodable character set 82. */
export function lintCset82(data: string): LintFailure | null {
  const i = firstOutside(data, CSET82);
  return i < 0 ? null : lintFail('INVALID_CSET82_CHARACTER', i, 1);
}

/** `cset39`: only characters of GS1 AI encodable character set 39. */
export function lintCset39(data: string): LintFailure | null {
  const i = firstOutside(data, CSET39);
  return i < 0 ? null : lintFail('INVALID_CSET39_CHARACTER', i, 1);
}

/**
 * `cset64`: only characters of character set 64, optionally followed by at most two
 * `=` padding characters that bring the length to a multiple of three.
 */
export function lintCset64(data: string): LintFailure | null {
  let len = data.length;
  let pads = 0;
  while (len > 0 && data.charCodeAt(len - 1) === 61) {
    pads++;
    len--;
  }
  if (pads > 2 || (pads > 0 && (len + pads) % 3 !== 0)) return lintFail('INVALID_CSET64_PADDING', len, pads);
  const i = firstOutside(data, CSET64, len);
  return i < 0 ? null : lintFail('INVALID_CSET64_CHARACTER', i, 1);
}

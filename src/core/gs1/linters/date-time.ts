/**
 * Date and time linters: YYMMDD (with and without a zero day), YYYYMMDD, hours,
 * minutes, seconds and HHMI.
 */
import { firstNonDigit } from './charset.ts';
import { lintFail, type LintFailure } from './lint-failure.ts';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function two(data: string, at: number): number {
  return (data.charCodeAt(at) - 48) * 10 + (data.charCodeAt(at + 1) - 48);
}

/** Month and day checks shared by the date linters; `leap` says whether February has 29 days. */
function monthDay(data: string, at: number, leap: boolean, zeroDay: boolean): LintFailure | null {
  const mm = two(data, at);
  if (mm < 1 || mm > 12) return lintFail('ILLEGAL_MONTH', at, 2);
  const dd = two(data, at + 2);
  const max = mm === 2 && !leap ? 28 : (DAYS_IN_MONTH[mm - 1] as number);
  if ((dd === 0 && !zeroDay) || dd > max) return lintFail('ILLEGAL_DAY', at + 2, 2);
  return null;
}

function yymmdd(data: string, zeroDay: boolean): LintFailure | null {
  if (data.length < 6) return lintFail('DATE_TOO_SHORT', 0, data.length);
  if (data.length > 6) return lintFail('DATE_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  // The century is not known from YY; every year divisible by four is treated as a leap year.
  return monthDay(data, 2, two(data, 0) % 4 === 0, zeroDay);
}

function yyyymmdd(data: string, zeroDay: boolean): LintFailure | null {
  if (data.length < 8) return lintFail('DATE_TOO_SHORT', 0, data.length);
  if (data.length > 8) return lintFail('DATE_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  const year = two(data, 0) * 100 + two(data, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return monthDay(data, 4, leap, zeroDay);
}

/** `yymmdd`: a date YYMMDD with a real day. */
export function lintYymmdd(data: string): LintFailure | null {
  return yymmdd(data, false);
}

/** `yymmd0`: a date YYMMDD where day 00 means "end of month". */
export function lintYymmd0(data: string): LintFailure | null {
  return yymmdd(data, true);
}

/** `yyyymmdd`: a date YYYYMMDD with a real day. */
export function lintYyyymmdd(data: string): LintFailure | null {
  return yyyymmdd(data, false);
}

/** `yyyymmd0`: a date YYYYMMDD where day 00 is allowed. */
export function lintYyyymmd0(data: string): LintFailure | null {
  return yyyymmdd(data, true);
}

/** `hh`: an hour 00-23. */
export function lintHh(data: string): LintFailure | null {
  if (data.length < 2) return lintFail('HOUR_TOO_SHORT', 0, data.length);
  if (data.length > 2) return lintFail('HOUR_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  return two(data, 0) > 23 ? lintFail('ILLEGAL_HOUR', 0, 2) : null;
}

/** `mi`: a minute 00-59. */
export function lintMi(data: string): LintFailure | null {
  if (data.length < 2) return lintFail('MINUTE_TOO_SHORT', 0, data.length);
  if (data.length > 2) return lintFail('MINUTE_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  return two(data, 0) > 59 ? lintFail('ILLEGAL_MINUTE', 0, 2) : null;
}

/** `ss`: a second 00-59. */
export function lintSs(data: string): LintFailure | null {
  if (data.length < 2) return lintFail('SECOND_TOO_SHORT', 0, data.length);
  if (data.length > 2) return lintFail('SECOND_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  return two(data, 0) > 59 ? lintFail('ILLEGAL_SECOND', 0, 2) : null;
}

/** `hhmi`: a time HHMI, hour 00-23 and minute 00-59. */
export function lintHhmi(data: string): LintFailure | null {
  if (data.length < 4) return lintFail('HOUR_WITH_MINUTE_TOO_SHORT', 0, data.length);
  if (data.length > 4) return lintFail('HOUR_WITH_MINUTE_TOO_LONG', 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  if (two(data, 0) > 23) return lintFail('ILLEGAL_HOUR', 0, 2);
  return two(data, 2) > 59 ? lintFail('ILLEGAL_MINUTE', 2, 2) : null;
}

/**
 * Linters for structured components: company-prefix positions, zero rules, hyphens,
 * percent-encoding, importer index, coordinates, piece-of-total, position-in-sequence and IBAN.
 */
import { firstNonDigit } from './charset.ts';
import { isIso3166Alpha2 } from './code-lists.ts';
import { lintFail, type LintFailure } from './lint-failure.ts';

/** The shortest GS1 Company Prefix has four digits (a GS1-8 prefix is three, but is normalised with leading zeros). */
const GCP_MIN_LENGTH = 4;

function gcpAt(data: string, offset: number): LintFailure | null {
  const len = data.length - offset;
  if (len < GCP_MIN_LENGTH) return lintFail('TOO_SHORT_FOR_GCP', offset, Math.max(0, len));
  const bad = firstNonDigit(data.slice(offset, offset + GCP_MIN_LENGTH));
  return bad < 0 ? null : lintFail('INVALID_GCP_PREFIX', offset + bad, 1);
}

/** `gcppos1`: the component starts with a (syntactically plausible) GS1 Company Prefix. */
export function lintGcpPos1(data: string): LintFailure | null {
  return gcpAt(data, 0);
}

/** `gcppos2`: a GS1 Company Prefix starts at the second character (after an indicator or extension digit). */
export function lintGcpPos2(data: string): LintFailure | null {
  if (data.length === 0) return lintFail('TOO_SHORT_FOR_GCP', 0, 0);
  return gcpAt(data, 1);
}

/** `zero`: the component consists of zeros only. */
export function lintZero(data: string): LintFailure | null {
  if (data.length === 0) return lintFail('NOT_ZERO', 0, 0);
  for (let i = 0; i < data.length; i++) if (data.charCodeAt(i) !== 48) return lintFail('NOT_ZERO', 0, data.length);
  return null;
}

/** `nonzero`: a number that is not zero. */
export function lintNonZero(data: string): LintFailure | null {
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  for (let i = 0; i < data.length; i++) if (data.charCodeAt(i) !== 48) return null;
  return lintFail('ILLEGAL_ZERO_VALUE', 0, data.length);
}

/** `nozeroprefix`: a number without a leading zero (empty is allowed). */
export function lintNoZeroPrefix(data: string): LintFailure | null {
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  return data.charCodeAt(0) === 48 ? lintFail('ILLEGAL_ZERO_PREFIX', 0, 1) : null;
}

/** `hyphen`: one or more hyphens. */
export function lintHyphen(data: string): LintFailure | null {
  if (data.length === 0) return lintFail('NOT_HYPHEN', 0, 0);
  for (let i = 0; i < data.length; i++) if (data.charCodeAt(i) !== 45) return lintFail('NOT_HYPHEN', 0, data.length);
  return null;
}

/** `hasnondigit`: at least one character that is not a digit. */
export function lintHasNonDigit(data: string): LintFailure | null {
  return firstNonDigit(data) >= 0 ? null : lintFail('REQUIRES_NON_DIGIT_CHARACTER', 0, data.length);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** `pcenc`: every `%` starts a two-hex-digit percent escape. */
export function lintPcenc(data: string): LintFailure | null {
  const n = data.length;
  for (let i = 0; i < n; i++) {
    if (data.charCodeAt(i) !== 37) continue;
    if (i + 2 >= n || !isHex(data.charCodeAt(i + 1)) || !isHex(data.charCodeAt(i + 2))) {
      return lintFail('INVALID_PERCENT_SEQUENCE', i, Math.min(3, n - i));
    }
    i += 2;
  }
  return null;
}

const IMPORTER_INDEX = /^[0-9A-Za-z_-]$/;

/** `importeridx`: a single importer-index character (digit, letter, hyphen or underscore). */
export function lintImporterIdx(data: string): LintFailure | null {
  if (data.length !== 1) return lintFail('IMPORTER_IDX_MUST_BE_ONE_CHARACTER', 0, data.length);
  return IMPORTER_INDEX.test(data) ? null : lintFail('INVALID_IMPORT_IDX_CHARACTER', 0, 1);
}

function coordinate(data: string, max: number, lengthCode: 'LATITUDE_INVALID_LENGTH' | 'LONGITUDE_INVALID_LENGTH', rangeCode: 'INVALID_LATITUDE' | 'INVALID_LONGITUDE'): LintFailure | null {
  if (data.length !== 10) return lintFail(lengthCode, 0, data.length);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  return Number(data) > max ? lintFail(rangeCode, 0, 10) : null;
}

/** `latitude`: ten digits, 0000000000 (-90°) to 1800000000 (+90°). */
export function lintLatitude(data: string): LintFailure | null {
  return coordinate(data, 1800000000, 'LATITUDE_INVALID_LENGTH', 'INVALID_LATITUDE');
}

/** `longitude`: ten digits, 0000000000 (-180°) to 3600000000 (+180°). */
export function lintLongitude(data: string): LintFailure | null {
  return coordinate(data, 3600000000, 'LONGITUDE_INVALID_LENGTH', 'INVALID_LONGITUDE');
}

/** `pieceoftotal`: a piece number and a total of equal width, neither zero, piece ≤ total. */
export function lintPieceOfTotal(data: string): LintFailure | null {
  const n = data.length;
  if (n === 0 || n % 2 !== 0) return lintFail('INVALID_LENGTH_FOR_PIECE_OF_TOTAL', 0, n);
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  const half = n / 2;
  const piece = data.slice(0, half);
  const total = data.slice(half);
  if (/^0+$/.test(piece)) return lintFail('ZERO_PIECE_NUMBER', 0, half);
  if (/^0+$/.test(total)) return lintFail('ZERO_TOTAL_PIECES', half, half);
  return piece > total ? lintFail('PIECE_NUMBER_EXCEEDS_TOTAL', 0, n) : null;
}

/** `posinseqslash`: "position/end", both positive numbers without leading zeros, position ≤ end. */
export function lintPosInSeqSlash(data: string): LintFailure | null {
  const slash = data.indexOf('/');
  const pos = slash < 0 ? '' : data.slice(0, slash);
  const end = slash < 0 ? '' : data.slice(slash + 1);
  if (pos.length === 0 || end.length === 0 || firstNonDigit(pos) >= 0 || firstNonDigit(end) >= 0) {
    return lintFail('POSITION_IN_SEQUENCE_MALFORMED', 0, data.length);
  }
  if (pos.charCodeAt(0) === 48) return lintFail('ILLEGAL_ZERO_PREFIX', 0, pos.length);
  if (end.charCodeAt(0) === 48) return lintFail('ILLEGAL_ZERO_PREFIX', slash + 1, end.length);
  const exceeds = pos.length > end.length || (pos.length === end.length && pos > end);
  return exceeds ? lintFail('POSITION_EXCEEDS_END', 0, data.length) : null;
}

const IBAN_MAX_LENGTH = 34;
/** Below this length an IBAN cannot hold a country code, check digits and a BBAN. */
const IBAN_MIN_LENGTH = 10;

/** `iban`: an International Bank Account Number (ISO 13616) with a valid country and mod-97 check. */
export function lintIban(data: string): LintFailure | null {
  const n = data.length;
  if (n < 4) return lintFail('IBAN_TOO_SHORT', 0, n);
  if (!isIso3166Alpha2(data.slice(0, 2))) return lintFail('ILLEGAL_IBAN_COUNTRY_CODE', 0, 2);
  if (n > IBAN_MAX_LENGTH) return lintFail('IBAN_TOO_LONG', 0, n);
  if (n <= IBAN_MIN_LENGTH) return lintFail('IBAN_TOO_SHORT', 0, n);
  let sum = 0;
  for (let k = 4; k < n + 4; k++) {
    const i = k < n ? k : k - n;
    const c = data.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else return lintFail('INVALID_IBAN_CHARACTER', i, 1);
    sum = ((v < 10 ? sum * 10 : sum * 100) + v) % 97;
  }
  return sum === 1 ? null : lintFail('INCORRECT_IBAN_CHECKSUM', 2, 2);
}

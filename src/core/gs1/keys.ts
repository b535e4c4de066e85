/**
 * GS1 identification keys on their own (as typed, printed or stored): GTIN-8/12/13/14, GLN,
 * SSCC, GRAI, GIAI, GSRN, GDTI, GCN, GSIN and ITIP. Validation checks length, character
 * set and the mod-10 check digit; GTINs are normalised to 14 digits, the form GS1 uses in
 * element strings, Digital Link URIs and EPCIS.
 */
import { err, ok, type Result } from '../result.ts';
import { gs1CheckDigit } from './check-digit.ts';
import type { Gs1Error, KeyType } from './gs1-error.ts';
import { firstNonDigit, isCset82 } from './linters/charset.ts';

/** The four GTIN formats. */
export type GtinFormat = 'GTIN-8' | 'GTIN-12' | 'GTIN-13' | 'GTIN-14';

/** A validated GTIN: its 14-digit form and the format it was given in. */
export interface Gtin {
  readonly gtin14: string;
  readonly format: GtinFormat;
}

const GTIN_FORMAT_BY_LENGTH: Readonly<Record<number, GtinFormat>> = { 8: 'GTIN-8', 12: 'GTIN-12', 13: 'GTIN-13', 14: 'GTIN-14' };

/** Digits-only check of `value` for `key`, then the check digit at `checkAt`. */
function checkDigits(key: KeyType, value: string, digitsLength: number, checkAt: number, offset: number): Gs1Error | null {
  const bad = firstNonDigit(value, digitsLength);
  if (bad >= 0) return { kind: 'keyFormat', key, position: offset + bad, message: `${key} contains non-digit ${JSON.stringify(value[bad])} at position ${offset + bad}` };
  const expected = gs1CheckDigit(value, checkAt);
  const actual = value.charCodeAt(checkAt) - 48;
  if (expected !== actual) return { kind: 'checkDigit', key, position: offset + checkAt, actual, expected, message: `check digit of ${key} is ${actual}, expected ${expected}` };
  return null;
}

function lengthError(key: KeyType, value: string, wanted: string): Gs1Error {
  return { kind: 'keyFormat', key, position: 0, message: `${key} must have ${wanted}, got ${value.length} characters` };
}

/**
 * Validate a GTIN-8, -12, -13 or -14 and return its 14-digit form.
 * @example parseGtin('9520123456788') // ok({ gtin14: '09520123456788', format: 'GTIN-13' })
 */
export function parseGtin(value: string): Result<Gtin, Gs1Error> {
  const format = GTIN_FORMAT_BY_LENGTH[value.length];
  if (format === undefined) return err(lengthError('GTIN', value, '8, 12, 13 or 14 digits'));
  const e = checkDigits(format, value, value.length, value.length - 1, 0);
  if (e) return err(e);
  return ok({ gtin14: value.padStart(14, '0'), format });
}

/** The GS1 check digit of a GTIN, GLN, SSCC or other key given without it (digits only). */
export function computeCheckDigit(digitsWithoutCheck: string): Result<number, Gs1Error> {
  const bad = firstNonDigit(digitsWithoutCheck);
  if (digitsWithoutCheck.length === 0 || bad >= 0) {
    return err({ kind: 'keyFormat', key: 'GTIN', position: Math.max(0, bad), message: 'check digits are computed over a non-empty string of digits' });
  }
  return ok(gs1CheckDigit(digitsWithoutCheck));
}

/**
 * The shortest GTIN format that can carry a GTIN-14 (dropping leading zeros), e.g. for
 * printing an EAN-13 or UPC-A. GTIN-8 is only chosen when six leading zeros are present.
 */
export function shortestGtin(gtin14: string): Gtin {
  if (gtin14.startsWith('000000')) return { gtin14, format: 'GTIN-8' };
  if (gtin14.startsWith('00')) return { gtin14, format: 'GTIN-12' };
  if (gtin14.startsWith('0')) return { gtin14, format: 'GTIN-13' };
  return { gtin14, format: 'GTIN-14' };
}

/** A GTIN-14 written in one of the shorter formats (only when the leading digits are zeros). */
export function formatGtin(gtin14: string, format: GtinFormat): Result<string, Gs1Error> {
  const len = Number(format.slice(5));
  const dropped = gtin14.slice(0, 14 - len);
  if (gtin14.length !== 14 || /[^0]/.test(dropped)) {
    return err({ kind: 'keyFormat', key: format, position: 0, message: `GTIN ${gtin14} cannot be written as ${format}: its leading digits are not zero` });
  }
  return ok(gtin14.slice(14 - len));
}

/** Validate a 13-digit Global Location Number. */
export function parseGln(value: string): Result<string, Gs1Error> {
  if (value.length !== 13) return err(lengthError('GLN', value, '13 digits'));
  const e = checkDigits('GLN', value, 13, 12, 0);
  return e ? err(e) : ok(value);
}

/** Validate an 18-digit Serial Shipping Container Code. */
export function parseSscc(value: string): Result<string, Gs1Error> {
  if (value.length !== 18) return err(lengthError('SSCC', value, '18 digits'));
  const e = checkDigits('SSCC', value, 18, 17, 0);
  return e ? err(e) : ok(value);
}

/** Validate an 18-digit Global Service Relation Number. */
export function parseGsrn(value: string): Result<string, Gs1Error> {
  if (value.length !== 18) return err(lengthError('GSRN', value, '18 digits'));
  const e = checkDigits('GSRN', value, 18, 17, 0);
  return e ? err(e) : ok(value);
}

/** Validate a 17-digit Global Shipment Identification Number. */
export function parseGsin(value: string): Result<string, Gs1Error> {
  if (value.length !== 17) return err(lengthError('GSIN', value, '17 digits'));
  const e = checkDigits('GSIN', value, 17, 16, 0);
  return e ? err(e) : ok(value);
}

/** A 13-digit key with check digit followed by an optional serial component (GRAI, GDTI, GCN). */
function keyWithSerial(key: 'GRAI' | 'GDTI' | 'GCN', value: string, maxSerial: number, numericSerial: boolean): Result<string, Gs1Error> {
  if (value.length < 13 || value.length > 13 + maxSerial) return err(lengthError(key, value, `13 digits plus up to ${maxSerial} serial characters`));
  const e = checkDigits(key, value, 13, 12, 0);
  if (e) return err(e);
  const serial = value.slice(13);
  if (numericSerial ? firstNonDigit(serial) >= 0 : !isCset82(serial)) {
    return err({ kind: 'keyFormat', key, position: 13, message: `${key} serial component "${serial}" must be ${numericSerial ? 'numeric' : 'GS1 character set 82'}` });
  }
  return ok(value);
}

/**
 * Validate a Global Returnable Asset Identifier: 13 digits (with check digit) and an optional
 * serial of up to 16 characters. The leading "0" of AI (8003) is not part of the GRAI.
 */
export function parseGrai(value: string): Result<string, Gs1Error> {
  return keyWithSerial('GRAI', value, 16, false);
}

/** Validate a Global Document Type Identifier: 13 digits and an optional serial of up to 17 characters. */
export function parseGdti(value: string): Result<string, Gs1Error> {
  return keyWithSerial('GDTI', value, 17, false);
}

/** Validate a Global Coupon Number: 13 digits and an optional numeric serial of up to 12 digits. */
export function parseGcn(value: string): Result<string, Gs1Error> {
  return keyWithSerial('GCN', value, 12, true);
}

/** Validate a Global Individual Asset Identifier: GS1 Company Prefix plus asset reference, up to 30 characters of set 82. */
export function parseGiai(value: string): Result<string, Gs1Error> {
  if (value.length < 5 || value.length > 30) return err(lengthError('GIAI', value, '5 to 30 characters'));
  const bad = firstNonDigit(value, 4);
  if (bad >= 0) return err({ kind: 'keyFormat', key: 'GIAI', position: bad, message: 'GIAI must start with a GS1 Company Prefix (digits)' });
  if (!isCset82(value)) return err({ kind: 'keyFormat', key: 'GIAI', position: 0, message: 'GIAI must use GS1 character set 82' });
  return ok(value);
}

/** Validate an Individual Trade Item Piece: a GTIN-14 followed by piece number and total (2+2 digits). */
export function parseItip(value: string): Result<string, Gs1Error> {
  if (value.length !== 18) return err(lengthError('ITIP', value, '18 digits'));
  const e = checkDigits('ITIP', value, 18, 13, 0);
  if (e) return err(e);
  const piece = value.slice(14, 16);
  const total = value.slice(16, 18);
  if (piece === '00' || total === '00' || piece > total) {
    return err({ kind: 'keyFormat', key: 'ITIP', position: 14, message: `ITIP piece ${piece} of ${total} is not a valid piece number` });
  }
  return ok(value);
}

/** Validate any supported key by type (GTIN types accept the exact format only and return it unchanged). */
export function parseKey(key: KeyType, value: string): Result<string, Gs1Error> {
  switch (key) {
    case 'GTIN':
      return mapGtin(parseGtin(value));
    case 'GTIN-8':
    case 'GTIN-12':
    case 'GTIN-13':
    case 'GTIN-14': {
      const r = parseGtin(value);
      if (!r.ok) return r;
      return r.value.format === key ? ok(value) : err(lengthError(key, value, `${key.slice(5)} digits`));
    }
    case 'GLN':
      return parseGln(value);
    case 'SSCC':
      return parseSscc(value);
    case 'GRAI':
      return parseGrai(value);
    case 'GIAI':
      return parseGiai(value);
    case 'GSRN':
      return parseGsrn(value);
    case 'GDTI':
      return parseGdti(value);
    case 'GCN':
      return parseGcn(value);
    case 'GSIN':
      return parseGsin(value);
    case 'ITIP':
      return parseItip(value);
    default: {
      const never: never = key;
      return never;
    }
  }
}

function mapGtin(r: Result<Gtin, Gs1Error>): Result<string, Gs1Error> {
  return r.ok ? ok(r.value.gtin14) : r;
}

/**
 * Code-list linters: ISO 3166 country codes, ISO 4217 currencies, ISO 5218 sex codes,
 * AIDC media types, package types and small enumerations.
 */
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPES } from './code-lists.data.ts';
import { lintFail, type LintFailure } from './lint-failure.ts';

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((s) => s.length > 0));
}

const iso3166 = toSet(ISO3166_NUMERIC);
const iso3166alpha2 = toSet(ISO3166_ALPHA2);
const iso4217 = toSet(ISO4217_NUMERIC);
const packageTypes = toSet(PACKAGE_TYPES);

/** Whether `code` is an ISO 3166-1 numeric country code. */
export function isIso3166Numeric(code: string): boolean {
  return iso3166.has(code);
}

/** Whether `code` is an ISO 3166-1 alpha-2 country code. */
export function isIso3166Alpha2(code: string): boolean {
  return iso3166alpha2.has(code);
}

/** `iso3166`: an ISO 3166-1 numeric country code. */
export function lintIso3166(data: string): LintFailure | null {
  return iso3166.has(data) ? null : lintFail('NOT_ISO3166', 0, data.length);
}

/** `iso3166999`: an ISO 3166-1 numeric country code, or 999 for "unknown". */
export function lintIso3166999(data: string): LintFailure | null {
  return data === '999' || iso3166.has(data) ? null : lintFail('NOT_ISO3166_OR_999', 0, data.length);
}

/** `iso3166alpha2`: an ISO 3166-1 alpha-2 country code. */
export function lintIso3166Alpha2(data: string): LintFailure | null {
  return iso3166alpha2.has(data) ? null : lintFail('NOT_ISO3166_ALPHA2', 0, data.length);
}

/** `iso4217`: an ISO 4217 numeric currency code. */
export function lintIso4217(data: string): LintFailure | null {
  return iso4217.has(data) ? null : lintFail('NOT_ISO4217', 0, data.length);
}

/** `iso5218`: 0 (not known), 1 (male), 2 (female) or 9 (not applicable). */
export function lintIso5218(data: string): LintFailure | null {
  return data === '0' || data === '1' || data === '2' || data === '9' ? null : lintFail('INVALID_BIOLOGICAL_SEX_CODE', 0, data.length);
}

/** `mediatype`: an AIDC media type 01-10, or 80-99 for company-internal use. */
export function lintMediaType(data: string): LintFailure | null {
  if (data.length === 2) {
    const a = data.charCodeAt(0) - 48;
    const b = data.charCodeAt(1) - 48;
    if (a >= 0 && a <= 9 && b >= 0 && b <= 9) {
      const v = a * 10 + b;
      if ((v >= 1 && v <= 10) || v >= 80) return null;
    }
  }
  return lintFail('INVALID_MEDIA_TYPE', 0, data.length);
}

/** `packagetype`: a GS1 PackageTypeCode. */
export function lintPackageType(data: string): LintFailure | null {
  return packageTypes.has(data) ? null : lintFail('INVALID_PACKAGE_TYPE', 0, data.length);
}

/** `yesno`: 0 or 1. */
export function lintYesNo(data: string): LintFailure | null {
  return data === '0' || data === '1' ? null : lintFail('NOT_ZERO_OR_ONE', 0, data.length);
}

/** `winding`: 0 (face out), 1 (face in) or 9 (undefined). */
export function lintWinding(data: string): LintFailure | null {
  return data === '0' || data === '1' || data === '9' ? null : lintFail('INVALID_WINDING_DIRECTION', 0, data.length);
}

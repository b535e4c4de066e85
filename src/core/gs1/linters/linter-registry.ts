/**
 * The named GS1 Barcode Syntax Tests referenced by the Syntax Dictionary, plus the
 * character-set tests that the framework applies to every component.
 */
import { lintCsum, lintCsumAlpha } from './check-characters.ts';
import { lintCset39, lintCset64, lintCset82, lintCsetNumeric } from './charset.ts';
import {
  lintIso3166,
  lintIso3166999,
  lintIso3166Alpha2,
  lintIso4217,
  lintIso5218,
  lintMediaType,
  lintPackageType,
  lintWinding,
  lintYesNo,
} from './code-lists.ts';
import { lintCouponCode, lintCouponPosOffer } from './coupon.ts';
import { lintHh, lintHhmi, lintMi, lintSs, lintYymmd0, lintYymmdd, lintYyyymmd0, lintYyyymmdd } from './date-time.ts';
import type { Linter } from './lint-failure.ts';
import {
  lintGcpPos1,
  lintGcpPos2,
  lintHasNonDigit,
  lintHyphen,
  lintIban,
  lintImporterIdx,
  lintLatitude,
  lintLongitude,
  lintNonZero,
  lintNoZeroPrefix,
  lintPcenc,
  lintPieceOfTotal,
  lintPosInSeqSlash,
  lintZero,
} from './structured.ts';

/** Every linter by its Syntax Dictionary name. */
export const linters = {
  csetnumeric: lintCsetNumeric,
  cset82: lintCset82,
  cset39: lintCset39,
  cset64: lintCset64,
  csum: lintCsum,
  csumalpha: lintCsumAlpha,
  gcppos1: lintGcpPos1,
  gcppos2: lintGcpPos2,
  yymmdd: lintYymmdd,
  yymmd0: lintYymmd0,
  yyyymmdd: lintYyyymmdd,
  yyyymmd0: lintYyyymmd0,
  hh: lintHh,
  mi: lintMi,
  ss: lintSs,
  hhmi: lintHhmi,
  iso3166: lintIso3166,
  iso3166999: lintIso3166999,
  iso3166alpha2: lintIso3166Alpha2,
  iso4217: lintIso4217,
  iso5218: lintIso5218,
  mediatype: lintMediaType,
  packagetype: lintPackageType,
  yesno: lintYesNo,
  winding: lintWinding,
  zero: lintZero,
  nonzero: lintNonZero,
  nozeroprefix: lintNoZeroPrefix,
  hyphen: lintHyphen,
  hasnondigit: lintHasNonDigit,
  pcenc: lintPcenc,
  importeridx: lintImporterIdx,
  latitude: lintLatitude,
  longitude: lintLongitude,
  pieceoftotal: lintPieceOfTotal,
  posinseqslash: lintPosInSeqSlash,
  iban: lintIban,
  couponcode: lintCouponCode,
  couponposoffer: lintCouponPosOffer,
} as const satisfies Record<string, Linter>;

/** A linter name as written in the Syntax Dictionary. */
export type LinterName = keyof typeof linters;

/** Whether `name` is a linter this library implements. */
export function isLinterName(name: string): name is LinterName {
  return Object.hasOwn(linters, name);
}

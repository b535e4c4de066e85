/**
 * Coupon linters: the North American Coupon Code in AI (8110) and the positive-offer-file
 * coupon code in AI (8112). Both are sequences of fields, several of them introduced by a
 * variable length indicator (VLI) digit.
 */
import { firstNonDigit } from './charset.ts';
import { lintYymmdd } from './date-time.ts';
import { lintFail, type LinterErrorCode, type LintFailure } from './lint-failure.ts';

/** A forward-only reader over all-digit coupon data; each step returns a failure or null. */
class CouponReader {
  readonly data: string;
  readonly end: number;
  pos = 0;

  constructor(data: string) {
    this.data = data;
    this.end = data.length;
  }

  digit(): number {
    return this.data.charCodeAt(this.pos) - 48;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A field that should start here is absent: the whole data is highlighted. */
  missing(code: LinterErrorCode): LintFailure {
    return lintFail(code, 0, this.end);
  }

  /** Fewer than `need` characters remain. */
  truncated(code: LinterErrorCode, need: number): LintFailure | null {
    const left = this.end - this.pos;
    if (left >= need) return null;
    return left === 0 ? lintFail(code, 0, this.end) : lintFail(code, this.pos, left);
  }

  /** A VLI digit in [min, max] (or `alt`) followed by `digit + add` characters; returns the field length. */
  vliField(
    missing: LinterErrorCode,
    invalid: LinterErrorCode | null,
    truncated: LinterErrorCode,
    min: number,
    max: number,
    add: number,
    alt: { readonly digit: number; readonly length: number } | null = null,
  ): LintFailure | number {
    if (this.atEnd()) return this.missing(missing);
    const d = this.digit();
    let length: number;
    if (alt !== null && d === alt.digit) length = alt.length;
    else if (d < min || d > max) return lintFail(invalid ?? missing, this.pos, 1);
    else length = d + add;
    this.pos++;
    const t = this.truncated(truncated, length);
    if (t) return t;
    this.pos += length;
    return length;
  }
}

function isFailure(v: LintFailure | number | null): v is LintFailure {
  return v !== null && typeof v === 'object';
}

/** Requirement VLI, requirement code and family code of one purchase. */
function purchase(
  r: CouponReader,
  codes: {
    readonly missingVli: LinterErrorCode;
    readonly invalidVli: LinterErrorCode;
    readonly truncatedRequirement: LinterErrorCode;
    readonly missingCode: LinterErrorCode;
    readonly invalidCode: LinterErrorCode;
    readonly truncatedFamily: LinterErrorCode;
  },
): LintFailure | null {
  const req = r.vliField(codes.missingVli, codes.invalidVli, codes.truncatedRequirement, 1, 5, 0);
  if (isFailure(req)) return req;
  if (r.atEnd()) return r.missing(codes.missingCode);
  const code = r.digit();
  if (code > 4 && code !== 9) return lintFail(codes.invalidCode, r.pos, 1);
  r.pos++;
  const fam = r.truncated(codes.truncatedFamily, 3);
  if (fam) return fam;
  r.pos += 3;
  return null;
}

/** A GCP VLI (0-6 meaning 6-12 digits, or 9 meaning "none") and the GCP. */
function purchaseGcp(r: CouponReader, missing: LinterErrorCode, invalid: LinterErrorCode, truncated: LinterErrorCode): LintFailure | null {
  const v = r.vliField(missing, invalid, truncated, 0, 6, 6, { digit: 9, length: 0 });
  return isFailure(v) ? v : null;
}

function couponDate(r: CouponReader, tooShort: LinterErrorCode, invalid: LinterErrorCode): LintFailure | number {
  r.pos++;
  const t = r.truncated(tooShort, 6);
  if (t) return t;
  const at = r.pos;
  if (lintYymmdd(r.data.slice(at, at + 6))) return lintFail(invalid, at, 6);
  r.pos += 6;
  return at;
}

/** `couponcode`: the North American Coupon Code carried in AI (8110). */
export function lintCouponCode(data: string): LintFailure | null {
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  const r = new CouponReader(data);

  // Primary GS1 Company Prefix: VLI 0-6 → 6-12 digits (all digits, so always a plausible GCP).
  const gcp = r.vliField('COUPON_MISSING_GCP_VLI', 'COUPON_INVALID_GCP_LENGTH', 'COUPON_TRUNCATED_GCP', 0, 6, 6);
  if (isFailure(gcp)) return gcp;
  const offer = r.truncated('COUPON_TRUNCATED_OFFER_CODE', 6);
  if (offer) return offer;
  r.pos += 6;
  const save = r.vliField('COUPON_MISSING_SAVE_VALUE_VLI', 'COUPON_INVALID_SAVE_VALUE_LENGTH', 'COUPON_TRUNCATED_SAVE_VALUE', 1, 5, 0);
  if (isFailure(save)) return save;
  const first = purchase(r, {
    missingVli: 'COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI',
    invalidVli: 'COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH',
    truncatedRequirement: 'COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT',
    missingCode: 'COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE',
    invalidCode: 'COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE',
    truncatedFamily: 'COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE',
  });
  if (first) return first;

  // Optional field 1: additional purchase rules and a second purchase.
  if (!r.atEnd() && r.digit() === 1) {
    r.pos++;
    if (r.atEnd()) return r.missing('COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE');
    if (r.digit() > 3) return lintFail('COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE', r.pos, 1);
    r.pos++;
    const second = purchase(r, {
      missingVli: 'COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI',
      invalidVli: 'COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH',
      truncatedRequirement: 'COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT',
      missingCode: 'COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE',
      invalidCode: 'COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE',
      truncatedFamily: 'COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE',
    });
    if (second) return second;
    const g = purchaseGcp(r, 'COUPON_MISSING_2ND_PURCHASE_GCP_VLI', 'COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH', 'COUPON_TRUNCATED_2ND_PURCHASE_GCP');
    if (g) return g;
  }

  // Optional field 2: a third purchase.
  if (!r.atEnd() && r.digit() === 2) {
    r.pos++;
    const third = purchase(r, {
      missingVli: 'COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI',
      invalidVli: 'COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH',
      truncatedRequirement: 'COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT',
      missingCode: 'COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE',
      invalidCode: 'COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE',
      truncatedFamily: 'COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE',
    });
    if (third) return third;
    const g = purchaseGcp(r, 'COUPON_MISSING_3RD_PURCHASE_GCP_VLI', 'COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH', 'COUPON_TRUNCATED_3RD_PURCHASE_GCP');
    if (g) return g;
  }

  // Optional fields 3 and 4: expiration and start dates; expiry must not precede start.
  let expiryAt = -1;
  if (!r.atEnd() && r.digit() === 3) {
    const at = couponDate(r, 'COUPON_TOO_SHORT_FOR_EXPIRATION_DATE', 'COUPON_INVALID_EXIPIRATION_DATE');
    if (isFailure(at)) return at;
    expiryAt = at;
  }
  if (!r.atEnd() && r.digit() === 4) {
    const at = couponDate(r, 'COUPON_TOO_SHORT_FOR_START_DATE', 'COUPON_INVALID_START_DATE');
    if (isFailure(at)) return at;
    if (expiryAt >= 0 && data.slice(at, at + 6) > data.slice(expiryAt, expiryAt + 6)) {
      return lintFail('COUPON_EXPIRATION_BEFORE_START', at - 8, 14);
    }
  }

  // Optional field 5: serial number, VLI 0-9 → 6-15 digits.
  if (!r.atEnd() && r.digit() === 5) {
    r.pos++;
    const s = r.vliField('COUPON_MISSING_SERIAL_NUMBER_VLI', null, 'COUPON_TRUNCATED_SERIAL_NUMBER', 0, 9, 6);
    if (isFailure(s)) return s;
  }

  // Optional field 6: retailer GCP or GLN, VLI 1-7 → 7-13 digits.
  if (!r.atEnd() && r.digit() === 6) {
    r.pos++;
    const g = r.vliField('COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI', 'COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH', 'COUPON_TRUNCATED_RETAILER_GCP_OR_GLN', 1, 7, 6);
    if (isFailure(g)) return g;
  }

  // Optional field 9: save value code, applies-to item, store coupon flag, don't-multiply flag.
  if (!r.atEnd() && r.digit() === 9) {
    r.pos++;
    if (r.atEnd()) return r.missing('COUPON_MISSING_SAVE_VALUE_CODE');
    const svc = r.digit();
    if (svc !== 0 && svc !== 1 && svc !== 2 && svc !== 5 && svc !== 6) return lintFail('COUPON_INVALID_SAVE_VALUE_CODE', r.pos, 1);
    r.pos++;
    if (r.atEnd()) return r.missing('COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM');
    if (r.digit() > 2) return lintFail('COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM', r.pos, 1);
    r.pos++;
    if (r.atEnd()) return r.missing('COUPON_MISSING_STORE_COUPON_FLAG');
    r.pos++;
    if (r.atEnd()) return r.missing('COUPON_MISSING_DONT_MULTIPLY_FLAG');
    if (r.digit() > 1) return lintFail('COUPON_INVALID_DONT_MULTIPLY_FLAG', r.pos, 1);
    r.pos++;
  }

  return r.atEnd() ? null : lintFail('COUPON_EXCESS_DATA', r.pos, r.end - r.pos);
}

/** `couponposoffer`: the positive-offer-file coupon code carried in AI (8112). */
export function lintCouponPosOffer(data: string): LintFailure | null {
  const bad = firstNonDigit(data);
  if (bad >= 0) return lintFail('NON_DIGIT_CHARACTER', bad, 1);
  const r = new CouponReader(data);
  if (r.atEnd()) return r.missing('COUPON_MISSING_FORMAT_CODE');
  if (r.digit() > 1) return lintFail('COUPON_INVALID_FORMAT_CODE', 0, 1);
  r.pos++;
  const funder = r.vliField('COUPON_MISSING_FUNDER_VLI', 'COUPON_INVALID_FUNDER_LENGTH', 'COUPON_TRUNCATED_FUNDER', 0, 6, 6);
  if (isFailure(funder)) return funder;
  const offer = r.truncated('COUPON_TRUNCATED_OFFER_CODE', 6);
  if (offer) return offer;
  r.pos += 6;
  const serial = r.vliField('COUPON_MISSING_SERIAL_NUMBER_VLI', null, 'COUPON_TRUNCATED_SERIAL_NUMBER', 0, 9, 6);
  if (isFailure(serial)) return serial;
  return r.atEnd() ? null : lintFail('COUPON_EXCESS_DATA', r.pos, r.end - r.pos);
}

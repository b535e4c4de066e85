/**
 * Errors of label and barcode rendering. Bad input is reported as a value; GS1 rule violations
 * keep the GS1 error as their cause.
 */
import type { Gs1Error } from '../core/gs1/gs1-error.ts';

/** Every label error, discriminated by `kind`. */
export type LabelError =
  /** A request field is invalid; `field` is a JSON pointer into the request. */
  | { readonly kind: 'invalidInput'; readonly field: string; readonly message: string; readonly cause?: Gs1Error }
  /** The barcode encoder refused the data (e.g. too much data for the symbology). */
  | { readonly kind: 'encoding'; readonly message: string }
  /** A font file could not be found or read. */
  | { readonly kind: 'font'; readonly message: string };

/** An invalid-input error for `field`, optionally wrapping the GS1 error that caused it. */
export function invalidInput(field: string, message: string, cause?: Gs1Error): LabelError {
  return cause === undefined ? { kind: 'invalidInput', field, message } : { kind: 'invalidInput', field, message, cause };
}

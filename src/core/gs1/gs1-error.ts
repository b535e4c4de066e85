/**
 * Typed errors of the GS1 library. Parsers return these inside a Result and never throw on
 * user input. Every error names the position in the input (0-based, in UTF-16 code units)
 * and the rule that was broken, with a message a person can act on.
 */
import { DomainError } from '../errors.ts';
import type { LinterErrorCode } from './linters/lint-failure.ts';
import type { LinterName } from './linters/linter-registry.ts';

/** Rules of element-string and Digital Link syntax whose violation is reported as `syntax`. */
export type SyntaxRule =
  | 'empty'
  | 'missingFnc1'
  | 'expectedAi'
  | 'unterminatedAi'
  | 'aiNotNumeric'
  | 'aiLength'
  | 'emptyValue'
  | 'valueTooShort'
  | 'valueTooLong'
  | 'illegalCharacter'
  | 'unknownAiLength'
  | 'trailingData';

/** Digital Link rules (GS1 Digital Link standard 1.4 and the GS1 Syntax Engine's checks). */
export type DigitalLinkRule =
  | 'illegalCharacter'
  | 'scheme'
  | 'domain'
  | 'noPrimaryKey'
  | 'emptyPathValue'
  | 'illegalNull'
  | 'keyQualifierSequence'
  | 'unknownQueryAi'
  | 'emptyQueryValue'
  | 'duplicateAi'
  | 'notDataAttribute'
  | 'shouldBeInPath'
  | 'zeroSuppressedGtin'
  | 'stem';

/** AI association rules from the Syntax Dictionary (`req=`, `ex=`) and the general AI rules. */
export type AssociationRule = 'requisite' | 'mutex' | 'repeat' | 'digsigSerial';

/** GS1 identification keys this library validates on their own. */
export type KeyType = 'GTIN-8' | 'GTIN-12' | 'GTIN-13' | 'GTIN-14' | 'GTIN' | 'GLN' | 'SSCC' | 'GRAI' | 'GIAI' | 'GSRN' | 'GDTI' | 'GCN' | 'GSIN' | 'ITIP';

/** Scan-data (symbology identifier) rules. */
export type ScanDataRule = 'noSymbologyIdentifier' | 'unknownSymbology' | 'emptyData' | 'notGs1Data' | 'badPrimaryData' | 'unsupportedSymbology';

/** EPC URI (GS1 Tag Data Standard) rules. */
export type EpcRule = 'notEpcUri' | 'unknownScheme' | 'componentCount' | 'companyPrefix' | 'componentLength' | 'componentCharacter' | 'escape' | 'notConvertible';

/** Batch-code pattern and value rules. */
export type BatchCodeRule = 'pattern' | 'literal' | 'field' | 'date' | 'length' | 'charset' | 'value';

/** Every error of the GS1 library, discriminated by `kind`. */
export type Gs1Error =
  | { readonly kind: 'syntax'; readonly rule: SyntaxRule; readonly position: number; readonly message: string; readonly ai?: string }
  | { readonly kind: 'unknownAi'; readonly ai: string; readonly position: number; readonly message: string }
  | {
      readonly kind: 'lint';
      readonly ai: string;
      readonly linter: LinterName;
      readonly code: LinterErrorCode;
      readonly position: number;
      readonly length: number;
      readonly message: string;
    }
  | { readonly kind: 'association'; readonly rule: AssociationRule; readonly ai: string; readonly related: string; readonly position: number; readonly message: string }
  | { readonly kind: 'digitalLink'; readonly rule: DigitalLinkRule; readonly position: number; readonly message: string; readonly ai?: string }
  | { readonly kind: 'scanData'; readonly rule: ScanDataRule; readonly position: number; readonly message: string }
  | {
      readonly kind: 'checkDigit';
      readonly key: KeyType;
      readonly position: number;
      readonly actual: number;
      readonly expected: number;
      readonly message: string;
    }
  | { readonly kind: 'keyFormat'; readonly key: KeyType; readonly position: number; readonly message: string }
  | { readonly kind: 'epc'; readonly rule: EpcRule; readonly position: number; readonly message: string }
  | { readonly kind: 'batchCode'; readonly rule: BatchCodeRule; readonly position: number; readonly message: string; readonly field?: string }
  | { readonly kind: 'conversion'; readonly position: number; readonly message: string }
  | { readonly kind: 'unrecognised'; readonly position: number; readonly message: string };

/** The kinds of Gs1Error. */
export type Gs1ErrorKind = Gs1Error['kind'];

/** Machine-readable rule name of an error, for API error details. */
export function gs1ErrorRule(e: Gs1Error): string {
  switch (e.kind) {
    case 'syntax':
    case 'association':
    case 'digitalLink':
    case 'scanData':
    case 'epc':
    case 'batchCode':
      return e.rule;
    case 'lint':
      return `${e.linter}:${e.code}`;
    case 'unknownAi':
    case 'checkDigit':
    case 'keyFormat':
    case 'conversion':
    case 'unrecognised':
      return e.kind;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * Wrap a GS1 error as the one user-facing DomainError (ValidationException, HTTP 400), with
 * `pointer` pointing at the field that carried the code (e.g. `/code`) plus the position.
 */
export function toDomainError(e: Gs1Error, pointer: string = ''): DomainError {
  return new DomainError('ValidationException', e.message, [{ pointer, message: `at position ${e.position}: ${e.message}`, rule: gs1ErrorRule(e) }]);
}

/**
 * The one error registry. Every error a user can cause has a code here, an HTTP status,
 * and (where the standard has one) the EPCIS exception name as its code.
 */
export const errorCodes = {
  ValidationException: 400,
  QueryParameterException: 400,
  QueryTooLargeException: 413,
  QueryTooComplexException: 413,
  ImplementationException: 500,
  NoSuchResourceException: 404,
  NoSuchNameException: 404,
  SecurityException: 403,
  CaptureLimitExceededException: 413,
  UnsupportedMediaTypeException: 415,
  NotAcceptableException: 406,
  MalformedJsonException: 400,
  PayloadTooLargeException: 413,
  UnauthorizedException: 401,
  ConflictException: 409,
  RateLimitedException: 429,
  InvalidStateException: 409,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One problem inside an input, pointing at the offending field. */
export interface ErrorDetail {
  /** JSON pointer (RFC 6901) into the request body, or `row:col` for CSV input. */
  readonly pointer: string;
  readonly message: string;
  /** Machine-readable rule name, e.g. `required`, `checkDigit`, `cbvBareWord`. */
  readonly rule?: string;
  /** For tabular input (CSV/XLSX): the 1-based row, counting the header as row 1. */
  readonly row?: number;
  /** For tabular input: the column header as written in the file. */
  readonly column?: string;
}

/** A user-facing error with a closed code; mapped to HTTP in one place (src/http/errors.ts). */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  /** The HTTP status this error maps to. */
  get status(): number {
    return errorCodes[this.code];
  }

  static is(value: unknown): value is DomainError {
    return value instanceof DomainError;
  }
}

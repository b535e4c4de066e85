import { normaliseTimeStamp } from '../core/epcis/event.ts';
import { DomainError } from '../core/errors.ts';

/** A date-time from a request: RFC 3339 with a time-zone offset and a year from 1 to 9999, else a 400 naming `pointer`. */
export function timeParam(value: string, pointer: string): Date {
  const iso = normaliseTimeStamp(value);
  if (iso === null) {
    throw new DomainError(pointer.startsWith('/query') ? 'QueryParameterException' : 'ValidationException', `${pointer.split('/').pop()} must be a date-time with a time-zone offset, e.g. 2025-09-05T08:00:00+08:00`, [
      { pointer, message: 'expected an RFC 3339 date-time with a time-zone offset (years 0001 to 9999)', rule: 'format' },
    ]);
  }
  return new Date(iso);
}

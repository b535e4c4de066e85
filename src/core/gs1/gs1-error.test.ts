import { describe, expect, it } from 'vitest';
import { parseAnyCode } from './any-code.ts';
import { gs1ErrorRule, toDomainError } from './gs1-error.ts';

describe('GS1 errors as domain errors', () => {
  it('become ValidationException (400) pointing at the field and naming the rule', () => {
    const r = parseAnyCode('(01)09520123456789');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(gs1ErrorRule(r.error)).toBe('csum:INCORRECT_CHECK_DIGIT');
    const e = toDomainError(r.error, '/code');
    expect(e.code).toBe('ValidationException');
    expect(e.status).toBe(400);
    expect(e.message).toBe('AI (01) GTIN: check digit is 9, expected 8');
    expect(e.details).toEqual([{ pointer: '/code', message: 'at position 17: AI (01) GTIN: check digit is 9, expected 8', rule: 'csum:INCORRECT_CHECK_DIGIT' }]);
  });
});

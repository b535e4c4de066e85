import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit } from './check-digit.ts';
import { computeCheckDigit, formatGtin, parseGcn, parseGdti, parseGiai, parseGln, parseGrai, parseGsrn, parseGtin, parseItip, parseKey, parseSscc, shortestGtin } from './keys.ts';

describe('GTIN', () => {
  it('normalises every format to 14 digits', () => {
    expect(parseGtin('02345673')).toEqual({ ok: true, value: { gtin14: '00000002345673', format: 'GTIN-8' } });
    expect(parseGtin('416000336108')).toEqual({ ok: true, value: { gtin14: '00416000336108', format: 'GTIN-12' } });
    expect(parseGtin('9520123456788')).toEqual({ ok: true, value: { gtin14: '09520123456788', format: 'GTIN-13' } });
    expect(parseGtin('19520123456785')).toEqual({ ok: true, value: { gtin14: '19520123456785', format: 'GTIN-14' } });
  });

  it('names the wrong and the expected check digit', () => {
    const r = parseGtin('9520123456787');
    expect(!r.ok && r.error).toEqual({ kind: 'checkDigit', key: 'GTIN-13', position: 12, actual: 7, expected: 8, message: 'check digit of GTIN-13 is 7, expected 8' });
  });

  it('rejects other lengths and non-digits with positions', () => {
    expect(!parseGtin('952012345678').ok).toBe(true);
    const r = parseGtin('95201234567A8');
    expect(!r.ok && r.error).toMatchObject({ kind: 'keyFormat', position: 11 });
    expect(parseGtin('123').ok).toBe(false);
  });

  it('writes a GTIN-14 in shorter formats only when the dropped digits are zeros', () => {
    expect(formatGtin('09520123456788', 'GTIN-13')).toEqual({ ok: true, value: '9520123456788' });
    expect(formatGtin('19520123456785', 'GTIN-13').ok).toBe(false);
    expect(shortestGtin('00000002345673').format).toBe('GTIN-8');
    expect(shortestGtin('00416000336108').format).toBe('GTIN-12');
  });

  it('computes check digits', () => {
    expect(computeCheckDigit('952012345678')).toEqual({ ok: true, value: 8 });
    expect(computeCheckDigit('95201234567X').ok).toBe(false);
  });

  it('catches every single-digit substitution (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), fc.nat(13), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const gtin = body + String(gs1CheckDigit(body));
        expect(parseGtin(gtin).ok).toBe(true);
        const changed = gtin.slice(0, pos) + String((Number(gtin[pos]) + delta) % 10) + gtin.slice(pos + 1);
        expect(parseGtin(changed).ok).toBe(false);
      }),
    );
  });
});

describe('other keys', () => {
  it('validates GLN, SSCC and GSRN', () => {
    expect(parseGln('9520614141234').ok).toBe(false);
    expect(parseGln('4012345000054').ok).toBe(true);
    expect(parseSscc('340123451111111111').ok).toBe(true);
    expect(parseSscc('340123451111111112').ok).toBe(false);
    expect(parseGsrn('401234500000067657').ok).toBe(true);
  });

  it('validates keys with serial components', () => {
    expect(parseGrai('4012345000221334455').ok).toBe(true);
    expect(parseGrai('4012345000221').ok).toBe(true);
    expect(parseGrai('4012345000222').ok).toBe(false);
    expect(parseGdti('4012345000092PO-4711').ok).toBe(true);
    expect(parseGcn('4012345222227123').ok).toBe(true);
    expect(parseGcn('4012345222227A').ok).toBe(false);
    expect(parseGiai('4012345ABC345').ok).toBe(true);
    expect(parseGiai('AB12345').ok).toBe(false);
    expect(parseItip('040123451111180102').ok).toBe(true);
    expect(parseItip('040123451111180302').ok).toBe(false);
  });

  it('dispatches by key type', () => {
    expect(parseKey('GTIN-13', '9520123456788')).toEqual({ ok: true, value: '9520123456788' });
    expect(parseKey('GTIN-14', '9520123456788').ok).toBe(false);
    expect(parseKey('GTIN', '9520123456788')).toEqual({ ok: true, value: '09520123456788' });
    expect(parseKey('SSCC', '340123451111111111').ok).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBatchCodeScheme, DEFAULT_BATCH_CODE_CONFIG, formatBatchCode, parseBatchCode, type BatchCodeScheme } from './batch-code.ts';
import { validateElements } from './element-string.ts';

function scheme(pattern: string, extra: Partial<Parameters<typeof compileBatchCodeScheme>[0]> = {}): BatchCodeScheme {
  const r = compileBatchCodeScheme({ pattern, ...extra });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const std = scheme(DEFAULT_BATCH_CODE_CONFIG.pattern, { lines: ['CS', 'CT', 'L1'], shifts: ['AM', 'PM', 'NT'] });

describe('default batch-code scheme', () => {
  it('formats and parses the documented example', () => {
    expect(formatBatchCode(std, { date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' })).toEqual({ ok: true, value: '251215-CS-AM-001-F1' });
    expect(parseBatchCode(std, '251215-CS-AM-001-F1')).toEqual({ ok: true, value: { date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' } });
  });

  it('leaves out the optional variant', () => {
    expect(formatBatchCode(std, { date: '2025-12-15', line: 'CS', shift: 'PM', sequence: 42 })).toEqual({ ok: true, value: '251215-CS-PM-042' });
    expect(parseBatchCode(std, '251215-CS-PM-042')).toEqual({ ok: true, value: { date: '2025-12-15', line: 'CS', shift: 'PM', sequence: 42 } });
  });

  it('gives precise parse errors', () => {
    const cases: [string, string, number][] = [
      ['251315-CS-AM-001', 'month 13 at position 2 is not 01-12', 2],
      ['250230-CS-AM-001', 'day 30 at position 4 does not exist in 2025-02', 4],
      ['251215_CS-AM-001', 'expected "-" at position 6, found "_"', 6],
      ['251215-XX-AM-001', 'line code "XX" is not one of CS, CT, L1', 7],
      ['251215-CS-AM-01', 'expected a 3-digit sequence number at position 13', 13],
      ['251215-CS-AM-000', 'sequence number at position 13 must not be zero', 13],
      ['251215-CS-AM-001-', 'expected a variant code at position 17', 17],
      ['251215-CS-AM-001-f1', 'variant code "f1" must be upper-case letters and digits', 17],
    ];
    for (const [code, message, position] of cases) {
      const r = parseBatchCode(std, code);
      expect(r.ok ? 'ok' : [r.error.message, r.error.position], code).toEqual([message, position]);
    }
  });

  it('rejects bad parts when formatting', () => {
    expect(formatBatchCode(std, { date: '2025-02-29', line: 'CS', shift: 'AM', sequence: 1 }).ok).toBe(false);
    expect(formatBatchCode(std, { date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1000 }).ok).toBe(false);
    expect(formatBatchCode(std, { date: '2025-12-15', line: 'ZZ', shift: 'AM', sequence: 1 }).ok).toBe(false);
    expect(formatBatchCode(std, { date: '1999-12-15', line: 'CS', shift: 'AM', sequence: 1 }).ok).toBe(false);
  });

  it('round-trips every valid combination and always yields a valid AI (10) value (property)', () => {
    const date = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.constantFrom('CS', 'CT', 'L1'), fc.constantFrom('AM', 'PM', 'NT'), fc.integer({ min: 1, max: 999 }), fc.option(fc.stringMatching(/^[A-Z0-9]{1,2}$/), { nil: undefined }), (d, line, shift, sequence, variant) => {
        const parts = variant === undefined ? { date: d, line, shift, sequence } : { date: d, line, shift, sequence, variant };
        const code = formatBatchCode(std, parts);
        expect(code.ok).toBe(true);
        if (!code.ok) return;
        expect(code.value.length).toBeLessThanOrEqual(20);
        expect(validateElements([{ ai: '01', value: '09520123456788' }, { ai: '10', value: code.value }])).toBeNull();
        expect(parseBatchCode(std, code.value)).toEqual({ ok: true, value: parts });
      }),
    );
  });

  it('never throws on junk (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseBatchCode(std, s);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('batch-code patterns', () => {
  it('supports other date forms and free codes', () => {
    const s = scheme('{YYDDD}{LINE:1}{SEQ:4}');
    expect(formatBatchCode(s, { date: '2024-12-31', line: 'B', sequence: 7 })).toEqual({ ok: true, value: '24366B0007' });
    expect(parseBatchCode(s, '24366B0007')).toEqual({ ok: true, value: { date: '2024-12-31', line: 'B', sequence: 7 } });
    expect(parseBatchCode(s, '25366B0007').ok).toBe(false);
    const long = scheme('L{YYYYMMDD}/{SEQ}');
    expect(formatBatchCode(long, { date: '2026-01-02', sequence: 12 })).toEqual({ ok: true, value: 'L20260102/12' });
    expect(parseBatchCode(long, 'L20260102/012').ok).toBe(false);
  });

  it('validates the patterns themselves', () => {
    const bad: [string, string][] = [
      ['{YYMMDD}-{FOO}', 'unknown field "{FOO}" at position 9; use {YYMMDD}, {YYYYMMDD}, {YYDDD}, {LINE}, {SHIFT}, {VARIANT} or {SEQ:n}'],
      ['{YYMMDD}-{SEQ:3}-{SEQ:2}', 'field {SEQ} at position 17 repeats a field already in the pattern'],
      ['{YYMMDD}{LINE}{SHIFT}', '{LINE} has no fixed width, so it must be followed by a literal separator'],
      ['{YYYYMMDD}-{LINE}-{SHIFT}-{SEQ:5}', 'codes of this pattern can be 21 characters long; GS1 AI (10) allows at most 20'],
      ['{YYMMDD} {SEQ:3}', 'literal " " at position 8 is not allowed in a GS1 batch/lot number (character set 82)'],
      ['{YYMMDD}-{SEQ:3}[-{VARIANT}', 'the optional group "[" is not closed'],
      ['{YYMMDD}[-{LINE}]-{SEQ:2}', 'the optional group must end the pattern'],
      ['---', 'the pattern has no fields'],
    ];
    for (const [pattern, message] of bad) {
      const r = compileBatchCodeScheme({ pattern });
      expect(r.ok ? 'ok' : r.error.message, pattern).toBe(message);
    }
    expect(compileBatchCodeScheme({ pattern: '{LINE}-{SEQ:2}', lines: ['c1'] }).ok).toBe(false);
  });
});

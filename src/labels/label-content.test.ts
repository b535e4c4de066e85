import { describe, expect, it } from 'vitest';
import { findCjkFont, MISSING_CJK_FONT_MESSAGE } from './cjk-font.ts';
import { buildBatchLabelData, parseLabelDateTime, sequentialSerials } from './label-content.ts';
import { LABEL_LAYOUTS, labelSlot, pageCount } from './label-layout.ts';

describe('label date-times', () => {
  it('keeps the wall-clock time as printed and derives YYMMDD', () => {
    expect(parseLabelDateTime('2025-12-15T08:30+08:00', '/x')).toEqual({
      ok: true,
      value: { date: '2025-12-15', time: '08:30', epochMs: Date.parse('2025-12-15T00:30:00Z'), display: '2025-12-15 08:30', yymmdd: '251215' },
    });
    expect(parseLabelDateTime('2026-01-05', '/x')).toEqual({ ok: true, value: { date: '2026-01-05', time: null, epochMs: null, display: '2026-01-05', yymmdd: '260105' } });
  });

  it('rejects impossible dates and years GS1 dates cannot hold', () => {
    expect(parseLabelDateTime('2025-02-29T10:00Z', '/x').ok).toBe(false);
    expect(parseLabelDateTime('2025-12-15T24:00Z', '/x').ok).toBe(false);
    expect(parseLabelDateTime('1999-12-31', '/x').ok).toBe(false);
  });
});

describe('batch label data', () => {
  const product = { gtin: '09520123456788', nameEn: 'Tofu' };
  const batch = { code: '251215-CS-AM-001', producedAt: '2025-12-15T08:30+08:00', expiresAt: '2025-12-15T09:30+09:00' };

  it('builds one Digital Link and element string per unit', () => {
    const r = buildBatchLabelData(product, { ...batch, expiresAt: '2026-01-05' }, ['S1', 'S/2']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.units.map((u) => u.digitalLink)).toEqual([
      'https://id.gs1.org/01/09520123456788/10/251215-CS-AM-001/21/S1?17=260105',
      'https://id.gs1.org/01/09520123456788/10/251215-CS-AM-001/21/S%2F2?17=260105',
    ]);
    expect(r.value.units[1]?.elements.map((e) => e.ai)).toEqual(['01', '17', '10', '21']);
  });

  it('encodes the production date on request', () => {
    const r = buildBatchLabelData(product, { ...batch, expiresAt: '2026-01-05' }, ['S1'], { stem: 'https://lot.example.cn/', encodeProductionDate: true });
    expect(r.ok && r.value.units[0]?.digitalLink).toBe('https://lot.example.cn/01/09520123456788/10/251215-CS-AM-001/21/S1?11=251215&17=260105');
    expect(r.ok && r.value.units[0]?.elements.map((e) => e.ai)).toEqual(['01', '11', '17', '10', '21']);
  });

  it('compares instants across offsets', () => {
    // 09:30+09:00 is 08:30+08:00: expiry equals production, which is allowed.
    expect(buildBatchLabelData(product, batch, ['1']).ok).toBe(true);
    expect(buildBatchLabelData(product, { ...batch, expiresAt: '2025-12-15T09:29+09:00' }, ['1']).ok).toBe(false);
  });

  it('makes sequential serials', () => {
    expect(sequentialSerials(9, 3, { prefix: 'A', width: 4 })).toEqual(['A0009', 'A0010', 'A0011']);
  });
});

describe('layouts', () => {
  it('places 24 labels per A4 page, row by row', () => {
    const a4 = LABEL_LAYOUTS['a4-3x8'];
    expect(labelSlot(a4, 0)).toEqual({ page: 0, xMm: 0, yMm: 0.5, widthMm: 70, heightMm: 37 });
    expect(labelSlot(a4, 4)).toMatchObject({ page: 0, xMm: 70, yMm: 37.5 });
    expect(labelSlot(a4, 24, { xMm: 1, yMm: -0.5 })).toMatchObject({ page: 1, xMm: 1, yMm: 0 });
    expect(pageCount(a4, 1000)).toBe(42);
    expect(pageCount(LABEL_LAYOUTS['thermal-60x40'], 1000)).toBe(1000);
  });
});

describe('CJK font lookup', () => {
  const files = new Set(['/fonts/a.ttc', '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc']);
  const exists = (p: string): boolean => files.has(p);

  it('prefers an explicit path, then LOTLINE_CJK_FONT, then Debian packages', () => {
    expect(findCjkFont({ path: '/fonts/a.ttc#Face', exists, env: {} })).toEqual({ ok: true, value: { path: '/fonts/a.ttc', postscriptName: 'Face' } });
    expect(findCjkFont({ exists, env: { LOTLINE_CJK_FONT: '/fonts/a.ttc' } })).toEqual({ ok: true, value: { path: '/fonts/a.ttc' } });
    expect(findCjkFont({ exists, env: {} })).toEqual({ ok: true, value: { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei', debianPackage: 'fonts-wqy-zenhei' } });
  });

  it('names the package to install when there is none', () => {
    expect(findCjkFont({ exists: () => false, env: {} })).toEqual({ ok: false, error: { kind: 'font', message: MISSING_CJK_FONT_MESSAGE } });
    expect(findCjkFont({ exists, env: { LOTLINE_CJK_FONT: '/nope.ttf' } })).toEqual({ ok: false, error: { kind: 'font', message: 'LOTLINE_CJK_FONT points to /nope.ttf, which does not exist' } });
  });
});

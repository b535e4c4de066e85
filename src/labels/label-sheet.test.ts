import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnyCode } from '../core/gs1/any-code.ts';
import { GS, parseRaw } from '../core/gs1/element-string.ts';
import { findCjkFont } from './cjk-font.ts';
import { sequentialSerials } from './label-content.ts';
import { LABEL_LAYOUTS, labelSlot } from './label-layout.ts';
import { renderLabelSheet, type LabelSheetRequest } from './label-sheet.ts';
import { crop, decodeGrey, pngToGrey } from './testing/zxing-decode.ts';

// CI installs poppler-utils and a CJK font (.ci/run): there, these checks must run, never skip.
const inCi = process.env.CI === 'true';
const hasPoppler = inCi || (spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0);
const hasCjkFont = inCi || (findCjkFont().ok);
const dir = mkdtempSync(join(tmpdir(), 'lotline-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: LabelSheetRequest = {
  layout: 'a4-3x8',
  product: { gtin: '9520123456788', nameEn: 'Organic Silken Tofu 500 g', nameZh: '有机嫩豆腐 500克' },
  batch: { code: '251215-CS-AM-001', producedAt: '2025-12-15T08:30+08:00', expiresAt: '2026-01-05T23:59+08:00' },
  units: sequentialSerials(100001, 30),
  digitalLinkStem: 'https://lot.example.cn',
  createdAt: new Date('2025-12-15T00:00:00Z'),
};

async function render(req: LabelSheetRequest): Promise<Buffer> {
  const r = await renderLabelSheet(req);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.pdf;
}

/** Rasterise one PDF page at `dpi` with poppler's pdftoppm. */
function rasterise(pdf: Buffer, page: number, dpi: number, name: string): ReturnType<typeof pngToGrey> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = join(dir, `${name}-p${page}`);
  const r = spawnSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, out]);
  expect(r.status, r.stderr.toString()).toBe(0);
  return pngToGrey(readFileSync(`${out}.png`));
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-f', '1', '-l', '1', file, '-']);
  return r.stdout.toString();
}

/** Count page objects in an uncompressed-xref PDF (pdfkit writes one `/Type /Page` per page). */
function countPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

describe('A4 3×8 sheet with QR Codes', () => {
  it('is a valid PDF with one page per 24 labels', async () => {
    const r = await renderLabelSheet(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ pages: 2, labels: 30 });
    const pdf = r.value.pdf;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF\s*$/);
    expect(countPages(pdf)).toBe(2);
    if (hasPoppler) {
      const info = spawnSync('pdfinfo', ['-'], { input: pdf });
      expect(info.stdout.toString()).toMatch(/Pages:\s+2/);
      expect(info.stdout.toString()).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    }
  });

  it.skipIf(!hasPoppler)('prints QR Codes that decode to each unit’s Digital Link (rendered with pdftoppm)', async () => {
    const pdf = await render(base);
    const dpi = 300;
    const page = rasterise(pdf, 2, dpi, 'a4');
    const layout = LABEL_LAYOUTS['a4-3x8'];
    for (const index of [24, 25, 29]) {
      const s = labelSlot(layout, index);
      const px = (mm: number): number => (mm * dpi) / 25.4;
      const text = decodeGrey(crop(page, px(s.xMm), px(s.yMm), px(s.widthMm * 0.5), px(s.heightMm)), 'qrCode');
      const serial = String(100001 + index);
      expect(text).toBe(`https://lot.example.cn/01/09520123456788/10/251215-CS-AM-001/21/${serial}?17=260105`);
      expect(parseAnyCode(text)).toEqual({ ok: true, value: { kind: 'gtin', gtin: '09520123456788', lot: '251215-CS-AM-001', serial, attributes: { '17': '260105' } } });
    }
  });

  it.skipIf(!hasPoppler || !hasCjkFont)('embeds the Chinese name with a CJK font', async () => {
    const text = pdfText(await render(base), 'cjk');
    expect(text).toContain('有机嫩豆腐 500克');
    expect(text).toContain('批号 Batch 251215-CS-AM-001');
    expect(text).toContain('生产 Prod 2025-12-15 08:30');
    expect(text).toContain('到期 Exp 2026-01-05 23:59');
    expect(text).toContain('SN 100001');
  });

  it('still produces labels without a CJK font, with a clear warning', async () => {
    const r = await renderLabelSheet({ ...base, cjkFont: { candidates: [], env: {} } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.warnings).toEqual([
      'no CJK font found for Chinese text: install the Debian package fonts-wqy-microhei (or fonts-noto-cjk), or set LOTLINE_CJK_FONT to a .ttf/.otf/.ttc file; the Chinese product name was left off the labels',
    ]);
    if (hasPoppler) {
      const text = pdfText(r.value.pdf, 'nocjk');
      expect(text).not.toContain('有机');
      expect(text).toContain('Batch 251215-CS-AM-001');
      expect(text).toContain('Organic Silken Tofu 500 g');
    }
  });
});

describe('thermal 60×40 labels with GS1 DataMatrix', () => {
  const req: LabelSheetRequest = { ...base, layout: 'thermal-60x40', symbology: 'gs1DataMatrix', units: ['A-1', 'A-2', 'A-3'], encodeProductionDate: true };

  it('has one page per label', async () => {
    const r = await renderLabelSheet(req);
    expect(r.ok && r.value.pages).toBe(3);
    if (r.ok) expect(countPages(r.value.pdf)).toBe(3);
  });

  it.skipIf(!hasPoppler)('prints GS1 DataMatrix symbols that decode to the unit’s element string', async () => {
    const pdf = await render(req);
    const dpi = 400;
    const page = rasterise(pdf, 2, dpi, 'thermal');
    // The symbol sits in the left part of the label, the text column to its right.
    const text = decodeGrey(crop(page, 0, 0, (28 * dpi) / 25.4, page.height), 'dataMatrix');
    expect(text.startsWith(GS)).toBe(true);
    const r = parseRaw(text.slice(1));
    expect(r.ok && r.value.map(({ ai, value }) => [ai, value])).toEqual([
      ['01', '09520123456788'],
      ['11', '251215'],
      ['17', '260105'],
      ['10', '251215-CS-AM-001'],
      ['21', 'A-2'],
    ]);
  });
});

describe('request validation', () => {
  const cases: [string, Partial<LabelSheetRequest>, string, RegExp][] = [
    ['bad GTIN', { product: { ...base.product, gtin: '9520123456789' } }, '/product/gtin', /check digit of GTIN-13 is 9, expected 8/],
    ['duplicate serial', { units: ['1', '2', '1'] }, '/units/2', /serial "1" occurs twice/],
    ['serial outside set 82', { units: ['1', 'A B'] }, '/units/1', /serial "A B"/],
    ['serial too long', { units: ['X'.repeat(21)] }, '/units/0', /too long/],
    ['batch code too long', { batch: { ...base.batch, code: 'B'.repeat(21) } }, '/batch/code', /too long/],
    ['expiry before production', { batch: { ...base.batch, expiresAt: '2025-12-15T08:00+08:00' } }, '/batch/expiresAt', /before production/],
    ['not a date', { batch: { ...base.batch, producedAt: '15/12/2025' } }, '/batch/producedAt', /not an ISO 8601 date/],
    ['no units', { units: [] }, '/units', /no units/],
    ['bad stem', { digitalLinkStem: 'lot.example.cn' }, '/digitalLinkStem', /not usable as a Digital Link stem/],
  ];
  it.each(cases)('%s', async (_n, change, field, message) => {
    const r = await renderLabelSheet({ ...base, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'invalidInput', field });
      expect(r.error.message).toMatch(message);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseAnyCode } from '../core/gs1/any-code.ts';
import { buildDigitalLink } from '../core/gs1/digital-link.ts';
import { GS, parseRaw } from '../core/gs1/element-string.ts';
import { decodeScanData } from '../core/gs1/scan-data.ts';
import { matrixOf, renderBarcodePng, renderBarcodeSvg } from './barcode.ts';
import { decodePng, decodeSvg } from './testing/zxing-decode.ts';

const unit = [
  { ai: '01', value: '09520123456788' },
  { ai: '11', value: '251215' },
  { ai: '17', value: '261215' },
  { ai: '10', value: '251215-CS-AM-001' },
  { ai: '21', value: 'A(1)/2' },
];
const sscc = [{ ai: '00', value: '095201234567891235' }];

/** zxing reports FNC1 in first position of a DataMatrix as a leading GS. */
function dataMatrixElements(text: string): { ai: string; value: string }[] {
  expect(text.startsWith(GS)).toBe(true);
  const r = parseRaw(text.slice(1));
  expect(r.ok).toBe(true);
  return r.ok ? r.value.map(({ ai, value }) => ({ ai, value })) : [];
}

describe('unit QR Code with a Digital Link', () => {
  const dl = buildDigitalLink(unit, { stem: 'https://lot.example.cn' });
  if (!dl.ok) throw new Error(dl.error.message);
  const content = { kind: 'qrCode', data: dl.value } as const;

  it('decodes from PNG to the same URI and identifier', async () => {
    const png = await renderBarcodePng(content);
    expect(png.ok).toBe(true);
    if (!png.ok) return;
    const text = decodePng(png.value, 'qrCode');
    expect(text).toBe(dl.value);
    expect(parseAnyCode(text)).toEqual({ ok: true, value: { kind: 'gtin', gtin: '09520123456788', lot: '251215-CS-AM-001', serial: 'A(1)/2', attributes: { '11': '251215', '17': '261215' } } });
  });

  it('decodes from SVG', () => {
    const svg = renderBarcodeSvg(content);
    expect(svg.ok && svg.value.startsWith('<svg')).toBe(true);
    if (svg.ok) expect(decodeSvg(svg.value, 'qrCode')).toBe(dl.value);
  });

  it('rejects an invalid Digital Link before encoding', () => {
    const r = renderBarcodeSvg({ kind: 'qrCode', data: 'https://example.com/01/09520123456789' });
    expect(!r.ok && r.error).toMatchObject({ kind: 'invalidInput', field: '/data' });
  });
});

describe('GS1 DataMatrix', () => {
  it('decodes from PNG with FNC1 first and GS only after variable-length AIs', async () => {
    const png = await renderBarcodePng({ kind: 'gs1DataMatrix', elements: unit });
    expect(png.ok).toBe(true);
    if (!png.ok) return;
    const text = decodePng(png.value, 'dataMatrix');
    expect(text).toBe(`${GS}010952012345678811251215172612151025121 5-CS-AM-001${GS}21A(1)/2`.replace(' ', ''));
    expect(dataMatrixElements(text)).toEqual(unit);
  });

  it('decodes from SVG', () => {
    const svg = renderBarcodeSvg({ kind: 'gs1DataMatrix', elements: unit });
    expect(svg.ok).toBe(true);
    if (svg.ok) expect(dataMatrixElements(decodeSvg(svg.value, 'dataMatrix'))).toEqual(unit);
  });

  it('rejects invalid AI data', () => {
    const r = renderBarcodeSvg({ kind: 'gs1DataMatrix', elements: [{ ai: '21', value: '1' }] });
    expect(!r.ok && r.error.kind).toBe('invalidInput');
  });
});

describe('GS1-128 for an SSCC', () => {
  it('decodes from PNG as ]C1 scan data with the same SSCC', async () => {
    const png = await renderBarcodePng({ kind: 'gs1-128', elements: sscc }, { scale: 3 });
    expect(png.ok).toBe(true);
    if (!png.ok) return;
    const text = decodePng(png.value, 'code128');
    expect(text).toBe(']C100095201234567891235');
    const scan = decodeScanData(text);
    expect(scan.ok && scan.value.elements.map(({ ai, value }) => ({ ai, value }))).toEqual(sscc);
  });

  it('decodes a multi-AI logistic label from SVG', () => {
    const elements = [...sscc, { ai: '02', value: '09520123456788' }, { ai: '37', value: '24' }];
    const svg = renderBarcodeSvg({ kind: 'gs1-128', elements }, { humanReadable: false });
    expect(svg.ok).toBe(true);
    if (!svg.ok) return;
    const text = decodeSvg(svg.value, 'code128', 3);
    expect(text).toBe(']C10009520123456789123502095201234567883724');
    const scan = decodeScanData(text);
    expect(scan.ok && scan.value.elements.map(({ ai, value }) => ({ ai, value }))).toEqual(elements);
  });

  it('enforces the 48-character limit', () => {
    const r = renderBarcodeSvg({ kind: 'gs1-128', elements: [...sscc, { ai: '400', value: 'P'.repeat(30) }] });
    expect(!r.ok && r.error.message).toMatch(/at most 48 data characters/);
  });
});

describe('module matrices for vector drawing', () => {
  it('gives QR matrices equal to the encoder', () => {
    const m = matrixOf({ kind: 'qrCode', data: 'https://id.gs1.org/01/09520123456788/21/1' });
    expect(m.ok && m.value.size).toBe(29);
  });
});

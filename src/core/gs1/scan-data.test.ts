import { describe, expect, it } from 'vitest';
import { readConformanceJson } from '../../../test/support/conformance.ts';
import { decodeScanData, encodeScanData, type Symbology } from './scan-data.ts';

interface ToScanVector {
  readonly symbology: string;
  readonly dataString: string;
  readonly shouldSucceed: boolean;
  readonly expectedScanData: string | null;
  readonly options?: { readonly AddCheckDigit?: boolean };
  readonly src: string;
}
interface FromScanVector {
  readonly shouldSucceed: boolean;
  readonly scanData: string;
  readonly expectedSymbology: string;
  readonly expectedDataString: string;
  readonly src: string;
}

const engine = <T>(file: string): T[] => readConformanceJson<{ vectors: T[] }>('gs1-syntax-engine', '_derived', file).vectors;

/**
 * The syntax engine's symbology names mapped to ours. "NONE" (no symbology selected) has no
 * counterpart because the typed API cannot be called without one; its vectors expect failure.
 */
const SYMBOLOGY: Readonly<Record<string, Symbology | undefined>> = {
  NONE: undefined,
  QR: 'qrCode',
  DM: 'dataMatrix',
  DotCode: 'dotCode',
  DataBarExpanded: 'dataBarExpanded',
  DataBarOmni: 'dataBarOmni',
  DataBarLimited: 'dataBarLimited',
  GS1_128_CCA: 'gs1-128',
  GS1_128_CCC: 'gs1-128',
  UPCA: 'upcA',
  UPCE: 'upcE',
  EAN13: 'ean13',
  EAN8: 'ean8',
};

/** What the engine reports for each identifier family (]E0 covers EAN-13, UPC-A and UPC-E). */
const REPORTED: Readonly<Record<Symbology, string>> = {
  qrCode: 'QR',
  dataMatrix: 'DM',
  dotCode: 'DotCode',
  'gs1-128': 'GS1_128_CCA',
  dataBarExpanded: 'DataBarExpanded',
  dataBarOmni: 'DataBarOmni',
  dataBarLimited: 'DataBarLimited',
  ean13: 'EAN13',
  ean8: 'EAN8',
  upcA: 'UPCA',
  upcE: 'UPCE',
  code128: 'CODE128',
};

describe('element string → scan data (gs1-syntax-engine element-string-to-scan-data.json)', () => {
  const vectors = engine<ToScanVector>('element-string-to-scan-data.json');
  it('has all 45 vectors', () => expect(vectors).toHaveLength(45));
  it.each(vectors.map((v) => [`${v.src} ${v.symbology} ${JSON.stringify(v.dataString)}`, v] as const))('%s', (_n, v) => {
    expect(Object.hasOwn(SYMBOLOGY, v.symbology)).toBe(true);
    const symbology = SYMBOLOGY[v.symbology];
    if (symbology === undefined) {
      expect(v.shouldSucceed).toBe(false);
      return;
    }
    const r = encodeScanData(symbology, v.dataString, { addCheckDigit: v.options?.AddCheckDigit === true });
    expect(r.ok, r.ok ? r.value : r.error.message).toBe(v.shouldSucceed);
    if (r.ok) expect(r.value).toBe(v.expectedScanData);
  });
});

describe('scan data → element string (gs1-syntax-engine scan-data-to-element-string.json)', () => {
  const vectors = engine<FromScanVector>('scan-data-to-element-string.json');
  it('has all 54 vectors', () => expect(vectors).toHaveLength(54));
  it.each(vectors.map((v) => [`${v.src} ${JSON.stringify(v.scanData)}`, v] as const))('%s', (_n, v) => {
    const r = decodeScanData(v.scanData);
    expect(r.ok, r.ok ? r.value.dataString : r.error.message).toBe(v.shouldSucceed);
    if (r.ok) {
      expect(REPORTED[r.value.symbology]).toBe(v.expectedSymbology);
      expect(r.value.dataString).toBe(v.expectedDataString);
    }
  });
});

describe('scan data', () => {
  it('round-trips GS1 DataMatrix data', () => {
    const scan = encodeScanData('dataMatrix', '^010952012345678810ABC^17280426');
    expect(scan).toEqual({ ok: true, value: ']d2010952012345678810ABC\u001d17280426' });
    const back = scan.ok ? decodeScanData(scan.value) : null;
    expect(back?.ok && back.value.elements.map((e) => e.ai)).toEqual(['01', '10', '17']);
  });

  it('decodes plain Code 128 (]C0) as plain data', () => {
    const r = decodeScanData(']C0251215-CS-AM-001');
    expect(r.ok && r.value).toMatchObject({ symbology: 'code128', gs1: false, dataString: '251215-CS-AM-001' });
  });
});

import { describe, expect, it } from 'vitest';
import { readConformanceJson } from '../../../test/support/conformance.ts';
import { parseAnyCode, toCanonicalDigitalLink, toEpcUrn, type AnyCode } from './any-code.ts';
import { compileBatchCodeScheme, DEFAULT_BATCH_CODE_CONFIG } from './batch-code.ts';

interface NormaliserVector {
  readonly test: string;
  readonly line: number;
  readonly input: unknown;
  readonly expected: string | null;
}
interface GdstVector {
  readonly epc: string;
  readonly type: 'Class' | 'Instance';
  readonly gtin: string;
  readonly lotOrSerial: string;
}

const normaliser = readConformanceJson<NormaliserVector[]>('epcis-event-hash-generator', '_derived', 'dl_normaliser_vectors.json');

/** The EPCIS event-hash normalisation: EPC URI or Digital Link → canonical DL with the EPC's qualifiers. */
function normalise(input: unknown): string | null {
  // The vectors include a non-string input on purpose; parseAnyCode must reject it without throwing.
  const id = parseAnyCode(input as string, { accept: ['digitalLink', 'epcUri'] });
  if (!id.ok) return null;
  const dl = toCanonicalDigitalLink(id.value, { qualifiers: 'epcis' });
  return dl.ok ? dl.value : null;
}

/**
 * Vectors judged not applicable, by upstream test line. The upstream normaliser accepts these
 * inputs; this library rejects them because they break GS1 rules it enforces everywhere.
 */
const NOT_APPLICABLE: Readonly<Record<number, string>> = {
  53: 'GTIN-8 97803111 has check digit 1, the correct one is 9; upstream does not verify check digits',
  71: 'GTIN-12 040123451234 has check digit 4, the correct one is 5; upstream does not verify check digits',
  75: 'AI (22) CPV has req=01 in the GS1 Barcode Syntax Dictionary, so (8006) with (22) is an invalid pairing (the GS1 Syntax Engine rejects it too); upstream does not check associations',
  77: 'AI (22) with (8006): invalid pairing per the Syntax Dictionary (req=01), see line 75',
  79: 'AI (22) with (8006): invalid pairing per the Syntax Dictionary (req=01), see line 75',
};

describe('EPC URI and Digital Link normalisation (epcis-event-hash-generator dl_normaliser_vectors.json)', () => {
  it('has all 71 vectors', () => expect(normaliser).toHaveLength(71));
  const applicable = normaliser.filter((v) => NOT_APPLICABLE[v.line] === undefined);
  it('applies to 66 of them', () => expect(applicable).toHaveLength(66));
  it.each(applicable.map((v) => [`${v.test}:${v.line} ${String(v.input)}`, v] as const))('%s', (_n, v) => {
    expect(normalise(v.input)).toBe(v.expected);
  });
  it.each(normaliser.filter((v) => NOT_APPLICABLE[v.line] !== undefined).map((v) => [`${v.line}: ${NOT_APPLICABLE[v.line] as string}`, v] as const))('not applicable, rejected on purpose: %s', (_n, v) => {
    expect(v.expected).not.toBeNull();
    expect(normalise(v.input)).toBeNull();
  });

  it('writes back the same EPC URI for every pure-identity vector', () => {
    for (const v of normaliser) {
      if (typeof v.input !== 'string' || !/^urn:epc:(id|class):/.test(v.input)) continue;
      const id = parseAnyCode(v.input);
      expect(id.ok, v.input).toBe(true);
      if (!id.ok) continue;
      // Escaping is canonical on output: "!", "(" and ")" need no escape in an EPC URI.
      expect(toEpcUrn(id.value)).toEqual({ ok: true, value: v.input });
    }
  });
});

describe('GDST URNs (opentraceability epc_tests.json)', () => {
  const vectors = readConformanceJson<GdstVector[]>('opentraceability', 'CSharp', 'OpenTraceability.Tests', 'Data', 'epc_tests.json');
  it('has all 5 vectors', () => expect(vectors).toHaveLength(5));
  it.each(vectors.map((v) => [v.epc, v] as const))('%s', (_n, v) => {
    const r = parseAnyCode(v.epc);
    const expected: AnyCode = v.type === 'Class' ? { kind: 'gdstProduct', classUrn: v.gtin, lot: v.lotOrSerial } : { kind: 'gdstProduct', classUrn: v.gtin, serial: v.lotOrSerial };
    expect(r).toEqual({ ok: true, value: expected });
  });
});

describe('parseAnyCode', () => {
  const gtinWithAll = { kind: 'gtin', gtin: '09520123456788', lot: 'ABC1', serial: '12345', attributes: { '17': '280426' } };

  it('reads the same unit from every form', () => {
    const forms = [
      'https://example.com/01/09520123456788/10/ABC1/21/12345?17=280426',
      'HTTPS://ID.GS1.ORG/01/09520123456788/10/ABC1/21/12345?17=280426',
      '(01)09520123456788(10)ABC1(21)12345(17)280426',
      '(01)09520123456788(17)280426(10)ABC1(21)12345',
      ']d2010952012345678810ABC1\u001d2112345\u001d17280426',
      ']C1010952012345678817280426' + '10ABC1\u001d2112345',
      ']Q3010952012345678810ABC1\u001d2112345\u001d17280426',
      ']Q1https://example.com/01/09520123456788/10/ABC1/21/12345?17=280426',
      '010952012345678810ABC1\u001d2112345\u001d17280426',
      '\u001d010952012345678810ABC1\u001d2112345\u001d17280426\r\n',
    ];
    for (const f of forms) expect(parseAnyCode(f), JSON.stringify(f)).toEqual({ ok: true, value: gtinWithAll });
  });

  it('reads bare GTINs, SSCCs and EAN scans', () => {
    expect(parseAnyCode('9520123456788')).toEqual({ ok: true, value: { kind: 'gtin', gtin: '09520123456788', attributes: {} } });
    expect(parseAnyCode(']E09520123456788')).toEqual({ ok: true, value: { kind: 'gtin', gtin: '09520123456788', attributes: {} } });
    expect(parseAnyCode('340123451111111111')).toEqual({ ok: true, value: { kind: 'sscc', sscc: '340123451111111111', attributes: {} } });
    expect(parseAnyCode('(00)340123451111111111(02)09520123456788(37)24(10)L1')).toEqual({
      ok: true,
      value: { kind: 'sscc', sscc: '340123451111111111', attributes: { '02': '09520123456788', '10': 'L1', '37': '24' } },
    });
  });

  it('reports a wrong GTIN check digit rather than guessing', () => {
    const r = parseAnyCode('9520123456789');
    expect(!r.ok && r.error.message).toBe('check digit of GTIN-13 is 9, expected 8');
    const es = parseAnyCode('0109520123456789');
    expect(!es.ok && es.error.message).toBe('AI (01) GTIN: check digit is 9, expected 8');
  });

  it('returns batch codes and serials for the caller to resolve', () => {
    expect(parseAnyCode('251215-CS-AM-001-F1')).toEqual({ ok: true, value: { kind: 'batchCode', code: '251215-CS-AM-001-F1' } });
    const scheme = compileBatchCodeScheme(DEFAULT_BATCH_CODE_CONFIG);
    if (!scheme.ok) throw new Error('default scheme');
    expect(parseAnyCode(' 251215-CS-AM-001-F1 ', { batchCodeScheme: scheme.value })).toEqual({
      ok: true,
      value: { kind: 'batchCode', code: '251215-CS-AM-001-F1', parts: { date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' } },
    });
    expect(parseAnyCode(']C0251215-CS-AM-001')).toEqual({ ok: true, value: { kind: 'batchCode', code: '251215-CS-AM-001' } });
    expect(parseAnyCode('SN000123')).toEqual({ ok: true, value: { kind: 'batchCode', code: 'SN000123' } });
  });

  it('gives precise errors for broken structured input', () => {
    const cases: [string, string][] = [
      ['https://example.com/01/09520123456789', 'lint'],
      ['https://example.com/99/ABC', 'digitalLink'],
      ['(01)09520123456788(10)', 'syntax'],
      ['urn:epc:id:sgtin:401234.011111.1', 'epc'],
      [']XYdata', 'scanData'],
      ['this is not a code at all, it is a sentence', 'unrecognised'],
      ['', 'unrecognised'],
    ];
    for (const [input, kind] of cases) {
      const r = parseAnyCode(input);
      expect(r.ok ? 'ok' : r.error.kind, input).toBe(kind);
    }
  });

  it('reads legacy Digital Links in scanned QR Codes unless strict', () => {
    const scan = ']Q1https://example.com/gtin/9520123456788/ser/1';
    expect(parseAnyCode(scan)).toEqual({ ok: true, value: { kind: 'gtin', gtin: '09520123456788', serial: '1', attributes: {} } });
    expect(parseAnyCode(scan, { strict: true }).ok).toBe(false);
  });

  it('applies strict mode and accepted forms', () => {
    expect(parseAnyCode('https://example.com/01/9520123456788').ok).toBe(true);
    expect(parseAnyCode('https://example.com/01/9520123456788', { strict: true }).ok).toBe(false);
    expect(parseAnyCode('9520123456788', { accept: ['digitalLink'] }).ok).toBe(false);
  });
});

describe('canonical Digital Link and EPC URI', () => {
  it('writes the canonical form with GTIN-14 and all qualifiers, without attributes by default', () => {
    const id = parseAnyCode('https://brand.example/01/9520123456788/10/L%2F1/21/7?17=280426');
    expect(id.ok).toBe(true);
    if (!id.ok) return;
    expect(toCanonicalDigitalLink(id.value)).toEqual({ ok: true, value: 'https://id.gs1.org/01/09520123456788/10/L%2F1/21/7' });
    expect(toCanonicalDigitalLink(id.value, { includeAttributes: true, stem: 'https://lot.example.cn/' })).toEqual({ ok: true, value: 'https://lot.example.cn/01/09520123456788/10/L%2F1/21/7?17=280426' });
    expect(toCanonicalDigitalLink(id.value, { qualifiers: 'epcis' })).toEqual({ ok: true, value: 'https://id.gs1.org/01/09520123456788/21/7' });
  });

  it('uses the given, the remembered or the default company-prefix length', () => {
    const gtin: AnyCode = { kind: 'gtin', gtin: '09520123456788', serial: '7', attributes: {} };
    expect(toEpcUrn(gtin, 9)).toEqual({ ok: true, value: 'urn:epc:id:sgtin:952012345.0678.7' });
    expect(toEpcUrn(gtin)).toEqual({ ok: true, value: 'urn:epc:id:sgtin:9520123.045678.7' });
    expect(toEpcUrn({ kind: 'gtin', gtin: '09520123456788', lot: 'L1', attributes: {} }, 7)).toEqual({ ok: true, value: 'urn:epc:class:lgtin:9520123.045678.L1' });
    expect(toEpcUrn({ kind: 'gtin', gtin: '09520123456788', attributes: {} }, 7)).toEqual({ ok: true, value: 'urn:epc:idpat:sgtin:9520123.045678.*' });
    const fromUrn = parseAnyCode('urn:epc:id:sgtin:952012345.0678.7');
    expect(fromUrn.ok && toEpcUrn(fromUrn.value)).toEqual({ ok: true, value: 'urn:epc:id:sgtin:952012345.0678.7' });
    expect(toEpcUrn(gtin, 13).ok).toBe(false);
  });

  it('refuses conversions that do not exist', () => {
    expect(toCanonicalDigitalLink({ kind: 'batchCode', code: 'X' }).ok).toBe(false);
    expect(toEpcUrn({ kind: 'gmn', gmn: '1987654Ad4X4bL5ttr2310c2K', attributes: {} }).ok).toBe(false);
  });
});

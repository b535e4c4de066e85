/**
 * Property tests across the GS1 library: format → parse round trips for every AI and key type,
 * check digits catching every single-digit change, and no parser ever throwing on junk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AiDefinition } from './ai-definition.ts';
import type { AiElement } from './ai-element.ts';
import { aiMatchesPattern, allAiDefinitions } from './ai-table.ts';
import { validateAiValue } from './ai-value.ts';
import { parseAnyCode, toCanonicalDigitalLink, toEpcUrn } from './any-code.ts';
import { compileBatchCodeScheme, DEFAULT_BATCH_CODE_CONFIG, parseBatchCode } from './batch-code.ts';
import { gs1CheckDigit } from './check-digit.ts';
import { buildDigitalLink, parseDigitalLink } from './digital-link.ts';
import { formatBracketed, formatRaw, GS, parseBracketed, parseRaw } from './element-string.ts';
import { parseEpcUri } from './epc-uri.ts';
import { parseGdstUrn } from './gdst-urn.ts';
import type { Gs1Error } from './gs1-error.ts';
import { parseGcn, parseGdti, parseGiai, parseGln, parseGrai, parseGsin, parseGsrn, parseGtin, parseItip, parseSscc } from './keys.ts';
import { linters } from './linters/linter-registry.ts';
import { decodeScanData, encodeScanData } from './scan-data.ts';
import { aiElementArbitrary, aiValueArbitrary } from './testing/ai-arbitraries.ts';
import { percentDecode } from './uri-percent.ts';

const definitions = allAiDefinitions();
const byAi = new Map(definitions.map((d) => [d.ai, d]));
function def(ai: string): AiDefinition {
  const d = byAi.get(ai);
  if (d === undefined) throw new Error(`AI (${ai}) missing from the dictionary`);
  return d;
}
const NO_ASSOC = { checkAssociations: false } as const;
const strip = (es: readonly AiElement[]): AiElement[] => es.map(({ ai, value }) => ({ ai, value }));

describe('every AI: generated values are valid and round-trip', () => {
  it.each(definitions.map((d) => [`(${d.ai}) ${d.title}`, d] as const))('%s', (_n, d) => {
    fc.assert(
      fc.property(aiValueArbitrary(d), (value) => {
        expect(validateAiValue(d.ai, d, value, { aiPosition: 0, valuePosition: 0 })).toBe(value.length);
        const e = [{ ai: d.ai, value }];
        const b = parseBracketed(formatBracketed(e), NO_ASSOC);
        expect(b.ok && strip(b.value)).toEqual(e);
        const r = parseRaw(formatRaw(e), NO_ASSOC);
        expect(r.ok && strip(r.value)).toEqual(e);
      }),
      { numRuns: 25 },
    );
  });
});

/** Several distinct AIs with valid values, in random order. */
const elementsArb = fc.uniqueArray(fc.constantFrom(...definitions), { minLength: 1, maxLength: 6, selector: (d) => d.ai }).chain((ds) => fc.tuple(...ds.map(aiElementArbitrary)));

describe('multi-AI messages', () => {
  it('raw strings place FNC1 correctly and round-trip, with or without a leading FNC1', () => {
    fc.assert(
      fc.property(elementsArb, fc.boolean(), (es, leading) => {
        const raw = formatRaw(es, GS, leading);
        const r = parseRaw(raw, NO_ASSOC);
        expect(r.ok ? strip(r.value) : r.error.message).toEqual(es);
        const caret = parseRaw(formatRaw(es, '^', true), { ...NO_ASSOC, fnc1: '^', requireLeadingFnc1: true });
        expect(caret.ok && strip(caret.value)).toEqual(es);
      }),
      { numRuns: 400 },
    );
  });

  it('bracketed strings round-trip', () => {
    fc.assert(
      fc.property(elementsArb, (es) => {
        const r = parseBracketed(formatBracketed(es), NO_ASSOC);
        expect(r.ok ? strip(r.value) : r.error.message).toEqual(es);
      }),
      { numRuns: 400 },
    );
  });

  it('scan data round-trips for GS1 DataMatrix, QR Code, DotCode and GS1-128', () => {
    // Trade-item messages: (01) plus AIs whose associations (01) alone satisfies.
    const base = ['01', '10', '21', '17'];
    const fits = (p: string): boolean => base.some((ai) => aiMatchesPattern(ai, p));
    const companions = definitions.filter((d) => !base.includes(d.ai) && d.requires.every((req) => req.some((alt) => alt.every(fits))) && !d.excludes.some(fits) && !base.some((b) => def(b).excludes.some((p) => aiMatchesPattern(d.ai, p))));
    const message = fc.tuple(gtin, aiValueArbitrary(def('10')), aiValueArbitrary(def('21')), aiValueArbitrary(def('17')), fc.uniqueArray(fc.constantFrom(...companions), { maxLength: 4, selector: (d) => d.ai.slice(0, 3) }).chain((ds) => fc.tuple(...ds.map(aiElementArbitrary))));
    fc.assert(
      fc.property(message, fc.constantFrom('dataMatrix' as const, 'qrCode' as const, 'gs1-128' as const, 'dotCode' as const), ([g, lot, serial, expiry, extra], symbology) => {
        const es = [{ ai: '01', value: g }, { ai: '10', value: lot }, ...extra, { ai: '17', value: expiry }, { ai: '21', value: serial }];
        const data = formatRaw(es, '^', true);
        const scan = encodeScanData(symbology, data);
        expect(scan.ok ? 'ok' : scan.error.message).toBe('ok');
        if (!scan.ok) return;
        const back = decodeScanData(scan.value);
        expect(back.ok && back.value.dataString).toBe(data);
        expect(back.ok && strip(back.value.elements)).toEqual(es);
      }),
      { numRuns: 300 },
    );
  });
});

const gtin = fc.stringMatching(/^\d{13}$/).map((b) => b + String(gs1CheckDigit(b)));
const dataAttributeDefs = definitions.filter((d) => d.dlDataAttribute && d.dlPrimaryKey === null && !['22', '10', '21', '235'].includes(d.ai));

describe('Digital Link', () => {
  it('GTIN with qualifiers and data attributes round-trips through a URI', () => {
    const arb = fc.tuple(
      gtin,
      fc.option(aiValueArbitrary(def('22')), { nil: undefined }),
      fc.option(aiValueArbitrary(def('10')), { nil: undefined }),
      fc.option(aiValueArbitrary(def('21')), { nil: undefined }),
      fc.uniqueArray(fc.constantFrom(...dataAttributeDefs), { maxLength: 4, selector: (d) => d.ai }).chain((ds) => fc.tuple(...ds.map(aiElementArbitrary))),
      fc.constantFrom('https://id.gs1.org', 'https://example.com/some/stem', 'http://lot.example.cn'),
    );
    fc.assert(
      fc.property(arb, ([g, cpv, lot, serial, attrs, stem]) => {
        const es: AiElement[] = [{ ai: '01', value: g }];
        if (cpv !== undefined) es.push({ ai: '22', value: cpv });
        if (lot !== undefined) es.push({ ai: '10', value: lot });
        if (serial !== undefined) es.push({ ai: '21', value: serial });
        es.push(...attrs);
        const uri = buildDigitalLink(es, { stem });
        expect(uri.ok).toBe(true);
        if (!uri.ok) return;
        const back = parseDigitalLink(uri.value, NO_ASSOC);
        expect(back.ok ? back.value.stem : back.error.message).toBe(stem);
        if (!back.ok) return;
        const sort = (x: readonly AiElement[]): AiElement[] => strip(x).sort((a, b) => (a.ai < b.ai ? -1 : 1));
        expect(sort(back.value.elements)).toEqual(sort(es));
        expect(back.value.pathLength).toBe(1 + [cpv, lot, serial].filter((x) => x !== undefined).length);
      }),
      { numRuns: 400 },
    );
  });

  it('identifiers survive canonical DL → parseAnyCode and EPC URI → parseAnyCode', () => {
    fc.assert(
      fc.property(gtin, aiValueArbitrary(def('10')), aiValueArbitrary(def('21')), fc.integer({ min: 6, max: 12 }), (g, lot, serial, cpl) => {
        const id = { kind: 'gtin' as const, gtin: g, lot, serial, attributes: {} };
        const dl = toCanonicalDigitalLink(id);
        expect(dl.ok && parseAnyCode(dl.value)).toEqual({ ok: true, value: id });
        const urn = toEpcUrn(id, cpl);
        expect(urn.ok).toBe(true);
        if (!urn.ok) return;
        expect(parseAnyCode(urn.value)).toEqual({ ok: true, value: { kind: 'gtin', gtin: g, serial, attributes: {}, companyPrefixLength: cpl } });
      }),
      { numRuns: 300 },
    );
  });
});

/** Every numeric key with a check digit: a generator of valid values and its parser. */
const KEYS = [
  { name: 'GTIN-8', arb: fc.stringMatching(/^\d{7}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGtin, digits: 8 },
  { name: 'GTIN-12', arb: fc.stringMatching(/^\d{11}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGtin, digits: 12 },
  { name: 'GTIN-13', arb: fc.stringMatching(/^\d{12}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGtin, digits: 13 },
  { name: 'GTIN-14', arb: gtin, parse: parseGtin, digits: 14 },
  { name: 'GLN', arb: fc.stringMatching(/^\d{12}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGln, digits: 13 },
  { name: 'SSCC', arb: fc.stringMatching(/^\d{17}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseSscc, digits: 18 },
  { name: 'GSRN', arb: fc.stringMatching(/^\d{17}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGsrn, digits: 18 },
  { name: 'GSIN', arb: fc.stringMatching(/^\d{16}$/).map((b) => b + String(gs1CheckDigit(b))), parse: parseGsin, digits: 17 },
  { name: 'GRAI', arb: fc.tuple(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[A-Za-z0-9]{0,16}$/)).map(([b, s]) => b + String(gs1CheckDigit(b)) + s), parse: parseGrai, digits: 13 },
  { name: 'GDTI', arb: fc.tuple(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[A-Z0-9-]{0,17}$/)).map(([b, s]) => b + String(gs1CheckDigit(b)) + s), parse: parseGdti, digits: 13 },
  { name: 'GCN', arb: fc.tuple(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^\d{0,12}$/)).map(([b, s]) => b + String(gs1CheckDigit(b)) + s), parse: parseGcn, digits: 13 },
  { name: 'ITIP', arb: fc.tuple(gtin, fc.integer({ min: 1, max: 99 })).chain(([g, t]) => fc.integer({ min: 1, max: t }).map((p) => g + String(p).padStart(2, '0') + String(t).padStart(2, '0'))), parse: parseItip, digits: 14 },
];

describe('GS1 keys', () => {
  it.each(KEYS.map((k) => [k.name, k] as const))('%s: valid values parse, and every single-digit change in the checked part is caught', (_n, k) => {
    fc.assert(
      fc.property(k.arb, fc.nat(), fc.integer({ min: 1, max: 9 }), (value, at, delta) => {
        expect(k.parse(value).ok).toBe(true);
        const pos = at % k.digits;
        const changed = value.slice(0, pos) + String((Number(value[pos]) + delta) % 10) + value.slice(pos + 1);
        const r = k.parse(changed);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.kind).toBe('checkDigit');
      }),
      { numRuns: 200 },
    );
  });

  it('GIAI values of set 82 with a company prefix parse', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6,12}[A-Za-z0-9-]{1,18}$/), (v) => {
        expect(parseGiai(v).ok).toBe(true);
      }),
    );
  });
});

describe('junk never throws, and errors point inside the input', () => {
  const scheme = compileBatchCodeScheme(DEFAULT_BATCH_CODE_CONFIG);
  if (!scheme.ok) throw new Error('default scheme must compile');
  const samples = ['https://id.gs1.org/01/09520123456788/10/ABC/21/1?17=280426', '(01)09520123456788(10)AB', ']d2010952012345678810AB', 'urn:epc:id:sgtin:4012345.011111.9', '251215-CS-AM-001-F1', '9520123456788', 'urn:gdst:x.org:product:lot:class:a.b.c'];
  /** Unicode junk, control characters, and random edits of real codes. */
  const junk = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: fc.constantFrom(...'0123456789()^]/?&=%.:-_dCQeEJ\u001dhtps'), maxLength: 60 }),
    fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 4 }), fc.nat({ max: 4 })).map(([s, at, ins, del]) => {
      const p = at % (s.length + 1);
      return s.slice(0, p) + ins + s.slice(p + del);
    }),
  );
  const parsers: [string, (s: string) => { readonly ok: boolean; readonly error?: Gs1Error }][] = [
    ['parseAnyCode', (s) => parseAnyCode(s)],
    ['parseAnyCode strict', (s) => parseAnyCode(s, { strict: true, batchCodeScheme: scheme.value })],
    ['parseDigitalLink', (s) => parseDigitalLink(s, { permitUnknownAis: true, permitConvenienceAlphas: true })],
    ['parseBracketed', (s) => parseBracketed(s, { permitUnknownAis: true })],
    ['parseRaw', (s) => parseRaw(s)],
    ['parseRaw ^', (s) => parseRaw(s, { fnc1: '^', requireLeadingFnc1: true })],
    ['decodeScanData', (s) => decodeScanData(s)],
    ['encodeScanData', (s) => encodeScanData('dataMatrix', s)],
    ['encodeScanData EAN-13', (s) => encodeScanData('ean13', s)],
    ['parseEpcUri', (s) => parseEpcUri(s)],
    ['parseGdstUrn', (s) => parseGdstUrn(s)],
    ['parseBatchCode', (s) => parseBatchCode(scheme.value, s)],
    ['compileBatchCodeScheme', (s) => compileBatchCodeScheme({ pattern: s })],
    ['parseGtin', (s) => parseGtin(s)],
    ['parseGrai', (s) => parseGrai(s)],
    ['parseGiai', (s) => parseGiai(s)],
  ];
  it.each(parsers)('%s', (_n, parse) => {
    fc.assert(
      fc.property(junk, (s) => {
        const r = parse(s);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          const e = r.error as Gs1Error;
          expect(typeof e.message).toBe('string');
          expect(e.message.length).toBeGreaterThan(0);
          expect(e.position).toBeGreaterThanOrEqual(0);
          expect(e.position).toBeLessThanOrEqual(Math.max(s.length, 4096));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('linters and percent-decoding never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => {
        for (const lint of Object.values(linters)) {
          const f = lint(s);
          if (f !== null) expect(f.position + f.length).toBeLessThanOrEqual(s.length);
        }
        percentDecode(s, true);
      }),
      { numRuns: 500 },
    );
  });
});

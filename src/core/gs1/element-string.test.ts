import { describe, expect, it } from 'vitest';
import { readConformanceJson } from '../../../test/support/conformance.ts';
import { checkDigitalSignatureSerial, checkMutuallyExclusive, checkRepeats, checkRequisites } from './ai-associations.ts';
import { formatBracketed, formatRaw, parseBracketed, parseRaw, validateElements } from './element-string.ts';

interface Options {
  readonly PermitUnknownAIs?: boolean;
}
interface BracketedVector {
  readonly shouldSucceed: boolean;
  readonly bracketedAIs: string;
  readonly expectedElementString: string | null;
  readonly src: string;
}
interface ValidationVector {
  readonly shouldSucceed: boolean;
  readonly elementString: string;
  readonly options?: Options;
  readonly src: string;
}
interface AssociationVector {
  readonly shouldSucceed: boolean;
  readonly rule: 'validateAIrepeats' | 'validateAImutex' | 'validateAIrequisites' | 'validateDigSigRequiresSerialisedKey';
  readonly bracketedAIs: string;
  readonly options?: Options;
  readonly src: string;
}

const engine = <T>(file: string): T[] => readConformanceJson<{ vectors: T[] }>('gs1-syntax-engine', '_derived', file).vectors;

describe('bracketed → unbracketed (gs1-syntax-engine bracketed-to-unbracketed.json)', () => {
  const vectors = engine<BracketedVector>('bracketed-to-unbracketed.json');
  it('has all 27 vectors', () => expect(vectors).toHaveLength(27));
  // Upstream runs these through gs1_parseAIdata, which validates values but not associations
  // (e.g. "(10)12345" alone), so association checks are off here and tested separately below.
  it.each(vectors.map((v) => [v.src, v] as const))('%s', (_src, v) => {
    const r = parseBracketed(v.bracketedAIs, { checkAssociations: false });
    expect(r.ok).toBe(v.shouldSucceed);
    if (r.ok) {
      expect(formatRaw(r.value, '^', true)).toBe(v.expectedElementString);
      // Bracketed formatting round-trips the input (escaped brackets included).
      expect(formatBracketed(r.value)).toBe(v.bracketedAIs);
    }
  });
});

describe('element-string validation (gs1-syntax-engine element-string-validation.json)', () => {
  const vectors = engine<ValidationVector>('element-string-validation.json');
  it('has all 79 vectors', () => expect(vectors).toHaveLength(79));
  it.each(vectors.map((v) => [v.src, v] as const))('%s', (_src, v) => {
    const r = parseRaw(v.elementString, { fnc1: '^', requireLeadingFnc1: true, permitUnknownAis: v.options?.PermitUnknownAIs === true, checkAssociations: false });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(v.shouldSucceed);
  });
});

describe('AI association rules (gs1-syntax-engine ai-association-validation.json)', () => {
  const vectors = engine<AssociationVector>('ai-association-validation.json');
  const rules = {
    validateAIrepeats: checkRepeats,
    validateAImutex: checkMutuallyExclusive,
    validateAIrequisites: checkRequisites,
    validateDigSigRequiresSerialisedKey: checkDigitalSignatureSerial,
  } as const;
  it('has all 77 vectors', () => expect(vectors).toHaveLength(77));
  it.each(vectors.map((v) => [`${v.src} ${v.rule}`, v] as const))('%s', (_src, v) => {
    const permitUnknownAis = v.options?.PermitUnknownAIs === true;
    const parsed = parseBracketed(v.bracketedAIs, { permitUnknownAis, checkAssociations: false });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const e = rules[v.rule](parsed.value);
    expect(e === null, e?.message).toBe(v.shouldSucceed);
    // With every rule enabled, a message that passes the rule under test passes them all.
    if (v.shouldSucceed) expect(parseBracketed(v.bracketedAIs, { permitUnknownAis }).ok).toBe(true);
  });
});

describe('element strings', () => {
  it('parses scanner output with GS separators and no leading FNC1', () => {
    const r = parseRaw('0109520123456788102512\u001d17261231');
    expect(r.ok && r.value.map((e) => [e.ai, e.value])).toEqual([
      ['01', '09520123456788'],
      ['10', '2512'],
      ['17', '261231'],
    ]);
  });

  it('names the AI, position and expected check digit', () => {
    const r = parseBracketed('(01)09520123456789');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'lint', ai: '01', code: 'INCORRECT_CHECK_DIGIT', position: 17 });
      expect(r.error.message).toBe('AI (01) GTIN: check digit is 9, expected 8');
    }
  });

  it('reports a missing requisite AI', () => {
    const r = parseBracketed('(10)ABC');
    expect(!r.ok && r.error).toMatchObject({ kind: 'association', rule: 'requisite', ai: '10' });
    expect(!r.ok && r.error.message).toBe('AI (10) requires (01), (02), (03), (8006) or (8026) in the same message');
  });

  it('validates elements built in code', () => {
    expect(validateElements([{ ai: '01', value: '09520123456788' }, { ai: '21', value: 'A1' }])).toBeNull();
    expect(validateElements([{ ai: '21', value: 'A1' }])?.kind).toBe('association');
    expect(validateElements([{ ai: '01', value: '0952012345678' }])?.kind).toBe('syntax');
  });

  it('puts FNC1 only after variable-length AIs that are followed by another AI', () => {
    expect(
      formatRaw([
        { ai: '01', value: '09520123456788' },
        { ai: '10', value: 'L1' },
        { ai: '17', value: '261231' },
        { ai: '21', value: 'S' },
      ]),
    ).toBe('0109520123456788' + '10L1\u001d' + '17261231' + '21S');
  });
});

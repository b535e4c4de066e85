import { describe, expect, it } from 'vitest';
import { readConformanceJson } from '../../../test/support/conformance.ts';
import { buildDigitalLink, parseDigitalLink, type DigitalLinkOptions } from './digital-link.ts';
import { formatRaw, parseBracketed } from './element-string.ts';
import { percentDecode, percentEncode } from './uri-percent.ts';

interface EngineOptions {
  readonly PermitUnknownAIs?: boolean;
  readonly PermitZeroSuppressedGTINinDLuris?: boolean;
  readonly permitConvenienceAlphas?: boolean;
  readonly 'ValidationEnabled:gs1_encoder_vUNKNOWN_AI_NOT_DL_ATTR'?: boolean;
}
interface DlToEsVector {
  readonly shouldSucceed: boolean;
  readonly dlUri: string;
  readonly expectedElementString: string | null;
  readonly options?: EngineOptions;
  readonly src: string;
}
interface EsToDlVector {
  readonly shouldSucceed: boolean;
  readonly stem: string | null;
  readonly bracketedAIs: string;
  readonly expectedDlUri: string | null;
  readonly options?: EngineOptions;
  readonly src: string;
}
interface PercentVector {
  readonly input: string;
  readonly expectedPathComponent: string;
  readonly expectedQueryComponent: string;
  readonly src: string;
}

const engine = <T>(file: string): T[] => readConformanceJson<{ vectors: T[] }>('gs1-syntax-engine', '_derived', file).vectors;

/** The syntax engine's option names mapped to ours. */
function options(o: EngineOptions | undefined): DigitalLinkOptions {
  return {
    permitUnknownAis: o?.PermitUnknownAIs === true,
    permitZeroSuppressedGtin: o?.PermitZeroSuppressedGTINinDLuris === true,
    permitConvenienceAlphas: o?.permitConvenienceAlphas === true,
    permitUnknownAiAttributes: o?.['ValidationEnabled:gs1_encoder_vUNKNOWN_AI_NOT_DL_ATTR'] === false,
  };
}

describe('Digital Link URI → element string (gs1-syntax-engine dl-uri-to-element-string.json)', () => {
  const vectors = engine<DlToEsVector>('dl-uri-to-element-string.json');
  it('has all 118 vectors', () => expect(vectors).toHaveLength(118));
  it.each(vectors.map((v) => [`${v.src} ${v.dlUri}`, v] as const))('%s', (_name, v) => {
    const r = parseDigitalLink(v.dlUri, options(v.options));
    expect(r.ok, r.ok ? 'parsed' : r.error.message).toBe(v.shouldSucceed);
    if (r.ok) expect(formatRaw(r.value.elements, '^', true)).toBe(v.expectedElementString);
  });
});

describe('element string → Digital Link URI (gs1-syntax-engine element-string-to-dl-uri.json)', () => {
  const vectors = engine<EsToDlVector>('element-string-to-dl-uri.json');
  it('has all 22 vectors', () => expect(vectors).toHaveLength(22));
  it.each(vectors.map((v) => [`${v.src} ${v.bracketedAIs}`, v] as const))('%s', (_name, v) => {
    const o = options(v.options);
    const parsed = parseBracketed(v.bracketedAIs, o);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = buildDigitalLink(parsed.value, { permitUnknownAiAttributes: o.permitUnknownAiAttributes === true, ...(v.stem === null ? {} : { stem: v.stem }) });
    expect(r.ok, r.ok ? r.value : r.error.message).toBe(v.shouldSucceed);
    if (r.ok) {
      expect(r.value).toBe(v.expectedDlUri);
      // And back: the URI parses to the same set of AIs.
      const back = parseDigitalLink(r.value, o);
      expect(back.ok).toBe(true);
    }
  });
});

describe('URI percent-encoding (gs1-syntax-engine uri-percent-*.json)', () => {
  const dec = engine<PercentVector>('uri-percent-decoding.json');
  const enc = engine<PercentVector>('uri-percent-encoding.json');
  it('has all 21 decoding and 10 encoding vectors', () => {
    expect(dec).toHaveLength(21);
    expect(enc).toHaveLength(10);
  });
  it.each(dec.map((v) => [v.src, v] as const))('decodes %s', (_src, v) => {
    expect(percentDecode(v.input, false)).toBe(v.expectedPathComponent);
    expect(percentDecode(v.input, true)).toBe(v.expectedQueryComponent);
  });
  it.each(enc.map((v) => [v.src, v] as const))('encodes %s', (_src, v) => {
    expect(percentEncode(v.input, false)).toBe(v.expectedPathComponent);
    expect(percentEncode(v.input, true)).toBe(v.expectedQueryComponent);
  });
  it('rejects an escape that decodes to NUL', () => {
    expect(percentDecode('A%00B', false)).toBeNull();
  });
});

describe('Digital Link details', () => {
  it('keeps the stem and non-AI query parameters', () => {
    const r = parseDigitalLink('https://brand.example.com/products/01/09520123456788/21/12345?17=280426&linkType=gs1:pip#top');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.stem).toBe('https://brand.example.com/products');
    expect(r.value.pathLength).toBe(2);
    expect(r.value.otherParameters).toEqual(['linkType=gs1:pip']);
    expect(r.value.elements.map((e) => e.ai)).toEqual(['01', '21', '17']);
  });

  it('points at the offending position', () => {
    const r = parseDigitalLink('https://example.com/01/09520123456788/21/12345?10=ABC');
    expect(!r.ok && r.error).toMatchObject({ kind: 'digitalLink', rule: 'shouldBeInPath', ai: '10', position: 47 });
  });

  it('percent-encodes reserved characters in path and query', () => {
    const r = buildDigitalLink([
      { ai: '01', value: '09520123456788' },
      { ai: '10', value: 'A/B+C' },
      { ai: '17', value: '280426' },
    ]);
    expect(r).toEqual({ ok: true, value: 'https://id.gs1.org/01/09520123456788/10/A%2FB%2BC?17=280426' });
  });
});

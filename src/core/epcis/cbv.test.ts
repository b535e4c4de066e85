import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasConformance, readConformanceText } from '../../../test/support/conformance.ts';
import {
  CBV,
  CBV_VOCABULARY_NAMES,
  type CbvVocabularyName,
  STANDARD_CONTEXT_PREFIXES,
  STANDARD_PREFIXES,
  cbvUriToWord,
  cbvWordToUri,
  contextPrefixes,
  expandCurie,
  expandVocabularyValue,
  isCbvWord,
} from './cbv.ts';

const bundledContext = JSON.parse(readFileSync(new URL('./schema/epcis-context.jsonld', import.meta.url), 'utf8')) as {
  '@context': Record<string, unknown>;
};
const root = bundledContext['@context'];

describe('CBV vocabularies', () => {
  it('has the CBV 2.0 sizes', () => {
    const sizes = Object.fromEntries(CBV_VOCABULARY_NAMES.map((n) => [n, CBV[n].words.length]));
    expect(sizes).toEqual({
      bizStep: 41,
      disposition: 33,
      bizTransactionType: 13,
      sourceDestType: 3,
      errorReason: 2,
      measurementType: 72,
      sensorAlertType: 2,
      component: 14,
    });
  });

  it('maps bare words to full URIs and back', () => {
    expect(cbvWordToUri('bizStep', 'shipping')).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    expect(cbvUriToWord('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping')).toBe('shipping');
    expect(cbvWordToUri('disposition', 'in_transit')).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(cbvWordToUri('bizTransactionType', 'po')).toBe('https://ref.gs1.org/cbv/BTT-po');
    expect(cbvWordToUri('sourceDestType', 'owning_party')).toBe('https://ref.gs1.org/cbv/SDT-owning_party');
    expect(cbvWordToUri('errorReason', 'did_not_occur')).toBe('https://ref.gs1.org/cbv/ER-did_not_occur');
    expect(cbvWordToUri('measurementType', 'Temperature')).toBe('https://ref.gs1.org/voc/Temperature');
    expect(cbvWordToUri('sensorAlertType', 'ALARM_CONDITION')).toBe('https://ref.gs1.org/voc/ALARM_CONDITION');
    expect(cbvWordToUri('component', 'x')).toBe('https://ref.gs1.org/cbv/Comp-x');
    for (const name of CBV_VOCABULARY_NAMES) {
      for (const word of CBV[name].words) expect(cbvUriToWord(name, cbvWordToUri(name, word) ?? '')).toBe(word);
    }
  });

  it('rejects words that are not in the vocabulary, including other vocabularies’ words', () => {
    expect(isCbvWord('bizStep', 'transforming')).toBe(false);
    expect(isCbvWord('bizStep', 'in_transit')).toBe(false);
    expect(isCbvWord('disposition', 'in_transport')).toBe(false);
    expect(isCbvWord('bizStep', 'Shipping')).toBe(false);
    expect(cbvWordToUri('bizStep', 'transforming')).toBeNull();
    expect(cbvUriToWord('bizStep', 'https://ref.gs1.org/cbv/Disp-in_transit')).toBeNull();
    expect(cbvUriToWord('bizStep', 'urn:epcglobal:cbv:bizstep:shipping')).toBeNull();
  });

  it('agrees with the scoped contexts of the bundled ratified context, word for word', () => {
    const scoped = (...path: string[]): Record<string, string> => {
      let cur: unknown = root;
      for (const key of path) cur = (cur as Record<string, unknown>)[key];
      return cur as Record<string, string>;
    };
    const sensorReport = ['sensorElementList', '@context', 'sensorReport', '@context'];
    const sources: Record<CbvVocabularyName, Record<string, string>> = {
      bizStep: scoped('bizStep', '@context'),
      disposition: scoped('disposition', '@context'),
      bizTransactionType: scoped('bizTransactionList', '@context', 'type', '@context'),
      sourceDestType: scoped('sourceList', '@context', 'type', '@context'),
      errorReason: scoped('errorDeclaration', '@context', 'reason', '@context'),
      measurementType: scoped(...sensorReport, 'type', '@context'),
      sensorAlertType: scoped(...sensorReport, 'exception', '@context'),
      component: scoped(...sensorReport, 'component', '@context'),
    };
    expect(scoped('destinationList', '@context', 'type', '@context')).toEqual(sources.sourceDestType);
    for (const name of CBV_VOCABULARY_NAMES) {
      const fromContext = Object.entries(sources[name]).filter(([k]) => !k.startsWith('@'));
      expect(fromContext.map(([w]) => w).sort(), name).toEqual([...CBV[name].words].sort());
      for (const [word, curie] of fromContext) {
        expect(expandCurie(curie, STANDARD_PREFIXES), `${name} ${word}`).toBe(cbvWordToUri(name, word));
      }
    }
  });

  it.skipIf(!hasConformance)('agrees with the CBV ontology (Ontology/CBV.ttl)', () => {
    const ttl = readConformanceText('gs1-epcis', 'Ontology', 'CBV.ttl');
    const byClass: Record<string, CbvVocabularyName> = {
      BizStep: 'bizStep',
      Disp: 'disposition',
      BTT: 'bizTransactionType',
      SDT: 'sourceDestType',
      ER: 'errorReason',
      Comp: 'component',
    };
    const found = new Map<CbvVocabularyName, Set<string>>();
    for (const m of ttl.matchAll(/^cbv:(BizStep|Disp|BTT|SDT|ER|Comp)-([A-Za-z_]+)\s+a\s/gm)) {
      const name = byClass[m[1] ?? ''];
      if (name === undefined) continue;
      const set = found.get(name) ?? new Set<string>();
      set.add(m[2] ?? '');
      found.set(name, set);
    }
    for (const [name, words] of found) expect([...words].sort(), name).toEqual([...CBV[name].words].sort());
    expect(found.size).toBe(6);
  });
});

describe('contextPrefixes', () => {
  it('holds exactly the string IRI prefixes of the bundled ratified context', () => {
    const fromContext = Object.entries(root).filter(
      ([k, v]) => !k.startsWith('@') && typeof v === 'string' && /^[a-z]+:\/\/|^urn:/.test(v),
    );
    expect(new Map(fromContext)).toEqual(STANDARD_CONTEXT_PREFIXES);
  });

  it('returns the standard scope for the standard context URLs', () => {
    expect(contextPrefixes('https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld')).toBe(STANDARD_PREFIXES);
    expect(contextPrefixes(['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'])).toBe(STANDARD_PREFIXES);
    expect(contextPrefixes(['https://gs1.github.io/EPCIS/epcis-context.jsonld'])).toBe(STANDARD_PREFIXES);
    expect(contextPrefixes(undefined)).toBe(STANDARD_PREFIXES);
  });

  it('adds inline prefixes, object definitions and removals, and records unresolved remote contexts', () => {
    const ctx = contextPrefixes([
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'http://ns.example.com/epcis/', '@vocab': 'http://ignored/' },
      { ext: { '@id': 'https://ext.example.org/', '@prefix': true }, owl: null },
      'https://example.com/my-context.jsonld',
    ]);
    expect(ctx.prefixes.get('example')).toBe('http://ns.example.com/epcis/');
    expect(ctx.prefixes.get('ext')).toBe('https://ext.example.org/');
    expect(ctx.prefixes.has('owl')).toBe(false);
    expect(ctx.prefixes.has('@vocab')).toBe(false);
    expect(ctx.prefixes.get('cbv')).toBe('https://ref.gs1.org/cbv/');
    expect(ctx.unresolved).toEqual(['https://example.com/my-context.jsonld']);
    // The standard scope itself is never changed.
    expect(STANDARD_PREFIXES.prefixes.has('example')).toBe(false);
  });

  it('layers an event context over the document context', () => {
    const doc = contextPrefixes([{ a: 'https://a.example/' }]);
    const event = contextPrefixes({ b: 'https://b.example/', a: 'https://a2.example/' }, doc);
    expect(event.prefixes.get('a')).toBe('https://a2.example/');
    expect(event.prefixes.get('b')).toBe('https://b.example/');
    expect(doc.prefixes.get('a')).toBe('https://a.example/');
    expect(doc.prefixes.has('b')).toBe(false);
  });

  it('ignores malformed contexts without throwing', () => {
    for (const junk of [42, true, [null, 3, [], { x: 5 }], { y: { '@id': 7 } }]) {
      expect(() => contextPrefixes(junk)).not.toThrow();
    }
  });
});

describe('expandCurie and expandVocabularyValue', () => {
  const ctx = contextPrefixes([{ example: 'http://ns.example.com/epcis/' }]);

  it('expands declared prefixes and leaves IRIs and unknown prefixes alone', () => {
    expect(expandCurie('cbv:BizStep-shipping', ctx)).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    expect(expandCurie('example:myStep', ctx)).toBe('http://ns.example.com/epcis/myStep');
    expect(expandCurie('https://example.com/x', ctx)).toBe('https://example.com/x');
    expect(expandCurie('urn:epc:id:sgtin:1.2.3', ctx)).toBe('urn:epc:id:sgtin:1.2.3');
    expect(expandCurie('other:thing', ctx)).toBe('other:thing');
    expect(expandCurie('plain', ctx)).toBe('plain');
  });

  it('expands bare words of the given vocabulary only', () => {
    expect(expandVocabularyValue('bizStep', 'shipping', ctx)).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    expect(expandVocabularyValue('bizStep', 'cbv:BizStep-receiving', ctx)).toBe('https://ref.gs1.org/cbv/BizStep-receiving');
    expect(expandVocabularyValue('disposition', 'shipping', ctx)).toBe('shipping');
    expect(expandVocabularyValue('measurementType', 'gs1:Temperature', ctx)).toBe('https://ref.gs1.org/voc/Temperature');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedModulePath, parseDictionary, renderDictionaryModule } from '../../../scripts/gen-gs1-dictionary.ts';
import { readConformanceText } from '../../../test/support/conformance.ts';
import { AI_DEFINITIONS, AI_DICTIONARY_RELEASE } from './ai-dictionary.generated.ts';

const source = readConformanceText('gs1-syntax-dictionary', 'gs1-syntax-dictionary.txt');

describe('generated AI dictionary', () => {
  it('is byte-for-byte what the generator makes from the shared dictionary', () => {
    expect(renderDictionaryModule(source)).toBe(readFileSync(generatedModulePath, 'utf8'));
  });

  it('names the release and the Apache-2.0 licence in its header', () => {
    const text = readFileSync(generatedModulePath, 'utf8');
    expect(AI_DICTIONARY_RELEASE).toBe('2026-01-27');
    expect(text).toContain('release tag 2026-01-27');
    expect(text).toContain('Apache License, Version 2.0');
    expect(text).toContain('GS1 AISBL');
  });

  it('holds every AI of the dictionary with ranges expanded', () => {
    const lines = source.split('\n').filter((l) => /^\d/.test(l));
    const expected = lines.reduce((n, l) => {
      const m = /^(\d+)(?:-(\d+))?/.exec(l);
      return n + (m?.[2] === undefined ? 1 : Number(m[2]) - Number(m?.[1]) + 1);
    }, 0);
    expect(AI_DEFINITIONS).toHaveLength(expected);
    expect(AI_DEFINITIONS.map((d) => d.ai)).toContain('3103');
    expect(AI_DEFINITIONS.map((d) => d.ai)).toContain('99');
  });

  it('keeps formats, flags and associations', () => {
    const byAi = new Map(AI_DEFINITIONS.map((d) => [d.ai, d]));
    expect(byAi.get('01')).toMatchObject({ fnc1Required: false, dlDataAttribute: true, excludes: ['255', '37'], dlPrimaryKey: [['22', '10', '21'], ['235']] });
    expect(byAi.get('8003')?.components).toEqual([
      { cset: 'N', min: 1, max: 1, optional: false, linters: ['zero'] },
      { cset: 'N', min: 13, max: 13, optional: false, linters: ['csum', 'gcppos1'] },
      { cset: 'X', min: 1, max: 16, optional: true, linters: [] },
    ]);
    expect(byAi.get('250')?.requires).toEqual([[['01'], ['8006']], [['21']]]);
    expect(byAi.get('21')).toMatchObject({ fnc1Required: true, dlDataAttribute: false, excludes: ['235'] });
  });

  it('rejects a dictionary line that names an unknown linter, citing the line', () => {
    expect(() => parseDictionary('# Release: x\n01  *  N14,nosuchlinter  # GTIN\n')).toThrow(/line 2: unknown linter "nosuchlinter"/);
  });
});

import { describe, expect, it } from 'vitest';
import { readConformanceText } from '../../../../test/support/conformance.ts';
import { isLinterName, linters } from './linter-registry.ts';

interface LinterVector {
  readonly linter: string;
  readonly input: string;
  readonly expect: 'pass' | 'fail';
  readonly error?: string;
  readonly highlight?: string;
  readonly src: string;
}

const vectors: LinterVector[] = readConformanceText('gs1-syntax-dictionary', '_derived', 'linter-unit-test-vectors.jsonl')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as LinterVector);

/** Render a failure the way the upstream vectors do: the offending span between `*`. */
function highlight(input: string, position: number, length: number): string {
  return `${input.slice(0, position)}*${input.slice(position, position + length)}*${input.slice(position + length)}`;
}

describe('GS1 syntax linters against the upstream unit-test vectors', () => {
  it('reads all 5,657 vectors', () => {
    expect(vectors).toHaveLength(5657);
  });

  it('passes every vector, with the same error code and highlighted span', () => {
    const mismatches: string[] = [];
    for (const v of vectors) {
      const name = v.linter.replace(/^gs1_lint_/, '');
      if (!isLinterName(name)) {
        mismatches.push(`${v.src}: no linter "${name}"`);
        continue;
      }
      const got = linters[name](v.input);
      if (v.expect === 'pass') {
        if (got !== null) mismatches.push(`${v.src}: ${name}(${JSON.stringify(v.input)}) failed with ${got.code}`);
        continue;
      }
      const want = (v.error ?? '').replace(/^GS1_LINTER_/, '');
      if (got === null) mismatches.push(`${v.src}: ${name}(${JSON.stringify(v.input)}) passed, expected ${want}`);
      else if (got.code !== want || highlight(v.input, got.position, got.length) !== v.highlight) {
        mismatches.push(`${v.src}: ${name}(${JSON.stringify(v.input)}) gave ${got.code} ${highlight(v.input, got.position, got.length)}, expected ${want} ${v.highlight}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('has a vector for every linter the dictionary refers to except the two GCP-position tests', () => {
    const covered = new Set(vectors.map((v) => v.linter.replace(/^gs1_lint_/, '')));
    // gcppos1/gcppos2 upstream vectors are generated in loops and were not extracted;
    // they are covered by the "GCP position linters" tests below.
    expect(Object.keys(linters).filter((n) => !covered.has(n)).sort()).toEqual(['gcppos1', 'gcppos2']);
  });
});

describe('GCP position linters', () => {
  it('requires four leading digits at the GCP position', () => {
    expect(linters.gcppos1('0123')).toBeNull();
    expect(linters.gcppos1('0123A')).toBeNull();
    expect(linters.gcppos1('012')).toEqual({ code: 'TOO_SHORT_FOR_GCP', position: 0, length: 3 });
    expect(linters.gcppos1('01A3')).toEqual({ code: 'INVALID_GCP_PREFIX', position: 2, length: 1 });
    expect(linters.gcppos2('X0123')).toBeNull();
    expect(linters.gcppos2('X012A')).toEqual({ code: 'INVALID_GCP_PREFIX', position: 4, length: 1 });
  });
});

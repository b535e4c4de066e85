import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, withCheckDigit } from './gs1-check-digit.ts';

describe('gs1CheckDigit', () => {
  it('computes the mod-10 check digit of GTINs, GLNs and SSCCs', () => {
    expect(withCheckDigit('0401234511111')).toBe('04012345111118');
    expect(withCheckDigit('401234500005')).toBe('4012345000054');
    expect(withCheckDigit('34012345111111111')).toBe('340123451111111111');
    expect(gs1CheckDigit('978034541891')).toBe('3');
    expect(gs1CheckDigit('000000000000')).toBe('0');
  });
});

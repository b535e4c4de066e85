import { describe, expect, it } from 'vitest';
import { type PackingLink, createContainerContents } from './container-contents.ts';

const LOT_A = 'https://id.gs1.org/01/06901234100018/10/A';
const LOT_B = 'https://id.gs1.org/01/06901234100018/10/B';
const CASE_1 = 'https://id.gs1.org/00/069012340000000016';
const CASE_2 = 'https://id.gs1.org/00/069012340000000023';
const PALLET = 'https://id.gs1.org/00/069012340000000030';
const link = (src: string, dst: string, kind: PackingLink['link'], qty: number | null, timeMs: number, uom: string | null = null): PackingLink => ({ src, dst, link: kind, qty, uom, timeMs });

describe('createContainerContents', () => {
  const links = [
    link(LOT_A, CASE_1, 'carries', 10, 100),
    link(LOT_B, CASE_1, 'carries', 2, 110),
    link(LOT_A, CASE_2, 'carries', 12, 120),
    link(CASE_1, PALLET, 'packed', 1, 200),
    link(CASE_2, PALLET, 'packed', 1, 210),
    link(LOT_B, CASE_1, 'unpacked', 2, 300),
    link(CASE_2, PALLET, 'unpacked', 1, 400),
    link('*', CASE_1, 'unpacked', null, 500),
    link(LOT_B, CASE_1, 'carries', 5, 600),
  ];
  const contents = createContainerContents(links);
  const at = (c: string, t: number) => contents.contents(c, t).map((q) => [q.lot.slice(-1), q.quantity]);

  it('counts the lots carried into a case up to the moment asked', () => {
    expect(at(CASE_1, 99)).toEqual([]);
    expect(at(CASE_1, 105)).toEqual([['A', 10]]);
    expect(at(CASE_1, 110)).toEqual([['A', 10], ['B', 2]]);
  });

  it('counts the contents of the cases on a pallet, and stops counting what was taken out', () => {
    expect(at(PALLET, 250)).toEqual([['A', 22], ['B', 2]]);
    expect(at(PALLET, 300)).toEqual([['A', 22]]);
    expect(at(PALLET, 400)).toEqual([['A', 10]]);
  });

  it('forgets everything before a full unpack', () => {
    expect(at(CASE_1, 500)).toEqual([]);
    expect(at(CASE_1, 600)).toEqual([['B', 5]]);
  });

  it('keeps units of measure apart and survives cycles', () => {
    const c = createContainerContents([
      link(LOT_A, CASE_1, 'carries', 2.5, 1, 'KGM'),
      link(LOT_A, CASE_1, 'carries', 3, 1),
      link(CASE_1, CASE_2, 'packed', 1, 2),
      link(CASE_2, CASE_1, 'packed', 1, 3),
    ]);
    expect(c.contents(CASE_2, 10)).toEqual([
      { lot: LOT_A, quantity: 2.5, uom: 'KGM' },
      { lot: LOT_A, quantity: 3, uom: null },
    ]);
  });
});

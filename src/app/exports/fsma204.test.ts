import { describe, expect, it } from 'vitest';
import { candidateEvents } from './fsma204.ts';
import type { CandidateMove } from './fsma204.repository.ts';

const LOT = 'https://id.gs1.org/01/06901234100013/10/B1';
const move = (seq: number, timeMs: number, kind: string, bizStep: string | null, item = LOT): CandidateMove => ({ seq, timeMs, item, kind, bizStep, ranges: [] });

describe('candidateEvents', () => {
  it('keeps the event that created a lot, transformations, shipping and receiving, once each, in time order', () => {
    const moves = [
      move(12, 300, 'shipped', 'shipping', 'https://id.gs1.org/00/069012340000000016'),
      move(12, 300, 'shipped', 'shipping', 'https://id.gs1.org/00/069012340000000023'),
      move(10, 100, 'produced', 'creating_class_instance'),
      move(11, 200, 'produced', 'commissioning'), // labelling the batch: not a CTE
      move(14, 200, 'produced', 'creating_class_instance'), // a second transformation into the same lot
      move(13, 300, 'received', 'receiving'),
    ];
    const origin = () => ({ seq: 10, place: null });
    expect(candidateEvents(moves, origin, new Set([14]))).toEqual([
      { seq: 10, timeMs: 100 },
      { seq: 14, timeMs: 200 },
      { seq: 12, timeMs: 300 },
      { seq: 13, timeMs: 300 },
    ]);
  });

  it('keeps commissioning whose lot origin is unknown, and an event that creates one lot while labelling another', () => {
    const other = 'https://id.gs1.org/01/06901234100013/10/B2';
    const moves = [move(20, 1, 'produced', 'commissioning'), move(21, 2, 'produced', 'commissioning'), move(21, 2, 'produced', 'commissioning', other)];
    const origin = (lot: string) => (lot === other ? { seq: 21, place: null } : lot === LOT ? { seq: 20, place: null } : null);
    expect(candidateEvents(moves, origin, new Set()).map((e) => e.seq)).toEqual([20, 21]);
    expect(candidateEvents([move(30, 1, 'produced', 'commissioning', 'urn:x:lot')], () => null, new Set()).map((e) => e.seq)).toEqual([30]);
  });
});

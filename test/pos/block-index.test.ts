import { describe, expect, it } from 'vitest';
import { type HeldRange, type Hold, type HoldCase, buildBlockIndex, heldLotsOfUnit, holdsOf } from '../../src/app/pos/block-index.ts';
import { readPosCode } from '../../src/app/pos/pos-code.ts';
import { posLang } from '../../src/app/pos/pos-text.ts';
import { classifyNode, lotNode, nodeId } from '../../src/app/trace/identifiers.ts';

const GTIN = '06901234100037';
const head = { revision: 3, seq: 10, casesStamp: '1' };
const caseOf = (caseNumber: string, drill = false): HoldCase => ({ caseId: caseNumber.toLowerCase(), caseNumber, drill, title: null, hazard: null, instructions: { 'zh-CN': null, en: null } });
const holdOf = (lot: string, c: HoldCase, placedAt = new Date('2025-09-05T00:00:00Z')): Hold => ({ node: lotNode(GTIN, lot), gtin: GTIN, lot, case: c, placedAt });

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('block index', () => {
  it('finds the held lots of a serial exactly as a scan of every range would, overlaps and adjacent runs included', () => {
    const rnd = random(7);
    for (let round = 0; round < 50; round++) {
      const ranges: HeldRange[] = [];
      for (let i = 0; i < 40; i++) {
        const lo = Math.floor(rnd() * 500);
        const hi = lo + Math.floor(rnd() * (rnd() < 0.2 ? 200 : 5));
        ranges.push({ series: rnd() < 0.8 ? 's1' : 's2', lo, hi, lot: `lot-${Math.floor(rnd() * 6)}` });
      }
      const index = buildBlockIndex('acme', head, [], ranges);
      for (let n = -1; n <= 720; n++) {
        for (const series of ['s1', 's2', 's3']) {
          const expected = [...new Set(ranges.filter((r) => r.series === series && r.lo <= n && n <= r.hi).map((r) => r.lot))].sort();
          expect(heldLotsOfUnit(index, series, n).sort(), `round ${round}, ${series} #${n}`).toEqual(expected);
        }
      }
    }
  });

  it('merges runs of one lot committed one event at a time into one run', () => {
    const ranges = Array.from({ length: 1000 }, (_, i): HeldRange => ({ series: 's', lo: i, hi: i, lot: 'L' }));
    const index = buildBlockIndex('acme', head, [], ranges);
    expect(index.ranges.get('s')?.lo).toEqual([0]);
    expect(heldLotsOfUnit(index, 's', 999)).toEqual(['L']);
    expect(heldLotsOfUnit(index, 's', 1000)).toEqual([]);
  });

  it('puts blocking holds before drills, then the earliest placement, and knows whether anything blocks', () => {
    const drill = holdOf('B1', caseOf('DR-1', true), new Date('2025-09-01T00:00:00Z'));
    const late = holdOf('B1', caseOf('RC-2'), new Date('2025-09-03T00:00:00Z'));
    const early = holdOf('B1', caseOf('RC-1'), new Date('2025-09-02T00:00:00Z'));
    const index = buildBlockIndex('acme', head, [drill, late, early], []);
    expect(holdsOf(index, lotNode(GTIN, 'B1')).map((h) => h.case.caseNumber)).toEqual(['RC-1', 'RC-2', 'DR-1']);
    expect(index.blocking).toBe(true);
    expect(buildBlockIndex('acme', head, [drill], []).blocking).toBe(false);
    expect(index.byLotNumber.get('B1')).toHaveLength(3);
    expect(index.byGtin.get(GTIN)).toHaveLength(3);
  });
});

describe('reading POS codes', () => {
  it('reads a unit with and without its printed lot, a lot, a product, a batch code and a container', () => {
    expect(readPosCode({ code: `(01)${GTIN}(10)B1(21)0042` })).toMatchObject({ kind: 'unit', gtin: GTIN, lot: 'B1', series: `${GTIN}||4`, n: 42 });
    expect(readPosCode({ code: `https://id.gs1.org/01/${GTIN}/21/A7` })).toMatchObject({ kind: 'unit', lot: null, series: `${GTIN}|A|1`, n: 7 });
    expect(readPosCode({ code: 'urn:epc:class:lgtin:6901234.010003.B1' })).toEqual({ kind: 'lot', gtin: GTIN, lot: 'B1' });
    expect(readPosCode({ gtin: GTIN, lot: 'B1' })).toEqual({ kind: 'lot', gtin: GTIN, lot: 'B1' });
    expect(readPosCode({ code: GTIN, lot: 'B1' })).toMatchObject({ kind: 'lot', lot: 'B1' });
    expect(readPosCode({ code: GTIN })).toEqual({ kind: 'product', gtin: GTIN });
    expect(readPosCode({ code: '250905-B-A-001' })).toEqual({ kind: 'batchCode', lot: '250905-B-A-001', node: null });
    expect(readPosCode({ code: 'urn:epc:id:sscc:6901234.0000000001' })).toEqual({ kind: 'container', node: 'https://id.gs1.org/00/069012340000000016' });
    expect(readPosCode({ code: 'urn:example:crates:very-long-crate-identifier-77' })).toEqual({ kind: 'container', node: 'urn:example:crates:very-long-crate-identifier-77' });
  });

  it('names a unit as the trace engine does, whether or not its serial needs percent-encoding', () => {
    for (const serial of ['1003', '0042', 'A7', 'x-1', 'A/7', 'ab%', '7.5']) {
      const link = `https://id.gs1.org/01/${GTIN}/21/${encodeURIComponent(serial)}`;
      const expected = classifyNode(nodeId(link));
      expect(readPosCode({ code: link }), serial).toMatchObject({ kind: 'unit', node: expected.id, ...(expected.kind === 'unit' ? { series: expected.series, n: expected.n } : {}) });
    }
  });

  it('points at the parameter it cannot read', () => {
    const pointer = (q: Parameters<typeof readPosCode>[0]) => {
      try {
        readPosCode(q);
        return null;
      } catch (error) {
        return (error as { details: { pointer: string }[] }).details[0]?.pointer;
      }
    };
    expect(pointer({ code: 'not a code at all' })).toBe('/query/code');
    expect(pointer({ code: 'https://id.gs1.org/01/12345/21/1' })).toBe('/query/code');
    expect(pointer({})).toBe('/query/code');
    expect(pointer({ gtin: '06901234100038', lot: 'B1' })).toBe('/query/gtin');
    expect(pointer({ gtin: GTIN, lot: 'x'.repeat(21) })).toBe('/query/lot');
  });
});

describe('POS language', () => {
  it('takes lang first, then the preferred of zh and en in Accept-Language, else Chinese', () => {
    expect(posLang('en', 'zh-CN')).toBe('en');
    expect(posLang(undefined, 'fr-FR, en;q=0.8, zh;q=0.5')).toBe('en');
    expect(posLang(undefined, 'en;q=0.4, zh-TW;q=0.9')).toBe('zh-CN');
    expect(posLang(undefined, 'fr')).toBe('zh-CN');
    expect(posLang(undefined, undefined)).toBe('zh-CN');
  });
});

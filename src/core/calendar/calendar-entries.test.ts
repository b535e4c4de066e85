import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkYearJson, checkYearTable } from './calendar-entries.ts';
import { CN_2025 } from './data/cn-2025.ts';
import { dayNumber, dayOf } from './working-days.ts';

const table = (text: string) => {
  const [header = '', ...rows] = text.split('\n');
  return { header: header.split(','), rows: rows.map((r, i) => ({ row: i + 2, cells: r.split(',') })) };
};

describe('a year sent as JSON', () => {
  it('accepts the official year and sorts it', () => {
    const r = checkYearJson({ entries: [...CN_2025.entries].reverse() }, 2025);
    expect(r.ok && r.value.entries).toEqual([...CN_2025.entries].sort((a, b) => a.day.localeCompare(b.day)));
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it('points at every bad field', () => {
    const r = checkYearJson(
      {
        entries: [
          { day: '2025-01-01', kind: 'holiday', name: '元旦' },
          { day: '2025-02-30', kind: 'holiday', name: '' },
          { day: '2024-12-31', kind: 'holiday', name: '' },
          { day: '2025-01-01', kind: 'workday', name: '' },
          { day: '2025-03-01', kind: 'off', name: '' },
          { kind: 'holiday' },
          { day: '2025-05-01', kind: 'holiday', name: 'x'.repeat(101), note: 1 },
          'x',
        ],
        extra: true,
      },
      2025,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((e) => [e.pointer, e.rule])).toEqual([
      ['/extra', 'additionalProperties'],
      ['/entries/6/note', 'additionalProperties'],
      ['/entries/7', 'type'],
      ['/entries/1/day', 'format'],
      ['/entries/2/day', 'year'],
      ['/entries/3/day', 'unique'],
      ['/entries/4/kind', 'enum'],
      ['/entries/5/day', 'required'],
      ['/entries/6/name', 'maxLength'],
    ]);
    expect(r.error.find((e) => e.rule === 'unique')?.message).toContain('/entries/0/day');
  });

  it('takes an empty list (back to the built-in year) but not a missing one', () => {
    expect(checkYearJson({ entries: [] }, 2025)).toEqual({ ok: true, value: { entries: [], warnings: [] } });
    expect(checkYearJson({}, 2025).ok).toBe(false);
    expect(checkYearJson([], 2025).ok).toBe(false);
  });

  it('warns about a make-up workday on a weekday, without refusing it', () => {
    const r = checkYearJson({ entries: [{ day: '2025-03-04', kind: 'workday', name: '' }] }, 2025);
    expect(r.ok && r.value.warnings.map((w) => [w.pointer, w.rule])).toEqual([['/entries/0/kind', 'redundantWorkday']]);
  });

  it('accepts any set of distinct dates of the year and refuses any repeated one', () => {
    const first = dayNumber('2028-01-01') as number;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 365 }), { minLength: 1, maxLength: 60 }), fc.nat(), (offsets, pick) => {
        const entries = offsets.map((o) => ({ day: dayOf(first + o), kind: 'holiday', name: '' }));
        const good = checkYearJson({ entries }, 2028);
        expect(good.ok && good.value.entries.map((e) => e.day)).toEqual(entries.map((e) => e.day).sort());
        const dup = entries[pick % entries.length] as (typeof entries)[number];
        const bad = checkYearJson({ entries: [...entries, dup] }, 2028);
        expect(!bad.ok && bad.error.map((e) => e.pointer)).toEqual([`/entries/${entries.length}/day`]);
      }),
    );
  });
});

describe('a year sent as CSV', () => {
  it('reads day,kind,name and Chinese kind words', () => {
    const r = checkYearTable(table('day,kind,name\n2025-01-01,holiday,元旦\n2025-01-26,上班,春节调休\n2025-01-28,放假,'), 2025);
    expect(r.ok && r.value.entries).toEqual([
      { day: '2025-01-01', kind: 'holiday', name: '元旦' },
      { day: '2025-01-26', kind: 'workday', name: '春节调休' },
      { day: '2025-01-28', kind: 'holiday', name: '' },
    ]);
  });

  it('reads Chinese headers in any order, without a name column', () => {
    const r = checkYearTable(table('类型,日期\nholiday,2025-01-01'), 2025);
    expect(r.ok && r.value.entries).toEqual([{ day: '2025-01-01', kind: 'holiday', name: '' }]);
  });

  it('names the row and column of every bad cell', () => {
    const r = checkYearTable(table('day,kind,name\n2025-01-01,holiday,元旦\n2025/01/02,holiday,\n2025-01-01,sometimes,\n2026-01-01,holiday,'), 2025);
    expect(!r.ok && r.error.map((e) => [e.row, e.column, e.rule, e.pointer])).toEqual([
      [3, 'day', 'format', 'row 3, column day'],
      [4, 'day', 'unique', 'row 4, column day'],
      [4, 'kind', 'enum', 'row 4, column kind'],
      [5, 'day', 'year', 'row 5, column day'],
    ]);
  });

  it('refuses a header without day or kind, or with unknown columns', () => {
    const r = checkYearTable(table('date,what\n2025-01-01,holiday'), 2025);
    expect(!r.ok && r.error.map((e) => [e.row, e.column, e.rule])).toEqual([
      [1, 'what', 'header'],
      [1, 'kind', 'header'],
    ]);
  });
});

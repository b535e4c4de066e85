/**
 * The built-in calendars against the notices they copy: the length of every holiday, the weekday the
 * notice names for its first and last day and for each make-up workday, and the year's working days.
 */
import { describe, expect, it } from 'vitest';
import { CHINA_OFFSET_MINUTES, createWorkCalendar, dayNumber, dayOf, weekdayOf } from '../working-days.ts';
import { CN_2025 } from './cn-2025.ts';
import { CN_2026 } from './cn-2026.ts';
import { CN_BUILT_IN } from './cn-built-in.ts';
import type { OfficialYear } from './official-year.ts';

const W = { 日: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 } as const;
type Wd = keyof typeof W;

/** One line of a notice: first and last day off with their weekdays (周X), the total, the make-up days. */
interface NoticeLine {
  readonly from: string;
  readonly fromWd: Wd;
  readonly to: string;
  readonly toWd: Wd;
  readonly days: number;
  readonly workdays: readonly (readonly [string, Wd])[];
}

const NOTICES: readonly (readonly [OfficialYear, readonly NoticeLine[], number])[] = [
  [
    CN_2025,
    [
      { from: '2025-01-01', fromWd: '三', to: '2025-01-01', toWd: '三', days: 1, workdays: [] },
      { from: '2025-01-28', fromWd: '二', to: '2025-02-04', toWd: '二', days: 8, workdays: [['2025-01-26', '日'], ['2025-02-08', '六']] },
      { from: '2025-04-04', fromWd: '五', to: '2025-04-06', toWd: '日', days: 3, workdays: [] },
      { from: '2025-05-01', fromWd: '四', to: '2025-05-05', toWd: '一', days: 5, workdays: [['2025-04-27', '日']] },
      { from: '2025-05-31', fromWd: '六', to: '2025-06-02', toWd: '一', days: 3, workdays: [] },
      { from: '2025-10-01', fromWd: '三', to: '2025-10-08', toWd: '三', days: 8, workdays: [['2025-09-28', '日'], ['2025-10-11', '六']] },
    ],
    // 261 weekdays − 18 holidays on weekdays + 5 make-up days.
    248,
  ],
  [
    CN_2026,
    [
      { from: '2026-01-01', fromWd: '四', to: '2026-01-03', toWd: '六', days: 3, workdays: [['2026-01-04', '日']] },
      { from: '2026-02-15', fromWd: '日', to: '2026-02-23', toWd: '一', days: 9, workdays: [['2026-02-14', '六'], ['2026-02-28', '六']] },
      { from: '2026-04-04', fromWd: '六', to: '2026-04-06', toWd: '一', days: 3, workdays: [] },
      { from: '2026-05-01', fromWd: '五', to: '2026-05-05', toWd: '二', days: 5, workdays: [['2026-05-09', '六']] },
      { from: '2026-06-19', fromWd: '五', to: '2026-06-21', toWd: '日', days: 3, workdays: [] },
      { from: '2026-09-25', fromWd: '五', to: '2026-09-27', toWd: '日', days: 3, workdays: [] },
      { from: '2026-10-01', fromWd: '四', to: '2026-10-07', toWd: '三', days: 7, workdays: [['2026-09-20', '日'], ['2026-10-10', '六']] },
    ],
    // 261 weekdays − 19 holidays on weekdays + 6 make-up days.
    248,
  ],
];

describe.each(NOTICES.map(([y, lines, total]) => [y.year, y, lines, total] as const))('official calendar %i', (_year, official, lines, workingDays) => {
  it('matches every line of the notice', () => {
    const holidays = official.entries.filter((e) => e.kind === 'holiday').map((e) => e.day);
    const workdays = official.entries.filter((e) => e.kind === 'workday').map((e) => e.day);
    const expectedHolidays: string[] = [];
    for (const line of lines) {
      expect(weekdayOf(line.from), line.from).toBe(W[line.fromWd]);
      expect(weekdayOf(line.to), line.to).toBe(W[line.toWd]);
      const span = (dayNumber(line.to) as number) - (dayNumber(line.from) as number) + 1;
      expect(span, `${line.from} to ${line.to}`).toBe(line.days);
      for (let i = 0; i < span; i++) expectedHolidays.push(dayOf((dayNumber(line.from) as number) + i));
      for (const [day, wd] of line.workdays) expect(weekdayOf(day), day).toBe(W[wd]);
    }
    expect(holidays).toEqual(expectedHolidays);
    expect(workdays.sort()).toEqual(lines.flatMap((l) => l.workdays.map(([d]) => d)).sort());
  });

  it('has make-up workdays only on weekends, every date in its year, none twice', () => {
    for (const e of official.entries) {
      expect(e.day.startsWith(`${official.year}-`)).toBe(true);
      if (e.kind === 'workday') expect([0, 6]).toContain(weekdayOf(e.day));
      expect(e.name).not.toBe('');
    }
    expect(new Set(official.entries.map((e) => e.day)).size).toBe(official.entries.length);
  });

  it(`has ${workingDays} working days`, () => {
    const cal = createWorkCalendar({ entries: official.entries, offsetMinutes: CHINA_OFFSET_MINUTES });
    const y = official.year;
    expect(cal.workingDaysBetween(cal.endOfDay(`${y - 1}-12-30`), cal.startOfDay(`${y + 1}-01-01`))).toBe(workingDays);
  });

  it('is the built-in calendar of its year', () => {
    expect(CN_BUILT_IN.get(official.year)).toBe(official);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CN_2025 } from './data/cn-2025.ts';
import { CN_2026 } from './data/cn-2026.ts';
import { CHINA_OFFSET_MINUTES, type CalendarEntry, createWorkCalendar, dayNumber, dayOf, formatOffset, weekdayOf } from './working-days.ts';

const china = createWorkCalendar({ entries: [...CN_2025.entries, ...CN_2026.entries], offsetMinutes: CHINA_OFFSET_MINUTES });
const plain = createWorkCalendar({ entries: [], offsetMinutes: CHINA_OFFSET_MINUTES });
const iso = (d: Date): string => d.toISOString();
const cst = (local: string): Date => new Date(`${local}+08:00`);

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-02-29')).not.toBeNull();
    for (const bad of ['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-01', '25-01-01', '2025-01-01T00:00', '', '0099-01-01']) {
      expect(dayNumber(bad), bad).toBeNull();
    }
    expect(dayOf(dayNumber('2025-10-08') as number)).toBe('2025-10-08');
  });

  it('knows the weekday (0 = Sunday)', () => {
    expect(weekdayOf('2025-01-26')).toBe(0);
    expect(weekdayOf('2025-02-08')).toBe(6);
    expect(weekdayOf('2025-10-01')).toBe(3);
    expect(weekdayOf('1969-12-31')).toBe(3);
  });

  it('formats offsets', () => {
    expect(formatOffset(480)).toBe('+08:00');
    expect(formatOffset(-330)).toBe('-05:30');
    expect(formatOffset(0)).toBe('+00:00');
  });
});

describe('working days of the China calendar', () => {
  it('counts make-up workdays (调休) on weekends, and not holidays on weekdays', () => {
    expect(china.isWorkingDay('2025-01-26')).toBe(true); // Sunday, 春节调休上班
    expect(china.isWorkingDay('2025-02-08')).toBe(true); // Saturday, 春节调休上班
    expect(china.isWorkingDay('2025-01-28')).toBe(false); // Tuesday, 除夕
    expect(china.isWorkingDay('2025-02-01')).toBe(false); // Saturday inside 春节
    expect(china.isWorkingDay('2025-03-01')).toBe(false); // ordinary Saturday
    expect(china.isWorkingDay('2025-03-03')).toBe(true); // ordinary Monday
    expect(plain.isWorkingDay('2025-01-28')).toBe(true); // without the calendar, a plain Tuesday
  });

  it('skips 国庆 and counts the Sunday and Saturday make-up days (level 1: 10 working days)', () => {
    // Friday 26 Sep 2025 10:00. Counting starts Saturday 27 (off): 28 Sun (调休) 1, 29 2, 30 3,
    // 1–8 Oct off, 9 4, 10 5, 11 Sat (调休) 6, 13 7, 14 8, 15 9, 16 10 → 24:00 on Thursday 16 Oct.
    expect(iso(china.addWorkingDays(cst('2025-09-26T10:00:00'), 10))).toBe(iso(cst('2025-10-17T00:00:00')));
    // The same 10 days with weekends only end on Friday 10 Oct.
    expect(iso(plain.addWorkingDays(cst('2025-09-26T10:00:00'), 10))).toBe(iso(cst('2025-10-11T00:00:00')));
  });

  it('skips 春节 2025', () => {
    // Friday 24 Jan 15:00: 26 Sun (调休) 1, 27 2, 28 Jan–4 Feb off, 5 3, 6 4, 7 5, 8 Sat (调休) 6, 10 7, 11 8, 12 9, 13 10.
    expect(iso(china.addWorkingDays(cst('2025-01-24T15:00:00'), 10))).toBe(iso(cst('2025-02-14T00:00:00')));
  });

  it('skips a holiday that spans a weekend (端午 Sat 31 May – Mon 2 Jun 2025)', () => {
    expect(iso(china.addWorkingDays(cst('2025-05-30T10:00:00'), 1))).toBe(iso(cst('2025-06-04T00:00:00')));
    expect(china.workingDaysBetween(cst('2025-05-30T10:00:00'), cst('2025-06-04T00:00:00'))).toBe(1);
  });

  it('uses the 2026 calendar: Saturday 14 Feb is worked, then 春节 until 23 Feb', () => {
    expect(iso(china.addWorkingDays(cst('2026-02-13T12:00:00'), 1))).toBe(iso(cst('2026-02-15T00:00:00')));
    expect(iso(china.addWorkingDays(cst('2026-02-13T12:00:00'), 2))).toBe(iso(cst('2026-02-25T00:00:00')));
  });

  it('takes the local date, not the UTC date, at 23:30 and 00:30 local', () => {
    // 23:30 on Friday 7 Mar local is 15:30 UTC the same day: counting starts Saturday, so Monday is day 1.
    expect(china.localDate(cst('2025-03-07T23:30:00'))).toBe('2025-03-07');
    expect(iso(china.addWorkingDays(cst('2025-03-07T23:30:00'), 1))).toBe(iso(cst('2025-03-11T00:00:00')));
    // 00:30 on Monday 10 Mar local is still Sunday 9 Mar in UTC: the start day is Monday, so day 1 is Tuesday.
    const mondayEarly = new Date('2025-03-09T16:30:00Z');
    expect(china.localDate(mondayEarly)).toBe('2025-03-10');
    expect(iso(china.addWorkingDays(mondayEarly, 1))).toBe(iso(cst('2025-03-12T00:00:00')));
    // One minute earlier it is Sunday local: day 1 is Monday.
    expect(iso(china.addWorkingDays(new Date('2025-03-09T15:59:00Z'), 1))).toBe(iso(cst('2025-03-11T00:00:00')));
  });

  it('takes the offset as a parameter', () => {
    const eastern = createWorkCalendar({ entries: [], offsetMinutes: -300 });
    // 20:00 UTC on Friday is 15:00 Friday at -05:00 and 04:00 Saturday at +08:00.
    const t = new Date('2025-03-07T20:00:00Z');
    expect(eastern.localDate(t)).toBe('2025-03-07');
    expect(plain.localDate(t)).toBe('2025-03-08');
    expect(iso(eastern.addWorkingDays(t, 1))).toBe('2025-03-11T05:00:00.000Z');
    expect(iso(plain.addWorkingDays(t, 1))).toBe(iso(cst('2025-03-11T00:00:00')));
  });

  it('gives 24:00 of the start day for 0 working days, and refuses negative or fractional counts', () => {
    expect(iso(china.addWorkingDays(cst('2025-02-01T09:00:00'), 0))).toBe(iso(cst('2025-02-02T00:00:00')));
    expect(() => china.addWorkingDays(cst('2025-02-01T09:00:00'), -1)).toThrow(RangeError);
    expect(() => china.addWorkingDays(cst('2025-02-01T09:00:00'), 1.5)).toThrow(RangeError);
  });

  it('counts whole working days between two instants, negative backwards', () => {
    const a = cst('2025-09-26T10:00:00');
    expect(china.workingDaysBetween(a, cst('2025-10-17T00:00:00'))).toBe(10);
    expect(china.workingDaysBetween(a, cst('2025-10-16T23:59:59'))).toBe(9);
    expect(china.workingDaysBetween(cst('2025-10-17T00:00:00'), a)).toBe(-10);
    expect(china.workingDaysBetween(a, a)).toBe(0);
  });

  it('adds elapsed hours through nights and holidays', () => {
    expect(iso(china.addHours(cst('2025-09-30T18:00:00'), 24))).toBe(iso(cst('2025-10-01T18:00:00')));
  });

  it('names the years it does not know', () => {
    expect(china.coveredYears).toEqual([2025, 2026]);
    expect(china.uncoveredYears(cst('2026-12-01T00:00:00'), cst('2027-01-20T00:00:00'))).toEqual([2027]);
    expect(china.uncoveredYears(cst('2025-12-01T00:00:00'), cst('2026-01-20T00:00:00'))).toEqual([]);
  });

  it('refuses a date listed twice or not a date', () => {
    expect(() => createWorkCalendar({ entries: [{ day: '2025-01-01', kind: 'holiday', name: '' }, { day: '2025-01-01', kind: 'workday', name: '' }], offsetMinutes: 480 })).toThrow(RangeError);
    expect(() => createWorkCalendar({ entries: [{ day: '2025-02-30', kind: 'holiday', name: '' }], offsetMinutes: 480 })).toThrow(RangeError);
  });

  it('reports a calendar without working days instead of looping forever', () => {
    const start = dayNumber('2025-01-01') as number;
    const allOff: CalendarEntry[] = Array.from({ length: 3_700 }, (_, i) => ({ day: dayOf(start + i), kind: 'holiday', name: '' }));
    const cal = createWorkCalendar({ entries: allOff, offsetMinutes: 480 });
    expect(() => cal.addWorkingDays(cst('2025-01-01T00:00:00'), 1)).toThrow(/no working day/);
  });
});

/** Random calendars over 2024–2026: any day may be listed as a holiday or a workday. */
const FIRST = dayNumber('2024-01-01') as number;
const LAST = dayNumber('2026-12-31') as number;
const calendarArb = fc
  .record({
    listed: fc.uniqueArray(fc.record({ n: fc.integer({ min: FIRST, max: LAST }), kind: fc.constantFrom('holiday' as const, 'workday' as const) }), { selector: (e) => e.n, maxLength: 200 }),
    offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
  })
  .map(({ listed, offset }) => createWorkCalendar({ entries: listed.map((e) => ({ day: dayOf(e.n), kind: e.kind, name: '' })), offsetMinutes: offset }));
const instantArb = fc.integer({ min: FIRST * 86_400_000, max: (LAST - 60) * 86_400_000 }).map((ms) => new Date(ms));

describe('working-day properties', () => {
  it('adding n working days then counting back gives n', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 40 }), (cal, a, n) => {
        expect(cal.workingDaysBetween(a, cal.addWorkingDays(a, n))).toBe(n);
      }),
    );
  });

  it('a deadline is 24:00 local of a working day, and the earliest instant with n days counted', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 1, max: 40 }), (cal, a, n) => {
        const due = cal.addWorkingDays(a, n);
        const lastDay = cal.localDate(new Date(due.getTime() - 1));
        expect(cal.isWorkingDay(lastDay)).toBe(true);
        expect(cal.endOfDay(lastDay).getTime()).toBe(due.getTime());
        expect(lastDay > cal.localDate(a)).toBe(true);
        expect(cal.workingDaysBetween(a, new Date(due.getTime() - 1))).toBe(n - 1);
      }),
    );
  });

  it('more working days never end earlier', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 40 }), (cal, a, n) => {
        expect(cal.addWorkingDays(a, n + 1).getTime()).toBeGreaterThan(cal.addWorkingDays(a, n).getTime());
      }),
    );
  });

  it('the arithmetic count equals counting day by day', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 400 }), (cal, a, spanDays) => {
        const b = new Date(a.getTime() + spanDays * 86_400_000 + 3_600_000);
        const from = (dayNumber(cal.localDate(a)) as number) + 1;
        const to = (dayNumber(cal.localDate(b)) as number) - 1;
        let naive = 0;
        for (let n = from; n <= to; n++) if (cal.isWorkingDay(dayOf(n))) naive++;
        expect(cal.workingDaysBetween(a, b)).toBe(naive);
      }),
    );
  });
});

/**
 * Working days (工作日) of a holiday calendar, for the legal clocks of recalls.
 *
 * A day is a local calendar date at a fixed UTC offset (China: +08:00 all year, no daylight saving).
 * Saturdays and Sundays are days off unless the calendar lists them as make-up working days
 * (调休上班, kind `workday`); Monday to Friday are working days unless listed as holidays (kind
 * `holiday`). Pure: the caller passes every instant; nothing here reads a clock or a database.
 *
 * Counting rule (docs/legal-clocks.md): a period of n working days that starts at an instant begins on
 * the next local day (the start day itself is not counted, as 《民法典》第二百零一条 counts periods in
 * days) and ends at 24:00 local time of the n-th working day (第二百零三条: the last day ends at 24:00).
 */
import { DomainError } from '../errors.ts';

/** `holiday`: a day off (法定节假日). `workday`: a weekend day that is worked (调休上班). */
export type DayKind = 'holiday' | 'workday';

export const DAY_KINDS: readonly DayKind[] = ['holiday', 'workday'];

/** One listed date of a holiday calendar. */
export interface CalendarEntry {
  /** Local calendar date, `YYYY-MM-DD`. */
  readonly day: string;
  readonly kind: DayKind;
  /** Why, e.g. `春节 Spring Festival`; may be empty. */
  readonly name: string;
}

/** China Standard Time, UTC+08:00, the same all year. */
export const CHINA_OFFSET_MINUTES = 480;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** How far a search for working days may run before the calendar is judged to have none (ten years). */
const MAX_SCAN_DAYS = 3_660;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or null when the text is not a real calendar date. */
export function dayNumber(day: string): number | null {
  const m = DAY_PATTERN.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a real date comes back unchanged. Years below 100 are
  // shifted by Date.UTC, so they are refused too (no recall happens before year 100).
  if (y < 100 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** The `YYYY-MM-DD` date of a day number (days since 1970-01-01). */
export function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDay(text: string): boolean {
  return dayNumber(text) !== null;
}

/** 0 = Sunday … 6 = Saturday, of a day number. */
export function weekdayOfNumber(n: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((n + 4) % 7) + 7) % 7;
}

/** 0 = Sunday … 6 = Saturday, of a `YYYY-MM-DD` date. */
export function weekdayOf(day: string): number {
  return weekdayOfNumber(mustDay(day));
}

/** Whether the date is a Saturday or a Sunday. */
export function isWeekend(day: string): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** `+08:00` for 480 minutes, `-05:30` for -330. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A holiday calendar at a fixed UTC offset. Build one with `createWorkCalendar`.
 *
 * @example
 * const cal = createWorkCalendar({ entries: CN_2025, offsetMinutes: CHINA_OFFSET_MINUTES });
 * cal.addWorkingDays(new Date('2025-09-26T10:00:00+08:00'), 10); // 2025-10-17T00:00+08:00 (国庆 skipped, 调休 counted)
 */
export interface WorkCalendar {
  /** Minutes east of UTC of every local date in this calendar. */
  readonly offsetMinutes: number;
  /** Years whose official holidays this calendar knows; other years fall back to plain weekends. */
  readonly coveredYears: readonly number[];
  /** The listed entries, sorted by day. */
  readonly entries: readonly CalendarEntry[];
  /** The entry listed for `day`, if any. */
  entry(day: string): CalendarEntry | undefined;
  /** Whether `day` (`YYYY-MM-DD`) is a working day. */
  isWorkingDay(day: string): boolean;
  /** The local calendar date of an instant. */
  localDate(instant: Date): string;
  /** 00:00 local time of `day`. */
  startOfDay(day: string): Date;
  /** 24:00 local time of `day`, i.e. 00:00 of the next day. */
  endOfDay(day: string): Date;
  /**
   * The deadline n working days after `instant`: counting starts on the local day after the instant's
   * local date, and the deadline is 24:00 local of the n-th working day. n = 0 gives 24:00 of the
   * instant's own local day.
   */
  addWorkingDays(instant: Date, n: number): Date;
  /**
   * Working days that have fully ended after `a`'s local date and by `b`: the inverse of
   * `addWorkingDays` (`workingDaysBetween(a, addWorkingDays(a, n)) === n`). Negative when b < a.
   */
  workingDaysBetween(a: Date, b: Date): number;
  /** `instant` plus h hours of elapsed time (the hour clocks of a recall start run through nights and holidays). */
  addHours(instant: Date, h: number): Date;
  /** The years (of the local dates) from a to b that the calendar does not cover. */
  uncoveredYears(a: Date, b: Date): number[];
}

/** What a calendar is built from. */
export interface WorkCalendarOptions {
  readonly entries: readonly CalendarEntry[];
  /** Minutes east of UTC; China is `CHINA_OFFSET_MINUTES` (480). */
  readonly offsetMinutes: number;
  /** Years known to be complete; defaults to the years that have entries. */
  readonly coveredYears?: Iterable<number>;
}

/** Build a calendar. Throws a RangeError for entries that are not real dates or listed twice (validate input first). */
export function createWorkCalendar(options: WorkCalendarOptions): WorkCalendar {
  const { offsetMinutes } = options;
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) throw new RangeError(`offset ${offsetMinutes} minutes is not a UTC offset`);
  const byNumber = new Map<number, CalendarEntry>();
  for (const e of options.entries) {
    const n = mustDay(e.day);
    if (byNumber.has(n)) throw new RangeError(`${e.day} is listed twice`);
    byNumber.set(n, e);
  }
  const sortedNumbers = [...byNumber.keys()].sort((a, b) => a - b);
  const entries = sortedNumbers.map((n) => byNumber.get(n) as CalendarEntry);
  const covered = [...new Set(options.coveredYears ?? entries.map((e) => Number(e.day.slice(0, 4))))].sort((a, b) => a - b);
  const offsetMs = offsetMinutes * 60_000;

  const working = (n: number): boolean => {
    const e = byNumber.get(n);
    if (e) return e.kind === 'workday';
    const w = weekdayOfNumber(n);
    return w !== 0 && w !== 6;
  };
  const localNumber = (instant: Date): number => Math.floor((instant.getTime() + offsetMs) / DAY_MS);
  const startOfNumber = (n: number): Date => new Date(n * DAY_MS - offsetMs);

  /** Working days among day numbers [from, to] (inclusive); 0 when to < from. Arithmetic, then the listed exceptions. */
  const countWorking = (from: number, to: number): number => {
    if (to < from) return 0;
    let count = weekdaysBetween(from, to);
    for (const n of entriesIn(sortedNumbers, from, to)) {
      const weekday = weekdayOfNumber(n);
      const weekend = weekday === 0 || weekday === 6;
      const kind = (byNumber.get(n) as CalendarEntry).kind;
      if (kind === 'holiday' && !weekend) count--;
      else if (kind === 'workday' && weekend) count++;
    }
    return count;
  };

  const calendar: WorkCalendar = {
    offsetMinutes,
    coveredYears: covered,
    entries,
    entry: (day) => byNumber.get(mustDay(day)),
    isWorkingDay: (day) => working(mustDay(day)),
    localDate: (instant) => dayOf(localNumber(mustInstant(instant))),
    startOfDay: (day) => startOfNumber(mustDay(day)),
    endOfDay: (day) => startOfNumber(mustDay(day) + 1),
    addWorkingDays(instant, n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${n}`);
      let day = localNumber(mustInstant(instant));
      let left = n;
      let scanned = 0;
      while (left > 0) {
        day++;
        if (working(day)) left--;
        else if (++scanned > MAX_SCAN_DAYS) {
          throw new DomainError('ValidationException', `the holiday calendar has no working day in ${MAX_SCAN_DAYS} days after ${dayOf(day - MAX_SCAN_DAYS)}; check the imported calendar`);
        }
      }
      return startOfNumber(day + 1);
    },
    workingDaysBetween(a, b) {
      if (mustInstant(b).getTime() < mustInstant(a).getTime()) return -calendar.workingDaysBetween(b, a);
      // Day d has fully ended by b when 00:00 of d + 1 ≤ b, i.e. d + 1 ≤ local date of b.
      return countWorking(localNumber(a) + 1, localNumber(b) - 1);
    },
    addHours: (instant, h) => {
      if (!Number.isFinite(h)) throw new RangeError(`hours must be a finite number, not ${h}`);
      return new Date(mustInstant(instant).getTime() + h * 3_600_000);
    },
    uncoveredYears(a, b) {
      const [from, to] = [Number(calendar.localDate(a).slice(0, 4)), Number(calendar.localDate(b).slice(0, 4))].sort((x, y) => x - y) as [number, number];
      const out: number[] = [];
      for (let y = from; y <= to; y++) if (!covered.includes(y)) out.push(y);
      return out;
    },
  };
  return Object.freeze(calendar);
}

/** Monday-to-Friday days among day numbers [from, to] (to ≥ from). */
function weekdaysBetween(from: number, to: number): number {
  const total = to - from + 1;
  const weeks = Math.floor(total / 7);
  let count = weeks * 5;
  for (let n = from + weeks * 7; n <= to; n++) {
    const w = weekdayOfNumber(n);
    if (w !== 0 && w !== 6) count++;
  }
  return count;
}

/** The sorted numbers within [from, to], by binary search for the first. */
function entriesIn(sorted: readonly number[], from: number, to: number): number[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < sorted.length && (sorted[i] as number) <= to; i++) out.push(sorted[i] as number);
  return out;
}

function mustDay(day: string): number {
  const n = dayNumber(day);
  if (n === null) throw new RangeError(`${JSON.stringify(day)} is not a calendar date YYYY-MM-DD`);
  return n;
}

function mustInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant');
  return instant;
}

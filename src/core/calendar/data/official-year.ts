/**
 * A year of official holidays and make-up working days as a government notice publishes it, and the
 * helpers that spell a notice's lines ("1月28日至2月4日放假调休，共8天。1月26日、2月8日上班。") as entries.
 */
import { type CalendarEntry, dayNumber, dayOf } from '../working-days.ts';

/** One year's official calendar, with the notice it comes from. */
export interface OfficialYear {
  readonly year: number;
  /** The notice, e.g. 国务院办公厅关于2025年部分节假日安排的通知. */
  readonly source: { readonly 'zh-CN': string; readonly en: string; readonly documentNumber: string | null; readonly issued: string };
  readonly entries: readonly CalendarEntry[];
}

/** Every day from `from` to `to` (inclusive) as a holiday called `name`. */
export function holidayRange(from: string, to: string, name: string): CalendarEntry[] {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === null || b === null || b < a) throw new RangeError(`bad holiday range ${from}..${to}`);
  return Array.from({ length: b - a + 1 }, (_, i) => ({ day: dayOf(a + i), kind: 'holiday' as const, name }));
}

/** The make-up working days (调休上班) of a holiday called `name`. */
export function makeUpWorkdays(days: readonly string[], name: string): CalendarEntry[] {
  return days.map((day) => ({ day, kind: 'workday' as const, name: `${name} 调休上班 make-up workday` }));
}

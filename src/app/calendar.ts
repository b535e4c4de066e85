/**
 * The working-day calendar of an organisation: China's built-in official years (src/core/calendar/data),
 * replaced year by year by what the organisation imports. The legal clocks of recalls count on it.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import { type CalendarTable, type CheckedYear, checkYearJson, checkYearTable } from '../core/calendar/calendar-entries.ts';
import { CN_BUILT_IN } from '../core/calendar/data/cn-built-in.ts';
import type { OfficialYear } from '../core/calendar/data/official-year.ts';
import { CHINA_OFFSET_MINUTES, type CalendarEntry, type DayKind, type WorkCalendar, createWorkCalendar, dayNumber, dayOf, formatOffset } from '../core/calendar/working-days.ts';
import { DomainError, type ErrorDetail } from '../core/errors.ts';
import type { Schema } from '../store/schema.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';
import { readCsv } from './master-data/import.ts';

/** Years a calendar may be imported for. */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;

/** Where a year's entries come from: imported by the organisation, shipped with Lotline, or nowhere (weekends only). */
export type CalendarSource = 'organisation' | 'built-in' | 'none';

/** One year as `GET /api/calendar` shows it. */
export interface CalendarYearView {
  readonly year: number;
  /** The UTC offset of the calendar's dates. */
  readonly offset: string;
  readonly source: CalendarSource;
  /** The official notice Lotline ships for this year (whether or not the organisation replaced it). */
  readonly builtIn: OfficialYear['source'] | null;
  readonly entries: readonly (CalendarEntry & { readonly source: Exclude<CalendarSource, 'none'> })[];
  readonly workingDays: number;
  readonly months: readonly { readonly month: string; readonly workingDays: number; readonly holidays: number; readonly makeUpWorkdays: number }[];
  /** Present when the year has no holidays at all: the clocks then assume weekends only. */
  readonly notice?: { readonly 'zh-CN': string; readonly en: string };
}

/** A year sent for import: a JSON body `{ entries }` or CSV text with the header `day,kind,name`. */
export type YearInput = { readonly format: 'json'; readonly body: unknown } | { readonly format: 'csv'; readonly text: string };

/** What an import did. */
export interface ReplaceYearReport {
  readonly calendar: CalendarYearView;
  /** How many organisation entries the year had before. */
  readonly replaced: number;
  /** Advice that did not block the import (e.g. a make-up workday on a weekday). */
  readonly warnings: readonly ErrorDetail[];
}

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * The organisation's working-day calendar: the built-in official years, except years for which the
 * organisation has entries (those replace the built-in year whole). With `years`, only those years are
 * loaded and covered; other years then count weekends only.
 */
export async function loadCalendar(ctx: AppContext, orgId: string, years?: readonly number[], offsetMinutes: number = CHINA_OFFSET_MINUTES): Promise<WorkCalendar> {
  const own = await organisationEntries(ctx.database.db, orgId, years);
  const ownYears = new Set(own.map((e) => yearOf(e.day)));
  const wanted = (y: number): boolean => years === undefined || years.includes(y);
  const builtIn = [...CN_BUILT_IN.values()].filter((y) => wanted(y.year) && !ownYears.has(y.year));
  return createWorkCalendar({
    entries: [...own, ...builtIn.flatMap((y) => y.entries)],
    offsetMinutes,
    coveredYears: [...ownYears, ...builtIn.map((y) => y.year)],
  });
}

/** One year with its source, entries and working days per month. */
export async function calendarYear(ctx: AppContext, orgId: string, year: number): Promise<CalendarYearView> {
  checkYear(year, '/query/year');
  return viewOf(ctx.database.db, orgId, year);
}

/** Check a JSON or CSV year without writing anything; a DomainError names every problem. */
export function checkYearInput(input: YearInput, year: number): CheckedYear {
  const checked = input.format === 'json' ? checkYearJson(input.body, year) : checkYearTable(readCsv(input.text) satisfies CalendarTable, year);
  if (!checked.ok) {
    const where = input.format === 'json' ? 'entries' : 'rows';
    throw new DomainError('ValidationException', `the ${year} calendar has ${checked.error.length} problem(s) in its ${where}; nothing was changed`, checked.error);
  }
  return checked.value;
}

/**
 * Replace the organisation's entries for `year` with `entries`, atomically, with an audit entry.
 * An empty list removes the organisation's year, so the built-in year (if any) applies again.
 */
export async function replaceYear(ctx: AppContext, actor: Actor, year: number, entries: readonly CalendarEntry[], warnings: readonly ErrorDetail[] = []): Promise<ReplaceYearReport> {
  checkYear(year, '/params/year');
  // Entries may come from another caller than checkYearInput: check them again (cheap) before writing.
  const checked = checkYearJson({ entries: entries.map((e) => ({ day: e.day, kind: e.kind, name: e.name })) }, year);
  if (!checked.ok) throw new DomainError('ValidationException', `the ${year} calendar is not valid; nothing was changed`, checked.error);
  const rows = checked.value.entries;
  return ctx.database.db.transaction().execute(async (tx) => {
    // Two imports of the same year at once must not interleave their delete and insert.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`holiday_calendar:${actor.orgId}:${year}`}, 0))`.execute(tx);
    const deleted = await tx.deleteFrom('holiday_calendar').where('org_id', '=', actor.orgId).where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).executeTakeFirst();
    if (rows.length > 0) await tx.insertInto('holiday_calendar').values(rows.map((e) => ({ org_id: actor.orgId, day: e.day, kind: e.kind, name: e.name }))).execute();
    const count = (kind: DayKind): number => rows.filter((e) => e.kind === kind).length;
    const replaced = Number(deleted.numDeletedRows);
    await recordAudit(tx, actor, {
      action: 'calendar.replace_year',
      targetType: 'holiday_calendar',
      targetId: String(year),
      detail: { year, entries: rows.length, holidays: count('holiday'), workdays: count('workday'), replaced, builtInApplies: rows.length === 0 && CN_BUILT_IN.has(year) },
    });
    return { calendar: await viewOf(tx, actor.orgId, year), replaced, warnings };
  });
}

/** The deadline `days` working days after `from` on the organisation's calendar (the `GET /api/calendar/working-days` answer). */
export async function workingDayDeadline(ctx: AppContext, orgId: string, from: Date, days: number) {
  const calendar = await loadCalendar(ctx, orgId);
  const deadline = calendar.addWorkingDays(from, days);
  const lastDay = days === 0 ? calendar.localDate(from) : calendar.localDate(new Date(deadline.getTime() - 1));
  return {
    from,
    days,
    offset: formatOffset(calendar.offsetMinutes),
    startDay: calendar.localDate(from),
    lastWorkingDay: lastDay,
    deadline,
    deadlineLocal: `${calendar.localDate(deadline)}T00:00:00${formatOffset(calendar.offsetMinutes)}`,
    calendarGaps: calendar.uncoveredYears(from, deadline),
  };
}

/** Whole working days from `from` to `to` on the organisation's calendar. */
export async function workingDaysBetween(ctx: AppContext, orgId: string, from: Date, to: Date) {
  const calendar = await loadCalendar(ctx, orgId);
  return { from, to, offset: formatOffset(calendar.offsetMinutes), workingDays: calendar.workingDaysBetween(from, to), calendarGaps: calendar.uncoveredYears(from, to) };
}

async function viewOf(db: Db, orgId: string, year: number): Promise<CalendarYearView> {
  const own = await organisationEntries(db, orgId, [year]);
  const official = CN_BUILT_IN.get(year) ?? null;
  const source: CalendarSource = own.length > 0 ? 'organisation' : official ? 'built-in' : 'none';
  const entries = source === 'organisation' ? own : source === 'built-in' && official ? [...official.entries].sort((a, b) => a.day.localeCompare(b.day)) : [];
  const calendar = createWorkCalendar({ entries, offsetMinutes: CHINA_OFFSET_MINUTES });
  const months = Array.from({ length: 12 }, (_, m) => {
    const first = dayNumber(`${year}-${String(m + 1).padStart(2, '0')}-01`) as number;
    const next = m === 11 ? (dayNumber(`${year + 1}-01-01`) as number) : (dayNumber(`${year}-${String(m + 2).padStart(2, '0')}-01`) as number);
    let workingDays = 0;
    let holidays = 0;
    let makeUpWorkdays = 0;
    for (let n = first; n < next; n++) {
      const day = dayOf(n);
      if (calendar.isWorkingDay(day)) workingDays++;
      const kind = calendar.entry(day)?.kind;
      if (kind === 'holiday') holidays++;
      else if (kind === 'workday') makeUpWorkdays++;
    }
    return { month: `${year}-${String(m + 1).padStart(2, '0')}`, workingDays, holidays, makeUpWorkdays };
  });
  return {
    year,
    offset: formatOffset(CHINA_OFFSET_MINUTES),
    source,
    builtIn: official?.source ?? null,
    entries: source === 'none' ? [] : entries.map((e) => ({ ...e, source })),
    workingDays: months.reduce((sum, m) => sum + m.workingDays, 0),
    months,
    ...(source === 'none'
      ? {
          notice: {
            'zh-CN': `${year} 年尚无节假日安排：期限仅按周末计算。请在国务院办公厅发布通知后导入（PUT /api/calendar/${year}）。`,
            en: `No holiday calendar for ${year}: deadlines count weekends only. Import it once the State Council publishes the notice (PUT /api/calendar/${year}).`,
          },
        }
      : {}),
  };
}

async function organisationEntries(db: Db, orgId: string, years: readonly number[] | undefined): Promise<CalendarEntry[]> {
  if (years !== undefined && years.length === 0) return [];
  let q = db.selectFrom('holiday_calendar').select(['day', 'kind', 'name']).where('org_id', '=', orgId);
  if (years !== undefined) q = q.where((eb) => eb.or(years.map((y) => eb.and([eb('day', '>=', `${y}-01-01`), eb('day', '<=', `${y}-12-31`)]))));
  const rows = await q.orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, name: r.name }));
}

function checkYear(year: number, pointer: string): void {
  if (!Number.isInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw new DomainError(pointer.startsWith('/query') ? 'QueryParameterException' : 'ValidationException', `year must be a whole number from ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}`, [
      { pointer, message: `expected ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max}`, rule: 'range' },
    ]);
  }
}

function yearOf(day: string): number {
  return Number(day.slice(0, 4));
}

/**
 * Checks a year's holiday calendar sent by an organisation (JSON or CSV) before anything is written:
 * every date real and inside the year, no date twice, a known kind. Every problem is reported at once,
 * with a JSON pointer (`/entries/3/day`) or the CSV row and column, so a file is fixed in one pass.
 */
import type { ErrorDetail } from '../errors.ts';
import { type Result, err, ok } from '../result.ts';
import { isUnstorableString } from '../text-guard.ts';
import { type CalendarEntry, DAY_KINDS, type DayKind, dayNumber, isWeekend } from './working-days.ts';

/** Longest accepted entry name. */
export const MAX_NAME_LENGTH = 100;

/** A CSV file as rows of cells, with the file's 1-based row numbers (the header is row 1). */
export interface CalendarTable {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

/** A checked year: the entries, and advice that does not block the import. */
export interface CheckedYear {
  readonly entries: readonly CalendarEntry[];
  readonly warnings: readonly ErrorDetail[];
}

type Field = 'day' | 'kind' | 'name';

/** One candidate entry and how to name where each of its fields came from. */
interface Candidate {
  readonly day: unknown;
  readonly kind: unknown;
  readonly name: unknown;
  readonly where: (field: Field | null) => Pick<ErrorDetail, 'pointer' | 'row' | 'column'>;
}

/** Words a spreadsheet may use for the kind (CSV only; the JSON API takes the enum values). */
const KIND_WORDS: Readonly<Record<string, DayKind>> = {
  holiday: 'holiday',
  放假: 'holiday',
  休: 'holiday',
  假: 'holiday',
  workday: 'workday',
  上班: 'workday',
  班: 'workday',
  调休上班: 'workday',
};

/** Header words accepted for each column (English API names and Chinese). */
const HEADER_WORDS: Readonly<Record<Field, readonly string[]>> = {
  day: ['day', 'date', '日期'],
  kind: ['kind', 'type', '类型', '类别'],
  name: ['name', '名称', '节日', '说明'],
};

/** Check `{ entries: [{ day, kind, name }] }` for `year`; errors point into the body (`/entries/3/day`). */
export function checkYearJson(body: unknown, year: number): Result<CheckedYear, ErrorDetail[]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err([{ pointer: '', message: 'expected an object { "entries": [ { "day", "kind", "name" } ] }', rule: 'type' }]);
  }
  const extra = Object.keys(body).filter((k) => k !== 'entries');
  const problems: ErrorDetail[] = extra.map((k) => ({ pointer: `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, message: `unknown field ${k}`, rule: 'additionalProperties' }));
  const entries = (body as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return err([...problems, { pointer: '/entries', message: 'entries must be an array (empty to go back to the built-in calendar)', rule: 'type' }]);
  const candidates: Candidate[] = [];
  entries.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      problems.push({ pointer: `/entries/${i}`, message: 'each entry is an object { day, kind, name }', rule: 'type' });
      return;
    }
    for (const k of Object.keys(e)) {
      if (k !== 'day' && k !== 'kind' && k !== 'name') problems.push({ pointer: `/entries/${i}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, message: `unknown field ${k}`, rule: 'additionalProperties' });
    }
    const r = e as Record<string, unknown>;
    candidates.push({ day: r.day, kind: r.kind, name: r.name ?? '', where: (field) => ({ pointer: field ? `/entries/${i}/${field}` : `/entries/${i}` }) });
  });
  return finish(candidates, year, problems, (value) => (typeof value === 'string' && (DAY_KINDS as readonly string[]).includes(value) ? (value as DayKind) : null));
}

/** Check a CSV table (header `day,kind,name`; Chinese headers 日期,类型,名称 too) for `year`; errors name the row and column. */
export function checkYearTable(table: CalendarTable, year: number): Result<CheckedYear, ErrorDetail[]> {
  const columns = new Map<Field, number>();
  const problems: ErrorDetail[] = [];
  table.header.forEach((h, i) => {
    const word = h.trim().toLowerCase();
    if (word === '') return;
    const field = (Object.keys(HEADER_WORDS) as Field[]).find((f) => HEADER_WORDS[f].includes(word));
    if (!field) problems.push({ pointer: `row 1, column ${h}`, message: `unknown column ${JSON.stringify(h)}; the header is day,kind,name`, rule: 'header', row: 1, column: h });
    else if (columns.has(field)) problems.push({ pointer: `row 1, column ${h}`, message: `column ${field} appears twice`, rule: 'header', row: 1, column: h });
    else columns.set(field, i);
  });
  for (const f of ['day', 'kind'] as const) {
    if (!columns.has(f)) problems.push({ pointer: 'row 1', message: `required column ${f} (${HEADER_WORDS[f][2]}) is missing; the header is day,kind,name`, rule: 'header', row: 1, column: f });
  }
  if (problems.length) return err(problems);
  const columnName = (f: Field): string => table.header[columns.get(f) ?? -1] ?? f;
  const cell = (cells: readonly string[], f: Field): string => {
    const i = columns.get(f);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const candidates: Candidate[] = table.rows.map(({ row, cells }) => ({
    day: cell(cells, 'day'),
    kind: cell(cells, 'kind'),
    name: cell(cells, 'name'),
    where: (field) => (field ? { pointer: `row ${row}, column ${columnName(field)}`, row, column: columnName(field) } : { pointer: `row ${row}`, row }),
  }));
  return finish(candidates, year, [], (value) => (typeof value === 'string' ? (KIND_WORDS[value.toLowerCase()] ?? null) : null));
}

function finish(candidates: readonly Candidate[], year: number, problems: ErrorDetail[], kindOf: (value: unknown) => DayKind | null): Result<CheckedYear, ErrorDetail[]> {
  const first = new Map<string, Candidate>();
  const entries: CalendarEntry[] = [];
  const warnings: ErrorDetail[] = [];
  for (const c of candidates) {
    const at = (field: Field) => c.where(field);
    const problemsBefore = problems.length;
    const day = typeof c.day === 'string' ? c.day.trim() : null;
    if (day === null || day === '') problems.push({ ...at('day'), message: 'day is required, as YYYY-MM-DD', rule: 'required' });
    else if (dayNumber(day) === null) problems.push({ ...at('day'), message: `${JSON.stringify(day)} is not a calendar date YYYY-MM-DD`, rule: 'format' });
    else if (Number(day.slice(0, 4)) !== year) problems.push({ ...at('day'), message: `${day} is not in ${year}; send each year to its own /api/calendar/{year}`, rule: 'year' });
    else {
      const earlier = first.get(day);
      if (earlier) problems.push({ ...at('day'), message: `${day} is listed twice (first at ${earlier.where('day').pointer})`, rule: 'unique' });
      else first.set(day, c);
    }
    const kind = kindOf(c.kind);
    if (kind === null) problems.push({ ...at('kind'), message: `kind must be holiday (放假) or workday (调休上班), not ${JSON.stringify(c.kind ?? null)}`, rule: 'enum' });
    const name = c.name;
    if (typeof name !== 'string') problems.push({ ...at('name'), message: 'name must be text', rule: 'type' });
    else if (name.length > MAX_NAME_LENGTH) problems.push({ ...at('name'), message: `name is longer than ${MAX_NAME_LENGTH} characters`, rule: 'maxLength' });
    else if (isUnstorableString(name)) problems.push({ ...at('name'), message: 'name must not contain NUL characters or unpaired UTF-16 surrogates', rule: 'unstorableText' });
    if (problems.length > problemsBefore || day === null || kind === null || typeof name !== 'string') continue;
    // A make-up working day on a weekday changes nothing: probably a holiday meant, so say so.
    if (kind === 'workday' && !isWeekend(day)) warnings.push({ ...at('kind'), message: `${day} is a weekday, so listing it as a workday changes nothing (was holiday meant?)`, rule: 'redundantWorkday' });
    entries.push({ day, kind, name: name.trim() });
  }
  if (problems.length) return err(problems);
  entries.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return ok({ entries, warnings });
}

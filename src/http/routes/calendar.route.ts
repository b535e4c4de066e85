import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CALENDAR_YEARS, type YearInput, calendarYear, checkYearInput, replaceYear, workingDayDeadline, workingDaysBetween } from '../../app/calendar.ts';
import { CHINA_OFFSET_MINUTES, createWorkCalendar } from '../../core/calendar/working-days.ts';
import { DomainError } from '../../core/errors.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const Year = Type.Integer({ minimum: CALENDAR_YEARS.min, maximum: CALENDAR_YEARS.max });

/** The JSON body of `PUT /api/calendar/{year}`, for the OpenAPI page; the entries are checked in the use case (with pointers). */
const YearBody = Type.Object(
  {
    entries: Type.Array(
      Type.Object({
        day: Type.String({ description: 'local date YYYY-MM-DD, inside the year' }),
        kind: Type.String({ description: 'holiday (放假) or workday (调休上班, a worked weekend day)' }),
        name: Type.Optional(Type.String({ description: 'e.g. 春节 Spring Festival' })),
      }),
      { maxItems: 366, description: 'every listed date of the year; an empty list goes back to the built-in calendar' },
    ),
  },
  { description: 'or send text/csv with the header day,kind,name' },
);

/** Holiday calendar of the legal clocks: read a year, import a year (JSON or CSV), compute a working-day deadline. */
export function registerCalendarRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['recall'];
  // The master-data routes register the CSV parser for the whole app; this keeps working if they stop.
  if (!app.hasContentTypeParser('text/csv')) app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get('/api/calendar', {
    config: { permission: 'recall:read' },
    schema: {
      tags,
      summary: 'A year of the working-day calendar (工作日): holidays and make-up workdays, their source (built-in official notice or the organisation\'s import), working days per month',
      querystring: Type.Object({ year: Type.Optional({ ...Year, description: 'default: the current year at +08:00' }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query as { year?: number };
    const year = q.year ?? Number(createWorkCalendar({ entries: [], offsetMinutes: CHINA_OFFSET_MINUTES }).localDate(deps.ctx.clock.now()).slice(0, 4));
    return calendarYear(deps.ctx, principalOf(request).orgId, year);
  });

  app.put('/api/calendar/:year', {
    config: { permission: 'recall:configure' },
    schema: {
      tags,
      summary: 'Replace one year of the organisation\'s holiday calendar (all or nothing); JSON { entries: [{ day, kind, name }] } or text/csv with the header day,kind,name',
      description: 'Errors point at `/entries/3/day` (JSON) or name the CSV row and column. The year replaces the built-in official year whole; an empty list goes back to it.',
      params: Type.Object({ year: Year }),
      body: { content: { 'application/json': { schema: YearBody }, 'text/csv': { schema: Type.String({ description: 'day,kind,name\\n2027-01-01,holiday,元旦' }) } } },
    },
  }, async (request) => {
    const year = (request.params as { year: number }).year;
    const contentType = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    let input: YearInput;
    if (contentType === 'text/csv' && typeof request.body === 'string') input = { format: 'csv', text: request.body };
    else if (contentType === 'application/json') input = { format: 'json', body: request.body };
    else throw new DomainError('UnsupportedMediaTypeException', 'send the year as application/json { "entries": [...] } or as text/csv with the header day,kind,name');
    const checked = checkYearInput(input, year);
    return replaceYear(deps.ctx, principalOf(request), year, checked.entries, checked.warnings);
  });

  app.get('/api/calendar/working-days', {
    config: { permission: 'recall:read' },
    schema: {
      tags,
      summary: 'The deadline n working days after an instant (counting from the next local day, ending 24:00 of the n-th working day), or the working days between two instants',
      querystring: Type.Object(
        {
          from: Type.String({ maxLength: 64, description: 'RFC 3339 with offset, e.g. 2025-09-26T10:00:00+08:00' }),
          days: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'working days to add' })),
          to: Type.Optional(Type.String({ maxLength: 64, description: 'count the working days from `from` to this instant instead' })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const q = request.query as { from: string; days?: number; to?: string };
    const orgId = principalOf(request).orgId;
    const from = timeParam(q.from, '/query/from');
    if ((q.days === undefined) === (q.to === undefined)) {
      throw new DomainError('QueryParameterException', 'give either days (a deadline) or to (a count of working days)', [{ pointer: q.days === undefined ? '/query/days' : '/query/to', message: 'exactly one of days and to', rule: 'oneOf' }]);
    }
    if (q.to !== undefined) return workingDaysBetween(deps.ctx, orgId, from, timeParam(q.to, '/query/to'));
    return workingDayDeadline(deps.ctx, orgId, from, q.days as number);
  });
}

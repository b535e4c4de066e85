import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarYearView, ReplaceYearReport } from '../../src/app/calendar.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

/** China's 2027 holidays are not yet published; this is a made-up organisation calendar for the tests. */
const Y2027 = [
  { day: '2027-01-01', kind: 'holiday', name: '元旦 New Year' },
  { day: '2027-02-05', kind: 'holiday', name: '春节 Spring Festival' },
  { day: '2027-02-08', kind: 'holiday', name: '春节 Spring Festival' },
  { day: '2027-02-13', kind: 'workday', name: '春节调休上班' },
];

describe.each(testEngines())('holiday calendar on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const get = async <T>(url: string, role: Parameters<TestApp['auth']>[0] = 'qa', status = 200): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth(role) });
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const putJson = (year: number | string, body: unknown, role: Parameters<TestApp['auth']>[0] = 'qa') =>
    t.app.inject({ method: 'PUT', url: `/api/calendar/${year}`, headers: { ...t.auth(role), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const putCsv = (year: number, text: string, role: Parameters<TestApp['auth']>[0] = 'qa') =>
    t.app.inject({ method: 'PUT', url: `/api/calendar/${year}`, headers: { ...t.auth(role), 'content-type': 'text/csv; charset=utf-8' }, payload: text });

  it('shows the built-in official 2025 calendar with working days per month', async () => {
    const c = await get<CalendarYearView>('/api/calendar?year=2025', 'viewer');
    expect(c.source).toBe('built-in');
    expect(c.builtIn?.documentNumber).toBe('国办发明电〔2024〕12号');
    expect(c.offset).toBe('+08:00');
    expect(c.workingDays).toBe(248);
    // January: 23 weekdays − 元旦 and four days of 春节 + Sunday 26 January worked.
    expect(c.months[0]).toEqual({ month: '2025-01', workingDays: 19, holidays: 5, makeUpWorkdays: 1 });
    // October: 23 weekdays − six weekdays of 国庆/中秋 + Saturday 11 October worked (Sunday 28 September is in September).
    expect(c.months[9]).toEqual({ month: '2025-10', workingDays: 18, holidays: 8, makeUpWorkdays: 1 });
    expect(c.entries.find((e) => e.day === '2025-09-28')).toMatchObject({ kind: 'workday', source: 'built-in' });
    expect(c.entries.every((e) => e.source === 'built-in')).toBe(true);
  });

  it('says when a year has no calendar yet, and counts weekends only', async () => {
    const c = await get<CalendarYearView>('/api/calendar?year=2030');
    expect(c.source).toBe('none');
    expect(c.entries).toEqual([]);
    expect(c.notice?.en).toContain('PUT /api/calendar/2030');
    expect(c.workingDays).toBe(261);
  });

  it('imports a year as JSON, which then drives the deadlines', async () => {
    const res = await putJson(2027, { entries: Y2027 });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as ReplaceYearReport;
    expect(report.replaced).toBe(0);
    expect(report.calendar.source).toBe('organisation');
    expect(report.calendar.entries.map((e) => [e.day, e.kind, e.source])).toEqual(Y2027.map((e) => [e.day, e.kind, 'organisation']));
    // Thursday 4 Feb 2027: 5 Feb (Fri) and 8 Feb (Mon) are off, Saturday 13 Feb is worked.
    const d = await get<{ deadline: string; deadlineLocal: string; lastWorkingDay: string; calendarGaps: number[] }>(`/api/calendar/working-days?from=${encodeURIComponent('2027-02-04T10:00:00+08:00')}&days=4`);
    expect(d).toMatchObject({ deadline: '2027-02-12T16:00:00.000Z', deadlineLocal: '2027-02-13T00:00:00+08:00', lastWorkingDay: '2027-02-12', calendarGaps: [] });
    const d5 = await get<{ lastWorkingDay: string }>(`/api/calendar/working-days?from=${encodeURIComponent('2027-02-04T10:00:00+08:00')}&days=5`);
    expect(d5.lastWorkingDay).toBe('2027-02-13');
    const audit = await t.ctx.database.db.selectFrom('audit_log').select(['action', 'target_id', 'detail']).where('org_id', '=', 'acme').where('action', '=', 'calendar.replace_year').execute();
    expect(audit).toEqual([expect.objectContaining({ target_id: '2027', detail: expect.objectContaining({ entries: 4, holidays: 3, workdays: 1, replaced: 0 }) })]);
  });

  it('computes the level 1 deadline across 国庆 2025 on the built-in calendar', async () => {
    const d = await get<{ deadline: string; startDay: string; lastWorkingDay: string }>(`/api/calendar/working-days?from=${encodeURIComponent('2025-09-26T10:00:00+08:00')}&days=10`, 'regulator');
    expect(d).toMatchObject({ startDay: '2025-09-26', lastWorkingDay: '2025-10-16', deadline: '2025-10-16T16:00:00.000Z' });
    const n = await get<{ workingDays: number }>(`/api/calendar/working-days?from=${encodeURIComponent('2025-09-26T10:00:00+08:00')}&to=${encodeURIComponent('2025-10-17T00:00:00+08:00')}`);
    expect(n.workingDays).toBe(10);
  });

  it('imports CSV over the built-in year, and an empty list goes back to it', async () => {
    const csv = '\ufeffday,kind,name\n2025-01-01,holiday,元旦\n2025-01-27,放假,公司春节假\n2025-01-28,holiday,春节\n';
    const res = await putCsv(2025, csv);
    expect(res.statusCode, res.body).toBe(200);
    const c = await get<CalendarYearView>('/api/calendar?year=2025');
    expect(c.source).toBe('organisation');
    expect(c.builtIn?.issued).toBe('2024-11-12');
    expect(c.entries.map((e) => [e.day, e.kind, e.name, e.source])).toEqual([
      ['2025-01-01', 'holiday', '元旦', 'organisation'],
      ['2025-01-27', 'holiday', '公司春节假', 'organisation'],
      ['2025-01-28', 'holiday', '春节', 'organisation'],
    ]);
    // The organisation's year replaces the built-in year whole: 29 Jan – 4 Feb are working days now.
    const d = await get<{ lastWorkingDay: string }>(`/api/calendar/working-days?from=${encodeURIComponent('2025-01-24T15:00:00+08:00')}&days=2`);
    expect(d.lastWorkingDay).toBe('2025-01-30');

    const back = await putJson(2025, { entries: [] });
    expect(back.statusCode, back.body).toBe(200);
    expect((back.json() as ReplaceYearReport).replaced).toBe(3);
    expect((back.json() as ReplaceYearReport).calendar.source).toBe('built-in');
  });

  it('rejects a bad JSON year whole, pointing at each field, and keeps the previous year', async () => {
    const before = await get<CalendarYearView>('/api/calendar?year=2027');
    const res = await putJson(2027, {
      entries: [
        { day: '2027-05-01', kind: 'holiday', name: '劳动节' },
        { day: '2027-02-29', kind: 'holiday', name: '' },
        { day: '2026-12-31', kind: 'holiday', name: '' },
        { day: '2027-05-01', kind: 'holiday', name: '' },
        { day: '2027-06-01', kind: 'vacation', name: '' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as { type: string; errors: { pointer: string; rule: string }[] };
    expect(problem.type).toBe('epcisException:ValidationException');
    expect(problem.errors.map((e) => [e.pointer, e.rule])).toEqual([
      ['/entries/1/day', 'format'],
      ['/entries/2/day', 'year'],
      ['/entries/3/day', 'unique'],
      ['/entries/4/kind', 'enum'],
    ]);
    const missing = await putJson(2027, { entries: [{ kind: 'holiday' }] });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(['/entries/0/day']);
    expect(await get<CalendarYearView>('/api/calendar?year=2027')).toEqual(before);
  });

  it('rejects a bad CSV year whole, naming rows and columns, and keeps the previous year', async () => {
    const before = await get<CalendarYearView>('/api/calendar?year=2027');
    const res = await putCsv(2027, 'day,kind,name\n2027-10-01,holiday,国庆节\n2027-10-32,holiday,\n2027-10-01,workday,\n2027-10-09,sometimes,\n');
    expect(res.statusCode).toBe(400);
    const errors = (res.json() as { errors: { row: number; column: string; rule: string }[] }).errors;
    expect(errors.map((e) => [e.row, e.column, e.rule])).toEqual([
      [3, 'day', 'format'],
      [4, 'day', 'unique'],
      [5, 'kind', 'enum'],
    ]);
    const header = await putCsv(2027, 'date;name\n2027-10-01;国庆节\n');
    expect(header.statusCode).toBe(400);
    expect((header.json() as { errors: { row: number; column: string }[] }).errors).toEqual([expect.objectContaining({ row: 1, column: 'kind' })]);
    expect(await get<CalendarYearView>('/api/calendar?year=2027')).toEqual(before);
    const audits = await t.ctx.database.db.selectFrom('audit_log').select('target_id').where('org_id', '=', 'acme').where('action', '=', 'calendar.replace_year').where('target_id', '=', '2027').execute();
    expect(audits).toHaveLength(1);
  });

  it('answers other media types, bad years and bad queries with problems, never a 500', async () => {
    const plain = await t.app.inject({ method: 'PUT', url: '/api/calendar/2027', headers: { ...t.auth('qa'), 'content-type': 'text/plain' }, payload: 'day,kind\n' });
    expect(plain.statusCode).toBe(415);
    expect((await putJson(1999, { entries: [] })).statusCode).toBe(400);
    expect((await putJson('next', { entries: [] })).statusCode).toBe(400);
    const neither = await get<{ errors: { pointer: string }[] }>(`/api/calendar/working-days?from=${encodeURIComponent('2025-01-01T00:00:00+08:00')}`, 'qa', 400);
    expect(neither.errors[0]?.pointer).toBe('/query/days');
    const badFrom = await get<{ errors: { pointer: string }[] }>('/api/calendar/working-days?from=yesterday&days=3', 'qa', 400);
    expect(badFrom.errors[0]?.pointer).toBe('/query/from');
    await get('/api/calendar?year=2101', 'qa', 400);
  });

  it('lets store staff neither read nor change the calendar, and viewers only read it', async () => {
    await get('/api/calendar?year=2025', 'store', 403);
    await get(`/api/calendar/working-days?from=${encodeURIComponent('2025-01-01T00:00:00+08:00')}&days=1`, 'store', 403);
    expect((await putJson(2028, { entries: [] }, 'store')).statusCode).toBe(403);
    expect((await putCsv(2028, 'day,kind,name\n2028-01-01,holiday,\n', 'viewer')).statusCode).toBe(403);
    expect((await putJson(2028, { entries: [] }, 'admin')).statusCode).toBe(200);
  });

  it("keeps each organisation's calendar to itself", async () => {
    const res = await putJson(2027, { entries: [{ day: '2027-03-01', kind: 'holiday', name: 'rival day' }] }, 'other');
    expect(res.statusCode, res.body).toBe(200);
    const acme = await get<CalendarYearView>('/api/calendar?year=2027');
    expect(acme.entries.map((e) => e.day)).toEqual(Y2027.map((e) => e.day));
    const rival = await get<CalendarYearView>('/api/calendar?year=2027', 'other');
    expect(rival.entries.map((e) => e.day)).toEqual(['2027-03-01']);
  });

  it('applies one of two concurrent imports of a year whole, never a mix', async () => {
    const a = Array.from({ length: 30 }, (_, i) => ({ day: `2029-03-${String(i + 1).padStart(2, '0')}`, kind: 'holiday', name: 'A' }));
    const b = Array.from({ length: 30 }, (_, i) => ({ day: `2029-04-${String(i + 1).padStart(2, '0')}`, kind: 'holiday', name: 'B' }));
    const results = await Promise.all([putJson(2029, { entries: a }), putJson(2029, { entries: b }), putJson(2029, { entries: a }), putJson(2029, { entries: b })]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const names = new Set((await get<CalendarYearView>('/api/calendar?year=2029')).entries.map((e) => e.name));
    expect([...names].length).toBe(1);
    expect((await get<CalendarYearView>('/api/calendar?year=2029')).entries).toHaveLength(30);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CN_2025 } from './data/cn-2025.ts';
import { CN_2026 } from './data/cn-2026.ts';
import { type LegalClock, type LegalClockInput, type RecallLevel, legalClocks, warningTime } from './legal-clocks.ts';
import { CHINA_OFFSET_MINUTES, createWorkCalendar } from './working-days.ts';

const calendar = createWorkCalendar({ entries: [...CN_2025.entries, ...CN_2026.entries], offsetMinutes: CHINA_OFFSET_MINUTES });
const cst = (local: string): Date => new Date(`${local}+08:00`);
const H = 3_600_000;
const byId = (clocks: LegalClock[]) => Object.fromEntries(clocks.map((c) => [c.id, c]));
const base = (over: Partial<LegalClockInput>): LegalClockInput => ({ level: 1, decidedAt: cst('2025-03-03T09:00:00'), startedAt: null, completedAt: null, now: cst('2025-03-03T10:00:00'), calendar, ...over });

describe('statutory clocks per level', () => {
  it('level 1: start and report the plan within 24 hours, complete within 10 working days', () => {
    const c = byId(legalClocks(base({ level: 1 })));
    expect(Object.keys(c)).toEqual(['start', 'plan_report', 'complete']);
    expect(c.start?.dueAt).toEqual(cst('2025-03-04T09:00:00'));
    expect(c.plan_report?.dueAt).toEqual(cst('2025-03-04T09:00:00'));
    // Not started: counted from the decision, and said to be provisional. 4–7, 10–14, 17 March.
    expect(c.complete).toMatchObject({ from: 'started', provisional: true, fromAt: cst('2025-03-03T09:00:00'), dueAt: cst('2025-03-18T00:00:00'), period: { unit: 'working_days', amount: 10 } });
    expect(c.start?.basis).toBe('statute');
    expect(c.start?.source?.['zh-CN']).toContain('食品召回管理办法');
    expect(c.start?.label.en).toBe('Start the recall within 24 hours');
  });

  it('level 2: 48 hours, 20 working days counted from the start', () => {
    const c = byId(legalClocks(base({ level: 2, startedAt: cst('2025-03-03T15:00:00') })));
    expect(c.start?.dueAt).toEqual(cst('2025-03-05T09:00:00'));
    expect(c.complete).toMatchObject({ provisional: false, fromAt: cst('2025-03-03T15:00:00'), dueAt: cst('2025-04-01T00:00:00') });
  });

  it('level 3: 72 hours, 30 working days, skipping 清明 (4 April 2025)', () => {
    const c = byId(legalClocks(base({ level: 3, startedAt: cst('2025-03-03T15:00:00') })));
    expect(c.start?.dueAt).toEqual(cst('2025-03-06T09:00:00'));
    expect(c.complete?.dueAt).toEqual(cst('2025-04-16T00:00:00'));
  });

  it('the mooncake story: a voluntary level 3 recall started on a Saturday before 国庆', () => {
    // Decided Friday 26 Sep 2025; started Saturday 27 Sep. Working days from 28 Sep (调休 Sunday):
    // 28, 29, 30 Sep; 9, 10, 11 (调休 Saturday) Oct; then whole weeks to Thursday 13 Nov = day 30.
    const c = byId(legalClocks(base({ level: 3, decidedAt: cst('2025-09-26T10:00:00'), startedAt: cst('2025-09-27T09:00:00'), now: cst('2025-10-20T12:00:00') })));
    expect(c.start).toMatchObject({ dueAt: cst('2025-09-29T10:00:00'), status: 'met', metAt: cst('2025-09-27T09:00:00') });
    expect(c.complete).toMatchObject({ dueAt: cst('2025-11-14T00:00:00'), status: 'pending', calendarGaps: [] });
    expect(c.plan_report?.status).toBe('overdue');
  });

  it('adds an extension the regulator agreed to the completion clock', () => {
    const c = byId(legalClocks(base({ level: 1, startedAt: cst('2025-03-03T09:00:00'), completionExtensionWorkingDays: 5 })));
    expect(c.complete?.dueAt).toEqual(cst('2025-03-25T00:00:00'));
    expect(c.complete?.label.en).toContain('extended by 5');
  });

  it('names the years the calendar does not cover', () => {
    const c = byId(legalClocks(base({ level: 3, decidedAt: cst('2026-12-01T09:00:00'), startedAt: cst('2026-12-01T10:00:00'), now: cst('2026-12-01T11:00:00') })));
    expect(c.complete?.calendarGaps).toEqual([2027]);
    expect(c.start?.calendarGaps).toEqual([]);
  });

  it('runs no clock before a level is decided', () => {
    expect(legalClocks(base({ level: null }))).toEqual([]);
  });
});

describe('statuses', () => {
  const decidedAt = cst('2025-03-03T09:00:00');
  const start = (over: Partial<LegalClockInput>) => byId(legalClocks(base({ level: 1, decidedAt, ...over }))).start as LegalClock;

  it('pending, then due_soon when a quarter of the period is left, then overdue', () => {
    expect(start({ now: new Date(decidedAt.getTime() + 17 * H) })).toMatchObject({ status: 'pending', remainingMs: 7 * H, warnAt: new Date(decidedAt.getTime() + 18 * H) });
    expect(start({ now: new Date(decidedAt.getTime() + 18 * H) }).status).toBe('due_soon');
    expect(start({ now: new Date(decidedAt.getTime() + 24 * H) }).status).toBe('overdue');
    expect(start({ now: new Date(decidedAt.getTime() + 25 * H) })).toMatchObject({ status: 'overdue', remainingMs: -1 * H });
  });

  it('met on time or late, whatever the time now', () => {
    const late = new Date(decidedAt.getTime() + 30 * H);
    expect(start({ startedAt: new Date(decidedAt.getTime() + 23 * H), now: late })).toMatchObject({ status: 'met', remainingMs: 1 * H });
    expect(start({ startedAt: new Date(decidedAt.getTime() + 24 * H), now: late }).status).toBe('met');
    expect(start({ startedAt: late, now: late })).toMatchObject({ status: 'met_late', remainingMs: -6 * H });
  });

  it('takes a warning rule in hours, per clock or for all', () => {
    expect(start({ warning: { kind: 'hours', hours: 2 }, now: new Date(decidedAt.getTime() + 21 * H) }).status).toBe('pending');
    expect(start({ warning: { kind: 'hours', hours: 2 }, now: new Date(decidedAt.getTime() + 22 * H) }).status).toBe('due_soon');
    const c = byId(legalClocks(base({ level: 1, decidedAt, warning: { kind: 'hours', hours: 2 }, warnings: { complete: { kind: 'hours', hours: 48 } } })));
    expect(c.start?.warnAt).toEqual(new Date(decidedAt.getTime() + 22 * H));
    expect(c.complete?.warnAt).toEqual(cst('2025-03-16T00:00:00'));
  });

  it('never warns before the clock starts', () => {
    expect(warningTime(decidedAt, new Date(decidedAt.getTime() + H), { kind: 'hours', hours: 5 })).toEqual(decidedAt);
    expect(() => warningTime(decidedAt, decidedAt, { kind: 'fraction', fraction: 1.5 })).toThrow(RangeError);
  });
});

describe('FDA classes and configured targets', () => {
  const targets = [
    { id: 'notify_accounts', label: { 'zh-CN': '通知直接客户', en: 'Notify direct accounts' }, from: 'decided' as const, period: { unit: 'hours' as const, amount: 24 } },
    { id: 'effectiveness', label: { 'zh-CN': '有效性核查', en: 'Effectiveness checks' }, from: 'started' as const, period: { unit: 'working_days' as const, amount: 10 }, metAt: cst('2025-03-10T12:00:00') },
  ];

  it('an FDA class alone has no statutory clock', () => {
    expect(legalClocks(base({ level: null, fdaClass: 'I' }))).toEqual([]);
  });

  it('returns the configured targets after any statutory clocks', () => {
    const onlyFda = legalClocks(base({ level: null, fdaClass: 'I', targets }));
    expect(onlyFda.map((c) => [c.id, c.basis, c.source, c.status])).toEqual([
      ['notify_accounts', 'target', null, 'pending'],
      ['effectiveness', 'target', null, 'met'],
    ]);
    expect(onlyFda[1]?.provisional).toBe(true);
    expect(legalClocks(base({ level: 2, fdaClass: 'II', targets })).map((c) => c.id)).toEqual(['start', 'plan_report', 'complete', 'notify_accounts', 'effectiveness']);
  });

  it('refuses a target that reuses a clock id', () => {
    expect(() => legalClocks(base({ level: 1, targets: [{ ...targets[0]!, id: 'start' }] }))).toThrow(RangeError);
    expect(() => legalClocks(base({ level: null, targets: [targets[0]!, targets[0]!] }))).toThrow(RangeError);
  });
});

describe('clock properties', () => {
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 10, 1) }).map((ms) => new Date(ms));
  it('status, remaining time and warning agree with the deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom<RecallLevel>(1, 2, 3), instant, fc.option(fc.integer({ min: 0, max: 60 * 24 * H })), fc.integer({ min: -5 * 24 * H, max: 80 * 24 * H }), fc.double({ min: 0, max: 1, noNaN: true }), (level, decidedAt, startDelay, nowDelay, fraction) => {
        const startedAt = startDelay === null ? null : new Date(decidedAt.getTime() + startDelay);
        const now = new Date(decidedAt.getTime() + nowDelay);
        for (const c of legalClocks({ level, decidedAt, startedAt, completedAt: null, now, calendar, warning: { kind: 'fraction', fraction } })) {
          expect(c.fromAt.getTime()).toBeLessThanOrEqual(c.warnAt.getTime());
          expect(c.warnAt.getTime()).toBeLessThanOrEqual(c.dueAt.getTime());
          expect(c.remainingMs).toBe(c.dueAt.getTime() - (c.metAt ?? now).getTime());
          if (c.metAt) expect(c.status).toBe(c.remainingMs >= 0 ? 'met' : 'met_late');
          else expect(c.status).toBe(c.remainingMs <= 0 ? 'overdue' : now >= c.warnAt ? 'due_soon' : 'pending');
          if (c.id === 'complete') {
            expect(calendar.workingDaysBetween(c.fromAt, c.dueAt)).toBe(level * 10);
            expect(c.provisional).toBe(startedAt === null);
          }
        }
      }),
    );
  });
});

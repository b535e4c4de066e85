/**
 * The legal clocks of a recall: by when it must start and be completed, whether each deadline was met,
 * and when to warn. China's 《食品召回管理办法》 (2015) sets them per level: a level 1 recall starts within
 * 24 hours and is completed within 10 working days; level 2: 48 hours and 20 working days; level 3:
 * 72 hours and 30 working days; the recall plan is reported to the regulator together with the start.
 * Voluntary recalls choose a level too, and the same clocks apply. The US FDA classes (21 CFR 7) carry
 * no fixed time limit: a class only adds the targets an organisation configures.
 *
 * Pure: `now` and the calendar are passed in. Counting rules and sources: docs/legal-clocks.md.
 */
import type { WorkCalendar } from './working-days.ts';

export type RecallLevel = 1 | 2 | 3;
export type FdaClass = 'I' | 'II' | 'III';

/**
 * `pending`: not met, not yet in the warning window. `due_soon`: not met, warning window reached.
 * `overdue`: not met, deadline passed. `met`: met by the deadline. `met_late`: met after it.
 */
export type ClockStatus = 'pending' | 'due_soon' | 'overdue' | 'met' | 'met_late';

/** User-facing text in both languages. */
export interface Bilingual {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** How long a clock runs: elapsed hours (nights and holidays included), or working days (工作日). */
export type ClockPeriod = { readonly unit: 'hours'; readonly amount: number } | { readonly unit: 'working_days'; readonly amount: number };

/**
 * When a clock turns `due_soon`: when `fraction` of its period (elapsed time from its anchor to the
 * deadline) is left, or `hours` before the deadline.
 */
export type WarningRule = { readonly kind: 'fraction'; readonly fraction: number } | { readonly kind: 'hours'; readonly hours: number };

/** Warn when a quarter of the period is left: 6 of 24 hours, 18 of 72, about 3½ days of 10 working days. */
export const DEFAULT_WARNING: WarningRule = { kind: 'fraction', fraction: 0.25 };

/** What a clock counts from: the level decision, or the start of the recall. */
export type ClockAnchor = 'decided' | 'started';

/** The statutory clocks, in the order they are returned. */
export const STATUTORY_CLOCK_IDS = ['start', 'plan_report', 'complete'] as const;
export type StatutoryClockId = (typeof STATUTORY_CLOCK_IDS)[number];

/** Start hours and completion working days of each level (《食品召回管理办法》第十三条 and the completion periods of the same chapter). */
export const CN_RECALL_PERIODS: Readonly<Record<RecallLevel, { readonly startHours: number; readonly completeWorkingDays: number }>> = {
  1: { startHours: 24, completeWorkingDays: 10 },
  2: { startHours: 48, completeWorkingDays: 20 },
  3: { startHours: 72, completeWorkingDays: 30 },
};

const MEASURES: Bilingual = { 'zh-CN': '《食品召回管理办法》（2015）', en: 'Measures for the Administration of Food Recalls (China, 2015)' };

/**
 * A deadline an organisation sets itself (not a statute): e.g. for an FDA class I recall, "notify
 * direct accounts within 24 hours" or "effectiveness checks within 10 working days".
 */
export interface ClockTarget {
  /** Unique among the clocks of a case; must not be a statutory id. */
  readonly id: string;
  readonly label: Bilingual;
  readonly from: ClockAnchor;
  readonly period: ClockPeriod;
  readonly metAt?: Date | null;
  readonly warning?: WarningRule;
}

/** What the clocks of one recall are computed from. */
export interface LegalClockInput {
  /** The recall level decided; null while undecided (no statutory clock runs yet). */
  readonly level: RecallLevel | null;
  /** The US FDA class, when the recall is also classified there; adds no statutory clock. */
  readonly fdaClass?: FdaClass | null;
  /** When the level was decided (the case records this as the moment the risk was known and assessed). */
  readonly decidedAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  /** When the recall plan was reported to the regulator (报告召回计划); due with the start. */
  readonly planReportedAt?: Date | null;
  /** Working days of an extension the regulator agreed (情况复杂的，经同意可以适当延长). */
  readonly completionExtensionWorkingDays?: number;
  readonly now: Date;
  readonly calendar: WorkCalendar;
  /** Default warning rule of every clock (DEFAULT_WARNING when absent). */
  readonly warning?: WarningRule;
  /** Warning rules by clock id, over the default. */
  readonly warnings?: Readonly<Record<string, WarningRule>>;
  /** Configured targets, returned after the statutory clocks. */
  readonly targets?: readonly ClockTarget[];
}

/** One deadline of a recall and where it stands at `now`. */
export interface LegalClock {
  readonly id: string;
  readonly label: Bilingual;
  /** `statute`: set by law for the level. `target`: configured by the organisation. */
  readonly basis: 'statute' | 'target';
  /** The rule it comes from, for statutory clocks. */
  readonly source: Bilingual | null;
  readonly from: ClockAnchor;
  /** The instant counting starts from (the decision while a `started` clock's recall has not started). */
  readonly fromAt: Date;
  /** True while a clock that counts from the start is counted from the decision, the recall not having started. */
  readonly provisional: boolean;
  readonly period: ClockPeriod;
  readonly dueAt: Date;
  readonly warnAt: Date;
  readonly metAt: Date | null;
  readonly status: ClockStatus;
  /** Milliseconds from now (or from metAt, once met) to the deadline; negative when overdue or met late. */
  readonly remainingMs: number;
  /** Years the period touches whose official holidays the calendar does not know (weekends only were assumed). */
  readonly calendarGaps: readonly number[];
}

/** The companion of LegalClock: the status rule on its own, for callers that hold a deadline already. */
export const ClockStatus = Object.freeze({
  /** The status of a deadline at `now`, given when it was met (if it was) and when to start warning. */
  of(dueAt: Date, warnAt: Date, metAt: Date | null, now: Date): ClockStatus {
    if (metAt) return metAt.getTime() <= dueAt.getTime() ? 'met' : 'met_late';
    if (now.getTime() >= dueAt.getTime()) return 'overdue';
    return now.getTime() >= warnAt.getTime() ? 'due_soon' : 'pending';
  },
});

/**
 * The clocks of one recall at `now`.
 *
 * @example
 * legalClocks({ level: 3, decidedAt, startedAt: null, completedAt: null, now, calendar })
 * // → start (72 h), plan_report (72 h), complete (30 working days, provisional from the decision)
 */
export function legalClocks(input: LegalClockInput): LegalClock[] {
  const { level, decidedAt, startedAt, completedAt, now, calendar } = input;
  if (level !== null && !(level === 1 || level === 2 || level === 3)) throw new RangeError(`recall level must be 1, 2, 3 or null, not ${String(level)}`);
  const extension = input.completionExtensionWorkingDays ?? 0;
  if (!Number.isSafeInteger(extension) || extension < 0) throw new RangeError(`an extension is a whole number of working days ≥ 0, not ${extension}`);
  const anchorAt = (from: ClockAnchor): { at: Date; provisional: boolean } =>
    from === 'decided' ? { at: decidedAt, provisional: false } : startedAt ? { at: startedAt, provisional: false } : { at: decidedAt, provisional: true };
  const clock = (spec: { id: string; label: Bilingual; basis: LegalClock['basis']; source: Bilingual | null; from: ClockAnchor; period: ClockPeriod; metAt: Date | null; warning?: WarningRule }): LegalClock => {
    const { at: fromAt, provisional } = anchorAt(spec.from);
    const dueAt = spec.period.unit === 'hours' ? calendar.addHours(fromAt, spec.period.amount) : calendar.addWorkingDays(fromAt, spec.period.amount);
    const warnAt = warningTime(fromAt, dueAt, spec.warning ?? input.warnings?.[spec.id] ?? input.warning ?? DEFAULT_WARNING);
    return {
      id: spec.id,
      label: spec.label,
      basis: spec.basis,
      source: spec.source,
      from: spec.from,
      fromAt,
      provisional,
      period: spec.period,
      dueAt,
      warnAt,
      metAt: spec.metAt,
      status: ClockStatus.of(dueAt, warnAt, spec.metAt, now),
      remainingMs: dueAt.getTime() - (spec.metAt ?? now).getTime(),
      calendarGaps: spec.period.unit === 'working_days' ? calendar.uncoveredYears(fromAt, dueAt) : [],
    };
  };

  const clocks: LegalClock[] = [];
  if (level !== null) {
    const p = CN_RECALL_PERIODS[level];
    const levelZh = ['一', '二', '三'][level - 1];
    const source: Bilingual = { 'zh-CN': `${MEASURES['zh-CN']}第十三条：${levelZh}级召回`, en: `${MEASURES.en}, art. 13: level ${level}` };
    const start: ClockPeriod = { unit: 'hours', amount: p.startHours };
    clocks.push(
      clock({
        id: 'start',
        label: { 'zh-CN': `${p.startHours} 小时内启动召回`, en: `Start the recall within ${p.startHours} hours` },
        basis: 'statute',
        source,
        from: 'decided',
        period: start,
        metAt: startedAt,
      }),
      clock({
        id: 'plan_report',
        label: { 'zh-CN': '启动召回时向县级以上地方市场监督管理部门报告召回计划', en: 'Report the recall plan to the local market regulator with the start' },
        basis: 'statute',
        source,
        from: 'decided',
        period: start,
        metAt: input.planReportedAt ?? null,
      }),
      clock({
        id: 'complete',
        label:
          extension > 0
            ? { 'zh-CN': `${p.completeWorkingDays} 个工作日内完成召回（经同意延长 ${extension} 个工作日）`, en: `Complete the recall within ${p.completeWorkingDays} working days (extended by ${extension} with the regulator's agreement)` }
            : { 'zh-CN': `${p.completeWorkingDays} 个工作日内完成召回`, en: `Complete the recall within ${p.completeWorkingDays} working days` },
        basis: 'statute',
        source: { 'zh-CN': `${MEASURES['zh-CN']}：${levelZh}级召回完成期限`, en: `${MEASURES.en}: completion period of level ${level}` },
        from: 'started',
        period: { unit: 'working_days', amount: p.completeWorkingDays + extension },
        metAt: completedAt,
      }),
    );
  }
  const ids = new Set<string>(clocks.map((c) => c.id));
  for (const t of input.targets ?? []) {
    if ((STATUTORY_CLOCK_IDS as readonly string[]).includes(t.id) || ids.has(t.id)) throw new RangeError(`clock id ${t.id} is used twice`);
    ids.add(t.id);
    clocks.push(clock({ id: t.id, label: t.label, basis: 'target', source: null, from: t.from, period: t.period, metAt: t.metAt ?? null, ...(t.warning ? { warning: t.warning } : {}) }));
  }
  return clocks;
}

/** When a clock from `fromAt` to `dueAt` turns due_soon under `rule`; never before `fromAt`. */
export function warningTime(fromAt: Date, dueAt: Date, rule: WarningRule): Date {
  const span = dueAt.getTime() - fromAt.getTime();
  switch (rule.kind) {
    case 'fraction': {
      if (!(rule.fraction >= 0 && rule.fraction <= 1)) throw new RangeError(`a warning fraction is between 0 and 1, not ${rule.fraction}`);
      return new Date(dueAt.getTime() - Math.round(span * rule.fraction));
    }
    case 'hours': {
      if (!(rule.hours >= 0) || !Number.isFinite(rule.hours)) throw new RangeError(`warning hours must be ≥ 0, not ${rule.hours}`);
      return new Date(Math.max(fromAt.getTime(), dueAt.getTime() - rule.hours * 3_600_000));
    }
    default: {
      const never: never = rule;
      return never;
    }
  }
}

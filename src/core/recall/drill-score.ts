/**
 * How a mock-recall drill is scored. Industry practice (BRCGS issue 9 clause 3.11.3, SQF 2.6.3): trace
 * the lot and account for it within 4 hours, and close to 100 % of it. The score rewards what an
 * auditor looks at: the reconciliation figure, its speed, the time to stop sales, and no gaps left.
 */
import type { DrillClock } from './types.ts';

export interface DrillScore {
  /** 0–100. */
  readonly score: number;
  readonly passed: boolean;
  readonly minutesToScope: number | null;
  readonly minutesToHold: number | null;
  readonly minutesToReconciliation: number | null;
  readonly accountedPercent: number | null;
  readonly gaps: number | null;
  /** Points per criterion, for the report. */
  readonly points: { readonly accounted: number; readonly speed: number; readonly hold: number; readonly gaps: number };
  /** Why it did not pass, zh-CN and en. */
  readonly findings: readonly { readonly 'zh-CN': string; readonly en: string }[];
}

/** Hours within which a drill must trace and account for the lot. */
export const DRILL_TARGET_HOURS = 4;
/** The share of the lot a passing drill accounts for. */
export const DRILL_TARGET_PERCENT = 99;

const minutesBetween = (from: string, to: string | null): number | null => (to === null ? null : Math.max(0, (Date.parse(to) - Date.parse(from)) / 60_000));

/** Linear from `full` points at `good` down to 0 at `bad` (bad > good for times, bad < good for shares). */
function linear(value: number, good: number, bad: number, full: number): number {
  const t = (value - good) / (bad - good);
  return Math.round(full * Math.min(1, Math.max(0, 1 - t)) * 10) / 10;
}

export function scoreDrill(clock: DrillClock): DrillScore {
  const minutesToScope = minutesBetween(clock.startedAt, clock.scopedAt);
  const minutesToHold = minutesBetween(clock.startedAt, clock.heldAt);
  const minutesToReconciliation = minutesBetween(clock.startedAt, clock.reconciledAt);
  const target = DRILL_TARGET_HOURS * 60;
  const accounted = clock.accountedPercent === null ? 0 : linear(clock.accountedPercent, 100, 90, 50);
  const speed = minutesToReconciliation === null ? 0 : linear(minutesToReconciliation, target, 2 * target, 30);
  const hold = minutesToHold === null ? 0 : linear(minutesToHold, 60, target, 10);
  const gaps = clock.gaps === null ? 0 : Math.max(0, 10 - 2 * clock.gaps);
  const findings: { 'zh-CN': string; en: string }[] = [];
  if (clock.accountedPercent === null) findings.push({ 'zh-CN': '未记录物料平衡结果', en: 'no reconciliation figure was recorded' });
  else if (clock.accountedPercent < DRILL_TARGET_PERCENT) {
    findings.push({ 'zh-CN': `物料平衡 ${clock.accountedPercent.toFixed(1)}%，低于 ${DRILL_TARGET_PERCENT}%`, en: `${clock.accountedPercent.toFixed(1)} % accounted for, below ${DRILL_TARGET_PERCENT} %` });
  }
  if (minutesToReconciliation !== null && minutesToReconciliation > target) {
    findings.push({ 'zh-CN': `用时 ${(minutesToReconciliation / 60).toFixed(1)} 小时，超过 ${DRILL_TARGET_HOURS} 小时`, en: `took ${(minutesToReconciliation / 60).toFixed(1)} h, more than ${DRILL_TARGET_HOURS} h` });
  }
  if (minutesToHold === null) findings.push({ 'zh-CN': '范围未批准，未实施封存', en: 'the scope was never approved, so nothing was held' });
  if ((clock.gaps ?? 0) > 0) findings.push({ 'zh-CN': `${clock.gaps} 处差异未解释`, en: `${clock.gaps} unexplained difference(s)` });
  const passed =
    clock.accountedPercent !== null && clock.accountedPercent >= DRILL_TARGET_PERCENT && minutesToReconciliation !== null && minutesToReconciliation <= target && minutesToHold !== null;
  return {
    score: Math.round((accounted + speed + hold + gaps) * 10) / 10,
    passed,
    minutesToScope,
    minutesToHold,
    minutesToReconciliation,
    accountedPercent: clock.accountedPercent,
    gaps: clock.gaps,
    points: { accounted, speed, hold, gaps },
    findings,
  };
}

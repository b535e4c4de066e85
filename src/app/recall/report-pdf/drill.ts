/**
 * A mock recall's evidence for a BRCGS / SQF auditor: how long tracing, holding and reconciling
 * took against the 4-hour target, how much of the lot was accounted for, the score per criterion,
 * pass or fail with the findings, the differences left, and a block for the auditor to sign.
 */
import { DRILL_TARGET_HOURS, DRILL_TARGET_PERCENT } from '../../../core/recall/drill-score.ts';
import { COLOURS, CONTENT_WIDTH, PAGE, formatNumber, formatPercent } from '../../pdf/pdf-writer.ts';
import type { ReportContext } from './context.ts';
import { unreconciledTable } from './progress.ts';

/** Points available per criterion (src/core/recall/drill-score.ts). */
const MAX_POINTS = { accounted: 50, speed: 30, hold: 10, gaps: 10 } as const;

const minutes = (m: number | null): string => (m === null ? '—' : m < 60 ? `${Math.round(m)} min` : `${Math.floor(m / 60)} h ${String(Math.round(m % 60)).padStart(2, '0')} min`);

/** Timings, accounted share, gaps, score per criterion, pass or fail, findings. */
export function drawDrillResult(ctx: ReportContext): void {
  const { w, data } = ctx;
  const clock = data.case.drillClock;
  const s = data.drill;
  w.heading('演练结果', 'Drill result', 120);
  if (clock === null || s === null) {
    ctx.notYet({ zh: '演练计时与评分', en: 'Drill timing and score' });
    return;
  }
  const target = DRILL_TARGET_HOURS * 60;
  // The verdict first, in large type: it is what the auditor looks for.
  w.ensure(46);
  const top = w.y;
  const verdict = s.passed ? w.cap('通过', 'PASS') : w.cap('未通过', 'FAIL');
  w.doc.rect(PAGE.left, w.y, CONTENT_WIDTH, 40).fill(s.passed ? COLOURS.okFill : COLOURS.alertFill);
  w.doc.font(w.strong).fontSize(20).fillColor(s.passed ? COLOURS.okInk : COLOURS.alertInk);
  w.doc.text(verdict, PAGE.left + 12, w.y + 9, { width: 220, height: 26, lineBreak: false });
  w.doc.font(w.strong).fontSize(13).fillColor(COLOURS.ink);
  w.doc.text(`${w.cap('得分', 'Score')} ${formatNumber(s.score)} / 100`, PAGE.left + 240, w.y + 13, { width: CONTENT_WIDTH - 252, height: 18, align: 'right', lineBreak: false });
  w.y = top + 48;

  w.keyValues([
    [w.cap('演练开始', 'Drill started'), `${ctx.when(clock.startedAt)} ${ctx.zone}`],
    [w.cap('目标', 'Target'), w.cap(`${DRILL_TARGET_HOURS} 小时内追溯并核清 ≥ ${DRILL_TARGET_PERCENT}%（BRCGS 3.11.3 / SQF 2.6.3）`, `trace and account for ≥ ${DRILL_TARGET_PERCENT} % within ${DRILL_TARGET_HOURS} h (BRCGS 3.11.3 / SQF 2.6.3)`)],
  ]);
  w.subheading('计时', 'Timings');
  const timing = (zh: string, en: string, at: string | null, m: number | null, limit: number) => ({
    cells: [w.cap(zh, en), ctx.when(at), minutes(m), minutes(limit), m === null ? w.cap('未完成', 'not reached') : m <= limit ? w.cap('达标', 'within target') : w.cap('超时', 'over target')],
    tone: m === null || m > limit ? ('alert' as const) : ('ok' as const),
  });
  w.table(
    w.columns([
      [w.head('环节', 'Step'), 0],
      [w.head('完成时间', 'Reached at'), 90],
      [w.head('用时', 'Took'), 70, 'right'],
      [w.head('目标', 'Target'), 70, 'right'],
      [w.head('结论', 'Result'), 90],
    ]),
    [
      timing('确定范围', 'To scope', clock.scopedAt, s.minutesToScope, target),
      timing('封存 / 停售', 'To hold (stop sale)', clock.heldAt, s.minutesToHold, 60),
      timing('物料平衡', 'To reconciliation', clock.reconciledAt, s.minutesToReconciliation, target),
    ],
  );
  w.subheading('评分', 'Score');
  const criterion = (zh: string, en: string, measured: string, key: keyof typeof MAX_POINTS) => ({
    cells: [w.cap(zh, en), measured, formatNumber(s.points[key]), String(MAX_POINTS[key])],
    tone: s.points[key] < MAX_POINTS[key] ? ('alert' as const) : undefined,
  });
  w.table(
    w.columns([
      [w.head('评分项', 'Criterion'), 0],
      [w.head('实测', 'Measured'), 120],
      [w.head('得分', 'Points'), 60, 'right'],
      [w.head('满分', 'Of'), 50, 'right'],
    ]),
    [
      criterion('已核清比例', 'Accounted for', formatPercent(s.accountedPercent), 'accounted'),
      criterion('物料平衡用时', 'Time to reconciliation', minutes(s.minutesToReconciliation), 'speed'),
      criterion('封存用时', 'Time to hold', minutes(s.minutesToHold), 'hold'),
      criterion('未解释差异', 'Unexplained differences', s.gaps === null ? '—' : String(s.gaps), 'gaps'),
      { cells: [w.cap('合计', 'Total'), s.passed ? w.cap('通过', 'PASS') : w.cap('未通过', 'FAIL'), formatNumber(s.score), '100'], tone: 'total' },
    ],
  );
  w.subheading('发现', 'Findings', 20);
  if (s.findings.length === 0) w.paragraph(w.cap('无', 'None.'), { size: 8.5, color: COLOURS.okInk });
  else for (const f of s.findings) w.paragraph(`• ${w.cap(f['zh-CN'], f.en)}`, { size: 8.5, color: COLOURS.alertInk });
}

/** The differences the reconciliation left, as the mass balance lists them. */
export function drawReconciliation(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('物料平衡差异', 'Reconciliation differences');
  const p = ctx.data.progress;
  if (p === null) {
    ctx.notYet({ zh: '物料平衡', en: 'Reconciliation' });
    return;
  }
  w.paragraph(`${w.cap('已核清', 'Accounted for')}: ${formatPercent(p.accountedPercent)}`, { size: 9, strong: true });
  if (p.unreconciled.length === 0) {
    w.paragraph(w.cap('无差异。', 'No differences.'), { size: 8.5, color: COLOURS.okInk });
    return;
  }
  unreconciledTable(ctx, p.unreconciled);
}

/** Name, signature and date lines for the drill lead and the auditor. */
export function drawSignOff(ctx: ReportContext): void {
  const { w } = ctx;
  const doc = w.doc;
  w.heading('签字确认', 'Sign-off', 130);
  w.paragraph(w.cap('本报告如实记录了上述模拟召回演练的过程与结果。', 'This report is a true record of the mock recall above and its result.'), { size: 8.5 });
  w.ensure(130);
  const top = w.y + 6;
  const colWidth = (CONTENT_WIDTH - 30) / 2;
  const blocks = [w.cap('演练负责人', 'Drill lead'), w.cap('审核员', 'Auditor')];
  const lines = [w.cap('姓名', 'Name'), w.cap('签名', 'Signature'), w.cap('日期', 'Date')];
  blocks.forEach((title, i) => {
    const x = PAGE.left + i * (colWidth + 30);
    doc.font(w.strong).fontSize(9.5).fillColor(COLOURS.accent).text(title, x, top, { width: colWidth, height: 13, lineBreak: false });
    lines.forEach((label, j) => {
      const ly = top + 30 + j * 30;
      doc.font(w.regular).fontSize(8).fillColor(COLOURS.muted).text(label, x, ly - 10, { width: 90, height: 10, lineBreak: false });
      doc.moveTo(x + 92, ly).lineTo(x + colWidth, ly).lineWidth(0.6).strokeColor(COLOURS.ink).stroke();
    });
  });
  w.y = top + 30 + 3 * 30;
}

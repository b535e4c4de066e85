/**
 * How far the recall has got: recovered share with a bar and a chart of its course (pdfkit vector
 * graphics, so it prints sharp and needs no image library), by city, channel and store, the stores'
 * acknowledgements, notice delivery, returns, units sold to consumers nobody notified, and what the
 * mass balance cannot account for yet.
 */
import { COLOURS, CONTENT_WIDTH, PAGE, formatNumber, formatPercent } from '../../pdf/pdf-writer.ts';
import type { RecoveryProgress, RecoveryRow } from '../report-data.ts';
import type { ReportContext } from './context.ts';
import { placeNames } from './facts.ts';
import { AUDIENCE_WORDS, DIFFERENCE_WORDS, wordsOf } from './labels.ts';

/** The recovered share as a figure, a bar, and a chart of `series`. */
export function drawRecovery(ctx: ReportContext, withChart: boolean): void {
  const { w } = ctx;
  const p = ctx.data.progress;
  w.heading('召回进度', 'Recovery', withChart ? 200 : 60);
  if (p === null) {
    ctx.notYet({ zh: '召回进度', en: 'Recovery progress' });
    return;
  }
  w.keyValues([
    [w.cap('截至', 'As of'), `${ctx.when(p.asOf)} ${ctx.zone}`],
    [w.cap('已召回 / 应召回', 'Recovered / in scope'), `${formatNumber(p.recoveredUnits)} / ${formatNumber(p.inScopeUnits)} (${formatPercent(p.percent)})`],
    [w.cap('物料平衡已核清', 'Accounted for (mass balance)'), formatPercent(p.accountedPercent)],
  ]);
  drawBar(ctx, p.percent);
  if (withChart) drawChart(ctx, p);
}

function drawBar(ctx: ReportContext, percent: number): void {
  const { w, doc } = { w: ctx.w, doc: ctx.w.doc };
  const height = 14;
  w.ensure(height + 10);
  const width = CONTENT_WIDTH - 70;
  const share = Math.max(0, Math.min(100, percent)) / 100;
  doc.rect(PAGE.left, w.y, width, height).fill(COLOURS.totalFill);
  if (share > 0) doc.rect(PAGE.left, w.y, width * share, height).fill(COLOURS.accent);
  doc.rect(PAGE.left, w.y, width, height).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  doc.font(w.strong).fontSize(10).fillColor(COLOURS.ink);
  doc.text(formatPercent(percent), PAGE.left + width + 6, w.y + 2, { width: 64, height: 13, align: 'left', lineBreak: false });
  w.y += height + 10;
}

/** Percent recovered over time: gridlines at 25 % steps, hours since the first point on the x axis. */
function drawChart(ctx: ReportContext, p: RecoveryProgress): void {
  const { w } = ctx;
  const doc = w.doc;
  const points = [...p.series].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  w.subheading('召回进度曲线', 'Recovered over time', 175);
  if (points.length === 0) {
    ctx.notYet();
    return;
  }
  const height = 130;
  const left = PAGE.left + 34;
  const width = CONTENT_WIDTH - 44;
  const top = w.y + 6;
  const start = Date.parse(ctx.data.case.startedAt ?? (points[0] as { at: string }).at);
  const end = Math.max(Date.parse(p.asOf), Date.parse((points.at(-1) as { at: string }).at), start + 3_600_000);
  const xOf = (t: number) => left + ((t - start) / (end - start)) * width;
  const yOf = (pct: number) => top + height - (Math.max(0, Math.min(100, pct)) / 100) * height;

  doc.font(w.regular).fontSize(6.5);
  for (const g of [0, 25, 50, 75, 100]) {
    doc.moveTo(left, yOf(g)).lineTo(left + width, yOf(g)).lineWidth(g === 0 ? 0.8 : 0.3).strokeColor(g === 0 ? COLOURS.muted : COLOURS.rule).stroke();
    doc.fillColor(COLOURS.muted).text(`${g} %`, PAGE.left, yOf(g) - 3, { width: 30, height: 8, align: 'right', lineBreak: false });
  }
  // Hours since the start along the x axis, at a step that gives at most eight ticks.
  const hours = (end - start) / 3_600_000;
  const step = [1, 2, 3, 4, 6, 12, 24, 48, 72, 168].find((s) => hours / s <= 8) ?? Math.ceil(hours / 8);
  for (let h = 0; h <= hours + 1e-9; h += step) {
    const x = xOf(start + h * 3_600_000);
    doc.moveTo(x, yOf(0)).lineTo(x, yOf(0) + 3).lineWidth(0.5).strokeColor(COLOURS.muted).stroke();
    doc.fillColor(COLOURS.muted).text(`${h} h`, x - 20, yOf(0) + 5, { width: 40, height: 8, align: 'center', lineBreak: false });
  }
  // The course: a step from 0 at the start, the area below it tinted.
  const path: [number, number][] = [[xOf(start), yOf(0)], ...points.map((q): [number, number] => [xOf(Date.parse(q.at)), yOf(q.percent)])];
  const last = points.at(-1) as { percent: number };
  path.push([xOf(end), yOf(last.percent)]);
  doc.moveTo(path[0]?.[0] ?? left, yOf(0));
  for (const [x, y] of path) doc.lineTo(x, y);
  doc.lineTo(xOf(end), yOf(0)).closePath().fillOpacity(0.12).fill(COLOURS.accent);
  doc.fillOpacity(1);
  doc.moveTo(path[0]?.[0] ?? left, path[0]?.[1] ?? yOf(0));
  for (const [x, y] of path.slice(1)) doc.lineTo(x, y);
  doc.lineWidth(1.4).strokeColor(COLOURS.accent).stroke();
  for (const q of points) doc.circle(xOf(Date.parse(q.at)), yOf(q.percent), 1.6).fill(COLOURS.accent);
  doc.font(w.strong).fontSize(8).fillColor(COLOURS.accent);
  const labelY = Math.max(top - 2, yOf(last.percent) - 12);
  doc.text(formatPercent(last.percent), left + width - 60, labelY, { width: 60, height: 10, align: 'right', lineBreak: false });
  w.y = top + height + 18;
  doc.font(w.regular).fontSize(6.5).fillColor(COLOURS.muted);
  doc.text(w.cap(`横轴：自召回开始 ${ctx.when(new Date(start).toISOString())} 起的小时数`, `x axis: hours since the recall started, ${ctx.when(new Date(start).toISOString())} ${ctx.zone}`), PAGE.left, w.y, { width: CONTENT_WIDTH, height: 9, ellipsis: true });
  w.y += 12;
}

function recoveryTable(ctx: ReportContext, rows: readonly RecoveryRow[], keyHead: string, withCity: boolean): void {
  const { w } = ctx;
  const names = placeNames(ctx);
  w.table(
    w.columns([
      [keyHead, 0],
      ...(withCity ? ([[w.head('城市', 'City'), 60]] as const) : []),
      [w.head('应召回', 'In scope'), 60, 'right'],
      [w.head('已召回', 'Recovered'), 60, 'right'],
      [w.head('比例', 'Share'), 60, 'right'],
    ]),
    rows.map((r) => ({
      cells: [
        (r.place === null ? w.bilingual(names.get(r.key) ?? r.key) : ctx.placeName(r.place)) || '—',
        ...(withCity ? [(r.place?.city ? w.bilingual(r.place.city) : '') || '—'] : []),
        formatNumber(r.inScope),
        formatNumber(r.recovered),
        formatPercent(r.percent),
      ],
      tone: r.inScope > 0 && r.recovered === 0 ? ('alert' as const) : undefined,
    })),
    { size: 7 },
  );
}

/** Recovery by city, channel and store. */
export function drawRecoveryBreakdown(ctx: ReportContext, withStores: boolean): void {
  const { w } = ctx;
  const p = ctx.data.progress;
  if (p === null) return;
  if (p.byCity.length) {
    w.subheading('按城市', 'By city');
    recoveryTable(ctx, p.byCity, w.head('城市', 'City'), false);
  }
  if (p.byChannel.length) {
    w.subheading('按渠道', 'By channel');
    recoveryTable(ctx, p.byChannel, w.head('渠道', 'Channel'), false);
  }
  if (withStores) {
    w.subheading('按门店', 'By store');
    if (p.byStore.length === 0) ctx.notYet();
    else recoveryTable(ctx, p.byStore, w.head('门店', 'Store'), true);
  }
}

/** Shelf-removal tasks: how many stores acknowledged, and which are overdue. */
export function drawTasks(ctx: ReportContext): void {
  const { w } = ctx;
  const t = ctx.data.tasks;
  w.heading('门店下架确认', 'Store acknowledgements');
  if (t.total === 0) {
    ctx.notYet({ zh: '门店任务', en: 'Store tasks' });
    return;
  }
  w.table(
    w.columns([
      [w.head('门店任务', 'Store tasks'), 0, 'right'],
      [w.head('已确认', 'Acknowledged'), 70, 'right'],
      [w.head('未确认', 'Open'), 60, 'right'],
      [w.head('已升级', 'Escalated'), 60, 'right'],
      [w.head('应下架件数', 'Units expected'), 75, 'right'],
      [w.head('已下架件数', 'Units removed'), 75, 'right'],
    ]),
    [{ cells: [t.total, t.acknowledged, t.open, t.escalated, t.unitsExpected, t.unitsRemoved].map((n) => formatNumber(n)), tone: t.open > 0 ? 'alert' : 'ok' }],
  );
  if (t.overdue.length) {
    w.subheading('逾期未确认的门店', 'Stores overdue');
    w.table(
      w.columns([
        [w.head('门店', 'Store'), 0],
        [w.head('应确认时间', 'Due'), 100],
        [w.head('升级级别', 'Escalation level'), 80, 'right'],
      ]),
      t.overdue.map((o) => ({ cells: [o.name === null ? o.locationId : w.bilingual(o.name), ctx.when(o.dueAt), String(o.escalationLevel)], tone: 'alert' })),
    );
  }
}

/** Notices per audience: sent, pending, failed, and drill dry runs. */
export function drawNotices(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('通知送达', 'Notice delivery');
  const rows = ctx.data.notices.byAudience;
  if (rows.length === 0) {
    ctx.notYet({ zh: '通知', en: 'Notices' });
    return;
  }
  w.table(
    w.columns([
      [w.head('对象', 'Audience'), 0],
      [w.head('已发送', 'Sent'), 70, 'right'],
      [w.head('待发送', 'Pending'), 70, 'right'],
      [w.head('失败', 'Failed'), 70, 'right'],
      [w.head('演练（未发送）', 'Drill (not sent)'), 90, 'right'],
    ]),
    rows.map((r) => ({ cells: [ctx.say(wordsOf(AUDIENCE_WORDS, r.audience)), ...[r.sent, r.pending, r.failed, r.dryRun].map(String)], tone: r.failed > 0 ? 'alert' : undefined })),
  );
}

/** Returns, units sold but not notified, and the remainder the mass balance cannot place. */
export function drawOutstanding(ctx: ReportContext): void {
  const { w, data } = ctx;
  w.heading('退货与未核清数量', 'Returns and what is still unaccounted for');
  const p = data.progress;
  w.keyValues([
    [w.cap('消费者退货（笔）', 'Consumer returns'), formatNumber(data.returns.consumer)],
    [w.cap('门店退回（笔）', 'Store returns'), formatNumber(data.returns.store)],
    [w.cap('退回件数', 'Units returned'), formatNumber(data.returns.units)],
    [w.cap('已售且已通知会员', 'Sold to members, notified'), p === null ? w.cap('尚未记录', 'not yet recorded') : formatNumber(p.soldToMembersNotified)],
    [w.cap('已售未能通知', 'Sold, buyer not notified'), p === null ? w.cap('尚未记录', 'not yet recorded') : formatNumber(p.soldNotNotified)],
  ]);
  if (p === null) return;
  w.subheading('物料平衡未核清', 'Unreconciled remainder');
  if (p.unreconciled.length === 0) {
    w.paragraph(w.cap('无：范围内全部数量均已核清。', 'None: every unit of the scope is accounted for.'), { size: 8.5, color: COLOURS.okInk });
    return;
  }
  unreconciledTable(ctx, p.unreconciled);
}

/** The mass balance's unexplained differences: place, kind, quantity, detail (progress and drill reports). */
export function unreconciledTable(ctx: ReportContext, rows: RecoveryProgress['unreconciled']): void {
  const w = ctx.w;
  w.table(
    w.columns([
      [w.head('地点', 'Place'), 140],
      [w.head('类型', 'Kind'), 85],
      [w.head('数量', 'Quantity'), 55, 'right'],
      [w.head('说明', 'Detail'), 0],
    ]),
    rows.map((u) => ({ cells: [u.place === null ? '—' : w.bilingual(u.place), ctx.say(wordsOf(DIFFERENCE_WORDS, u.kind)), formatNumber(u.quantity), w.cap(u.detail['zh-CN'], u.detail.en)], tone: 'alert' })),
  );
}

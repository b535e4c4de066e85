/**
 * What a closing report adds to the summary: the root cause analysis (six categories, five whys,
 * the root cause), the corrective and preventive actions with their owners, due dates and
 * effectiveness checks, and the closing summary.
 */
import { RCA_CATEGORIES } from '../../../core/recall/types.ts';
import { COLOURS } from '../../pdf/pdf-writer.ts';
import type { ReportContext } from './context.ts';
import { RCA_WORDS } from './labels.ts';

export function drawRca(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('根本原因分析', 'Root cause analysis');
  const r = ctx.data.case.rca;
  if (r === null) {
    ctx.notYet({ zh: '根本原因分析', en: 'Root cause analysis' });
    return;
  }
  w.paragraph(`${w.cap('记录人', 'Recorded by')} ${r.by} · ${ctx.when(r.at)}`, { size: 7.5, color: COLOURS.muted });
  w.subheading('鱼骨图六要素（人机料法测环）', 'Six categories (Ishikawa)');
  w.table(
    w.columns([
      [w.head('要素', 'Category'), 95],
      [w.head('发现', 'Findings'), 0],
    ]),
    RCA_CATEGORIES.map((k) => {
      const found = r.categories[k] ?? [];
      return { cells: [ctx.say(RCA_WORDS[k]), found.length ? found.map((f) => `• ${w.bilingual(f)}`).join('\n') : '—'] };
    }),
  );
  w.subheading('五个为什么', 'Five whys');
  if (r.whys.length === 0) ctx.notYet();
  else w.table(w.columns([[w.head('序号', '#'), 30, 'right'], [w.head('为什么', 'Why'), 0]]), r.whys.map((why, i) => ({ cells: [`${i + 1}.`, w.bilingual(why)] })));
  w.subheading('根本原因', 'Root cause', 30);
  w.table(w.columns([['', 0]]), [{ cells: [w.bilingual(r.rootCause)], tone: 'alert' }], { size: 9.5, header: false });
}

export function drawCapas(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('纠正与预防措施（CAPA）', 'Corrective and preventive actions (CAPA)');
  const capas = ctx.data.case.capas;
  if (capas.length === 0) {
    ctx.notYet({ zh: '纠正与预防措施', en: 'CAPA' });
    return;
  }
  w.table(
    w.columns([
      [w.head('类型', 'Kind'), 52],
      [w.head('措施', 'Action'), 0],
      [w.head('负责人', 'Owner'), 80],
      [w.head('期限', 'Due'), 52],
      [w.head('有效性验证', 'Effectiveness check'), 105],
      [w.head('状态 / 结果', 'Status / result'), 90],
    ]),
    capas.map((c) => {
      const status =
        c.done === null
          ? w.cap('未完成', 'open')
          : `${c.done.effective ? w.cap('已完成，有效', 'done, effective') : w.cap('已完成，无效', 'done, not effective')}\n${ctx.when(c.done.at)}\n${w.bilingual(c.done.evidence)}`;
      const overdue = c.done === null && c.dueDate < ctx.data.generatedAt.slice(0, 10);
      return {
        cells: [c.kind === 'corrective' ? w.cap('纠正', 'corrective') : w.cap('预防', 'preventive'), w.bilingual(c.action), w.bilingual(c.owner), c.dueDate, w.bilingual(c.effectivenessCheck), status],
        tone: c.done?.effective === false || overdue ? ('alert' as const) : c.done?.effective ? ('ok' as const) : undefined,
      };
    }),
    { size: 7 },
  );
}

export function drawClosingSummary(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('结案总结', 'Closing summary', 40);
  const closed = ctx.data.case.closed;
  if (closed === null) {
    ctx.notYet({ zh: '结案', en: 'Closure' });
    return;
  }
  w.paragraph(`${w.cap('结案人', 'Closed by')} ${closed.by} · ${ctx.when(closed.at)}`, { size: 7.5, color: COLOURS.muted });
  w.paragraph(w.bilingual(closed.summary), { size: 9 });
}

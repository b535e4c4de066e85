/**
 * The recall reports as A4 PDFs, Chinese and English side by side, from one plain object
 * (report-data.ts) so that rendering needs no database:
 *
 * - **plan** (召回计划): what 《食品召回管理办法》 asks a recall plan to state — producer, product and
 *   lots, reason and hazard, level and who decided it, scope per city and store, notices and what
 *   consumers should do, start and end times, disposal method.
 * - **progress** (召回进展报告): clocks, recovered share with its course, by city and store, store
 *   acknowledgements, notice delivery, returns, what is still unaccounted for.
 * - **summary** (召回总结报告, for the regulator): the plan's facts and the outcome — recovered
 *   quantities, dispositions with witnesses, clocks met or late, the decision timeline.
 * - **closing** (召回结案报告): the summary with the root cause analysis, CAPA and closing summary.
 * - **drill** (模拟召回演练报告): the evidence a BRCGS / SQF auditor asks of a mock recall.
 *
 * Every page carries the case number and `page x / y`; a drill's pages say DRILL. Parts of the case
 * not recorded yet are printed as "尚未记录 not yet recorded", never left out silently, so a report
 * shows what is missing as well as what is there.
 */
import { DEFAULT_REPORT_OFFSET, isReportOffset, localParts } from '../pdf/local-time.ts';
import { COLOURS, CONTENT_WIDTH, PAGE, openPdfWriter } from '../pdf/pdf-writer.ts';
import type { CjkFontLookup } from '../../labels/cjk-font.ts';
import type { RecallReportData, RecallReportKind } from './report-data.ts';
import { type ReportContext, reportContext } from './report-pdf/context.ts';
import { DRILL_MARKER, drawClocks, drawDisposal, drawHazard, drawHeader, drawLevel, drawNoticePlan, drawProduct, drawScope, drawTimeline } from './report-pdf/facts.ts';
import { drawCapas, drawClosingSummary, drawRca } from './report-pdf/closing.ts';
import { drawDrillResult, drawReconciliation, drawSignOff } from './report-pdf/drill.ts';
import { KIND_WORDS } from './report-pdf/labels.ts';
import { drawNotices, drawOutstanding, drawRecovery, drawRecoveryBreakdown, drawTasks } from './report-pdf/progress.ts';

export interface RecallReportOptions {
  /** Offset times are shown in, `±HH:MM`; default `+08:00`. */
  readonly timeZoneOffset?: string;
  /** Where to find a CJK font; defaults to LOTLINE_CJK_FONT, then Debian font packages. */
  readonly cjkFont?: CjkFontLookup;
}

export interface RecallReportFile {
  readonly contentType: 'application/pdf';
  readonly fileName: string;
  readonly body: Buffer;
  /** Things to tell the user, e.g. that Chinese text was left out for lack of a font. */
  readonly warnings: string[];
}

/**
 * `{case number}-{kind}-{YYYYMMDD}.pdf`, the date being when the report was generated, at the offset.
 * @example recallReportFileName(data, '+08:00') // 'RC-2025-0001-plan-20250905.pdf'
 */
export function recallReportFileName(data: Pick<RecallReportData, 'kind' | 'generatedAt' | 'case'>, offset: string = DEFAULT_REPORT_OFFSET): string {
  const number = data.case.caseNumber.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|[_.]+$/g, '').slice(0, 60) || 'recall';
  return `${number}-${data.kind}-${localParts(data.generatedAt, offset).date.replace(/-/g, '')}.pdf`;
}

/**
 * Render one recall report as a PDF. An offset that is not `±HH:MM` is a programming error (the
 * route validates it), so it throws a RangeError; a missing CJK font is a warning, not an error.
 * @example const file = await renderRecallReport(data, { timeZoneOffset: '+08:00' }); reply.type(file.contentType).send(file.body);
 */
export async function renderRecallReport(data: RecallReportData, options: RecallReportOptions = {}): Promise<RecallReportFile> {
  const offset = options.timeZoneOffset ?? DEFAULT_REPORT_OFFSET;
  if (!isReportOffset(offset)) throw new RangeError(`time zone offset must be ±HH:MM, not ${JSON.stringify(offset)}`);
  const kind = KIND_WORDS[data.kind];
  const w = openPdfWriter({
    title: `${kind.en} ${data.case.caseNumber}${data.case.drill ? ' (DRILL)' : ''}`,
    subject: data.case.title,
    createdAt: new Date(data.generatedAt),
    ...(options.cjkFont === undefined ? {} : { cjkFont: options.cjkFont }),
  });
  const ctx = reportContext(w, data, offset);
  drawHeader(ctx);
  drawBody(ctx, data.kind);
  const { pdf } = await w.finish({
    footer: `Lotline · ${w.cap(kind.zh, kind.en)} · ${data.case.caseNumber}${data.case.drill ? ` · ${w.cap('演练', 'DRILL')}` : ''}`,
    ...(data.case.drill ? { decorate: () => drillCorner(ctx) } : {}),
  });
  return { contentType: 'application/pdf', fileName: recallReportFileName(data, offset), body: pdf, warnings: w.warnings };
}

function drawBody(ctx: ReportContext, kind: RecallReportKind): void {
  switch (kind) {
    case 'plan':
      drawProduct(ctx);
      drawHazard(ctx);
      drawLevel(ctx);
      drawScope(ctx, 'full');
      drawNoticePlan(ctx);
      drawClocks(ctx, 'plan');
      drawDisposal(ctx, true);
      return;
    case 'progress':
      drawProduct(ctx);
      drawClocks(ctx, 'status');
      drawRecovery(ctx, true);
      drawRecoveryBreakdown(ctx, true);
      drawTasks(ctx);
      drawNotices(ctx);
      drawOutstanding(ctx);
      return;
    case 'summary':
      drawSummary(ctx);
      return;
    case 'closing':
      drawSummary(ctx);
      drawRca(ctx);
      drawCapas(ctx);
      drawClosingSummary(ctx);
      return;
    case 'drill':
      drawProduct(ctx);
      drawDrillResult(ctx);
      drawScope(ctx, 'full');
      drawReconciliation(ctx);
      drawNotices(ctx);
      drawTimeline(ctx);
      drawSignOff(ctx);
      return;
    default: {
      const never: never = kind;
      throw new RangeError(`unknown report kind ${String(never)}`);
    }
  }
}

/** The regulator's summary: the plan's facts, then the outcome. */
function drawSummary(ctx: ReportContext): void {
  drawProduct(ctx);
  drawHazard(ctx);
  drawLevel(ctx);
  drawScope(ctx, 'cities');
  drawNoticePlan(ctx);
  drawRecovery(ctx, false);
  drawRecoveryBreakdown(ctx, false);
  drawOutstanding(ctx);
  drawDisposal(ctx, false);
  drawClocks(ctx, 'status');
  drawTimeline(ctx);
}

/** The drill marker in the top corner of every page of a drill's report. */
function drillCorner(ctx: ReportContext): void {
  const { w } = ctx;
  const text = w.clean(`${DRILL_MARKER.zh}${DRILL_MARKER.en}`);
  w.doc.font(w.strong).fontSize(7);
  const width = w.doc.widthOfString(text) + 10;
  const x = PAGE.left + CONTENT_WIDTH - width;
  w.doc.rect(x, 14, width, 13).fill('#fff1e0');
  w.doc.fillColor('#ad4e00').text(text, x + 5, 17.5, { width: width - 10 + 1, height: 9, lineBreak: false });
  w.doc.fillColor(COLOURS.ink);
}

/**
 * Printable PDF label sheets for a batch of serialised units: A4 sheets of 3 × 8 labels or
 * 60 × 40 mm thermal labels, each with the unit's QR Code (GS1 Digital Link URI with serial) or
 * GS1 DataMatrix, the product name in Chinese and English, batch code, production and expiry
 * date-times, GTIN and serial. Symbols are drawn as vector rectangles, so they stay sharp at
 * any printer resolution.
 */
import PDFDocument from 'pdfkit';
import { err, ok, type Result } from '../core/result.ts';
import { CANONICAL_DL_STEM } from '../core/gs1/digital-link.ts';
import { fncText } from './barcode.ts';
import { findCjkFont, type CjkFontLookup } from './cjk-font.ts';
import { buildBatchLabelData, type BatchLabelData, type LabelBatch, type LabelProduct } from './label-content.ts';
import { invalidInput, type LabelError } from './label-error.ts';
import { LABEL_LAYOUTS, labelSlot, pageCount, type LabelLayoutName, type LabelSlot } from './label-layout.ts';
import { encodeMatrixBatch } from './matrix-batch.ts';
import type { MatrixJob } from './matrix-encode.ts';
import type { ModuleMatrix } from './qr-mask.ts';

/** Which symbol identifies each unit. */
export type UnitSymbology = 'qrCode' | 'gs1DataMatrix';

/** A request for one label sheet (one PDF). */
export interface LabelSheetRequest {
  readonly layout: LabelLayoutName;
  readonly product: LabelProduct;
  readonly batch: LabelBatch;
  /** Serial numbers, one label each; see sequentialSerials for generating them. */
  readonly units: readonly string[];
  /** Default `qrCode` (GS1 Digital Link); `gs1DataMatrix` carries the same AIs as an element string. */
  readonly symbology?: UnitSymbology;
  /** Stem of the Digital Link URIs, e.g. the organisation's resolver; default https://id.gs1.org. */
  readonly digitalLinkStem?: string;
  /** Also encode the production date, AI (11), in the symbols (it is always printed). Default false. */
  readonly encodeProductionDate?: boolean;
  /** Where to find a CJK font; defaults to LOTLINE_CJK_FONT, then Debian font packages. */
  readonly cjkFont?: CjkFontLookup;
  /** Printer calibration: shift every label by this much. */
  readonly offsetMm?: { readonly xMm: number; readonly yMm: number };
  /** PDF creation date (metadata); default now. */
  readonly createdAt?: Date;
  /** Threads for symbol encoding; default all available. */
  readonly threads?: number;
}

/** A rendered sheet. */
export interface LabelSheet {
  readonly pdf: Buffer;
  readonly pages: number;
  readonly labels: number;
  /** Things the caller should tell the user, e.g. that Chinese names were left out for lack of a font. */
  readonly warnings: readonly string[];
}

const PT_PER_MM = 72 / 25.4;
const pt = (mm: number): number => mm * PT_PER_MM;

/** Quiet zone around each symbol, in modules. */
const QUIET_ZONE: Readonly<Record<UnitSymbology, number>> = { qrCode: 4, gs1DataMatrix: 1 };

/** Fonts by role; `cjk` is absent when no CJK font is available. */
interface Fonts {
  readonly regular: string;
  readonly bold: string;
  readonly cjk: string | null;
}

/**
 * One text line of a label: font, size in points, text, and what to do when it is too wide.
 * Names may be shortened with an ellipsis; traceability data (batch, dates, GTIN, serial) is
 * never cut, only set smaller.
 */
interface Line {
  readonly font: string;
  readonly size: number;
  readonly text: string;
  readonly overflow: 'ellipsis' | 'shrink';
}

/** Make a line fit `width` points: shrink data lines, shorten names with an ellipsis. */
function fit(doc: PDFKit.PDFDocument, line: Line, width: number): Line {
  doc.font(line.font).fontSize(line.size);
  const w = doc.widthOfString(line.text);
  if (w <= width) return line;
  if (line.overflow === 'shrink') return { ...line, size: Math.floor(((line.size * width) / w) * 10) / 10 };
  let lo = 0;
  let hi = line.text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${line.text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return { ...line, text: `${line.text.slice(0, lo)}…` };
}

/**
 * Fit a name in at most two lines: break at the last space that fits (or, when no word fits, as
 * in Chinese, after the last character that fits), shorten the rest with an ellipsis.
 */
function fitName(doc: PDFKit.PDFDocument, line: Line, width: number): Line[] {
  doc.font(line.font).fontSize(line.size);
  if (doc.widthOfString(line.text) <= width) return [line];
  const chars = [...line.text];
  let first = '';
  if (line.text.includes(' ')) {
    const words = line.text.split(' ');
    for (let k = 1; k < words.length; k++) {
      const candidate = words.slice(0, k).join(' ');
      if (doc.widthOfString(candidate) > width) break;
      first = candidate;
    }
  }
  if (first === '') {
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (doc.widthOfString(chars.slice(0, mid).join('')) <= width) lo = mid;
      else hi = mid - 1;
    }
    first = chars.slice(0, lo).join('');
  }
  if (first === '') return [fit(doc, line, width)];
  const rest = line.text.slice(first.length).trimStart();
  return [{ ...line, text: first }, fit(doc, { ...line, text: rest }, width)];
}

/**
 * Draw a module matrix as filled rectangles, one per horizontal run of dark modules, in a
 * coordinate system of one unit per module (short integers keep the content stream small).
 */
function drawMatrix(doc: PDFKit.PDFDocument, m: ModuleMatrix, x: number, y: number, module: number): void {
  const n = m.size;
  doc.save();
  doc.transform(module, 0, 0, module, x, y);
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (m.modules[r * n + c] === 1) {
        let e = c + 1;
        while (e < n && m.modules[r * n + e] === 1) e++;
        doc.rect(c, r, e - c, 1);
        c = e;
      } else c++;
    }
  }
  doc.fill('#000000');
  doc.restore();
}

interface SheetContext {
  readonly symbology: UnitSymbology;
  /** Lines shared by every label, already fitted to the text column. */
  readonly header: readonly Line[];
}

function drawLabel(doc: PDFKit.PDFDocument, ctx: SheetContext, slot: LabelSlot, matrix: ModuleMatrix, serialLine: Line): void {
  const pad = Math.min(2.5, slot.heightMm * 0.07);
  const box = Math.min(slot.heightMm - 2 * pad, slot.widthMm * 0.42);
  const quiet = QUIET_ZONE[ctx.symbology];
  const module = pt(box) / (matrix.size + 2 * quiet);
  const codeX = pt(slot.xMm + pad) + quiet * module;
  const codeY = pt(slot.yMm + (slot.heightMm - box) / 2) + quiet * module;
  drawMatrix(doc, matrix, codeX, codeY, module);

  const textX = pt(slot.xMm + pad + box + 1);
  let y = pt(slot.yMm + pad);
  for (const line of [...ctx.header, serialLine]) {
    doc.font(line.font).fontSize(line.size).text(line.text, textX, y, { lineBreak: false });
    y += line.size * 1.3;
  }
}

/** The text lines every label of the batch shares. */
function headerLines(product: LabelProduct, batch: LabelBatch, data: BatchLabelData, fonts: Fonts, scale: number): Line[] {
  const lines: Line[] = [];
  const cjk = fonts.cjk;
  if (cjk !== null && product.nameZh !== undefined && product.nameZh.trim() !== '') lines.push({ font: cjk, size: 9 * scale, text: product.nameZh.trim(), overflow: 'ellipsis' });
  lines.push({ font: fonts.bold, size: 7 * scale, text: product.nameEn.trim(), overflow: 'ellipsis' });
  const label = (zh: string, en: string): string => (cjk === null ? en : `${zh} ${en}`);
  const detail = cjk ?? fonts.regular;
  lines.push({ font: detail, size: 6.2 * scale, text: `${label('批号', 'Batch')} ${batch.code}`, overflow: 'shrink' });
  lines.push({ font: detail, size: 6.2 * scale, text: `${label('生产', 'Prod')} ${data.produced.display}`, overflow: 'shrink' });
  lines.push({ font: detail, size: 6.2 * scale, text: `${label('到期', 'Exp')} ${data.expires.display}`, overflow: 'shrink' });
  lines.push({ font: fonts.regular, size: 5.6 * scale, text: `GTIN ${data.gtin14}`, overflow: 'shrink' });
  return lines;
}

/**
 * Render a PDF of unit labels for a batch. Validation problems come back as `invalidInput` errors
 * naming the request field; a missing CJK font is a warning, not an error: the labels are then
 * printed without the Chinese name and field captions.
 * @example
 * const r = await renderLabelSheet({ layout: 'a4-3x8', product: { gtin: '09520123456788', nameEn: 'Organic Tofu 500 g', nameZh: '有机豆腐 500克' },
 *   batch: { code: '251215-CS-AM-001', producedAt: '2025-12-15T08:30+08:00', expiresAt: '2026-01-05T23:59+08:00' }, units: sequentialSerials(1, 48) });
 */
export async function renderLabelSheet(req: LabelSheetRequest): Promise<Result<LabelSheet, LabelError>> {
  const layout = LABEL_LAYOUTS[req.layout];
  if (layout === undefined) return err(invalidInput('/layout', `unknown layout "${String(req.layout)}"; use a4-3x8 or thermal-60x40`));
  const symbology = req.symbology ?? 'qrCode';
  if (symbology !== 'qrCode' && symbology !== 'gs1DataMatrix') return err(invalidInput('/symbology', `unknown symbology "${String(symbology)}"`));
  const data = buildBatchLabelData(req.product, req.batch, req.units, { stem: req.digitalLinkStem ?? CANONICAL_DL_STEM, encodeProductionDate: req.encodeProductionDate === true });
  if (!data.ok) return data;

  const jobs: MatrixJob[] = data.value.units.map((u) => (symbology === 'qrCode' ? { symbology: 'qrCode', text: u.digitalLink } : { symbology: 'dataMatrix', text: fncText(u.elements) }));
  const matrices = await encodeMatrixBatch(jobs, req.threads === undefined ? {} : { threads: req.threads });
  if (!matrices.ok) return matrices;

  try {
    const warnings: string[] = [];
    const doc = new PDFDocument({
      size: [pt(layout.pageWidthMm), pt(layout.pageHeightMm)],
      margin: 0,
      autoFirstPage: false,
      compress: true,
      info: {
        Title: `${req.product.nameEn} — batch ${req.batch.code}`,
        Author: 'Lotline',
        Subject: `${data.value.units.length} unit labels, GTIN ${data.value.gtin14}`,
        CreationDate: req.createdAt ?? new Date(),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()));

    let cjk: string | null = null;
    const font = findCjkFont(req.cjkFont ?? {});
    if (font.ok) {
      try {
        doc.registerFont('cjk', font.value.path, font.value.postscriptName);
        doc.font('cjk');
        cjk = 'cjk';
      } catch (e) {
        warnings.push(`CJK font ${font.value.path} could not be loaded (${e instanceof Error ? e.message : String(e)}); Chinese text left out`);
      }
    } else if (req.product.nameZh !== undefined && req.product.nameZh.trim() !== '') {
      warnings.push(`${font.error.message}; the Chinese product name was left off the labels`);
    }
    const fonts: Fonts = { regular: 'Helvetica', bold: 'Helvetica-Bold', cjk };

    const pad = Math.min(2.5, layout.labelHeightMm * 0.07);
    const box = Math.min(layout.labelHeightMm - 2 * pad, layout.labelWidthMm * 0.42);
    const textWidth = pt(layout.labelWidthMm - 2 * pad - box - 1);
    const scale = layout.labelHeightMm >= 40 ? 1.05 : 1;
    const fitted = headerLines(req.product, req.batch, data.value, fonts, scale).flatMap((l) => (l.overflow === 'ellipsis' ? fitName(doc, l, textWidth) : [fit(doc, l, textWidth)]));
    // Keep the text block (header plus serial line) inside the label: shrink every line if needed.
    const available = pt(layout.labelHeightMm - 2 * pad);
    const needed = (fitted.reduce((h, l) => h + l.size, 0) + 6.5 * scale) * 1.3;
    const shrink = Math.min(1, available / needed);
    const header = shrink === 1 ? fitted : fitted.map((l) => ({ ...l, size: l.size * shrink }));
    const ctx: SheetContext = { symbology, header };
    const offset = req.offsetMm ?? { xMm: 0, yMm: 0 };

    let page = -1;
    for (let i = 0; i < data.value.units.length; i++) {
      const slot = labelSlot(layout, i, offset);
      if (slot.page !== page) {
        doc.addPage({ size: [pt(layout.pageWidthMm), pt(layout.pageHeightMm)], margin: 0 });
        page = slot.page;
      }
      const unit = data.value.units[i] as (typeof data.value.units)[number];
      const serialLine = fit(doc, { font: fonts.bold, size: 6.5 * scale * shrink, text: `SN ${unit.serial}`, overflow: 'shrink' }, textWidth);
      drawLabel(doc, ctx, slot, matrices.value[i] as ModuleMatrix, serialLine);
    }
    doc.end();
    await finished;
    return ok({ pdf: Buffer.concat(chunks), pages: pageCount(layout, data.value.units.length), labels: data.value.units.length, warnings });
  } catch (e) {
    return err({ kind: 'encoding', message: `PDF rendering failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

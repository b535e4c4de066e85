/**
 * An A4 report writer with Chinese and English side by side, on pdfkit. It keeps the cursor itself
 * (pdfkit's own flow adds pages on its own when text runs past the bottom margin, which would leave
 * headings orphaned and tables without their heading row), so every block first asks for the room
 * it needs and starts a new page when there is none. Tables repeat their heading row on every page
 * they continue on.
 *
 * Fonts: the CJK font of src/labels/cjk-font.ts. Without one the report is still rendered, with the
 * standard fonts, English captions and Chinese text left out, and a warning says so (as the trace
 * report and label sheets do). Extracted from the trace report (src/app/trace/report-export.ts),
 * which draws the same way with its own copy of these primitives and could use this writer.
 */
import PDFDocument from 'pdfkit';
import { findCjkFont, type CjkFontLookup } from '../../labels/cjk-font.ts';

export const PAGE = { width: 595.28, height: 841.89, top: 40, bottom: 50, left: 36, right: 36 } as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** The lowest point body text may reach; the footer sits below it. */
export const BODY_BOTTOM = PAGE.height - PAGE.bottom;
const PAD = 3;

export const COLOURS = {
  ink: '#1a1a1a',
  muted: '#5f6368',
  accent: '#1f4e79',
  rule: '#c9ced6',
  headerFill: '#e6ecf2',
  alertFill: '#fbe1de',
  alertInk: '#a61b1b',
  okFill: '#e3f1e6',
  okInk: '#1e6b34',
  totalFill: '#eef0f2',
} as const;

/** Symbols the standard fonts cannot draw, and what stands in for them without a CJK font. */
const LATIN_STAND_INS: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '→': '->', '−': '-' };
/** Han, kana, hangul, CJK punctuation and full-width forms: text only a CJK font can draw. */
const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

export interface TableRow {
  readonly cells: readonly string[];
  readonly tone?: 'alert' | 'total' | 'ok';
}

export interface PdfWriterOptions {
  /** The document's title (metadata). */
  readonly title: string;
  readonly subject?: string;
  readonly createdAt: Date;
  readonly cjkFont?: CjkFontLookup;
}

/** What `finish` draws on every page once the page count is known. */
export interface PageDecoration {
  /** Left part of the footer (the report and what it is about). */
  readonly footer: string;
  /** Drawn on every page before the footer, e.g. a watermark. */
  readonly decorate?: (page: number, pages: number) => void;
}

export interface PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  /** Whether a CJK font is in use. */
  readonly cjk: boolean;
  readonly warnings: string[];
  readonly regular: string;
  readonly strong: string;
  /** The cursor: where the next block starts on the current page. */
  y: number;
  /** Text the font can draw: without a CJK font, characters outside Latin-1 are left out. */
  clean(text: string): string;
  /** A caption: Chinese and English side by side, English alone without a CJK font. */
  cap(zh: string, en: string): string;
  /** A table heading: Chinese over English. */
  head(zh: string, en: string): string;
  /** Free text written as `中文 / English`: whole, or without a CJK font the parts it can draw. */
  bilingual(text: string): string;
  newPage(): void;
  /** Start a new page unless `height` points are left on this one. */
  ensure(height: number): void;
  space(points: number): void;
  paragraph(text: string, style?: { size?: number; color?: string; strong?: boolean; indent?: number }): void;
  /** A section heading with an accent bar; keeps `keep` points below it on the same page. */
  heading(zh: string, en: string, keep?: number): void;
  subheading(zh: string, en: string, keep?: number): void;
  table(columns: readonly TableColumn[], rows: readonly TableRow[], style?: { size?: number; header?: boolean }): void;
  keyValues(pairs: readonly (readonly [string, string])[], style?: { size?: number; keyWidth?: number }): void;
  /** Columns from `[header, width, align]`; a width of 0 takes what the others leave of the page. */
  columns(spec: readonly (readonly [string, number, ('left' | 'right' | 'center')?])[]): TableColumn[];
  /** A filled, rounded label at (x, y); returns its width. */
  badge(text: string, x: number, y: number, style: { fill: string; color: string; size?: number }): number;
  /** Footers (`page x / y`) and decorations on every page, then the PDF bytes. */
  finish(decoration: PageDecoration): Promise<{ pdf: Buffer; pages: number }>;
}

/** An A4 pdfkit document whose bytes are collected, with the CJK font registered as `cjk` when one is found. */
export interface A4Document {
  readonly doc: PDFKit.PDFDocument;
  /** Whether Chinese text can be drawn (else the standard fonts, and a warning says so). */
  readonly cjk: boolean;
  readonly warnings: readonly string[];
  /** End the document and get its bytes. */
  finish(): Promise<Buffer>;
}

/** Open an A4 document (Lotline's margins, compressed, pages buffered for footers) for a report. */
export function openA4Document(options: { readonly title: string; readonly subject?: string; readonly createdAt: Date; readonly cjkFont?: CjkFontLookup }): A4Document {
  const warnings: string[] = [];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    info: { Title: options.title, Author: 'Lotline', ...(options.subject === undefined ? {} : { Subject: options.subject }), CreationDate: options.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  let cjk = false;
  const font = findCjkFont(options.cjkFont ?? {});
  if (font.ok) {
    try {
      doc.registerFont('cjk', font.value.path, font.value.postscriptName);
      cjk = true;
    } catch (e) {
      warnings.push(`CJK font ${font.value.path} could not be loaded (${e instanceof Error ? e.message : String(e)}); Chinese text left out of the report`);
    }
  } else {
    warnings.push(`${font.error.message}; Chinese text left out of the report`);
  }
  return {
    doc,
    cjk,
    warnings,
    finish: async () => {
      doc.end();
      await finished;
      return Buffer.concat(chunks);
    },
  };
}

/**
 * Open an empty report. Nothing is drawn until the caller starts a page (`newPage`).
 * @example const w = openPdfWriter({ title: 'Recall plan RC-2025-0001', createdAt: new Date() }); w.newPage(); w.heading('范围', 'Scope');
 */
export function openPdfWriter(options: PdfWriterOptions): PdfWriter {
  const warnings: string[] = [];
  const { doc, cjk, warnings: opened, finish: endDocument } = openA4Document({ title: options.title, ...(options.subject === undefined ? {} : { subject: options.subject }), createdAt: options.createdAt, ...(options.cjkFont ? { cjkFont: options.cjkFont } : {}) });
  warnings.push(...opened);
  const regular = cjk ? 'cjk' : 'Helvetica';
  const strong = cjk ? 'cjk' : 'Helvetica-Bold';
  let y: number = PAGE.top;
  /** The caption of the section being drawn, repeated above a table continued on a new page. */
  let section = '';

  const clean = (s: string): string => {
    if (cjk) return s;
    const ascii = s.replace(/[≥≤→−]/g, (c) => LATIN_STAND_INS[c] ?? c);
    const kept = ascii.replace(/[^\u0000-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u2122]+/g, '');
    return kept === ascii ? ascii : kept.replace(/\(\s*\)/g, '').replace(/^[ /|,;:·(]+|[ /|,;:·(]+$/gm, '').replace(/ {2,}/g, ' ').trim();
  };
  const cap = (zh: string, en: string): string => (cjk ? `${zh} ${en}` : en);
  const head = (zh: string, en: string): string => (cjk ? `${zh}\n${en}` : en);
  const bilingual = (text: string): string => {
    if (cjk) return text;
    return text
      .split('\n')
      .map((line) => {
        const parts = line.split(' / ').filter((part) => part.trim() !== '');
        const latin = parts.filter((part) => !CJK.test(part));
        return latin.length ? clean(latin.join(' / ')) : clean(line);
      })
      .join('\n');
  };

  const newPage = (): void => {
    doc.addPage({ size: 'A4', margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right } });
    y = PAGE.top;
  };
  const ensure = (height: number): void => {
    if (y + height > BODY_BOTTOM) newPage();
  };
  const space = (points: number): void => {
    y = Math.min(y + points, BODY_BOTTOM);
  };
  /** Text in a box that never runs past its height (pdfkit would otherwise add a page). */
  const boxed = (text: string, x: number, top: number, width: number, height: number, align: 'left' | 'right' | 'center' = 'left'): void => {
    doc.text(text, x, top, { width, height, align, ellipsis: true });
  };
  const paragraph: PdfWriter['paragraph'] = (text, style = {}) => {
    const size = style.size ?? 8.5;
    const indent = style.indent ?? 0;
    const width = CONTENT_WIDTH - indent;
    // Line by line, so that a long text continues on the next page instead of running off this one.
    for (const line of clean(text).split('\n')) {
      doc.font(style.strong ? strong : regular).fontSize(size);
      const h = Math.min(doc.heightOfString(line || ' ', { width }), BODY_BOTTOM - PAGE.top);
      ensure(h);
      doc.fillColor(style.color ?? COLOURS.ink);
      boxed(line, PAGE.left + indent, y, width, h + 1);
      y += h + 2;
    }
    y += 1;
  };
  const heading: PdfWriter['heading'] = (zh, en, keep = 60) => {
    const size = 12.5;
    ensure(size + 16 + keep);
    y += 8;
    doc.rect(PAGE.left, y + 1, 3, size).fill(COLOURS.accent);
    section = cap(zh, en);
    doc.font(strong).fontSize(size).fillColor(COLOURS.accent);
    boxed(section, PAGE.left + 8, y, CONTENT_WIDTH - 8, size + 4);
    y += size + 8;
  };
  const subheading: PdfWriter['subheading'] = (zh, en, keep = 40) => {
    const size = 9.5;
    ensure(size + 8 + keep);
    y += 3;
    doc.font(strong).fontSize(size).fillColor(COLOURS.accent);
    boxed(cap(zh, en), PAGE.left, y, CONTENT_WIDTH, size + 4);
    y += size + 5;
  };
  const rowHeight = (cells: readonly string[], columns: readonly TableColumn[], size: number, font: string): number => {
    doc.font(font).fontSize(size);
    const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: (columns[i]?.width ?? 0) - 2 * PAD }));
    return Math.min(Math.max(...heights) + 2 * PAD, BODY_BOTTOM - PAGE.top - 40);
  };
  const drawRow = (cells: readonly string[], columns: readonly TableColumn[], height: number, size: number, font: string, fill: string | null, color: string): void => {
    if (fill !== null) doc.rect(PAGE.left, y, CONTENT_WIDTH, height).fill(fill);
    let x = PAGE.left;
    columns.forEach((col, i) => {
      doc.font(font).fontSize(size).fillColor(color);
      boxed(cells[i] ?? '', x + PAD, y + PAD, col.width - 2 * PAD, height - PAD, col.align ?? 'left');
      x += col.width;
    });
    doc.moveTo(PAGE.left, y + height).lineTo(PAGE.left + CONTENT_WIDTH, y + height).lineWidth(0.4).strokeColor(COLOURS.rule).stroke();
    y += height;
  };
  const table: PdfWriter['table'] = (columns, rows, style = {}) => {
    const size = style.size ?? 7.5;
    const showHeader = style.header ?? true;
    const headers = columns.map((c) => clean(c.header));
    const headerHeight = showHeader ? rowHeight(headers, columns, size - 0.5, strong) : 0;
    const drawHeader = (): void => {
      if (!showHeader) return;
      doc.moveTo(PAGE.left, y).lineTo(PAGE.left + CONTENT_WIDTH, y).lineWidth(0.6).strokeColor(COLOURS.accent).stroke();
      drawRow(headers, columns, headerHeight, size - 0.5, strong, COLOURS.headerFill, COLOURS.accent);
    };
    const prepared = rows.map((r) => ({ cells: r.cells.map(clean), tone: r.tone }));
    const first = prepared[0];
    ensure(headerHeight + (first ? rowHeight(first.cells, columns, size, regular) : 0));
    drawHeader();
    for (const row of prepared) {
      const font = row.tone === 'total' ? strong : regular;
      const h = rowHeight(row.cells, columns, size, font);
      if (y + h > BODY_BOTTOM) {
        newPage();
        doc.font(regular).fontSize(7.5).fillColor(COLOURS.muted);
        boxed(clean(`${section} (${cap('续', 'continued')})`), PAGE.left, y, CONTENT_WIDTH, 11);
        y += 12;
        drawHeader();
      }
      const fill = row.tone === 'alert' ? COLOURS.alertFill : row.tone === 'total' ? COLOURS.totalFill : row.tone === 'ok' ? COLOURS.okFill : null;
      drawRow(row.cells, columns, h, size, font, fill, row.tone === 'alert' ? COLOURS.alertInk : COLOURS.ink);
    }
    y += 6;
  };
  const columns: PdfWriter['columns'] = (spec) => {
    const fixed = spec.reduce((s, [, w]) => s + w, 0);
    const flexible = spec.filter(([, w]) => w === 0).length || 1;
    return spec.map(([header, width, align]) => ({ header, width: width === 0 ? (CONTENT_WIDTH - fixed) / flexible : width, align: align ?? 'left' }));
  };
  const keyValues: PdfWriter['keyValues'] = (pairs, style = {}) => {
    const keyWidth = style.keyWidth ?? 140;
    table([{ header: '', width: keyWidth }, { header: '', width: CONTENT_WIDTH - keyWidth }], pairs.map(([k, v]) => ({ cells: [k, v] })), { size: style.size ?? 8, header: false });
  };
  const badge: PdfWriter['badge'] = (text, x, top, style) => {
    const size = style.size ?? 9;
    doc.font(strong).fontSize(size);
    const t = clean(text);
    const width = doc.widthOfString(t) + 12;
    doc.roundedRect(x, top, width, size + 8, 3).fill(style.fill);
    doc.fillColor(style.color);
    doc.text(t, x + 6, top + 4, { width: width - 12 + 1, height: size + 4, lineBreak: false });
    return width;
  };

  const finish: PdfWriter['finish'] = async (decoration) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Drawing below the bottom margin would make pdfkit start a page of its own.
      doc.page.margins.bottom = 0;
      const page = i - range.start + 1;
      decoration.decorate?.(page, range.count);
      const fy = PAGE.height - PAGE.bottom + 18;
      doc.moveTo(PAGE.left, fy - 5).lineTo(PAGE.left + CONTENT_WIDTH, fy - 5).lineWidth(0.4).strokeColor(COLOURS.rule).stroke();
      doc.font(regular).fontSize(7).fillColor(COLOURS.muted);
      doc.text(clean(decoration.footer), PAGE.left, fy, { width: CONTENT_WIDTH - 130, height: 10, lineBreak: false, ellipsis: true });
      doc.text(cap(`第 ${page} / ${range.count} 页`, `Page ${page} of ${range.count}`), PAGE.left + CONTENT_WIDTH - 125, fy, { width: 125, height: 10, align: 'right', lineBreak: false });
      doc.page.margins.bottom = PAGE.bottom;
    }
    const pages = range.count;
    return { pdf: await endDocument(), pages };
  };

  return {
    doc,
    cjk,
    warnings,
    regular,
    strong,
    get y() {
      return y;
    },
    set y(value: number) {
      y = value;
    },
    clean,
    cap,
    head,
    bilingual,
    newPage,
    ensure,
    space,
    paragraph,
    heading,
    subheading,
    table,
    keyValues,
    columns,
    badge,
    finish,
  };
}

/** A number without trailing zeros or exponent noise; `—` for null. */
export function formatNumber(n: number | null): string {
  if (n === null) return '—';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/** A share as `85.0 %` (one decimal); `—` for null. */
export function formatPercent(n: number | null): string {
  return n === null ? '—' : `${(Math.round(n * 10) / 10).toFixed(1)} %`;
}

/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled), in UTF-8 with a byte-order mark so that Excel reads it as UTF-8.
 */
import { Readable } from 'node:stream';
import type { CellValue, SheetColumn } from './sheet-columns.ts';

/** The UTF-8 byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading apostrophe, as OWASP advises for CSV files: the data comes from outside the organisation.
 */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field. Numbers are written in plain decimal notation. */
export function csvField(value: CellValue, kind: SheetColumn<unknown>['kind'] = 'text'): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? numberText(value) : kind === 'text' ? defuse(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, ending in CRLF. */
export function csvLine(values: readonly string[]): string {
  return `${values.join(',')}\r\n`;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  const text = String(n);
  // Exponent notation (1e21, 1e-7) may be read as text: write plain decimals instead.
  return text.includes('e') ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 100 }) : text;
}

/**
 * A CSV file of `batches` of rows under `columns`: BOM, heading line, one line per row. Pulls the
 * next batch only when the reader wants more, so a slow client holds back the database reads.
 */
export function csvStream<R>(columns: readonly SheetColumn<R>[], batches: AsyncIterable<readonly R[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(columns.map((c) => csvField(c.header)));
    for await (const batch of batches) {
      let chunk = '';
      for (const row of batch) chunk += csvLine(columns.map((c) => csvField(c.value(row), c.kind)));
      if (chunk) yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

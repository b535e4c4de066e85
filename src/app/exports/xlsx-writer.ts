/**
 * An XLSX workbook of one sheet, written as a stream with exceljs: bold frozen heading row with an
 * auto filter, column widths, real numbers, dates and times. Rows are committed as they come, so
 * memory does not grow with the number of rows.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CellValue, ColumnKind, SheetColumn } from './sheet-columns.ts';

/** Spreadsheet number formats per column kind. */
const NUMBER_FORMATS: Readonly<Record<ColumnKind, string | undefined>> = {
  text: '@',
  number: undefined,
  date: 'yyyy-mm-dd',
  time: 'hh:mm:ss',
};

/** A cell value as exceljs writes it: dates as Date (a serial day number in the file), times as a fraction of a day. */
export function xlsxCell(value: CellValue, kind: ColumnKind): string | number | Date | null {
  if (value === null) return null;
  switch (kind) {
    case 'text':
      return String(value);
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date': {
      const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
      return date === null || Number.isNaN(date.getTime()) ? String(value) : date;
    }
    case 'time': {
      const m = typeof value === 'string' ? /^(\d{2}):(\d{2}):(\d{2})$/.exec(value) : null;
      return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) / 86_400 : String(value);
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown column kind ${String(unreachable)}`);
    }
  }
}

/** Wait until `stream` drains; false when it closed instead (the reader went away). */
function drained(stream: PassThrough): Promise<boolean> {
  if (stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve(!stream.destroyed);
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** Options of xlsxStream. */
export interface XlsxOptions {
  readonly sheetName: string;
  /** Workbook author shown in the file's properties. */
  readonly creator?: string;
  readonly created?: Date;
}

/**
 * An XLSX file of `batches` of rows under `columns`. The next batch is read only once the client
 * has taken what was written, so a slow download holds back the database reads.
 */
export function xlsxStream<R>(columns: readonly SheetColumn<R>[], batches: AsyncIterable<readonly R[]>, options: XlsxOptions): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = options.creator ?? 'Lotline';
  workbook.created = options.created ?? new Date();
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => {
    const numFmt = NUMBER_FORMATS[c.kind];
    return { key: `c${i}`, width: c.width, ...(numFmt ? { style: { numFmt } } : {}) };
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  const pump = async (): Promise<void> => {
    const heading = sheet.addRow(columns.map((c) => c.header));
    heading.font = { bold: true };
    heading.alignment = { vertical: 'top', wrapText: true };
    heading.eachCell((cell) => {
      cell.numFmt = 'General';
    });
    heading.commit();
    for await (const batch of batches) {
      for (const row of batch) sheet.addRow(columns.map((c) => xlsxCell(c.value(row), c.kind))).commit();
      if (out.writableNeedDrain && !(await drained(out))) return; // the client went away
    }
    sheet.commit();
    await workbook.commit();
  };
  pump().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

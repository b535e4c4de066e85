/**
 * The columns of a tabular export, described once for every format (CSV, XLSX): heading, what the
 * cells hold, and how wide the spreadsheet shows them.
 */

/** What a column's cells hold; spreadsheets get real numbers, dates and times. */
export type ColumnKind = 'text' | 'number' | 'date' | 'time';

/** A cell as a column's `value` gives it: text, a number, `YYYY-MM-DD` (date), `HH:MM:SS` (time), or empty. */
export type CellValue = string | number | null;

/** One column of an export of rows `R`. */
export interface SheetColumn<R> {
  readonly header: string;
  readonly kind: ColumnKind;
  /** Width in characters, as spreadsheets measure it. */
  readonly width: number;
  value(row: R): CellValue;
}

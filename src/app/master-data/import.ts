import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { type EntityKind, type EntitySpec, type FieldSpec, entities } from './definitions.ts';
import { type PendingRecord, checkReferences, upsertRows } from './master-data.ts';
import { validateRecord } from './validate-record.ts';

/** A table read from a file: its header and its rows of cells, with the file's row numbers. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

/** `atomic`: any bad row rejects the whole file. `valid-rows`: good rows are written, bad ones reported. */
export type ImportMode = 'atomic' | 'valid-rows';

/** What an import did, row by row. */
export interface ImportReport {
  readonly kind: EntityKind;
  readonly mode: ImportMode;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly rejected: number;
  readonly errors: readonly ErrorDetail[];
}

const MAX_ROWS = 100_000;

/** Read CSV text (UTF-8, optional BOM, comma or semicolon separated) into a table. */
export function readCsv(text: string): Table {
  const delimiter = sniffDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    throw new DomainError('ValidationException', `the CSV file cannot be read: ${e.message ?? 'malformed'}`, [
      { pointer: `row ${e.lines ?? '?'}`, message: e.message ?? 'malformed CSV', rule: 'csv', ...(e.lines ? { row: e.lines } : {}) },
    ]);
  }
  return toTable(records);
}

/** Read the first worksheet of an XLSX workbook into a table. */
export async function readXlsx(data: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (error) {
    throw new DomainError('ValidationException', `the XLSX file cannot be read: ${(error as Error).message}`, [{ pointer: '', message: 'not an XLSX workbook', rule: 'xlsx' }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new DomainError('ValidationException', 'the workbook has no worksheet');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    records[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return toTable(Array.from(records, (r) => r ?? []));
}

/** Validate every row, then write them in one transaction; errors name the row and column. */
export async function importTable(ctx: AppContext, actor: Actor, kind: EntityKind, table: Table, mode: ImportMode): Promise<ImportReport> {
  const spec = entities[kind];
  const columns = mapHeader(spec, table.header);
  const errors: ErrorDetail[] = [];
  const pending: (PendingRecord & { row: number })[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const input: Record<string, string> = {};
    columns.forEach((field, i) => {
      if (field) input[field.name] = cells[i] ?? '';
    });
    const pointer = (name: string): string => `row ${row}, column ${headerOf(columns, table.header, name)}`;
    const checked = validateRecord(spec, input, { source: 'cells', partial: false, pointer });
    if (!checked.ok) {
      errors.push(...checked.error.map((e) => ({ ...e, row, column: columnOfPointer(e.pointer) })));
      continue;
    }
    const id = String(checked.value[spec.idColumn]);
    const first = seen.get(id);
    if (first !== undefined) {
      errors.push({ pointer: pointer(spec.idField), message: `${spec.idField} ${id} already appears in row ${first}`, rule: 'unique', row, column: headerOf(columns, table.header, spec.idField) });
      continue;
    }
    seen.set(id, row);
    pending.push({ values: checked.value, pointer, row });
  }
  if (errors.length && mode === 'atomic') {
    throw new DomainError('ValidationException', `${new Set(errors.map((e) => e.row)).size} of ${table.rows.length} rows are not valid; nothing was imported`, errors);
  }
  return ctx.database.db.transaction().execute(async (tx) => {
    let accepted = pending;
    try {
      await checkReferences(tx, spec, actor.orgId, pending, new Set(seen.keys()));
    } catch (error) {
      if (!DomainError.is(error)) throw error;
      const withRows = error.details.map((d) => ({ ...d, row: rowOfPointer(d.pointer), column: columnOfPointer(d.pointer) }));
      if (mode === 'atomic') throw new DomainError('ValidationException', 'rows refer to unknown records; nothing was imported', withRows);
      errors.push(...withRows);
      const bad = new Set(withRows.map((d) => d.row));
      accepted = pending.filter((p) => !bad.has(p.row));
    }
    const { created, updated } = await upsertRows(tx, spec, actor.orgId, accepted.map((p) => p.values));
    const report: ImportReport = { kind, mode, total: table.rows.length, created, updated, rejected: table.rows.length - accepted.length, errors };
    await recordAudit(tx, actor, { action: `${kind}.import`, targetType: kind, detail: { total: report.total, created, updated, rejected: report.rejected } });
    return report;
  });
}

/** An empty CSV template with the entity's column headers (API names; Chinese and English labels are accepted too). */
export function csvTemplate(kind: EntityKind): string {
  const spec = entities[kind];
  const names = spec.fields.map((f) => f.name);
  return `\ufeff${names.join(',')}\n`;
}

function toTable(records: string[][]): Table {
  const [header, ...rest] = records;
  if (!header || header.every((h) => h.trim() === '')) throw new DomainError('ValidationException', 'the file has no header row', [{ pointer: 'row 1', message: 'expected a header row', rule: 'header', row: 1 }]);
  if (rest.length > MAX_ROWS) throw new DomainError('CaptureLimitExceededException', `at most ${MAX_ROWS} rows per file`);
  return {
    header: header.map((h) => h.trim()),
    rows: rest.map((cells, i) => ({ row: i + 2, cells })).filter((r) => r.cells.some((c) => c.trim() !== '')),
  };
}

function mapHeader(spec: EntitySpec, header: readonly string[]): (FieldSpec | null)[] {
  const byName = new Map<string, FieldSpec>();
  for (const f of spec.fields) {
    for (const alias of [f.name, f.column, f.labelZh, f.labelEn]) byName.set(normalise(alias), f);
  }
  const errors: ErrorDetail[] = [];
  const used = new Set<string>();
  const mapped = header.map((h, i) => {
    if (h === '') return null;
    const f = byName.get(normalise(h));
    if (!f) {
      errors.push({ pointer: `row 1, column ${h}`, message: `unknown column ${JSON.stringify(h)}; expected some of ${spec.fields.map((x) => x.name).join(', ')}`, rule: 'header', row: 1, column: h });
      return null;
    }
    if (used.has(f.name)) errors.push({ pointer: `row 1, column ${h}`, message: `column for ${f.name} appears twice (column ${i + 1})`, rule: 'header', row: 1, column: h });
    used.add(f.name);
    return f;
  });
  for (const f of spec.fields) {
    if (f.required && !used.has(f.name)) errors.push({ pointer: 'row 1', message: `required column ${f.name} (${f.labelZh}) is missing`, rule: 'header', row: 1, column: f.name });
  }
  if (errors.length) throw new DomainError('ValidationException', 'the header row does not match the template', errors);
  return mapped;
}

function headerOf(columns: readonly (FieldSpec | null)[], header: readonly string[], field: string): string {
  const i = columns.findIndex((c) => c?.name === field);
  return i >= 0 ? (header[i] ?? field) : field;
}

function rowOfPointer(pointer: string): number {
  return Number(/^row (\d+)/.exec(pointer)?.[1] ?? 0);
}

function columnOfPointer(pointer: string): string {
  return /column (.*)$/.exec(pointer)?.[1] ?? '';
}

function normalise(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_\-()（）]/g, '');
}

function sniffDelimiter(text: string): string {
  const nl = text.indexOf('\n');
  const firstLine = nl < 0 ? text : text.slice(0, nl);
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    return '';
  }
  return String(value);
}

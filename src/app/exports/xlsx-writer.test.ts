import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { SheetColumn } from './sheet-columns.ts';
import { xlsxCell, xlsxStream } from './xlsx-writer.ts';

interface Row {
  readonly code: string;
  readonly quantity: number | null;
  readonly date: string;
  readonly time: string;
}

const columns: SheetColumn<Row>[] = [
  { header: 'Traceability Lot Code (TLC)', kind: 'text', width: 30, value: (r) => r.code },
  { header: 'Quantity', kind: 'number', width: 10, value: (r) => r.quantity },
  { header: 'Date of CTE', kind: 'date', width: 12, value: (r) => r.date },
  { header: 'Time of CTE', kind: 'time', width: 10, value: (r) => r.time },
];

async function* batches(...lists: Row[][]): AsyncGenerator<Row[]> {
  for (const list of lists) yield list;
}

describe('xlsxStream', () => {
  it('writes a bold, frozen, filtered heading row, column widths, and real numbers, dates and times', async () => {
    const file = await buffer(
      xlsxStream(columns, batches([{ code: '=1+1', quantity: 24, date: '2025-09-05', time: '07:30:15' }], [{ code: '(01)06901234100018(10)B1', quantity: null, date: '2025-09-06', time: '00:00:00' }]), { sheetName: 'FSMA 204' }),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('FSMA 204');
    expect(sheet).toBeDefined();
    if (!sheet) return;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Traceability Lot Code (TLC)', 'Quantity', 'Date of CTE', 'Time of CTE']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:D1');
    expect(sheet.getColumn(1).width).toBe(30);
    expect(sheet.rowCount).toBe(3);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('=1+1'); // text, never a formula
    expect(first.getCell(2).value).toBe(24);
    expect(first.getCell(3).value).toEqual(new Date('2025-09-05T00:00:00Z'));
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd');
    // A time of day is a fraction of a day; readers show it as a time on Excel's day zero.
    expect(first.getCell(4).value).toEqual(new Date('1899-12-30T07:30:15Z'));
    expect(first.getCell(4).numFmt).toBe('hh:mm:ss');
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
  });

  it('fails the stream when the rows fail', async () => {
    async function* failing(): AsyncGenerator<Row[]> {
      yield [];
      throw new Error('database went away');
    }
    await expect(buffer(xlsxStream(columns, failing(), { sheetName: 'x' }))).rejects.toThrow('database went away');
  });

  it('converts cell values by column kind', () => {
    expect(xlsxCell('2025-02-30', 'date')).toEqual(new Date('2025-03-02T00:00:00Z'));
    expect(xlsxCell('soon', 'date')).toBe('soon');
    expect(xlsxCell('12:00:00', 'time')).toBe(0.5);
    expect(xlsxCell(null, 'number')).toBeNull();
  });
});

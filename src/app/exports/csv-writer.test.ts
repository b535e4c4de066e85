import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { UTF8_BOM, csvField, csvLine, csvStream } from './csv-writer.ts';
import type { SheetColumn } from './sheet-columns.ts';

async function* batches<R>(...lists: R[][]): AsyncGenerator<R[]> {
  for (const list of lists) yield list;
}

describe('csvField', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180), and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('星辰月饼')).toBe('星辰月饼');
    expect(csvField(null)).toBe('');
  });

  it('writes numbers in plain decimals', () => {
    expect([csvField(1234.5), csvField(0), csvField(-2), csvField(1e21), csvField(1e-7)]).toEqual(['1234.5', '0', '-2', '1000000000000000000000', '0.0000001']);
  });

  it('defuses text a spreadsheet would run as a formula, but not dates, times or numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(['+1', '-1', '@SUM(A1)'].map((t) => csvField(t))).toEqual(["'+1", "'-1", "'@SUM(A1)"]);
    expect(csvField('2025-09-05', 'date')).toBe('2025-09-05');
  });
});

describe('csvStream', () => {
  it('writes a BOM, a heading line and CRLF-terminated records', async () => {
    const columns: SheetColumn<{ n: string; q: number | null }>[] = [
      { header: 'Name, full', kind: 'text', width: 10, value: (r) => r.n },
      { header: 'Quantity', kind: 'number', width: 5, value: (r) => r.q },
    ];
    const out = await buffer(csvStream(columns, batches([{ n: 'a', q: 1 }], [], [{ n: 'b "c"', q: null }])));
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.toString('utf8')).toBe(`${UTF8_BOM}"Name, full",Quantity\r\na,1\r\n"b ""c""",\r\n`);
    expect(csvLine(['x', 'y'])).toBe('x,y\r\n');
  });
});

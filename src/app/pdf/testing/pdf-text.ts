/**
 * Reading rendered PDFs back in tests, with poppler-utils (installed by CI, see .ci/run): the text
 * as laid out or in drawing order, each word's box (to prove nothing is drawn off the page or
 * under the footer), and pixels of a page (to check a colour really is drawn).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether poppler's tools are installed (CI installs them; elsewhere tests that need them skip). */
export const hasPoppler = process.env.CI === 'true' || spawnSync('pdftotext', ['-v']).status === 0;

/** Run a poppler tool on the PDF; `args` come before the file, `after` after it (`-` for stdout). */
function run(tool: string, args: readonly string[], pdf: Buffer, encoding: 'utf8' | 'buffer' = 'utf8', after: readonly string[] = ['-']): string | Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lotline-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync(tool, [...args, file, ...after], { maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr.toString()}`);
    return encoding === 'utf8' ? r.stdout.toString('utf8') : r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF (or one page): `layout` keeps table rows on one line, `raw` keeps drawing order. */
export function pdfText(pdf: Buffer, options: { mode?: 'layout' | 'raw'; page?: number } = {}): string {
  const pages = options.page === undefined ? [] : ['-f', String(options.page), '-l', String(options.page)];
  return run('pdftotext', [options.mode === 'raw' ? '-raw' : '-layout', ...pages], pdf) as string;
}

/**
 * Whitespace folded so that a fact matches however the PDF wrapped it: runs of white space become
 * one space, and a space between two CJK characters (a wrapped Chinese line) or after a hyphen inside
 * a word (pdfkit may wrap `250905-B-A-002` after a hyphen) disappears.
 * Apply it to both the text and the fact looked for.
 */
export function folded(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, '')
    .replace(/(?<=\S-) /g, '')
    .trim();
}

export interface PdfWord {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

export interface PdfPageWords {
  readonly width: number;
  readonly height: number;
  readonly words: readonly PdfWord[];
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every word of every page with its box in points, from `pdftotext -bbox`. */
export function pdfWords(pdf: Buffer): PdfPageWords[] {
  const html = run('pdftotext', ['-bbox'], pdf) as string;
  const pages: PdfPageWords[] = [];
  for (const page of html.split('<page ').slice(1)) {
    const size = /^width="([\d.]+)" height="([\d.]+)"/.exec(page);
    const words: PdfWord[] = [];
    for (const m of page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      words.push({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: unescape(m[5] as string) });
    }
    pages.push({ width: Number(size?.[1] ?? 0), height: Number(size?.[2] ?? 0), words });
  }
  return pages;
}

/** One page as RGB pixels at `dpi` (poppler's PPM output, parsed here). */
export function pdfPixels(pdf: Buffer, page: number, dpi = 36): { width: number; height: number; rgb: Buffer } {
  // Without an output root, pdftoppm writes the page to stdout.
  const ppm = run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page)], pdf, 'buffer', []) as Buffer;
  // P6 <width> <height> <maxval> then binary RGB; header fields are separated by single white space.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not produce a PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: ppm.subarray(header[0].length, header[0].length + width * height * 3) };
}

/** How many pixels are within `tolerance` of `hex` on each channel. */
export function countColour(pixels: { rgb: Buffer }, hex: string, tolerance = 10): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let n = 0;
  for (let i = 0; i + 2 < pixels.rgb.length; i += 3) {
    if (Math.abs((pixels.rgb[i] as number) - r) <= tolerance && Math.abs((pixels.rgb[i + 1] as number) - g) <= tolerance && Math.abs((pixels.rgb[i + 2] as number) - b) <= tolerance) n++;
  }
  return n;
}

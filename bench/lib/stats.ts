import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Summary of a set of samples (milliseconds or rates). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentile by nearest rank on a sorted copy. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median, p95, p99 and friends of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    min: s[0] ?? Number.NaN,
    median: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? Number.NaN,
    mean,
  };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** One benchmark's report: rows of a table plus free-form notes; written as JSON and Markdown. */
export interface BenchReport {
  readonly name: string;
  readonly dataset: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  readonly notes: readonly string[];
}

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

/** Write `report` to bench/results/<name>.json and .md, and print the Markdown. */
export function writeReport(report: BenchReport): string {
  mkdirSync(resultsDir, { recursive: true });
  const fmt = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const md = [
    `# ${report.name}`,
    '',
    `Dataset: ${report.dataset}`,
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${availableParallelism()} CPUs; run at ${new Date().toISOString()}`,
    '',
    `| ${report.columns.join(' | ')} |`,
    `| ${report.columns.map(() => '---').join(' | ')} |`,
    ...report.rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  writeFileSync(join(resultsDir, `${report.name}.md`), md);
  writeFileSync(join(resultsDir, `${report.name}.json`), JSON.stringify({ ...report, at: new Date().toISOString(), node: process.version }, null, 2));
  process.stdout.write(md);
  return md;
}

/** The highest RSS of this process, sampled every 50 ms while switched on (unlike maxRSS, it can cover one phase only). */
export function rssSampler(): { on(): void; off(): void; maxMiB(): number; stop(): void } {
  let active = false;
  let max = 0;
  const sample = (): void => {
    if (active) max = Math.max(max, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 50);
  timer.unref();
  return {
    on: () => {
      active = true;
      sample();
    },
    off: () => {
      sample();
      active = false;
    },
    maxMiB: () => Math.round((max / 1024 / 1024) * 10) / 10,
    stop: () => clearInterval(timer),
  };
}

/**
 * GS1 library throughput: `npm run bench -- gs1 [--runs N] [--seconds S] [--labels N] [--sheet-runs N] [--threads N]`.
 *
 * - parseAnyCode on a realistic mix of 4,096 codes (Digital Link URLs on several hosts, bracketed
 *   and raw element strings, scanner output with symbology identifiers, EAN-13 scans, bare GTINs
 *   and SSCCs, EPC URIs, batch codes), generated from a fixed seed;
 * - Digital Link URI → element string and element string → Digital Link URI on unit-level codes
 *   (GTIN, batch, serial, expiry);
 * - one PDF sheet of N (default 1,000) A4 3×8 unit labels with QR Codes, end to end.
 *
 * Each throughput run lasts `--seconds` (default 1) after a warm-up; every run is cut into batches
 * of 1,000 operations whose per-operation latency gives the p95. Medians are over runs.
 * Results: bench/results/gs1.md and gs1.json.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseAnyCode } from '../src/core/gs1/any-code.ts';
import { gs1CheckDigit } from '../src/core/gs1/check-digit.ts';
import { buildDigitalLink, parseDigitalLink } from '../src/core/gs1/digital-link.ts';
import { formatRaw, GS, parseRaw } from '../src/core/gs1/element-string.ts';
import { sequentialSerials } from '../src/labels/label-content.ts';
import { renderLabelSheet } from '../src/labels/label-sheet.ts';
import { percentile, summarize, writeReport } from './lib/stats.ts';

interface Options {
  readonly runs: number;
  readonly seconds: number;
  readonly labels: number;
  readonly sheetRuns: number;
  readonly threads: number | undefined;
}

function parseOptions(args: readonly string[]): Options {
  const get = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string, d: number): number => {
    const v = get(name);
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const threads = get('threads');
  return { runs: num('runs', 7), seconds: num('seconds', 1), labels: num('labels', 1000), sheetRuns: num('sheet-runs', 5), threads: threads === undefined ? undefined : num('threads', 1) };
}

/** A small deterministic PRNG (mulberry32), so every run parses the same codes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

const withCheck = (body: string): string => body + String(gs1CheckDigit(body));

/** Realistic codes as trace, POS checks and the consumer page receive them. */
function mixedCodes(n: number): string[] {
  const rand = prng(20251215);
  const hosts = ['https://id.gs1.org', 'https://lot.example.cn', 'https://brand.example.com/p', 'HTTPS://ID.GS1.ORG'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const gtin = withCheck(`0952${digits(rand, 9)}`);
    const lot = `25${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}15-CS-AM-${String(1 + Math.floor(rand() * 999)).padStart(3, '0')}`;
    const serial = String(100000 + Math.floor(rand() * 900000));
    const expiry = `26${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const sscc = withCheck(`3952012${digits(rand, 10)}`);
    switch (i % 12) {
      case 0:
      case 1:
      case 2:
        out.push(`${hosts[i % hosts.length] as string}/01/${gtin}/10/${lot}/21/${serial}?17=${expiry}`);
        break;
      case 3:
        out.push(`(01)${gtin}(17)${expiry}(10)${lot}(21)${serial}`);
        break;
      case 4:
        out.push(`]d201${gtin}17${expiry}10${lot}${GS}21${serial}`);
        break;
      case 5:
        out.push(`]C100${sscc}`);
        break;
      case 6:
        out.push(`]E0${gtin.slice(1)}`);
        break;
      case 7:
        out.push(gtin.slice(1));
        break;
      case 8:
        out.push(`urn:epc:id:sgtin:${gtin.slice(1, 8)}.${gtin.slice(0, 1)}${gtin.slice(8, 13)}.${serial}`);
        break;
      case 9:
        out.push(lot);
        break;
      case 10:
        out.push(`01${gtin}17${expiry}10${lot}${GS}21${serial}`);
        break;
      default:
        out.push(`https://id.gs1.org/00/${sscc}`);
    }
  }
  return out;
}

interface Throughput {
  readonly perSecond: number[];
  /** Operations per second of CPU time used by this process: unaffected by other load on the machine. */
  readonly perCpuSecond: number[];
  readonly batchNsPerOp: number[];
}

/** CPU time (user + system) used by this process so far, all threads, in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Run `op` over `inputs` repeatedly for `seconds` per run, `runs` times. */
function measure(inputs: readonly string[], op: (s: string) => boolean, o: Options): Throughput {
  const perSecond: number[] = [];
  const perCpuSecond: number[] = [];
  const batchNsPerOp: number[] = [];
  let sink = 0;
  const warmEnd = performance.now() + 300;
  for (let i = 0; performance.now() < warmEnd; i++) if (op(inputs[i % inputs.length] as string)) sink++;
  for (let r = 0; r < o.runs; r++) {
    let done = 0;
    const c0 = cpuMs();
    const t0 = performance.now();
    const end = t0 + o.seconds * 1000;
    let now = t0;
    while (now < end) {
      const b0 = now;
      for (let k = 0; k < 1000; k++) if (op(inputs[(done + k) % inputs.length] as string)) sink++;
      done += 1000;
      now = performance.now();
      batchNsPerOp.push(((now - b0) * 1e6) / 1000);
    }
    perSecond.push((done * 1000) / (now - t0));
    perCpuSecond.push((done * 1000) / (cpuMs() - c0));
  }
  if (sink < 0) process.stdout.write('');
  return { perSecond, perCpuSecond, batchNsPerOp };
}

/** Run the GS1 benchmark and write bench/results/gs1.{md,json}. */
export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const loadBefore = loadavg()[0] ?? 0;
  const codes = mixedCodes(4096);
  const bad = codes.filter((c) => !parseAnyCode(c).ok);
  if (bad.length > 0) throw new Error(`benchmark inputs must all parse; first failure: ${bad[0] as string}`);

  const dls = codes.filter((c) => /^https:\/\/id\.gs1\.org\/01\//.test(c) || /^https:\/\/lot\./.test(c) || /^https:\/\/brand\./.test(c));
  const raws: string[] = [];
  for (const dl of dls) {
    const r = parseDigitalLink(dl);
    if (r.ok) raws.push(formatRaw(r.value.elements));
  }

  const anyCode = measure(codes, (s) => parseAnyCode(s).ok, o);
  const dlToEs = measure(
    dls,
    (s) => {
      const r = parseDigitalLink(s);
      return r.ok && formatRaw(r.value.elements).length > 0;
    },
    o,
  );
  const esToDl = measure(
    raws,
    (s) => {
      const r = parseRaw(s);
      return r.ok && buildDigitalLink(r.value).ok;
    },
    o,
  );

  const sheetMs: number[] = [];
  const sheetCpuMs: number[] = [];
  const units = sequentialSerials(100001, o.labels);
  for (let r = 0; r < o.sheetRuns + 1; r++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const sheet = await renderLabelSheet({
      layout: 'a4-3x8',
      product: { gtin: '09520123456788', nameEn: 'Organic Silken Tofu 500 g', nameZh: '有机嫩豆腐 500克' },
      batch: { code: '251215-CS-AM-001', producedAt: '2025-12-15T08:30+08:00', expiresAt: '2026-01-05T23:59+08:00' },
      units,
      digitalLinkStem: 'https://lot.example.cn',
      ...(o.threads === undefined ? {} : { threads: o.threads }),
    });
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    if (!sheet.ok) throw new Error(`label sheet failed: ${sheet.error.message}`);
    if (r > 0) {
      // The first run loads bwip-js, pdfkit and the font.
      sheetMs.push(ms);
      sheetCpuMs.push(cpu);
    }
  }

  const rows: (readonly (string | number)[])[] = [];
  const add = (name: string, t: Throughput, target: string): void => {
    const lat = [...t.batchNsPerOp].sort((a, b) => a - b);
    rows.push([`${name}: throughput`, Math.round(summarize(t.perSecond).median), Math.round(percentile([...t.perSecond].sort((a, b) => a - b), 5)), 'ops/s wall clock (p95 column: 5th percentile, the slow side)', target]);
    rows.push([`${name}: throughput per CPU second`, Math.round(summarize(t.perCpuSecond).median), Math.round(percentile([...t.perCpuSecond].sort((a, b) => a - b), 5)), 'ops per CPU-second of this process', target]);
    rows.push([`${name}: latency`, Math.round(percentile(lat, 50)), Math.round(percentile(lat, 95)), 'ns/op, per batch of 1,000', '']);
  };
  add('parseAnyCode, mixed inputs', anyCode, '≥ 500,000/s');
  add('Digital Link → element string', dlToEs, '≥ 300,000/s');
  add('element string → Digital Link', esToDl, '≥ 300,000/s');
  const sheet = summarize(sheetMs);
  rows.push([`PDF label sheet, ${o.labels} A4 3×8 QR labels`, Math.round(sheet.median), Math.round(sheet.p95), 'ms per sheet, wall clock', '< 2,000 ms']);
  const cpuSheet = summarize(sheetCpuMs);
  rows.push([`PDF label sheet, ${o.labels} labels: CPU time, all threads`, Math.round(cpuSheet.median), Math.round(cpuSheet.p95), 'CPU-ms per sheet (÷ threads ≈ wall clock on an idle machine)', '']);
  writeReport({
    name: 'gs1',
    dataset: `${codes.length} mixed codes (seed 20251215), ${dls.length} unit Digital Links, ${raws.length} element strings; ${o.runs} runs of ${o.seconds} s; label sheet of ${o.labels} A4 3x8 QR labels, ${o.sheetRuns} runs after one warm-up`,
    columns: ['benchmark', 'median', 'p95', 'unit', 'target'],
    rows,
    notes: [
      `CPU: ${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()}; symbol encoding uses ${o.threads ?? availableParallelism()} thread(s).`,
      `1-minute load average ${loadBefore.toFixed(2)} before and ${(loadavg()[0] ?? 0).toFixed(2)} after: other processes on the machine slow every figure, the label sheet most (it uses all cores).`,
      'Element strings use GS as FNC1; Digital Links are generated on the canonical stem https://id.gs1.org.',
    ],
  });
}

/**
 * The trace report (`GET /api/trace`) as files a QA manager keeps or forwards during a recall:
 *
 * - **CSV**: one sortable table (UTF-8 with BOM, RFC 4180, via csv-writer.ts). A `section` column
 *   says what each row is (query, node, raw_lot, batch, shipment, location, qc, environment); the
 *   columns are the same for every section, so a spreadsheet filter on `section` gives each table.
 *   Headings are bilingual (`section / 分类`) whatever the request's language, so a file reads the
 *   same for everyone it is forwarded to and scripts can rely on it. Values stay machine-readable:
 *   full identifiers, CBV words, UN/CEFACT units, times in RFC 3339 with the chosen offset.
 * - **PDF**: an A4 report with Chinese and English captions side by side (pdfkit, the CJK font of
 *   cjk-font.ts). Without a CJK font it is rendered, as label sheets are, with the standard fonts,
 *   English captions and Chinese text left out, and a warning says so.
 */
import type { CjkFontLookup } from '../../labels/cjk-font.ts';
import { openA4Document } from '../pdf/pdf-writer.ts';
import { UTF8_BOM, csvField, csvLine } from '../exports/csv-writer.ts';
import type { CellValue, ColumnKind, SheetColumn } from '../exports/sheet-columns.ts';
import { localName } from './derive.ts';
import { type ExcursionLimit, typeMatches } from './scope.ts';
import type { BatchInfo, LocationQuantities, QcRecord, SensorReading, TraceDirection, TraceNode, TraceNodeKind, TracePlace, TraceReport } from './types.ts';

/** What `GET /api/trace` answers with. */
export type TraceExportFormat = 'json' | 'csv' | 'pdf';

export const TRACE_EXPORT_FORMATS: readonly TraceExportFormat[] = ['json', 'csv', 'pdf'];

/** How to render a report; only `generatedAt` is required. */
export interface TraceExportOptions {
  /** When the report was made (the title shows it; the file name uses it unless the report is as of a time). */
  readonly generatedAt: Date;
  /** Offset times are shown in, `±HH:MM`; default `+08:00`. */
  readonly timeZoneOffset?: string;
  /** Environmental limits (the organisation's excursion limits): readings outside them are flagged. */
  readonly limits?: readonly ExcursionLimit[];
  /** Where to find a CJK font for the PDF; defaults to LOTLINE_CJK_FONT, then Debian font packages. */
  readonly cjkFont?: CjkFontLookup;
}

/** A rendered export, ready to send. */
export interface TraceExportFile {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: Buffer;
  /** Things to tell the user, e.g. that Chinese text was left out for lack of a font. */
  readonly warnings: readonly string[];
}

const DEFAULT_OFFSET = '+08:00';

/**
 * The format asked for: the `format` parameter, else the best of `text/csv`, `application/pdf` and
 * JSON in the Accept header (by q-value, then order), else JSON.
 * @example traceExportFormat(undefined, 'application/pdf, application/json;q=0.5') // 'pdf'
 */
export function traceExportFormat(format: TraceExportFormat | undefined, accept: string | undefined): TraceExportFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q === undefined ? 1 : Number(q.slice(2)), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === 'text/csv') return 'csv';
    if (r.type === 'application/pdf') return 'pdf';
    if (r.type === 'application/json' || r.type.endsWith('+json') || r.type === 'application/*' || r.type === '*/*') return 'json';
  }
  return 'json';
}

/** Render a report as CSV or PDF. */
export async function exportTraceReport(report: TraceReport, format: Exclude<TraceExportFormat, 'json'>, options: TraceExportOptions): Promise<TraceExportFile> {
  const fileName = traceExportFileName(report, format, options);
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8; header=present', fileName, body: Buffer.from(traceCsv(report, options), 'utf8'), warnings: [] };
  const pdf = await traceReportPdf(report, options);
  return { contentType: 'application/pdf', fileName, body: pdf.pdf, warnings: pdf.warnings };
}

/**
 * `trace-{code}-{YYYYMMDD}-{HHMM}.{ext}`: the code in a short ASCII form (GTIN and lot or serial,
 * SSCC, or the code itself), and the as-of time of the report, else when it was made.
 * @example traceExportFileName(report, 'pdf', { generatedAt }) // 'trace-06901234100037-B1-20250905-1430.pdf'
 */
export function traceExportFileName(report: TraceReport, format: Exclude<TraceExportFormat, 'json'>, options: TraceExportOptions): string {
  const node = report.query.node;
  const dl = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/(?:10|21)\/([^/?#]+)$/.exec(node);
  const sscc = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/.exec(node);
  const raw = dl ? `${dl[1]}-${decodeURIComponent(dl[2] as string)}` : sscc ? (sscc[1] as string) : report.query.code;
  const code = raw.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|[_.]+$/g, '').slice(0, 80) || 'code';
  const at = local(report.query.asOf ?? options.generatedAt.toISOString(), offsetOf(options));
  return `trace-${code}-${at.date.replace(/-/g, '')}-${at.time.slice(0, 5).replace(':', '')}.${format}`;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

const offsetOf = (o: TraceExportOptions): string => o.timeZoneOffset ?? DEFAULT_OFFSET;

function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Date `YYYY-MM-DD` and time `HH:MM:SS` of an instant at a fixed offset. */
function local(iso: string, offset: string): { date: string; time: string } {
  const shifted = new Date(Date.parse(iso) + offsetMinutes(offset) * 60_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 19) };
}

/** RFC 3339 at the offset: `2025-09-05T08:00:00+08:00` (sorts as text, since the offset is fixed). */
function rfc3339(iso: string | null, offset: string): string | null {
  if (iso === null) return null;
  const t = local(iso, offset);
  return `${t.date}T${t.time}${offset === '+00:00' ? 'Z' : offset}`;
}


/** The limit a reading breaks, if any. */
function brokenLimit(r: SensorReading, limits: readonly ExcursionLimit[]): ExcursionLimit | null {
  if (r.value === null) return null;
  const v = r.value;
  return limits.find((l) => typeMatches(l.type, r.type) && ((l.max !== undefined && v > l.max) || (l.min !== undefined && v < l.min))) ?? null;
}

/** The limits that apply to a reading's type, as text: `min 2, max 8`. */
function limitText(r: SensorReading, limits: readonly ExcursionLimit[]): string | null {
  const own = limits.filter((l) => typeMatches(l.type, r.type));
  const parts = own.flatMap((l) => [l.min === undefined ? null : `min ${l.min}`, l.max === undefined ? null : `max ${l.max}`]).filter((x): x is string => x !== null);
  return parts.length ? parts.join(', ') : null;
}

/** Why a reading is flagged: the sensor's own alarm, else `over_limit`. */
function readingStatus(r: SensorReading, limits: readonly ExcursionLimit[]): string | null {
  return r.exception ?? (brokenLimit(r, limits) ? 'over_limit' : null);
}

/** Process parameters as `name=value` texts; sensor reports as `Type value uom`. */
function parameterTexts(parameters: Readonly<Record<string, unknown>>, short: boolean): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (key === 'sensorElementList' && Array.isArray(value)) {
      for (const element of value as { sensorReport?: { type?: string; value?: unknown; uom?: string }[] }[]) {
        for (const r of element.sensorReport ?? []) out.push(`${localName(r.type ?? 'sensor')}=${r.value ?? ''}${r.uom ? ` ${r.uom}` : ''}`);
      }
      continue;
    }
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    out.push(`${short ? localName(key) : key}=${text}`);
  }
  return out;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The report with raw lots, batches and shipments in a stable order (the trace engine leaves ties
 * in database order, which differs between engines): by lot; by production time, then lot; by
 * time, then origin, destination and event.
 */
function inOrder(r: TraceReport): TraceReport {
  return {
    ...r,
    rawLots: [...r.rawLots].sort((a, b) => compare(a.lot, b.lot)),
    batches: [...r.batches].sort((a, b) => compare(a.producedAt, b.producedAt) || compare(a.lot, b.lot)),
    shipments: [...r.shipments].sort((a, b) => compare(a.time, b.time) || compare(a.from?.id ?? '', b.from?.id ?? '') || compare(a.to?.id ?? '', b.to?.id ?? '') || compare(a.eventId, b.eventId)),
  };
}

/** Every place the report names, by identifier. */
function placeIndex(r: TraceReport): Map<string, TracePlace> {
  const places = new Map<string, TracePlace>();
  const add = (p: TracePlace | null) => {
    if (p !== null && (!places.has(p.id) || p.name !== null)) places.set(p.id, p);
  };
  for (const l of r.rawLots) add(l.supplier);
  for (const b of r.batches) [b.line, b.plant].forEach(add);
  for (const s of r.shipments) [s.from, s.to].forEach(add);
  for (const l of r.locations) add(l.place);
  return places;
}

/** Units per state, summed over places, per unit of measure (`null`: units). */
function totalsByUom(locations: readonly LocationQuantities[]): Map<string | null, Omit<LocationQuantities, 'place' | 'uom'>> {
  const out = new Map<string | null, { -readonly [K in keyof Omit<LocationQuantities, 'place' | 'uom'>]: number }>();
  for (const l of locations) {
    const t = out.get(l.uom) ?? { produced: 0, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0 };
    for (const k of ['produced', 'received', 'shipped', 'sold', 'returned', 'destroyed', 'disposed', 'wasted', 'onHand'] as const) t[k] = round(t[k] + l[k]);
    out.set(l.uom, t);
  }
  return out;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** What each row of the CSV is. */
export type TraceCsvSection = 'query' | 'node' | 'raw_lot' | 'batch' | 'shipment' | 'location' | 'qc' | 'environment';

const CSV_COLUMN_SPECS = [
  ['section', '分类', 'text', 12],
  ['id', '标识', 'text', 48],
  ['kind', '类型', 'text', 14],
  ['direction', '方向', 'text', 11],
  ['depth', '层级', 'number', 6],
  ['link', '关系', 'text', 10],
  ['gtin', 'GTIN', 'text', 16],
  ['lot', '批号', 'text', 18],
  ['serial', '序列号', 'text', 14],
  ['product_zh', '产品名称(中文)', 'text', 20],
  ['product_en', '产品名称(英文)', 'text', 24],
  ['place', '地点', 'text', 28],
  ['place_id', '地点标识', 'text', 40],
  ['city', '城市', 'text', 10],
  ['to_place', '目的地', 'text', 28],
  ['to_place_id', '目的地标识', 'text', 40],
  ['to_city', '目的地城市', 'text', 10],
  ['time', '时间', 'text', 26],
  ['end_time', '结束时间', 'text', 26],
  ['quantity', '数量', 'number', 10],
  ['uom', '单位', 'text', 6],
  ['produced', '生产', 'number', 9],
  ['received', '收货', 'number', 9],
  ['shipped', '发出', 'number', 9],
  ['sold', '售出', 'number', 9],
  ['returned', '退回', 'number', 9],
  ['destroyed', '销毁', 'number', 9],
  ['disposed', '处置', 'number', 9],
  ['wasted', '损耗', 'number', 9],
  ['on_hand', '在库', 'number', 9],
  ['vehicle', '车辆', 'text', 34],
  ['line', '产线', 'text', 28],
  ['shift', '班次', 'text', 8],
  ['operators', '操作员', 'text', 16],
  ['equipment', '设备', 'text', 20],
  ['session', '会话', 'text', 14],
  ['work_orders', '工单', 'text', 24],
  ['inputs', '投入', 'text', 48],
  ['parameters', '工艺参数', 'text', 30],
  ['value', '读数', 'number', 9],
  ['min', '最小值', 'number', 9],
  ['max', '最大值', 'number', 9],
  ['limit', '限值', 'text', 14],
  ['status', '状态', 'text', 16],
  ['related', '关联', 'text', 40],
  ['event_id', '事件标识', 'text', 48],
  ['path', '路径', 'text', 80],
] as const satisfies readonly (readonly [string, string, ColumnKind, number])[];

/** A column of the trace CSV. */
export type TraceCsvKey = (typeof CSV_COLUMN_SPECS)[number][0];

/** One row of the trace CSV: the cells it fills (the others are empty). */
export type TraceCsvRow = Readonly<{ section: TraceCsvSection } & Partial<Record<Exclude<TraceCsvKey, 'section'>, CellValue>>>;

/** The columns of the trace CSV, headed `english / 中文`. */
export const TRACE_CSV_COLUMNS: readonly (SheetColumn<TraceCsvRow> & { readonly key: TraceCsvKey })[] = CSV_COLUMN_SPECS.map(([key, zh, kind, width]) => ({
  key,
  header: key === zh.toLowerCase() ? key : `${key} / ${zh}`,
  kind,
  width,
  value: (row: TraceCsvRow) => row[key] ?? null,
}));

/** The report as CSV text: BOM, heading line, one CRLF-terminated record per row. */
export function traceCsv(report: TraceReport, options: TraceExportOptions): string {
  let out = UTF8_BOM + csvLine(TRACE_CSV_COLUMNS.map((c) => csvField(c.header)));
  for (const row of traceCsvRows(report, options)) out += csvLine(TRACE_CSV_COLUMNS.map((c) => csvField(c.value(row), c.kind)));
  return out;
}

/** The rows of the CSV, section by section in the order of TraceCsvSection, each section in a stable order. */
export function traceCsvRows(unordered: TraceReport, options: TraceExportOptions): TraceCsvRow[] {
  const report = inOrder(unordered);
  const offset = offsetOf(options);
  const limits = options.limits ?? [];
  const time = (iso: string | null) => rfc3339(iso, offset);
  const places = placeIndex(report);
  const nodes = new Map(report.nodes.map((n) => [n.id, n]));
  const pathOf = (id: string) => {
    const n = nodes.get(id);
    return n ? n.path.map((s) => s.node).join(' > ') : null;
  };
  const list = (xs: readonly string[]) => (xs.length ? xs.join('; ') : null);
  const where = (p: TracePlace | null) => (p === null ? {} : { place: p.name, place_id: p.id, city: p.city });
  const whereTo = (p: TracePlace | null) => (p === null ? {} : { to_place: p.name, to_place_id: p.id, to_city: p.city });
  const lotCells = (l: { lot: string; gtin: string | null; lotNumber: string | null; productName: TraceNode['productName'] }) => ({
    gtin: l.gtin,
    lot: l.lotNumber,
    product_zh: l.productName?.zh ?? null,
    product_en: l.productName?.en ?? null,
  });
  const readingCells = (r: SensorReading) => ({
    kind: localName(r.type),
    time: time(r.time),
    value: r.value,
    min: r.minValue,
    max: r.maxValue,
    uom: r.uom,
    limit: limitText(r, limits),
    status: readingStatus(r, limits),
    related: r.deviceId,
    place_id: r.place,
    place: r.place === null ? null : (places.get(r.place)?.name ?? null),
  });
  const qcRow = (lot: string, lotInfo: ReturnType<typeof lotCells>, q: QcRecord): TraceCsvRow => ({
    section: 'qc',
    id: lot,
    ...lotInfo,
    kind: q.bizStep,
    status: q.disposition,
    time: time(q.time),
    place_id: q.place,
    place: q.place === null ? null : (places.get(q.place)?.name ?? null),
    related: list(q.certifications),
    event_id: q.eventId,
  });

  const rows: TraceCsvRow[] = [];
  const q = report.query;
  rows.push({ section: 'query', id: q.node, kind: q.kind, direction: q.direction, related: q.code, time: time(q.asOf) });
  for (const n of report.nodes) {
    const last = n.path[n.path.length - 1];
    rows.push({
      section: 'node',
      id: n.id,
      kind: n.kind,
      direction: n.direction,
      depth: n.depth,
      link: last?.link ?? null,
      gtin: n.gtin,
      lot: n.lot,
      serial: n.serial,
      product_zh: n.productName?.zh ?? null,
      product_en: n.productName?.en ?? null,
      event_id: last?.eventId ?? null,
      path: pathOf(n.id),
    });
  }
  for (const l of report.rawLots) {
    const base: TraceCsvRow = { section: 'raw_lot', id: l.lot, ...lotCells(l), ...where(l.supplier), path: pathOf(l.lot) };
    if (l.received.length === 0) rows.push(base);
    for (const r of l.received) {
      const at = r.place === null ? null : (places.get(r.place) ?? null);
      rows.push({ ...base, time: time(r.time), quantity: r.quantity, uom: r.uom, to_place: at?.name ?? null, to_place_id: r.place, to_city: at?.city ?? null });
    }
  }
  for (const b of report.batches) {
    rows.push({
      section: 'batch',
      id: b.lot,
      ...lotCells(b),
      ...where(b.plant),
      line: b.line === null ? null : (b.line.name ?? b.line.id),
      time: time(b.producedAt),
      quantity: b.quantity,
      uom: b.uom,
      shift: b.shift,
      operators: list(b.operators),
      equipment: list(b.equipment),
      session: b.session,
      work_orders: list(b.workOrders),
      inputs: list(b.inputs.map((i) => `${i.node}${i.quantity === null ? '' : ` × ${i.quantity}${i.uom ? ` ${i.uom}` : ''}`}`)),
      parameters: list(parameterTexts(b.parameters, false)),
      event_id: b.eventId,
      path: pathOf(b.lot),
    });
  }
  for (const s of report.shipments) {
    const values = s.temperature.map((t) => t.value).filter((v): v is number => v !== null);
    rows.push({
      section: 'shipment',
      id: s.eventId,
      ...where(s.from),
      ...whereTo(s.to),
      time: time(s.time),
      end_time: time(s.receivedAt),
      quantity: s.units,
      vehicle: s.vehicle,
      min: values.length ? Math.min(...values) : null,
      max: values.length ? Math.max(...values) : null,
      uom: s.temperature.find((t) => t.uom !== null)?.uom ?? null,
      status: s.receivedAt === null ? 'not_received' : 'received',
      related: list(s.items),
      event_id: s.eventId,
    });
  }
  for (const l of report.locations) {
    rows.push({
      section: 'location',
      id: l.place.id,
      kind: l.place.type,
      ...where(l.place),
      uom: l.uom,
      produced: l.produced,
      received: l.received,
      shipped: l.shipped,
      sold: l.sold,
      returned: l.returned,
      destroyed: l.destroyed,
      disposed: l.disposed,
      wasted: l.wasted,
      on_hand: l.onHand,
    });
  }
  for (const l of report.rawLots) for (const c of l.qc) rows.push(qcRow(l.lot, lotCells(l), c));
  for (const b of report.batches) for (const c of b.qc) rows.push(qcRow(b.lot, lotCells(b), c));
  for (const b of report.batches) for (const r of b.environment) rows.push({ section: 'environment', id: b.lot, ...lotCells(b), ...readingCells(r), event_id: b.eventId });
  for (const s of report.shipments) for (const r of s.temperature) rows.push({ section: 'environment', id: s.eventId, ...readingCells(r), vehicle: s.vehicle, event_id: s.eventId });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

/** A rendered PDF report. */
export interface TracePdf {
  readonly pdf: Buffer;
  readonly pages: number;
  readonly warnings: readonly string[];
}

const PAGE = { width: 595.28, height: 841.89, top: 40, bottom: 50, left: 36, right: 36 } as const;
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const PAD = 3;
const INK = '#1a1a1a';
const MUTED = '#5f6368';
const ACCENT = '#1f4e79';
const RULE = '#c9ced6';
const HEADER_FILL = '#e6ecf2';
const ALERT_FILL = '#fbe1de';
const ALERT_INK = '#a61b1b';
const TOTAL_FILL = '#eef0f2';

const DIRECTION_ZH: Readonly<Record<TraceDirection | TraceNode['direction'], string>> = { upstream: '上游', downstream: '下游', both: '上下游', origin: '起点' };
const KIND_ZH: Readonly<Record<TraceNodeKind, string>> = { lot: '批次', unit: '单品', container: '容器', transformation: '生产', product: '产品' };
/** UN/CEFACT common codes shown as symbols in the PDF. */
const UOM_SYMBOLS: Readonly<Record<string, string>> = { P1: '%', CEL: '°C', FAH: '°F', KGM: 'kg', GRM: 'g', LTR: 'L', MLT: 'mL', H87: 'pcs', EA: 'pcs', KEL: 'K', MTR: 'm' };
const READING_ZH: Readonly<Record<string, string>> = {
  Temperature: '温度', RelativeHumidity: '相对湿度', Humidity: '湿度', AbsoluteHumidity: '绝对湿度', Pressure: '压力', Illuminance: '照度', Speed: '速度', Weight: '重量', Mass: '质量', Time: '时间',
};

interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
}

interface TableRow {
  readonly cells: readonly string[];
  readonly tone?: 'alert' | 'total';
}

/**
 * Render the report as an A4 PDF: title, summary, raw lots, batches (with their environment),
 * shipments, quantities per place and the path of every node. Tables continue on new pages with
 * their heading row repeated. A missing CJK font is a warning, not an error.
 * @example const { pdf } = await traceReportPdf(report, { generatedAt: new Date(), limits: rules.excursionLimits });
 */
export async function traceReportPdf(report: TraceReport, options: TraceExportOptions): Promise<TracePdf> {
  const warnings: string[] = [];
  const { doc, cjk, warnings: opened, finish } = openA4Document({ title: `Trace report ${report.query.code}`, subject: `${report.query.direction} trace of ${report.query.node}`, createdAt: options.generatedAt, ...(options.cjkFont ? { cjkFont: options.cjkFont } : {}) });
  warnings.push(...opened);
  drawReport(doc, inOrder(report), options, cjk);
  const pages = doc.bufferedPageRange().count;
  return { pdf: await finish(), pages, warnings };
}

/** Everything drawn, page by page. */
function drawReport(doc: PDFKit.PDFDocument, report: TraceReport, options: TraceExportOptions, cjk: boolean): void {
  const regular = cjk ? 'cjk' : 'Helvetica';
  const strong = cjk ? 'cjk' : 'Helvetica-Bold';
  const offset = offsetOf(options);
  const limits = options.limits ?? [];
  const places = placeIndex(report);
  const nodes = new Map(report.nodes.map((n) => [n.id, n]));
  const arrow = cjk ? ' → ' : ' > ';
  const bottom = PAGE.height - PAGE.bottom;
  let y = PAGE.top;
  /** The caption of the section being drawn, repeated above a table continued on a new page. */
  let section = '';

  /** Text the font can draw: without a CJK font, characters outside Latin-1 are left out (and the separators left dangling). */
  const clean = (s: string): string => {
    if (cjk) return s;
    const kept = s.replace(/[^\u0000-\u00ff\u2013\u2014\u2026]+/g, '');
    return kept === s ? s : kept.replace(/\(\s*\)/g, '').replace(/^[ /|,;·]+|[ /|,;·(]+$/gm, '').replace(/ {2,}/g, ' ').trim();
  };
  /** A caption: Chinese and English side by side, English alone without a CJK font. */
  const cap = (zh: string, en: string): string => (cjk ? `${zh} ${en}` : en);
  /** A table heading: Chinese over English. */
  const head = (zh: string, en: string): string => (cjk ? `${zh}\n${en}` : en);
  const when = (iso: string | null): string => {
    if (iso === null) return '—';
    const t = local(iso, offset);
    return `${t.date} ${t.time.endsWith(':00') ? t.time.slice(0, 5) : t.time}`;
  };
  const uom = (u: string | null): string => (u === null ? '' : (UOM_SYMBOLS[u] ?? u));
  const qty = (n: number | null, u: string | null): string => (n === null ? '?' : `${fmt(n)}${u ? ` ${uom(u)}` : ''}`);
  const shortId = (id: string): string => {
    const m = /^https:\/\/id\.gs1\.org\/(\d{2,4})\/([^/?#]+)(?:\/(10|21|254)\/([^/?#]+))?$/.exec(id);
    if (!m) return id;
    const [, ai, key, sub, rest] = m;
    const value = rest === undefined ? '' : decodeURIComponent(rest);
    switch (ai) {
      case '414':
      case '417':
        return `GLN ${key}${sub === '254' ? ` ext ${value}` : ''}`;
      case '00':
        return `SSCC ${key}`;
      case '8004':
        return `GIAI ${decodeURIComponent(key as string)}`;
      case '8003':
        return `GRAI ${decodeURIComponent(key as string)}`;
      case '01':
        return sub === '10' ? `${key} lot ${value}` : sub === '21' ? `${key} SN ${value}` : `GTIN ${key}`;
      default:
        return id;
    }
  };
  /** A master-data name (`中文 / English`): without a CJK font, the parts the font can draw. */
  const nameText = (name: string): string => {
    if (cjk) return name;
    const drawable = name.split(' / ').filter((part) => clean(part) === part.trim());
    return drawable.length ? drawable.join(' / ') : clean(name);
  };
  const placeName = (p: TracePlace | null): string => {
    if (p === null) return '—';
    const name = p.name === null ? '' : nameText(p.name);
    return name === '' ? shortId(p.id) : name;
  };
  const placeWithCity = (p: TracePlace | null): string => {
    const city = p?.city ? clean(p.city) : '';
    return city === '' ? placeName(p) : `${placeName(p)} (${city})`;
  };
  /** In a table cell: the name, and the city on a line of its own. */
  const placeCell = (p: TracePlace | null): string => {
    const city = p?.city ? clean(p.city) : '';
    return city === '' ? placeName(p) : `${placeName(p)}\n${city}`;
  };
  const placeById = (id: string | null): string => (id === null ? '—' : placeWithCity(places.get(id) ?? { id, name: null, type: null, city: null, region: null }));
  const product = (p: TraceNode['productName']): string => {
    if (p === null) return '';
    return [p.zh === null ? '' : clean(p.zh), p.en ?? ''].filter((x) => x !== '').join(' ');
  };
  /** A node in a few words: lot B1, unit 1003, SSCC …, production of B1. */
  const nodeLabel = (id: string): string => {
    const n = nodes.get(id);
    if (id.startsWith('tx:')) {
      const made = report.batches.filter((b) => `tx:${b.eventId}` === id).map((b) => b.lotNumber ?? b.lot);
      return made.length ? cap(`生产 ${made.join(', ')}`, `making of ${made.join(', ')}`) : cap('生产', `transformation ${id.slice(3, 40)}…`);
    }
    const dl = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/(10|21)\/([^/?#]+)$/.exec(id);
    const lot = n?.lot ?? (dl?.[1] === '10' ? decodeURIComponent(dl[2] as string) : null);
    const serial = n?.serial ?? (dl?.[1] === '21' ? decodeURIComponent(dl[2] as string) : null);
    if (lot !== null) return cap('批次', `lot ${lot}`);
    if (serial !== null) return cap('单品', `unit ${serial}`);
    return shortId(id);
  };

  // ---- drawing primitives ------------------------------------------------------------------
  const newPage = (): void => {
    doc.addPage({ size: 'A4', margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right } });
    y = PAGE.top;
  };
  const ensure = (height: number): void => {
    if (y + height > bottom) newPage();
  };
  const paragraph = (text: string, size = 8.5, color = INK): void => {
    doc.font(regular).fontSize(size);
    const h = doc.heightOfString(clean(text) || ' ', { width: CONTENT_WIDTH });
    ensure(h);
    doc.fillColor(color).text(clean(text), PAGE.left, y, { width: CONTENT_WIDTH });
    y += h + 3;
  };
  /** A section heading with an accent bar; keeps `keep` points below it on the same page. */
  const heading = (zh: string, en: string, keep = 60, size = 12.5): void => {
    ensure(size + 12 + keep);
    y += 8;
    doc.rect(PAGE.left, y + 1, 3, size).fill(ACCENT);
    section = cap(zh, en);
    doc.font(strong).fontSize(size).fillColor(ACCENT).text(section, PAGE.left + 8, y, { width: CONTENT_WIDTH - 8, lineBreak: false });
    y += size + 8;
  };
  const rowHeight = (cells: readonly string[], columns: readonly TableColumn[], size: number, font: string): number => {
    doc.font(font).fontSize(size);
    const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: (columns[i]?.width ?? 0) - 2 * PAD }));
    return Math.min(Math.max(...heights) + 2 * PAD, bottom - PAGE.top - 40);
  };
  const drawRow = (cells: readonly string[], columns: readonly TableColumn[], height: number, size: number, font: string, fill: string | null, color: string): void => {
    if (fill !== null) doc.rect(PAGE.left, y, CONTENT_WIDTH, height).fill(fill);
    let x = PAGE.left;
    columns.forEach((col, i) => {
      doc.font(font).fontSize(size).fillColor(color).text(cells[i] ?? '', x + PAD, y + PAD, { width: col.width - 2 * PAD, height: height - PAD, align: col.align ?? 'left', ellipsis: true });
      x += col.width;
    });
    doc.moveTo(PAGE.left, y + height).lineTo(PAGE.left + CONTENT_WIDTH, y + height).lineWidth(0.4).strokeColor(RULE).stroke();
    y += height;
  };
  /** A table: its heading row is drawn again at the top of every page it continues on. */
  const table = (columns: readonly TableColumn[], rows: readonly TableRow[], size = 7.5, showHeader = true): void => {
    const headers = columns.map((c) => clean(c.header));
    const headerHeight = showHeader ? rowHeight(headers, columns, size - 0.5, strong) : 0;
    const drawHeader = () => {
      if (!showHeader) return;
      doc.moveTo(PAGE.left, y).lineTo(PAGE.left + CONTENT_WIDTH, y).lineWidth(0.6).strokeColor(ACCENT).stroke();
      drawRow(headers, columns, headerHeight, size - 0.5, strong, HEADER_FILL, ACCENT);
    };
    const prepared = rows.map((r) => ({ cells: r.cells.map(clean), tone: r.tone }));
    const first = prepared[0];
    ensure(headerHeight + (first ? rowHeight(first.cells, columns, size, regular) : 0));
    drawHeader();
    for (const row of prepared) {
      const font = row.tone === 'total' ? strong : regular;
      const h = rowHeight(row.cells, columns, size, font);
      if (y + h > bottom) {
        newPage();
        doc.font(regular).fontSize(7.5).fillColor(MUTED).text(clean(`${section} (${cap('续', 'continued')})`), PAGE.left, y, { width: CONTENT_WIDTH, lineBreak: false });
        y += 12;
        drawHeader();
      }
      drawRow(row.cells, columns, h, size, font, row.tone === 'alert' ? ALERT_FILL : row.tone === 'total' ? TOTAL_FILL : null, INK);
    }
    y += 6;
  };
  const keyValues = (pairs: readonly (readonly [string, string])[], size = 8): void => {
    table([{ header: '', width: 130 }, { header: '', width: CONTENT_WIDTH - 130 }], pairs.map(([k, v]) => ({ cells: [k, v] })), size, false);
  };
  const columns = (spec: readonly (readonly [string, number, ('left' | 'right')?])[]): TableColumn[] => {
    const fixed = spec.reduce((s, [, w]) => s + w, 0);
    // The first column takes what is left of the page width.
    return spec.map(([header, width, align], i) => ({ header, width: i === 0 ? width + (CONTENT_WIDTH - fixed) : width, align: align ?? 'left' }));
  };

  // ---- title ---------------------------------------------------------------------------------
  newPage();
  const q = report.query;
  doc.font(strong).fontSize(18).fillColor(ACCENT).text(cap('追溯报告', 'Trace report'), PAGE.left, y, { width: CONTENT_WIDTH });
  y += 26;
  doc.font(regular).fontSize(11).fillColor(INK).text(clean(q.code), PAGE.left, y, { width: CONTENT_WIDTH });
  y += doc.heightOfString(clean(q.code), { width: CONTENT_WIDTH }) + 6;
  const zone = `UTC${offset}`;
  keyValues([
    [cap('解析为', 'Resolved to'), `${q.node} (${cap(KIND_ZH[q.kind], q.kind)})`],
    [cap('方向', 'Direction'), cap(DIRECTION_ZH[q.direction], q.direction)],
    [cap('截至', 'As of'), q.asOf === null ? cap('当前(全部已知记录)', 'now (everything recorded)') : `${when(q.asOf)} ${zone}`],
    [cap('生成时间', 'Generated'), `${when(options.generatedAt.toISOString())} ${zone}`],
    [cap('时区', 'Times in'), zone],
  ]);

  // ---- summary -------------------------------------------------------------------------------
  const overLimit = [...report.batches.flatMap((b) => b.environment), ...report.shipments.flatMap((s) => s.temperature)].filter((r) => readingStatus(r, limits) !== null).length;
  const notReceived = report.shipments.filter((s) => s.receivedAt === null).length;
  const cities = new Set(report.locations.map((l) => l.place.city).filter((c) => c !== null));
  heading('摘要', 'Summary');
  table(
    columns([
      [head('节点', 'Nodes'), 0, 'right'],
      [head('原料批次', 'Raw lots'), 62, 'right'],
      [head('生产批次', 'Batches'), 62, 'right'],
      [head('发运', 'Shipments'), 62, 'right'],
      [head('地点', 'Places'), 62, 'right'],
      [head('城市', 'Cities'), 62, 'right'],
      [head('未收货发运', 'Not received'), 70, 'right'],
      [head('异常读数', 'Readings flagged'), 70, 'right'],
    ]),
    [{ cells: [report.nodes.length, report.rawLots.length, report.batches.length, report.shipments.length, new Set(report.locations.map((l) => l.place.id)).size, cities.size, notReceived, overLimit].map(String), tone: overLimit + notReceived > 0 ? 'alert' : undefined }],
  );
  const totals = totalsByUom(report.locations);
  if (totals.size > 0) {
    table(
      columns([
        [head('单位', 'Unit'), 0],
        [head('生产', 'Produced'), 52, 'right'],
        [head('收货', 'Received'), 52, 'right'],
        [head('发出', 'Shipped'), 52, 'right'],
        [head('售出', 'Sold'), 52, 'right'],
        [head('退回', 'Returned'), 52, 'right'],
        [head('销毁', 'Destroyed'), 52, 'right'],
        [head('处置/损耗', 'Disposed/wasted'), 62, 'right'],
        [head('在库', 'On hand'), 52, 'right'],
      ]),
      [...totals].map(([u, t]) => ({ cells: [u === null ? cap('件', 'units') : uom(u), ...[t.produced, t.received, t.shipped, t.sold, t.returned, t.destroyed, round(t.disposed + t.wasted), t.onHand].map(fmt)] })),
    );
  }
  if (overLimit > 0 || notReceived > 0) {
    if (overLimit > 0) paragraph(cap(`${overLimit} 条读数超出限值或报警(见红色行)`, `${overLimit} reading(s) outside limits or alarmed (red rows)`), 8, ALERT_INK);
    if (notReceived > 0) paragraph(cap(`${notReceived} 次发运尚无收货记录`, `${notReceived} shipment(s) with no receipt recorded`), 8, ALERT_INK);
  }

  // ---- raw lots ------------------------------------------------------------------------------
  heading('原料批次', 'Raw lots');
  if (report.rawLots.length === 0) paragraph(cap('无', 'None in this trace.'), 8.5, MUTED);
  else {
    table(
      columns([
        [head('批号', 'Lot'), 0],
        [head('产品', 'Product'), 100],
        [head('供应商', 'Supplier'), 105],
        [head('收货', 'Received'), 125],
        [head('质检', 'QC'), 95],
      ]),
      report.rawLots.map((l) => ({
        cells: [
          `${l.lotNumber ?? l.lot}${l.gtin ? `\nGTIN ${l.gtin}` : ''}`,
          product(l.productName) || '—',
          placeCell(l.supplier),
          l.received.map((r) => `${when(r.time)}  ${qty(r.quantity, r.uom)}\n@ ${placeById(r.place)}`).join('\n') || '—',
          qcText(l.qc) || '—',
        ],
        tone: l.qc.some((c) => c.disposition === 'non_conformant') ? 'alert' : undefined,
      })),
    );
  }

  // ---- batches -------------------------------------------------------------------------------
  heading('生产批次', 'Batches', 120);
  if (report.batches.length === 0) paragraph(cap('无', 'None in this trace.'), 8.5, MUTED);
  for (const b of report.batches) drawBatch(b);

  function qcText(qc: readonly QcRecord[]): string {
    return qc.map((c) => `${when(c.time)}  ${[c.bizStep, c.disposition].filter((x) => x !== null).join(' · ')}${c.certifications.length ? `\n${c.certifications.join(', ')}` : ''}`).join('\n');
  }

  function drawBatch(b: BatchInfo): void {
    ensure(140);
    const title = [b.lotNumber ?? b.lot, product(b.productName), b.gtin ? `GTIN ${b.gtin}` : ''].filter((x) => x !== '').join('  ·  ');
    doc.font(strong).fontSize(10.5).fillColor(INK).text(clean(title), PAGE.left, y, { width: CONTENT_WIDTH });
    y += doc.heightOfString(clean(title), { width: CONTENT_WIDTH }) + 4;
    const pairs: [string, string][] = [
      [cap('生产时间', 'Produced'), when(b.producedAt)],
      [cap('数量', 'Quantity'), qty(b.quantity, b.uom)],
      [cap('工厂', 'Plant'), placeWithCity(b.plant)],
      [cap('产线', 'Line'), b.line === null ? '—' : placeName(b.line)],
      [cap('班次', 'Shift'), b.shift ?? '—'],
      [cap('操作员', 'Operators'), b.operators.join(', ') || '—'],
      [cap('设备', 'Equipment'), b.equipment.join(', ') || '—'],
    ];
    if (b.session !== null) pairs.push([cap('会话', 'Session'), b.session]);
    if (b.workOrders.length) pairs.push([cap('工单', 'Work orders'), b.workOrders.join('\n')]);
    pairs.push([cap('投入', 'Inputs'), b.inputs.map((i) => `${nodeLabel(i.node)}  × ${qty(i.quantity, i.uom)}`).join('\n') || '—']);
    const params = parameterTexts(b.parameters, true);
    if (params.length) pairs.push([cap('工艺参数', 'Parameters'), params.join('\n')]);
    pairs.push([cap('质检', 'QC'), qcText(b.qc) || '—']);
    pairs.push([cap('生产事件', 'Event'), b.eventId]);
    keyValues(pairs);
    doc.font(strong).fontSize(8.5).fillColor(ACCENT);
    ensure(40);
    doc.text(cap('环境读数', 'Environment'), PAGE.left, y, { width: CONTENT_WIDTH });
    y += 13;
    readingsTable(b.environment, cap('生产前后 2 小时内产线及工厂无读数', 'No readings at the line or plant within 2 hours of production.'));
    y += 6;
  }

  function readingsTable(readings: readonly SensorReading[], none: string): void {
    if (readings.length === 0) {
      paragraph(none, 8, MUTED);
      return;
    }
    table(
      columns([
        [head('地点', 'Place'), 0],
        [head('时间', 'Time'), 78],
        [head('读数', 'Reading'), 95],
        [head('数值', 'Value'), 55, 'right'],
        [head('限值', 'Limit'), 60],
        [head('报警', 'Alarm'), 75],
      ]),
      readings.map((r) => {
        const type = localName(r.type).replace(/^MT-/, '');
        const status = readingStatus(r, limits);
        const range = r.minValue !== null || r.maxValue !== null ? `\n${fmt(r.minValue)}–${fmt(r.maxValue)}` : '';
        return {
          cells: [
            `${placeById(r.place)}${r.deviceId ? `\n${r.deviceId}` : ''}`,
            when(r.time),
            READING_ZH[type] ? cap(READING_ZH[type], type) : type,
            `${r.value === null ? '—' : fmt(r.value)} ${uom(r.uom)}${range}`,
            limitText(r, limits) ?? '—',
            status === null ? '' : status === 'over_limit' ? cap('超限', 'over limit') : status,
          ],
          tone: status === null ? undefined : 'alert',
        };
      }),
    );
  }

  // ---- shipments -----------------------------------------------------------------------------
  heading('发运', 'Shipments');
  if (report.shipments.length === 0) paragraph(cap('无', 'None in this trace.'), 8.5, MUTED);
  else {
    table(
      columns([
        [head('发出时间', 'Shipped'), 0],
        [head('发出地', 'From'), 95],
        [head('目的地', 'To'), 95],
        [head('车辆', 'Vehicle'), 78],
        [head('件数', 'Units'), 34, 'right'],
        [head('收货时间', 'Received'), 66],
        [head('途中温度', 'Temp. min/max'), 70],
      ]),
      report.shipments.map((s) => {
        const temps = s.temperature.filter((t) => t.value !== null && /temp/i.test(t.type));
        const values = temps.map((t) => t.value as number);
        const flagged = s.temperature.some((t) => readingStatus(t, limits) !== null);
        return {
          cells: [
            when(s.time),
            placeCell(s.from),
            placeCell(s.to),
            s.vehicle === null ? '—' : shortId(s.vehicle),
            s.units === null ? '?' : fmt(s.units),
            s.receivedAt === null ? cap('未收货', 'not received') : when(s.receivedAt),
            values.length ? `${fmt(Math.min(...values))} / ${fmt(Math.max(...values))} ${uom(temps[0]?.uom ?? null)}${flagged ? `\n${cap('超限', 'over limit')}` : ''}` : '—',
          ],
          tone: flagged || s.receivedAt === null ? 'alert' : undefined,
        };
      }),
    );
  }

  // ---- places --------------------------------------------------------------------------------
  heading('各地点数量', 'Quantities per place');
  if (report.locations.length === 0) paragraph(cap('无', 'None in this trace.'), 8.5, MUTED);
  else {
    const byUom = [...totals.keys()];
    const rows: TableRow[] = [];
    for (const u of byUom) {
      const own = report.locations.filter((l) => l.uom === u);
      for (const l of own) rows.push({ cells: [placeCell(l.place), u === null ? cap('件', 'units') : uom(u), ...[l.produced, l.received, l.shipped, l.sold, l.returned, l.destroyed, round(l.disposed + l.wasted), l.onHand].map(fmt)], tone: l.onHand < 0 ? 'alert' : undefined });
      const t = totals.get(u);
      if (t) rows.push({ cells: [cap('合计', 'Total'), u === null ? cap('件', 'units') : uom(u), ...[t.produced, t.received, t.shipped, t.sold, t.returned, t.destroyed, round(t.disposed + t.wasted), t.onHand].map(fmt)], tone: 'total' });
    }
    table(
      columns([
        [head('地点', 'Place'), 0],
        [head('单位', 'Unit'), 34],
        [head('生产', 'Produced'), 40, 'right'],
        [head('收货', 'Received'), 40, 'right'],
        [head('发出', 'Shipped'), 40, 'right'],
        [head('售出', 'Sold'), 36, 'right'],
        [head('退回', 'Returned'), 42, 'right'],
        [head('销毁', 'Destroyed'), 44, 'right'],
        [head('处置/损耗', 'Disposed'), 50, 'right'],
        [head('在库', 'On hand'), 40, 'right'],
      ]),
      rows,
    );
  }

  // ---- paths ---------------------------------------------------------------------------------
  heading('追溯路径', 'Paths');
  paragraph(cap('从查询码到每个节点(最短路径),括号内为关联方式。', 'From the code to each node (shortest path first); the link of each step in brackets.'), 7.5, MUTED);
  table(
    columns([
      [head('节点', 'Node'), 0],
      [head('类型', 'Kind'), 62],
      [head('方向', 'Direction'), 62],
      [head('路径', 'Path'), 230],
    ]),
    report.nodes.map((n) => ({
      cells: [
        `${nodeLabel(n.id)}${product(n.productName) ? `  ${product(n.productName)}` : ''}\n${n.id}`,
        cap(KIND_ZH[n.kind], n.kind),
        `${cap(DIRECTION_ZH[n.direction], n.direction)} · ${n.depth}`,
        n.path.map((s, i) => (i === 0 ? nodeLabel(s.node) : `${nodeLabel(s.node)} (${s.link ?? '?'})`)).join(arrow),
      ],
    })),
    7,
  );

  // ---- footers -------------------------------------------------------------------------------
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    const fy = PAGE.height - PAGE.bottom + 18;
    doc.moveTo(PAGE.left, fy - 5).lineTo(PAGE.left + CONTENT_WIDTH, fy - 5).lineWidth(0.4).strokeColor(RULE).stroke();
    doc.font(regular).fontSize(7).fillColor(MUTED);
    doc.text(clean(`Lotline · ${cap('追溯报告', 'Trace report')} · ${q.code}`), PAGE.left, fy, { width: CONTENT_WIDTH - 90, lineBreak: false, ellipsis: true });
    doc.text(cap(`第 ${i - range.start + 1} / ${range.count} 页`, `Page ${i - range.start + 1} of ${range.count}`), PAGE.left + CONTENT_WIDTH - 120, fy, { width: 120, align: 'right', lineBreak: false });
    doc.page.margins.bottom = PAGE.bottom;
  }
}

/** A number without trailing zeros or exponent noise; `—` for null. */
function fmt(n: number | null): string {
  if (n === null) return '—';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

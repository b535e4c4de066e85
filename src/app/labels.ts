import { sql } from 'kysely';
import { normaliseTimeStamp } from '../core/epcis/event.ts';
import { DomainError } from '../core/errors.ts';
import { parseAnyCode, toCanonicalDigitalLink } from '../core/gs1/any-code.ts';
import { toDomainError } from '../core/gs1/gs1-error.ts';
import { identifierToElements } from '../core/gs1/identifier.ts';
import { type BarcodeContent, renderBarcodePng, renderBarcodeSvg } from '../labels/barcode.ts';
import type { LabelError } from '../labels/label-error.ts';
import type { LabelLayoutName } from '../labels/label-layout.ts';
import { type UnitSymbology, renderLabelSheet } from '../labels/label-sheet.ts';
import { sequentialSerials } from '../labels/label-content.ts';
import { takeSequence } from '../store/sequences.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';

/** A request to print the unit labels of one batch. */
export interface PrintRequest {
  readonly productId: string;
  readonly batchCode: string;
  /** New labels: this many fresh serial numbers are allocated. */
  readonly count?: number;
  /** Reprint: serial numbers already allocated to this batch (inclusive range). */
  readonly reprint?: { readonly from: number; readonly to: number };
  readonly layout: LabelLayoutName;
  readonly symbology?: UnitSymbology;
  /** Production date-time with offset, e.g. `2025-09-05T08:30+08:00`; now in `timeZoneOffset` when omitted. */
  readonly producedAt?: string;
  /** Offset used for "now" and for printing the expiry time; default +08:00. */
  readonly timeZoneOffset?: string;
  readonly digitalLinkStem?: string;
}

/** A printed sheet and the serial numbers on it. */
export interface PrintedLabels {
  readonly pdf: Buffer;
  readonly pages: number;
  readonly labels: number;
  readonly firstSerial: number;
  readonly lastSerial: number;
  readonly producedAt: string;
  readonly expiresAt: string;
  readonly warnings: readonly string[];
}

const MAX_LABELS = 10_000;

/**
 * Print unit labels for a batch: allocate fresh serial numbers (never printed twice, even from two
 * printers at once) or reprint a range already allocated, and render the PDF sheet. The expiry time is
 * the production time plus the product's shelf life in hours.
 */
export async function printBatchLabels(ctx: AppContext, actor: Actor, req: PrintRequest): Promise<PrintedLabels> {
  const product = await ctx.database.db
    .selectFrom('products')
    .select(['gtin', 'name_zh', 'name_en', 'shelf_life_hours'])
    .where('org_id', '=', actor.orgId)
    .where('product_id', '=', req.productId)
    .executeTakeFirst();
  if (!product) throw new DomainError('ValidationException', `no product ${req.productId}`, [{ pointer: '/productId', message: 'unknown product', rule: 'reference' }]);
  if (!product.gtin) throw new DomainError('ValidationException', `product ${req.productId} has no GTIN; add one before printing labels`, [{ pointer: '/productId', message: 'the product has no GTIN', rule: 'gtinRequired' }]);
  if ((req.count === undefined) === (req.reprint === undefined)) {
    throw new DomainError('ValidationException', 'give either count (new labels) or reprint (a serial range)', [{ pointer: '/count', message: 'count or reprint, not both', rule: 'oneOf' }]);
  }
  const offset = req.timeZoneOffset ?? '+08:00';
  if (!/^[+-](0\d|1[0-4]):[0-5]\d$/.test(offset)) throw new DomainError('ValidationException', 'timeZoneOffset must look like +08:00', [{ pointer: '/timeZoneOffset', message: 'expected ±hh:mm', rule: 'format' }]);
  const producedAt = req.producedAt ?? formatWithOffset(ctx.clock.now(), offset);
  // The same date-time rule as EPCIS times: RFC 3339 with an offset, years 0001 to 9999.
  const producedIso = normaliseTimeStamp(producedAt);
  if (producedIso === null) {
    throw new DomainError('ValidationException', 'producedAt must be a date-time with an offset, e.g. 2025-09-05T08:30:00+08:00', [{ pointer: '/producedAt', message: 'expected a date-time with an offset', rule: 'format' }]);
  }
  const expiresAt = formatWithOffset(new Date(Date.parse(producedIso) + product.shelf_life_hours * 3_600_000), offsetOf(producedAt) ?? offset);
  // One counter per GTIN: a serial is never issued twice for the GTIN, whatever the batch.
  const scope = `serial|${product.gtin}`;
  const gtin = product.gtin;

  const range = req.reprint ?? null;
  let first: number;
  let last: number;
  if (range) {
    if (!Number.isInteger(range.from) || !Number.isInteger(range.to) || range.from < 1 || range.to < range.from || range.to - range.from + 1 > MAX_LABELS) {
      throw new DomainError('ValidationException', `reprint a range of 1 to ${MAX_LABELS} serials`, [{ pointer: '/reprint', message: 'expected 1 <= from <= to', rule: 'range' }]);
    }
    const runs = await sql<{ first_serial: string; last_serial: string }>`
      SELECT first_serial, last_serial FROM label_print_runs WHERE org_id = ${actor.orgId} AND gtin = ${gtin} AND batch_code = ${req.batchCode} ORDER BY first_serial`.execute(ctx.database.db);
    const missing = firstUncovered(range.from, range.to, runs.rows.map((r) => ({ first: Number(r.first_serial), last: Number(r.last_serial) })));
    if (missing !== null) {
      const printed = runs.rows.map((r) => `${r.first_serial}-${r.last_serial}`).join(', ') || 'none';
      throw new DomainError('ValidationException', `serial ${missing} was never printed for batch ${req.batchCode} (its serials: ${printed})`, [
        { pointer: missing === range.to ? '/reprint/to' : '/reprint', message: 'not printed for this batch', rule: 'range' },
      ]);
    }
    first = range.from;
    last = range.to;
  } else {
    const count = req.count ?? 0;
    if (!Number.isInteger(count) || count < 1 || count > MAX_LABELS) throw new DomainError('ValidationException', `count must be 1 to ${MAX_LABELS}`, [{ pointer: '/count', message: 'out of range', rule: 'range' }]);
    // Check everything that can fail before taking serial numbers.
    await render(req, product, producedAt, expiresAt, ['1']);
    ({ first, last } = await ctx.database.db.transaction().execute(async (tx) => {
      const taken = await takeSequence(tx, actor.orgId, scope, count);
      await sql`INSERT INTO label_print_runs (org_id, gtin, first_serial, last_serial, batch_code) VALUES (${actor.orgId}, ${gtin}, ${taken.first}, ${taken.last}, ${req.batchCode})`.execute(tx);
      return taken;
    }));
  }
  const sheet = await render(req, product, producedAt, expiresAt, sequentialSerials(first, last - first + 1));
  await recordAudit(ctx.database.db, actor, {
    action: range ? 'labels.reprint' : 'labels.print',
    targetType: 'batch',
    targetId: req.batchCode,
    detail: { productId: req.productId, gtin: product.gtin, firstSerial: first, lastSerial: last, layout: req.layout, symbology: req.symbology ?? 'qrCode' },
  });
  return { ...sheet, firstSerial: first, lastSerial: last, producedAt, expiresAt };
}

/** An SVG or PNG symbol for any code a user may type or scan: a QR Code of its Digital Link, GS1 DataMatrix or GS1-128. */
export async function renderSymbol(code: string, symbology: 'qrCode' | 'gs1DataMatrix' | 'gs1-128', format: 'svg' | 'png'): Promise<string | Buffer> {
  const parsed = parseAnyCode(code);
  if (!parsed.ok) throw toDomainError(parsed.error, '/query/code');
  if (parsed.value.kind === 'batchCode' || parsed.value.kind === 'gdstProduct') {
    throw new DomainError('ValidationException', 'a symbol needs a GS1 identifier (GTIN, SSCC, GLN…), not a batch code alone', [{ pointer: '/query/code', message: 'not a GS1 identifier', rule: 'gs1Identifier' }]);
  }
  let content: BarcodeContent;
  if (symbology === 'qrCode') {
    const dl = toCanonicalDigitalLink(parsed.value, { includeAttributes: true });
    if (!dl.ok) throw toDomainError(dl.error, '/query/code');
    content = { kind: 'qrCode', data: dl.value };
  } else {
    content = { kind: symbology, elements: identifierToElements(parsed.value) };
  }
  const out = format === 'svg' ? renderBarcodeSvg(content) : await renderBarcodePng(content, { scale: 6 });
  if (!out.ok) throw labelError(out.error);
  return out.value;
}

async function render(
  req: PrintRequest,
  product: { gtin: string | null; name_zh: string; name_en: string },
  producedAt: string,
  expiresAt: string,
  serials: readonly string[],
): Promise<{ pdf: Buffer; pages: number; labels: number; warnings: readonly string[] }> {
  const sheet = await renderLabelSheet({
    layout: req.layout,
    product: { gtin: product.gtin ?? '', nameEn: product.name_en, nameZh: product.name_zh },
    batch: { code: req.batchCode, producedAt, expiresAt },
    units: serials,
    ...(req.symbology ? { symbology: req.symbology } : {}),
    ...(req.digitalLinkStem ? { digitalLinkStem: req.digitalLinkStem } : {}),
  });
  if (!sheet.ok) throw labelError(sheet.error);
  return sheet.value;
}

function labelError(e: LabelError): DomainError {
  switch (e.kind) {
    case 'invalidInput':
      return new DomainError('ValidationException', e.message, [{ pointer: e.field === '/batch/code' ? '/batchCode' : e.field, message: e.message, rule: 'label' }]);
    case 'encoding':
      return new DomainError('ValidationException', e.message, [{ pointer: '', message: e.message, rule: 'encoding' }]);
    case 'font':
      return new DomainError('ImplementationException', e.message);
    default: {
      const never: never = e;
      return never;
    }
  }
}

function offsetOf(iso: string): string | null {
  if (iso.endsWith('Z')) return '+00:00';
  return /([+-]\d{2}:\d{2})$/.exec(iso)?.[1] ?? null;
}

/** `date` as local time at `offset` (±hh:mm), e.g. 2025-09-05T16:30:00+08:00. */
function formatWithOffset(date: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

/** The first serial in [from, to] that no run covers, or null. Runs are sorted by first serial. */
function firstUncovered(from: number, to: number, runs: readonly { first: number; last: number }[]): number | null {
  let next = from;
  for (const r of runs) {
    if (r.last < next) continue;
    if (r.first > next) return next;
    next = r.last + 1;
    if (next > to) return null;
  }
  return next;
}

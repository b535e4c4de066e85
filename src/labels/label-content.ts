/**
 * What goes on each unit label, independent of drawing: validated product and batch data, the
 * unit's GS1 Digital Link URI (GTIN, batch, serial, expiry date and optionally production date)
 * and its GS1 DataMatrix element string.
 */
import { err, ok, type Result } from '../core/result.ts';
import type { AiElement } from '../core/gs1/ai-element.ts';
import { buildDigitalLink, CANONICAL_DL_STEM, parseDigitalLink } from '../core/gs1/digital-link.ts';
import { validateElements } from '../core/gs1/element-string.ts';
import { parseGtin } from '../core/gs1/keys.ts';
import { invalidInput, type LabelError } from './label-error.ts';

/** The product the labels are for. */
export interface LabelProduct {
  /** GTIN-8, -12, -13 or -14; printed and encoded as GTIN-14. */
  readonly gtin: string;
  readonly nameEn: string;
  /** Chinese product name; needs a CJK font (see cjk-font.ts). */
  readonly nameZh?: string;
}

/** The batch the units belong to. Date-times are ISO 8601: `2025-12-15T08:30+08:00` or a date `2025-12-15`. */
export interface LabelBatch {
  readonly code: string;
  readonly producedAt: string;
  readonly expiresAt: string;
}

/** A calendar date with optional wall-clock time, as printed, and its instant when an offset was given. */
export interface LabelDateTime {
  readonly date: string;
  readonly time: string | null;
  readonly epochMs: number | null;
  /** `2025-12-15 08:30`, or the date alone. */
  readonly display: string;
  /** YYMMDD for AIs (11) and (17). */
  readonly yymmdd: string;
}

/** One unit label's data. */
export interface UnitLabel {
  readonly serial: string;
  /** The GS1 Digital Link URI encoded in the unit's QR Code. */
  readonly digitalLink: string;
  /** The AI elements encoded in the unit's GS1 DataMatrix. */
  readonly elements: readonly AiElement[];
}

/** Everything shared by the labels of one batch. */
export interface BatchLabelData {
  readonly gtin14: string;
  readonly produced: LabelDateTime;
  readonly expires: LabelDateTime;
  readonly units: readonly UnitLabel[];
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parse an ISO 8601 date or date-time for a label; `field` names it in errors. */
export function parseLabelDateTime(value: string, field: string): Result<LabelDateTime, LabelError> {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return err(invalidInput(field, `"${value}" is not an ISO 8601 date (2025-12-15) or date-time (2025-12-15T08:30+08:00)`));
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : (DAYS[mo - 1] as number))) return err(invalidInput(field, `"${value}" is not a calendar date`));
  if (y < 2000 || y > 2099) return err(invalidInput(field, `year ${y} cannot be encoded in a GS1 YYMMDD date; use 2000-2099`));
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  let time: string | null = null;
  let epochMs: number | null = null;
  if (m[4] !== undefined) {
    const h = Number(m[4]);
    const mi = Number(m[5]);
    if (h > 23 || mi > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return err(invalidInput(field, `"${value}" has an invalid time of day`));
    time = `${m[4]}:${m[5]}`;
    if (m[7] !== undefined) {
      const off = m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
      epochMs = Date.parse(`${date}T${time}:${m[6] ?? '00'}${off}`);
    }
  }
  return ok({ date, time, epochMs, display: time === null ? date : `${date} ${time}`, yymmdd: date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10) });
}

/** Whether `b` is not before `a` (instants when both have offsets, else calendar date and time). */
function notBefore(a: LabelDateTime, b: LabelDateTime): boolean {
  if (a.epochMs !== null && b.epochMs !== null) return b.epochMs >= a.epochMs;
  return `${b.date} ${b.time ?? '00:00'}` >= `${a.date} ${a.time ?? '00:00'}`;
}

/** Options of buildBatchLabelData. */
export interface BatchLabelOptions {
  /** Stem of the Digital Link URIs; default https://id.gs1.org. */
  readonly stem?: string;
  /**
   * Also encode the production date, AI (11), in each symbol. Default false: the date is printed,
   * and shorter symbols scan more easily; the expiry date, AI (17), is always encoded.
   */
  readonly encodeProductionDate?: boolean;
}

/** Largest batch a single sheet request may carry. */
export const MAX_UNITS_PER_REQUEST = 100_000;

/**
 * Validate the product, batch and serials, and build each unit's Digital Link URI and GS1
 * element string. Serials must be unique, valid AI (21) values.
 */
export function buildBatchLabelData(product: LabelProduct, batch: LabelBatch, serials: readonly string[], opts: BatchLabelOptions = {}): Result<BatchLabelData, LabelError> {
  const stem = opts.stem ?? CANONICAL_DL_STEM;
  const gtin = parseGtin(product.gtin);
  if (!gtin.ok) return err(invalidInput('/product/gtin', gtin.error.message, gtin.error));
  if (product.nameEn.trim() === '') return err(invalidInput('/product/nameEn', 'the English product name is empty'));
  const produced = parseLabelDateTime(batch.producedAt, '/batch/producedAt');
  if (!produced.ok) return produced;
  const expires = parseLabelDateTime(batch.expiresAt, '/batch/expiresAt');
  if (!expires.ok) return expires;
  if (!notBefore(produced.value, expires.value)) return err(invalidInput('/batch/expiresAt', `expiry ${expires.value.display} is before production ${produced.value.display}`));
  if (serials.length === 0) return err(invalidInput('/units', 'no units to label'));
  if (serials.length > MAX_UNITS_PER_REQUEST) return err(invalidInput('/units', `at most ${MAX_UNITS_PER_REQUEST} units per request, got ${serials.length}`));

  const gtinElement: AiElement = { ai: '01', value: gtin.value.gtin14 };
  const lotElement: AiElement = { ai: '10', value: batch.code };
  const dates: AiElement[] = opts.encodeProductionDate === true ? [{ ai: '11', value: produced.value.yymmdd }] : [];
  dates.push({ ai: '17', value: expires.value.yymmdd });
  // Element-string order puts predefined-length AIs first, so only (10) needs an FNC1 separator.
  const shared: AiElement[] = [gtinElement, ...dates, lotElement];
  const sharedError = validateElements(shared);
  if (sharedError) return err(invalidInput('ai' in sharedError && sharedError.ai === '10' ? '/batch/code' : '/batch', sharedError.message, sharedError));
  const probe = buildDigitalLink([gtinElement, { ai: '21', value: '1' }], { stem });
  const probeParsed = probe.ok ? parseDigitalLink(probe.value) : null;
  if (!probe.ok || probeParsed === null || !probeParsed.ok || probeParsed.value.stem !== stem.replace(/\/$/, '')) {
    return err(invalidInput('/digitalLinkStem', `"${stem}" is not usable as a Digital Link stem (scheme, host and optional path, no query)`));
  }

  const seen = new Set<string>();
  const units: UnitLabel[] = [];
  for (let i = 0; i < serials.length; i++) {
    const serial = serials[i] as string;
    if (seen.has(serial)) return err(invalidInput(`/units/${i}`, `serial "${serial}" occurs twice`));
    seen.add(serial);
    const elements: AiElement[] = [...shared, { ai: '21', value: serial }];
    const e = validateElements(elements);
    if (e) return err(invalidInput(`/units/${i}`, `serial "${serial}": ${e.message}`, e));
    const dl = buildDigitalLink([gtinElement, lotElement, { ai: '21', value: serial }, ...dates], { stem });
    if (!dl.ok) return err(invalidInput(`/units/${i}`, dl.error.message, dl.error));
    units.push({ serial, digitalLink: dl.value, elements });
  }
  return ok({ gtin14: gtin.value.gtin14, produced: produced.value, expires: expires.value, units });
}

/**
 * Consecutive serial numbers, e.g. `sequentialSerials(1, 3, { prefix: 'A', width: 5 })` gives
 * A00001, A00002, A00003. Allocation that must survive restarts belongs in the database.
 */
export function sequentialSerials(first: number, count: number, opts: { readonly prefix?: string; readonly width?: number } = {}): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${opts.prefix ?? ''}${String(first + i).padStart(opts.width ?? 0, '0')}`);
  return out;
}

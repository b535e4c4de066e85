/**
 * How the trace engine names things: every identifier becomes a node id (canonical GS1 Digital Link
 * where it is a GS1 key), and unit serials become numbered series so that runs of units are ranges.
 */
import { canonicalDigitalLink } from '../../core/epcis/hash/canonical-digital-link.ts';

const STEM = 'https://id.gs1.org/';
const UNIT_RE = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]+)$/;
const LOT_RE = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/;
const PRODUCT_RE = /^https:\/\/id\.gs1\.org\/01\/(\d{14})$/;
/** A lot beside a serial in a Digital Link as printed on a pack: …/01/{gtin}/10/{lot}/21/{serial}. */
const LOT_IN_LINK_RE = /\/01\/(\d{14})\/10\/([^/?#]+)\/21\//;
/** At most 15 digits of a serial are numbered (exact in a double and in bigint). */
const MAX_NUMBERED_DIGITS = 15;

/** What a node identifier stands for. */
export type NodeClass =
  | { readonly kind: 'unit'; readonly id: string; readonly gtin: string; readonly serial: string; readonly series: string; readonly n: number }
  | { readonly kind: 'lot'; readonly id: string; readonly gtin: string | null; readonly lot: string | null }
  | { readonly kind: 'product'; readonly id: string; readonly gtin: string }
  | { readonly kind: 'container'; readonly id: string }
  | { readonly kind: 'transformation'; readonly id: string };

/** The canonical node id of an identifier (canonical Digital Link for GS1 keys, else as given). */
export function nodeId(identifier: string): string {
  return canonicalDigitalLink(identifier) ?? identifier;
}

/** The series and number of a unit serial: `gtin|prefix|width` and the trailing digits' value. */
export function unitSeries(gtin: string, serial: string): { readonly series: string; readonly n: number } {
  let i = serial.length;
  while (i > 0 && serial.charCodeAt(i - 1) >= 48 && serial.charCodeAt(i - 1) <= 57 && serial.length - i < MAX_NUMBERED_DIGITS) i--;
  const digits = serial.slice(i);
  if (digits.length === 0) return { series: `${gtin}|${serial}|0`, n: 0 };
  return { series: `${gtin}|${serial.slice(0, i)}|${digits.length}`, n: Number(digits) };
}

/** The unit id of a series member: the inverse of unitSeries. */
export function unitIdOf(series: string, n: number): string {
  const [gtin, prefix, width] = series.split('|') as [string, string, string];
  const w = Number(width);
  return `${STEM}01/${gtin}/21/${prefix}${w === 0 ? '' : String(n).padStart(w, '0')}`;
}

/** The lot node of a GTIN and lot number. */
export function lotNode(gtin: string, lot: string): string {
  return nodeId(`${STEM}01/${gtin}/10/${encodeURIComponent(lot)}`);
}

/** Classify a canonical node id. */
export function classifyNode(id: string): NodeClass {
  if (id.startsWith('tx:')) return { kind: 'transformation', id };
  if (id.startsWith(STEM)) {
    const unit = UNIT_RE.exec(id);
    if (unit) {
      const gtin = unit[1] as string;
      const serial = unit[2] as string;
      return { kind: 'unit', id, gtin, serial, ...unitSeries(gtin, serial) };
    }
    const lot = LOT_RE.exec(id);
    if (lot) return { kind: 'lot', id, gtin: lot[1] as string, lot: decodeSegment(lot[2] as string) };
    const product = PRODUCT_RE.exec(id);
    if (product) return { kind: 'product', id, gtin: product[1] as string };
    return { kind: 'container', id };
  }
  // A class URI that is not a GS1 key (e.g. a supplier's own lot URN) is an opaque lot.
  if (/^urn:epc:class:|:class:|\/class\//.test(id)) return { kind: 'lot', id, gtin: null, lot: null };
  return { kind: 'container', id };
}

/** The lot a unit's printed Digital Link names, as a lot node (null when it names none). */
export function lotInLink(identifier: string): string | null {
  if (!identifier.startsWith('http')) return null;
  const m = LOT_IN_LINK_RE.exec(identifier);
  return m ? lotNode(m[1] as string, decodeSegment(m[2] as string)) : null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A run of consecutive unit numbers of one series. */
export interface UnitRange {
  readonly series: string;
  readonly lo: number;
  readonly hi: number;
}

/** Units grouped into maximal ranges, sorted by series and number. Duplicates collapse. */
export function toRanges(units: readonly { readonly series: string; readonly n: number }[]): UnitRange[] {
  const sorted = [...units].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.n - b.n));
  const out: UnitRange[] = [];
  let current: { series: string; lo: number; hi: number } | null = null;
  for (const u of sorted) {
    if (current && current.series === u.series && u.n <= current.hi + 1) {
      current.hi = Math.max(current.hi, u.n);
      continue;
    }
    if (current) out.push(current);
    current = { series: u.series, lo: u.n, hi: u.n };
  }
  if (current) out.push(current);
  return out;
}

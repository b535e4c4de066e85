/**
 * What every section of a recall report draws with: the writer, the data, and the few ways of
 * showing a time, a place, a quantity or a pair of words the same way everywhere in the report.
 */
import type { PdfWriter } from '../../pdf/pdf-writer.ts';
import { localDateTime, zoneCaption } from '../../pdf/local-time.ts';
import type { RecallReportData } from '../report-data.ts';
import type { LocationQuantities, TracePlace } from '../../trace/types.ts';
import { NOT_YET, type Words } from './labels.ts';

export interface ReportContext {
  readonly w: PdfWriter;
  readonly data: RecallReportData;
  readonly offset: string;
  /** A time at the report's offset: `2025-09-05 10:10`. */
  when(iso: string | null): string;
  /** `UTC+08:00`. */
  readonly zone: string;
  /** A pair of words as a caption (`销毁 destroy`, or `destroy` without a CJK font). */
  say(words: Words): string;
  /** "尚未记录 not yet recorded", in the muted style, as a paragraph. */
  notYet(what?: Words): void;
  /** A place's name (a master-data name `中文 / English` kept whole with a CJK font). */
  placeName(place: TracePlace | null, fallbackId?: string | null): string;
  /** The product, from the scope's lots, else the case title. */
  readonly productName: string;
  /** A lot identifier in short form: its lot number when it is a GS1 Digital Link. */
  lotLabel(lot: string): string;
}

/** Lot number of a GS1 Digital Link (`…/01/{gtin}/10/{lot}`), else null. */
export function lotNumberOf(lot: string): string | null {
  const m = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/10\/([^/?#]+)$/.exec(lot);
  return m ? decodeURIComponent(m[1] as string) : null;
}

export function reportContext(w: PdfWriter, data: RecallReportData, offset: string): ReportContext {
  const names = data.scope?.items.map((i) => i.productName).find((p) => p !== null && (p.zh !== null || p.en !== null)) ?? null;
  const lotNumbers = new Map((data.scope?.items ?? []).map((i) => [i.lot, i.lotNumber]));
  const ctx: ReportContext = {
    w,
    data,
    offset,
    zone: zoneCaption(offset),
    when: (iso) => localDateTime(iso, offset),
    say: (words) => w.cap(words.zh, words.en),
    notYet: (what) => {
      const text = what === undefined ? w.cap(NOT_YET.zh, NOT_YET.en) : w.cap(`${what.zh}：${NOT_YET.zh}`, `${what.en}: ${NOT_YET.en}`);
      w.paragraph(text, { size: 8.5, color: '#5f6368' });
    },
    placeName: (place, fallbackId = null) => {
      if (place === null) return fallbackId ?? '—';
      const name = place.name === null ? '' : w.bilingual(place.name);
      return name === '' ? place.id : name;
    },
    productName: names === null ? w.bilingual(data.case.title) : w.bilingual([names.zh, names.en].filter((x) => x !== null).join(' / ')),
    lotLabel: (lot) => lotNumbers.get(lot) ?? lotNumberOf(lot) ?? lot,
  };
  return ctx;
}

/** Quantities of a scope summed per place (a place may hold several lots of the scope). */
export interface PlaceTotals {
  readonly place: TracePlace;
  received: number;
  produced: number;
  shipped: number;
  sold: number;
  returned: number;
  onHand: number;
  lots: number;
}

const collator = new Intl.Collator('zh-CN');
/** Plants and warehouses before stores, where the goods come from. */
const TYPE_RANK: Readonly<Record<string, number>> = { plant: 0, warehouse: 1, distribution_centre: 1 };

/**
 * The scope's quantities per place: plants and warehouses first, then by city in the order the data
 * names them, then by name (Chinese names in pinyin order).
 */
export function placeTotals(locations: readonly LocationQuantities[][]): PlaceTotals[] {
  const byPlace = new Map<string, PlaceTotals>();
  for (const lot of locations) {
    for (const l of lot) {
      const t = byPlace.get(l.place.id) ?? { place: l.place, received: 0, produced: 0, shipped: 0, sold: 0, returned: 0, onHand: 0, lots: 0 };
      t.received += l.received;
      t.produced += l.produced;
      t.shipped += l.shipped;
      t.sold += l.sold;
      t.returned += l.returned;
      t.onHand += l.onHand;
      t.lots += 1;
      byPlace.set(l.place.id, t);
    }
  }
  const cityOrder = new Map<string | null, number>();
  for (const t of byPlace.values()) if (!cityOrder.has(t.place.city)) cityOrder.set(t.place.city, cityOrder.size);
  const rank = (t: PlaceTotals) => TYPE_RANK[t.place.type ?? ''] ?? 9;
  return [...byPlace.values()].sort(
    (a, b) => rank(a) - rank(b) || (cityOrder.get(a.place.city) ?? 0) - (cityOrder.get(b.place.city) ?? 0) || collator.compare(a.place.name ?? a.place.id, b.place.name ?? b.place.id),
  );
}

/**
 * The facts of a scanned pack, read for the consumer page: whose product it is (by GTIN, across
 * organisations), its names, the lot, when and in which city it was made, its expiry and QC result.
 * Only these reach the page; internal ids, places, operators and quantities are never read out here.
 */
import { type Kysely, sql } from 'kysely';
import { contextPrefixes, expandVocabularyValue } from '../../core/epcis/cbv.ts';
import type { Schema } from '../../store/schema.ts';
import { classifyNode } from '../trace/identifiers.ts';
import { type TraceView, lotOfUnit, placesOf, traceView, visible } from '../trace/view.ts';
import type { ConsumerCode } from './consumer-code.ts';

type Db = Kysely<Schema>;

/** A product as master data describes it, with the organisation that owns its GTIN. */
export interface OwnedProduct {
  readonly orgId: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly brand: string | null;
  readonly shelfLifeHours: number;
  /** `attributes.story` per language, when the organisation wrote one. */
  readonly story: { readonly 'zh-CN': string | null; readonly en: string | null };
}

/** Who owns a GTIN: one organisation, nobody, or several (then nobody is shown: see docs/consumer.md). */
export type GtinOwner = { readonly kind: 'one'; readonly product: OwnedProduct } | { readonly kind: 'none' } | { readonly kind: 'ambiguous'; readonly count: number };

/** A local time as printed for consumers, with the offset it was recorded in. */
export interface LocalTime {
  /** `YYYY-MM-DD HH:mm`, or `YYYY-MM-DD` for a date-only expiry. */
  readonly text: string;
  readonly iso: string;
}

export type QcStatus = 'passed' | 'failed' | 'inspected' | 'none';

export interface UnitFacts {
  /** The lot node the code resolves to (printed, else the lot its serial was commissioned into). */
  readonly lotNode: string | null;
  /** The batch/lot number as printed. */
  readonly lotNumber: string | null;
  /** Whether any production event names the lot or the unit. */
  readonly known: boolean;
  readonly producedAt: LocalTime | null;
  readonly expiresAt: LocalTime | null;
  readonly plantCity: string | null;
  readonly qc: { readonly status: QcStatus; readonly at: LocalTime | null };
}

const textOf = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function storyOf(attributes: unknown): OwnedProduct['story'] {
  const a = (typeof attributes === 'string' ? JSON.parse(attributes) : attributes) as Record<string, unknown> | null;
  const s = a?.story;
  if (typeof s === 'string') return { 'zh-CN': textOf(s), en: textOf(s) };
  if (typeof s !== 'object' || s === null) return { 'zh-CN': null, en: null };
  const o = s as Record<string, unknown>;
  return { 'zh-CN': textOf(o['zh-CN']) ?? textOf(o.zh), en: textOf(o.en) };
}

/**
 * The organisation whose master data has this GTIN. The host serves every organisation, so this is
 * the one read that is not scoped by organisation; products are few, and it reads nothing but them.
 */
export async function ownerOfGtin(db: Db, gtin: string): Promise<GtinOwner> {
  const forms = [gtin, gtin.replace(/^0+/, '')];
  const r = await sql<{ org_id: string; name_zh: string; name_en: string; brand: string | null; shelf_life_hours: number; attributes: unknown }>`
    SELECT org_id, name_zh, name_en, brand, shelf_life_hours, attributes FROM products WHERE gtin = ANY(${forms}::text[]) ORDER BY archived, org_id`.execute(db);
  const orgs = new Set(r.rows.map((x) => x.org_id));
  if (orgs.size === 0) return { kind: 'none' };
  if (orgs.size > 1) return { kind: 'ambiguous', count: orgs.size };
  const p = r.rows[0] as (typeof r.rows)[number];
  return { kind: 'one', product: { orgId: p.org_id, nameZh: p.name_zh, nameEn: p.name_en, brand: p.brand, shelfLifeHours: Number(p.shelf_life_hours), story: storyOf(p.attributes) } };
}

const STANDARD = contextPrefixes(null);
const key = (vocabulary: 'bizStep' | 'disposition', word: string) => `${vocabulary === 'bizStep' ? 'bs' : 'd'}|${expandVocabularyValue(vocabulary, word, STANDARD)}`;
const QC_STEPS = new Set([key('bizStep', 'inspecting'), key('bizStep', 'sampling')]);
const CONFORMANT = key('disposition', 'conformant');
const NON_CONFORMANT = key('disposition', 'non_conformant');

/** `+08:00` → minutes east of UTC; anything else → 0. */
function offsetMinutes(tz: string | null): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(tz ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function localTime(at: Date, tz: string | null): LocalTime {
  const shifted = new Date(at.getTime() + offsetMinutes(tz) * 60_000).toISOString();
  return { text: `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`, iso: at.toISOString() };
}

const EXPIRY_KEYS = ['itemExpirationDate', 'bestBeforeDate', 'sellByDate'] as const;

/** The first expiry date an ILMD records (item expiry before best-before before sell-by). */
function ilmdExpiry(ilmds: readonly unknown[]): string | null {
  for (const name of EXPIRY_KEYS) {
    for (const raw of ilmds) {
      const ilmd = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown> | null;
      if (!ilmd) continue;
      for (const [k, v] of Object.entries(ilmd)) {
        if ((k.endsWith(`:${name}`) || k.endsWith(`/${name}`)) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v;
      }
    }
  }
  return null;
}

/** The lot a code resolves to: as printed, else the lot its serial was commissioned into. */
export async function lotOfCode(db: Db, view: TraceView, code: ConsumerCode): Promise<string | null> {
  if (code.printedLot !== null) return code.printedLot;
  if (code.serial !== null) return lotOfUnit(db, view, code.gtin, code.serial);
  return null;
}

/** Read the facts of a scanned code in `orgId`'s trace (a few indexed reads). */
export async function unitFacts(db: Db, orgId: string, code: ConsumerCode, shelfLifeHours: number): Promise<UnitFacts> {
  const view = await traceView(db, orgId, null);
  const lot = await lotOfCode(db, view, code);
  const items = [lot, code.unitNode].filter((x): x is string => x !== null);
  const lotNumber = code.lot ?? (lot === null ? null : (() => {
    const c = classifyNode(lot);
    return c.kind === 'lot' ? c.lot : null;
  })());
  if (items.length === 0) return { lotNode: null, lotNumber, known: false, producedAt: null, expiresAt: null, plantCity: null, qc: { status: 'none', at: null } };

  const produced = await sql<{ seq: string; t: Date; place: string | null }>`
    SELECT m.seq, m.event_time AS t, m.place FROM unnest(${items}::text[]) AS i(item)
    JOIN trace_moves m ON m.org_id = ${orgId} AND m.item = i.item
    WHERE m.kind = 'produced' AND ${visible(view, 'm')}
    ORDER BY m.event_time LIMIT 20`.execute(db);
  const first = produced.rows[0];
  let producedAt: LocalTime | null = null;
  let expiresAt: LocalTime | null = null;
  let plantCity: string | null = null;
  if (first) {
    const seqs = [...new Set(produced.rows.map((r) => Number(r.seq)))];
    const events = await sql<{ seq: string; ilmd: unknown; tz: string | null }>`
      SELECT e.seq, e.doc->'ilmd' AS ilmd, e.doc->>'eventTimeZoneOffset' AS tz FROM epcis_events e
      WHERE e.org_id = ${orgId} AND e.seq = ANY(${seqs}::bigint[])`.execute(db);
    const tz = events.rows.find((e) => Number(e.seq) === Number(first.seq))?.tz ?? null;
    producedAt = localTime(first.t, tz);
    const printed = ilmdExpiry(events.rows.map((e) => e.ilmd).filter((x) => x !== null));
    expiresAt = printed !== null ? { text: printed.slice(0, 10), iso: printed.slice(0, 10) } : localTime(new Date(first.t.getTime() + shelfLifeHours * 3_600_000), tz);
    const place = produced.rows.find((r) => r.place !== null)?.place ?? null;
    if (place !== null) plantCity = (await placesOf(db, orgId, [place])).get(place)?.city ?? null;
  }
  const qc = lot === null ? { status: 'none' as const, at: null } : await qcOfLot(db, view, lot);
  return { lotNode: lot, lotNumber, known: first !== undefined, producedAt, expiresAt, plantCity, qc };
}

/**
 * The QC result of a lot: its inspection and sampling events (and any event with a conformance
 * disposition) that name it as a class. The latest conformance decision wins.
 */
async function qcOfLot(db: Db, view: TraceView, lot: string): Promise<UnitFacts['qc']> {
  const r = await sql<{ keys: string[]; t: Date; tz: string | null }>`
    SELECT e.keys, e.event_time AS t, e.doc->>'eventTimeZoneOffset' AS tz FROM epcis_events e
    WHERE e.org_id = ${view.orgId} AND e.keys && ${[`c|${lot}`]}::text[] AND NOT e.declares_error AND ${visible(view, 'e')}
    ORDER BY e.event_time LIMIT 1000`.execute(db);
  let status: QcStatus = 'none';
  let at: LocalTime | null = null;
  for (const row of r.rows) {
    const conformant = row.keys.includes(CONFORMANT);
    const nonConformant = row.keys.includes(NON_CONFORMANT);
    const step = row.keys.some((k) => QC_STEPS.has(k));
    if (!conformant && !nonConformant && !step) continue;
    if (nonConformant) status = 'failed';
    else if (conformant) status = 'passed';
    else if (status === 'none') status = 'inspected';
    at = localTime(row.t, row.tz);
  }
  return { status, at };
}

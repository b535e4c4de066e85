/**
 * Derive the trace graph rows of captured events (docs/trace.md). Pure: runs in the capture worker
 * beside validation and hashing. Rows name their event by its position in the document (`e`, from 1);
 * the store maps positions to ledger seqs, drops rows of events already stored, and resolves the lot
 * of units whose lot the document itself does not say (`lot: null`).
 */
import type { EpcisEvent, EventIndex } from '../../core/epcis/event.ts';
import { type UnitRange, classifyNode, lotInLink, lotNode, toRanges } from './identifiers.ts';

export type MoveKind = 'produced' | 'shipped' | 'received' | 'sold' | 'returned' | 'destroyed' | 'disposed' | 'wasted' | 'observed';
export type LinkKind = 'consumed' | 'produced' | 'packed' | 'unpacked' | 'carries' | 'associated';
export type UnitRole = 'commissioned' | 'packed' | 'unpacked' | 'input' | 'output';

export interface LinkRow {
  e: number;
  src: string;
  dst: string;
  link: LinkKind;
  t: string;
  qty: number | null;
  uom: string | null;
}

export interface UnitRow {
  e: number;
  role: UnitRole;
  series: string;
  lo: number;
  hi: number;
  /** null: resolve from the commissioned ranges. */
  lot: string | null;
  target: string | null;
  t: string;
}

export interface MoveRow {
  e: number;
  /** null: units (series/lo/hi) whose lot is to be resolved. */
  item: string | null;
  item_kind: 'lot' | 'unit' | 'container' | 'product';
  series: string | null;
  lo: number | null;
  hi: number | null;
  gtin: string | null;
  kind: MoveKind;
  qty: number | null;
  uom: string | null;
  place: string | null;
  source: string | null;
  destination: string | null;
  vehicle: string | null;
  biz_step: string | null;
  disposition: string | null;
  t: string;
}

export interface ReadingRow {
  e: number;
  place: string | null;
  site: string | null;
  device: string | null;
  type: string;
  time: string;
  value: number | null;
  min_value: number | null;
  max_value: number | null;
  uom: string | null;
  exception: string | null;
}

export interface RetractionRow {
  e: number;
  hash_id: string;
  event_id: string | null;
}

export interface DerivedTrace {
  links: LinkRow[];
  units: UnitRow[];
  moves: MoveRow[];
  readings: ReadingRow[];
  retractions: RetractionRow[];
}

export const emptyDerivedTrace = (): DerivedTrace => ({ links: [], units: [], moves: [], readings: [], retractions: [] });

/** The local word of a CBV value: `https://ref.gs1.org/cbv/BizStep-shipping` → `shipping`. */
export function cbvWord(uri: string | null): string | null {
  if (uri === null) return null;
  const dash = uri.lastIndexOf('-');
  if (uri.startsWith('https://ref.gs1.org/cbv/') && dash > 0) return uri.slice(dash + 1);
  const colon = uri.lastIndexOf(':');
  if (uri.startsWith('urn:epcglobal:cbv:')) return uri.slice(colon + 1);
  return uri;
}

/** What a movement event did to the goods it names (docs/trace.md, "Movements"). */
export function moveKind(action: string | null, bizStep: string | null, disposition: string | null): MoveKind {
  const bs = cbvWord(bizStep);
  const d = cbvWord(disposition);
  if (bs === 'retail_selling' || d === 'retail_sold') return 'sold';
  if (bs === 'destroying' || d === 'destroyed') return 'destroyed';
  if (d === 'disposed') return 'disposed';
  if (bs === 'decommissioning' || d === 'expired' || d === 'damaged') return 'wasted';
  if ((bs === 'commissioning' || bs === 'creating_class_instance') && action !== 'DELETE') return 'produced';
  if (bs === 'shipping' || bs === 'departing') return d === 'returned' || d === 'recalled' ? 'returned' : 'shipped';
  if (bs === 'receiving' || bs === 'arriving' || bs === 'accepting') return 'received';
  if (d === 'returned' || d === 'recalled') return 'returned';
  return 'observed';
}

/** The local name of an extension key: `lotline:operator`, `https://ns.example/epcis/operator` → `operator`. */
export function localName(key: string): string {
  const cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('/'), key.lastIndexOf('#'));
  return cut >= 0 ? key.slice(cut + 1) : key;
}

const LOT_NUMBER_KEYS = new Set(['cbvmda:lotNumber', 'urn:epcglobal:cbv:mda:lotNumber', 'gs1:lotNumber', 'https://ref.gs1.org/voc/lotNumber']);

function ilmdLot(event: EpcisEvent): string | null {
  const ilmd = (event as { ilmd?: Record<string, unknown> }).ilmd;
  if (!ilmd) return null;
  for (const [k, v] of Object.entries(ilmd)) if (LOT_NUMBER_KEYS.has(k) && typeof v === 'string' && v.length > 0) return v;
  return null;
}

/** The extension fields of an event and of its ILMD (keys with a namespace prefix or a URI). */
export function extensionFields(doc: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const source of [doc, (doc.ilmd ?? {}) as Record<string, unknown>]) for (const [k, v] of Object.entries(source)) if (k.includes(':') || k.includes('/')) fields[k] = v;
  return fields;
}

/** The values of the extension fields whose local name is `name`, lists flattened. */
export function namedValues(fields: Readonly<Record<string, unknown>>, name: string): unknown[] {
  return Object.entries(fields)
    .filter(([k]) => localName(k) === name)
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
}

/** An extension field of the event (top level) by local name, as text. */
export function extensionText(doc: Record<string, unknown>, name: string): string | null {
  for (const [k, v] of Object.entries(doc)) {
    if ((k.includes(':') || k.includes('/')) && localName(k) === name && (typeof v === 'string' || typeof v === 'number')) return String(v);
  }
  return null;
}

interface Canon {
  (identifier: string): string;
}

/** Derive the trace rows of one event (position `e` in its document, from 1). */
export function deriveEvent(out: DerivedTrace, e: number, event: EpcisEvent, ix: EventIndex, hashId: string, canon: Canon): void {
  if (ix.errorDeclaration !== null) {
    // The declaration repeats the event it retracts; it adds nothing to the graph itself.
    out.retractions.push({ e, hash_id: hashId, event_id: ix.eventId });
    return;
  }
  const t = ix.eventTime;
  const doc = event as unknown as Record<string, unknown>;
  const readPoint = ix.readPoint === null ? null : canon(ix.readPoint);
  const bizLocation = ix.bizLocation === null ? null : canon(ix.bizLocation);
  const sourceLocation = firstOfType(ix.sources, 'location', canon);
  const destinationLocation = firstOfType(ix.destinations, 'location', canon);
  const vehicleText = extensionText(doc, 'vehicle');
  const vehicleField = vehicleText === null ? null : canon(vehicleText);

  for (const r of ix.sensorReports) {
    out.readings.push({
      e,
      place: readPoint ?? bizLocation,
      site: bizLocation,
      device: r.deviceID ?? null,
      type: r.type,
      time: r.time ?? t,
      value: r.value ?? r.meanValue ?? null,
      min_value: r.minValue ?? null,
      max_value: r.maxValue ?? null,
      uom: r.uom ?? null,
      exception: r.exception ?? null,
    });
  }

  const units = (ids: readonly string[]) => splitUnits(ids, canon, ilmdLot(event));

  switch (event.type) {
    case 'TransformationEvent': {
      const tx = `tx:${ix.transformationId ?? hashId}`;
      for (const id of ix.inputEpcs) out.links.push({ e, src: canon(id), dst: tx, link: 'consumed', t, qty: 1, uom: null });
      for (const q of ix.inputClasses) out.links.push({ e, src: canon(q.epcClass), dst: tx, link: 'consumed', t, qty: q.quantity ?? null, uom: q.uom ?? null });
      const outputs = units(ix.outputEpcs);
      for (const id of outputs.others) out.links.push({ e, src: tx, dst: id, link: 'produced', t, qty: 1, uom: null });
      for (const [lot, ranges] of outputs.byLot) {
        const n = countOf(ranges);
        if (lot !== null) out.links.push({ e, src: tx, dst: lot, link: 'produced', t, qty: n, uom: null });
        for (const r of ranges) {
          if (lot !== null) out.units.push({ e, role: 'commissioned', ...r, lot, target: null, t });
          out.units.push({ e, role: 'output', ...r, lot, target: tx, t });
        }
        if (lot !== null) out.moves.push(move(e, lot, 'lot', null, gtinOf(lot), 'produced', n, null, bizLocation ?? readPoint, ix, t));
      }
      for (const q of ix.outputClasses) {
        const lot = canon(q.epcClass);
        out.links.push({ e, src: tx, dst: lot, link: 'produced', t, qty: q.quantity ?? null, uom: q.uom ?? null });
        out.moves.push(move(e, lot, classKind(lot), null, gtinOf(lot), 'produced', q.quantity ?? null, q.uom ?? null, bizLocation ?? readPoint, ix, t));
      }
      return;
    }
    case 'AggregationEvent': {
      if (ix.parentId === null) return;
      const parent = canon(ix.parentId);
      if (ix.action === 'ADD' || ix.action === 'DELETE') {
        const link: LinkKind = ix.action === 'ADD' ? 'packed' : 'unpacked';
        const children = units(ix.epcs);
        for (const id of children.others) out.links.push({ e, src: id, dst: parent, link, t, qty: 1, uom: null });
        for (const [lot, ranges] of children.byLot) for (const r of ranges) out.units.push({ e, role: link, ...r, lot, target: parent, t });
        for (const q of ix.classes) out.links.push({ e, src: canon(q.epcClass), dst: parent, link: link === 'packed' ? 'carries' : 'unpacked', t, qty: q.quantity ?? null, uom: q.uom ?? null });
        if (ix.action === 'DELETE' && ix.epcs.length === 0 && ix.classes.length === 0) out.links.push({ e, src: '*', dst: parent, link: 'unpacked', t, qty: null, uom: null });
      }
      const kind = moveKind(ix.action, ix.bizStep, ix.disposition);
      if (ix.bizStep !== null && !(kind === 'observed' && ix.action !== 'OBSERVE')) out.moves.push(moveAt(e, parent, 'container', kind, 1, null, ix, readPoint, bizLocation, sourceLocation, destinationLocation, vehicleField, t));
      return;
    }
    case 'AssociationEvent': {
      if (ix.parentId === null) return;
      const parent = canon(ix.parentId);
      for (const id of ix.epcs) out.links.push({ e, src: canon(id), dst: parent, link: 'associated', t, qty: null, uom: ix.action });
      return;
    }
    default: {
      // ObjectEvent and TransactionEvent: movements; commissioning also says which lot units belong to.
      const kind = moveKind(ix.action, ix.bizStep, ix.disposition);
      const named = units(ix.epcs);
      for (const id of named.others) out.moves.push(moveAt(e, id, 'container', kind, 1, null, ix, readPoint, bizLocation, sourceLocation, destinationLocation, vehicleField, t));
      for (const [lot, ranges] of named.byLot) {
        if (event.type === 'ObjectEvent' && ix.action === 'ADD' && lot !== null) {
          for (const r of ranges) out.units.push({ e, role: 'commissioned', ...r, lot, target: null, t });
        }
        for (const r of ranges) {
          out.moves.push({
            ...moveAt(e, lot, 'lot', kind, r.hi - r.lo + 1, null, ix, readPoint, bizLocation, sourceLocation, destinationLocation, vehicleField, t),
            series: r.series,
            lo: r.lo,
            hi: r.hi,
            gtin: r.series.slice(0, 14),
          });
        }
      }
      for (const q of ix.classes) {
        const id = canon(q.epcClass);
        out.moves.push(moveAt(e, id, classKind(id), kind, q.quantity ?? null, q.uom ?? null, ix, readPoint, bizLocation, sourceLocation, destinationLocation, vehicleField, t));
      }
    }
  }
}

function classKind(id: string): 'lot' | 'product' {
  return classifyNode(id).kind === 'product' ? 'product' : 'lot';
}

function gtinOf(id: string): string | null {
  const c = classifyNode(id);
  return c.kind === 'lot' || c.kind === 'product' || c.kind === 'unit' ? (c.gtin ?? null) : null;
}

function countOf(ranges: readonly UnitRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.hi - r.lo + 1;
  return n;
}

function firstOfType(list: readonly { readonly type: string; readonly value: string }[], word: string, canon: Canon): string | null {
  for (const s of list) if (cbvWord(s.type) === word) return canon(s.value);
  return null;
}

function move(e: number, item: string, itemKind: MoveRow['item_kind'], unit: null, gtin: string | null, kind: MoveKind, qty: number | null, uom: string | null, place: string | null, ix: EventIndex, t: string): MoveRow {
  return { e, item, item_kind: itemKind, series: unit, lo: null, hi: null, gtin, kind, qty, uom, place, source: null, destination: null, vehicle: null, biz_step: cbvWord(ix.bizStep), disposition: cbvWord(ix.disposition), t };
}

const TRANSIT_STEPS = new Set(['shipping', 'departing', 'transporting', 'loading', 'unloading']);

/** A movement row: the place is where the goods are after (receipt) or before (shipping) the event. */
function moveAt(
  e: number,
  item: string | null,
  itemKind: MoveRow['item_kind'],
  kind: MoveKind,
  qty: number | null,
  uom: string | null,
  ix: EventIndex,
  readPoint: string | null,
  bizLocation: string | null,
  source: string | null,
  destination: string | null,
  vehicleField: string | null,
  t: string,
): MoveRow {
  const bs = cbvWord(ix.bizStep);
  const inTransit = (bs !== null && TRANSIT_STEPS.has(bs)) || cbvWord(ix.disposition) === 'in_transit';
  // A read point that is a GLN-based location is a dock or door, not a vehicle.
  const vehicle = vehicleField ?? (inTransit && bizLocation === null && readPoint !== null && !readPoint.includes('/414/') ? readPoint : null);
  let place: string | null;
  if (kind === 'shipped' || kind === 'returned') place = source ?? bizLocation ?? (vehicle === readPoint ? null : readPoint);
  else if (kind === 'received') place = destination ?? bizLocation ?? readPoint;
  else place = bizLocation ?? (vehicle !== null && vehicle === readPoint ? null : readPoint);
  return {
    e,
    item,
    item_kind: itemKind,
    series: null,
    lo: null,
    hi: null,
    gtin: item === null ? null : gtinOf(item),
    kind,
    qty,
    uom,
    place,
    source,
    destination,
    vehicle,
    biz_step: bs,
    disposition: cbvWord(ix.disposition),
    t,
  };
}

/**
 * Split named identifiers into unit ranges grouped by lot (null = lot to be resolved) and other
 * nodes (containers, units of unnumbered series are ranges too). The lot of a unit is the one its
 * printed Digital Link carries, else `eventLot` (the event's ILMD lot number), else unknown.
 */
function splitUnits(ids: readonly string[], canon: Canon, eventLotNumber: string | null): { byLot: Map<string | null, UnitRange[]>; others: string[] } {
  const grouped = new Map<string | null, { series: string; n: number }[]>();
  const others: string[] = [];
  for (const raw of ids) {
    const id = canon(raw);
    const c = classifyNode(id);
    if (c.kind !== 'unit') {
      others.push(id);
      continue;
    }
    const lot = lotInLink(raw) ?? (eventLotNumber === null ? null : lotNode(c.gtin, eventLotNumber));
    let list = grouped.get(lot);
    if (!list) grouped.set(lot, (list = []));
    list.push(c);
  }
  const byLot = new Map<string | null, UnitRange[]>();
  for (const [lot, list] of grouped) byLot.set(lot, toRanges(list));
  return { byLot, others };
}

/**
 * FSMA 204 rows from EPCIS events: which stored events are critical tracking events (CTEs) of the
 * FDA Food Traceability Rule (21 CFR Part 1 Subpart S), and their key data elements (KDEs), as one
 * row per traceability lot of the exported product per event. Pure: master data, the lots of units,
 * the contents of containers and where lots were first assigned come through `Fsma204Lookups`
 * (docs/fsma204.md says how events map to CTEs).
 */
import type { BizTransaction, DestinationElement, EpcisEvent, QuantityElement, SourceElement } from '../../core/epcis/event.ts';
import { normaliseTimeStamp } from '../../core/epcis/event.ts';
import { canonicalDigitalLink } from '../../core/epcis/hash/canonical-digital-link.ts';
import { classifyNode, lotInLink, lotNode } from '../trace/identifiers.ts';

/** The seven critical tracking events of the rule. */
export type CteType = 'harvesting' | 'cooling' | 'initial_packing' | 'first_land_based_receiving' | 'shipping' | 'receiving' | 'transformation';

/** Companion of `CteType`: every CTE, and the name the FDA gives it. */
export const Cte = Object.freeze({
  all: Object.freeze<CteType[]>(['harvesting', 'cooling', 'initial_packing', 'first_land_based_receiving', 'shipping', 'receiving', 'transformation']),
  /** The rule's name of a CTE, as the spreadsheet shows it. */
  label(cte: CteType): string {
    switch (cte) {
      case 'harvesting':
        return 'Harvesting';
      case 'cooling':
        return 'Cooling';
      case 'initial_packing':
        return 'Initial Packing';
      case 'first_land_based_receiving':
        return 'First Land-Based Receiving';
      case 'shipping':
        return 'Shipping';
      case 'receiving':
        return 'Receiving';
      case 'transformation':
        return 'Transformation';
      default: {
        const unreachable: never = cte;
        throw new Error(`unknown CTE ${String(unreachable)}`);
      }
    }
  },
  /** Whether the CTE assigns the traceability lot code (its location is the TLC source). */
  assignsTlc(cte: CteType): boolean {
    return cte === 'initial_packing' || cte === 'transformation' || cte === 'first_land_based_receiving';
  },
});

/** A stored event: its ledger position, its identifier (event ID, else hash ID) and the event as captured. */
export interface StoredEvent {
  readonly seq: number;
  readonly eventId: string;
  readonly doc: EpcisEvent;
}

/** Some quantity of one lot. `lot` is a lot node, or a product node when the lot is not known. */
export interface LotQuantity {
  readonly lot: string;
  /** null when the event does not say how much. */
  readonly quantity: number | null;
  /** UN/CEFACT code; null for a count of items. */
  readonly uom: string | null;
}

/** Where a lot's traceability lot code was assigned: the event that first produced it. */
export interface LotOrigin {
  readonly seq: number;
  /** Canonical id of the place, when the event names one. */
  readonly place: string | null;
}

/** What the mapping needs to know beyond the events; the store answers these in batches. */
export interface Fsma204Lookups {
  /** Product description (English) of a GTIN-14, from master data. */
  productDescription(gtin: string): string | null;
  /** Location description of a place (canonical id: SGLN/PGLN Digital Link or other URI), from master data. */
  placeDescription(id: string): string | null;
  /** The lot node of a unit whose identifier and event do not say it. */
  unitLot(unit: string): string | null;
  /** The lots a container (case, pallet) held at `timeMs`, its nested containers included. */
  contents(container: string, timeMs: number): readonly LotQuantity[];
  /** Where and by which event a lot was first produced (commissioned or transformed). */
  lotOrigin(lot: string): LotOrigin | null;
}

/** A location as the spreadsheet shows it. */
export interface PlaceRef {
  /** Canonical id (GS1 Digital Link for GLNs). */
  readonly id: string;
  /** The GLN (13 digits) where the id is one, else the id. */
  readonly identifier: string;
  readonly description: string | null;
}

/** One input of a transformation. */
export interface InputLot {
  readonly tlc: string;
  readonly productDescription: string | null;
  readonly quantity: number | null;
  readonly unitOfMeasure: string;
}

/** A business document that records the CTE. */
export interface ReferenceDocument {
  readonly type: string;
  readonly number: string;
}

/** One row of the FSMA 204 sortable spreadsheet: a CTE of one traceability lot. */
export interface Fsma204Row {
  /** Traceability lot code, as GS1 element string `(01)GTIN(10)LOT` when it is a GS1 lot. */
  readonly tlc: string;
  /** The lot node (canonical Digital Link). */
  readonly lot: string;
  readonly gtin: string | null;
  readonly productDescription: string | null;
  readonly quantity: number | null;
  /** Readable unit of measure: `kg`, `each`, … */
  readonly unitOfMeasure: string;
  readonly cte: CteType;
  /** Event time, ISO 8601 UTC with milliseconds. */
  readonly eventTime: string;
  /** Date (YYYY-MM-DD) and time (HH:MM:SS) where the event happened, in its own time-zone offset. */
  readonly localDate: string;
  readonly localTime: string;
  /** The event's offset, e.g. `+08:00`. */
  readonly timeZoneOffset: string;
  /** Where the CTE took place. */
  readonly location: PlaceRef | null;
  /** Shipping: where it was shipped from; receiving: the immediate previous source. */
  readonly shipFrom: PlaceRef | null;
  /** Shipping: the immediate subsequent recipient; receiving: where it was received. */
  readonly shipTo: PlaceRef | null;
  /** Where the TLC was assigned. */
  readonly tlcSource: PlaceRef | null;
  /** Transformation only: the lots used. */
  readonly inputs: readonly InputLot[];
  readonly references: readonly ReferenceDocument[];
  readonly eventId: string;
  readonly seq: number;
}

const GS1_STEM = 'https://id.gs1.org/';

/**
 * The FSMA 204 rows of `events` for the product `gtin` (GTIN-14), in event order. Events that are
 * not CTEs (packing, sales, sensor readings…) give no rows; a CTE gives one row per lot of the
 * product it names (other products' lots are left out).
 *
 * @example fsma204Rows([{ seq: 7, eventId: 'ni:///…', doc: shippingEvent }], '06901234100011', lookups)
 */
export function fsma204Rows(events: readonly StoredEvent[], gtin: string, lookups: Fsma204Lookups): Fsma204Row[] {
  const rows: Fsma204Row[] = [];
  for (const event of events) rows.push(...fsma204RowsOfEvent(event, gtin, lookups));
  return rows;
}

/** The rows of one event (see fsma204Rows), sorted by TLC. */
export function fsma204RowsOfEvent(event: StoredEvent, gtin: string, lookups: Fsma204Lookups): Fsma204Row[] {
  const doc = event.doc;
  const step = bizStepWord(doc.bizStep);
  const declared = declaredCte(step);
  const eventTime = normaliseTimeStamp(doc.eventTime);
  if (eventTime === null) return [];
  const timeMs = Date.parse(eventTime);

  let cte: CteType | null = declared;
  let outputs: LotQuantity[];
  let inputs: LotQuantity[] = [];
  /** Commissioning is a CTE only for lots it creates (labelling units of an existing batch is not). */
  let onlyOrigins = false;
  switch (doc.type) {
    case 'TransformationEvent': {
      inputs = lotQuantities(doc.inputEPCList ?? [], doc.inputQuantityList ?? [], null, null, timeMs, lookups);
      outputs = lotQuantities(doc.outputEPCList ?? [], doc.outputQuantityList ?? [], null, ilmdLotNumber(doc.ilmd), timeMs, lookups);
      const hasInputs = (doc.inputEPCList?.length ?? 0) + (doc.inputQuantityList?.length ?? 0) > 0;
      cte ??= hasInputs ? 'transformation' : 'initial_packing';
      break;
    }
    case 'ObjectEvent':
    case 'TransactionEvent': {
      const parent = doc.type === 'TransactionEvent' ? (doc.parentID ?? null) : null;
      const ilmd = doc.type === 'ObjectEvent' && doc.action === 'ADD' ? ilmdLotNumber(doc.ilmd) : null;
      outputs = lotQuantities(doc.epcList ?? [], doc.quantityList ?? [], parent, ilmd, timeMs, lookups);
      if (cte === null && doc.action !== 'DELETE') {
        if (step === 'shipping') cte = 'shipping';
        else if (step === 'receiving') cte = 'receiving';
        else if ((step === 'commissioning' || step === 'creating_class_instance') && doc.action === 'ADD') {
          cte = 'initial_packing';
          onlyOrigins = true;
        }
      }
      break;
    }
    case 'AggregationEvent': {
      outputs = lotQuantities(doc.childEPCs ?? [], doc.childQuantityList ?? [], doc.parentID ?? null, null, timeMs, lookups);
      if (cte === null && doc.action !== 'DELETE') {
        if (step === 'shipping') cte = 'shipping';
        else if (step === 'receiving') cte = 'receiving';
      }
      break;
    }
    case 'AssociationEvent':
      return [];
    default: {
      const unreachable: never = doc;
      throw new Error(`unknown event type ${String((unreachable as { type?: unknown }).type)}`);
    }
  }
  if (cte === null) return [];

  const mine = outputs.filter((q) => gtinOfNode(q.lot) === gtin && (!onlyOrigins || isOrigin(q.lot, event.seq, lookups)));
  if (mine.length === 0) return [];

  const place = placeOf(lookups);
  const bizLocation = place(doc.bizLocation?.id);
  const readPoint = placeLike(doc.readPoint?.id) ? place(doc.readPoint?.id) : null;
  const from = place(firstParty(doc.sourceList ?? []));
  const to = place(firstParty(doc.destinationList ?? []));
  let location: PlaceRef | null;
  let shipFrom = from;
  let shipTo = to;
  switch (cte) {
    case 'shipping':
      location = place(firstOfType(doc.sourceList ?? [], 'location')) ?? bizLocation ?? readPoint;
      shipFrom = location ?? from;
      break;
    case 'receiving':
      location = place(firstOfType(doc.destinationList ?? [], 'location')) ?? bizLocation ?? readPoint;
      shipTo = location ?? to;
      break;
    default:
      location = bizLocation ?? readPoint;
  }

  const inputLots: InputLot[] = inputs.map((q) => {
    const g = gtinOfNode(q.lot);
    return { tlc: tlcOf(q.lot), productDescription: g === null ? null : lookups.productDescription(g), quantity: q.quantity, unitOfMeasure: unitOfMeasureLabel(q.uom) };
  });
  inputLots.sort((a, b) => compareText(a.tlc, b.tlc));
  const references = referenceDocuments(doc.bizTransactionList ?? []);
  const offset = doc.eventTimeZoneOffset;
  const local = localDateTime(timeMs, offset);
  const productDescription = lookups.productDescription(gtin);

  const rows = mine.map((q): Fsma204Row => {
    const origin = Cte.assignsTlc(cte) ? null : lookups.lotOrigin(q.lot);
    return {
      tlc: tlcOf(q.lot),
      lot: q.lot,
      gtin,
      productDescription,
      quantity: q.quantity,
      unitOfMeasure: unitOfMeasureLabel(q.uom),
      cte,
      eventTime,
      localDate: local.date,
      localTime: local.time,
      timeZoneOffset: offset,
      location,
      shipFrom,
      shipTo,
      tlcSource: Cte.assignsTlc(cte) ? location : place(origin?.place ?? undefined),
      inputs: inputLots,
      references: references.length ? references : [{ type: 'EPCIS Event', number: event.eventId }],
      eventId: event.eventId,
      seq: event.seq,
    };
  });
  return rows.sort((a, b) => compareText(a.tlc, b.tlc) || compareText(a.unitOfMeasure, b.unitOfMeasure));
}

// ---------------------------------------------------------------------------------------------
// What an event names
// ---------------------------------------------------------------------------------------------

/**
 * The lots (with quantities) an event names: classes, units (their lot from a Digital Link that
 * carries one, the event's ILMD lot number, else `lookups.unitLot`), and containers (their contents).
 * `parent` counts only when no children are listed. Summed per lot and unit of measure.
 */
export function lotQuantities(
  epcs: readonly string[],
  classes: readonly QuantityElement[],
  parent: string | null,
  ilmdLot: string | null,
  timeMs: number,
  lookups: Fsma204Lookups,
): LotQuantity[] {
  const out = new Map<string, { lot: string; quantity: number | null; uom: string | null }>();
  const add = (lot: string, quantity: number | null, uom: string | null): void => {
    const key = `${lot}\u0000${uom ?? ''}`;
    const have = out.get(key);
    if (!have) out.set(key, { lot, quantity, uom });
    else have.quantity = have.quantity === null || quantity === null ? null : have.quantity + quantity;
  };
  for (const q of classes) add(canonical(q.epcClass), q.quantity ?? null, q.uom ?? null);
  const named = (raw: string): void => {
    const id = canonical(raw);
    const node = classifyNode(id);
    switch (node.kind) {
      case 'unit': {
        const lot = lotInLink(raw) ?? (ilmdLot === null ? null : lotNode(node.gtin, ilmdLot)) ?? lookups.unitLot(id);
        add(lot ?? `${GS1_STEM}01/${node.gtin}`, 1, null);
        return;
      }
      case 'lot':
      case 'product':
        add(id, null, null);
        return;
      case 'container':
      case 'transformation':
        for (const c of lookups.contents(id, timeMs)) add(c.lot, c.quantity, c.uom);
        return;
      default: {
        const unreachable: never = node;
        throw new Error(`unknown node ${String(unreachable)}`);
      }
    }
  };
  for (const e of epcs) named(e);
  if (parent !== null && epcs.length === 0 && classes.length === 0) named(parent);
  return [...out.values()];
}

function isOrigin(lot: string, seq: number, lookups: Fsma204Lookups): boolean {
  const origin = lookups.lotOrigin(lot);
  return origin === null || origin.seq === seq;
}

const LOT_NUMBER = 'lotnumber';

/** The lot number an event's ILMD gives its new objects (`cbvmda:lotNumber` in any spelling). */
export function ilmdLotNumber(ilmd: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!ilmd) return null;
  for (const [key, value] of Object.entries(ilmd)) {
    if (localWord(key) === LOT_NUMBER && typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/** The local word of a vocabulary value in any form: `urn:epcglobal:cbv:bizstep:shipping`, `cbv:BizStep-shipping` → `shipping`. */
export function localWord(value: string): string {
  const cut = Math.max(value.lastIndexOf(':'), value.lastIndexOf('/'), value.lastIndexOf('#'));
  let word = cut >= 0 ? value.slice(cut + 1) : value;
  const dash = word.indexOf('-');
  // CBV 2.0 web URIs and CURIEs: BizStep-shipping, BTT-po, SDT-location.
  if (dash > 0 && /^[A-Z][A-Za-z]*$/.test(word.slice(0, dash))) word = word.slice(dash + 1);
  return word.toLowerCase();
}

function bizStepWord(bizStep: string | undefined): string | null {
  return bizStep === undefined ? null : localWord(bizStep);
}

/** CTEs named by a business step outside the CBV (CBV 2.0 has no harvesting, cooling or landing step). */
function declaredCte(step: string | null): CteType | null {
  if (step === null) return null;
  switch (step.replace(/[_\s-]/g, '')) {
    case 'harvesting':
    case 'harvest':
      return 'harvesting';
    case 'cooling':
      return 'cooling';
    case 'initialpacking':
      return 'initial_packing';
    case 'firstlandbasedreceiving':
    case 'landing':
      return 'first_land_based_receiving';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Identifiers and places
// ---------------------------------------------------------------------------------------------

function canonical(id: string): string {
  return canonicalDigitalLink(id) ?? id;
}

/** The GTIN-14 of a lot, unit or product node; null for anything else. */
export function gtinOfNode(node: string): string | null {
  const c = classifyNode(node);
  return c.kind === 'lot' || c.kind === 'product' || c.kind === 'unit' ? c.gtin : null;
}

/**
 * The traceability lot code of a lot node: the GS1 element string `(01)GTIN(10)LOT` (the GS1 US and
 * PTI recommendation for FSMA 204), `(01)GTIN` when only the product is known, else the identifier.
 */
export function tlcOf(node: string): string {
  const c = classifyNode(node);
  if (c.kind === 'lot' && c.gtin !== null && c.lot !== null) return `(01)${c.gtin}(10)${c.lot}`;
  if (c.kind === 'product') return `(01)${c.gtin}`;
  return node;
}

const GLN_RE = /^https:\/\/id\.gs1\.org\/41[47]\/(\d{13})(?:\/254\/[^/?#]+)?$/;
/** GS1 asset identifiers (GRAI, GIAI): vans, crates and loggers are not locations. */
const ASSET_RE = /^https:\/\/id\.gs1\.org\/800[34]\//;

/** The GLN of a place id (SGLN with or without extension, PGLN), else null. */
export function glnOf(id: string): string | null {
  return GLN_RE.exec(id)?.[1] ?? null;
}

function placeLike(raw: string | undefined): boolean {
  return raw !== undefined && !ASSET_RE.test(canonical(raw));
}

function placeOf(lookups: Fsma204Lookups): (raw: string | null | undefined) => PlaceRef | null {
  return (raw) => {
    if (raw === null || raw === undefined) return null;
    const id = canonical(raw);
    return { id, identifier: glnOf(id) ?? id, description: lookups.placeDescription(id) };
  };
}

/** The first source or destination that is a place: the location, else the possessing, else the owning party. */
function firstParty(list: readonly (SourceElement | DestinationElement)[]): string | null {
  return firstOfType(list, 'location') ?? firstOfType(list, 'possessing_party') ?? firstOfType(list, 'owning_party');
}

function firstOfType(list: readonly (SourceElement | DestinationElement)[], word: string): string | null {
  for (const item of list) {
    if (localWord(item.type) !== word) continue;
    return 'source' in item ? item.source : item.destination;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Reference documents, units, time
// ---------------------------------------------------------------------------------------------

/** CBV 2.0 business transaction types, named as US trade names them. */
const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  bol: 'Bill of Lading',
  cert: 'Certificate',
  desadv: 'Advance Shipping Notice',
  inv: 'Invoice',
  pedigree: 'Pedigree',
  po: 'Purchase Order',
  poc: 'Purchase Order Confirmation',
  prodorder: 'Production Order',
  recadv: 'Receiving Advice',
  rma: 'Return Merchandise Authorization',
  testprd: 'Test Procedure',
  testres: 'Test Result',
  upevt: 'Upstream EPCIS Event',
};

/** The reference documents of an event's business transactions (type and number). */
export function referenceDocuments(list: readonly BizTransaction[]): ReferenceDocument[] {
  return list.map((b) => {
    const word = b.type === undefined ? null : localWord(b.type);
    return { type: word === null ? 'Business Transaction' : (DOCUMENT_TYPES[word] ?? word), number: documentNumber(b.bizTransaction) };
  });
}

/** `urn:epcglobal:cbv:bt:0614141000005:PO123` → `PO123`; other identifiers as they are. */
export function documentNumber(id: string): string {
  const m = /^urn:epcglobal:cbv:bt:\d{13}:(.+)$/.exec(id);
  return m ? (m[1] as string) : id;
}

/** UN/CEFACT Recommendation 20 codes FSMA records commonly use, in words. */
const UNITS: Readonly<Record<string, string>> = {
  KGM: 'kg',
  GRM: 'g',
  TNE: 't',
  LBR: 'lb',
  ONZ: 'oz',
  LTR: 'L',
  MLT: 'mL',
  GLL: 'gal',
  EA: 'each',
  C62: 'each',
  H87: 'piece',
  CS: 'case',
  CT: 'carton',
  BX: 'box',
  PK: 'pack',
  BG: 'bag',
  PL: 'pail',
  PX: 'pallet',
};

/** A readable unit of measure: counted items are `each`; unknown codes stay as they are. */
export function unitOfMeasureLabel(uom: string | null): string {
  if (uom === null) return 'each';
  return UNITS[uom] ?? uom;
}

/** The date and time of `timeMs` at an offset such as `+08:00` (or `Z`). */
export function localDateTime(timeMs: number, offset: string): { readonly date: string; readonly time: string } {
  const iso = new Date(timeMs + offsetMinutes(offset) * 60_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

// ---------------------------------------------------------------------------------------------
// Order
// ---------------------------------------------------------------------------------------------

/** Compare by UTF-16 code units (the same on every machine, unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The spreadsheet's order: date, then TLC, then time, then ledger position. */
export function compareRows(a: Fsma204Row, b: Fsma204Row): number {
  return (
    compareText(a.localDate, b.localDate) ||
    compareText(a.tlc, b.tlc) ||
    compareText(a.eventTime, b.eventTime) ||
    a.seq - b.seq ||
    compareText(a.unitOfMeasure, b.unitOfMeasure)
  );
}

/** A row of local date D happened before D + 36 h UTC: offsets run from −12:00 to +14:00. */
const LATEST_INSTANT_AFTER_LOCAL_MIDNIGHT_MS = 36 * 3_600_000;

/** Rows arriving in event-time order, released in the spreadsheet's order (date, then TLC). */
export interface DayOrder {
  /** Add rows of events with event time at or after every event added before. */
  add(rows: readonly Fsma204Row[]): void;
  /** Rows no later event (at or after `nextEventTimeMs`) can precede, sorted. */
  ready(nextEventTimeMs: number): Fsma204Row[];
  /** Everything left, sorted. */
  rest(): Fsma204Row[];
}

/**
 * Sort a stream of rows by local date then TLC while holding at most about two days of rows: the
 * events come in UTC order, and a row's local date is final once the stream is 36 hours past it.
 */
export function createDayOrder(): DayOrder {
  let pending: Fsma204Row[] = [];
  return {
    add(rows) {
      pending.push(...rows);
    },
    ready(nextEventTimeMs) {
      const out: Fsma204Row[] = [];
      const keep: Fsma204Row[] = [];
      for (const row of pending) {
        if (Date.parse(`${row.localDate}T00:00:00Z`) + LATEST_INSTANT_AFTER_LOCAL_MIDNIGHT_MS <= nextEventTimeMs) out.push(row);
        else keep.push(row);
      }
      pending = keep;
      return out.sort(compareRows);
    },
    rest() {
      const out = pending.sort(compareRows);
      pending = [];
      return out;
    },
  };
}

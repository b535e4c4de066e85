/**
 * A deterministic generator of realistic EPCIS 2.0 JSON-LD documents: a day-by-day simulation of a
 * bakery brand (月华坊 Yuehuafang, GS1 company prefix 6901234; its world is in bakery-world.ts) with
 * one plant, three lines, a fleet of vans and a few hundred stores. Events follow the goods:
 * suppliers commission raw lots, the plant receives them, bakes batches, commissions and packs the
 * units, ships cases to stores (with temperature loggers in the vans) and the stores sell the units
 * one by one. Every GS1 key carries a valid check digit; the same seed always gives the same
 * documents, and memory stays bounded however many events are drawn.
 *
 * Two worlds:
 * - `capture` (the default): the mix the capture benchmark was measured with, unchanged.
 * - `trace`: what the trace engine reads (docs/trace.md). Production events carry `line`, `shift`,
 *   `operator`, `equipment` (oven, sealer) and `session` extension fields and a work order; raw lots
 *   are inspected at receipt and batches after baking (conformant, rarely non-conformant and then
 *   destroyed); Lotline-style labels (sequential serials, the lot in the Digital Link); East China
 *   stores are served by van trips from the plant, other regions by pallets trucked to a regional
 *   warehouse and unpacked there before van trips to stores (300+ stores in 50 cities); production
 *   follows store demand, so units are sold, returned or (expired) destroyed rather than lost; cold
 *   rooms, the dry store and the production areas report temperature and humidity, with occasional
 *   excursions. Master data for all of it comes from {@link BakeryGenerator.masterData}.
 *
 * @example
 * const gen = createBakeryGenerator({ seed: 42, world: 'trace' });
 * const body = JSON.stringify(gen.document(1000)); // an EPCISDocument of the next 1,000 events
 * gen.samples().units; // unit codes it printed, to query the trace with
 */
import {
  type BakeryMasterData,
  type BakeryWorld,
  type Depot,
  LINE_CODES,
  type Material,
  OPERATOR_IDS,
  type Store,
  type TradeItem,
  bakeryMasterData,
  bakeryWorld,
  giai,
  gln,
  lgtinUrn,
  lotLink,
  pgln,
  sgln,
  sgtinUrn,
  ssccUrn,
  storeRef,
} from './bakery-world.ts';
import { reservoir, seededRandom } from './random.ts';

/** A JSON value, as an EPCIS JSON-LD document carries it. */
export type Json = string | number | boolean | null | readonly Json[] | JsonObject;

/** A JSON object: an EPCIS event, document or one of their members. */
export interface JsonObject {
  readonly [key: string]: Json;
}

/** What happened in the supply chain; each kind is one EPCIS event shape. */
export type BakeryEventKind =
  | 'lotCommissioning'
  | 'rawReceiving'
  | 'inspection'
  | 'production'
  | 'unitCommissioning'
  | 'packing'
  | 'palletising'
  | 'shipping'
  | 'transitSensor'
  | 'warehouseReceiving'
  | 'depalletising'
  | 'coldRoomSensor'
  | 'areaSensor'
  | 'storeReceiving'
  | 'retailSelling'
  | 'storeReturn'
  | 'destruction';

const deviceOf = (event: JsonObject): string => {
  const list = event.sensorElementList as readonly JsonObject[] | undefined;
  const meta = list?.[0]?.sensorMetadata as JsonObject | undefined;
  return typeof meta?.deviceID === 'string' ? meta.deviceID : '';
};

const CAPTURE_WORLD_KINDS: readonly BakeryEventKind[] = Object.freeze<BakeryEventKind[]>([
  'lotCommissioning',
  'rawReceiving',
  'production',
  'unitCommissioning',
  'packing',
  'shipping',
  'transitSensor',
  'coldRoomSensor',
  'storeReceiving',
  'retailSelling',
]);

/** Every event kind, in supply-chain order, with a short description for reports. */
export const BakeryEventKind = Object.freeze({
  all: Object.freeze<BakeryEventKind[]>([
    'lotCommissioning',
    'rawReceiving',
    'inspection',
    'production',
    'unitCommissioning',
    'packing',
    'palletising',
    'shipping',
    'transitSensor',
    'warehouseReceiving',
    'depalletising',
    'coldRoomSensor',
    'areaSensor',
    'storeReceiving',
    'retailSelling',
    'storeReturn',
    'destruction',
  ]),
  /** The kinds a world produces (the capture world has no QC, pallets, returns, destruction or area sensors). */
  inWorld(world: BakeryWorldKind): readonly BakeryEventKind[] {
    return world === 'trace' ? BakeryEventKind.all : CAPTURE_WORLD_KINDS;
  },
  /** The kind of a generated event, read back from its type, bizStep and what it carries. */
  of(event: JsonObject): BakeryEventKind {
    if (event.type === 'TransformationEvent') return 'production';
    if (event.type === 'AggregationEvent') {
      if (event.action === 'DELETE') return 'depalletising';
      const first = (event.childEPCs as readonly string[] | undefined)?.[0] ?? '';
      return first.startsWith('urn:epc:id:sscc:') ? 'palletising' : 'packing';
    }
    switch (event.bizStep) {
      case 'commissioning':
        return event.quantityList === undefined ? 'unitCommissioning' : 'lotCommissioning';
      case 'receiving':
        if (event.quantityList !== undefined) return 'rawReceiving';
        return event.disposition === 'sellable_not_accessible' ? 'warehouseReceiving' : 'storeReceiving';
      case 'shipping':
        return event.disposition === 'returned' ? 'storeReturn' : 'shipping';
      case 'sensor_reporting':
        if (event.epcList !== undefined) return 'transitSensor';
        return /\.TH\d+$/.test(deviceOf(event)) ? 'areaSensor' : 'coldRoomSensor';
      case 'retail_selling':
        return 'retailSelling';
      case 'inspecting':
        return 'inspection';
      case 'destroying':
        return 'destruction';
      default:
        throw new Error(`not a generated bakery event: ${JSON.stringify(event).slice(0, 200)}`);
    }
  },
  describe(kind: BakeryEventKind): string {
    switch (kind) {
      case 'lotCommissioning':
        return 'supplier commissions a raw lot (ObjectEvent ADD, LGTIN quantityList, ilmd lot dates)';
      case 'rawReceiving':
        return 'plant receives raw lots (ObjectEvent OBSERVE, LGTIN quantityList, po/desadv, source/destination)';
      case 'inspection':
        return 'QC of a raw lot at receipt or of a batch after baking (ObjectEvent OBSERVE inspecting, conformant / non_conformant)';
      case 'production':
        return 'batch baked (TransformationEvent, input lots → output batch LGTIN, line readPoint, plant bizLocation)';
      case 'unitCommissioning':
        return 'units labelled (ObjectEvent ADD, 10–50 SGTINs as EPC URNs or Digital Links, ilmd)';
      case 'packing':
        return 'units packed into a case (AggregationEvent, SSCC parentID, childEPCs)';
      case 'palletising':
        return 'cases packed onto a pallet for a regional warehouse (AggregationEvent ADD, SSCC parent and children)';
      case 'shipping':
        return 'cases or a pallet shipped (ObjectEvent OBSERVE, SSCCs, van or truck readPoint and vehicle field, desadv, source/destination)';
      case 'transitSensor':
        return 'van or truck logger readings (ObjectEvent OBSERVE, SSCCs, sensorElementList temperature/humidity)';
      case 'warehouseReceiving':
        return 'regional warehouse receives a pallet (ObjectEvent OBSERVE receiving, sellable_not_accessible)';
      case 'depalletising':
        return 'pallet unpacked at the warehouse (AggregationEvent DELETE, unpacking)';
      case 'coldRoomSensor':
        return 'cold-room logger readings (ObjectEvent OBSERVE, readPoint only, sensorElementList)';
      case 'areaSensor':
        return 'production-area and dry-store readings (ObjectEvent OBSERVE, readPoint only, sensorElementList)';
      case 'storeReceiving':
        return 'store receives cases (ObjectEvent OBSERVE, SSCCs, store readPoint, source/destination)';
      case 'retailSelling':
        return 'unit sold at the till (ObjectEvent OBSERVE retail_selling, one EPC)';
      case 'storeReturn':
        return 'store sends a unit back (ObjectEvent OBSERVE shipping, disposition returned, rma)';
      case 'destruction':
        return 'expired stock at a store, or a rejected lot or batch at the plant, destroyed (ObjectEvent destroying / destroyed)';
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown event kind ${String(unreachable)}`);
      }
    }
  },
});

/** Which simulation: the capture benchmark's original mix, or the richer world the trace benchmark needs. */
export type BakeryWorldKind = 'capture' | 'trace';

/** How often the rarer things happen in the `trace` world. */
export interface BakeryRates {
  /** Share of raw lots that fail QC at receipt (and are destroyed; another lot is delivered). */
  readonly rawNonConformant: number;
  /** Share of batches that fail QC after baking (and are destroyed before labelling). */
  readonly batchNonConformant: number;
  /** Share of units taken off a store shelf that are sent back (disposition returned) instead of sold. */
  readonly storeReturn: number;
  /** Share of events that are fixed-sensor readings (cold rooms, dry store, production areas). */
  readonly sensorShare: number;
  /** Chance that a fixed-sensor reading starts an excursion (2–6 alarm readings in a row). */
  readonly excursionStart: number;
  /** While a batch is on its way to stores, the share of events that are its logistics (the rest are store sales). */
  readonly logisticsShare: number;
  /** Stock a store holds before the plant bakes again (units per store). */
  readonly shelfUnitsPerStore: number;
  /** Fewest cases that go to a regional warehouse on a pallet. */
  readonly palletMinCases: number;
}

export const DEFAULT_RATES: BakeryRates = Object.freeze({
  rawNonConformant: 0.01,
  batchNonConformant: 0.005,
  storeReturn: 0.002,
  sensorShare: 0.015,
  excursionStart: 0.02,
  logisticsShare: 0.35,
  shelfUnitsPerStore: 40,
  palletMinCases: 8,
});

/** Options of {@link createBakeryGenerator}. */
export interface BakeryGeneratorOptions {
  /** Seed of the pseudo-random source: equal seeds give equal documents. */
  readonly seed: number;
  /** Brand GS1 company prefix, 7 digits (default 6901234). */
  readonly companyPrefix?: string;
  /** Simulation start (default 2025-09-01 06:00 China Standard Time). */
  readonly start?: Date;
  /** Number of stores (default 300 in the capture world, 320 in the trace world). */
  readonly stores?: number;
  /** Share of unit-commissioning events that label units with GS1 Digital Link URIs instead of EPC URNs (default 0.3). */
  readonly digitalLinkShare?: number;
  /** Share of events that are till sales while stores have stock (capture world only; default 0.65). */
  readonly saleShare?: number;
  /** Which world to simulate (default `capture`). */
  readonly world?: BakeryWorldKind;
  /**
   * Unit serial numbers: `random` (7 random-looking characters, the capture world's default) or
   * `sequential` (10 digits counting up per product, as Lotline's label printing allocates them; the
   * trace world's default).
   */
  readonly serials?: 'random' | 'sequential';
  /** Codes kept per sample (units, raw lots, batch lots; default 1,000). */
  readonly sampleSize?: number;
  /** Rates of the trace world. */
  readonly rates?: Partial<BakeryRates>;
}

/** Codes the generator put into emitted events, sampled uniformly (reservoir), to pick query subjects from. */
export interface BakerySamples {
  /** Unit codes as printed: EPC URNs or the brand's Digital Links. */
  readonly units: readonly string[];
  /** Accepted raw-material lots, as canonical GS1 Digital Links (`…/01/{gtin}/10/{lot}`). */
  readonly rawLots: readonly string[];
  /** Batches baked (and passed QC), as canonical GS1 Digital Links. */
  readonly batchLots: readonly string[];
  /** The brand's products. */
  readonly products: readonly { readonly productId: string; readonly gtin: string }[];
}

/** What the emitted events amount to. */
export interface BakeryStats {
  readonly events: number;
  readonly units: number;
  readonly rawLots: number;
  readonly rawLotsRejected: number;
  readonly batches: number;
  readonly batchesRejected: number;
  readonly cases: number;
  readonly pallets: number;
  readonly trips: number;
  readonly storesReached: number;
  readonly citiesReached: number;
  /** Event times of the first and last emitted event (ISO, +08:00); null before the first. */
  readonly firstEventTime: string | null;
  readonly lastEventTime: string | null;
}

/** A stream of bakery events and the EPCISDocuments that carry them. */
export interface BakeryGenerator {
  /** The next `count` events, in time order (supplier-side lot commissioning is dated days earlier). */
  events(count: number): JsonObject[];
  /** An EPCISDocument of the next `count` events. */
  document(count: number): JsonObject;
  /** How many events of each kind were generated so far. */
  counts(): Readonly<Record<BakeryEventKind, number>>;
  /** Codes that emitted events carry, sampled uniformly so far. */
  samples(): BakerySamples;
  stats(): BakeryStats;
  /** Master data of the simulated world, as the master-data API takes it. */
  masterData(): BakeryMasterData;
  readonly world: BakeryWorld;
}

/** The `@context` of generated documents: the standard EPCIS context plus the brand's extension namespace. */
export const BAKERY_CONTEXT: readonly Json[] = Object.freeze([
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  Object.freeze({ bakery: 'https://ns.yuehuafang.example/epcis/' }),
]);

const TZ = '+08:00';
const TZ_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** Resolver domain printed in the brand's on-pack QR codes. */
const QR_DOMAIN = 'https://qr.yuehuafang.example';

// ---------------------------------------------------------------------------------------------
// Serials
// ---------------------------------------------------------------------------------------------

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I or O: they read as 1 and 0

/** A unique, random-looking 7-character serial for counter `n` (a bijection on 32 bits, then base 34). */
function serialFor(n: number): string {
  let x = n >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  let out = '';
  for (let i = 0; i < 7; i++) {
    out = SERIAL_ALPHABET[x % 34] + out;
    x = Math.floor(x / 34);
  }
  return out;
}

const sgtinLink = (t: TradeItem, serial: string): string => `${QR_DOMAIN}/01/${t.gtin14}/21/${serial}`;
/** A Lotline label's Digital Link: GTIN, batch and serial. */
const labelLink = (t: TradeItem, lot: string, serial: string): string => `${QR_DOMAIN}/01/${t.gtin14}/10/${encodeURIComponent(lot)}/21/${serial}`;

// ---------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------

interface Lot {
  readonly epcClass: string;
  readonly lot: string;
  remainingKg: number;
}

interface Unit {
  readonly epc: string;
  readonly store: number;
  /** When it passes its best-before time (trace world; Infinity in the capture world). */
  readonly expires: number;
}

interface Planned {
  readonly kind: BakeryEventKind;
  readonly build: (time: number) => JsonObject;
}

interface Case {
  readonly sscc: string;
  readonly units: string[];
}

/** Create a generator; see the module comment. */
export function createBakeryGenerator(options: BakeryGeneratorOptions): BakeryGenerator {
  const traceWorld = (options.world ?? 'capture') === 'trace';
  const world = bakeryWorld({ seed: options.seed, stores: options.stores ?? (traceWorld ? 320 : 300), ...(options.companyPrefix ? { companyPrefix: options.companyPrefix } : {}) });
  const brand = world.brand;
  const storeCount = world.stores.length;
  const dlShare = options.digitalLinkShare ?? 0.3;
  const saleShare = options.saleShare ?? 0.65;
  const sequentialSerials = (options.serials ?? (traceWorld ? 'sequential' : 'random')) === 'sequential';
  const rates: BakeryRates = { ...DEFAULT_RATES, ...options.rates };
  const rng = seededRandom(options.seed);
  // Sampling draws on its own stream, so asking for samples never changes the events.
  const sampleRng = seededRandom((options.seed ^ 0x2545f491) >>> 0);
  const sampleSize = options.sampleSize ?? 1000;
  const unitSample = reservoir<string>(sampleSize, sampleRng);
  const rawLotSample = reservoir<string>(sampleSize, sampleRng);
  const batchSample = reservoir<string>(sampleSize, sampleRng);
  let clock = (options.start ?? new Date('2025-09-01T06:00:00+08:00')).getTime();

  const { brandParty, brandGln, plant: site } = world;
  const plant = site.site;
  const packingStation = site.packing;
  const dock = site.dock;
  const coldRoom = site.coldRoom;
  const dryStore = site.dryStore;
  const plantRef = '00001';
  const storeLocation = (i: number): string => sgln(brand, storeRef(i), '0');
  // The capture world's fleet (the trace world uses the depots' vans and the trucks of bakery-world.ts).
  const vans = Array.from({ length: 16 }, (_, i) => ({ id: giai(brand, `VAN${String(i + 1).padStart(3, '0')}`), logger: giai(brand, `TL${String(i + 1).padStart(4, '0')}`), chilled: i < 6 }));
  const coldRoomLogger = giai(brand, 'TL0900');
  const products = world.products;
  const materials = world.materials;

  const counts = Object.fromEntries(BakeryEventKind.all.map((k) => [k, 0])) as Record<BakeryEventKind, number>;
  const currentLots = new Map<Material, Lot[]>();
  const queue: Planned[] = [];
  let queueHead = 0;
  const shelf: Unit[] = [];
  const shelfTarget = rates.shelfUnitsPerStore * storeCount;
  const shelfCap = traceWorld ? Math.max(60_000, shelfTarget * 3) : 60_000;
  let unitCounter = 1;
  let ssccCounter = 1;
  let lotCounter = 1;
  let batchCounter = 1;
  let poCounter = 1;
  let desadvCounter = 1;
  let workOrderCounter = 1;
  let tripCounter = 1;
  let rmaCounter = 1;
  const productSerials = new Map<string, number>();
  const batchSequences = new Map<string, number>();
  let batchSequenceDay = '';
  const excursions = new Map<string, number>();
  const stats = { events: 0, units: 0, rawLots: 0, rawLotsRejected: 0, batches: 0, batchesRejected: 0, cases: 0, pallets: 0, trips: 0 };
  const storesReached = new Set<number>();
  let firstEventTime: number | null = null;

  const localIso = (ms: number): string => `${new Date(ms + TZ_MS).toISOString().slice(0, 23)}${TZ}`;
  const localDate = (ms: number): string => new Date(ms + TZ_MS).toISOString().slice(0, 10);
  const yymmdd = (ms: number): string => localDate(ms).replace(/-/g, '').slice(2);
  const when = (time: number): JsonObject => ({ eventTime: localIso(time), eventTimeZoneOffset: TZ });
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  /** Shifts: AM 06–14, PM 14–22, NT 22–06 (local time). */
  const shiftOf = (ms: number): string => {
    const hour = new Date(ms + TZ_MS).getUTCHours();
    return hour >= 6 && hour < 14 ? 'AM' : hour >= 14 && hour < 22 ? 'PM' : 'NT';
  };

  const plan = (kind: BakeryEventKind, build: (time: number) => JsonObject): void => {
    queue.push({ kind, build });
  };

  /** A supplier delivers a new lot of `material`: its commissioning (supplier side) and our receiving; in the trace world also its QC. */
  const planDelivery = (material: Material, minKg: number): Lot => {
    const spec = materials.get(material);
    if (!spec) throw new Error(`no material ${material}`);
    for (;;) {
      const kg = Math.max(minKg, rng.int(spec.lotKg[0], spec.lotKg[1]));
      const lotCode = `${yymmdd(clock)}${SERIAL_ALPHABET[10 + (lotCounter % 24)]}${String(lotCounter % 100).padStart(2, '0')}`;
      lotCounter++;
      const lot: Lot = { epcClass: lgtinUrn(spec.item, lotCode), lot: lotCode, remainingKg: kg };
      const supplierSite = sgln(spec.supplier, '00001', '0');
      const conformant = !traceWorld || rng.next() >= rates.rawNonConformant;
      plan('lotCommissioning', (time) => ({
        type: 'ObjectEvent',
        ...when(time - rng.int(2, 5) * DAY_MS),
        quantityList: [{ epcClass: lot.epcClass, quantity: kg, uom: 'KGM' }],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: sgln(spec.supplier, '00001', String(rng.int(1, 4))) },
        bizLocation: { id: supplierSite },
        ilmd: {
          'cbvmda:lotNumber': lotCode,
          'cbvmda:bestBeforeDate': localDate(time + rng.int(20, 180) * DAY_MS),
          'cbvmda:countryOfOrigin': 'CN',
        },
      }));
      const po = `urn:epcglobal:cbv:bt:${brandGln}:PO${yymmdd(clock)}${String(poCounter++).padStart(5, '0')}`;
      const desadv = `urn:epcglobal:cbv:bt:${gln(spec.supplier, '00001')}:DN${String(desadvCounter++).padStart(7, '0')}`;
      const storedAt = spec.chilled ? coldRoom : dryStore;
      plan('rawReceiving', (time) => {
        stats.rawLots++;
        if (conformant) rawLotSample.offer(lotLink(spec.item, lotCode));
        return {
          type: 'ObjectEvent',
          ...when(time),
          quantityList: [{ epcClass: lot.epcClass, quantity: kg, uom: 'KGM' }],
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'in_progress',
          readPoint: { id: dock },
          bizLocation: { id: storedAt },
          bizTransactionList: [
            { type: 'po', bizTransaction: po },
            { type: 'desadv', bizTransaction: desadv },
          ],
          sourceList: [
            { type: 'owning_party', source: pgln(spec.supplier, '00000') },
            { type: 'location', source: supplierSite },
          ],
          destinationList: [
            { type: 'owning_party', destination: brandParty },
            { type: 'location', destination: plant },
          ],
          // The supplier's certificate of analysis for the lot.
          ...(traceWorld ? { certificationInfo: `https://coa.supplier-${spec.supplier}.example/lots/${lotCode}` } : {}),
        };
      });
      if (!traceWorld) return lot;
      plan('inspection', (time) => ({
        type: 'ObjectEvent',
        ...when(time),
        quantityList: [{ epcClass: lot.epcClass }],
        action: 'OBSERVE',
        bizStep: 'inspecting',
        disposition: conformant ? 'conformant' : 'non_conformant',
        readPoint: { id: site.qcLab },
        bizLocation: { id: storedAt },
      }));
      if (conformant) return lot;
      plan('destruction', (time) => {
        stats.rawLotsRejected++;
        return {
          type: 'ObjectEvent',
          ...when(time),
          quantityList: [{ epcClass: lot.epcClass, quantity: kg, uom: 'KGM' }],
          action: 'OBSERVE',
          bizStep: 'destroying',
          disposition: 'destroyed',
          readPoint: { id: site.waste },
          bizLocation: { id: plant },
        };
      });
    }
  };

  /** Take `kg` of `material` from the lots on hand (oldest first), ordering a new lot when short. */
  const consume = (material: Material, kg: number): { epcClass: string; quantity: number; uom: string }[] => {
    const lots = currentLots.get(material) ?? [];
    currentLots.set(material, lots);
    const onHand = lots.reduce((s, l) => s + l.remainingKg, 0);
    if (onHand < kg) lots.push(planDelivery(material, kg - onHand));
    const used: { epcClass: string; quantity: number; uom: string }[] = [];
    let left = kg;
    while (left > 1e-9) {
      const lot = lots[0];
      if (!lot) break;
      const take = Math.min(left, lot.remainingKg);
      used.push({ epcClass: lot.epcClass, quantity: round1(take), uom: 'KGM' });
      lot.remainingKg -= take;
      left -= take;
      if (lot.remainingKg < 0.05) lots.shift();
    }
    return used.filter((u) => u.quantity > 0);
  };

  /** Serial numbers for `count` new units of `item`. */
  const nextSerials = (item: TradeItem, count: number): string[] => {
    if (!sequentialSerials) return Array.from({ length: count }, () => serialFor(unitCounter++));
    const first = productSerials.get(item.gtin14) ?? 1;
    productSerials.set(item.gtin14, first + count);
    unitCounter += count;
    return Array.from({ length: count }, (_, i) => String(first + i).padStart(10, '0'));
  };

  /** Labelling (units get on-pack QR codes in runs of 10–50) and packing (full cases, then a partial one). */
  const planLabellingAndPacking = (product: (typeof products)[number], units: number, batchLot: string, lineReadPoint: string, bestBefore: (time: number) => string): Case[] => {
    const labelled: string[] = [];
    for (let done = 0; done < units; ) {
      const run = Math.min(units - done, rng.int(10, 50));
      const asLink = rng.next() < dlShare;
      const epcs = nextSerials(product.item, run).map((serial) =>
        asLink ? (traceWorld ? labelLink(product.item, batchLot, serial) : sgtinLink(product.item, serial)) : sgtinUrn(product.item, serial),
      );
      labelled.push(...epcs);
      done += run;
      plan('unitCommissioning', (time) => {
        stats.units += epcs.length;
        for (const epc of epcs) unitSample.offer(epc);
        return {
          type: 'ObjectEvent',
          ...when(time),
          epcList: epcs,
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          readPoint: { id: lineReadPoint },
          bizLocation: { id: plant },
          ilmd: { 'cbvmda:lotNumber': batchLot, 'cbvmda:itemExpirationDate': bestBefore(time) },
        };
      });
    }
    const cases: Case[] = [];
    for (let i = 0; i < labelled.length; i += product.caseSize) {
      const children = labelled.slice(i, i + product.caseSize);
      const sscc = ssccUrn(brand, ssccCounter++);
      cases.push({ sscc, units: children });
      plan('packing', (time) => {
        stats.cases++;
        return {
          type: 'AggregationEvent',
          ...when(time),
          parentID: sscc,
          childEPCs: children,
          action: 'ADD',
          bizStep: 'packing',
          disposition: 'in_progress',
          readPoint: { id: packingStation },
          bizLocation: { id: plant },
        };
      });
    }
    return cases;
  };

  /** Capture world: one production batch, its raw material, labelling, packing, and delivery to stores. */
  const planBatch = (): void => {
    const product = rng.pick(products);
    const units = rng.int(product.batch[0], product.batch[1]);
    const line = rng.pick(LINE_CODES);
    const lineReadPoint = sgln(brand, plantRef, line);
    const batchLot = `B${yymmdd(clock)}${line}${String(batchCounter++ % 1000).padStart(3, '0')}`;
    const inputs = product.recipe.flatMap((m) => consume(m, round1(units * (materials.get(m)?.kgPerUnit ?? 0.01) * rng.around(1, 0.04))));
    const bestBefore = (time: number): string => localDate(time + product.shelfDays * DAY_MS);
    plan('production', (time) => {
      stats.batches++;
      batchSample.offer(lotLink(product.item, batchLot));
      return {
        type: 'TransformationEvent',
        ...when(time),
        inputQuantityList: inputs,
        outputQuantityList: [{ epcClass: lgtinUrn(product.item, batchLot), quantity: units }],
        bizStep: 'creating_class_instance',
        disposition: 'active',
        readPoint: { id: lineReadPoint },
        bizLocation: { id: plant },
        ilmd: { 'cbvmda:lotNumber': batchLot, 'cbvmda:bestBeforeDate': bestBefore(time) },
        'bakery:operator': rng.pick(OPERATOR_IDS),
        'bakery:ovenProgram': `P${rng.int(1, 9)}`,
      };
    });

    const cases = planLabellingAndPacking(product, units, batchLot, lineReadPoint, bestBefore);

    // Deliveries: 1–4 cases to a store, in a van with a temperature logger.
    for (let i = 0; i < cases.length; ) {
      const load = cases.slice(i, i + rng.int(1, 4));
      i += load.length;
      const store = rng.int(1, storeCount);
      const van = product.chilled ? rng.pick(vans.slice(0, 6)) : rng.pick(vans);
      const ssccs = load.map((c) => c.sscc);
      const desadv = `urn:epcglobal:cbv:bt:${brandGln}:DN${String(desadvCounter++).padStart(7, '0')}`;
      const route = {
        bizTransactionList: [{ type: 'desadv', bizTransaction: desadv }],
        sourceList: [
          { type: 'owning_party', source: brandParty },
          { type: 'location', source: plant },
        ],
        destinationList: [
          { type: 'owning_party', destination: brandParty },
          { type: 'location', destination: storeLocation(store) },
        ],
      };
      plan('shipping', (time) => ({
        type: 'ObjectEvent',
        ...when(time),
        epcList: ssccs,
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: van.id },
        ...route,
      }));
      planTransitReadings(ssccs, van);
      plan('storeReceiving', (time) => {
        for (const c of load) for (const epc of c.units) shelf.push({ epc, store, expires: Number.POSITIVE_INFINITY });
        storesReached.add(store);
        return {
          type: 'ObjectEvent',
          ...when(time),
          epcList: ssccs,
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          readPoint: { id: sgln(brand, storeRef(store), '9') },
          bizLocation: { id: storeLocation(store) },
          ...route,
        };
      });
    }
  };

  /** Trace world: a batch with its production context and QC, then pallets to warehouses and van trips to stores. */
  const planTraceBatch = (): void => {
    const product = rng.pick(products);
    const units = rng.int(product.batch[0], product.batch[1]);
    const line = rng.pick(world.lines);
    const day = yymmdd(clock);
    const shift = shiftOf(clock);
    if (day !== batchSequenceDay) {
      batchSequences.clear();
      batchSequenceDay = day;
    }
    const sequenceKey = `${product.productLine}|${shift}`;
    const sequence = (batchSequences.get(sequenceKey) ?? 0) + 1;
    batchSequences.set(sequenceKey, sequence);
    // Lotline's default batch-code rule: {YYMMDD}-{LINE}-{SHIFT}-{SEQ:3}, per product line.
    const batchLot = `${day}-${product.productLine}-${shift}-${String(sequence).padStart(3, '0')}`;
    const inputs = product.recipe.flatMap((m) => consume(m, round1(units * (materials.get(m)?.kgPerUnit ?? 0.01) * rng.around(1, 0.04))));
    const conformant = rng.next() >= rates.batchNonConformant;
    const operators = rng.next() < 0.5 ? [rng.pick(OPERATOR_IDS)] : [rng.pick(OPERATOR_IDS), rng.pick(OPERATOR_IDS)];
    const equipment = [rng.pick(line.ovens), line.sealer];
    const program = `P${rng.int(1, 9)}`;
    const workOrder = `urn:epcglobal:cbv:bt:${brandGln}:WO${String(workOrderCounter++).padStart(7, '0')}`;
    const batchClass = lgtinUrn(product.item, batchLot);
    let producedAt = clock;
    const bestBefore = (time: number): string => localDate(time + product.shelfDays * DAY_MS);
    plan('production', (time) => {
      producedAt = time;
      stats.batches++;
      if (conformant) batchSample.offer(lotLink(product.item, batchLot));
      return {
        type: 'TransformationEvent',
        ...when(time),
        inputQuantityList: inputs,
        outputQuantityList: [{ epcClass: batchClass, quantity: units }],
        bizStep: 'creating_class_instance',
        disposition: 'active',
        readPoint: { id: line.readPoint },
        bizLocation: { id: plant },
        bizTransactionList: [{ type: 'prodorder', bizTransaction: workOrder }],
        ilmd: { 'cbvmda:lotNumber': batchLot, 'cbvmda:bestBeforeDate': bestBefore(time) },
        'bakery:line': line.locationId,
        'bakery:shift': shift,
        'bakery:operator': operators,
        'bakery:equipment': equipment,
        'bakery:session': `${day}-${line.locationId}-${shift}`,
        'bakery:ovenProgram': program,
      };
    });
    plan('inspection', (time) => ({
      type: 'ObjectEvent',
      ...when(time),
      quantityList: [{ epcClass: batchClass }],
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: conformant ? 'conformant' : 'non_conformant',
      readPoint: { id: site.qcLab },
      bizLocation: { id: plant },
    }));
    if (!conformant) {
      plan('destruction', (time) => {
        stats.batchesRejected++;
        return {
          type: 'ObjectEvent',
          ...when(time),
          quantityList: [{ epcClass: batchClass, quantity: units }],
          action: 'OBSERVE',
          bizStep: 'destroying',
          disposition: 'destroyed',
          readPoint: { id: site.waste },
          bizLocation: { id: plant },
        };
      });
      return;
    }

    const cases = planLabellingAndPacking(product, units, batchLot, line.readPoint, bestBefore);
    const expires = (): number => producedAt + product.shelfDays * DAY_MS;
    const east = world.depots[0] as Depot;
    // East China by van from the plant; other regions by pallet to their warehouse, then by van.
    for (let i = 0; i < cases.length; ) {
      const region = rng.pick(world.stores).city.region;
      const left = cases.length - i;
      if (region !== 'east' && left >= rates.palletMinCases) {
        const n = Math.min(left, rng.int(rates.palletMinCases, 30));
        planPallet(product.chilled, cases.slice(i, i + n), world.depots.find((d) => d.region === region) as Depot, expires);
        i += n;
      } else {
        const n = Math.min(left, rng.int(4, 16));
        planTrip(product.chilled, east, cases.slice(i, i + n), expires);
        i += n;
      }
    }
  };

  /** Cases onto a pallet, trucked to a regional warehouse, received, unpacked, and sent on to stores. */
  const planPallet = (chilled: boolean, cases: readonly Case[], depot: Depot, expires: () => number): void => {
    const pallet = ssccUrn(brand, ssccCounter++);
    const children = cases.map((c) => c.sscc);
    const truck = rng.pick(world.trucks);
    const trip = `TRIP${String(tripCounter++).padStart(7, '0')}`;
    const desadv = `urn:epcglobal:cbv:bt:${brandGln}:DN${String(desadvCounter++).padStart(7, '0')}`;
    const route = {
      bizTransactionList: [{ type: 'desadv', bizTransaction: desadv }],
      sourceList: [
        { type: 'owning_party', source: brandParty },
        { type: 'location', source: plant },
      ],
      destinationList: [
        { type: 'owning_party', destination: brandParty },
        { type: 'location', destination: depot.site },
      ],
    };
    plan('palletising', (time) => {
      stats.pallets++;
      return { type: 'AggregationEvent', ...when(time), parentID: pallet, childEPCs: children, action: 'ADD', bizStep: 'packing', disposition: 'in_progress', readPoint: { id: dock }, bizLocation: { id: plant } };
    });
    plan('shipping', (time) => {
      stats.trips++;
      return { type: 'ObjectEvent', ...when(time), epcList: [pallet], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', readPoint: { id: truck.id }, ...route, 'bakery:vehicle': truck.id, 'bakery:trip': trip };
    });
    const readings = rng.int(1, 3);
    for (let r = 0; r < readings; r++) {
      plan('transitSensor', (time) => ({
        type: 'ObjectEvent',
        ...when(time),
        epcList: [pallet],
        action: 'OBSERVE',
        bizStep: 'sensor_reporting',
        disposition: 'in_transit',
        readPoint: { id: truck.id },
        sensorElementList: Array.from({ length: rng.int(1, 3) }, (_, k) => sensorElement(time - k * 300_000, truck.logger, true)),
      }));
    }
    plan('warehouseReceiving', (time) => ({
      type: 'ObjectEvent',
      ...when(time),
      epcList: [pallet],
      action: 'OBSERVE',
      bizStep: 'receiving',
      disposition: 'sellable_not_accessible',
      readPoint: { id: depot.dock },
      bizLocation: { id: depot.site },
      ...route,
    }));
    plan('depalletising', (time) => ({ type: 'AggregationEvent', ...when(time), parentID: pallet, childEPCs: children, action: 'DELETE', bizStep: 'unpacking', disposition: 'in_progress', readPoint: { id: depot.dock }, bizLocation: { id: depot.site } }));
    for (let i = 0; i < cases.length; ) {
      const n = Math.min(cases.length - i, rng.int(4, 16));
      planTrip(chilled, depot, cases.slice(i, i + n), expires);
      i += n;
    }
  };

  /** One van trip from a depot: 1–4 cases to each of several stores of its region, with a logger on board. */
  const planTrip = (chilled: boolean, depot: Depot, cases: readonly Case[], expires: () => number): void => {
    const van = chilled ? rng.pick(depot.chilledVans) : rng.pick(depot.vans);
    const trip = `TRIP${String(tripCounter++).padStart(7, '0')}`;
    const regionStores = world.storesByRegion.get(depot.region) ?? world.stores;
    const stops: { store: Store; load: readonly Case[]; route: JsonObject }[] = [];
    for (let i = 0; i < cases.length; ) {
      const load = cases.slice(i, i + rng.int(1, 4));
      i += load.length;
      const store = rng.pick(regionStores);
      const desadv = `urn:epcglobal:cbv:bt:${brandGln}:DN${String(desadvCounter++).padStart(7, '0')}`;
      const route = {
        bizTransactionList: [{ type: 'desadv', bizTransaction: desadv }],
        sourceList: [
          { type: 'owning_party', source: brandParty },
          { type: 'location', source: depot.site },
        ],
        destinationList: [
          { type: 'owning_party', destination: brandParty },
          { type: 'location', destination: store.site },
        ],
      };
      stops.push({ store, load, route });
    }
    stops.forEach((stop, k) => {
      plan('shipping', (time) => {
        if (k === 0) stats.trips++;
        return {
          type: 'ObjectEvent',
          ...when(time),
          epcList: stop.load.map((c) => c.sscc),
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'in_transit',
          readPoint: { id: van.id },
          ...stop.route,
          'bakery:vehicle': van.id,
          'bakery:trip': trip,
        };
      });
    });
    const onBoard = cases.map((c) => c.sscc);
    planTransitReadings(onBoard, van);
    for (const stop of stops) {
      plan('storeReceiving', (time) => {
        const until = expires();
        for (const c of stop.load) for (const epc of c.units) shelf.push({ epc, store: stop.store.index, expires: until });
        storesReached.add(stop.store.index);
        return {
          type: 'ObjectEvent',
          ...when(time),
          epcList: stop.load.map((c) => c.sscc),
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          readPoint: { id: sgln(brand, storeRef(stop.store.index), '9') },
          bizLocation: { id: stop.store.site },
          ...stop.route,
        };
      });
    }
  };

  /** One or two van logger readings of the cases on board while in transit. */
  const planTransitReadings = (onBoard: readonly string[], van: { readonly id: string; readonly logger: string; readonly chilled: boolean }): void => {
    const readings = rng.int(1, 2);
    for (let r = 0; r < readings; r++) {
      plan('transitSensor', (time) => ({
        type: 'ObjectEvent',
        ...when(time),
        epcList: onBoard,
        action: 'OBSERVE',
        bizStep: 'sensor_reporting',
        disposition: 'in_transit',
        readPoint: { id: van.id },
        sensorElementList: Array.from({ length: rng.int(1, 3) }, (_, k) => sensorElement(time - k * 300_000, van.logger, van.chilled)),
      }));
    }
  };

  const sensorElement = (time: number, device: string, chilled: boolean): JsonObject => {
    const temperature = round1(chilled ? rng.around(4, 1.5) : rng.around(22, 3));
    const alarm = chilled && rng.next() < 0.01;
    return {
      sensorMetadata: { time: localIso(time), deviceID: device },
      sensorReport: [
        { type: 'Temperature', value: alarm ? round1(temperature + 5) : temperature, uom: 'CEL', ...(alarm ? { exception: 'ALARM_CONDITION' } : {}) },
        { type: 'RelativeHumidity', value: round1(rng.around(65, 10)), uom: 'P1' },
      ],
    };
  };

  /** Take a random unit off a store shelf. */
  const takeFromShelf = (): Unit => {
    const i = Math.floor(rng.next() * shelf.length);
    const unit = shelf[i] as Unit;
    shelf[i] = shelf[shelf.length - 1] as Unit;
    shelf.pop();
    return unit;
  };

  const sale = (time: number, unit: Unit): JsonObject => ({
    type: 'ObjectEvent',
    ...when(time),
    epcList: [unit.epc],
    action: 'OBSERVE',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    readPoint: { id: sgln(brand, storeRef(unit.store), String(rng.int(1, 3))) },
    bizLocation: { id: storeLocation(unit.store) },
  });

  /** Trace world: what happens to a unit taken off the shelf — expired stock is destroyed, a few are sent back, the rest sold. */
  const shelfEvent = (time: number): { kind: BakeryEventKind; event: JsonObject } => {
    const unit = takeFromShelf();
    if (unit.expires <= time) {
      return {
        kind: 'destruction',
        event: { type: 'ObjectEvent', ...when(time), epcList: [unit.epc], action: 'OBSERVE', bizStep: 'destroying', disposition: 'destroyed', readPoint: { id: sgln(brand, storeRef(unit.store), '9') }, bizLocation: { id: storeLocation(unit.store) } },
      };
    }
    if (rng.next() < rates.storeReturn) {
      const rma = `urn:epcglobal:cbv:bt:${brandGln}:RMA${String(rmaCounter++).padStart(7, '0')}`;
      return {
        kind: 'storeReturn',
        event: {
          type: 'ObjectEvent',
          ...when(time),
          epcList: [unit.epc],
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'returned',
          readPoint: { id: sgln(brand, storeRef(unit.store), '9') },
          bizTransactionList: [{ type: 'rma', bizTransaction: rma }],
          sourceList: [{ type: 'location', source: storeLocation(unit.store) }],
          destinationList: [{ type: 'location', destination: site.qcLab }],
        },
      };
    }
    return { kind: 'retailSelling', event: sale(time, unit) };
  };

  const coldRoomReading = (time: number): JsonObject => ({
    type: 'ObjectEvent',
    ...when(time),
    action: 'OBSERVE',
    bizStep: 'sensor_reporting',
    readPoint: { id: coldRoom },
    bizLocation: { id: plant },
    sensorElementList: [sensorElement(time, coldRoomLogger, true)],
  });

  /** Trace world: a fixed sensor reports; an excursion, once started, lasts 2–6 readings. */
  const fixedReading = (time: number): { kind: BakeryEventKind; event: JsonObject } => {
    const sensor = rng.pick(world.sensors);
    let left = excursions.get(sensor.device) ?? 0;
    if (left === 0 && rng.next() < rates.excursionStart) left = rng.int(2, 6);
    const alarm = left > 0;
    excursions.set(sensor.device, Math.max(0, left - 1));
    const cold = sensor.kind === 'cold';
    const temperature = round1(cold ? (alarm ? rng.around(11, 2) : rng.around(3.5, 1)) : alarm ? rng.around(31, 2) : rng.around(22, 2));
    // Normal rooms stay below 70 %RH (the default excursion limit); an excursion (a door left open, a
    // failing chiller or dehumidifier) raises the humidity, and the temperature of a cold room.
    const humidity = round1(alarm ? rng.around(cold ? 78 : 86, 4) : rng.around(cold ? 60 : 55, 6));
    const exception: JsonObject = alarm ? { exception: 'ALARM_CONDITION' } : {};
    return {
      kind: cold ? 'coldRoomSensor' : 'areaSensor',
      event: {
        type: 'ObjectEvent',
        ...when(time),
        action: 'OBSERVE',
        bizStep: 'sensor_reporting',
        readPoint: { id: sensor.readPoint },
        bizLocation: { id: sensor.bizLocation },
        sensorElementList: [
          {
            sensorMetadata: { time: localIso(time), deviceID: sensor.device },
            sensorReport: [
              { type: 'Temperature', value: temperature, uom: 'CEL', ...exception },
              { type: 'RelativeHumidity', value: humidity, uom: 'P1', ...exception },
            ],
          },
        ],
      },
    };
  };

  const fromQueue = (): JsonObject => {
    const item = queue[queueHead++] as Planned;
    counts[item.kind]++;
    return item.build(clock);
  };

  const nextCaptureEvent = (): JsonObject => {
    clock += Math.max(50, Math.round(rng.around(2500, 2000)));
    // Unsold units past their shelf life leave the shelf unscanned (a bounded working set).
    while (shelf.length > shelfCap) {
      const i = rng.int(0, shelf.length - 1);
      shelf[i] = shelf[shelf.length - 1] as Unit;
      shelf.pop();
    }
    if (shelf.length > 0 && rng.next() < saleShare) {
      counts.retailSelling++;
      return sale(clock, takeFromShelf());
    }
    if (rng.next() < 0.01) {
      counts.coldRoomSensor++;
      return coldRoomReading(clock);
    }
    if (queueHead >= queue.length) {
      queue.length = 0;
      queueHead = 0;
      planBatch();
    }
    return fromQueue();
  };

  const nextTraceEvent = (): JsonObject => {
    clock += Math.max(50, Math.round(rng.around(2500, 2000)));
    // A safety bound only: production follows demand, so the shelf stays near its target.
    while (shelf.length > shelfCap) takeFromShelf();
    let picked: { kind: BakeryEventKind; event: JsonObject };
    if (rng.next() < rates.sensorShare) picked = fixedReading(clock);
    else {
      let pending = queueHead < queue.length;
      if (!pending && shelf.length < shelfTarget) {
        queue.length = 0;
        queueHead = 0;
        planTraceBatch();
        pending = true;
      }
      if (pending && (shelf.length === 0 || rng.next() < rates.logisticsShare)) return fromQueue();
      picked = shelfEvent(clock);
    }
    counts[picked.kind]++;
    return picked.event;
  };

  const nextEvent = (): JsonObject => {
    const event = traceWorld ? nextTraceEvent() : nextCaptureEvent();
    stats.events++;
    firstEventTime ??= clock;
    return event;
  };

  const events = (count: number): JsonObject[] => Array.from({ length: count }, nextEvent);

  return {
    events,
    document(count) {
      const list = events(count);
      return {
        '@context': BAKERY_CONTEXT,
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: localIso(clock + 1000),
        epcisBody: { eventList: list },
      };
    },
    counts: () => ({ ...counts }),
    samples: () => ({
      units: unitSample.items(),
      rawLots: rawLotSample.items(),
      batchLots: batchSample.items(),
      products: products.map((p) => ({ productId: p.productId, gtin: p.item.gtin14 })),
    }),
    stats: () => ({
      ...stats,
      storesReached: storesReached.size,
      citiesReached: new Set([...storesReached].map((i) => world.stores[i - 1]?.city.zh)).size,
      firstEventTime: firstEventTime === null ? null : localIso(firstEventTime),
      lastEventTime: firstEventTime === null ? null : localIso(clock),
    }),
    masterData: () => bakeryMasterData(world),
    world,
  };
}

export type { BakeryMasterData, BakeryWorld } from './bakery-world.ts';

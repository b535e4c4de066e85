/**
 * A deterministic generator of realistic EPCIS 2.0 JSON-LD documents: a day-by-day simulation of a
 * bakery brand (月华坊 Yuehuafang, GS1 company prefix 6901234) with one plant, three lines, a fleet of
 * vans and a few hundred stores. Events follow the goods: suppliers commission raw lots, the plant
 * receives them, bakes batches, commissions and packs the units, ships cases to stores (with
 * temperature loggers in the vans) and the stores sell the units one by one. Every GS1 key carries
 * a valid check digit; the same seed always gives the same documents.
 *
 * @example
 * const gen = createBakeryGenerator({ seed: 42 });
 * const body = JSON.stringify(gen.document(1000)); // an EPCISDocument of the next 1,000 events
 */
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';

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
  | 'production'
  | 'unitCommissioning'
  | 'packing'
  | 'shipping'
  | 'transitSensor'
  | 'coldRoomSensor'
  | 'storeReceiving'
  | 'retailSelling';

/** Every event kind, in supply-chain order, with a short description for reports. */
export const BakeryEventKind = Object.freeze({
  all: Object.freeze<BakeryEventKind[]>([
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
  ]),
  /** The kind of a generated event, read back from its type, bizStep and what it carries. */
  of(event: JsonObject): BakeryEventKind {
    if (event.type === 'TransformationEvent') return 'production';
    if (event.type === 'AggregationEvent') return 'packing';
    switch (event.bizStep) {
      case 'commissioning':
        return event.quantityList === undefined ? 'unitCommissioning' : 'lotCommissioning';
      case 'receiving':
        return event.quantityList === undefined ? 'storeReceiving' : 'rawReceiving';
      case 'shipping':
        return 'shipping';
      case 'sensor_reporting':
        return event.epcList === undefined ? 'coldRoomSensor' : 'transitSensor';
      case 'retail_selling':
        return 'retailSelling';
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
      case 'production':
        return 'batch baked (TransformationEvent, input lots → output batch LGTIN, line readPoint, plant bizLocation)';
      case 'unitCommissioning':
        return 'units labelled (ObjectEvent ADD, 10–50 SGTINs as EPC URNs or Digital Links, ilmd)';
      case 'packing':
        return 'units packed into a case (AggregationEvent, SSCC parentID, childEPCs)';
      case 'shipping':
        return 'cases shipped to a store (ObjectEvent OBSERVE, SSCCs, van readPoint, desadv, source/destination)';
      case 'transitSensor':
        return 'van logger readings (ObjectEvent OBSERVE, SSCCs, sensorElementList temperature/humidity)';
      case 'coldRoomSensor':
        return 'cold-room logger readings (ObjectEvent OBSERVE, readPoint only, sensorElementList)';
      case 'storeReceiving':
        return 'store receives cases (ObjectEvent OBSERVE, SSCCs, store readPoint, source/destination)';
      case 'retailSelling':
        return 'unit sold at the till (ObjectEvent OBSERVE retail_selling, one EPC)';
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown event kind ${String(unreachable)}`);
      }
    }
  },
});

/** Options of {@link createBakeryGenerator}. */
export interface BakeryGeneratorOptions {
  /** Seed of the pseudo-random source: equal seeds give equal documents. */
  readonly seed: number;
  /** Brand GS1 company prefix, 7 digits (default 6901234). */
  readonly companyPrefix?: string;
  /** Simulation start (default 2025-09-01 06:00 China Standard Time). */
  readonly start?: Date;
  /** Number of stores (default 300). */
  readonly stores?: number;
  /** Share of unit-commissioning events that label units with GS1 Digital Link URIs instead of EPC URNs (default 0.3). */
  readonly digitalLinkShare?: number;
  /** Share of events that are till sales while stores have stock (default 0.65). */
  readonly saleShare?: number;
}

/** A stream of bakery events and the EPCISDocuments that carry them. */
export interface BakeryGenerator {
  /** The next `count` events, in time order. */
  events(count: number): JsonObject[];
  /** An EPCISDocument of the next `count` events. */
  document(count: number): JsonObject;
  /** How many events of each kind were generated so far. */
  counts(): Readonly<Record<BakeryEventKind, number>>;
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
// Randomness (a port: seeded, so documents are repeatable)
// ---------------------------------------------------------------------------------------------

interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Roughly normal around `mean` (sum of three uniforms). */
  around(mean: number, spread: number): number;
}

/** sfc32, seeded through splitmix32: fast, and good enough for test data. */
function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    around: (mean, spread) => mean + ((next() + next() + next()) / 1.5 - 1) * spread,
  };
}

// ---------------------------------------------------------------------------------------------
// GS1 keys
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

/** A trade item of one company: its EPC URN parts and its GTIN-14. */
interface TradeItem {
  readonly prefix: string;
  /** Indicator digit + item reference (6 digits for a 7-digit company prefix). */
  readonly itemField: string;
  readonly gtin14: string;
}

function tradeItem(prefix: string, itemRef: string): TradeItem {
  const itemField = `0${itemRef}`;
  return { prefix, itemField, gtin14: withCheckDigit(`0${prefix}${itemRef}`) };
}

const sgtinUrn = (t: TradeItem, serial: string): string => `urn:epc:id:sgtin:${t.prefix}.${t.itemField}.${serial}`;
const sgtinLink = (t: TradeItem, serial: string): string => `${QR_DOMAIN}/01/${t.gtin14}/21/${serial}`;
const lgtinUrn = (t: TradeItem, lot: string): string => `urn:epc:class:lgtin:${t.prefix}.${t.itemField}.${lot}`;
const sgln = (prefix: string, locationRef: string, extension: string): string => `urn:epc:id:sgln:${prefix}.${locationRef}.${extension}`;
const pgln = (prefix: string, partyRef: string): string => `urn:epc:id:pgln:${prefix}.${partyRef}`;
const gln = (prefix: string, locationRef: string): string => withCheckDigit(`${prefix}${locationRef}`);
const giai = (prefix: string, assetRef: string): string => `urn:epc:id:giai:${prefix}.${assetRef}`;
/** SSCC URN: extension digit 0 and a 9-digit serial reference after a 7-digit company prefix. */
const ssccUrn = (prefix: string, n: number): string => `urn:epc:id:sscc:${prefix}.0${String(n).padStart(9, '0')}`;

// ---------------------------------------------------------------------------------------------
// Master data
// ---------------------------------------------------------------------------------------------

type Material = 'flour' | 'sugar' | 'lotus' | 'yolk' | 'redBean' | 'eggs' | 'butter' | 'cream' | 'milk' | 'oil' | 'yeast' | 'pineapple';

interface MaterialSpec {
  readonly supplier: string;
  readonly itemRef: string;
  /** Kilograms used per finished unit. */
  readonly kgPerUnit: number;
  /** A delivered lot, kilograms. */
  readonly lotKg: readonly [number, number];
  readonly chilled: boolean;
}

/** Suppliers by company prefix: flour mill, sugar refinery, fillings, eggs, dairy, oils and yeast. */
const MATERIALS: Readonly<Record<Material, MaterialSpec>> = {
  flour: { supplier: '6923450', itemRef: '20011', kgPerUnit: 0.045, lotKg: [2000, 5000], chilled: false },
  sugar: { supplier: '6934561', itemRef: '30021', kgPerUnit: 0.018, lotKg: [1000, 3000], chilled: false },
  lotus: { supplier: '6945672', itemRef: '40031', kgPerUnit: 0.07, lotKg: [800, 2000], chilled: true },
  yolk: { supplier: '6945672', itemRef: '40032', kgPerUnit: 0.02, lotKg: [300, 800], chilled: true },
  redBean: { supplier: '6945672', itemRef: '40033', kgPerUnit: 0.035, lotKg: [800, 2000], chilled: true },
  pineapple: { supplier: '6945672', itemRef: '40034', kgPerUnit: 0.03, lotKg: [500, 1500], chilled: true },
  eggs: { supplier: '6956783', itemRef: '50041', kgPerUnit: 0.025, lotKg: [600, 1500], chilled: true },
  butter: { supplier: '6967894', itemRef: '60051', kgPerUnit: 0.015, lotKg: [500, 1200], chilled: true },
  cream: { supplier: '6967894', itemRef: '60052', kgPerUnit: 0.02, lotKg: [300, 900], chilled: true },
  milk: { supplier: '6967894', itemRef: '60053', kgPerUnit: 0.015, lotKg: [500, 1500], chilled: true },
  oil: { supplier: '6978905', itemRef: '70061', kgPerUnit: 0.006, lotKg: [400, 1000], chilled: false },
  yeast: { supplier: '6989016', itemRef: '80071', kgPerUnit: 0.001, lotKg: [50, 150], chilled: true },
};

interface ProductSpec {
  readonly itemRef: string;
  readonly caseSize: number;
  readonly batch: readonly [number, number];
  readonly shelfDays: number;
  readonly recipe: readonly Material[];
  readonly chilled: boolean;
}

/** The brand's range: mooncakes, buns, rolls, tarts and cakes. */
const PRODUCTS: readonly ProductSpec[] = [
  { itemRef: '10001', caseSize: 12, batch: [400, 900], shelfDays: 21, recipe: ['flour', 'sugar', 'lotus', 'oil'], chilled: false }, // 莲蓉月饼
  { itemRef: '10002', caseSize: 12, batch: [400, 900], shelfDays: 21, recipe: ['flour', 'sugar', 'lotus', 'yolk', 'oil'], chilled: false }, // 蛋黄莲蓉月饼
  { itemRef: '10003', caseSize: 24, batch: [600, 1200], shelfDays: 3, recipe: ['flour', 'sugar', 'redBean', 'yeast', 'butter'], chilled: false }, // 豆沙包
  { itemRef: '10004', caseSize: 12, batch: [300, 600], shelfDays: 5, recipe: ['flour', 'sugar', 'eggs', 'butter', 'cream'], chilled: true }, // 瑞士卷
  { itemRef: '10005', caseSize: 24, batch: [500, 1000], shelfDays: 2, recipe: ['flour', 'butter', 'eggs', 'milk', 'sugar'], chilled: true }, // 蛋挞
  { itemRef: '10006', caseSize: 20, batch: [400, 800], shelfDays: 30, recipe: ['flour', 'butter', 'sugar', 'pineapple', 'eggs'], chilled: false }, // 凤梨酥
];

const LINES = ['1', '2', '3'];
const OPERATORS = Array.from({ length: 24 }, (_, i) => `OP${String(101 + i)}`);

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
}

interface Planned {
  readonly kind: BakeryEventKind;
  readonly build: (time: number) => JsonObject;
}

/** Create a generator; see the module comment. */
export function createBakeryGenerator(options: BakeryGeneratorOptions): BakeryGenerator {
  const brand = options.companyPrefix ?? '6901234';
  if (!/^\d{7}$/.test(brand)) throw new Error(`companyPrefix must have 7 digits, got ${brand}`);
  const storeCount = options.stores ?? 300;
  const dlShare = options.digitalLinkShare ?? 0.3;
  const saleShare = options.saleShare ?? 0.65;
  const rng = seededRandom(options.seed);
  let clock = (options.start ?? new Date('2025-09-01T06:00:00+08:00')).getTime();

  const brandParty = pgln(brand, '00000');
  const plantRef = '00001';
  const plant = sgln(brand, plantRef, '0');
  const packingStation = sgln(brand, plantRef, '10');
  const dock = sgln(brand, plantRef, '20');
  const coldRoom = sgln(brand, plantRef, '30');
  const dryStore = sgln(brand, plantRef, '31');
  const brandGln = gln(brand, plantRef);
  const storeRef = (i: number): string => String(10000 + i).padStart(5, '0');
  const storeLocation = (i: number): string => sgln(brand, storeRef(i), '0');
  const vans = Array.from({ length: 16 }, (_, i) => ({ id: giai(brand, `VAN${String(i + 1).padStart(3, '0')}`), logger: giai(brand, `TL${String(i + 1).padStart(4, '0')}`), chilled: i < 6 }));
  const coldRoomLogger = giai(brand, 'TL0900');
  const products = PRODUCTS.map((p) => ({ ...p, item: tradeItem(brand, p.itemRef) }));
  const materials = new Map((Object.keys(MATERIALS) as Material[]).map((m) => [m, { ...MATERIALS[m], item: tradeItem(MATERIALS[m].supplier, MATERIALS[m].itemRef) }]));

  const counts = Object.fromEntries(BakeryEventKind.all.map((k) => [k, 0])) as Record<BakeryEventKind, number>;
  const currentLots = new Map<Material, Lot[]>();
  const queue: Planned[] = [];
  let queueHead = 0;
  const shelf: Unit[] = [];
  const shelfCap = 60_000;
  let unitCounter = 1;
  let ssccCounter = 1;
  let lotCounter = 1;
  let batchCounter = 1;
  let poCounter = 1;
  let desadvCounter = 1;

  const localIso = (ms: number): string => `${new Date(ms + TZ_MS).toISOString().slice(0, 23)}${TZ}`;
  const localDate = (ms: number): string => new Date(ms + TZ_MS).toISOString().slice(0, 10);
  const yymmdd = (ms: number): string => localDate(ms).replace(/-/g, '').slice(2);
  const when = (time: number): JsonObject => ({ eventTime: localIso(time), eventTimeZoneOffset: TZ });
  const round1 = (x: number): number => Math.round(x * 10) / 10;

  const plan = (kind: BakeryEventKind, build: (time: number) => JsonObject): void => {
    queue.push({ kind, build });
  };

  /** A supplier delivers a new lot of `material`: its commissioning (supplier side) and our receiving. */
  const planDelivery = (material: Material, minKg: number): Lot => {
    const spec = materials.get(material);
    if (!spec) throw new Error(`no material ${material}`);
    const kg = Math.max(minKg, rng.int(spec.lotKg[0], spec.lotKg[1]));
    const lotCode = `${yymmdd(clock)}${SERIAL_ALPHABET[10 + (lotCounter % 24)]}${String(lotCounter % 100).padStart(2, '0')}`;
    lotCounter++;
    const lot: Lot = { epcClass: lgtinUrn(spec.item, lotCode), lot: lotCode, remainingKg: kg };
    const site = sgln(spec.supplier, '00001', '0');
    plan('lotCommissioning', (time) => ({
      type: 'ObjectEvent',
      ...when(time - rng.int(2, 5) * DAY_MS),
      quantityList: [{ epcClass: lot.epcClass, quantity: kg, uom: 'KGM' }],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: sgln(spec.supplier, '00001', String(rng.int(1, 4))) },
      bizLocation: { id: site },
      ilmd: {
        'cbvmda:lotNumber': lotCode,
        'cbvmda:bestBeforeDate': localDate(time + rng.int(20, 180) * DAY_MS),
        'cbvmda:countryOfOrigin': 'CN',
      },
    }));
    const po = `urn:epcglobal:cbv:bt:${brandGln}:PO${yymmdd(clock)}${String(poCounter++).padStart(5, '0')}`;
    const desadv = `urn:epcglobal:cbv:bt:${gln(spec.supplier, '00001')}:DN${String(desadvCounter++).padStart(7, '0')}`;
    plan('rawReceiving', (time) => ({
      type: 'ObjectEvent',
      ...when(time),
      quantityList: [{ epcClass: lot.epcClass, quantity: kg, uom: 'KGM' }],
      action: 'OBSERVE',
      bizStep: 'receiving',
      disposition: 'in_progress',
      readPoint: { id: dock },
      bizLocation: { id: spec.chilled ? coldRoom : dryStore },
      bizTransactionList: [
        { type: 'po', bizTransaction: po },
        { type: 'desadv', bizTransaction: desadv },
      ],
      sourceList: [
        { type: 'owning_party', source: pgln(spec.supplier, '00000') },
        { type: 'location', source: site },
      ],
      destinationList: [
        { type: 'owning_party', destination: brandParty },
        { type: 'location', destination: plant },
      ],
    }));
    return lot;
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

  /** Plan one production batch: raw material, baking, labelling, packing, and delivery to stores. */
  const planBatch = (): void => {
    const product = rng.pick(products);
    const units = rng.int(product.batch[0], product.batch[1]);
    const line = rng.pick(LINES);
    const lineReadPoint = sgln(brand, plantRef, line);
    const batchLot = `B${yymmdd(clock)}${line}${String(batchCounter++ % 1000).padStart(3, '0')}`;
    const inputs = product.recipe.flatMap((m) => consume(m, round1(units * (materials.get(m)?.kgPerUnit ?? 0.01) * rng.around(1, 0.04))));
    const bestBefore = (time: number): string => localDate(time + product.shelfDays * DAY_MS);
    plan('production', (time) => ({
      type: 'TransformationEvent',
      ...when(time),
      inputQuantityList: inputs,
      outputQuantityList: [{ epcClass: lgtinUrn(product.item, batchLot), quantity: units }],
      bizStep: 'creating_class_instance',
      disposition: 'active',
      readPoint: { id: lineReadPoint },
      bizLocation: { id: plant },
      ilmd: { 'cbvmda:lotNumber': batchLot, 'cbvmda:bestBeforeDate': bestBefore(time) },
      'bakery:operator': rng.pick(OPERATORS),
      'bakery:ovenProgram': `P${rng.int(1, 9)}`,
    }));

    // Labelling: units get on-pack QR codes in runs of 10–50.
    const labelled: string[] = [];
    for (let done = 0; done < units; ) {
      const run = Math.min(units - done, rng.int(10, 50));
      const asLink = rng.next() < dlShare;
      const epcs: string[] = [];
      for (let i = 0; i < run; i++) {
        const serial = serialFor(unitCounter++);
        epcs.push(asLink ? sgtinLink(product.item, serial) : sgtinUrn(product.item, serial));
      }
      labelled.push(...epcs);
      done += run;
      plan('unitCommissioning', (time) => ({
        type: 'ObjectEvent',
        ...when(time),
        epcList: epcs,
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: lineReadPoint },
        bizLocation: { id: plant },
        ilmd: { 'cbvmda:lotNumber': batchLot, 'cbvmda:itemExpirationDate': bestBefore(time) },
      }));
    }

    // Packing: full cases, and the remainder in a last, partial case.
    const cases: { sscc: string; units: string[] }[] = [];
    for (let i = 0; i < labelled.length; i += product.caseSize) {
      const children = labelled.slice(i, i + product.caseSize);
      const sscc = ssccUrn(brand, ssccCounter++);
      cases.push({ sscc, units: children });
      plan('packing', (time) => ({
        type: 'AggregationEvent',
        ...when(time),
        parentID: sscc,
        childEPCs: children,
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: packingStation },
        bizLocation: { id: plant },
      }));
    }

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
      const readings = rng.int(1, 2);
      for (let r = 0; r < readings; r++) {
        plan('transitSensor', (time) => ({
          type: 'ObjectEvent',
          ...when(time),
          epcList: ssccs,
          action: 'OBSERVE',
          bizStep: 'sensor_reporting',
          disposition: 'in_transit',
          readPoint: { id: van.id },
          sensorElementList: Array.from({ length: rng.int(1, 3) }, (_, k) => sensorElement(time - k * 300_000, van.logger, van.chilled)),
        }));
      }
      plan('storeReceiving', (time) => {
        for (const c of load) for (const epc of c.units) shelf.push({ epc, store });
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

  const sale = (time: number): JsonObject => {
    const i = Math.floor(rng.next() * shelf.length);
    const unit = shelf[i] as Unit;
    shelf[i] = shelf[shelf.length - 1] as Unit;
    shelf.pop();
    return {
      type: 'ObjectEvent',
      ...when(time),
      epcList: [unit.epc],
      action: 'OBSERVE',
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      readPoint: { id: sgln(brand, storeRef(unit.store), String(rng.int(1, 3))) },
      bizLocation: { id: storeLocation(unit.store) },
    };
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

  const nextEvent = (): JsonObject => {
    clock += Math.max(50, Math.round(rng.around(2500, 2000)));
    // Unsold units past their shelf life leave the shelf unscanned (a bounded working set).
    while (shelf.length > shelfCap) {
      const i = rng.int(0, shelf.length - 1);
      shelf[i] = shelf[shelf.length - 1] as Unit;
      shelf.pop();
    }
    if (shelf.length > 0 && rng.next() < saleShare) {
      counts.retailSelling++;
      return sale(clock);
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
    const item = queue[queueHead++] as Planned;
    counts[item.kind]++;
    return item.build(clock);
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
  };
}

/**
 * The world of the benchmark bakery brand 月华坊 Yuehuafang (GS1 company prefix 6901234): its
 * catalogue, suppliers, plant and lines, regional warehouses, fleet, stores in 50 cities, equipment,
 * sensors and staff — with their GS1 keys — and the master-data rows that describe them in the shape
 * of the master-data API (src/app/master-data/definitions.ts). The event simulation is in
 * epcis-generator.ts; this file is what it simulates.
 *
 * @example
 * const world = bakeryWorld({ seed: 42 });
 * const rows = bakeryMasterData(world); // { parties, locations, equipment, operators, products }
 */
import { withCheckDigit } from '../../core/gs1/check-digit.ts';
import { seededRandom } from './random.ts';

// ---------------------------------------------------------------------------------------------
// GS1 keys
// ---------------------------------------------------------------------------------------------

/** A trade item of one company: its EPC URN parts and its GTIN-14. */
export interface TradeItem {
  readonly prefix: string;
  /** Indicator digit + item reference (6 digits for a 7-digit company prefix). */
  readonly itemField: string;
  readonly gtin14: string;
}

export function tradeItem(prefix: string, itemRef: string): TradeItem {
  const itemField = `0${itemRef}`;
  return { prefix, itemField, gtin14: withCheckDigit(`0${prefix}${itemRef}`) };
}

export const sgtinUrn = (t: TradeItem, serial: string): string => `urn:epc:id:sgtin:${t.prefix}.${t.itemField}.${serial}`;
export const lgtinUrn = (t: TradeItem, lot: string): string => `urn:epc:class:lgtin:${t.prefix}.${t.itemField}.${lot}`;
/** The canonical GS1 Digital Link of a lot: what the trace engine names it, and what a user pastes. */
export const lotLink = (t: TradeItem, lot: string): string => `https://id.gs1.org/01/${t.gtin14}/10/${encodeURIComponent(lot)}`;
export const sgln = (prefix: string, locationRef: string, extension: string): string => `urn:epc:id:sgln:${prefix}.${locationRef}.${extension}`;
export const pgln = (prefix: string, partyRef: string): string => `urn:epc:id:pgln:${prefix}.${partyRef}`;
export const gln = (prefix: string, locationRef: string): string => withCheckDigit(`${prefix}${locationRef}`);
export const giai = (prefix: string, assetRef: string): string => `urn:epc:id:giai:${prefix}.${assetRef}`;
/** SSCC URN: extension digit 0 and a 9-digit serial reference after a 7-digit company prefix. */
export const ssccUrn = (prefix: string, n: number): string => `urn:epc:id:sscc:${prefix}.0${String(n).padStart(9, '0')}`;

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

export type Material = 'flour' | 'sugar' | 'lotus' | 'yolk' | 'redBean' | 'eggs' | 'butter' | 'cream' | 'milk' | 'oil' | 'yeast' | 'pineapple';

export interface MaterialSpec {
  readonly supplier: string;
  readonly itemRef: string;
  /** Kilograms used per finished unit. */
  readonly kgPerUnit: number;
  /** A delivered lot, kilograms. */
  readonly lotKg: readonly [number, number];
  readonly chilled: boolean;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly shelfDays: number;
}

/** Raw materials by supplier company prefix: flour mill, sugar refinery, fillings, eggs, dairy, oils and yeast. */
export const MATERIALS: Readonly<Record<Material, MaterialSpec>> = {
  flour: { supplier: '6923450', itemRef: '20011', kgPerUnit: 0.045, lotKg: [2000, 5000], chilled: false, nameZh: '低筋面粉', nameEn: 'Cake flour', shelfDays: 270 },
  sugar: { supplier: '6934561', itemRef: '30021', kgPerUnit: 0.018, lotKg: [1000, 3000], chilled: false, nameZh: '细砂糖', nameEn: 'Caster sugar', shelfDays: 720 },
  lotus: { supplier: '6945672', itemRef: '40031', kgPerUnit: 0.07, lotKg: [800, 2000], chilled: true, nameZh: '白莲蓉馅', nameEn: 'Lotus seed paste', shelfDays: 90 },
  yolk: { supplier: '6945672', itemRef: '40032', kgPerUnit: 0.02, lotKg: [300, 800], chilled: true, nameZh: '咸蛋黄', nameEn: 'Salted egg yolk', shelfDays: 60 },
  redBean: { supplier: '6945672', itemRef: '40033', kgPerUnit: 0.035, lotKg: [800, 2000], chilled: true, nameZh: '红豆沙馅', nameEn: 'Red bean paste', shelfDays: 90 },
  pineapple: { supplier: '6945672', itemRef: '40034', kgPerUnit: 0.03, lotKg: [500, 1500], chilled: true, nameZh: '凤梨馅', nameEn: 'Pineapple filling', shelfDays: 90 },
  eggs: { supplier: '6956783', itemRef: '50041', kgPerUnit: 0.025, lotKg: [600, 1500], chilled: true, nameZh: '鲜鸡蛋', nameEn: 'Fresh eggs', shelfDays: 30 },
  butter: { supplier: '6967894', itemRef: '60051', kgPerUnit: 0.015, lotKg: [500, 1200], chilled: true, nameZh: '无盐黄油', nameEn: 'Unsalted butter', shelfDays: 180 },
  cream: { supplier: '6967894', itemRef: '60052', kgPerUnit: 0.02, lotKg: [300, 900], chilled: true, nameZh: '淡奶油', nameEn: 'Whipping cream', shelfDays: 30 },
  milk: { supplier: '6967894', itemRef: '60053', kgPerUnit: 0.015, lotKg: [500, 1500], chilled: true, nameZh: '全脂牛奶', nameEn: 'Whole milk', shelfDays: 14 },
  oil: { supplier: '6978905', itemRef: '70061', kgPerUnit: 0.006, lotKg: [400, 1000], chilled: false, nameZh: '花生油', nameEn: 'Peanut oil', shelfDays: 540 },
  yeast: { supplier: '6989016', itemRef: '80071', kgPerUnit: 0.001, lotKg: [50, 150], chilled: true, nameZh: '鲜酵母', nameEn: 'Fresh yeast', shelfDays: 45 },
};

export interface ProductSpec {
  readonly itemRef: string;
  readonly caseSize: number;
  readonly batch: readonly [number, number];
  readonly shelfDays: number;
  readonly recipe: readonly Material[];
  readonly chilled: boolean;
  /** Master-data identifier and the product line code of its batch codes. */
  readonly productId: string;
  readonly productLine: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

/** The brand's range: mooncakes, buns, rolls, tarts and cakes. */
export const PRODUCTS: readonly ProductSpec[] = [
  { itemRef: '10001', caseSize: 12, batch: [400, 900], shelfDays: 21, recipe: ['flour', 'sugar', 'lotus', 'oil'], chilled: false, productId: 'mooncake-lotus', productLine: 'MC', nameZh: '莲蓉月饼', nameEn: 'Lotus paste mooncake' },
  { itemRef: '10002', caseSize: 12, batch: [400, 900], shelfDays: 21, recipe: ['flour', 'sugar', 'lotus', 'yolk', 'oil'], chilled: false, productId: 'mooncake-yolk', productLine: 'MC', nameZh: '蛋黄莲蓉月饼', nameEn: 'Egg yolk lotus mooncake' },
  { itemRef: '10003', caseSize: 24, batch: [600, 1200], shelfDays: 3, recipe: ['flour', 'sugar', 'redBean', 'yeast', 'butter'], chilled: false, productId: 'bun-redbean', productLine: 'BN', nameZh: '豆沙包', nameEn: 'Red bean bun' },
  { itemRef: '10004', caseSize: 12, batch: [300, 600], shelfDays: 5, recipe: ['flour', 'sugar', 'eggs', 'butter', 'cream'], chilled: true, productId: 'swiss-roll', productLine: 'CR', nameZh: '瑞士卷', nameEn: 'Swiss roll' },
  { itemRef: '10005', caseSize: 24, batch: [500, 1000], shelfDays: 2, recipe: ['flour', 'butter', 'eggs', 'milk', 'sugar'], chilled: true, productId: 'egg-tart', productLine: 'ET', nameZh: '蛋挞', nameEn: 'Egg tart' },
  { itemRef: '10006', caseSize: 20, batch: [400, 800], shelfDays: 30, recipe: ['flour', 'butter', 'sugar', 'pineapple', 'eggs'], chilled: false, productId: 'pineapple-cake', productLine: 'PC', nameZh: '凤梨酥', nameEn: 'Pineapple cake' },
];

export const SUPPLIERS: Readonly<Record<string, { readonly partyId: string; readonly nameZh: string; readonly nameEn: string; readonly cityZh: string; readonly province: string }>> = {
  '6923450': { partyId: 'sup-flour', nameZh: '金穗面粉有限公司', nameEn: 'Jinsui Flour Co.', cityZh: '郑州', province: '河南' },
  '6934561': { partyId: 'sup-sugar', nameZh: '甘源糖业有限公司', nameEn: 'Ganyuan Sugar Co.', cityZh: '南宁', province: '广西' },
  '6945672': { partyId: 'sup-fillings', nameZh: '莲香食品有限公司', nameEn: 'Lianxiang Fillings Co.', cityZh: '湘潭', province: '湖南' },
  '6956783': { partyId: 'sup-eggs', nameZh: '晨鲜蛋业有限公司', nameEn: 'Chenxian Eggs Co.', cityZh: '嘉兴', province: '浙江' },
  '6967894': { partyId: 'sup-dairy', nameZh: '牧云乳业有限公司', nameEn: 'Muyun Dairy Co.', cityZh: '呼和浩特', province: '内蒙古' },
  '6978905': { partyId: 'sup-oil', nameZh: '金田油脂有限公司', nameEn: 'Jintian Oils Co.', cityZh: '青岛', province: '山东' },
  '6989016': { partyId: 'sup-yeast', nameZh: '酵星生物科技有限公司', nameEn: 'Jiaoxing Yeast Co.', cityZh: '宜昌', province: '湖北' },
};

// ---------------------------------------------------------------------------------------------
// Geography: 50 cities in 7 sales regions; the plant serves East China, a warehouse each of the others
// ---------------------------------------------------------------------------------------------

export type SalesRegion = 'east' | 'north' | 'south' | 'central' | 'southwest' | 'northwest' | 'northeast';

export interface City {
  readonly zh: string;
  readonly en: string;
  readonly province: string;
  readonly region: SalesRegion;
  /** Relative number of stores. */
  readonly weight: number;
}

const city = (zh: string, en: string, province: string, region: SalesRegion, weight: number): City => ({ zh, en, province, region, weight });

export const CITIES: readonly City[] = [
  city('上海', 'Shanghai', '上海', 'east', 6),
  city('杭州', 'Hangzhou', '浙江', 'east', 3),
  city('南京', 'Nanjing', '江苏', 'east', 3),
  city('苏州', 'Suzhou', '江苏', 'east', 3),
  city('宁波', 'Ningbo', '浙江', 'east', 2),
  city('无锡', 'Wuxi', '江苏', 'east', 2),
  city('合肥', 'Hefei', '安徽', 'east', 2),
  city('福州', 'Fuzhou', '福建', 'east', 1),
  city('厦门', 'Xiamen', '福建', 'east', 2),
  city('济南', 'Jinan', '山东', 'east', 1),
  city('青岛', 'Qingdao', '山东', 'east', 2),
  city('南昌', 'Nanchang', '江西', 'east', 1),
  city('温州', 'Wenzhou', '浙江', 'east', 1),
  city('常州', 'Changzhou', '江苏', 'east', 1),
  city('绍兴', 'Shaoxing', '浙江', 'east', 1),
  city('嘉兴', 'Jiaxing', '浙江', 'east', 1),
  city('徐州', 'Xuzhou', '江苏', 'east', 1),
  city('北京', 'Beijing', '北京', 'north', 5),
  city('天津', 'Tianjin', '天津', 'north', 2),
  city('石家庄', 'Shijiazhuang', '河北', 'north', 1),
  city('太原', 'Taiyuan', '山西', 'north', 1),
  city('呼和浩特', 'Hohhot', '内蒙古', 'north', 1),
  city('唐山', 'Tangshan', '河北', 'north', 1),
  city('保定', 'Baoding', '河北', 'north', 1),
  city('广州', 'Guangzhou', '广东', 'south', 4),
  city('深圳', 'Shenzhen', '广东', 'south', 4),
  city('东莞', 'Dongguan', '广东', 'south', 1),
  city('佛山', 'Foshan', '广东', 'south', 1),
  city('南宁', 'Nanning', '广西', 'south', 1),
  city('海口', 'Haikou', '海南', 'south', 1),
  city('珠海', 'Zhuhai', '广东', 'south', 1),
  city('武汉', 'Wuhan', '湖北', 'central', 3),
  city('长沙', 'Changsha', '湖南', 'central', 2),
  city('郑州', 'Zhengzhou', '河南', 'central', 2),
  city('洛阳', 'Luoyang', '河南', 'central', 1),
  city('宜昌', 'Yichang', '湖北', 'central', 1),
  city('成都', 'Chengdu', '四川', 'southwest', 3),
  city('重庆', 'Chongqing', '重庆', 'southwest', 3),
  city('昆明', 'Kunming', '云南', 'southwest', 1),
  city('贵阳', 'Guiyang', '贵州', 'southwest', 1),
  city('绵阳', 'Mianyang', '四川', 'southwest', 1),
  city('西安', "Xi'an", '陕西', 'northwest', 2),
  city('兰州', 'Lanzhou', '甘肃', 'northwest', 1),
  city('银川', 'Yinchuan', '宁夏', 'northwest', 1),
  city('西宁', 'Xining', '青海', 'northwest', 1),
  city('乌鲁木齐', 'Urumqi', '新疆', 'northwest', 1),
  city('沈阳', 'Shenyang', '辽宁', 'northeast', 1),
  city('大连', 'Dalian', '辽宁', 'northeast', 1),
  city('长春', 'Changchun', '吉林', 'northeast', 1),
  city('哈尔滨', 'Harbin', '黑龙江', 'northeast', 1),
];

/** Regional distribution centres: location reference, code, home city. East China is served from the plant. */
const WAREHOUSES: readonly { readonly region: Exclude<SalesRegion, 'east'>; readonly ref: string; readonly code: string; readonly cityEn: string }[] = [
  { region: 'north', ref: '00101', code: 'BJ', cityEn: 'Beijing' },
  { region: 'south', ref: '00102', code: 'GZ', cityEn: 'Guangzhou' },
  { region: 'central', ref: '00103', code: 'WH', cityEn: 'Wuhan' },
  { region: 'southwest', ref: '00104', code: 'CD', cityEn: 'Chengdu' },
  { region: 'northwest', ref: '00105', code: 'XA', cityEn: "Xi'an" },
  { region: 'northeast', ref: '00106', code: 'SY', cityEn: 'Shenyang' },
];

const REGION_NAMES: Readonly<Record<SalesRegion, { readonly zh: string; readonly en: string }>> = {
  east: { zh: '华东', en: 'East China' },
  north: { zh: '华北', en: 'North China' },
  south: { zh: '华南', en: 'South China' },
  central: { zh: '华中', en: 'Central China' },
  southwest: { zh: '西南', en: 'Southwest China' },
  northwest: { zh: '西北', en: 'Northwest China' },
  northeast: { zh: '东北', en: 'Northeast China' },
};

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

export interface Vehicle {
  readonly locationId: string;
  /** GIAI URN: the shipping event's read point and `vehicle` field. */
  readonly id: string;
  readonly logger: string;
  readonly chilled: boolean;
  readonly kind: 'van' | 'truck';
}

/** Where goods leave for stores: the plant (East China) or a regional warehouse. */
export interface Depot {
  readonly locationId: string;
  readonly region: SalesRegion;
  /** SGLN of the site (extension 0). */
  readonly site: string;
  readonly dock: string;
  readonly coldRoom: string;
  readonly vans: readonly Vehicle[];
  /** Chilled vans first; at least one. */
  readonly chilledVans: readonly Vehicle[];
}

export interface Store {
  /** 1-based; the location reference is 10000 + index. */
  readonly index: number;
  readonly locationId: string;
  readonly site: string;
  readonly city: City;
  readonly number: number;
}

/** A fixed sensor: a cold room, the dry store, or a production area. */
export interface FixedSensor {
  readonly device: string;
  readonly readPoint: string;
  readonly bizLocation: string;
  readonly kind: 'cold' | 'ambient';
}

export interface Line {
  readonly code: string;
  readonly locationId: string;
  readonly readPoint: string;
  readonly ovens: readonly string[];
  readonly sealer: string;
}

export interface BakeryWorld {
  readonly brand: string;
  readonly brandPartyId: string;
  readonly brandParty: string;
  readonly brandGln: string;
  readonly plant: { readonly locationId: string; readonly site: string; readonly packing: string; readonly dock: string; readonly coldRoom: string; readonly dryStore: string; readonly qcLab: string; readonly waste: string };
  readonly lines: readonly Line[];
  readonly products: readonly (ProductSpec & { readonly item: TradeItem })[];
  readonly materials: ReadonlyMap<Material, MaterialSpec & { readonly item: TradeItem }>;
  readonly stores: readonly Store[];
  /** Stores of each sales region. */
  readonly storesByRegion: ReadonlyMap<SalesRegion, readonly Store[]>;
  /** The plant (East China) first, then the warehouses. */
  readonly depots: readonly Depot[];
  readonly trucks: readonly Vehicle[];
  readonly sensors: readonly FixedSensor[];
  readonly operators: readonly string[];
}

/** Options of {@link bakeryWorld}. */
export interface BakeryWorldOptions {
  /** Seed of the store geography (which city each store is in). */
  readonly seed: number;
  readonly companyPrefix?: string;
  readonly stores?: number;
}

export const OPERATOR_IDS: readonly string[] = Array.from({ length: 24 }, (_, i) => `OP${String(101 + i)}`);
export const LINE_CODES: readonly string[] = ['1', '2', '3'];
export const storeRef = (i: number): string => String(10000 + i).padStart(5, '0');

/** Build the world: deterministic for a seed. */
export function bakeryWorld(options: BakeryWorldOptions): BakeryWorld {
  const brand = options.companyPrefix ?? '6901234';
  if (!/^\d{7}$/.test(brand)) throw new Error(`companyPrefix must have 7 digits, got ${brand}`);
  const storeCount = options.stores ?? 300;
  const plantRef = '00001';
  const plant = {
    locationId: 'SH-PLANT',
    site: sgln(brand, plantRef, '0'),
    packing: sgln(brand, plantRef, '10'),
    dock: sgln(brand, plantRef, '20'),
    coldRoom: sgln(brand, plantRef, '30'),
    dryStore: sgln(brand, plantRef, '31'),
    qcLab: sgln(brand, plantRef, '40'),
    waste: sgln(brand, plantRef, '50'),
  };
  // Two ovens per line; sealer 1 serves lines 1 and 2, sealer 2 line 3.
  const lines: Line[] = LINE_CODES.map((code) => ({
    code,
    locationId: `SH-L${code}`,
    readPoint: sgln(brand, plantRef, code),
    ovens: [`OVEN-L${code}-A`, `OVEN-L${code}-B`],
    sealer: code === '3' ? 'SEALER-2' : 'SEALER-1',
  }));

  // Stores: one in each city first, then by city weight (a separate seeded stream).
  const geo = seededRandom((options.seed ^ 0x51ed2707) >>> 0);
  const totalWeight = CITIES.reduce((s, c) => s + c.weight, 0);
  const perCity = new Map<City, number>();
  const stores: Store[] = [];
  for (let i = 1; i <= storeCount; i++) {
    let c: City;
    if (i <= CITIES.length) c = CITIES[i - 1] as City;
    else {
      let r = geo.next() * totalWeight;
      c = CITIES[CITIES.length - 1] as City;
      for (const x of CITIES) {
        r -= x.weight;
        if (r < 0) {
          c = x;
          break;
        }
      }
    }
    const number = (perCity.get(c) ?? 0) + 1;
    perCity.set(c, number);
    stores.push({ index: i, locationId: `store-${storeRef(i)}`, site: sgln(brand, storeRef(i), '0'), city: c, number });
  }
  const storesByRegion = new Map<SalesRegion, Store[]>();
  for (const s of stores) {
    const list = storesByRegion.get(s.city.region) ?? [];
    list.push(s);
    storesByRegion.set(s.city.region, list);
  }

  // Fleet: 12 vans at the plant (5 chilled), 4 per warehouse (2 chilled), 8 refrigerated trucks for line haul.
  let vanNo = 0;
  const vans = (count: number, chilled: number): Vehicle[] =>
    Array.from({ length: count }, (_, k) => {
      vanNo++;
      const ref = `VAN${String(vanNo).padStart(3, '0')}`;
      return { locationId: ref, id: giai(brand, ref), logger: giai(brand, `TL${String(vanNo).padStart(4, '0')}`), chilled: k < chilled, kind: 'van' as const };
    });
  const depot = (locationId: string, region: SalesRegion, ref: string, fleet: Vehicle[]): Depot => ({
    locationId,
    region,
    site: sgln(brand, ref, '0'),
    dock: sgln(brand, ref, '20'),
    coldRoom: sgln(brand, ref, '30'),
    vans: fleet,
    chilledVans: fleet.filter((v) => v.chilled),
  });
  const depots: Depot[] = [depot(plant.locationId, 'east', plantRef, vans(12, 5)), ...WAREHOUSES.map((w) => depot(`DC-${w.code}`, w.region, w.ref, vans(4, 2)))];
  const trucks: Vehicle[] = Array.from({ length: 8 }, (_, k) => {
    const ref = `TRK${String(k + 1).padStart(3, '0')}`;
    return { locationId: ref, id: giai(brand, ref), logger: giai(brand, `TL${String(201 + k).padStart(4, '0')}`), chilled: true, kind: 'truck' as const };
  });

  const sensors: FixedSensor[] = [
    { device: giai(brand, 'TL0900'), readPoint: plant.coldRoom, bizLocation: plant.site, kind: 'cold' },
    { device: giai(brand, 'TH0010'), readPoint: plant.dryStore, bizLocation: plant.site, kind: 'ambient' },
    ...lines.map((l, k): FixedSensor => ({ device: giai(brand, `TH000${k + 1}`), readPoint: l.readPoint, bizLocation: plant.site, kind: 'ambient' })),
    ...depots.slice(1).map((d, k): FixedSensor => ({ device: giai(brand, `TL090${k + 1}`), readPoint: d.coldRoom, bizLocation: d.site, kind: 'cold' })),
  ];

  return {
    brand,
    brandPartyId: 'yuehuafang',
    brandParty: pgln(brand, '00000'),
    brandGln: gln(brand, plantRef),
    plant,
    lines,
    products: PRODUCTS.map((p) => ({ ...p, item: tradeItem(brand, p.itemRef) })),
    materials: new Map((Object.keys(MATERIALS) as Material[]).map((m) => [m, { ...MATERIALS[m], item: tradeItem(MATERIALS[m].supplier, MATERIALS[m].itemRef) }])),
    stores,
    storesByRegion,
    depots,
    trucks,
    sensors,
    operators: OPERATOR_IDS,
  };
}

// ---------------------------------------------------------------------------------------------
// Master data in the API's JSON shape
// ---------------------------------------------------------------------------------------------

/** One master-data record as `POST /api/<kind>` takes it. */
export type MasterDataRow = Readonly<Record<string, string | number | Readonly<Record<string, string | number | boolean>>>>;

/** Rows per master-data kind, in an order where every reference points at an earlier row. */
export interface BakeryMasterData {
  readonly parties: readonly MasterDataRow[];
  readonly locations: readonly MasterDataRow[];
  readonly equipment: readonly MasterDataRow[];
  readonly operators: readonly MasterDataRow[];
  readonly products: readonly MasterDataRow[];
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞'];

/** An SGLN's GLN and extension as master data stores them (extension 0 = the site itself). */
function glnOf(sglnUrn: string): { gln: string; glnExtension?: string } {
  const m = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(sglnUrn);
  if (!m) throw new Error(`not an SGLN: ${sglnUrn}`);
  const g = withCheckDigit(`${m[1]}${m[2]}`);
  return m[3] === '0' ? { gln: g } : { gln: g, glnExtension: m[3] as string };
}

/** The master data of `world`: parties, locations (plant, lines, warehouses, vehicles, stores with city and region), equipment, operators, products. */
export function bakeryMasterData(world: BakeryWorld): BakeryMasterData {
  const { brand } = world;
  const parties: MasterDataRow[] = [
    { partyId: world.brandPartyId, kind: 'manufacturer', nameZh: '月华坊食品有限公司', nameEn: 'Yuehuafang Foods Co.', gln: gln(brand, '00000'), city: '上海', region: '上海', country: 'CN', email: 'qa@yuehuafang.example' },
    ...Object.entries(SUPPLIERS).map(([prefix, s]): MasterDataRow => ({ partyId: s.partyId, kind: 'supplier', nameZh: s.nameZh, nameEn: s.nameEn, gln: gln(prefix, '00000'), city: s.cityZh, region: s.province, country: 'CN' })),
    { partyId: 'carrier-jiayun', kind: 'carrier', nameZh: '嘉运冷链物流有限公司', nameEn: 'Jiayun Cold Chain Logistics', gln: gln('6990001', '00000'), city: '上海', region: '上海', country: 'CN' },
  ];

  const locations: MasterDataRow[] = [];
  /** A location with a GLN: its SGLN is kept in the attributes too, as events name it. */
  const site = (row: Readonly<Record<string, string | Readonly<Record<string, string>>>> & { readonly attributes?: Readonly<Record<string, string>> }, sglnUrn: string): void => {
    locations.push({ ...row, ...glnOf(sglnUrn), attributes: { ...row.attributes, epc: sglnUrn } });
  };
  for (const [prefix, s] of Object.entries(SUPPLIERS)) {
    site({ locationId: `${s.partyId}-site`, type: 'supplier', nameZh: `${s.nameZh}工厂`, nameEn: `${s.nameEn} plant`, partyId: s.partyId, city: s.cityZh, region: s.province, country: 'CN' }, sgln(prefix, '00001', '0'));
  }
  const p = world.plant;
  const plantRow = { partyId: world.brandPartyId, city: '上海', region: '上海', country: 'CN' };
  site({ locationId: p.locationId, type: 'plant', nameZh: '月华坊上海工厂', nameEn: 'Yuehuafang Shanghai plant', ...plantRow, address: '上海市嘉定区叶城路 1288 号' }, p.site);
  for (const l of world.lines) site({ locationId: l.locationId, type: 'line', nameZh: `${l.code} 号生产线`, nameEn: `Line ${l.code}`, parentId: p.locationId, ...plantRow }, l.readPoint);
  site({ locationId: 'SH-PACK', type: 'line', nameZh: '包装间', nameEn: 'Packing room', parentId: p.locationId, ...plantRow }, p.packing);
  site({ locationId: 'SH-DOCK', type: 'warehouse', nameZh: '收发货码头', nameEn: 'Loading dock', parentId: p.locationId, ...plantRow }, p.dock);
  site({ locationId: 'SH-COLD', type: 'cold_room', nameZh: '原料冷库', nameEn: 'Raw material cold room', parentId: p.locationId, ...plantRow }, p.coldRoom);
  site({ locationId: 'SH-DRY', type: 'warehouse', nameZh: '干货仓', nameEn: 'Dry store', parentId: p.locationId, ...plantRow }, p.dryStore);
  site({ locationId: 'SH-QC', type: 'qc_centre', nameZh: '质检中心', nameEn: 'QC laboratory', parentId: p.locationId, ...plantRow }, p.qcLab);
  site({ locationId: 'SH-WASTE', type: 'warehouse', nameZh: '报废处理区', nameEn: 'Waste area', parentId: p.locationId, ...plantRow }, p.waste);
  for (const d of world.depots.slice(1)) {
    const home = CITIES.find((c) => c.region === d.region) as City;
    const w = WAREHOUSES.find((x) => x.region === d.region);
    const row = { partyId: world.brandPartyId, city: home.zh, region: home.province, country: 'CN' };
    site({ locationId: d.locationId, type: 'warehouse', nameZh: `${REGION_NAMES[d.region].zh}配送中心`, nameEn: `${REGION_NAMES[d.region].en} distribution centre (${w?.cityEn ?? home.en})`, ...row, attributes: { salesRegion: REGION_NAMES[d.region].zh } }, d.site);
    site({ locationId: `${d.locationId}-DOCK`, type: 'warehouse', nameZh: `${REGION_NAMES[d.region].zh}配送中心码头`, nameEn: `${REGION_NAMES[d.region].en} DC dock`, parentId: d.locationId, ...row }, d.dock);
    site({ locationId: `${d.locationId}-COLD`, type: 'cold_room', nameZh: `${REGION_NAMES[d.region].zh}配送中心冷库`, nameEn: `${REGION_NAMES[d.region].en} DC cold room`, parentId: d.locationId, ...row }, d.coldRoom);
  }
  const vehicleRow = (v: Vehicle, parentId: string, partyId: string): MasterDataRow => ({
    locationId: v.locationId,
    type: 'vehicle',
    nameZh: `${v.kind === 'van' ? (v.chilled ? '冷藏车' : '厢式货车') : '冷链干线车'} ${v.locationId}`,
    nameEn: `${v.kind === 'van' ? (v.chilled ? 'Chilled van' : 'Van') : 'Refrigerated truck'} ${v.locationId}`,
    parentId,
    partyId,
    country: 'CN',
    attributes: { epc: v.id, refrigerated: v.chilled, logger: v.logger },
  });
  for (const d of world.depots) for (const v of d.vans) locations.push(vehicleRow(v, d.locationId, world.brandPartyId));
  for (const t of world.trucks) locations.push(vehicleRow(t, p.locationId, 'carrier-jiayun'));
  for (const s of world.stores) {
    site(
      {
        locationId: s.locationId,
        type: 'store',
        nameZh: `月华坊${s.city.zh}${s.number}号店`,
        nameEn: `Yuehuafang ${s.city.en} #${s.number}`,
        partyId: world.brandPartyId,
        city: s.city.zh,
        region: s.city.province,
        country: 'CN',
        attributes: { salesRegion: REGION_NAMES[s.city.region].zh, depot: (world.depots.find((d) => d.region === s.city.region) as Depot).locationId },
      },
      s.site,
    );
  }

  const equipment: MasterDataRow[] = [];
  for (const l of world.lines) {
    for (const oven of l.ovens) equipment.push({ equipmentId: oven, kind: 'oven', nameZh: `${l.code} 号线隧道炉 ${oven.slice(-1)}`, nameEn: `Line ${l.code} tunnel oven ${oven.slice(-1)}`, locationId: l.locationId, model: 'TO-2400', serialNo: `TO24-${oven}` });
  }
  equipment.push({ equipmentId: 'SEALER-1', kind: 'sealer', nameZh: '1 号封口机', nameEn: 'Sealer 1', locationId: 'SH-PACK', model: 'HS-600', serialNo: 'HS600-0001', attributes: { lines: '1,2' } });
  equipment.push({ equipmentId: 'SEALER-2', kind: 'sealer', nameZh: '2 号封口机', nameEn: 'Sealer 2', locationId: 'SH-PACK', model: 'HS-600', serialNo: 'HS600-0002', attributes: { lines: '3' } });
  const loggerRow = (device: string, locationId: string, kind: string): MasterDataRow => {
    const ref = device.slice(device.lastIndexOf('.') + 1);
    return { equipmentId: ref, kind, nameZh: `温湿度记录仪 ${ref}`, nameEn: `Temperature/humidity logger ${ref}`, locationId, model: 'TL-20', serialNo: ref, attributes: { epc: device } };
  };
  for (const d of world.depots) for (const v of d.vans) equipment.push(loggerRow(v.logger, v.locationId, 'vehicle_logger'));
  for (const t of world.trucks) equipment.push(loggerRow(t.logger, t.locationId, 'vehicle_logger'));
  const sensorLocation = new Map<string, string>(locations.filter((l) => typeof (l.attributes as Record<string, unknown> | undefined)?.epc === 'string').map((l) => [(l.attributes as Record<string, string>).epc as string, l.locationId as string]));
  for (const s of world.sensors) equipment.push(loggerRow(s.device, sensorLocation.get(s.readPoint) ?? p.locationId, s.kind === 'cold' ? 'cold_room_logger' : 'area_sensor'));

  const operators: MasterDataRow[] = world.operators.map((id, k) => ({
    operatorId: id,
    name: `${SURNAMES[k % SURNAMES.length]}${GIVEN[(k * 7) % GIVEN.length]}`,
    title: k % 6 === 5 ? '质检员' : k % 3 === 2 ? '包装工' : '烘焙师',
    locationId: p.locationId,
  }));

  const products: MasterDataRow[] = [
    ...world.products.map((x): MasterDataRow => ({ productId: x.productId, gtin: x.item.gtin14, nameZh: x.nameZh, nameEn: x.nameEn, shelfLifeHours: x.shelfDays * 24, granularity: 'unit', productLine: x.productLine, brand: '月华坊' })),
    ...[...world.materials].map(([m, x]): MasterDataRow => ({ productId: `raw-${m}`, gtin: x.item.gtin14, nameZh: x.nameZh, nameEn: x.nameEn, shelfLifeHours: x.shelfDays * 24, granularity: 'batch', brand: SUPPLIERS[x.supplier]?.nameZh ?? x.supplier, attributes: { supplier: SUPPLIERS[x.supplier]?.partyId ?? x.supplier } })),
  ];
  return { parties, locations, equipment, operators, products };
}

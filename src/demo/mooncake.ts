/**
 * 月华坊 "星辰月饼" — the preventive recall of seed 000, as EPCIS 2.0 documents with their exact trace,
 * scope and mass balance.
 *
 * THE STORY. 月华坊 (Yuehuafang, GS1 company prefix 6901234) bakes mooncakes in its Suzhou plant. On
 * 5 September 2025 line B switched to a new sealing-film lot (HX250901-07, a new eco film, supplier
 * 恒信包装) at 07:30. From 09:40 the seal-jaw temperature of the line-B sealer (SEAL-B1) drifted below
 * its 165–175 °C band; the readings carry `exception: ALARM_CONDITION` until a recalibration at 12:50.
 * Batch 250905-B-AM-002 (星辰月饼, 2,000 boxes, each with a QR code = an SGTIN, commissioned with ILMD
 * `cbvmda:lotNumber`) was made in that window. Its 100 cases (SSCC, 20 boxes each) went on 6 September to
 * 35 stores in exactly 3 cities: 15 in 上海 and 12 in 杭州 straight from the plant by van, 8 in 南京
 * through the Nanjing DC (one pallet on a carrier's truck on the evening of 5 September, unpacked at the
 * DC, then cases by van). Stores sold boxes until the recall decision on 8 September at 11:30, the data's
 * cut-off; SH03 and HZ05 pulled 3 unsold boxes with loose seals and set them aside as `returned`; SH12 and
 * NJ02 destroyed one crushed box each.
 *
 * THE WORLD AROUND IT, and what each other batch proves ("nothing extra"):
 * - B1 250904-B-AM-001 星辰月饼, line B, 4 Sept, old film, old flour and yolk lots; delivered on 5 Sept by
 *   VAN01 and VAN04 to the same stores as the suspect (SH01–05, HZ01–06). Same product, same line, same
 *   vans, same stores, other day: in NO rule. Its boxes on the same shelves must not be counted.
 * - B2 250905-B-AM-001 星辰月饼·流心奶黄, line B, 5 Sept 06:00–07:20, before the film and flour lot change
 *   and more than 2 h before the drift: `session`, `equipment`, and `vehicle` (cases on VAN01 with the
 *   suspect's on 6 Sept); not `raw_lot`, not `excursion`.
 * - B4 250905-B-AM-003 星辰月饼, line B, 5 Sept 10:40–12:10, new film, same flour/lotus/yolk lots, during
 *   the drift, and on VAN04, the truck and the Nanjing vans with the suspect: in ALL five rules.
 * - B5 250905-B-PM-001 星辰月饼·豆沙迷你, line B, PM session (other session), own lots (narrow film, red bean,
 *   the next flour lot), after the recalibration, shipped on VAN06/VAN07 only: `equipment` only (same
 *   oven and sealer, same day).
 * - B6 250906-B-AM-001 星辰月饼, line B, 6 Sept, rest of the new film roll and yolk lot YD250904; shipped on
 *   7 Sept on VAN01/VAN02/VAN04 (the suspect's vans, a later trip): `raw_lot` only.
 * - B7 250905-A-AM-001 莲蓉月饼, line A (own oven, sealer, film roll, lotus paste), shipped on VAN02 with the
 *   suspect on 6 Sept: `vehicle` only.
 * - B8 250905-A-PM-001 莲蓉月饼, line A PM, shipped on VAN07/VAN08; VAN08 has a temperature alarm on 6 Sept
 *   (an excursion the suspect never shared): in NO rule.
 * Raw lots are only ever shared as listed above (flour JM250903A: B3, B4; lotus XL250904: B3, B4; yolk
 * YD250904: B3, B4, B6; film HX250901-07: B3, B4, B6).
 *
 * EXPECTED SCOPE of 250905-B-AM-002 (besides itself):
 *   raw_lot   = {B4, B6}        session  = {B2, B4}        equipment = {B2, B4, B5}
 *   vehicle   = {B2, B4, B7}    excursion = {B4}           never: B1, B8
 *
 * MODELLING DECISIONS the trace engine must honour (shared with cherry-blossom.ts):
 * - Production context is on the TransformationEvent's top level here (`lotline:shift`, `lotline:operator`,
 *   `lotline:equipment` as a list, `lotline:session`), the line is its readPoint, the plant its bizLocation,
 *   the work order a `prodorder` business transaction. Other `lotline:` fields are process parameters.
 * - The batch is expressed twice, as the profile allows: the transformation outputs the LGTIN with quantity
 *   2,000, and a commissioning ObjectEvent ADD gives the 2,000 SGTINs with `cbvmda:lotNumber`. They are
 *   the same 2,000 boxes: produced = 2,000, not 4,000.
 * - Co-exposure is one hop from the queried lot: rules are not re-applied to the lots they find.
 *   Only produced lots (transformation outputs) are scope items; raw lots are the shared evidence.
 * - `raw_lot`: another transformation consumed a lot the queried batch consumed.
 * - `session`: the same `session` value (here also the same line, shift and local day).
 * - `equipment`: a shared `equipment` value on the same local day (China Standard Time).
 * - `vehicle`: a shipment of another lot on the same vehicle whose transit (shipping event → receipt of
 *   what it shipped) overlaps a transit of the queried lot on that vehicle. The same van on another day
 *   is another trip. Packing counts only while packed (the Nanjing pallet is unpacked at the DC).
 * - `excursion`: a run of sensor reports with `exception` ALARM_CONDITION (equivalently, outside the
 *   limit in master data) at one place, the reports' read point. A lot is exposed when its
 *   transformation happened during the run (first to last alarm, inclusive) with that place as its read
 *   point or business location, or when it was on that vehicle (between shipping and receipt) during
 *   the run. Storage is not exposure by this rule: in cherry-blossom.ts two batches wait for the van in
 *   the kitchen during its humidity excursion and are not in scope. Every batch that is not exposed is
 *   more than 2 h from any alarm it could be matched with, so a ±2 h reading window changes nothing.
 * - Vehicles are named by the `lotline:vehicle` extension field of shipping events (an SGLN of the
 *   fleet; the read point is the dock), and reported, like every GS1 key, as canonical Digital Links.
 *   The van loggers report with the van as read point.
 * - A raw lot's supplier is the owning party (PGLN, …/417/…) of its receipt's source, as types.ts says;
 *   the supplier's site (…/414/…) is where it was commissioned, not who supplied it.
 * - A movement counts at: produced → the transformation's bizLocation; shipped → the source location;
 *   received/sold/returned/destroyed → the bizLocation. No unit is both sold and returned: `returned`
 *   here is a store pulling unsold boxes. Mass-balance totals are the sums of the location rows, so
 *   shipped and received count the Nanjing leg twice (plant → DC, DC → store).
 * - Unit serials are unique per GTIN across batches (GS1: GTIN + serial is the key); the on-pack QR
 *   carries the lot too (`/01/…/10/{lot}/21/{serial}` on the brand's domain).
 */
import { type Gln, type TradeItem, bizTransaction, gln, lgtinUrn, lotLink, pglnLink, pglnUrn, sglnLink, sglnUrn, sgtinUrn, ssccUrn, tradeItem, unitLink } from './keys.ts';
import { type JsonObject, type TimedEvent, documentsByDay, groups, iso, ms, openingMoments, when } from './documents.ts';
import { type Counts, type ExpectedRawLot, type ExpectedStore, type MasterData, type Scenario, Tally, total } from './scenario.ts';

const BRAND = '6901234';
const PREFIXES = { lotline: 'https://ns.lotline.dev/epcis/' };
const QR_DOMAIN = 'https://qr.yuehuafang.example';
/** The recall decision: the data's cut-off. */
const CUT_OFF = ms('2025-09-08', '11:30');

// ---------------------------------------------------------------------------------------------
// Parties and places
// ---------------------------------------------------------------------------------------------

const PARTY = {
  brand: gln(BRAND, '00000'),
  flour: gln('6923450', '00000'),
  lotus: gln('6945672', '00000'),
  egg: gln('6956783', '00000'),
  film: gln('6978905', '00000'),
  carrier: gln('6912345', '00000'),
} as const;
type Supplier = 'flour' | 'lotus' | 'egg' | 'film';
const SUPPLIER_SITE: Readonly<Record<Supplier, Gln>> = {
  flour: gln('6923450', '00001'),
  lotus: gln('6945672', '00001'),
  egg: gln('6956783', '00001'),
  film: gln('6978905', '00001'),
};
/** The plant; extensions: LA/LB lines, PK packing, DK dock, QC lab, RM raw-material store. */
const PLANT = gln(BRAND, '00001');
/** The Nanjing DC; extension DK is its dock. */
const DC = gln(BRAND, '00002');
const FLEET = gln(BRAND, '00009');
const CARRIER_FLEET = gln('6912345', '00001');

type Vehicle = 'VAN01' | 'VAN02' | 'VAN03' | 'VAN04' | 'VAN05' | 'VAN06' | 'VAN07' | 'VAN08' | 'VAN11' | 'VAN12' | 'TRK01';
const vehicleGln = (v: Vehicle): Gln => (v === 'TRK01' ? CARRIER_FLEET : FLEET);
const vehicleUrn = (v: Vehicle): string => sglnUrn(vehicleGln(v), v);
const vehicleLink = (v: Vehicle): string => sglnLink(vehicleGln(v), v);

const CITY = {
  SH: { zh: '上海', en: 'Shanghai', region: '上海', ref: '100' },
  HZ: { zh: '杭州', en: 'Hangzhou', region: '浙江', ref: '110' },
  NJ: { zh: '南京', en: 'Nanjing', region: '江苏', ref: '120' },
  SZ: { zh: '苏州', en: 'Suzhou', region: '江苏', ref: '130' },
  WX: { zh: '无锡', en: 'Wuxi', region: '江苏', ref: '140' },
} as const;
type City = keyof typeof CITY;

const STORE_NAMES: Readonly<Record<City, readonly (readonly [string, string])[]>> = {
  SH: [
    ['静安寺店', "Jing'an Temple"], ['徐家汇店', 'Xujiahui'], ['陆家嘴店', 'Lujiazui'], ['人民广场店', "People's Square"], ['五角场店', 'Wujiaochang'],
    ['中山公园店', 'Zhongshan Park'], ['虹桥天地店', 'Hongqiao Tiandi'], ['七宝店', 'Qibao'], ['莘庄店', 'Xinzhuang'], ['松江万达店', 'Songjiang Wanda'],
    ['嘉定新城店', 'Jiading New Town'], ['八佰伴店', 'Babaiban'], ['新天地店', 'Xintiandi'], ['南京西路店', 'West Nanjing Road'], ['世纪大道店', 'Century Avenue'],
    ['大宁店', 'Daning'], ['闵行万科店', 'Minhang Vanke'], ['金桥店', 'Jinqiao'],
  ],
  HZ: [
    ['湖滨店', 'Hubin'], ['武林店', 'Wulin'], ['西溪店', 'Xixi'], ['滨江店', 'Binjiang'], ['钱江新城店', 'Qianjiang New Town'], ['城西银泰店', 'Chengxi Intime'],
    ['下沙店', 'Xiasha'], ['萧山店', 'Xiaoshan'], ['临平店', 'Linping'], ['黄龙店', 'Huanglong'], ['文三路店', 'Wensan Road'], ['良渚店', 'Liangzhu'],
  ],
  NJ: [['新街口店', 'Xinjiekou'], ['河西万达店', 'Hexi Wanda'], ['夫子庙店', 'Fuzimiao'], ['仙林店', 'Xianlin'], ['江宁店', 'Jiangning'], ['鼓楼店', 'Gulou'], ['湖南路店', 'Hunan Road'], ['奥体店', 'Olympic Centre']],
  SZ: [['观前街店', 'Guanqian Street'], ['园区湖东店', 'SIP Hudong'], ['石路店', 'Shilu'], ['狮山店', 'Shishan'], ['吴江店', 'Wujiang'], ['昆山店', 'Kunshan']],
  WX: [['崇安寺店', "Chong'an Temple"], ['万象城店', 'MixC'], ['滨湖店', 'Binhu'], ['惠山店', 'Huishan']],
};

/** A store code such as `SH03`. */
type StoreCode = `${City}${string}`;
interface Store {
  readonly code: StoreCode;
  readonly city: City;
  readonly gln: Gln;
  readonly nameZh: string;
  readonly nameEn: string;
}
const STORES: ReadonlyMap<string, Store> = new Map(
  (Object.keys(STORE_NAMES) as City[]).flatMap((city) =>
    STORE_NAMES[city].map(([zh, en], i): [string, Store] => {
      const n = String(i + 1).padStart(2, '0');
      const code = `${city}${n}` as StoreCode;
      return [code, { code, city, gln: gln(BRAND, `${CITY[city].ref}${n}`), nameZh: zh, nameEn: `${CITY[city].en} ${en}` }];
    }),
  ),
);
function store(code: string): Store {
  const s = STORES.get(code);
  if (!s) throw new Error(`no store ${code}`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Products and lots
// ---------------------------------------------------------------------------------------------

const PRODUCT = {
  star: tradeItem(BRAND, '56789'),
  custard: tradeItem(BRAND, '56790'),
  lotus: tradeItem(BRAND, '56791'),
  mini: tradeItem(BRAND, '56792'),
} as const;

const MATERIAL = {
  flour: { item: tradeItem('6923450', '20011'), supplier: 'flour', zh: '低筋面粉', en: 'Cake flour', shelf: 4320 },
  whiteLotus: { item: tradeItem('6945672', '40031'), supplier: 'lotus', zh: '白莲蓉馅', en: 'White lotus seed paste', shelf: 720 },
  redLotus: { item: tradeItem('6945672', '40032'), supplier: 'lotus', zh: '红莲蓉馅', en: 'Red lotus seed paste', shelf: 720 },
  redBean: { item: tradeItem('6945672', '40033'), supplier: 'lotus', zh: '豆沙馅', en: 'Red bean paste', shelf: 720 },
  custard: { item: tradeItem('6945672', '40035'), supplier: 'lotus', zh: '奶黄馅', en: 'Custard filling', shelf: 240 },
  yolk: { item: tradeItem('6956783', '50041'), supplier: 'egg', zh: '咸蛋黄', en: 'Salted egg yolk', shelf: 2160 },
  filmWide: { item: tradeItem('6978905', '90011'), supplier: 'film', zh: '月饼盒封口膜 320mm', en: 'Mooncake box sealing film 320 mm', shelf: 8760 },
  filmNarrow: { item: tradeItem('6978905', '90012'), supplier: 'film', zh: '迷你盒封口膜 200mm', en: 'Mini box sealing film 200 mm', shelf: 8760 },
} as const satisfies Record<string, { item: TradeItem; supplier: Supplier; zh: string; en: string; shelf: number }>;
type Material = keyof typeof MATERIAL;

interface RawLot {
  readonly material: Material;
  readonly lot: string;
  readonly quantity: number;
  readonly uom: 'KGM' | 'MTR';
  readonly commissioned: number;
  readonly received: number;
}
const RAW_LOTS = {
  flourOld: { material: 'flour', lot: 'JM250828A', quantity: 1000, uom: 'KGM', commissioned: ms('2025-08-28', '10:00'), received: ms('2025-08-30', '09:00') },
  flourNew: { material: 'flour', lot: 'JM250903A', quantity: 120, uom: 'KGM', commissioned: ms('2025-09-03', '15:00'), received: ms('2025-09-04', '14:00') },
  flourPm: { material: 'flour', lot: 'JM250904B', quantity: 500, uom: 'KGM', commissioned: ms('2025-09-04', '16:00'), received: ms('2025-09-05', '12:30') },
  whiteLotus0903: { material: 'whiteLotus', lot: 'XL250903', quantity: 200, uom: 'KGM', commissioned: ms('2025-09-03', '05:00'), received: ms('2025-09-03', '16:00') },
  whiteLotus0904: { material: 'whiteLotus', lot: 'XL250904', quantity: 200, uom: 'KGM', commissioned: ms('2025-09-04', '05:00'), received: ms('2025-09-04', '16:00') },
  whiteLotus0905: { material: 'whiteLotus', lot: 'XL250905', quantity: 200, uom: 'KGM', commissioned: ms('2025-09-05', '05:00'), received: ms('2025-09-05', '16:00') },
  redLotus: { material: 'redLotus', lot: 'XR250904', quantity: 200, uom: 'KGM', commissioned: ms('2025-09-04', '05:30'), received: ms('2025-09-04', '16:05') },
  custard: { material: 'custard', lot: 'XN250904', quantity: 100, uom: 'KGM', commissioned: ms('2025-09-04', '06:00'), received: ms('2025-09-04', '16:10') },
  redBean: { material: 'redBean', lot: 'XD250905', quantity: 100, uom: 'KGM', commissioned: ms('2025-09-05', '06:00'), received: ms('2025-09-05', '12:35') },
  yolkOld: { material: 'yolk', lot: 'YD250901', quantity: 60, uom: 'KGM', commissioned: ms('2025-09-01', '08:00'), received: ms('2025-09-02', '10:00') },
  yolkNew: { material: 'yolk', lot: 'YD250904', quantity: 120, uom: 'KGM', commissioned: ms('2025-09-04', '08:00'), received: ms('2025-09-04', '16:20') },
  filmOld: { material: 'filmWide', lot: 'HX250820-03', quantity: 3000, uom: 'MTR', commissioned: ms('2025-08-20', '10:00'), received: ms('2025-08-22', '10:00') },
  filmNew: { material: 'filmWide', lot: 'HX250901-07', quantity: 3000, uom: 'MTR', commissioned: ms('2025-09-01', '10:00'), received: ms('2025-09-03', '10:00') },
  filmNarrow: { material: 'filmNarrow', lot: 'HX250815-11', quantity: 2000, uom: 'MTR', commissioned: ms('2025-08-15', '10:00'), received: ms('2025-08-18', '10:00') },
} as const satisfies Record<string, RawLot>;
type RawLotKey = keyof typeof RAW_LOTS;
const rawItem = (k: RawLotKey): TradeItem => MATERIAL[RAW_LOTS[k].material].item;

type Line = 'A' | 'B';
interface Batch {
  readonly lot: string;
  readonly product: TradeItem;
  readonly line: Line;
  readonly shift: 'AM' | 'PM';
  /** End of production: the TransformationEvent's time. */
  readonly produced: number;
  readonly quantity: number;
  readonly caseSize: number;
  readonly operator: string;
  readonly inputs: readonly (readonly [RawLotKey, number])[];
  /** First unit serial (serials are unique per GTIN across batches). */
  readonly firstSerial: number;
  /** Share of a store's units sold by the cut-off (the suspect has its own table). */
  readonly sellThrough: number;
}
const BATCHES = {
  B1: { lot: '250904-B-AM-001', product: PRODUCT.star, line: 'B', shift: 'AM', produced: ms('2025-09-04', '10:00'), quantity: 1200, caseSize: 20, operator: 'OP-B07', inputs: [['flourOld', 54], ['whiteLotus0903', 84], ['yolkOld', 24], ['filmOld', 420]], firstSerial: 1000001, sellThrough: 0.6 },
  B2: { lot: '250905-B-AM-001', product: PRODUCT.custard, line: 'B', shift: 'AM', produced: ms('2025-09-05', '07:20'), quantity: 800, caseSize: 20, operator: 'OP-B07', inputs: [['flourOld', 36], ['custard', 48], ['filmOld', 280]], firstSerial: 2000001, sellThrough: 0.45 },
  B3: { lot: '250905-B-AM-002', product: PRODUCT.star, line: 'B', shift: 'AM', produced: ms('2025-09-05', '10:30'), quantity: 2000, caseSize: 20, operator: 'OP-B07', inputs: [['flourNew', 90], ['whiteLotus0904', 140], ['yolkNew', 40], ['filmNew', 700]], firstSerial: 1010001, sellThrough: 0 },
  B4: { lot: '250905-B-AM-003', product: PRODUCT.star, line: 'B', shift: 'AM', produced: ms('2025-09-05', '12:10'), quantity: 600, caseSize: 20, operator: 'OP-B07', inputs: [['flourNew', 27], ['whiteLotus0904', 42], ['yolkNew', 12], ['filmNew', 210]], firstSerial: 1020001, sellThrough: 0.4 },
  B5: { lot: '250905-B-PM-001', product: PRODUCT.mini, line: 'B', shift: 'PM', produced: ms('2025-09-05', '16:40'), quantity: 900, caseSize: 30, operator: 'OP-B12', inputs: [['flourPm', 27], ['redBean', 36], ['filmNarrow', 270]], firstSerial: 4000001, sellThrough: 0.35 },
  B6: { lot: '250906-B-AM-001', product: PRODUCT.star, line: 'B', shift: 'AM', produced: ms('2025-09-06', '10:00'), quantity: 1500, caseSize: 20, operator: 'OP-B07', inputs: [['flourPm', 68], ['whiteLotus0905', 105], ['yolkNew', 30], ['filmNew', 525]], firstSerial: 1030001, sellThrough: 0.15 },
  B7: { lot: '250905-A-AM-001', product: PRODUCT.lotus, line: 'A', shift: 'AM', produced: ms('2025-09-05', '10:00'), quantity: 1000, caseSize: 20, operator: 'OP-A03', inputs: [['flourOld', 45], ['redLotus', 70], ['filmOld', 350]], firstSerial: 3000001, sellThrough: 0.4 },
  B8: { lot: '250905-A-PM-001', product: PRODUCT.lotus, line: 'A', shift: 'PM', produced: ms('2025-09-05', '17:00'), quantity: 600, caseSize: 20, operator: 'OP-A05', inputs: [['flourOld', 27], ['redLotus', 42], ['filmOld', 210]], firstSerial: 3010001, sellThrough: 0.3 },
} as const satisfies Record<string, Batch>;
type BatchKey = keyof typeof BATCHES;
const BATCH_KEYS = Object.keys(BATCHES) as BatchKey[];
const SUSPECT: BatchKey = 'B3';

const EQUIPMENT: Readonly<Record<Line, readonly string[]>> = { A: ['OVEN-A1', 'SEAL-A1'], B: ['OVEN-B1', 'SEAL-B1'] };
const lineExt = (line: Line): string => `L${line}`;
const session = (b: Batch): string => `${b.lot.slice(0, 6)}-${b.line}-${b.shift}`;
const workOrder = (b: Batch): string => bizTransaction(PLANT, `WO${b.lot.replaceAll('-', '')}`);
const batchLot = (k: BatchKey): string => lotLink(BATCHES[k].product, BATCHES[k].lot);

// ---------------------------------------------------------------------------------------------
// Distribution: the suspect's stores (cases, and what happened to its boxes there), and the trips
// ---------------------------------------------------------------------------------------------

/** [store, cases of 250905-B-AM-002, boxes sold, pulled as returned, destroyed] — the recall's ground truth. */
const SUSPECT_AT_STORES: readonly (readonly [StoreCode, number, number, number, number])[] = [
  ['SH01', 3, 34, 0, 0], ['SH02', 3, 29, 0, 0], ['SH03', 3, 41, 2, 0], ['SH04', 3, 25, 0, 0], ['SH05', 3, 38, 0, 0],
  ['SH06', 3, 22, 0, 0], ['SH07', 3, 31, 0, 0], ['SH08', 3, 27, 0, 0], ['SH09', 3, 36, 0, 0], ['SH10', 3, 19, 0, 0],
  ['SH11', 3, 33, 0, 0], ['SH12', 3, 28, 0, 1], ['SH13', 3, 24, 0, 0], ['SH14', 3, 30, 0, 0], ['SH15', 3, 26, 0, 0],
  ['HZ01', 3, 23, 0, 0], ['HZ02', 3, 29, 0, 0], ['HZ03', 3, 18, 0, 0], ['HZ04', 3, 32, 0, 0], ['HZ05', 3, 21, 1, 0],
  ['HZ06', 3, 27, 0, 0], ['HZ07', 3, 16, 0, 0], ['HZ08', 3, 24, 0, 0], ['HZ09', 3, 20, 0, 0], ['HZ10', 3, 25, 0, 0],
  ['HZ11', 2, 14, 0, 0], ['HZ12', 2, 17, 0, 0],
  ['NJ01', 3, 22, 0, 0], ['NJ02', 3, 19, 0, 1], ['NJ03', 3, 26, 0, 0], ['NJ04', 3, 15, 0, 0], ['NJ05', 3, 21, 0, 0],
  ['NJ06', 2, 12, 0, 0], ['NJ07', 2, 18, 0, 0], ['NJ08', 2, 9, 0, 0],
];
const suspectCases = (code: StoreCode): number => SUSPECT_AT_STORES.find(([s]) => s === code)?.[1] ?? 0;

interface Stop {
  readonly store: StoreCode;
  readonly arrive: string;
  readonly load: Partial<Record<BatchKey, number>>;
}
interface Trip {
  readonly vehicle: Vehicle;
  readonly from: 'plant' | 'dc';
  readonly date: string;
  readonly depart: string;
  readonly stops: readonly Stop[];
}
/** Stops at stores `codes`, arriving every 20 minutes from `first`, each with `load(code, i)`. */
function route(codes: readonly StoreCode[], first: string, load: (code: StoreCode, i: number) => Partial<Record<BatchKey, number>>): Stop[] {
  const [h, m] = first.split(':').map(Number) as [number, number];
  return codes.map((code, i) => {
    const t = h * 60 + m + 20 * i;
    return { store: code, arrive: `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`, load: load(code, i) };
  });
}
const codes = (city: City, from: number, to: number): StoreCode[] => Array.from({ length: to - from + 1 }, (_, i) => `${city}${String(from + i).padStart(2, '0')}` as StoreCode);
const pick = (counts: readonly number[]) => (_c: StoreCode, i: number): number => counts[i] ?? 0;

const TRIPS: readonly Trip[] = [
  // 5 September: B1 (made on 4 September) to the stores that will get the suspect the next day.
  { vehicle: 'VAN01', from: 'plant', date: '2025-09-05', depart: '05:30', stops: route(codes('SH', 1, 5), '06:40', () => ({ B1: 4 })) },
  { vehicle: 'VAN04', from: 'plant', date: '2025-09-05', depart: '05:45', stops: route(codes('HZ', 1, 6), '07:30', () => ({ B1: 3 })) },
  { vehicle: 'VAN06', from: 'plant', date: '2025-09-05', depart: '06:00', stops: route(codes('SZ', 1, 6), '06:40', (c, i) => ({ B1: pick([4, 4, 4, 4, 3, 3])(c, i) })) },
  // 6 September: the suspect's day.
  { vehicle: 'VAN01', from: 'plant', date: '2025-09-06', depart: '05:30', stops: route(codes('SH', 1, 5), '06:40', (c) => ({ B3: suspectCases(c), B2: 2 })) },
  { vehicle: 'VAN02', from: 'plant', date: '2025-09-06', depart: '05:35', stops: route(codes('SH', 6, 10), '06:50', (c) => ({ B3: suspectCases(c), B7: 4 })) },
  { vehicle: 'VAN03', from: 'plant', date: '2025-09-06', depart: '05:40', stops: route(codes('SH', 11, 15), '07:00', (c) => ({ B3: suspectCases(c) })) },
  { vehicle: 'VAN04', from: 'plant', date: '2025-09-06', depart: '05:45', stops: route(codes('HZ', 1, 6), '07:30', (c) => ({ B3: suspectCases(c), B4: 2 })) },
  { vehicle: 'VAN05', from: 'plant', date: '2025-09-06', depart: '05:50', stops: route(codes('HZ', 7, 12), '07:40', (c) => ({ B3: suspectCases(c) })) },
  { vehicle: 'VAN06', from: 'plant', date: '2025-09-06', depart: '06:00', stops: route(codes('SZ', 1, 6), '06:40', (c, i) => ({ B2: 5, B7: pick([4, 4, 3, 3, 3, 3])(c, i), B5: pick([3, 3, 3, 2, 2, 2])(c, i) })) },
  { vehicle: 'VAN07', from: 'plant', date: '2025-09-06', depart: '06:10', stops: route(codes('WX', 1, 4), '07:10', (c, i) => ({ B4: 3, B5: pick([4, 4, 4, 3])(c, i), B8: pick([4, 4, 4, 3])(c, i) })) },
  { vehicle: 'VAN08', from: 'plant', date: '2025-09-06', depart: '06:15', stops: route(codes('SH', 16, 18), '07:30', (c, i) => ({ B7: pick([4, 3, 3])(c, i), B8: 5 })) },
  { vehicle: 'VAN11', from: 'dc', date: '2025-09-06', depart: '06:00', stops: route(codes('NJ', 1, 4), '06:40', (c) => ({ B3: suspectCases(c), B4: 1 })) },
  { vehicle: 'VAN12', from: 'dc', date: '2025-09-06', depart: '06:05', stops: route(codes('NJ', 5, 8), '06:45', (c, i) => ({ B3: suspectCases(c), B4: pick([1, 1, 0, 0])(c, i) })) },
  // 7 September: B6 (made on 6 September) on the suspect's vans, a later trip.
  { vehicle: 'VAN01', from: 'plant', date: '2025-09-07', depart: '05:30', stops: route(codes('SH', 1, 5), '06:40', () => ({ B6: 3 })) },
  { vehicle: 'VAN02', from: 'plant', date: '2025-09-07', depart: '05:35', stops: route(codes('SH', 6, 10), '06:50', () => ({ B6: 3 })) },
  { vehicle: 'VAN04', from: 'plant', date: '2025-09-07', depart: '05:45', stops: route(codes('HZ', 1, 6), '07:30', () => ({ B6: 2 })) },
  { vehicle: 'VAN06', from: 'plant', date: '2025-09-07', depart: '06:00', stops: route(codes('SZ', 1, 6), '06:40', (c, i) => ({ B6: pick([6, 6, 6, 5, 5, 5])(c, i) })) },
];
/** The Nanjing line haul: one pallet on the carrier's truck, 5 September evening. */
const LINE_HAUL = {
  vehicle: 'TRK01' as const,
  palletised: ms('2025-09-05', '18:00'),
  depart: ms('2025-09-05', '20:00'),
  arrive: ms('2025-09-05', '23:10'),
  unpacked: ms('2025-09-06', '05:00'),
  load: { B3: 21, B4: 6 } as Partial<Record<BatchKey, number>>,
};

/** Seal-jaw temperature of SEAL-B1 (°C, band 165–175), every 20 minutes of the production hours. */
const SEAL_READINGS: readonly { readonly date: string; readonly from: string; readonly to: string }[] = [
  { date: '2025-09-04', from: '07:00', to: '11:00' },
  { date: '2025-09-05', from: '06:00', to: '17:00' },
  { date: '2025-09-06', from: '07:00', to: '11:00' },
];
const DRIFT = { from: ms('2025-09-05', '09:40'), to: ms('2025-09-05', '12:40') };

// ---------------------------------------------------------------------------------------------
// Master data
// ---------------------------------------------------------------------------------------------

const SUPPLIER_PARTY: Readonly<Record<Supplier, { id: string; zh: string; en: string; city: string; region: string }>> = {
  flour: { id: 'sup-jinmai', zh: '金麦面粉有限公司', en: 'Jinmai Flour Co.', city: '无锡', region: '江苏' },
  lotus: { id: 'sup-xianglian', zh: '香莲食品有限公司', en: 'Xianglian Foods Co.', city: '佛山', region: '广东' },
  egg: { id: 'sup-hupan', zh: '湖畔禽蛋合作社', en: 'Hupan Egg Cooperative', city: '扬州', region: '江苏' },
  film: { id: 'sup-hengxin', zh: '恒信包装材料有限公司', en: 'Hengxin Packaging Materials Co.', city: '嘉兴', region: '浙江' },
};

function masterData(): MasterData {
  const parties: JsonObject[] = [
    { partyId: 'yuehuafang', kind: 'manufacturer', nameZh: '月华坊', nameEn: 'Yuehuafang', gln: PARTY.brand.gln, city: '苏州', region: '江苏', country: 'CN' },
    ...(Object.keys(SUPPLIER_PARTY) as Supplier[]).map((s) => {
      const p = SUPPLIER_PARTY[s];
      return { partyId: p.id, kind: 'supplier', nameZh: p.zh, nameEn: p.en, gln: PARTY[s].gln, city: p.city, region: p.region, country: 'CN' };
    }),
    { partyId: 'carrier-shunlu', kind: 'carrier', nameZh: '顺路物流', nameEn: 'Shunlu Logistics', gln: PARTY.carrier.gln, city: '苏州', region: '江苏', country: 'CN' },
  ];
  const sub = (locationId: string, type: string, nameZh: string, nameEn: string, ext: string, extra: JsonObject = {}): JsonObject => ({
    locationId, type, nameZh, nameEn, gln: PLANT.gln, glnExtension: ext, parentId: 'plant-sz', partyId: 'yuehuafang', city: '苏州', region: '江苏', country: 'CN', ...extra,
  });
  const locations: JsonObject[] = [
    ...(Object.keys(SUPPLIER_PARTY) as Supplier[]).map((s) => {
      const p = SUPPLIER_PARTY[s];
      return { locationId: `${p.id}-site`, type: 'supplier', nameZh: `${p.zh}工厂`, nameEn: `${p.en} plant`, gln: SUPPLIER_SITE[s].gln, partyId: p.id, city: p.city, region: p.region, country: 'CN' };
    }),
    { locationId: 'plant-sz', type: 'plant', nameZh: '月华坊苏州工厂', nameEn: 'Yuehuafang Suzhou plant', gln: PLANT.gln, partyId: 'yuehuafang', city: '苏州', region: '江苏', country: 'CN', address: '苏州工业园区星湖街 88 号' },
    sub('line-a', 'line', 'A线（莲蓉月饼）', 'Line A (lotus mooncakes)', 'LA'),
    sub('line-b', 'line', 'B线（星辰月饼）', 'Line B (Star mooncakes)', 'LB'),
    sub('plant-sz-packing', 'line', '包装工位', 'Packing station', 'PK'),
    sub('plant-sz-dock', 'warehouse', '发货码头', 'Dispatch dock', 'DK'),
    sub('plant-sz-qc', 'qc_centre', '质检室', 'QC laboratory', 'QC'),
    sub('plant-sz-raw', 'warehouse', '原料库', 'Raw-material store', 'RM'),
    { locationId: 'dc-nj', type: 'warehouse', nameZh: '南京配送中心', nameEn: 'Nanjing DC', gln: DC.gln, partyId: 'yuehuafang', city: '南京', region: '江苏', country: 'CN' },
    { locationId: 'dc-nj-dock', type: 'warehouse', nameZh: '南京配送中心码头', nameEn: 'Nanjing DC dock', gln: DC.gln, glnExtension: 'DK', parentId: 'dc-nj', partyId: 'yuehuafang', city: '南京', region: '江苏', country: 'CN' },
    ...(['VAN01', 'VAN02', 'VAN03', 'VAN04', 'VAN05', 'VAN06', 'VAN07', 'VAN08', 'VAN11', 'VAN12'] as const).map((v) => ({
      locationId: v.toLowerCase(), type: 'vehicle', nameZh: `配送车${v.slice(3)}号`, nameEn: `Van ${v.slice(3)}`, gln: FLEET.gln, glnExtension: v, partyId: 'yuehuafang', city: v >= 'VAN11' ? '南京' : '苏州', country: 'CN',
    })),
    { locationId: 'trk01', type: 'vehicle', nameZh: '顺路物流干线车 01', nameEn: 'Shunlu line-haul truck 01', gln: CARRIER_FLEET.gln, glnExtension: 'TRK01', partyId: 'carrier-shunlu', city: '苏州', country: 'CN' },
    ...[...STORES.values()].map((s) => ({
      locationId: `store-${s.code.toLowerCase()}`, type: 'store', nameZh: `月华坊${CITY[s.city].zh}${s.nameZh}`, nameEn: `Yuehuafang ${s.nameEn}`, gln: s.gln.gln, partyId: 'yuehuafang', city: CITY[s.city].zh, region: CITY[s.city].region, country: 'CN',
    })),
  ];
  const products: JsonObject[] = [
    { productId: 'mooncake-star', gtin: PRODUCT.star.gtin, nameZh: '星辰月饼', nameEn: 'Star Mooncake', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC', brand: '月华坊' },
    { productId: 'mooncake-star-custard', gtin: PRODUCT.custard.gtin, nameZh: '星辰月饼·流心奶黄', nameEn: 'Star Mooncake Custard', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC', brand: '月华坊' },
    { productId: 'mooncake-lotus', gtin: PRODUCT.lotus.gtin, nameZh: '莲蓉月饼', nameEn: 'Lotus Paste Mooncake', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC', brand: '月华坊' },
    { productId: 'mooncake-star-mini', gtin: PRODUCT.mini.gtin, nameZh: '星辰月饼·豆沙迷你', nameEn: 'Star Mooncake Mini Red Bean', shelfLifeHours: 504, granularity: 'unit', productLine: 'MC', brand: '月华坊' },
    ...(Object.keys(MATERIAL) as Material[]).map((m) => ({
      productId: `rm-${m}`, gtin: MATERIAL[m].item.gtin, nameZh: MATERIAL[m].zh, nameEn: MATERIAL[m].en, shelfLifeHours: MATERIAL[m].shelf, granularity: 'batch', brand: SUPPLIER_PARTY[MATERIAL[m].supplier].zh,
    })),
  ];
  const equipment: JsonObject[] = [
    { equipmentId: 'OVEN-A1', kind: 'oven', nameZh: 'A线隧道炉', nameEn: 'Line A tunnel oven', locationId: 'line-a', model: 'TL-1200' },
    { equipmentId: 'SEAL-A1', kind: 'sealer', nameZh: 'A线封口机', nameEn: 'Line A tray sealer', locationId: 'line-a', model: 'HS-320', attributes: { sealTempMinC: 165, sealTempMaxC: 175 } },
    { equipmentId: 'OVEN-B1', kind: 'oven', nameZh: 'B线隧道炉', nameEn: 'Line B tunnel oven', locationId: 'line-b', model: 'TL-1200' },
    { equipmentId: 'SEAL-B1', kind: 'sealer', nameZh: 'B线封口机', nameEn: 'Line B tray sealer', locationId: 'line-b', model: 'HS-320', serialNo: 'HS320-2207-118', attributes: { sealTempMinC: 165, sealTempMaxC: 175 } },
  ];
  const operators: JsonObject[] = [
    { operatorId: 'OP-A03', name: '陈静', title: 'A线早班班长', locationId: 'line-a' },
    { operatorId: 'OP-A05', name: '周涛', title: 'A线中班班长', locationId: 'line-a' },
    { operatorId: 'OP-B07', name: '李敏', title: 'B线早班班长', locationId: 'line-b' },
    { operatorId: 'OP-B12', name: '赵磊', title: 'B线中班班长', locationId: 'line-b' },
  ];
  return { parties, locations, products, equipment, operators };
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const PLANT_AT = sglnUrn(PLANT);
const DC_AT = sglnUrn(DC);
const brandParty = pglnUrn(PARTY.brand);
const addDays = (t: number, days: number): string => iso(t + days * 86_400_000).slice(0, 10);
const serialOf = (b: Batch, i: number): string => String(b.firstSerial + i);

/** A case (SSCC) and the serials in it. */
interface Case {
  readonly batch: BatchKey;
  readonly sscc: string;
  readonly serials: readonly string[];
}

function build(): { events: TimedEvent[]; tally: Tally; shipmentsOf: Map<BatchKey, number>; vehiclesOf: Map<BatchKey, Set<Vehicle>> } {
  const events: TimedEvent[] = [];
  const tally = new Tally();
  const push = (at: number, event: JsonObject): void => {
    events.push({ at, event: { ...event, ...when(at) } });
  };
  const lotOf = (k: BatchKey): string => batchLot(k);

  // Raw materials: commissioned by the supplier, received at the plant, checked by QC.
  let dn = 1;
  for (const key of Object.keys(RAW_LOTS) as RawLotKey[]) {
    const r: RawLot = RAW_LOTS[key];
    const m = MATERIAL[r.material];
    const cls = lgtinUrn(m.item, r.lot);
    const site = SUPPLIER_SITE[m.supplier];
    push(r.commissioned, {
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      quantityList: [{ epcClass: cls, quantity: r.quantity, uom: r.uom }],
      readPoint: { id: sglnUrn(site, '1') }, bizLocation: { id: sglnUrn(site) },
      ilmd: { 'cbvmda:lotNumber': r.lot, 'cbvmda:bestBeforeDate': addDays(r.commissioned, m.shelf / 24), 'cbvmda:countryOfOrigin': 'CN' },
    });
    push(r.received, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress',
      quantityList: [{ epcClass: cls, quantity: r.quantity, uom: r.uom }],
      readPoint: { id: sglnUrn(PLANT, 'DK') }, bizLocation: { id: sglnUrn(PLANT, 'RM') },
      bizTransactionList: [
        { type: 'po', bizTransaction: bizTransaction(PARTY.brand, `PO${r.lot}`) },
        { type: 'desadv', bizTransaction: bizTransaction(PARTY[m.supplier], `DN${String(dn++).padStart(6, '0')}`) },
      ],
      sourceList: [{ type: 'owning_party', source: pglnUrn(PARTY[m.supplier]) }, { type: 'location', source: sglnUrn(site) }],
      destinationList: [{ type: 'owning_party', destination: brandParty }, { type: 'location', destination: PLANT_AT }],
    });
    push(r.received + 30 * 60_000, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant',
      quantityList: [{ epcClass: cls }],
      readPoint: { id: sglnUrn(PLANT, 'QC') }, bizLocation: { id: sglnUrn(PLANT, 'RM') },
      certificationInfo: `https://coa.${SUPPLIER_PARTY[m.supplier].id}.example/${encodeURIComponent(r.lot)}`,
    });
  }

  // Production: transformation (class level), unit commissioning (the QR codes), packing into cases.
  const casesOf = new Map<BatchKey, Case[]>();
  for (const [index, key] of BATCH_KEYS.entries()) {
    const b: Batch = BATCHES[key];
    push(b.produced, {
      type: 'TransformationEvent',
      inputQuantityList: b.inputs.map(([rk, q]) => ({ epcClass: lgtinUrn(rawItem(rk), RAW_LOTS[rk].lot), quantity: q, uom: RAW_LOTS[rk].uom })),
      outputQuantityList: [{ epcClass: lgtinUrn(b.product, b.lot), quantity: b.quantity }],
      bizStep: 'creating_class_instance', disposition: 'active',
      readPoint: { id: sglnUrn(PLANT, lineExt(b.line)) }, bizLocation: { id: PLANT_AT },
      bizTransactionList: [{ type: 'prodorder', bizTransaction: workOrder(b) }],
      ilmd: { 'cbvmda:lotNumber': b.lot, 'cbvmda:bestBeforeDate': addDays(b.produced, 21) },
      'lotline:shift': b.shift,
      'lotline:operator': b.operator,
      'lotline:equipment': [...EQUIPMENT[b.line]],
      'lotline:session': session(b),
      'lotline:ovenProgram': b.line === 'A' ? 'P2' : 'P3',
      'lotline:sealTempSetpointC': 170,
    });
    tally.add(lotOf(key), sglnLink(PLANT), 'produced', b.quantity);
    const serials = Array.from({ length: b.quantity }, (_, i) => serialOf(b, i));
    const labelled = b.produced + 10 * 60_000;
    push(labelled, {
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      epcList: serials.map((s) => sgtinUrn(b.product, s)),
      readPoint: { id: sglnUrn(PLANT, lineExt(b.line)) }, bizLocation: { id: PLANT_AT },
      ilmd: { 'cbvmda:lotNumber': b.lot, 'cbvmda:itemExpirationDate': addDays(b.produced, 21) },
    });
    const cases: Case[] = [];
    for (let c = 0; c * b.caseSize < b.quantity; c++) {
      const inCase = serials.slice(c * b.caseSize, (c + 1) * b.caseSize);
      const sscc = ssccUrn(BRAND, 0, (index + 1) * 1000 + c + 1);
      cases.push({ batch: key, sscc, serials: inCase });
      push(labelled + 10 * 60_000 + c * 30_000, {
        type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress',
        parentID: sscc, childEPCs: inCase.map((s) => sgtinUrn(b.product, s)),
        readPoint: { id: sglnUrn(PLANT, 'PK') }, bizLocation: { id: PLANT_AT },
      });
    }
    casesOf.set(key, cases);
  }

  // The seal-jaw temperature of line B's sealer: in band, except the drift after the film change.
  for (const day of SEAL_READINGS) {
    for (let t = ms(day.date, day.from), k = 0; t <= ms(day.date, day.to); t += 20 * 60_000, k++) {
      const drifting = t >= DRIFT.from && t <= DRIFT.to;
      const value = drifting ? [161.5, 160.2, 159.4, 158.8, 158.1, 158.6, 159.0, 158.3, 159.7, 160.4][k % 10]! : [169.8, 170.4, 170.1, 169.5, 170.6, 170.0][k % 6]!;
      push(t, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'sensor_reporting',
        readPoint: { id: sglnUrn(PLANT, 'LB') },
        sensorElementList: [{
          sensorMetadata: { time: iso(t), deviceID: `urn:epc:id:giai:${BRAND}.SEALB1-TC1` },
          sensorReport: [{ type: 'Temperature', value, uom: 'CEL', ...(drifting ? { exception: 'ALARM_CONDITION' } : {}) }],
        }],
      });
    }
  }

  // Stock of cases by place, in packing order; shipments take from the front.
  const stock = new Map<string, Map<BatchKey, Case[]>>();
  stock.set('plant', new Map(BATCH_KEYS.map((k) => [k, [...(casesOf.get(k) ?? [])]])));
  stock.set('dc', new Map());
  const take = (from: string, key: BatchKey, n: number): Case[] => {
    const list = stock.get(from)?.get(key) ?? [];
    if (list.length < n) throw new Error(`${from} has ${list.length} cases of ${key}, not ${n}`);
    return list.splice(0, n);
  };
  const put = (to: string, cases: readonly Case[]): void => {
    const byBatch = stock.get(to) ?? new Map<BatchKey, Case[]>();
    stock.set(to, byBatch);
    for (const c of cases) byBatch.set(c.batch, [...(byBatch.get(c.batch) ?? []), c]);
  };

  const shipmentsOf = new Map<BatchKey, number>();
  const vehiclesOf = new Map<BatchKey, Set<Vehicle>>();
  const carried = (cases: readonly Case[], vehicle: Vehicle): void => {
    for (const key of new Set(cases.map((c) => c.batch))) {
      shipmentsOf.set(key, (shipmentsOf.get(key) ?? 0) + 1);
      vehiclesOf.set(key, (vehiclesOf.get(key) ?? new Set()).add(vehicle));
    }
  };
  const units = (cases: readonly Case[], key: BatchKey): number => cases.filter((c) => c.batch === key).reduce((s, c) => s + c.serials.length, 0);
  const countMove = (cases: readonly Case[], place: string, kind: 'shipped' | 'received'): void => {
    for (const key of new Set(cases.map((c) => c.batch))) tally.add(lotOf(key), place, kind, units(cases, key));
  };
  const vanReading = (vehicle: Vehicle, at: number, temperature: number, alarm = false): void => {
    push(at, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'sensor_reporting',
      readPoint: { id: vehicleUrn(vehicle) },
      sensorElementList: [{
        sensorMetadata: { time: iso(at), deviceID: `urn:epc:id:giai:${BRAND}.TL${vehicle}` },
        sensorReport: [
          { type: 'Temperature', value: temperature, uom: 'CEL', ...(alarm ? { exception: 'ALARM_CONDITION' } : {}) },
          { type: 'RelativeHumidity', value: 58, uom: 'P1' },
        ],
      }],
    });
  };

  // The Nanjing line haul: palletise, ship on the truck, receive and unpack at the DC.
  const pallet = ssccUrn(BRAND, 1, 1);
  const palletCases = (Object.entries(LINE_HAUL.load) as [BatchKey, number][]).flatMap(([k, n]) => take('plant', k, n));
  push(LINE_HAUL.palletised, {
    type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress',
    parentID: pallet, childEPCs: palletCases.map((c) => c.sscc),
    readPoint: { id: sglnUrn(PLANT, 'DK') }, bizLocation: { id: PLANT_AT },
  });
  const haulRoute = {
    sourceList: [{ type: 'owning_party', source: brandParty }, { type: 'location', source: PLANT_AT }],
    destinationList: [{ type: 'owning_party', destination: brandParty }, { type: 'location', destination: DC_AT }],
    bizTransactionList: [{ type: 'desadv', bizTransaction: bizTransaction(PARTY.brand, 'DN250905NJ01') }],
  };
  push(LINE_HAUL.depart, {
    type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
    epcList: [pallet], readPoint: { id: sglnUrn(PLANT, 'DK') }, ...haulRoute, 'lotline:vehicle': vehicleUrn('TRK01'),
  });
  countMove(palletCases, sglnLink(PLANT), 'shipped');
  carried(palletCases, 'TRK01');
  vanReading('TRK01', LINE_HAUL.depart + 90 * 60_000, 23.4);
  push(LINE_HAUL.arrive, {
    type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress',
    epcList: [pallet], readPoint: { id: sglnUrn(DC, 'DK') }, bizLocation: { id: DC_AT }, ...haulRoute,
  });
  countMove(palletCases, sglnLink(DC), 'received');
  push(LINE_HAUL.unpacked, {
    type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', disposition: 'in_progress',
    parentID: pallet, childEPCs: palletCases.map((c) => c.sscc),
    readPoint: { id: sglnUrn(DC, 'DK') }, bizLocation: { id: DC_AT },
  });
  put('dc', palletCases);

  // Van trips: one shipping event per store drop, at departure; the store receives at arrival.
  const atStore = new Map<string, { key: BatchKey; received: number; serials: string[] }[]>();
  const sortedTrips = [...TRIPS].sort((a, b) => ms(a.date, a.depart) - ms(b.date, b.depart));
  let desadv = 1;
  for (const trip of sortedTrips) {
    const depart = ms(trip.date, trip.depart);
    const origin = trip.from === 'plant' ? PLANT : DC;
    for (const stop of trip.stops) {
      const s = store(stop.store);
      const cases = (Object.entries(stop.load) as [BatchKey, number][]).flatMap(([k, n]) => take(trip.from, k, n));
      if (cases.length === 0) continue;
      const arrive = ms(trip.date, stop.arrive);
      const routeFields = {
        sourceList: [{ type: 'owning_party', source: brandParty }, { type: 'location', source: sglnUrn(origin) }],
        destinationList: [{ type: 'owning_party', destination: brandParty }, { type: 'location', destination: sglnUrn(s.gln) }],
        bizTransactionList: [{ type: 'desadv', bizTransaction: bizTransaction(PARTY.brand, `DN${trip.date.replaceAll('-', '').slice(2)}${String(desadv++).padStart(4, '0')}`) }],
      };
      push(depart, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
        epcList: cases.map((c) => c.sscc), readPoint: { id: sglnUrn(origin, 'DK') }, ...routeFields, 'lotline:vehicle': vehicleUrn(trip.vehicle),
      });
      countMove(cases, sglnLink(origin), 'shipped');
      carried(cases, trip.vehicle);
      push(arrive, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible',
        epcList: cases.map((c) => c.sscc), readPoint: { id: sglnUrn(s.gln, '1') }, bizLocation: { id: sglnUrn(s.gln) }, ...routeFields,
      });
      countMove(cases, sglnLink(s.gln), 'received');
      const here = atStore.get(s.code) ?? [];
      atStore.set(s.code, here);
      for (const key of new Set(cases.map((c) => c.batch))) {
        here.push({ key, received: arrive, serials: cases.filter((c) => c.batch === key).flatMap((c) => [...c.serials]) });
      }
    }
    const alarm = trip.vehicle === 'VAN08' && trip.date === '2025-09-06';
    vanReading(trip.vehicle, depart + 40 * 60_000, alarm ? 28.6 : 22.8, alarm);
  }
  for (const [place, byBatch] of stock) {
    for (const [key, left] of byBatch) if (left.length > 0) throw new Error(`${left.length} cases of ${key} never left ${place}`);
  }

  // At the stores: till sales (1–3 boxes a time), and for the suspect, boxes pulled or destroyed.
  for (const [code, drops] of atStore) {
    const s = store(code);
    const storeAt = sglnUrn(s.gln);
    for (const drop of drops) {
      const b: Batch = BATCHES[drop.key];
      const row = drop.key === SUSPECT ? SUSPECT_AT_STORES.find(([c]) => c === code) : undefined;
      const sold = row ? row[2] : Math.floor(drop.serials.length * b.sellThrough);
      const returned = row ? row[3] : 0;
      const destroyed = row ? row[4] : 0;
      const soldUnits = groups(drop.serials.slice(0, sold));
      const moments = openingMoments(drop.received + 60 * 60_000, CUT_OFF, soldUnits.length);
      soldUnits.forEach((basket, i) => {
        push(moments[i]!, {
          type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold',
          epcList: basket.map((serial) => sgtinUrn(b.product, serial)), readPoint: { id: sglnUrn(s.gln, '2') }, bizLocation: { id: storeAt },
        });
      });
      tally.add(lotOf(drop.key), sglnLink(s.gln), 'sold', sold);
      if (returned > 0) {
        push(ms('2025-09-07', '15:00') + drops.indexOf(drop) * 60_000, {
          type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'removing', disposition: 'returned',
          epcList: drop.serials.slice(sold, sold + returned).map((serial) => sgtinUrn(b.product, serial)),
          readPoint: { id: sglnUrn(s.gln, '1') }, bizLocation: { id: storeAt },
        });
        tally.add(lotOf(drop.key), sglnLink(s.gln), 'returned', returned);
      }
      if (destroyed > 0) {
        push(ms('2025-09-07', '20:30'), {
          type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'destroying', disposition: 'destroyed',
          epcList: drop.serials.slice(sold + returned, sold + returned + destroyed).map((serial) => sgtinUrn(b.product, serial)),
          readPoint: { id: sglnUrn(s.gln, '1') }, bizLocation: { id: storeAt },
        });
        tally.add(lotOf(drop.key), sglnLink(s.gln), 'destroyed', destroyed);
      }
    }
  }
  return { events, tally, shipmentsOf, vehiclesOf };
}

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

function scenario(): Scenario {
  const { events, tally, shipmentsOf, vehiclesOf } = build();
  const suspect: Batch = BATCHES[SUSPECT];
  const lot = batchLot(SUSPECT);
  const counts = tally.of(lot);
  const stores: Record<string, ExpectedStore> = {};
  for (const [code] of SUSPECT_AT_STORES) {
    const s = store(code);
    const c = counts[sglnLink(s.gln)];
    if (!c) throw new Error(`no counts for ${code}`);
    stores[sglnLink(s.gln)] = { ...c, nameZh: `月华坊${CITY[s.city].zh}${s.nameZh}`, city: CITY[s.city].zh };
  }
  const rawLots: Record<string, ExpectedRawLot> = {};
  for (const [rk] of suspect.inputs) {
    const m = MATERIAL[RAW_LOTS[rk].material];
    rawLots[lotLink(m.item, RAW_LOTS[rk].lot)] = { lotNumber: RAW_LOTS[rk].lot, gtin: m.item.gtin, supplier: pglnLink(PARTY[m.supplier]), qcRecords: 1 };
  }
  const sum: Counts = total(counts);
  const qrSerial = serialOf(suspect, 5);
  return {
    name: '月华坊 星辰月饼 (seed 000)',
    masterData: masterData(),
    documents: documentsByDay(events, PREFIXES, '2025-09-04'),
    codes: {
      unitQr: `${QR_DOMAIN}/01/${suspect.product.gtin}/10/${suspect.lot}/21/${qrSerial}`,
      batchLgtin: lgtinUrn(suspect.product, suspect.lot),
      batchLink: lot,
    },
    expected: {
      downstream: {
        code: lot,
        lot,
        stores,
        cities: ['上海', '杭州', '南京'],
        locations: counts,
        vehicles: [...(vehiclesOf.get(SUSPECT) ?? [])].map(vehicleLink).sort(),
        shipments: shipmentsOf.get(SUSPECT) ?? 0,
      },
      upstream: {
        code: `${QR_DOMAIN}/01/${suspect.product.gtin}/10/${suspect.lot}/21/${qrSerial}`,
        unit: unitLink(suspect.product, qrSerial),
        lot,
        rawLots,
        suppliers: [...new Set(Object.values(rawLots).map((r) => r.supplier))].sort(),
        batch: {
          lot,
          lotNumber: suspect.lot,
          quantity: suspect.quantity,
          line: sglnLink(PLANT, 'LB'),
          plant: sglnLink(PLANT),
          shift: 'AM',
          session: '250905-B-AM',
          operators: ['OP-B07'],
          equipment: ['OVEN-B1', 'SEAL-B1'],
          workOrders: [workOrder(suspect)],
        },
      },
      scope: {
        code: lot,
        lot,
        byRule: {
          raw_lot: [batchLot('B4'), batchLot('B6')],
          session: [batchLot('B2'), batchLot('B4')],
          equipment: [batchLot('B2'), batchLot('B4'), batchLot('B5')],
          vehicle: [batchLot('B2'), batchLot('B4'), batchLot('B7')],
          excursion: [batchLot('B4')],
        },
        outOfScope: {
          [batchLot('B1')]: 'same product, line, vans and stores, but 4 September: other day, other lots, other trips',
          [batchLot('B8')]: 'line A PM: other line, equipment, lots and vans; its van VAN08 had an excursion the suspect never shared',
        },
      },
      massBalance: {
        code: lot,
        lots: [lot],
        uom: null,
        ...sum,
        inTransit: 0, consumed: 0,
        accountedPercent: 100,
        locations: counts,
      },
    },
  };
}

/** The 月华坊 星辰月饼 scenario (built once; deterministic). */
export const mooncake: Scenario = scenario();
export const { masterData: mooncakeMasterData, documents: mooncakeDocuments, codes: mooncakeCodes, expected: mooncakeExpected } = mooncake;

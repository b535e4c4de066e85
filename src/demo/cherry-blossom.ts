/**
 * 时光印记 "春日樱花饼" — the batch investigation of seed 001 (sections 3.1 and 5.1), as EPCIS 2.0
 * documents with their exact trace, scope and mass balance.
 *
 * THE STORY. 时光印记 (GS1 company prefix 6937712) bakes small batches in one Hangzhou central kitchen.
 * In March 2026 a customer reports a slight off-smell; the QR code on the pack leads to batch
 * 251203-SS-PM-002 (the seed's own code, kept verbatim as the lot number: it does not read as a
 * YYMMDD date of 3 March, and the engine must not derive dates from lot numbers; the other batches of
 * the story carry the same day code for the same day). Its trace:
 * - raw material 樱花蜜饯 lot LOT25S-45 from supplier B (春野食品), received 2 March 10:00, QC passed
 *   (an `inspecting` event, disposition `conformant`, with the supplier's certificate); plus white bean
 *   paste lot WB260301 from 茗香食品;
 * - produced 3 March in the afternoon (14:30–15:40) on the SS line by 王某 (operator WANG-03) with
 *   oven #3 (OVEN-03): 120 serialised pieces, output directly by the TransformationEvent
 *   (`outputEPCList` + ILMD `cbvmda:lotNumber`, no separate commissioning event); the production
 *   context is in the ILMD under the brand's own prefix `sg:` (equipment as a single string);
 * - the kitchen's humidity sensor reads 72–75 % (limit 70 %, in the kitchen's master data) from 15:30 to
 *   16:30, with `exception: ALARM_CONDITION` (the same kitchen location is the production's bizLocation);
 * - shipped in five crates (GRAI, 24 pieces each) on 配送车#2 (a GIAI, the shipping events' read point,
 *   no extension field) at 16:30 on a five-stop route; the van logger reads 19–20 °C, no alarm;
 * - 城市书房 receives 24 pieces at 18:20 and has sold 18 by the cut-off (5 March 20:00).
 *   The other stops: 运河咖啡馆 (20 sold, 2 pulled for the smell → returned), 西湖文创店 (15 sold),
 *   滨江书店 (24 sold), 良渚文化村店 (10 sold, 1 destroyed). Stores unpack crates on receipt.
 * Crates are reused: four of the suspect's crates carried batch 251202-SS-PM-001 to other stores on
 * 2 March, and carry 251204-SS-AM-001 to other stores on 4 March. Containment counts only while packed.
 *
 * THE OTHER BATCHES, and what each proves:
 * - 251203-SS-PM-001 春日桃花酥, SS line, PM session, oven #2, own lot, produced 12:50, 2 h 40 min before
 *   the humidity excursion, shipped on VAN01: `session` only.
 * - 251204-SS-AM-001 春日樱花饼, 4 March, the same 樱花蜜饯 lot LOT25S-45, oven #3, VAN02 on 4 March:
 *   `raw_lot` only (other day for equipment and vehicle; it reuses the suspect's crates).
 * - 251203-CS-AM-001 城市记忆·抹茶红豆酥, CS line, morning, oven #3, VAN02's morning trip (11:00–12:10):
 *   `equipment` only (same oven, same day; same van, other trip).
 * - 251203-CS-AM-002 城市记忆·龙井酥, CS line morning, oven #1, held until VAN02's 16:30 trip with the
 *   suspect (two stops): `vehicle` only.
 * - 251203-CS-PM-001 城市记忆·抹茶红豆酥, CS line PM, oven #1, produced 15:50 during the humidity
 *   excursion, shipped on VAN01 at 17:00 (other vehicle, same time): `excursion` only.
 *   251203-SS-PM-001 and 251203-CS-AM-002 wait packed in the kitchen during the excursion: storage is
 *   not exposure (the rule is about production there), so neither is in `excursion`.
 * - 251203-SS-AM-001 桂花糕, SS line, same day, AM shift, oven #2: in NO rule (a session is line + shift + day).
 * - 251202-SS-PM-001 春日樱花饼, 2 March, previous 樱花蜜饯 lot LOT25S-44, oven #3 and VAN02 on 2 March:
 *   in NO rule (other day, other lot), although its crates later carry the suspect.
 *
 * EXPECTED SCOPE of 251203-SS-PM-002 (besides itself):
 *   raw_lot = {251204-SS-AM-001}   session = {251203-SS-PM-001}   equipment = {251203-CS-AM-001}
 *   vehicle = {251203-CS-AM-002}   excursion = {251203-CS-PM-001}
 *   never: 251203-SS-AM-001, 251202-SS-PM-001
 *
 * The modelling decisions (rules, places, one-hop co-exposure) are those in the header of mooncake.ts.
 * Here the vehicle is the shipping event's read point (a GIAI: a GLN read point is a dock, never a
 * vehicle), the production context sits in the ILMD, and
 * production year is 2026 (the seed's incident is in March 2026; shelf life 7 days).
 */
import { type Gln, type TradeItem, bizTransaction, giaiLink, giaiUrn, gln, graiUrn, lgtinUrn, lotLink, pglnLink, pglnUrn, sglnLink, sglnUrn, sgtinUrn, tradeItem, unitLink } from './keys.ts';
import { type JsonObject, type TimedEvent, documentsByDay, groups, iso, ms, openingMoments, when } from './documents.ts';
import { type ExpectedRawLot, type ExpectedStore, type MasterData, type Scenario, Tally, total } from './scenario.ts';

const BRAND = '6937712';
const PREFIXES = { sg: 'https://ns.shiguang.example/epcis/' };
const QR_DOMAIN = 'https://trace.shiguang.example';
const CUT_OFF = ms('2026-03-05', '20:00');
const CRATE_TYPE = '00101';

// ---------------------------------------------------------------------------------------------
// Parties, places, products
// ---------------------------------------------------------------------------------------------

const PARTY = { brand: gln(BRAND, '00000'), chunye: gln('6948813', '00000'), mingxiang: gln('6958824', '00000'), guixiang: gln('6968835', '00000') } as const;
type Supplier = 'chunye' | 'mingxiang' | 'guixiang';
const SUPPLIER: Readonly<Record<Supplier, { id: string; zh: string; en: string; city: string; region: string; site: Gln }>> = {
  chunye: { id: 'sup-b-chunye', zh: '春野食品（供应商B）', en: 'Chunye Foods (supplier B)', city: '湖州', region: '浙江', site: gln('6948813', '00001') },
  mingxiang: { id: 'sup-mingxiang', zh: '茗香食品', en: 'Mingxiang Foods', city: '绍兴', region: '浙江', site: gln('6958824', '00001') },
  guixiang: { id: 'sup-guixiang', zh: '桂香园', en: 'Guixiangyuan', city: '杭州', region: '浙江', site: gln('6968835', '00001') },
};
/** The central kitchen (also the production area of the humidity sensor); SS/CS lines, DK dock, QC, RM raw store. */
const KITCHEN = gln(BRAND, '00001');
type Van = 'VAN01' | 'VAN02';
/** Vans are assets (GIAI); master data names them under `attributes.giai` (a location has no GIAI field). */
const vanUrn = (v: Van): string => giaiUrn(BRAND, v);

type StoreKey = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8';
const STORES: Readonly<Record<StoreKey, { zh: string; en: string; gln: Gln }>> = {
  S1: { zh: '城市书房', en: 'City Study', gln: gln(BRAND, '20001') },
  S2: { zh: '运河咖啡馆', en: 'Canal Café', gln: gln(BRAND, '20002') },
  S3: { zh: '西湖文创店', en: 'West Lake Creative Store', gln: gln(BRAND, '20003') },
  S4: { zh: '滨江书店', en: 'Binjiang Bookstore', gln: gln(BRAND, '20004') },
  S5: { zh: '良渚文化村店', en: 'Liangzhu Village Store', gln: gln(BRAND, '20005') },
  S6: { zh: '湖滨文创店', en: 'Hubin Creative Store', gln: gln(BRAND, '20006') },
  S7: { zh: '南山路书店', en: 'Nanshan Road Bookstore', gln: gln(BRAND, '20007') },
  S8: { zh: '小河直街店', en: 'Xiaohe Street Store', gln: gln(BRAND, '20008') },
};

const PRODUCT = {
  sakura: { item: tradeItem(BRAND, '10021'), id: 'spring-sakura-cake', zh: '春日樱花饼', en: 'Spring Sakura Cake', line: 'SS', shelf: 168 },
  peach: { item: tradeItem(BRAND, '10022'), id: 'spring-peach-pastry', zh: '春日桃花酥', en: 'Spring Peach Blossom Pastry', line: 'SS', shelf: 168 },
  osmanthus: { item: tradeItem(BRAND, '10023'), id: 'osmanthus-cake', zh: '桂花糕', en: 'Osmanthus Cake', line: 'SS', shelf: 120 },
  matcha: { item: tradeItem(BRAND, '10031'), id: 'city-matcha-redbean', zh: '城市记忆·抹茶红豆酥', en: 'City Memory Matcha Red Bean Pastry', line: 'CS', shelf: 168 },
  longjing: { item: tradeItem(BRAND, '10032'), id: 'city-longjing', zh: '城市记忆·龙井酥', en: 'City Memory Longjing Tea Pastry', line: 'CS', shelf: 168 },
} as const;
type Product = keyof typeof PRODUCT;

const MATERIAL = {
  sakura: { item: tradeItem('6948813', '30011'), supplier: 'chunye', zh: '樱花蜜饯', en: 'Candied cherry blossom', shelf: 2160 },
  peach: { item: tradeItem('6948813', '30013'), supplier: 'chunye', zh: '桃花酱', en: 'Peach blossom jam', shelf: 2160 },
  whiteBean: { item: tradeItem('6958824', '40041'), supplier: 'mingxiang', zh: '白豆沙', en: 'White bean paste', shelf: 240 },
  redBean: { item: tradeItem('6958824', '40044'), supplier: 'mingxiang', zh: '红豆沙', en: 'Red bean paste', shelf: 240 },
  matcha: { item: tradeItem('6958824', '40042'), supplier: 'mingxiang', zh: '抹茶粉', en: 'Matcha powder', shelf: 4320 },
  longjing: { item: tradeItem('6958824', '40043'), supplier: 'mingxiang', zh: '龙井茶粉', en: 'Longjing tea powder', shelf: 4320 },
  osmanthus: { item: tradeItem('6968835', '50011'), supplier: 'guixiang', zh: '桂花蜜', en: 'Osmanthus syrup', shelf: 4320 },
} as const satisfies Record<string, { item: TradeItem; supplier: Supplier; zh: string; en: string; shelf: number }>;
type Material = keyof typeof MATERIAL;

const RAW_LOTS = {
  sakura44: { material: 'sakura', lot: 'LOT25S-44', quantity: 10, received: ms('2026-02-24', '10:00') },
  sakura45: { material: 'sakura', lot: 'LOT25S-45', quantity: 12, received: ms('2026-03-02', '10:00') },
  peach: { material: 'peach', lot: 'TH260301', quantity: 8, received: ms('2026-03-01', '10:30') },
  whiteBean0226: { material: 'whiteBean', lot: 'WB260226', quantity: 20, received: ms('2026-02-26', '09:30') },
  whiteBean0301: { material: 'whiteBean', lot: 'WB260301', quantity: 20, received: ms('2026-03-01', '09:30') },
  whiteBean0303: { material: 'whiteBean', lot: 'WB260303', quantity: 20, received: ms('2026-03-03', '17:30') },
  redBean: { material: 'redBean', lot: 'RB260302', quantity: 20, received: ms('2026-03-02', '09:30') },
  matcha: { material: 'matcha', lot: 'MC260215', quantity: 5, received: ms('2026-02-16', '11:00') },
  longjing: { material: 'longjing', lot: 'LJ260210', quantity: 5, received: ms('2026-02-11', '11:00') },
  osmanthus: { material: 'osmanthus', lot: 'GX260220', quantity: 10, received: ms('2026-02-21', '14:00') },
} as const satisfies Record<string, { material: Material; lot: string; quantity: number; received: number }>;
type RawLotKey = keyof typeof RAW_LOTS;

interface Batch {
  readonly lot: string;
  readonly product: Product;
  readonly shift: 'AM' | 'PM';
  readonly produced: number;
  readonly quantity: number;
  readonly operator: string;
  readonly oven: string;
  readonly inputs: readonly (readonly [RawLotKey, number])[];
  readonly firstSerial: number;
  /** Crates (GRAI serials) in packing order, 24 pieces each. */
  readonly crates: readonly string[];
  readonly sellThrough: number;
}
const BATCHES = {
  C8: { lot: '251202-SS-PM-001', product: 'sakura', shift: 'PM', produced: ms('2026-03-02', '15:30'), quantity: 96, operator: 'WANG-03', oven: 'OVEN-03', inputs: [['sakura44', 2.9], ['whiteBean0226', 3.8]], firstSerial: 10001, crates: ['1001', '1002', '1003', '1004'], sellThrough: 0.8 },
  C4: { lot: '251203-CS-AM-001', product: 'matcha', shift: 'AM', produced: ms('2026-03-03', '09:30'), quantity: 144, operator: 'ZHANG-01', oven: 'OVEN-03', inputs: [['matcha', 0.7], ['redBean', 5.8]], firstSerial: 10001, crates: ['1005', '1006', '1007', '1008', '1009', '1010'], sellThrough: 0.6 },
  C7: { lot: '251203-SS-AM-001', product: 'osmanthus', shift: 'AM', produced: ms('2026-03-03', '10:00'), quantity: 96, operator: 'WANG-03', oven: 'OVEN-02', inputs: [['osmanthus', 1.9]], firstSerial: 10001, crates: ['1011', '1012', '1013', '1014'], sellThrough: 0.6 },
  C5: { lot: '251203-CS-AM-002', product: 'longjing', shift: 'AM', produced: ms('2026-03-03', '11:30'), quantity: 96, operator: 'ZHANG-01', oven: 'OVEN-01', inputs: [['longjing', 0.5], ['redBean', 3.8]], firstSerial: 10001, crates: ['1015', '1016', '1017', '1018'], sellThrough: 0.5 },
  C2: { lot: '251203-SS-PM-001', product: 'peach', shift: 'PM', produced: ms('2026-03-03', '12:50'), quantity: 72, operator: 'WANG-03', oven: 'OVEN-02', inputs: [['peach', 1.8]], firstSerial: 10001, crates: ['1019', '1020', '1021'], sellThrough: 0.5 },
  C1: { lot: '251203-SS-PM-002', product: 'sakura', shift: 'PM', produced: ms('2026-03-03', '15:40'), quantity: 120, operator: 'WANG-03', oven: 'OVEN-03', inputs: [['sakura45', 3.6], ['whiteBean0301', 4.8]], firstSerial: 10101, crates: ['1001', '1002', '1003', '1004', '1022'], sellThrough: 0 },
  C6: { lot: '251203-CS-PM-001', product: 'matcha', shift: 'PM', produced: ms('2026-03-03', '15:50'), quantity: 120, operator: 'CHEN-02', oven: 'OVEN-01', inputs: [['matcha', 0.6], ['redBean', 4.8]], firstSerial: 10201, crates: ['1027', '1028', '1029', '1030', '1031'], sellThrough: 0.4 },
  C3: { lot: '251204-SS-AM-001', product: 'sakura', shift: 'AM', produced: ms('2026-03-04', '10:30'), quantity: 96, operator: 'LI-05', oven: 'OVEN-03', inputs: [['sakura45', 2.9], ['whiteBean0303', 3.8]], firstSerial: 10301, crates: ['1001', '1002', '1003', '1004'], sellThrough: 0.3 },
} as const satisfies Record<string, Batch>;
type BatchKey = keyof typeof BATCHES;
const SUSPECT: BatchKey = 'C1';

const line = (b: Batch): string => PRODUCT[b.product].line;
const item = (b: Batch): TradeItem => PRODUCT[b.product].item;
const batchLot = (k: BatchKey): string => lotLink(item(BATCHES[k]), BATCHES[k].lot);
const session = (b: Batch): string => `${b.lot.slice(0, 6)}-${line(b)}-${b.shift}`;
const workOrder = (b: Batch): string => bizTransaction(KITCHEN, `WO-${b.lot}`);

/** [store, arrival, {batch: crates}] of each van trip; the suspect's table gives what became of its pieces. */
interface Trip {
  readonly van: Van;
  readonly date: string;
  readonly depart: string;
  readonly stops: readonly (readonly [StoreKey, string, Partial<Record<BatchKey, number>>])[];
}
const TRIPS: readonly Trip[] = [
  { van: 'VAN02', date: '2026-03-02', depart: '16:30', stops: [['S6', '17:10', { C8: 2 }], ['S7', '17:40', { C8: 2 }]] },
  { van: 'VAN02', date: '2026-03-03', depart: '11:00', stops: [['S6', '11:40', { C4: 3 }], ['S7', '12:10', { C4: 3 }]] },
  { van: 'VAN01', date: '2026-03-03', depart: '11:00', stops: [['S8', '11:30', { C7: 2 }], ['S6', '11:50', { C7: 2 }]] },
  { van: 'VAN02', date: '2026-03-03', depart: '16:30', stops: [['S2', '17:05', { C1: 1, C5: 1 }], ['S3', '17:30', { C1: 1, C5: 1 }], ['S4', '17:50', { C1: 1 }], ['S5', '18:05', { C1: 1 }], ['S1', '18:20', { C1: 1 }]] },
  { van: 'VAN01', date: '2026-03-03', depart: '17:00', stops: [['S6', '17:30', { C6: 2, C2: 1 }], ['S7', '17:50', { C6: 2, C2: 1, C5: 1 }], ['S8', '18:10', { C6: 1, C2: 1, C5: 1 }]] },
  { van: 'VAN02', date: '2026-03-04', depart: '11:30', stops: [['S6', '12:10', { C3: 2 }], ['S7', '12:30', { C3: 1 }], ['S8', '12:50', { C3: 1 }]] },
];
/** [store, sold, pulled as returned, destroyed] of 251203-SS-PM-002 (24 pieces each). */
const SUSPECT_AT_STORES: readonly (readonly [StoreKey, number, number, number])[] = [
  ['S1', 18, 0, 0],
  ['S2', 20, 2, 0],
  ['S3', 15, 0, 0],
  ['S4', 24, 0, 0],
  ['S5', 10, 0, 1],
];
/** When empty crates come back to the kitchen (the morning after a delivery). */
const CRATE_RETURNS: readonly { readonly at: number; readonly crates: readonly string[] }[] = [
  { at: ms('2026-03-03', '07:30'), crates: ['1001', '1002', '1003', '1004'] },
  { at: ms('2026-03-04', '07:30'), crates: ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009', '1010', '1011', '1012', '1013', '1014', '1015', '1016', '1017', '1018', '1019', '1020', '1021', '1022', '1027', '1028', '1029', '1030', '1031'] },
];
/** Kitchen relative humidity (%, limit 70) every 30 minutes; the alarm run is 15:30–16:30 on 3 March. */
const HUMIDITY: Readonly<Record<string, readonly number[]>> = {
  // 07:00, 07:30, … 18:00 (23 readings)
  '2026-03-02': [55, 56, 57, 58, 58, 59, 60, 60, 61, 61, 62, 62, 63, 63, 62, 62, 61, 61, 60, 60, 59, 58, 58],
  '2026-03-03': [58, 59, 60, 61, 61, 62, 63, 63, 64, 64, 65, 66, 66, 67, 68, 69, 69, 75, 74, 72, 69, 67, 65],
  '2026-03-04': [57, 58, 58, 59, 60, 60, 61, 62, 62, 63, 63, 63, 64, 64, 63, 63, 62, 62, 61, 60, 60, 59, 58],
};
const HUMIDITY_LIMIT = 70;

// ---------------------------------------------------------------------------------------------
// Master data
// ---------------------------------------------------------------------------------------------

function masterData(): MasterData {
  const parties: JsonObject[] = [
    { partyId: 'shiguang', kind: 'manufacturer', nameZh: '时光印记', nameEn: 'Shiguang Yinji (Time Imprint)', gln: PARTY.brand.gln, city: '杭州', region: '浙江', country: 'CN' },
    ...(Object.keys(SUPPLIER) as Supplier[]).map((s) => ({ partyId: SUPPLIER[s].id, kind: 'supplier', nameZh: SUPPLIER[s].zh, nameEn: SUPPLIER[s].en, gln: PARTY[s].gln, city: SUPPLIER[s].city, region: SUPPLIER[s].region, country: 'CN' })),
  ];
  const sub = (locationId: string, type: string, nameZh: string, nameEn: string, ext: string): JsonObject => ({
    locationId, type, nameZh, nameEn, gln: KITCHEN.gln, glnExtension: ext, parentId: 'kitchen-hz', partyId: 'shiguang', city: '杭州', region: '浙江', country: 'CN',
  });
  const locations: JsonObject[] = [
    ...(Object.keys(SUPPLIER) as Supplier[]).map((s) => ({ locationId: `${SUPPLIER[s].id}-site`, type: 'supplier', nameZh: `${SUPPLIER[s].zh}工厂`, nameEn: `${SUPPLIER[s].en} plant`, gln: SUPPLIER[s].site.gln, partyId: SUPPLIER[s].id, city: SUPPLIER[s].city, region: SUPPLIER[s].region, country: 'CN' })),
    { locationId: 'kitchen-hz', type: 'plant', nameZh: '时光印记中央厨房', nameEn: 'Shiguang central kitchen', gln: KITCHEN.gln, partyId: 'shiguang', city: '杭州', region: '浙江', country: 'CN', attributes: { humidityMaxPercent: HUMIDITY_LIMIT } },
    sub('line-ss', 'line', '季节系列线（SS）', 'Seasonal line (SS)', 'SS'),
    sub('line-cs', 'line', '城市系列线（CS）', 'City line (CS)', 'CS'),
    sub('kitchen-dock', 'warehouse', '发货区', 'Dispatch area', 'DK'),
    sub('kitchen-qc', 'qc_centre', '质检台', 'QC bench', 'QC'),
    sub('kitchen-raw', 'cold_room', '原料冷库', 'Raw-material cold room', 'RM'),
    ...(['VAN01', 'VAN02'] as const).map((v) => ({ locationId: v.toLowerCase(), type: 'vehicle', nameZh: `配送车#${v.slice(4)}`, nameEn: `Delivery van #${v.slice(4)}`, partyId: 'shiguang', city: '杭州', country: 'CN', attributes: { giai: vanUrn(v) } })),
    ...(Object.keys(STORES) as StoreKey[]).map((k) => ({ locationId: `store-${k.toLowerCase()}`, type: 'store', nameZh: STORES[k].zh, nameEn: STORES[k].en, gln: STORES[k].gln.gln, city: '杭州', region: '浙江', country: 'CN' })),
  ];
  const products: JsonObject[] = [
    ...(Object.keys(PRODUCT) as Product[]).map((p) => ({ productId: PRODUCT[p].id, gtin: PRODUCT[p].item.gtin, nameZh: PRODUCT[p].zh, nameEn: PRODUCT[p].en, shelfLifeHours: PRODUCT[p].shelf, granularity: 'unit', productLine: PRODUCT[p].line, brand: '时光印记' })),
    ...(Object.keys(MATERIAL) as Material[]).map((m) => ({ productId: `rm-${m}`, gtin: MATERIAL[m].item.gtin, nameZh: MATERIAL[m].zh, nameEn: MATERIAL[m].en, shelfLifeHours: MATERIAL[m].shelf, granularity: 'batch', brand: SUPPLIER[MATERIAL[m].supplier].zh })),
  ];
  const equipment: JsonObject[] = [1, 2, 3].map((n) => ({ equipmentId: `OVEN-0${n}`, kind: 'oven', nameZh: `${n}号烤箱`, nameEn: `Oven #${n}`, locationId: 'kitchen-hz', model: 'SmartBake 60', serialNo: `SB60-25-00${n}` }));
  const operators: JsonObject[] = [
    { operatorId: 'WANG-03', name: '王某', title: '季节系列面点师', locationId: 'line-ss' },
    { operatorId: 'LI-05', name: '李某', title: '季节系列面点师', locationId: 'line-ss' },
    { operatorId: 'ZHANG-01', name: '张某', title: '城市系列面点师', locationId: 'line-cs' },
    { operatorId: 'CHEN-02', name: '陈某', title: '城市系列面点师', locationId: 'line-cs' },
  ];
  return { parties, locations, products, equipment, operators };
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const KITCHEN_AT = sglnUrn(KITCHEN);
const brandParty = pglnUrn(PARTY.brand);
const crate = (serial: string): string => graiUrn(BRAND, CRATE_TYPE, serial);
const addDays = (t: number, days: number): string => iso(t + days * 86_400_000).slice(0, 10);
const serialOf = (b: Batch, i: number): string => String(b.firstSerial + i);

function build(): { events: TimedEvent[]; tally: Tally; shipmentsOf: Map<BatchKey, number> } {
  const events: TimedEvent[] = [];
  const tally = new Tally();
  const push = (at: number, event: JsonObject): void => {
    events.push({ at, event: { ...event, ...when(at) } });
  };

  // Raw materials: the supplier commissions the lot the day before; the kitchen receives and checks it.
  let dn = 1;
  for (const key of Object.keys(RAW_LOTS) as RawLotKey[]) {
    const r = RAW_LOTS[key];
    const m = MATERIAL[r.material];
    const s = SUPPLIER[m.supplier];
    const cls = lgtinUrn(m.item, r.lot);
    push(r.received - 86_400_000, {
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      quantityList: [{ epcClass: cls, quantity: r.quantity, uom: 'KGM' }],
      readPoint: { id: sglnUrn(s.site, '1') }, bizLocation: { id: sglnUrn(s.site) },
      ilmd: { 'cbvmda:lotNumber': r.lot, 'cbvmda:bestBeforeDate': addDays(r.received, m.shelf / 24) },
    });
    push(r.received, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress',
      quantityList: [{ epcClass: cls, quantity: r.quantity, uom: 'KGM' }],
      readPoint: { id: sglnUrn(KITCHEN, 'DK') }, bizLocation: { id: sglnUrn(KITCHEN, 'RM') },
      bizTransactionList: [{ type: 'desadv', bizTransaction: bizTransaction(PARTY[m.supplier], `DN${String(dn++).padStart(5, '0')}`) }],
      sourceList: [{ type: 'owning_party', source: pglnUrn(PARTY[m.supplier]) }, { type: 'location', source: sglnUrn(s.site) }],
      destinationList: [{ type: 'owning_party', destination: brandParty }, { type: 'location', destination: KITCHEN_AT }],
    });
    push(r.received + 30 * 60_000, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant',
      quantityList: [{ epcClass: cls }],
      readPoint: { id: sglnUrn(KITCHEN, 'QC') }, bizLocation: { id: sglnUrn(KITCHEN, 'RM') },
      certificationInfo: `https://qc.${s.id}.example/coa/${r.lot}`,
    });
  }

  // The kitchen's humidity sensor (the production area: the production events' bizLocation).
  for (const [date, values] of Object.entries(HUMIDITY)) {
    values.forEach((value, k) => {
      const at = ms(date, '07:00') + k * 30 * 60_000;
      push(at, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'sensor_reporting',
        readPoint: { id: KITCHEN_AT }, bizLocation: { id: KITCHEN_AT },
        sensorElementList: [{
          sensorMetadata: { time: iso(at), deviceID: `urn:epc:id:giai:${BRAND}.RH-K1`, bizRules: `https://ns.shiguang.example/rules/kitchen-rh-max-${HUMIDITY_LIMIT}` },
          sensorReport: [{ type: 'RelativeHumidity', value, uom: 'P1', ...(value > HUMIDITY_LIMIT ? { exception: 'ALARM_CONDITION' } : {}) }],
        }],
      });
    });
  }

  // Production: the pieces are the transformation's outputs; QC after cooling; packing into crates.
  const cratesOf = new Map<BatchKey, { crate: string; serials: string[]; key: BatchKey }[]>();
  for (const key of Object.keys(BATCHES) as BatchKey[]) {
    const b: Batch = BATCHES[key];
    const serials = Array.from({ length: b.quantity }, (_, i) => serialOf(b, i));
    push(b.produced, {
      type: 'TransformationEvent',
      inputQuantityList: b.inputs.map(([rk, q]) => ({ epcClass: lgtinUrn(MATERIAL[RAW_LOTS[rk].material].item, RAW_LOTS[rk].lot), quantity: q, uom: 'KGM' })),
      outputEPCList: serials.map((s) => sgtinUrn(item(b), s)),
      bizStep: 'creating_class_instance', disposition: 'active',
      readPoint: { id: sglnUrn(KITCHEN, line(b)) }, bizLocation: { id: KITCHEN_AT },
      bizTransactionList: [{ type: 'prodorder', bizTransaction: workOrder(b) }],
      ilmd: {
        'cbvmda:lotNumber': b.lot,
        'cbvmda:itemExpirationDate': addDays(b.produced, PRODUCT[b.product].shelf / 24),
        'sg:shift': b.shift,
        'sg:operator': b.operator,
        'sg:equipment': b.oven,
        'sg:session': session(b),
        'sg:ovenTempC': 185,
        'sg:bakeMinutes': 22,
      },
    });
    tally.add(batchLot(key), sglnLink(KITCHEN), 'produced', b.quantity);
    push(b.produced + 20 * 60_000, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant',
      quantityList: [{ epcClass: lgtinUrn(item(b), b.lot) }],
      readPoint: { id: sglnUrn(KITCHEN, 'QC') }, bizLocation: { id: KITCHEN_AT },
    });
    const crates = b.crates.map((c, i) => ({ crate: c, serials: serials.slice(i * 24, (i + 1) * 24), key }));
    crates.forEach((c, i) => {
      push(b.produced + 30 * 60_000 + i * 60_000, {
        type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress',
        parentID: crate(c.crate), childEPCs: c.serials.map((s) => sgtinUrn(item(b), s)),
        readPoint: { id: sglnUrn(KITCHEN, 'DK') }, bizLocation: { id: KITCHEN_AT },
      });
    });
    cratesOf.set(key, crates);
  }

  // Empty crates come back to the kitchen.
  for (const r of CRATE_RETURNS) {
    push(r.at, {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress',
      epcList: r.crates.map(crate), readPoint: { id: sglnUrn(KITCHEN, 'DK') }, bizLocation: { id: KITCHEN_AT },
    });
  }

  // Deliveries: one shipping event per store at departure (read point = the van), receipt and unpacking at the store.
  const shipmentsOf = new Map<BatchKey, number>();
  const drops: { store: StoreKey; key: BatchKey; received: number; serials: string[] }[] = [];
  const vanReadings: Readonly<Record<string, readonly number[]>> = { '2026-03-03 16:30': [19.2, 19.6, 20.1, 19.8] };
  let desadv = 1;
  let unpacks = 0;
  for (const trip of TRIPS) {
    const depart = ms(trip.date, trip.depart);
    const van = vanUrn(trip.van);
    for (const [storeKey, arrival, load] of trip.stops) {
      const st = STORES[storeKey];
      const loaded = (Object.entries(load) as [BatchKey, number][]).flatMap(([k, n]) => {
        const list = cratesOf.get(k) ?? [];
        if (list.length < n) throw new Error(`only ${list.length} crates of ${k} left`);
        return list.splice(0, n);
      });
      const arrive = ms(trip.date, arrival);
      const routeFields = {
        sourceList: [{ type: 'owning_party', source: brandParty }, { type: 'location', source: KITCHEN_AT }],
        destinationList: [{ type: 'owning_party', destination: brandParty }, { type: 'location', destination: sglnUrn(st.gln) }],
        bizTransactionList: [{ type: 'desadv', bizTransaction: bizTransaction(PARTY.brand, `DN${trip.date.replaceAll('-', '')}-${String(desadv++).padStart(3, '0')}`) }],
      };
      push(depart, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
        epcList: loaded.map((c) => crate(c.crate)), readPoint: { id: van }, ...routeFields,
      });
      push(arrive, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible',
        epcList: loaded.map((c) => crate(c.crate)), readPoint: { id: sglnUrn(st.gln, '1') }, bizLocation: { id: sglnUrn(st.gln) }, ...routeFields,
      });
      // Unpacked on receipt; every other store scans the pieces out, the rest empties the crate whole.
      for (const c of loaded) {
        push(arrive + 5 * 60_000, {
          type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', disposition: 'sellable_accessible',
          parentID: crate(c.crate), childEPCs: unpacks++ % 2 === 0 ? c.serials.map((s) => sgtinUrn(item(BATCHES[c.key]), s)) : [],
          readPoint: { id: sglnUrn(st.gln, '1') }, bizLocation: { id: sglnUrn(st.gln) },
        });
      }
      for (const key of new Set(loaded.map((c) => c.key))) {
        const serials = loaded.filter((c) => c.key === key).flatMap((c) => c.serials);
        shipmentsOf.set(key, (shipmentsOf.get(key) ?? 0) + 1);
        tally.add(batchLot(key), sglnLink(KITCHEN), 'shipped', serials.length);
        tally.add(batchLot(key), sglnLink(st.gln), 'received', serials.length);
        drops.push({ store: storeKey, key, received: arrive, serials });
      }
    }
    const readings = vanReadings[`${trip.date} ${trip.depart}`] ?? [20.4];
    readings.forEach((temperature, i) => {
      const at = depart + (15 + 30 * i) * 60_000;
      push(at, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'sensor_reporting',
        readPoint: { id: van },
        sensorElementList: [{ sensorMetadata: { time: iso(at), deviceID: `urn:epc:id:giai:${BRAND}.TL-${trip.van}` }, sensorReport: [{ type: 'Temperature', value: temperature, uom: 'CEL' }] }],
      });
    });
  }
  for (const [k, left] of cratesOf) if (left.length > 0) throw new Error(`${left.length} crates of ${k} never shipped`);

  // At the stores.
  for (const d of drops) {
    const b: Batch = BATCHES[d.key];
    const st = STORES[d.store];
    const row = d.key === SUSPECT ? SUSPECT_AT_STORES.find(([s]) => s === d.store) : undefined;
    const sold = row ? row[1] : Math.floor(d.serials.length * b.sellThrough);
    const returned = row ? row[2] : 0;
    const destroyed = row ? row[3] : 0;
    const baskets = groups(d.serials.slice(0, sold), [1, 1, 2, 1]);
    const moments = openingMoments(d.received + 10 * 60_000, CUT_OFF, baskets.length, 8, 22);
    baskets.forEach((basket, i) => {
      push(moments[i]!, {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold',
        epcList: basket.map((s) => sgtinUrn(item(b), s)), readPoint: { id: sglnUrn(st.gln, '2') }, bizLocation: { id: sglnUrn(st.gln) },
      });
    });
    tally.add(batchLot(d.key), sglnLink(st.gln), 'sold', sold);
    if (returned > 0) {
      push(ms('2026-03-05', '10:15'), {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'removing', disposition: 'returned',
        epcList: d.serials.slice(sold, sold + returned).map((s) => sgtinUrn(item(b), s)), readPoint: { id: sglnUrn(st.gln, '1') }, bizLocation: { id: sglnUrn(st.gln) },
      });
      tally.add(batchLot(d.key), sglnLink(st.gln), 'returned', returned);
    }
    if (destroyed > 0) {
      push(ms('2026-03-04', '19:40'), {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'destroying', disposition: 'destroyed',
        epcList: d.serials.slice(sold + returned, sold + returned + destroyed).map((s) => sgtinUrn(item(b), s)), readPoint: { id: sglnUrn(st.gln, '1') }, bizLocation: { id: sglnUrn(st.gln) },
      });
      tally.add(batchLot(d.key), sglnLink(st.gln), 'destroyed', destroyed);
    }
  }
  return { events, tally, shipmentsOf };
}

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

function scenario(): Scenario {
  const { events, tally, shipmentsOf } = build();
  const suspect: Batch = BATCHES[SUSPECT];
  const lot = batchLot(SUSPECT);
  const counts = tally.of(lot);
  const stores: Record<string, ExpectedStore> = {};
  for (const [k] of SUSPECT_AT_STORES) {
    const c = counts[sglnLink(STORES[k].gln)];
    if (!c) throw new Error(`no counts for ${k}`);
    stores[sglnLink(STORES[k].gln)] = { ...c, nameZh: STORES[k].zh, city: '杭州' };
  }
  const rawLots: Record<string, ExpectedRawLot> = {};
  for (const [rk] of suspect.inputs) {
    const m = MATERIAL[RAW_LOTS[rk].material];
    rawLots[lotLink(m.item, RAW_LOTS[rk].lot)] = { lotNumber: RAW_LOTS[rk].lot, gtin: m.item.gtin, supplier: pglnLink(PARTY[m.supplier]), qcRecords: 1 };
  }
  const qrSerial = serialOf(suspect, 7);
  const unitQr = `${QR_DOMAIN}/01/${item(suspect).gtin}/10/${suspect.lot}/21/${qrSerial}`;
  return {
    name: '时光印记 春日樱花饼 (seed 001)',
    masterData: masterData(),
    documents: documentsByDay(events, PREFIXES, '2026-03-02'),
    codes: { unitQr, batchLgtin: lgtinUrn(item(suspect), suspect.lot), batchLink: lot },
    expected: {
      downstream: {
        code: lot,
        lot,
        stores,
        cities: ['杭州'],
        locations: counts,
        vehicles: [giaiLink(BRAND, 'VAN02')],
        shipments: shipmentsOf.get(SUSPECT) ?? 0,
      },
      upstream: {
        code: unitQr,
        unit: unitLink(item(suspect), qrSerial),
        lot,
        rawLots,
        suppliers: [...new Set(Object.values(rawLots).map((r) => r.supplier))].sort(),
        batch: {
          lot,
          lotNumber: suspect.lot,
          quantity: suspect.quantity,
          line: sglnLink(KITCHEN, 'SS'),
          plant: sglnLink(KITCHEN),
          shift: 'PM',
          session: '251203-SS-PM',
          operators: ['WANG-03'],
          equipment: ['OVEN-03'],
          workOrders: [workOrder(suspect)],
        },
      },
      scope: {
        code: lot,
        lot,
        byRule: {
          raw_lot: [batchLot('C3')],
          session: [batchLot('C2')],
          equipment: [batchLot('C4')],
          vehicle: [batchLot('C5')],
          excursion: [batchLot('C6')],
        },
        outOfScope: {
          [batchLot('C7')]: 'same line and day, AM shift: other session; oven #2; no shared lot, van trip or excursion',
          [batchLot('C8')]: '2 March: previous 樱花蜜饯 lot; oven #3 and VAN02 on another day; its crates later carry the suspect',
        },
      },
      massBalance: { code: lot, lots: [lot], uom: null, ...total(counts), inTransit: 0, consumed: 0, accountedPercent: 100, locations: counts },
    },
  };
}

/** The 时光印记 春日樱花饼 scenario (built once; deterministic). */
export const cherryBlossom: Scenario = scenario();
export const { masterData: cherryBlossomMasterData, documents: cherryBlossomDocuments, codes: cherryBlossomCodes, expected: cherryBlossomExpected } = cherryBlossom;

/**
 * Report data for tests and previews, from the mooncake story: 星辰月饼 batch 250905-B-A-001 made on
 * line B drifted out of seal after a new lot of packaging film was loaded. 2,000 boxes (the batch and
 * the next one, 250905-B-A-002, sealed with the same film) went to 35 stores in 上海, 杭州 and 苏州.
 * A voluntary level-3 recall started within two hours; 85 % was back within 48 hours. The root cause:
 * the new eco film is incompatible with the sealing machine.
 *
 * The case state is made by replaying commands through the real state machine (machine.ts), so the
 * stamps, versions and scope diffs are what a real case would hold. Also: a mock-recall drill (pass
 * or fail), and helpers to make the scope large (pagination) or take parts away (not yet recorded).
 */
import { scoreDrill } from '../../../core/recall/drill-score.ts';
import { decide } from '../../../core/recall/machine.ts';
import type { RecallCommand, RecallState } from '../../../core/recall/types.ts';
import type { LocationQuantities, ScopeEvidence, TracePlace } from '../../trace/types.ts';
import type { ClockView, RecallReportData, RecallReportKind, RecoveryProgress, RecoveryRow, ScopeSnapshot, ScopeSnapshotItem, TimelineEntry } from '../report-data.ts';

// ---- identifiers --------------------------------------------------------------------------------

/** GS1 check digit of the digits before it. */
function gs1Check(digits: string): string {
  let sum = 0;
  for (let i = digits.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return String((10 - (sum % 10)) % 10);
}
const gln = (company: string, location: number): string => {
  const body = `${company}${String(location).padStart(12 - company.length, '0')}`;
  return `https://id.gs1.org/414/${body}${gs1Check(body)}`;
};

export const MOONCAKE_GTIN = `0690123450001${gs1Check('0690123450001')}`;
export const FILM_GTIN = `0690123490001${gs1Check('0690123490001')}`;
const lotId = (gtin: string, lot: string): string => `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}`;
export const LOT_001 = lotId(MOONCAKE_GTIN, '250905-B-A-001');
export const LOT_002 = lotId(MOONCAKE_GTIN, '250905-B-A-002');
export const DRILL_LOT = lotId(MOONCAKE_GTIN, '250910-A-A-003');
const FILM_LOT = lotId(FILM_GTIN, 'F-ECO-0828');
const MOONCAKE_NAME = { zh: '星辰月饼（蛋黄莲蓉，4 枚装）', en: 'Xingchen mooncakes, lotus paste with yolk, box of 4' } as const;

export const ORG = { id: 'org-xingchen', name: '星辰食品有限公司 / Xingchen Foods Co., Ltd.' } as const;

const place = (id: string, name: string, type: string, city: string): TracePlace => ({ id, name, type, city, region: null });
export const PLANT = place(gln('6901234', 1), '星辰食品金山工厂 / Xingchen Jinshan plant', 'plant', '上海');

const STORE_NAMES: Readonly<Record<'上海' | '杭州' | '苏州', readonly (readonly [string, string])[]>> = {
  上海: [
    ['南京西路店', 'Nanjing W Rd'], ['淮海中路店', 'Huaihai M Rd'], ['徐家汇店', 'Xujiahui'], ['陆家嘴店', 'Lujiazui'], ['五角场店', 'Wujiaochang'],
    ['静安寺店', "Jing'an Temple"], ['中山公园店', 'Zhongshan Park'], ['人民广场店', "People's Square"], ['虹桥店', 'Hongqiao'], ['莘庄店', 'Xinzhuang'],
    ['七宝店', 'Qibao'], ['张江店', 'Zhangjiang'], ['世纪公园店', 'Century Park'], ['大宁店', 'Daning'], ['浦江店', 'Pujiang'],
  ],
  杭州: [
    ['西湖店', 'West Lake'], ['武林店', 'Wulin'], ['滨江店', 'Binjiang'], ['城西店', 'Chengxi'], ['下沙店', 'Xiasha'],
    ['萧山店', 'Xiaoshan'], ['黄龙店', 'Huanglong'], ['湖滨店', 'Hubin'], ['钱江新城店', 'Qianjiang New Town'], ['良渚店', 'Liangzhu'],
  ],
  苏州: [
    ['观前街店', 'Guanqian St'], ['园区湖东店', 'SIP Hudong'], ['石路店', 'Shilu'], ['狮山店', 'Shishan'], ['木渎店', 'Mudu'],
    ['相城店', 'Xiangcheng'], ['吴中店', 'Wuzhong'], ['金鸡湖店', 'Jinji Lake'], ['平江路店', 'Pingjiang Rd'], ['昆山店', 'Kunshan'],
  ],
};

/** The 35 stores of the story, then (for large scopes) numbered stores in the same three cities. */
export function stores(count = 35): TracePlace[] {
  const named = (['上海', '杭州', '苏州'] as const).flatMap((city) => STORE_NAMES[city].map(([zh, en]) => ({ city, zh, en })));
  const cities = ['上海', '杭州', '苏州'] as const;
  const cityEn = { 上海: 'Shanghai', 杭州: 'Hangzhou', 苏州: 'Suzhou' } as const;
  return Array.from({ length: count }, (_, i) => {
    const n = named[i];
    if (n) return place(gln('6901234', 100 + i), `${n.zh} / ${n.en} store`, 'store', n.city);
    const city = cities[i % 3] as (typeof cities)[number];
    const no = String(i + 1).padStart(3, '0');
    return place(gln('6901234', 100 + i), `${city}第${no}号店 / ${cityEn[city]} store ${no}`, 'store', city);
  });
}

const loc = (p: TracePlace, q: Partial<LocationQuantities>): LocationQuantities => ({
  place: p, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0, produced: 0, uom: null, ...q,
});

/** Boxes a store received: 60 in 上海, 55 in 杭州 and 苏州 (2,000 over the story's 35 stores). */
const delivered = (p: TracePlace): number => (p.city === '上海' ? 60 : 55);
/** Boxes a store had sold when the scope was frozen: 12 in 上海, 9 elsewhere (360 in all). */
const soldAtFreeze = (p: TracePlace): number => (p.city === '上海' ? 12 : 9);

// ---- scope --------------------------------------------------------------------------------------

const evidence002: ScopeEvidence[] = [
  {
    rule: 'raw_lot',
    detail: 'sealed with the same packaging film lot F-ECO-0828 as 250905-B-A-001',
    detailZh: '与 250905-B-A-001 使用同一包装膜批次 F-ECO-0828',
    shared: FILM_LOT,
    eventIds: ['urn:uuid:7d0e5a3c-0905-4b2e-9a11-000000000002'],
  },
  {
    rule: 'equipment',
    detail: 'sealed on the same machine SEALER-B2 on line B within the same shift',
    detailZh: '同一班次在 B 线同一台封口机 SEALER-B2 上封口',
    shared: 'urn:epc:id:giai:6901234.SEALER-B2',
    eventIds: ['urn:uuid:7d0e5a3c-0905-4b2e-9a11-000000000002'],
  },
];

/** The scope's lots: each store's boxes split 60/40 between the two lots. */
function scopeItems(storeList: readonly TracePlace[], lots: readonly string[]): ScopeSnapshotItem[] {
  const share = (lot: string, n: number): number => (lots.length === 1 ? n : lot === LOT_001 ? Math.round(n * 0.6) : n - Math.round(n * 0.6));
  return lots.map((lot) => {
    const perStore = storeList.map((s) => {
      const received = share(lot, delivered(s));
      const sold = share(lot, soldAtFreeze(s));
      return loc(s, { received, sold, onHand: received - sold });
    });
    const made = perStore.reduce((n, l) => n + l.received, 0);
    return {
      lot,
      gtin: MOONCAKE_GTIN,
      lotNumber: decodeURIComponent(lot.split('/').at(-1) as string),
      productName: MOONCAKE_NAME,
      evidence: lot === LOT_002 ? evidence002 : [],
      locations: [loc(PLANT, { produced: made, shipped: made }), ...perStore],
    };
  });
}

function totalsOf(items: readonly ScopeSnapshotItem[]): ScopeSnapshot['totals'] {
  const places = new Set(items.flatMap((i) => i.locations.map((l) => l.place.id)));
  const cities = new Set(items.flatMap((i) => i.locations.map((l) => l.place.city)));
  const units = items.reduce((n, i) => n + i.locations.reduce((m, l) => m + l.produced, 0), 0);
  return { lots: items.length, units, locations: places.size, cities: cities.size };
}

// ---- the case, replayed ------------------------------------------------------------------------

interface Step {
  readonly at: string;
  readonly by: string;
  readonly role: string;
  readonly command: RecallCommand;
  /** What the timeline says about it, when the command has no reason of its own. */
  readonly note?: string;
}

/** Replay steps up to `until` through the state machine: the state and the decision timeline. */
function replay(steps: readonly Step[], until: string): { state: RecallState; timeline: TimelineEntry[] } {
  let state: RecallState | null = null;
  const timeline: TimelineEntry[] = [];
  for (const s of steps) {
    if (Date.parse(s.at) > Date.parse(until)) break;
    state = decide(state, s.command, { at: s.at, by: s.by }).state;
    const c = s.command;
    const reason = 'reason' in c ? c.reason : c.type === 'close' ? c.summary : (s.note ?? null);
    timeline.push({ seq: state.version, at: s.at, actor: s.by, role: s.role, command: c.type, reason });
  }
  if (state === null) throw new Error('no step before the cut-off');
  return { state, timeline };
}

const QA = 'li.na@xingchen.example';
const FSM = 'zhao.gang@xingchen.example';
const GM = 'chen.wei@xingchen.example';
const hours = (iso: string, h: number): string => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

const OPENED = '2025-09-05T02:10:00.000Z';
const STARTED = '2025-09-05T04:00:00.000Z';

const instructions = {
  'zh-CN': '请立即停止食用批号为 250905-B-A-001、250905-B-A-002 的星辰月饼（蛋黄莲蓉，4 枚装），凭包装或购物小票到任一门店办理全额退款或同款替换；门店请立即下架并封存，4 小时内在系统中确认。',
  en: 'Stop eating Xingchen mooncakes (lotus paste with yolk, box of 4) with lot 250905-B-A-001 or 250905-B-A-002. Bring the box or receipt to any store for a full refund or a replacement. Stores: take them off the shelf, hold them and acknowledge in the system within 4 hours.',
};

const storyStores = stores(35);

const STORY: readonly Step[] = [
  {
    at: OPENED, by: QA, role: 'qa_manager',
    command: {
      type: 'open', caseId: 'case-0001', caseNumber: 'RC-2025-0001', drill: false,
      title: '星辰月饼 250905-B-A-001 封口不良 / Xingchen mooncakes 250905-B-A-001: seal drift', hazard: 'packaging_seal', origin: 'qc_finding',
      description: 'B 线留样封口强度检测不合格（9.8 N/15mm，标准 ≥ 15），自更换新包装膜批次 F-ECO-0828 后出现。 / Retained samples from line B failed the seal strength test (9.8 N/15mm, spec ≥ 15) since the new film lot F-ECO-0828 was loaded.',
      productGtin: MOONCAKE_GTIN, codes: [`(01)${MOONCAKE_GTIN}(10)250905-B-A-001`],
    },
    note: '质检发现封口强度不合格 / QC found seal strength out of spec',
  },
  {
    at: '2025-09-05T02:40:00.000Z', by: QA, role: 'qa_manager',
    command: { type: 'attach_evidence', attachmentId: 'att-1', fileName: 'seal-strength-250905-B.pdf', sha256: 'a3f5c0d4e9b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b', note: '封口强度检测报告 / seal strength test report' },
    note: '封口强度检测报告 / seal strength test report',
  },
  {
    at: '2025-09-05T03:00:00.000Z', by: FSM, role: 'recall_manager',
    command: {
      type: 'assess', level: 3, fdaClass: 'III', voluntary: true,
      risks: { safety: 'medium', regulatory: 'low', scope: 'medium', reputation: 'high' },
      reason: '封口不严可能导致霉变，尚无消费者投诉或不适报告，主动按三级召回 / A weak seal may let mould grow; no complaints or illness reported; voluntary level-3 recall',
    },
  },
  {
    at: '2025-09-05T03:20:00.000Z', by: FSM, role: 'recall_manager',
    command: {
      type: 'set_notice_plan',
      plan: { audiences: ['regulator', 'store', 'warehouse', 'consumer', 'public'], instructions, compensation: ['全额退款 / full refund', '同款替换 / replacement box'], ackHours: 4 },
      reason: '通知监管部门、门店、仓库、会员消费者并发布公告 / notify the regulator, stores, warehouse, member consumers and the public',
    },
  },
  {
    at: '2025-09-05T03:40:00.000Z', by: QA, role: 'qa_manager',
    command: { type: 'propose_scope', version: 1, lots: [LOT_001], totals: totalsOf(scopeItems(storyStores, [LOT_001])), reason: '封口不良批次本身 / the batch with the seal drift' },
  },
  { at: STARTED, by: FSM, role: 'recall_manager', command: { type: 'approve_scope', version: 1, reason: '立即封存并下架 / hold and take off the shelf now' } },
  {
    at: '2025-09-05T06:30:00.000Z', by: QA, role: 'qa_manager',
    command: { type: 'propose_scope', version: 2, lots: [LOT_001, LOT_002], totals: totalsOf(scopeItems(storyStores, [LOT_001, LOT_002])), reason: '下一批次使用同一膜卷封口 / the next batch was sealed with the same film roll' },
  },
  { at: '2025-09-05T07:00:00.000Z', by: FSM, role: 'recall_manager', command: { type: 'approve_scope', version: 2, reason: '扩大范围至 250905-B-A-002 / extend the scope to 250905-B-A-002' } },
  {
    at: '2025-09-07T02:00:00.000Z', by: QA, role: 'qa_manager',
    command: {
      type: 'record_disposition', id: 'disp-1', class: 'destroy', lots: [LOT_001, LOT_002], quantity: 1200, uom: 'boxes', locationId: PLANT.id,
      witness: '金山区市场监管局 王敏 / Wang Min, Jinshan SAMR', evidence: ['att-2', 'att-3'], note: '粉碎后作为厨余垃圾处理 / crushed and sent to food-waste treatment',
    },
    note: '销毁 1200 盒 / destroyed 1200 boxes',
  },
  {
    at: '2025-09-08T06:00:00.000Z', by: QA, role: 'qa_manager',
    command: {
      type: 'record_disposition', id: 'disp-2', class: 'destroy', lots: [LOT_001, LOT_002], quantity: 500, uom: 'boxes', locationId: PLANT.id,
      witness: '上海绿洁环保 刘强 / Liu Qiang, Shanghai Lvjie Environmental', evidence: ['att-4'], note: '第二批回收品 / second batch of returns',
    },
    note: '销毁 500 盒 / destroyed 500 boxes',
  },
  {
    at: '2025-09-09T02:00:00.000Z', by: QA, role: 'qa_manager',
    command: {
      type: 'record_rca',
      categories: {
        machine: ['封口温度仍按旧膜设定（165 °C） / sealing temperature still set for the old film (165 °C)'],
        material: ['新环保膜 F-ECO-0828 热封起始温度更高 / new eco film F-ECO-0828 needs a higher seal initiation temperature'],
        method: ['换膜时未做封口验证 / no seal validation when the film changed'],
        measurement: ['封口强度每班只抽检一次 / seal strength checked only once a shift'],
        man: ['操作员未接到换膜通知 / operators were not told the film had changed'],
      },
      whys: [
        '为什么封口不良？封口温度低于新膜所需 / Why weak seals? The sealing temperature was below what the new film needs',
        '为什么温度偏低？设备参数仍按旧膜设定 / Why too low? The machine kept the settings for the old film',
        '为什么未调整参数？换膜未触发工艺变更 / Why not adjusted? The film change did not trigger a process change',
        '为什么未触发变更？采购按“同规格替代”处理新膜 / Why no change? Purchasing treated the eco film as a like-for-like substitute',
        '为什么视为同规格？包材变更程序未要求封口验证 / Why like-for-like? The packaging change procedure does not require seal validation',
      ],
      rootCause: '新环保膜与封口机不兼容 / new eco film incompatible with the sealing machine',
    },
    note: '根本原因：新环保膜与封口机不兼容 / root cause: new eco film incompatible with the sealing machine',
  },
  {
    at: '2025-09-09T03:00:00.000Z', by: FSM, role: 'recall_manager',
    command: {
      type: 'add_capa', id: 'capa-1', kind: 'corrective', action: '按新膜重新设定并验证封口参数 / reset and validate the sealing profile for the eco film',
      owner: '设备部 王磊 / Wang Lei, engineering', dueDate: '2025-09-19', effectivenessCheck: '连续 3 批封口强度 ≥ 15 N/15mm / seal strength ≥ 15 N/15mm on 3 consecutive batches',
    },
    note: '纠正：重新验证封口参数 / corrective: revalidate the sealing profile',
  },
  {
    at: '2025-09-09T03:05:00.000Z', by: FSM, role: 'recall_manager',
    command: {
      type: 'add_capa', id: 'capa-2', kind: 'preventive', action: '包材变更须经封口验证方可使用 / packaging material changes need seal validation before use',
      owner: '质量部 李娜 / Li Na, QA', dueDate: '2025-10-15', effectivenessCheck: '下次换膜审核记录中有验证报告 / the next film change has a validation report on file',
    },
    note: '预防：包材变更控制 / preventive: packaging change control',
  },
  {
    at: '2025-09-11T08:00:00.000Z', by: FSM, role: 'recall_manager',
    command: { type: 'complete_capa', id: 'capa-1', effective: true, evidence: '三批封口强度 17.2 / 16.8 / 17.5 N/15mm / three batches at 17.2 / 16.8 / 17.5 N/15mm' },
    note: '纠正措施已验证有效 / corrective action verified effective',
  },
  {
    at: '2025-09-11T09:00:00.000Z', by: QA, role: 'qa_manager',
    command: {
      type: 'record_disposition', id: 'disp-3', class: 'destroy', lots: [LOT_001, LOT_002], quantity: 180, uom: 'boxes', locationId: PLANT.id,
      witness: '上海绿洁环保 刘强 / Liu Qiang, Shanghai Lvjie Environmental', evidence: ['att-5'], note: '最后一批回收品 / last returns',
    },
    note: '销毁 180 盒 / destroyed 180 boxes',
  },
  {
    at: '2025-09-12T08:00:00.000Z', by: GM, role: 'admin',
    command: {
      type: 'close',
      summary: '2,000 盒中已召回 1,880 盒（94 %），全部在见证下销毁；其余 120 盒已售出且已过最佳食用期，未收到不适报告。根本原因（新环保膜与封口机不兼容）已纠正并验证有效。 / 1,880 of 2,000 boxes (94 %) were recovered and destroyed under witness; the other 120 were sold and eaten or past their best, with no illness reported. The root cause (new eco film incompatible with the sealing machine) is corrected and verified.',
    },
  },
];

// ---- what the report gathers beside the state ----------------------------------------------------

/** Clock states at `now`, as reports.ts computes them. */
function clock(id: string, label: ClockView['label'], dueAt: string, metAt: string | null, now: string): ClockView {
  const due = Date.parse(dueAt);
  const remainingMs = due - Date.parse(now);
  const status: ClockView['status'] = metAt !== null ? (Date.parse(metAt) <= due ? 'met' : 'met_late') : remainingMs < 0 ? 'overdue' : remainingMs < 24 * 3_600_000 ? 'due_soon' : 'pending';
  return { id, label, dueAt, metAt, status, remainingMs };
}

function storyClocks(state: RecallState, now: string): ClockView[] {
  return [
    clock('start', { 'zh-CN': '启动召回并报告召回计划（72 小时内）', en: 'Start the recall and report the plan (within 72 h)' }, hours(OPENED, 72), state.startedAt, now),
    // 30 working days from 2025-09-06 with the 2025 National Day holiday (1–8 Oct, make-up days 28 Sep and 11 Oct): 24:00 on 23 Oct.
    clock('complete', { 'zh-CN': '完成召回（30 个工作日内）', en: 'Complete the recall (within 30 working days)' }, '2025-10-23T16:00:00.000Z', state.closed?.at ?? null, now),
  ];
}

/** Recovered boxes by hours since the start: 85 % at 48 h, 94 % at the end. */
const RECOVERED_BY_HOUR: readonly (readonly [number, number])[] = [
  [1, 40], [2, 120], [4, 300], [6, 480], [8, 640], [12, 820], [16, 960], [20, 1080], [24, 1240], [30, 1400], [36, 1520], [42, 1620], [48, 1700],
  [72, 1780], [96, 1830], [120, 1860], [168, 1880],
];

/** Spread `recovered` over the stores in proportion to what they hold, `silent` stores recovering nothing. */
function storeRecovery(storeList: readonly TracePlace[], recovered: number, silent: ReadonlySet<string>): RecoveryRow[] {
  const active = storeList.filter((s) => !silent.has(s.id));
  const pool = active.reduce((n, s) => n + delivered(s), 0);
  const rows = storeList.map((s) => {
    const inScope = delivered(s);
    const got = silent.has(s.id) ? 0 : Math.min(inScope, Math.floor((inScope * recovered) / pool));
    return { key: s.id, place: s, inScope, recovered: got, percent: 0 };
  });
  let left = recovered - rows.reduce((n, r) => n + r.recovered, 0);
  for (const r of rows) {
    if (left <= 0) break;
    if (silent.has(r.key)) continue;
    const add = Math.min(left, r.inScope - r.recovered);
    r.recovered += add;
    left -= add;
  }
  return rows.map((r) => ({ ...r, percent: Math.round((r.recovered / r.inScope) * 1000) / 10 }));
}

function progressAt(storeList: readonly TracePlace[], asOf: string, silent: ReadonlySet<string>): RecoveryProgress {
  const inScopeUnits = storeList.reduce((n, s) => n + delivered(s), 0);
  const scale = inScopeUnits / 2000;
  const h = (Date.parse(asOf) - Date.parse(STARTED)) / 3_600_000;
  const points = RECOVERED_BY_HOUR.filter(([at]) => at <= h).map(([at, n]) => ({ at: hours(STARTED, at), recovered: Math.round(n * scale), percent: Math.round((n / 2000) * 1000) / 10 }));
  const recoveredUnits = points.at(-1)?.recovered ?? 0;
  const byStore = storeRecovery(storeList, recoveredUnits, silent);
  const byCity = [...new Set(storeList.map((s) => s.city as string))].map((city) => {
    const rows = byStore.filter((r) => r.place?.city === city);
    const inScope = rows.reduce((n, r) => n + r.inScope, 0);
    const recovered = rows.reduce((n, r) => n + r.recovered, 0);
    return { key: city, place: null, inScope, recovered, percent: Math.round((recovered / inScope) * 1000) / 10 };
  });
  const sold = storeList.reduce((n, s) => n + soldAtFreeze(s), 0);
  // Shelves empty first; what comes back beyond them was bought by consumers.
  const fromShelves = Math.min(inScopeUnits - sold, recoveredUnits - Math.min(sold, Math.round(recoveredUnits * 0.08)));
  const fromConsumers = recoveredUnits - fromShelves;
  const row = (key: string, inScope: number, recovered: number): RecoveryRow => ({ key, place: null, inScope, recovered, percent: Math.round((recovered / inScope) * 1000) / 10 });
  return {
    asOf,
    inScopeUnits,
    recoveredUnits,
    percent: Math.round((recoveredUnits / inScopeUnits) * 1000) / 10,
    byStore,
    byCity,
    byChannel: [row('门店货架 / store shelves', inScopeUnits - sold, fromShelves), row('消费者已购 / sold to consumers', sold, fromConsumers)],
    series: points,
    soldNotNotified: Math.round(sold * 0.41),
    soldToMembersNotified: sold - Math.round(sold * 0.41),
    accountedPercent: 99.2,
    unreconciled: [
      { place: '观前街店 / Guanqian St store', kind: 'unaccounted', quantity: 6, detail: { 'zh-CN': '收货 55 盒，销售、退回与在库合计 49 盒', en: 'received 55 boxes; sold, returned and on hand add up to 49' } },
      { place: '良渚店 / Liangzhu store', kind: 'in_transit', quantity: 10, detail: { 'zh-CN': '退回配送中心途中，尚未收货', en: 'on the way back to the distribution centre, not yet received' } },
    ],
  };
}

const STAGES: Readonly<Record<Exclude<RecallReportKind, 'drill'>, string>> = {
  plan: '2025-09-05T07:30:00.000Z',
  progress: hours(STARTED, 48.5),
  summary: '2025-09-12T09:00:00.000Z',
  closing: '2025-09-12T09:00:00.000Z',
};

/**
 * The mooncake recall as a report of `kind` would gather it at that stage: the plan at the start (no
 * recovery yet), progress after 48 hours (85 %), summary and closing once the case is closed.
 */
export function mooncakeReport(kind: Exclude<RecallReportKind, 'drill'>): RecallReportData {
  const generatedAt = STAGES[kind];
  const { state, timeline } = replay(STORY, generatedAt);
  const lots = state.scopes.find((s) => s.version === state.approvedVersion)?.lots ?? [LOT_001];
  const items = scopeItems(storyStores, lots);
  const latest = state.scopes.find((s) => s.version === state.approvedVersion) ?? state.scopes.at(-1);
  const silent = new Set(kind === 'progress' ? [storyStores[24]?.id, storyStores[34]?.id].filter((x): x is string => x !== undefined) : []);
  const progress = kind === 'plan' ? null : progressAt(storyStores, kind === 'progress' ? hours(STARTED, 48) : generatedAt, silent);
  const overdueStores = kind === 'progress' ? [storyStores[24], storyStores[34]].filter((s): s is TracePlace => s !== undefined) : [];
  return {
    kind,
    generatedAt,
    org: ORG,
    case: state,
    scope: latest === undefined ? null : snapshot(state, latest, items, ['downstream', 'raw_lot', 'equipment']),
    clocks: storyClocks(state, generatedAt),
    progress,
    tasks: {
      total: 35,
      acknowledged: 35 - overdueStores.length,
      open: overdueStores.length,
      escalated: overdueStores.length ? 1 : 0,
      unitsExpected: 1640,
      unitsRemoved: kind === 'plan' ? 0 : kind === 'progress' ? 1530 : 1640,
      overdue: overdueStores.map((s, i) => ({ locationId: s.id, name: s.name, dueAt: hours(STARTED, 4), escalationLevel: i === 0 ? 1 : 0 })),
    },
    notices: {
      byAudience:
        kind === 'plan'
          ? [
              { audience: 'regulator', pending: 0, sent: 1, failed: 0, dryRun: 0 },
              { audience: 'store', pending: 0, sent: 35, failed: 0, dryRun: 0 },
              { audience: 'warehouse', pending: 0, sent: 1, failed: 0, dryRun: 0 },
              { audience: 'consumer', pending: 212, sent: 0, failed: 0, dryRun: 0 },
              { audience: 'public', pending: 1, sent: 0, failed: 0, dryRun: 0 },
            ]
          : [
              { audience: 'regulator', pending: 0, sent: kind === 'progress' ? 2 : 3, failed: 0, dryRun: 0 },
              { audience: 'store', pending: 0, sent: 70, failed: 0, dryRun: 0 },
              { audience: 'warehouse', pending: 0, sent: 2, failed: 0, dryRun: 0 },
              { audience: 'consumer', pending: 0, sent: 209, failed: 3, dryRun: 0 },
              { audience: 'public', pending: 0, sent: 1, failed: 0, dryRun: 0 },
            ],
    },
    returns: progress === null ? { consumer: 0, store: 0, units: 0 } : { consumer: Math.round(progress.recoveredUnits * 0.08 / 1.2), store: 35 - overdueStores.length, units: progress.recoveredUnits },
    drill: null,
    timeline,
  };
}

function snapshot(state: RecallState, v: RecallState['scopes'][number], items: readonly ScopeSnapshotItem[], rules: readonly string[]): ScopeSnapshot {
  return {
    version: v.version,
    createdAt: v.at,
    createdBy: v.by,
    reason: v.reason,
    basis: { codes: state.codes, rules, asOf: v.at, added: v.added, removed: v.removed },
    items,
    diff: { added: v.added, removed: v.removed },
    totals: totalsOf(items),
    approvedAt: v.approved?.at ?? null,
    approvedBy: v.approved?.by ?? null,
  };
}

/** `data` with a scope (and recovery by store) over `count` stores, for pagination. */
export function withStores(data: RecallReportData, count: number): RecallReportData {
  const list = stores(count);
  const lots = data.scope?.items.map((i) => i.lot) ?? [LOT_001];
  const items = scopeItems(list, lots);
  const scope = data.scope === null ? null : { ...data.scope, items, totals: totalsOf(items) };
  const progress = data.progress === null ? null : progressAt(list, data.progress.asOf, new Set());
  return { ...data, scope, progress };
}

/** `data` as if nothing after the assessment had been recorded: no scope, recovery, RCA, CAPA or closure. */
export function withoutRecords(data: RecallReportData): RecallReportData {
  return {
    ...data,
    case: { ...data.case, rca: null, capas: [], dispositions: [], closed: null, noticePlan: null, scopes: [], approvedVersion: null, startedAt: null, status: 'assessed', drillClock: data.case.drill ? data.case.drillClock : null },
    scope: null,
    progress: null,
    clocks: [],
    drill: null,
    tasks: { total: 0, acknowledged: 0, open: 0, escalated: 0, unitsExpected: 0, unitsRemoved: 0, overdue: [] },
    notices: { byAudience: [] },
    returns: { consumer: 0, store: 0, units: 0 },
    timeline: data.timeline.slice(0, 1),
  };
}

// ---- the drill ----------------------------------------------------------------------------------

const DRILL_START = '2025-09-15T01:00:00.000Z';
const minutes = (iso: string, m: number): string => new Date(Date.parse(iso) + m * 60_000).toISOString();

const drillInstructions = {
  'zh-CN': '【演练】请停止食用批号为 250910-A-A-003 的星辰月饼，到任一门店办理退款；门店请下架并封存，2 小时内确认。',
  en: '[DRILL] Stop eating Xingchen mooncakes with lot 250910-A-A-003 and bring them to any store for a refund. Stores: take them off the shelf, hold them and acknowledge within 2 hours.',
};

/**
 * A mock recall of batch 250910-A-A-003 (690 boxes, 12 stores). Passing: scope in 38 min, held in
 * 52 min, 99.6 % accounted for in 3 h 12 min with one gap. Failing: 96.5 % after 4 h 40 min, 3 gaps.
 */
export function drillReport(options: { passed?: boolean } = {}): RecallReportData {
  const passed = options.passed ?? true;
  const drillStores = [...stores(35).slice(0, 6), ...stores(35).slice(15, 18), ...stores(35).slice(25, 28)];
  const items = scopeItems(drillStores, [DRILL_LOT]);
  const reconciledAfter = passed ? 192 : 280;
  const steps: Step[] = [
    {
      at: DRILL_START, by: QA, role: 'qa_manager',
      command: {
        type: 'open', caseId: 'case-0007', caseNumber: 'RC-2025-0007', drill: true,
        title: '模拟召回演练：星辰月饼 250910-A-A-003 / Mock recall: Xingchen mooncakes 250910-A-A-003', hazard: 'foreign_matter', origin: 'drill',
        description: '演练情景：消费者投诉月饼中有金属碎片（模拟）。 / Scenario: a consumer reports a metal fragment in a mooncake (simulated).',
        productGtin: MOONCAKE_GTIN, codes: [`(01)${MOONCAKE_GTIN}(10)250910-A-A-003`],
      },
      note: '演练开始（审核员在场） / drill started with the auditor present',
    },
    {
      at: minutes(DRILL_START, 20), by: FSM, role: 'recall_manager',
      command: { type: 'assess', level: 2, fdaClass: 'II', voluntary: true, risks: { safety: 'high', regulatory: 'medium', scope: 'medium', reputation: 'high' }, reason: '演练：金属异物按二级处理 / drill: metal foreign matter handled as level 2' },
    },
    {
      at: minutes(DRILL_START, 30), by: FSM, role: 'recall_manager',
      command: { type: 'set_notice_plan', plan: { audiences: ['regulator', 'store', 'consumer'], instructions: drillInstructions, compensation: ['全额退款 / full refund'], ackHours: 2 }, reason: '演练通知计划（不对外发送） / drill notice plan (not sent)' },
    },
    { at: minutes(DRILL_START, 38), by: QA, role: 'qa_manager', command: { type: 'propose_scope', version: 1, lots: [DRILL_LOT], totals: totalsOf(items), reason: '被投诉批次 / the batch complained about' } },
    { at: minutes(DRILL_START, 52), by: FSM, role: 'recall_manager', command: { type: 'approve_scope', version: 1, reason: '演练封存 / drill hold' } },
    {
      at: minutes(DRILL_START, reconciledAfter), by: QA, role: 'qa_manager',
      command: { type: 'record_reconciliation', accountedPercent: passed ? 99.6 : 96.5, gaps: passed ? 1 : 3 },
      note: passed ? '已核清 99.6 % / 99.6 % accounted for' : '已核清 96.5 % / 96.5 % accounted for',
    },
  ];
  const generatedAt = minutes(DRILL_START, reconciledAfter + 30);
  const { state, timeline } = replay(steps, generatedAt);
  const units = totalsOf(items).units;
  const storeRows = storeRecovery(drillStores, Math.round(units * (passed ? 0.996 : 0.965)), new Set());
  const diff = (place: string, quantity: number, zh: string, en: string) => ({ place, kind: 'unaccounted', quantity, detail: { 'zh-CN': zh, en } });
  const progress: RecoveryProgress = {
    asOf: minutes(DRILL_START, reconciledAfter),
    inScopeUnits: units,
    recoveredUnits: storeRows.reduce((n, r) => n + r.recovered, 0),
    percent: passed ? 99.6 : 96.5,
    byStore: storeRows,
    byCity: [],
    byChannel: [],
    series: [],
    soldNotNotified: 0,
    soldToMembersNotified: 0,
    accountedPercent: passed ? 99.6 : 96.5,
    unreconciled: passed
      ? [diff('观前街店 / Guanqian St store', 3, '盘点少 3 盒，原因待查', '3 boxes short at the count, cause not yet found')]
      : [
          diff('观前街店 / Guanqian St store', 3, '盘点少 3 盒，原因待查', '3 boxes short at the count, cause not yet found'),
          diff('西湖店 / West Lake store', 12, '门店未能提供销售记录', 'the store could not show its sales records'),
          diff('南京西路店 / Nanjing W Rd store', 13, '调拨单缺失', 'transfer note missing'),
        ],
  };
  return {
    kind: 'drill',
    generatedAt,
    org: ORG,
    case: state,
    scope: snapshot(state, state.scopes[0] as RecallState['scopes'][number], items, ['downstream']),
    clocks: [],
    progress,
    tasks: { total: 12, acknowledged: 12, open: 0, escalated: 0, unitsExpected: 564, unitsRemoved: 564, overdue: [] },
    notices: {
      byAudience: [
        { audience: 'regulator', pending: 0, sent: 0, failed: 0, dryRun: 1 },
        { audience: 'store', pending: 0, sent: 0, failed: 0, dryRun: 12 },
        { audience: 'consumer', pending: 0, sent: 0, failed: 0, dryRun: 58 },
      ],
    },
    returns: { consumer: 0, store: 12, units: progress.recoveredUnits },
    drill: state.drillClock === null ? null : scoreDrill(state.drillClock),
    timeline,
  };
}

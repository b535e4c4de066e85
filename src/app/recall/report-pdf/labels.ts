/**
 * The words of the recall reports, Chinese and English: one table per closed union of the recall
 * types, so that a new hazard or command fails the type check here until it has its words.
 */
import type { RecallReportKind } from '../report-data.ts';
import type { CaseOrigin, CaseStatus, DispositionClass, Hazard, NoticeAudience, RcaCategory, RecallCommandType, RiskGrade } from '../../../core/recall/types.ts';
import type { ClockView } from '../report-data.ts';

export interface Words {
  readonly zh: string;
  readonly en: string;
}

const w = (zh: string, en: string): Words => ({ zh, en });

/** The report's own name, as its title and footer show it. */
export const KIND_WORDS: Readonly<Record<RecallReportKind, Words>> = {
  plan: w('召回计划', 'Recall plan'),
  progress: w('召回进展报告', 'Recall progress report'),
  summary: w('召回总结报告', 'Recall summary report'),
  closing: w('召回结案报告', 'Recall closing report'),
  drill: w('模拟召回演练报告', 'Mock recall drill report'),
};

export const HAZARD_WORDS: Readonly<Record<Hazard, Words>> = {
  microbial: w('微生物污染', 'microbial contamination'),
  foreign_matter: w('异物', 'foreign matter'),
  allergen: w('未标示过敏原', 'undeclared allergen'),
  packaging_seal: w('包装密封缺陷', 'packaging seal defect'),
  chemical: w('化学污染', 'chemical contamination'),
  quality: w('质量问题', 'quality defect'),
};

export const ORIGIN_WORDS: Readonly<Record<CaseOrigin, Words>> = {
  complaint: w('消费者投诉', 'consumer complaint'),
  qc_finding: w('质检发现', 'QC finding'),
  warning: w('风险警示', 'risk warning'),
  manual: w('人工发起', 'opened by hand'),
  drill: w('演练', 'drill'),
};

export const RISK_WORDS: Readonly<Record<RiskGrade, Words>> = {
  low: w('低', 'low'),
  medium: w('中', 'medium'),
  high: w('高', 'high'),
  critical: w('严重', 'critical'),
};

export const RISK_KIND_WORDS: Readonly<Record<'safety' | 'regulatory' | 'scope' | 'reputation', Words>> = {
  safety: w('食品安全', 'Safety'),
  regulatory: w('法规', 'Regulatory'),
  scope: w('范围', 'Scope'),
  reputation: w('声誉', 'Reputation'),
};

export const STATUS_WORDS: Readonly<Record<CaseStatus, Words>> = {
  open: w('已立案', 'open'),
  assessed: w('已评估', 'assessed'),
  scope_proposed: w('范围待批准', 'scope proposed'),
  active: w('召回实施中', 'active'),
  closed: w('已结案', 'closed'),
  cancelled: w('已撤销', 'cancelled'),
};

export const AUDIENCE_WORDS: Readonly<Record<NoticeAudience, Words>> = {
  regulator: w('监管部门', 'regulator'),
  store: w('门店', 'stores'),
  warehouse: w('仓库', 'warehouses'),
  distributor: w('经销商', 'distributors'),
  consumer: w('消费者', 'consumers'),
  public: w('社会公众', 'the public'),
};

export const DISPOSITION_WORDS: Readonly<Record<DispositionClass, Words>> = {
  rework: w('补救（返工）', 'rework'),
  recycle: w('无害化处理', 'recycle (rendered harmless)'),
  destroy: w('销毁', 'destroy'),
};

/** Ishikawa's six categories as Chinese quality teams name them (人机料法测环). */
export const RCA_WORDS: Readonly<Record<RcaCategory, Words>> = {
  man: w('人', 'Man'),
  machine: w('机', 'Machine'),
  material: w('料', 'Material'),
  method: w('法', 'Method'),
  measurement: w('测', 'Measurement'),
  environment: w('环', 'Environment'),
};

export const COMMAND_WORDS: Readonly<Record<RecallCommandType, Words>> = {
  open: w('立案', 'opened'),
  attach_evidence: w('附加证据', 'evidence attached'),
  assess: w('评估定级', 'assessed'),
  set_notice_plan: w('确定通知计划', 'notice plan set'),
  propose_scope: w('提出召回范围', 'scope proposed'),
  approve_scope: w('批准召回范围', 'scope approved'),
  record_disposition: w('记录处置', 'disposition recorded'),
  record_rca: w('记录根本原因', 'root cause recorded'),
  add_capa: w('新增纠正预防措施', 'CAPA added'),
  complete_capa: w('完成纠正预防措施', 'CAPA completed'),
  record_reconciliation: w('记录物料平衡', 'reconciliation recorded'),
  close: w('结案', 'closed'),
  cancel: w('撤销', 'cancelled'),
};

export const CLOCK_STATUS_WORDS: Readonly<Record<ClockView['status'], Words>> = {
  pending: w('进行中', 'running'),
  due_soon: w('即将到期', 'due soon'),
  overdue: w('已逾期', 'overdue'),
  met: w('按时完成', 'met'),
  met_late: w('逾期完成', 'met late'),
};

/**
 * The statutory clocks of 《食品召回管理办法》 (2015), articles 13 and 14 (as summarised at its
 * publication): start within N hours of learning of the risk and report the plan, and complete within
 * N working days. Shown on the plan beside the case's own computed clocks.
 */
export const STATUTORY_CLOCKS: Readonly<Record<1 | 2 | 3, { readonly startHours: number; readonly completeWorkingDays: number }>> = {
  1: { startHours: 24, completeWorkingDays: 10 },
  2: { startHours: 48, completeWorkingDays: 20 },
  3: { startHours: 72, completeWorkingDays: 30 },
};

/** Words for a value of an open set (audiences arrive as strings): known words, else the value. */
export function wordsOf<K extends string>(table: Readonly<Record<K, Words>>, key: string): Words {
  return Object.hasOwn(table, key) ? table[key as K] : { zh: key, en: key };
}

/** Not yet recorded: what a report says where a part of the case does not exist yet. */
export const NOT_YET = w('尚未记录', 'not yet recorded');

/** The mass balance's kinds of difference (src/app/trace/types.ts MassBalanceDifference). */
export const DIFFERENCE_WORDS: Readonly<Record<'negative_stock' | 'in_transit' | 'unshipped_receipt' | 'unaccounted' | 'over_accounted', Words>> = {
  negative_stock: w('负库存', 'negative stock'),
  in_transit: w('在途未收货', 'in transit'),
  unshipped_receipt: w('无发货的收货', 'receipt without shipment'),
  unaccounted: w('去向不明', 'unaccounted'),
  over_accounted: w('超量核销', 'over-accounted'),
};

/**
 * The recall case as data: its state, the commands that change it, and the effects a change has on
 * the world. Pure types; the state machine is in machine.ts (docs/recall.md).
 */

export const HAZARDS = ['microbial', 'foreign_matter', 'allergen', 'packaging_seal', 'chemical', 'quality'] as const;
export type Hazard = (typeof HAZARDS)[number];

export const ORIGINS = ['complaint', 'qc_finding', 'warning', 'manual', 'drill'] as const;
export type CaseOrigin = (typeof ORIGINS)[number];

export const RISK_GRADES = ['low', 'medium', 'high', 'critical'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

/** China's recall levels (食品召回管理办法): 1 red, 2 yellow, 3 blue. */
export type CnLevel = 1 | 2 | 3;
export const FDA_CLASSES = ['I', 'II', 'III'] as const;
export type FdaClass = (typeof FDA_CLASSES)[number];

export const DISPOSITION_CLASSES = ['rework', 'recycle', 'destroy'] as const;
export type DispositionClass = (typeof DISPOSITION_CLASSES)[number];

/** Ishikawa's six categories, as a root cause analysis records them. */
export const RCA_CATEGORIES = ['man', 'machine', 'material', 'method', 'measurement', 'environment'] as const;
export type RcaCategory = (typeof RCA_CATEGORIES)[number];

export const AUDIENCES = ['regulator', 'store', 'warehouse', 'distributor', 'consumer', 'public'] as const;
export type NoticeAudience = (typeof AUDIENCES)[number];

/**
 * open → assessed → scope_proposed → active → closed. A case may be cancelled before it is active
 * (a false alarm). While active, scope amendments are proposed and approved again.
 */
export const CASE_STATUSES = ['open', 'assessed', 'scope_proposed', 'active', 'closed', 'cancelled'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Localised {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** Who did something, and when (ISO time). */
export interface Stamp {
  readonly at: string;
  readonly by: string;
  /** The decision log entry that recorded it. */
  readonly entry: number;
}

export interface Assessment extends Stamp {
  readonly level: CnLevel;
  readonly fdaClass: FdaClass | null;
  /** A voluntary (preventive) recall, decided by the brand before any order. */
  readonly voluntary: boolean;
  readonly risks: {
    readonly safety: RiskGrade;
    readonly regulatory: RiskGrade;
    readonly scope: RiskGrade;
    readonly reputation: RiskGrade;
  };
  readonly reason: string;
}

export interface ScopeTotals {
  readonly lots: number;
  readonly units: number;
  readonly locations: number;
  readonly cities: number;
}

/** A frozen scope version, as the case state keeps it (the items themselves are stored beside it). */
export interface ScopeVersionSummary extends Stamp {
  readonly version: number;
  readonly lots: readonly string[];
  readonly totals: ScopeTotals;
  readonly reason: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly approved: Stamp | null;
}

export interface NoticePlan {
  readonly audiences: readonly NoticeAudience[];
  /** What consumers and stores must do, shown on notices, the POS answer and the consumer page. */
  readonly instructions: Localised;
  /** Compensation a consumer may choose, e.g. refund, voucher, replacement. */
  readonly compensation: readonly string[];
  /** Hours a store has to acknowledge shelf removal before it is escalated. */
  readonly ackHours: number;
}

export interface Disposition extends Stamp {
  readonly id: string;
  readonly class: DispositionClass;
  readonly lots: readonly string[];
  readonly quantity: number;
  readonly uom: string;
  readonly locationId: string;
  readonly witness: string;
  readonly evidence: readonly string[];
  readonly note: string;
}

export interface RootCause extends Stamp {
  readonly categories: Partial<Readonly<Record<RcaCategory, readonly string[]>>>;
  readonly whys: readonly string[];
  readonly rootCause: string;
}

export interface Capa extends Stamp {
  readonly id: string;
  readonly kind: 'corrective' | 'preventive';
  readonly action: string;
  readonly owner: string;
  readonly dueDate: string;
  readonly effectivenessCheck: string;
  readonly status: 'open' | 'done';
  readonly done: (Stamp & { readonly effective: boolean; readonly evidence: string }) | null;
}

export interface Evidence extends Stamp {
  readonly attachmentId: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly note: string;
}

/** A drill's stopwatch: from its start to scope, hold and the reconciliation figure. */
export interface DrillClock {
  readonly startedAt: string;
  readonly scopedAt: string | null;
  readonly heldAt: string | null;
  readonly reconciledAt: string | null;
  readonly accountedPercent: number | null;
  readonly gaps: number | null;
}

export interface RecallState {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly drill: boolean;
  readonly status: CaseStatus;
  readonly title: string;
  readonly hazard: Hazard;
  readonly origin: CaseOrigin;
  readonly description: string;
  readonly productGtin: string | null;
  /** The suspected codes the case started from (any code form). */
  readonly codes: readonly string[];
  readonly opened: Stamp;
  readonly assessment: Assessment | null;
  /** Earlier assessments, superseded by `assessment`. */
  readonly superseded: readonly Assessment[];
  readonly scopes: readonly ScopeVersionSummary[];
  /** The approved scope version in force (its lots are on hold). */
  readonly approvedVersion: number | null;
  /** When the recall started: the first scope approval (the legal start clock stops here). */
  readonly startedAt: string | null;
  readonly noticePlan: NoticePlan | null;
  /** Instructions in force (from the notice plan), read by the POS check and the consumer page. */
  readonly instructions: Localised | null;
  readonly evidence: readonly Evidence[];
  readonly dispositions: readonly Disposition[];
  readonly rca: RootCause | null;
  readonly capas: readonly Capa[];
  readonly drillClock: DrillClock | null;
  readonly closed: (Stamp & { readonly summary: string }) | null;
  readonly cancelled: (Stamp & { readonly reason: string }) | null;
  /** How many decision log entries made this state. */
  readonly version: number;
}

export type RecallCommand =
  | {
      readonly type: 'open';
      readonly caseId: string;
      readonly caseNumber: string;
      readonly drill: boolean;
      readonly title: string;
      readonly hazard: Hazard;
      readonly origin: CaseOrigin;
      readonly description: string;
      readonly productGtin: string | null;
      readonly codes: readonly string[];
    }
  | { readonly type: 'attach_evidence'; readonly attachmentId: string; readonly fileName: string; readonly sha256: string; readonly note: string }
  | {
      readonly type: 'assess';
      readonly level: CnLevel;
      readonly fdaClass: FdaClass | null;
      readonly voluntary: boolean;
      readonly risks: Assessment['risks'];
      readonly reason: string;
    }
  | { readonly type: 'set_notice_plan'; readonly plan: NoticePlan; readonly reason: string }
  | {
      readonly type: 'propose_scope';
      readonly version: number;
      readonly lots: readonly string[];
      readonly totals: ScopeTotals;
      readonly reason: string;
    }
  | { readonly type: 'approve_scope'; readonly version: number; readonly reason: string }
  | {
      readonly type: 'record_disposition';
      readonly id: string;
      readonly class: DispositionClass;
      readonly lots: readonly string[];
      readonly quantity: number;
      readonly uom: string;
      readonly locationId: string;
      readonly witness: string;
      readonly evidence: readonly string[];
      readonly note: string;
    }
  | { readonly type: 'record_rca'; readonly categories: RootCause['categories']; readonly whys: readonly string[]; readonly rootCause: string }
  | {
      readonly type: 'add_capa';
      readonly id: string;
      readonly kind: Capa['kind'];
      readonly action: string;
      readonly owner: string;
      readonly dueDate: string;
      readonly effectivenessCheck: string;
    }
  | { readonly type: 'complete_capa'; readonly id: string; readonly effective: boolean; readonly evidence: string }
  | { readonly type: 'record_reconciliation'; readonly accountedPercent: number; readonly gaps: number }
  | { readonly type: 'close'; readonly summary: string }
  | { readonly type: 'cancel'; readonly reason: string };

export type RecallCommandType = RecallCommand['type'];

/** What a decision asks the world to do, persisted in the same transaction as the new state. */
export type RecallEffect =
  | { readonly type: 'place_holds'; readonly version: number; readonly lots: readonly string[] }
  | { readonly type: 'release_holds'; readonly lots: readonly string[] }
  | { readonly type: 'issue_tasks'; readonly version: number }
  | { readonly type: 'notify'; readonly audiences: readonly NoticeAudience[]; readonly occasion: 'scope_approved' | 'scope_amended' | 'closed' | 'cancelled' }
  | { readonly type: 'capture_disposition'; readonly disposition: Disposition };

/** Who runs a command, and when. */
export interface CommandMeta {
  readonly at: string;
  readonly by: string;
}

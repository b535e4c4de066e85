/**
 * Everything a recall report shows, gathered in one plain object (by reports.ts) so that rendering
 * (report-pdf.ts) needs no database: the recall plan, progress reports, the summary report for the
 * regulator, the closing report and a drill's evidence report all read this.
 */
import type { DrillScore } from '../../core/recall/drill-score.ts';
import type { Localised, NoticeAudience, RecallState } from '../../core/recall/types.ts';
import type { LocationQuantities, ScopeEvidence, ScopeRule, TracePlace } from '../trace/types.ts';

/** Why a lot is in scope: a trace rule's evidence, or a QA manager's hand (`manual`). */
export type ScopeReason = Omit<ScopeEvidence, 'rule'> & { readonly rule: ScopeRule | 'manual' };

export const REPORT_KINDS = ['plan', 'progress', 'summary', 'closing', 'drill'] as const;
export type RecallReportKind = (typeof REPORT_KINDS)[number];

/** One lot of a frozen scope version, with the reason it is in scope. */
export interface ScopeSnapshotItem {
  readonly lot: string;
  readonly gtin: string | null;
  readonly lotNumber: string | null;
  readonly productName: { readonly zh: string | null; readonly en: string | null } | null;
  readonly evidence: readonly ScopeReason[];
  readonly locations: readonly LocationQuantities[];
}

export interface ScopeSnapshot {
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly reason: string;
  /** What the trace engine was asked: codes, rules, as-of. */
  readonly basis: { readonly codes: readonly string[]; readonly rules: readonly string[]; readonly asOf: string | null; readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly items: readonly ScopeSnapshotItem[];
  readonly diff: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly totals: { readonly lots: number; readonly units: number; readonly locations: number; readonly cities: number };
  readonly approvedAt: string | null;
  readonly approvedBy: string | null;
}

/** A legal deadline as the case page and reports show it. */
export interface ClockView {
  readonly id: string;
  readonly label: Localised;
  readonly dueAt: string;
  readonly metAt: string | null;
  readonly status: 'pending' | 'due_soon' | 'overdue' | 'met' | 'met_late';
  readonly remainingMs: number;
}

export interface RecoveryRow {
  /** A store, a city, or a channel name. */
  readonly key: string;
  readonly place: TracePlace | null;
  readonly inScope: number;
  readonly recovered: number;
  readonly percent: number;
}

export interface RecoveryProgress {
  readonly asOf: string;
  /** Units of the scope that left the brand's hands (delivered to stores, sold). */
  readonly inScopeUnits: number;
  /** Units returned, taken off the shelf and acknowledged, or disposed of. */
  readonly recoveredUnits: number;
  readonly percent: number;
  readonly byStore: readonly RecoveryRow[];
  readonly byCity: readonly RecoveryRow[];
  readonly byChannel: readonly RecoveryRow[];
  /** Percent recovered over time since the start (one point per hour with a change). */
  readonly series: readonly { readonly at: string; readonly percent: number; readonly recovered: number }[];
  /** Units sold to consumers who have not been notified (no member notice sent, or no known buyer). */
  readonly soldNotNotified: number;
  readonly soldToMembersNotified: number;
  /** From the trace engine's mass balance of the scope. */
  readonly accountedPercent: number;
  readonly unreconciled: readonly { readonly place: string | null; readonly kind: string; readonly quantity: number; readonly detail: Localised }[];
}

export interface TaskSummary {
  readonly total: number;
  readonly acknowledged: number;
  readonly open: number;
  readonly escalated: number;
  readonly unitsExpected: number;
  readonly unitsRemoved: number;
  /** Stores still open past their due time. */
  readonly overdue: readonly { readonly locationId: string; readonly name: string | null; readonly dueAt: string; readonly escalationLevel: number }[];
}

export interface NoticeSummary {
  readonly byAudience: readonly { readonly audience: NoticeAudience | string; readonly pending: number; readonly sent: number; readonly failed: number; readonly dryRun: number }[];
}

export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly role: string | null;
  readonly command: string;
  readonly reason: string | null;
}

export interface RecallReportData {
  readonly kind: RecallReportKind;
  readonly generatedAt: string;
  readonly org: { readonly id: string; readonly name: string };
  readonly case: RecallState;
  /** The scope version in force (or the latest proposal when none is approved yet). */
  readonly scope: ScopeSnapshot | null;
  readonly clocks: readonly ClockView[];
  readonly progress: RecoveryProgress | null;
  readonly tasks: TaskSummary;
  readonly notices: NoticeSummary;
  readonly returns: { readonly consumer: number; readonly store: number; readonly units: number };
  readonly drill: DrillScore | null;
  readonly timeline: readonly TimelineEntry[];
}

/** What the case page's sections share: the case as the API answers it, and running its commands. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { api } from '../../api.ts';
import type { ClockView } from '../../components/recall-badges.tsx';

export type Localised = { readonly 'zh-CN': string; readonly en: string };
export interface Stamp { readonly at: string; readonly by: string; readonly entry: number }
export interface ScopeSummary extends Stamp {
  readonly version: number;
  readonly lots: readonly string[];
  readonly totals: { readonly lots: number; readonly units: number; readonly locations: number; readonly cities: number };
  readonly reason: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly approved: Stamp | null;
}
export interface RecallState {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly drill: boolean;
  readonly status: string;
  readonly title: string;
  readonly hazard: string;
  readonly origin: string;
  readonly description: string;
  readonly productGtin: string | null;
  readonly codes: readonly string[];
  readonly opened: Stamp;
  readonly assessment: (Stamp & { level: 1 | 2 | 3; fdaClass: string | null; voluntary: boolean; risks: Record<'safety' | 'regulatory' | 'scope' | 'reputation', string>; reason: string }) | null;
  readonly scopes: readonly ScopeSummary[];
  readonly approvedVersion: number | null;
  readonly startedAt: string | null;
  readonly noticePlan: { audiences: string[]; instructions: Localised; compensation: string[]; ackHours: number } | null;
  readonly evidence: readonly (Stamp & { attachmentId: string; fileName: string; sha256: string; note: string })[];
  readonly dispositions: readonly (Stamp & { id: string; class: string; lots: string[]; quantity: number; uom: string; locationId: string; witness: string; evidence: string[]; note: string })[];
  readonly rca: (Stamp & { categories: Partial<Record<string, string[]>>; whys: string[]; rootCause: string }) | null;
  readonly capas: readonly (Stamp & { id: string; kind: string; action: string; owner: string; dueDate: string; effectivenessCheck: string; status: 'open' | 'done'; done: (Stamp & { effective: boolean; evidence: string }) | null })[];
  readonly drillClock: { startedAt: string; scopedAt: string | null; heldAt: string | null; reconciledAt: string | null; accountedPercent: number | null; gaps: number | null } | null;
  readonly closed: (Stamp & { summary: string }) | null;
  readonly cancelled: (Stamp & { reason: string }) | null;
}
export interface CaseAnswer {
  readonly case: RecallState;
  readonly allowed: readonly string[];
  readonly level: { colour: string; hex: string } | null;
  readonly clocks: readonly ClockView[];
  readonly outcome?: { holdsPlaced: number; tasksIssued: number; noticesQueued: number; unreachable: string[]; eventsCaptured: string[] };
}

export const caseKey = (caseId: string) => ['recall', caseId] as const;
export const casePath = (caseId: string) => `/api/recalls/${encodeURIComponent(caseId)}`;

/**
 * A command on the case: the answer (the new state) replaces the cached case, and everything else
 * about the case (timeline, scope, tasks, progress…) is read again.
 */
export function useCaseCommand<V>(caseId: string, request: (v: V) => { path: string; method?: 'POST' | 'PUT'; body?: unknown }, handlers: { onError?: (e: unknown) => void; onSuccess?: (answer: CaseAnswer) => void; onMutate?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => {
      const r = request(v);
      return api<CaseAnswer>(`${casePath(caseId)}${r.path}`, { method: r.method ?? 'POST', body: r.body ?? {} });
    },
    onMutate: handlers.onMutate,
    onSuccess: async (answer) => {
      if (answer && typeof answer === 'object' && 'case' in answer && 'allowed' in answer) client.setQueryData([...caseKey(caseId), 'case'], { case: answer.case, allowed: answer.allowed, level: answer.level, clocks: answer.clocks });
      await client.invalidateQueries({ queryKey: caseKey(caseId) });
      await client.invalidateQueries({ queryKey: ['recalls'] });
      handlers.onSuccess?.(answer);
    },
    onError: handlers.onError,
  });
}

export function SectionTitle({ children }: { readonly children: ReactNode }) {
  return <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{children}</Typography.Title>;
}

export function SubTitle({ children }: { readonly children: ReactNode }) {
  return <Typography.Title level={3} style={{ fontSize: 15, margin: '8px 0' }}>{children}</Typography.Title>;
}

/** The lot number of a lot node (Digital Link …/10/<lot>, or an LGTIN URI), else the node itself. */
export function lotLabel(node: string): string {
  return decodeURIComponent(/\/10\/([^/?#]+)/.exec(node)?.[1] ?? /^urn:epc:class:lgtin:[\d.]+\.(.+)$/.exec(node)?.[1] ?? node);
}

export const when = (iso: string | null | undefined, lang: string) => (iso ? new Date(iso).toLocaleString(lang) : '—');

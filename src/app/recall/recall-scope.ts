/**
 * A recall's scope: the trace engine's downstream scope and co-exposure rules for the suspected
 * codes, merged, plus lots a QA manager adds or removes by hand (each with a reason). Frozen as a
 * numbered version with the reason for every lot and the diff from the scope in force.
 */
import { DomainError } from '../../core/errors.ts';
import type { RecallState, ScopeTotals } from '../../core/recall/types.ts';
import { approvedScope } from '../../core/recall/machine.ts';
import type { AppContext } from '../context.ts';
import { SCOPE_RULES, coExposureScope } from '../trace/scope.ts';
import type { ScopeItem, ScopeRule } from '../trace/types.ts';
import type { ScopeSnapshot, ScopeSnapshotItem } from './report-data.ts';

export interface ScopeRequest {
  /** Codes to trace from; default: the codes the case was opened with. */
  readonly codes?: readonly string[];
  /** Co-exposure rules; default: the organisation's default rules. */
  readonly rules?: readonly ScopeRule[];
  readonly asOf?: Date | null;
  /** Lots (any code of a lot) to add by hand, with why. */
  readonly include?: readonly { readonly code: string; readonly reason: string }[];
  /** Lots to leave out by hand, with why (e.g. cleared by a lab result). */
  readonly exclude?: readonly { readonly code: string; readonly reason: string }[];
  readonly reason: string;
}

export interface BuiltScope {
  readonly items: ScopeSnapshotItem[];
  readonly totals: ScopeTotals;
  readonly basis: ScopeSnapshot['basis'];
}

/** Run the trace engine for a scope request and merge what it finds. */
export async function buildScope(ctx: AppContext, orgId: string, state: RecallState, request: ScopeRequest): Promise<BuiltScope> {
  const codes = request.codes && request.codes.length > 0 ? request.codes : state.codes;
  if (codes.length === 0) throw new DomainError('ValidationException', 'name at least one code to trace the scope from', [{ pointer: '/codes', message: 'at least one code', rule: 'minItems' }]);
  const rules = request.rules ?? undefined;
  const merged = new Map<string, ScopeSnapshotItem>();
  const add = (item: ScopeItem | ScopeSnapshotItem, extra: ScopeSnapshotItem['evidence'] = []) => {
    const before = merged.get(item.lot);
    const evidence = [...(before?.evidence ?? []), ...item.evidence, ...extra];
    const seen = new Set<string>();
    merged.set(item.lot, {
      lot: item.lot,
      gtin: item.gtin,
      lotNumber: item.lotNumber,
      productName: item.productName,
      evidence: evidence.filter((e) => {
        const key = `${e.rule}|${e.shared}|${e.detail}`;
        return seen.has(key) ? false : (seen.add(key), true);
      }),
      locations: before?.locations ?? item.locations,
    });
  };
  for (const [i, code] of codes.entries()) {
    const report = await withPointer(`/codes/${i}`, () => coExposureScope(ctx, orgId, { code, rules, asOf: request.asOf ?? null }));
    for (const item of report.items) add(item);
  }
  for (const [i, inc] of (request.include ?? []).entries()) {
    // Only the lot itself: its own downstream places, no co-exposure.
    const report = await withPointer(`/include/${i}/code`, () => coExposureScope(ctx, orgId, { code: inc.code, rules: ['downstream'], asOf: request.asOf ?? null }));
    const own = report.items[0];
    if (!own) throw new DomainError('ValidationException', `${inc.code} names no lot`, [{ pointer: `/include/${i}/code`, message: 'a lot code', rule: 'lot' }]);
    add(own, [{ rule: 'manual', detail: `added by hand: ${inc.reason}`, detailZh: `人工加入：${inc.reason}`, shared: own.lot, eventIds: [] }]);
  }
  const removed: string[] = [];
  for (const [i, exc] of (request.exclude ?? []).entries()) {
    const report = await withPointer(`/exclude/${i}/code`, () => coExposureScope(ctx, orgId, { code: exc.code, rules: ['downstream'], asOf: request.asOf ?? null }));
    const lot = report.items[0]?.lot;
    if (!lot || !merged.has(lot)) throw new DomainError('ValidationException', `${exc.code} is not in the traced scope, so it cannot be left out`, [{ pointer: `/exclude/${i}/code`, message: 'a lot of the traced scope', rule: 'inScope' }]);
    merged.delete(lot);
    removed.push(lot);
  }
  const items = [...merged.values()];
  const before = new Set(approvedScope(state)?.lots ?? state.scopes.at(-1)?.lots ?? []);
  const after = new Set(items.map((i) => i.lot));
  return {
    items,
    totals: scopeTotals(items),
    basis: {
      codes: [...codes],
      rules: rules ? [...rules] : ['(organisation default)'],
      asOf: request.asOf?.toISOString() ?? null,
      added: items.map((i) => i.lot).filter((l) => !before.has(l)),
      removed: [...before].filter((l) => !after.has(l)),
    },
  };
}

/** Lots, units made, and the places (not the plant) and cities the units reached. */
export function scopeTotals(items: readonly ScopeSnapshotItem[]): ScopeTotals {
  const reached = items.flatMap((i) => i.locations.filter((l) => l.received > 0 && l.place.type !== 'plant'));
  return {
    lots: items.length,
    units: items.reduce((s, i) => s + Math.max(0, ...i.locations.map((l) => l.produced)), 0),
    locations: new Set(reached.map((l) => l.place.id)).size,
    cities: new Set(reached.map((l) => l.place.city).filter((c) => c !== null)).size,
  };
}

export const RECALL_SCOPE_RULES: readonly ScopeRule[] = ['downstream', ...SCOPE_RULES];

/** Re-point a trace error at the request field that caused it. */
async function withPointer<T>(pointer: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (DomainError.is(error) && error.status < 500) {
      throw new DomainError('ValidationException', error.message, [{ pointer, message: error.message, rule: error.details[0]?.rule ?? 'code' }]);
    }
    throw error;
  }
}

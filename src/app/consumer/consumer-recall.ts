/**
 * Is the scanned pack recalled? Answered by the POS check (src/app/pos/pos-check.ts) on the same
 * in-memory block index, so the consumer page and the till can never disagree: a unit matches through
 * its printed lot or the lot its serial was commissioned into. Drill holds never reach consumers.
 * What to tell the consumer (instructions, compensation) comes from the case's notice plan.
 */
import { sql } from 'kysely';
import type { RecallState } from '../../core/recall/types.ts';
import type { AppContext } from '../context.ts';
import type { BlockCache } from '../pos/block-cache.ts';
import { checkCode } from '../pos/pos-check.ts';
import { COMPENSATIONS } from '../recall/returns.ts';
import type { ConsumerCode } from './consumer-code.ts';
import type { ConsumerLang } from './consumer-text.ts';

export type Compensation = (typeof COMPENSATIONS)[number];

/** What the page says about recalls. */
export type RecallStatus =
  /** No active (non-drill) recall holds this pack. */
  | { readonly kind: 'clear' }
  /** The pack's lot is recalled: the banner. */
  | {
      readonly kind: 'recalled';
      readonly caseId: string;
      readonly caseNumber: string;
      readonly title: string;
      /** The case's instruction in the page language, else the other language, else a default for consumers. */
      readonly instruction: string;
      /** The compensation options of the notice plan that a return ticket can carry (refund first when none). */
      readonly compensation: readonly Compensation[];
    }
  /** The code names the product only, and some lot of it is recalled: the consumer must check the lot. */
  | { readonly kind: 'checkLot'; readonly caseNumber: string; readonly title: string };

const DEFAULT_INSTRUCTION: Readonly<Record<ConsumerLang, string>> = {
  'zh-CN': '请勿食用该产品。请保留包装，通过下方表格申请退货，或直接带回任意门店。',
  en: 'Do not eat this product. Keep the pack, and return it with the form below or take it back to any store.',
};

/**
 * The recall status of a code in `orgId`. The canonical code is checked, so what the pack prints
 * (lot and serial) is what is matched.
 */
export async function recallStatusOf(ctx: AppContext, cache: BlockCache, orgId: string, code: ConsumerCode, lang: ConsumerLang): Promise<RecallStatus> {
  const answer = await checkCode(cache, orgId, { code: code.canonical }, lang, ctx.clock.now());
  if (answer.sellable || answer.caseId === null) return { kind: 'clear' };
  const r = await sql<{ state: unknown }>`SELECT state FROM recall_cases WHERE org_id = ${orgId} AND case_id = ${answer.caseId}`.execute(ctx.database.db);
  const raw = r.rows[0]?.state;
  const state = (typeof raw === 'string' ? JSON.parse(raw) : raw) as RecallState | undefined;
  if (!state || state.drill) return { kind: 'clear' };
  if (answer.match === 'product') return { kind: 'checkLot', caseNumber: state.caseNumber, title: state.title };
  const other: ConsumerLang = lang === 'en' ? 'zh-CN' : 'en';
  const instructions = state.instructions ?? state.noticePlan?.instructions ?? null;
  const instruction = instructions?.[lang]?.trim() || instructions?.[other]?.trim() || DEFAULT_INSTRUCTION[lang];
  const offered = (state.noticePlan?.compensation ?? []).filter((c): c is Compensation => (COMPENSATIONS as readonly string[]).includes(c));
  return { kind: 'recalled', caseId: state.caseId, caseNumber: state.caseNumber, title: state.title, instruction, compensation: offered.length > 0 ? offered : ['refund'] };
}

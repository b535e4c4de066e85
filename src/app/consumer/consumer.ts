/**
 * The consumer page's use cases: what the page of a scanned code shows (owner, facts filtered by what
 * the organisation makes public, recall status, scan hint), a complaint, and a return ticket. The
 * route (src/http/routes/consumer.route.ts) only reads the request and writes the answer.
 */
import { DomainError } from '../../core/errors.ts';
import type { Actor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { BlockCache } from '../pos/block-cache.ts';
import type { RecallDeps } from '../recall/cases.ts';
import { createConsumerReturn } from '../recall/returns.ts';
import { traceView } from '../trace/view.ts';
import { type FieldError, type ValidComplaint, createComplaint, validateContact } from './complaints.ts';
import type { ConsumerCode } from './consumer-code.ts';
import type { ConsumerPageModel, FormState } from './consumer-page.ts';
import { type Compensation, type RecallStatus, recallStatusOf } from './consumer-recall.ts';
import { consumerSettings } from './consumer-settings.ts';
import { type ConsumerLang, words } from './consumer-text.ts';
import { type Authenticity, authenticityOf, recordScan } from './scans.ts';
import { type OwnedProduct, lotOfCode, ownerOfGtin, unitFacts } from './unit-facts.ts';

/** The organisation and product a code belongs to, or why none is shown. */
export type ScanOwner = { readonly kind: 'found'; readonly product: OwnedProduct } | { readonly kind: 'unknown'; readonly reason: 'none' | 'ambiguous' };

/** Whose product a code is; two organisations claiming one GTIN show neither (docs/consumer.md). */
export async function ownerOf(ctx: AppContext, code: ConsumerCode): Promise<ScanOwner> {
  const owner = await ownerOfGtin(ctx.database.db, code.gtin);
  switch (owner.kind) {
    case 'one':
      return { kind: 'found', product: owner.product };
    case 'none':
      return { kind: 'unknown', reason: 'none' };
    case 'ambiguous':
      ctx.logger.warn({ gtin: code.gtin, organisations: owner.count }, 'consumer page: a GTIN is claimed by several organisations; showing none');
      return { kind: 'unknown', reason: 'ambiguous' };
    default: {
      const never: never = owner;
      return never;
    }
  }
}

/** Who scanned: recorded (as hashes) for the authenticity hint when `record` is true. */
export interface Scanner {
  readonly record: boolean;
  readonly ip: string;
  readonly userAgent: string | undefined;
}

/** Everything the page of a code shows, in `lang`. */
export async function consumerPage(
  ctx: AppContext,
  cache: BlockCache,
  input: { readonly code: ConsumerCode; readonly product: OwnedProduct; readonly lang: ConsumerLang; readonly nonce: string; readonly scanner: Scanner; readonly complaint?: FormState<string>; readonly returnForm?: FormState<string> },
): Promise<ConsumerPageModel> {
  const { code, product, lang } = input;
  const orgId = product.orgId;
  const [settings, facts, recall] = await Promise.all([consumerSettings(ctx, orgId), unitFacts(ctx.database.db, orgId, code, product.shelfLifeHours), recallStatusOf(ctx, cache, orgId, code, lang)]);
  const show = settings.public;
  let authenticity: Authenticity | null = null;
  if (input.scanner.record) {
    await recordScan(ctx, { orgId, code: code.canonical, unitNode: code.unitNode, lotNode: facts.lotNode, ip: input.scanner.ip, userAgent: input.scanner.userAgent });
  }
  // A lot or product code is printed on many packs: only a serial has a history of its own.
  if (show.scanHistory && code.unitNode !== null) authenticity = await authenticityOf(ctx, orgId, code.unitNode);
  const name = lang === 'en' ? product.nameEn : product.nameZh;
  const producedAt = show.productionTime ? facts.producedAt : null;
  const plantCity = show.plantCity ? facts.plantCity : null;
  const w = words(lang);
  const story = !show.originStory ? null : (product.story[lang] ?? (facts.known ? w.storyBuilt(name, plantCity, producedAt?.text.slice(0, 10) ?? null) : null));
  return {
    lang,
    nonce: input.nonce,
    path: code.path,
    product: { name, brand: product.brand },
    lotNumber: facts.lotNumber,
    serial: code.serial,
    known: facts.known,
    facts: { producedAt, expiresAt: show.expiry ? facts.expiresAt : null, plantCity, qc: show.qcStatus ? facts.qc : null },
    story,
    recall,
    authenticity,
    complaint: input.complaint ?? { values: {}, errors: [], done: null },
    returnForm: input.returnForm ?? { values: {}, errors: [], done: null },
  };
}

/** File a complaint about the exact code scanned, with the lot it resolves to. */
export async function fileComplaint(ctx: AppContext, orgId: string, code: ConsumerCode, complaint: ValidComplaint, lang: ConsumerLang, requestId?: string): Promise<{ complaintId: string }> {
  const view = await traceView(ctx.database.db, orgId, null);
  const lotNode = await lotOfCode(ctx.database.db, view, code);
  return createComplaint(ctx, orgId, { code, lotNode }, complaint, lang, requestId);
}

/** The return form as sent (all text, as a form sends it). */
export interface ReturnForm {
  readonly compensation: string;
  readonly quantity: string;
  readonly name: string;
  readonly phone: string;
  readonly email: string;
  readonly city: string;
}

export type ReturnField = 'compensation' | 'quantity' | 'phone' | 'email';

/**
 * A return ticket for a recalled pack (src/app/recall/returns.ts `createConsumerReturn`), only while
 * an active, non-drill recall holds it: the page's own recall check decides, not the caller.
 */
export async function requestReturn(
  ctx: AppContext,
  recall: RecallDeps,
  cache: BlockCache,
  orgId: string,
  code: ConsumerCode,
  form: ReturnForm,
  lang: ConsumerLang,
  requestId?: string,
): Promise<{ ok: true; reference: string } | { ok: false; errors: FieldError<ReturnField>[]; status: RecallStatus }> {
  const status = await recallStatusOf(ctx, cache, orgId, code, lang);
  if (status.kind !== 'recalled') {
    throw new DomainError('ConflictException', words(lang).errors.notRecalled, [{ pointer: '/code', message: words(lang).errors.notRecalled, rule: 'recalled' }]);
  }
  const errors: FieldError<ReturnField>[] = [];
  const compensation = form.compensation === '' ? status.compensation[0] : form.compensation;
  if (!status.compensation.includes(compensation as Compensation)) errors.push({ field: 'compensation', rule: 'compensation' });
  const quantity = form.quantity.trim() === '' ? 1 : Number(form.quantity);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 20) errors.push({ field: 'quantity', rule: 'quantity' });
  errors.push(...validateContact(form.phone, form.email));
  if (errors.length > 0) return { ok: false, errors, status };
  const actor: Actor = { orgId, tokenId: 'system', role: null };
  const contact = {
    ...(form.name.trim() ? { name: form.name.trim().slice(0, 200) } : {}),
    ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
    ...(form.email.trim() ? { email: form.email.trim() } : {}),
    ...(form.city.trim() ? { city: form.city.trim().slice(0, 100) } : {}),
  };
  const ticket = await createConsumerReturn(recall, actor, { code: code.canonical, quantity, compensation: compensation as Compensation, contact }, requestId);
  return { ok: true, reference: ticket.reference };
}

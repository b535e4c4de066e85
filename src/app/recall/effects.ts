/**
 * What a recall decision does to the world, written in the decision's transaction: holds (with the
 * POS block-list revision and webhook pushes), shelf-removal and quarantine tasks, notices in the
 * outbox, and disposition events in the EPCIS ledger.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Transaction, sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { DISPOSITION_TEXT, HAZARD_TEXT } from '../../core/recall/levels.ts';
import { approvedScope } from '../../core/recall/machine.ts';
import type { Disposition, NoticeAudience, RecallEffect, RecallState } from '../../core/recall/types.ts';
import type { WorkCalendar } from '../../core/calendar/working-days.ts';
import type { Schema } from '../../store/schema.ts';
import type { Actor } from '../audit.ts';
import { type Audience, type NoticeLang, type OutboxMessage, enqueue } from '../outbox/enqueue.ts';
import { renderOrgNotice } from '../outbox/notice-templates.ts';
import { type NoticeKind, type NoticeVars, TemplateError } from '../outbox/templates.ts';
import { webhookRecipients } from '../outbox/webhooks.ts';
import { queueBlocklistPush } from '../pos/blocklist-push.ts';
import { classifyNode } from '../trace/identifiers.ts';
import type { CommandResult, EffectOutcome, RecallDeps } from './cases.ts';
import { captureEvents } from './capture-events.ts';
import { completionDue } from './clocks.ts';
import { type KnownPlace, knownPlaces, locationById } from './places.ts';
import type { ScopeSnapshotItem } from './report-data.ts';
import { type RecallSettings, recallSettings } from './settings.ts';

type Tx = Transaction<Schema>;

/** Place types whose stock is quarantined rather than taken off a shelf. */
const STOCK_TYPES = new Set(['warehouse', 'cold_room', 'plant', 'qc_centre']);

/** What effects read that must be loaded before the transaction (PGlite has one connection). */
export interface EffectEnv {
  readonly calendar: WorkCalendar;
}

export async function applyEffects(deps: RecallDeps, tx: Tx, actor: Actor, state: RecallState, effects: readonly RecallEffect[], now: Date, env: EffectEnv): Promise<CommandResult['outcome']> {
  const outcome: EffectOutcome = { holdsPlaced: 0, holdsReleased: 0, tasksIssued: 0, tasksCancelled: 0, noticesQueued: 0, unreachable: [], eventsCaptured: [] };
  if (effects.length === 0) return outcome;
  const settings = await recallSettings(tx, actor.orgId);
  const orgId = actor.orgId;
  const placed: string[] = [];
  const released: string[] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case 'place_holds': {
        const rows = effect.lots.map((node) => {
          const c = classifyNode(node);
          return { org_id: orgId, case_id: state.caseId, node, gtin: c.kind === 'lot' ? c.gtin : null, lot: c.kind === 'lot' ? c.lot : null, scope_version: effect.version, placed_at: now, released_at: null };
        });
        for (let i = 0; i < rows.length; i += 1000) {
          await tx
            .insertInto('recall_holds')
            .values(rows.slice(i, i + 1000))
            .onConflict((oc) => oc.columns(['org_id', 'case_id', 'node']).doUpdateSet({ released_at: null, scope_version: effect.version, placed_at: now }))
            .execute();
        }
        placed.push(...effect.lots);
        outcome.holdsPlaced += rows.length;
        break;
      }
      case 'release_holds': {
        const r = await tx
          .updateTable('recall_holds')
          .set({ released_at: now })
          .where('org_id', '=', orgId)
          .where('case_id', '=', state.caseId)
          .where('node', 'in', [...effect.lots])
          .where('released_at', 'is', null)
          .executeTakeFirst();
        released.push(...effect.lots);
        outcome.holdsReleased += Number(r.numUpdatedRows);
        break;
      }
      case 'issue_tasks':
        await issueTasks(tx, orgId, state, effect.version, settings, now, outcome);
        break;
      case 'notify':
        outcome.noticesQueued += await notify(deps, tx, orgId, state, effect.audiences, effect.occasion, settings, now, outcome, env);
        break;
      case 'capture_disposition':
        outcome.eventsCaptured.push(...(await captureEvents(deps, tx, actor, [await dispositionEvent(tx, orgId, state, effect.disposition)])));
        break;
    }
  }
  if (placed.length || released.length) {
    const head = await sql<{ revision: number }>`
      INSERT INTO recall_hold_heads (org_id, revision, changed_at) VALUES (${orgId}, 1, ${now})
      ON CONFLICT (org_id) DO UPDATE SET revision = recall_hold_heads.revision + 1, changed_at = EXCLUDED.changed_at
      RETURNING revision`.execute(tx);
    const revision = head.rows[0]?.revision ?? 1;
    const lotOf = (node: string) => {
      const c = classifyNode(node);
      return { node, gtin: c.kind === 'lot' ? c.gtin : null, lot: c.kind === 'lot' ? c.lot : null };
    };
    outcome.noticesQueued += await queueBlocklistPush(
      tx,
      orgId,
      { caseId: state.caseId, caseNumber: state.caseNumber, revision, added: placed.map(lotOf), released: released.map(lotOf), drill: state.drill },
      { ids: deps.ctx.ids, now },
    );
  }
  return outcome;
}

/** A secret for an acknowledgement link: the link carries `org.secret`, the table only its hash. */
export function ackToken(orgId: string, secret: string): string {
  return `${orgId}.${secret}`;
}

export function ackTokenHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

interface PlaceUnits {
  readonly placeId: string;
  readonly type: string | null;
  received: number;
  onHand: number;
  lots: Set<string>;
}

/** Per place of a scope: units received and on hand, over all its lots. */
export function unitsByPlace(items: readonly ScopeSnapshotItem[]): Map<string, PlaceUnits> {
  const out = new Map<string, PlaceUnits>();
  for (const item of items) {
    for (const l of item.locations) {
      const p = out.get(l.place.id) ?? { placeId: l.place.id, type: l.place.type, received: 0, onHand: 0, lots: new Set<string>() };
      p.received += l.received + l.produced;
      p.onHand += Math.max(0, l.onHand);
      p.lots.add(item.lotNumber ?? item.lot);
      out.set(l.place.id, p);
    }
  }
  return out;
}

async function scopeItems(tx: Tx, orgId: string, caseId: string, version: number): Promise<ScopeSnapshotItem[]> {
  const row = await tx.selectFrom('recall_scope_versions').select('items').where('org_id', '=', orgId).where('case_id', '=', caseId).where('version', '=', version).executeTakeFirstOrThrow();
  return row.items as ScopeSnapshotItem[];
}

/**
 * One task per store that received goods of the scope (take off the shelf and acknowledge) and per
 * warehouse holding some (quarantine). On an amendment, places no longer in scope have their open
 * tasks cancelled, and places already tasked keep their task (and its acknowledgement link).
 */
async function issueTasks(tx: Tx, orgId: string, state: RecallState, version: number, settings: RecallSettings, now: Date, outcome: EffectOutcome): Promise<void> {
  const items = await scopeItems(tx, orgId, state.caseId, version);
  const byPlace = unitsByPlace(items);
  const known = await knownPlaces(tx, orgId, byPlace.keys());
  const ackHours = state.noticePlan?.ackHours ?? settings.escalationHours[0] ?? 4;
  const due = new Date(now.getTime() + ackHours * 3_600_000);
  const wanted = new Map<string, { kind: 'shelf_removal' | 'quarantine'; units: number }>();
  for (const [placeId, p] of byPlace) {
    const place = known.get(placeId);
    const type = place?.type ?? p.type;
    if (!place) {
      if (p.received > 0 && type !== 'plant') outcome.unreachable.push(placeId);
      continue;
    }
    if (type === 'store' && p.received > 0) wanted.set(place.locationId, { kind: 'shelf_removal', units: p.onHand });
    else if (type !== null && STOCK_TYPES.has(type) && p.onHand > 0) wanted.set(place.locationId, { kind: 'quarantine', units: p.onHand });
  }
  const existing = await tx.selectFrom('recall_tasks').select(['location_id', 'kind', 'status']).where('org_id', '=', orgId).where('case_id', '=', state.caseId).execute();
  const have = new Set(existing.map((t) => `${t.location_id}|${t.kind}`));
  const rows = [...wanted]
    .filter(([locationId, w]) => !have.has(`${locationId}|${w.kind}`))
    .map(([locationId, w]) => ({
      org_id: orgId,
      case_id: state.caseId,
      location_id: locationId,
      kind: w.kind,
      status: 'open' as const,
      units_expected: w.units,
      units_removed: null,
      // The link's secret is made when the notice is rendered; until then the hash is of a secret nobody holds.
      ack_token_hash: ackTokenHash(randomBytes(24).toString('base64url')),
      created_at: now,
      due_at: due,
      acknowledged_at: null,
      acknowledged_by: null,
      note: null,
      escalated_at: null,
    }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('recall_tasks').values(rows.slice(i, i + 1000)).execute();
  outcome.tasksIssued += rows.length;
  // Expected units follow the scope in force.
  for (const [locationId, w] of wanted) {
    if (have.has(`${locationId}|${w.kind}`)) {
      await tx.updateTable('recall_tasks').set({ units_expected: w.units }).where('org_id', '=', orgId).where('case_id', '=', state.caseId).where('location_id', '=', locationId).where('kind', '=', w.kind).where('status', '=', 'open').execute();
    }
  }
  const gone = existing.filter((t) => t.status === 'open' && wanted.get(t.location_id)?.kind !== t.kind);
  for (const t of gone) {
    await tx.updateTable('recall_tasks').set({ status: 'cancelled', note: `no longer in scope version ${version}` }).where('org_id', '=', orgId).where('case_id', '=', state.caseId).where('location_id', '=', t.location_id).where('kind', '=', t.kind).execute();
  }
  outcome.tasksCancelled += gone.length;
}

/** Variables every notice of the case shares, in one language. */
export async function caseVars(tx: Tx, orgId: string, state: RecallState, lang: NoticeLang, settings: RecallSettings): Promise<NoticeVars & Record<string, string | number>> {
  const scope = approvedScope(state) ?? state.scopes.at(-1) ?? null;
  const lots = (scope?.lots ?? state.codes).map((l) => {
    const c = classifyNode(l);
    return c.kind === 'lot' && c.lot ? c.lot : l;
  });
  const product = state.productGtin
    ? await tx.selectFrom('products').select(['name_zh', 'name_en']).where('org_id', '=', orgId).where('gtin', 'in', [state.productGtin, state.productGtin.replace(/^0+/, '')]).executeTakeFirst()
    : undefined;
  const org = await tx.selectFrom('orgs').select('name').where('org_id', '=', orgId).executeTakeFirst();
  const zh = lang === 'zh-CN';
  const compensation = state.noticePlan?.compensation ?? [];
  const base = settings.publicBaseUrl.replace(/\/+$/, '');
  return {
    brand: settings.brand || org?.name || orgId,
    caseNumber: state.caseNumber,
    productName: (zh ? product?.name_zh : product?.name_en) ?? state.title,
    lots: lots.length > 12 ? `${lots.slice(0, 12).join(', ')} … (+${lots.length - 12})` : lots.join(', '),
    level: state.assessment ? String(state.assessment.level) : '-',
    hazard: `${HAZARD_TEXT[state.hazard][lang]}${state.description ? ` — ${state.description}` : ''}`,
    instruction: state.instructions?.[lang] ?? (zh ? '请停止销售和食用' : 'Stop selling and eating it'),
    units: scope ? String(scope.totals.units) : '-',
    compensation: compensation.length ? compensation.map((c) => compensationText(c, lang)).join(zh ? '、' : ', ') : zh ? '请联系客服' : 'contact customer service',
    // Audience-specific values are overridden per notice; these defaults let an organisation's own
    // template use any known variable for any audience without leaving a hole.
    storeName: zh ? '各门店' : 'all stores',
    ackUrl: `${base}/ack`,
    deadline: '-',
    returnInstructions: zh
      ? `扫描包装上的二维码或访问 ${base}/return 领取退货单号，也可退回购买门店（无需小票）`
      : `scan the QR code on the pack or visit ${base}/return for a return reference, or take it back to the store (no receipt needed)`,
  };
}

function compensationText(value: string, lang: NoticeLang): string {
  const known: Record<string, { 'zh-CN': string; en: string }> = {
    refund: { 'zh-CN': '全额退款', en: 'full refund' },
    voucher: { 'zh-CN': '代金券', en: 'voucher' },
    replacement: { 'zh-CN': '换货', en: 'replacement' },
  };
  return known[value]?.[lang] ?? value;
}

/** Time as the notice reader reads it: China time, minutes. */
export function noticeTime(d: Date, lang: NoticeLang): string {
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  return lang === 'zh-CN' ? `${local}（北京时间）` : `${local} (UTC+8)`;
}

/**
 * Queue the notices of the plan's audiences. Stores and warehouses get their task with a fresh
 * acknowledgement link; consumers are the members whose purchases are in scope; the regulator and
 * distributors are the parties of those kinds; the public are organisation-wide webhook endpoints of `recall.notice`.
 */
async function notify(
  deps: RecallDeps,
  tx: Tx,
  orgId: string,
  state: RecallState,
  audiences: readonly NoticeAudience[],
  occasion: string,
  settings: RecallSettings,
  now: Date,
  outcome: EffectOutcome,
  env: EffectEnv,
): Promise<number> {
  const messages: OutboxMessage[] = [];
  const scope = approvedScope(state);
  const version = scope?.version ?? 0;
  const varsByLang = new Map<NoticeLang, Awaited<ReturnType<typeof caseVars>>>();
  const varsFor = async (lang: NoticeLang) => {
    let v = varsByLang.get(lang);
    if (!v) varsByLang.set(lang, (v = await caseVars(tx, orgId, state, lang, settings)));
    return v;
  };
  const key = (audience: string, recipient: string) => `${state.caseId}:${occasion}:v${version}:${audience}:${recipient}`;
  const push = async (kind: NoticeKind, audience: Audience, channel: OutboxMessage['channel'], recipient: string, lang: NoticeLang, extra: Record<string, string | number> = {}) => {
    const vars = { ...(await varsFor(lang)), ...extra };
    let text;
    try {
      text = await renderOrgNotice(tx, orgId, kind, lang, vars, { drill: state.drill });
    } catch (error) {
      if (error instanceof TemplateError) {
        throw new DomainError('ConflictException', `the ${lang} notice template for ${kind} cannot be rendered: ${error.message}; fix it with PUT /api/notice-templates/${kind}/${lang}`, error.problems.map((p) => ({ pointer: `/noticeTemplates/${kind}/${lang}${p.pointer}`, message: p.message, rule: 'template' })));
      }
      throw error;
    }
    messages.push({
      // Stores may share a contact (a chain's head office): the place is part of the key.
      idempotencyKey: key(audience, `${extra.locationId ?? ''}:${channel}:${recipient}`),
      caseId: state.caseId,
      audience,
      channel,
      recipient,
      lang,
      subject: text.subject,
      body: text.body,
      payload: { occasion, caseNumber: state.caseNumber, kind, scopeVersion: version, ...extra },
      dryRun: state.drill,
    });
  };
  const lang = settings.defaultLang;

  for (const audience of audiences) {
    if (audience === 'store' || audience === 'warehouse') {
      if (occasion === 'closed') continue;
      const kind = audience === 'store' ? 'shelf_removal' : 'quarantine';
      const tasks = await tx.selectFrom('recall_tasks').selectAll().where('org_id', '=', orgId).where('case_id', '=', state.caseId).where('kind', '=', kind).where('status', '=', 'open').execute();
      const places = await knownPlacesById(tx, orgId, tasks.map((t) => t.location_id));
      for (const task of tasks) {
        const place = places.get(task.location_id);
        // A fresh link for every notice: the secret is only ever in the message, the table keeps its hash.
        const secret = deps.ctx.ids.secret(24);
        await tx.updateTable('recall_tasks').set({ ack_token_hash: ackTokenHash(secret) }).where('org_id', '=', orgId).where('case_id', '=', state.caseId).where('location_id', '=', task.location_id).where('kind', '=', kind).execute();
        const placeLang = place?.lang ?? lang;
        const extra = {
          storeName: place?.name ?? task.location_id,
          units: String(task.units_expected ?? '-'),
          ackUrl: `${settings.publicBaseUrl.replace(/\/+$/, '')}/ack/${ackToken(orgId, secret)}`,
          deadline: noticeTime(task.due_at, placeLang),
          locationId: task.location_id,
        };
        let reached = false;
        if (place?.email) (await push(audience, audience, 'email', place.email, placeLang, extra), (reached = true));
        if (place?.phone) (await push(audience, audience, 'sms', place.phone, placeLang, extra), (reached = true));
        for (const endpoint of await webhookRecipients(tx, orgId, 'recall.task', task.location_id)) (await push(audience, audience, 'webhook', endpoint, placeLang, extra), (reached = true));
        if (!reached) outcome.unreachable.push(task.location_id);
      }
      continue;
    }
    if (audience === 'regulator' || audience === 'distributor') {
      const parties = await tx.selectFrom('parties').select(['party_id', 'email', 'phone', 'attributes']).where('org_id', '=', orgId).where('kind', '=', audience).where('archived', '=', false).execute();
      const deadline = completionDue(state, env.calendar, now);
      for (const p of parties) {
        const pLang = ((p.attributes as Record<string, unknown> | null)?.['lang'] === 'en' ? 'en' : lang) as NoticeLang;
        if (p.email) await push(audience, audience, 'email', p.email, pLang, { deadline: deadline ? noticeTime(deadline, pLang) : '-' });
        else outcome.unreachable.push(`party:${p.party_id}`);
      }
      continue;
    }
    if (audience === 'consumer') {
      if (occasion === 'closed' || !scope) continue;
      const members = await sql<{ member_id: string; email: string | null; phone: string | null; lang: string }>`
        SELECT DISTINCT m.member_id, m.email, m.phone, m.lang FROM member_purchases p
        JOIN members m ON m.org_id = p.org_id AND m.member_id = p.member_id
        WHERE p.org_id = ${orgId} AND p.lot_node = ANY(${scope.lots}::text[])`.execute(tx);
      for (const m of members.rows) {
        const mLang: NoticeLang = m.lang === 'en' ? 'en' : 'zh-CN';
        if (m.email) await push('consumer', 'consumer', 'email', m.email, mLang, { memberId: m.member_id });
        else if (m.phone) await push('consumer', 'consumer', 'sms', m.phone, mLang, { memberId: m.member_id });
        else outcome.unreachable.push(`member:${m.member_id}`);
      }
      continue;
    }
    if (audience === 'public') {
      if (occasion === 'closed') continue;
      for (const endpoint of await webhookRecipients(tx, orgId, 'recall.notice', null)) {
        for (const l of ['zh-CN', 'en'] as const) await push('public', 'public', 'webhook', endpoint, l);
      }
    }
  }
  return enqueue(tx, orgId, messages, { ids: deps.ctx.ids, now });
}

async function knownPlacesById(tx: Tx, orgId: string, locationIds: readonly string[]): Promise<Map<string, KnownPlace>> {
  const found = await knownPlaces(tx, orgId, locationIds);
  return new Map([...found.values()].map((p) => [p.locationId, p]));
}


/** The EPCIS event of a disposition, at its place, with the matching CBV business step and disposition. */
async function dispositionEvent(tx: Tx, orgId: string, state: RecallState, d: Disposition): Promise<Record<string, unknown>> {
  const place = await locationById(tx, orgId, d.locationId, '/locationId');
  const cbv: Record<Disposition['class'], { bizStep?: string; disposition: string }> = {
    destroy: { bizStep: 'destroying', disposition: 'destroyed' },
    // Leaves the food chain (e.g. animal feed): disposed, not destroyed.
    recycle: { disposition: 'disposed' },
    // Stays held until QA releases the reworked goods.
    rework: { bizStep: 'repackaging', disposition: 'non_sellable_other' },
  };
  const perLot = Math.floor(d.quantity / d.lots.length);
  return {
    type: 'ObjectEvent',
    eventTime: d.at,
    eventTimeZoneOffset: '+08:00',
    action: 'OBSERVE',
    quantityList: d.lots.map((lot, i) => ({ epcClass: lot, quantity: i === 0 ? d.quantity - perLot * (d.lots.length - 1) : perLot })),
    ...(cbv[d.class].bizStep ? { bizStep: cbv[d.class].bizStep } : {}),
    disposition: cbv[d.class].disposition,
    ...(place.epcisId ? { bizLocation: { id: place.epcisId } } : {}),
    'lotline:recallCase': state.caseNumber,
    'lotline:dispositionClass': d.class,
    'lotline:dispositionText': `${DISPOSITION_TEXT[d.class]['zh-CN']} / ${DISPOSITION_TEXT[d.class].en}`,
    'lotline:witness': d.witness,
    'lotline:location': d.locationId,
    ...(d.evidence.length ? { 'lotline:evidence': d.evidence } : {}),
    ...(d.note ? { 'lotline:note': d.note } : {}),
  };
}

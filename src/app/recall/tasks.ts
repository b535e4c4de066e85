/**
 * Store and warehouse tasks of a recall: acknowledge ("removed from shelf, N units") through the
 * link in the notice or through the API; escalate what is not acknowledged in time.
 */
import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { RecallState } from '../../core/recall/types.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { type OutboxMessage, enqueue } from '../outbox/enqueue.ts';
import { renderOrgNotice } from '../outbox/notice-templates.ts';
import { webhookRecipients } from '../outbox/webhooks.ts';
import { ackToken, ackTokenHash, caseVars, noticeTime } from './effects.ts';
import { knownPlaces } from './places.ts';
import { recallSettings } from './settings.ts';

export interface TaskView {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly locationId: string;
  readonly locationName: string | null;
  readonly city: string | null;
  readonly kind: 'shelf_removal' | 'quarantine';
  readonly status: 'open' | 'acknowledged' | 'cancelled';
  readonly unitsExpected: number | null;
  readonly unitsRemoved: number | null;
  readonly dueAt: string;
  readonly overdue: boolean;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly note: string | null;
  readonly escalationLevel: number;
}

export interface Acknowledgement {
  readonly unitsRemoved: number;
  readonly note?: string;
  /** Who acknowledged, as the person typed it on the link's form. */
  readonly name?: string;
}

/** Tasks of a case (optionally of one location), store tokens see only what they ask for. */
export async function listTasks(ctx: AppContext, orgId: string, caseId: string, q: { locationId?: string; status?: string } = {}): Promise<TaskView[]> {
  const db = ctx.database.db;
  const c = await db.selectFrom('recall_cases').select(['case_number']).where('org_id', '=', orgId).where('case_id', '=', caseId).executeTakeFirst();
  if (!c) throw new DomainError('NoSuchResourceException', `no recall case ${caseId}`, [{ pointer: '/caseId', message: 'not found', rule: 'exists' }]);
  let query = db.selectFrom('recall_tasks').selectAll().where('org_id', '=', orgId).where('case_id', '=', caseId);
  if (q.locationId) query = query.where('location_id', '=', q.locationId);
  if (q.status) query = query.where('status', '=', q.status as 'open');
  const rows = await query.orderBy('location_id').execute();
  const places = await knownPlaces(db, orgId, rows.map((r) => r.location_id));
  const now = ctx.clock.now().getTime();
  return rows.map((r) => ({
    caseId,
    caseNumber: c.case_number,
    locationId: r.location_id,
    locationName: places.get(r.location_id)?.name ?? null,
    city: places.get(r.location_id)?.city ?? null,
    kind: r.kind,
    status: r.status,
    unitsExpected: r.units_expected,
    unitsRemoved: r.units_removed,
    dueAt: r.due_at.toISOString(),
    overdue: r.status === 'open' && r.due_at.getTime() < now,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: r.acknowledged_by,
    note: r.note,
    escalationLevel: r.escalation_level,
  }));
}

/** Acknowledge a task with an API token (a store or warehouse user, or QA on their behalf). */
export async function acknowledgeTask(ctx: AppContext, actor: Actor, caseId: string, locationId: string, ack: Acknowledgement, requestId?: string): Promise<TaskView> {
  await ctx.database.db.transaction().execute(async (tx) => {
    const task = await tx.selectFrom('recall_tasks').selectAll().where('org_id', '=', actor.orgId).where('case_id', '=', caseId).where('location_id', '=', locationId).where('status', '!=', 'cancelled').forUpdate().executeTakeFirst();
    if (!task) throw new DomainError('NoSuchResourceException', `case ${caseId} has no open task for location ${locationId}`, [{ pointer: '/locationId', message: 'no task here', rule: 'exists' }]);
    await record(tx, actor, task.case_id, task.location_id, task.kind, task.status, ack, actor.tokenId, ctx.clock.now(), requestId);
  });
  return (await listTasks(ctx, actor.orgId, caseId, { locationId }))[0] as TaskView;
}

/**
 * Acknowledge through the link of a notice (`/ack/{org}.{secret}`): no account needed, the secret is
 * the proof. Unknown or superseded links are a 404 that reveals nothing.
 */
export async function acknowledgeByLink(ctx: AppContext, token: string, ack: Acknowledgement, requestId?: string): Promise<TaskView> {
  const found = await taskByLink(ctx, token);
  const actor: Actor = { orgId: found.orgId, tokenId: 'system', role: null };
  await ctx.database.db.transaction().execute(async (tx) => {
    const task = await tx.selectFrom('recall_tasks').selectAll().where('org_id', '=', found.orgId).where('ack_token_hash', '=', found.hash).forUpdate().executeTakeFirst();
    if (!task || task.status === 'cancelled') throw unknownLink();
    await record(tx, actor, task.case_id, task.location_id, task.kind, task.status, ack, `link:${ack.name?.trim() || task.location_id}`, ctx.clock.now(), requestId);
  });
  return (await listTasks(ctx, found.orgId, found.caseId, { locationId: found.locationId }))[0] as TaskView;
}

/** The task a link points at, for the acknowledgement page. */
export async function taskByLink(ctx: AppContext, token: string): Promise<{ orgId: string; caseId: string; locationId: string; hash: string; task: TaskView; state: RecallState }> {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 200) throw unknownLink();
  const orgId = token.slice(0, dot);
  const hash = ackTokenHash(token.slice(dot + 1));
  const row = await ctx.database.db.selectFrom('recall_tasks').select(['case_id', 'location_id', 'status']).where('org_id', '=', orgId).where('ack_token_hash', '=', hash).executeTakeFirst();
  if (!row || row.status === 'cancelled') throw unknownLink();
  const task = (await listTasks(ctx, orgId, row.case_id, { locationId: row.location_id }))[0] as TaskView;
  const c = await ctx.database.db.selectFrom('recall_cases').select('state').where('org_id', '=', orgId).where('case_id', '=', row.case_id).executeTakeFirstOrThrow();
  return { orgId, caseId: row.case_id, locationId: row.location_id, hash, task, state: c.state as RecallState };
}

const unknownLink = () => new DomainError('NoSuchResourceException', 'this acknowledgement link is unknown or was replaced by a newer notice', [{ pointer: '/token', message: 'unknown link', rule: 'exists' }]);

async function record(
  tx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  caseId: string,
  locationId: string,
  kind: string,
  status: string,
  ack: Acknowledgement,
  by: string,
  now: Date,
  requestId: string | undefined,
): Promise<void> {
  if (!(ack.unitsRemoved >= 0) || !Number.isFinite(ack.unitsRemoved)) throw new DomainError('ValidationException', 'unitsRemoved is a number of units, zero or more', [{ pointer: '/unitsRemoved', message: 'zero or more', rule: 'minimum' }]);
  // A second acknowledgement corrects the count (e.g. more units found in the back room); the audit keeps both.
  await tx
    .updateTable('recall_tasks')
    .set({ status: 'acknowledged', units_removed: ack.unitsRemoved, note: ack.note ?? null, acknowledged_at: now, acknowledged_by: by })
    .where('org_id', '=', actor.orgId)
    .where('case_id', '=', caseId)
    .where('location_id', '=', locationId)
    .where('kind', '=', kind as 'shelf_removal')
    .execute();
  await recordAudit(tx, actor, { action: status === 'acknowledged' ? 'recall.task.reacknowledge' : 'recall.task.acknowledge', targetType: 'recall_task', targetId: `${caseId}/${locationId}`, detail: { kind, unitsRemoved: ack.unitsRemoved, note: ack.note ?? null, by }, requestId });
}

/**
 * Escalate open tasks past their due time: the next level's notice goes to the escalation contacts
 * and the store again (with a fresh link), and the task is due again at the next level's hour.
 * Runs periodically in the server; returns how many tasks were escalated.
 */
export async function escalateOverdue(ctx: AppContext, orgId: string): Promise<number> {
  const now = ctx.clock.now();
  return ctx.database.db.transaction().execute(async (tx) => {
    const due = await tx.selectFrom('recall_tasks').selectAll().where('org_id', '=', orgId).where('status', '=', 'open').where('due_at', '<=', now).forUpdate().execute();
    if (due.length === 0) return 0;
    const settings = await recallSettings(tx, orgId);
    const places = await knownPlaces(tx, orgId, due.map((t) => t.location_id));
    const byLocation = new Map([...places.values()].map((p) => [p.locationId, p]));
    const messages: OutboxMessage[] = [];
    const states = new Map<string, RecallState>();
    for (const task of due) {
      let state = states.get(task.case_id);
      if (!state) {
        state = (await tx.selectFrom('recall_cases').select('state').where('org_id', '=', orgId).where('case_id', '=', task.case_id).executeTakeFirstOrThrow()).state as RecallState;
        states.set(task.case_id, state);
      }
      const level = task.escalation_level + 1;
      const hours = settings.escalationHours;
      // After the last level the task stays open and overdue, without more messages.
      const nextDue = level < hours.length ? new Date(now.getTime() + ((hours[level] ?? 0) - (hours[level - 1] ?? 0)) * 3_600_000) : new Date(now.getTime() + 100 * 365 * 86_400_000);
      const secret = ctx.ids.secret(24);
      await tx
        .updateTable('recall_tasks')
        .set({ escalation_level: level, escalated_at: now, due_at: nextDue, ack_token_hash: ackTokenHash(secret) })
        .where('org_id', '=', orgId)
        .where('case_id', '=', task.case_id)
        .where('location_id', '=', task.location_id)
        .where('kind', '=', task.kind)
        .execute();
      const place = byLocation.get(task.location_id);
      const lang = place?.lang ?? settings.defaultLang;
      const vars = {
        ...(await caseVars(tx, orgId, state, lang, settings)),
        storeName: place?.name ?? task.location_id,
        deadline: noticeTime(task.due_at, lang),
        ackUrl: `${settings.publicBaseUrl.replace(/\/+$/, '')}/ack/${ackToken(orgId, secret)}`,
      };
      const text = await renderOrgNotice(tx, orgId, 'escalation', lang, vars, { drill: state.drill });
      const recipients: { channel: OutboxMessage['channel']; to: string; audience: OutboxMessage['audience'] }[] = [
        ...settings.escalationContacts.map((to) => ({ channel: 'email' as const, to, audience: 'internal' as const })),
        ...(place?.email ? [{ channel: 'email' as const, to: place.email, audience: 'store' as const }] : []),
        ...(place?.phone ? [{ channel: 'sms' as const, to: place.phone, audience: 'store' as const }] : []),
        ...(await webhookRecipients(tx, orgId, 'recall.task', task.location_id)).map((to) => ({ channel: 'webhook' as const, to, audience: 'store' as const })),
      ];
      for (const r of recipients) {
        messages.push({
          idempotencyKey: `${task.case_id}:escalation:${task.location_id}:${task.kind}:L${level}:${r.channel}:${r.to}`,
          caseId: task.case_id,
          audience: r.audience,
          channel: r.channel,
          recipient: r.to,
          lang,
          subject: text.subject,
          body: text.body,
          payload: { occasion: 'escalation', caseNumber: state.caseNumber, locationId: task.location_id, level },
          dryRun: state.drill,
        });
      }
      await recordAudit(tx, { orgId, tokenId: 'system', role: null }, { action: 'recall.task.escalate', targetType: 'recall_task', targetId: `${task.case_id}/${task.location_id}`, detail: { level, recipients: recipients.length } });
    }
    await enqueue(tx, orgId, messages, { ids: ctx.ids, now });
    return due.length;
  });
}

/** Organisations with open tasks due now (for the periodic escalation run). */
export async function orgsWithDueTasks(ctx: AppContext): Promise<string[]> {
  const r = await sql<{ org_id: string }>`SELECT org_id FROM orgs o WHERE EXISTS (SELECT 1 FROM recall_tasks t WHERE t.org_id = o.org_id AND t.status = 'open' AND t.due_at <= ${ctx.clock.now()})`.execute(ctx.database.db);
  return r.rows.map((x) => x.org_id);
}

import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { Audience, Channel } from './enqueue.ts';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'dry_run'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const AUDIENCES: readonly Audience[] = ['regulator', 'store', 'warehouse', 'distributor', 'consumer', 'public', 'internal'];
export const CHANNELS: readonly Channel[] = ['email', 'webhook', 'sms'];

/** One message with its delivery status, as listed. */
export interface OutboxItem {
  readonly messageId: string;
  readonly idempotencyKey: string;
  readonly caseId: string | null;
  readonly audience: string;
  readonly channel: Channel;
  readonly recipient: string;
  readonly lang: string;
  readonly subject: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  /** When the next attempt is due (pending messages only). */
  readonly nextAttemptAt: string | null;
  readonly sentAt: string | null;
  readonly createdAt: string;
}

/** One delivery attempt. */
export interface OutboxAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A message in full: its text, payload and every attempt. */
export interface OutboxDetail extends OutboxItem {
  readonly body: string;
  readonly payload: unknown;
  readonly attemptLog: readonly OutboxAttempt[];
}

/** Filters of the outbox list. */
export interface OutboxSearch {
  readonly caseId?: string;
  readonly status?: OutboxStatus;
  readonly audience?: string;
  readonly channel?: Channel;
  readonly limit: number;
  readonly cursor?: string;
}

interface OutboxRow {
  message_id: string;
  idempotency_key: string;
  case_id: string | null;
  audience: string;
  channel: Channel;
  recipient: string;
  lang: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

function toItem(r: OutboxRow): OutboxItem {
  return {
    messageId: r.message_id,
    idempotencyKey: r.idempotency_key,
    caseId: r.case_id,
    audience: r.audience,
    channel: r.channel,
    recipient: r.recipient,
    lang: r.lang,
    subject: r.subject,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    sentAt: iso(r.sent_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const COLUMNS = sql`message_id, idempotency_key, case_id, audience, channel, recipient, lang, subject, status, attempts, last_error, last_attempt_at, next_attempt_at, sent_at, created_at`;

/** Newest-first page of the organisation's outbox; `next` is the cursor of the following page. */
export async function listOutbox(ctx: AppContext, orgId: string, s: OutboxSearch): Promise<{ items: OutboxItem[]; next: string | null }> {
  const where = [sql`org_id = ${orgId}`];
  if (s.caseId !== undefined) where.push(sql`case_id = ${s.caseId}`);
  if (s.status !== undefined) where.push(sql`status = ${s.status}`);
  if (s.audience !== undefined) where.push(sql`audience = ${s.audience}`);
  if (s.channel !== undefined) where.push(sql`channel = ${s.channel}`);
  if (s.cursor !== undefined) {
    const c = decodeCursor(s.cursor);
    where.push(sql`(created_at, message_id) < (${c.t}, ${c.id})`);
  }
  const rows = await sql<OutboxRow>`SELECT ${COLUMNS} FROM outbox WHERE ${sql.join(where, sql` AND `)}
    ORDER BY created_at DESC, message_id DESC LIMIT ${s.limit + 1}`.execute(ctx.database.db);
  const page = rows.rows.slice(0, s.limit);
  const last = page[page.length - 1];
  return { items: page.map(toItem), next: rows.rows.length > s.limit && last ? encodeCursor(new Date(last.created_at), last.message_id) : null };
}

/** One message with every attempt; NoSuchResource when it is not the organisation's. */
export async function outboxMessage(ctx: AppContext, orgId: string, messageId: string): Promise<OutboxDetail> {
  const row = (
    await sql<OutboxRow & { body: string; payload: unknown }>`SELECT ${COLUMNS}, body, payload FROM outbox
      WHERE org_id = ${orgId} AND message_id = ${messageId}`.execute(ctx.database.db)
  ).rows[0];
  if (!row) throw new DomainError('NoSuchResourceException', `no outbox message ${messageId}`);
  const attempts = await ctx.database.db
    .selectFrom('outbox_attempts')
    .select(['attempt', 'at', 'ok', 'detail'])
    .where('org_id', '=', orgId)
    .where('message_id', '=', messageId)
    .orderBy('attempt')
    .execute();
  return {
    ...toItem(row),
    body: row.body,
    payload: row.payload,
    attemptLog: attempts.map((a) => ({ attempt: a.attempt, at: new Date(a.at).toISOString(), ok: a.ok, detail: a.detail })),
  };
}

/**
 * Send a failed (or waiting) message again now, with a fresh give-up window. A sent message is not
 * re-sent (that would be a duplicate notice) and a drill message is never sent.
 */
export async function retryOutboxMessage(ctx: AppContext, actor: Actor, messageId: string, requestId?: string): Promise<OutboxItem> {
  const item = await ctx.database.db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('org_id', '=', actor.orgId)
      .where('message_id', '=', messageId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new DomainError('NoSuchResourceException', `no outbox message ${messageId}`);
    if (current.status === 'sent') throw new DomainError('InvalidStateException', `message ${messageId} was already delivered; sending it again would duplicate the notice`);
    if (current.status === 'dry_run') throw new DomainError('InvalidStateException', `message ${messageId} belongs to a drill and is never sent`);
    const now = ctx.clock.now();
    const row = (
      await sql<OutboxRow>`UPDATE outbox SET status = 'pending', next_attempt_at = ${now}, window_started_at = NULL
        WHERE org_id = ${actor.orgId} AND message_id = ${messageId} RETURNING ${COLUMNS}`.execute(tx)
    ).rows[0];
    if (!row) throw new DomainError('NoSuchResourceException', `no outbox message ${messageId}`);
    await recordAudit(tx, actor, { action: 'outbox.retry', targetType: 'outbox_message', targetId: messageId, detail: { previousStatus: current.status, lastError: current.last_error }, requestId });
    return toItem(row);
  });
  return item;
}

/** Message counts of one status set. */
export type StatusCounts = Record<OutboxStatus | 'total', number>;

/** Delivery of a case's notices: counts by audience and status, for the recall progress page. */
export interface DeliverySummaryReport {
  readonly caseId: string;
  readonly total: StatusCounts;
  readonly audiences: Readonly<Partial<Record<string, StatusCounts>>>;
  /** Earliest next attempt among pending messages (null when none is pending). */
  readonly nextAttemptAt: string | null;
}

const emptyCounts = (): StatusCounts => ({ pending: 0, sent: 0, failed: 0, dry_run: 0, total: 0 });

/** Counts of a case's messages by audience × status (one indexed query). */
export async function deliverySummary(ctx: AppContext, orgId: string, caseId: string): Promise<DeliverySummaryReport> {
  const rows = await sql<{ audience: string; status: OutboxStatus; n: number; next: Date | null }>`
    SELECT audience, status, count(*)::int AS n, min(next_attempt_at) FILTER (WHERE status = 'pending') AS next
    FROM outbox WHERE org_id = ${orgId} AND case_id = ${caseId} GROUP BY audience, status`.execute(ctx.database.db);
  const total = emptyCounts();
  const audiences: Record<string, StatusCounts> = {};
  let next: number | null = null;
  for (const r of rows.rows) {
    const counts = (audiences[r.audience] ??= emptyCounts());
    counts[r.status] += r.n;
    counts.total += r.n;
    total[r.status] += r.n;
    total.total += r.n;
    if (r.next !== null) next = Math.min(next ?? Infinity, new Date(r.next).getTime());
  }
  return { caseId, total, audiences, nextAttemptAt: next === null ? null : new Date(next).toISOString() };
}

function encodeCursor(t: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: t.toISOString(), id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { t: Date; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    if (typeof c.t === 'string' && typeof c.id === 'string' && !Number.isNaN(Date.parse(c.t))) return { t: new Date(c.t), id: c.id };
  } catch {
    // fall through to the error below
  }
  throw new DomainError('QueryParameterException', 'the cursor is not one this list returned', [{ pointer: '/query/cursor', message: 'use the `next` value of the previous page', rule: 'cursor' }]);
}

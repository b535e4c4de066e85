import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { type RetryPolicy, defaultRetryPolicy, retryDelayMs, windowExhausted } from './backoff.ts';
import type { Audience, Channel, NoticeLang } from './enqueue.ts';
import { DeliveryError, type DeliveryMessage, type Transports, clip } from './transport.ts';

/** How the delivery worker behaves; every field has a default meant for production. */
export interface DeliveryOptions {
  readonly transports: Transports;
  readonly retry?: RetryPolicy;
  /** Milliseconds between two looks at the outbox; null runs only on `runOnce()` and `wake()` (tests). Default 5,000. */
  readonly pollIntervalMs?: number | null;
  /** Most messages claimed per organisation in one go. Default 50. */
  readonly batchSize?: number;
  /** Most sends in flight at once. Default 8. */
  readonly concurrency?: number;
  /**
   * How long a claim holds a message (default 5 min). Longer than any send can take (the transports
   * time out after 10–30 s), so a message is re-claimed only when its worker died mid-send.
   */
  readonly leaseMs?: number;
  /** Randomness of the retry jitter, in [0, 1). */
  readonly random?: () => number;
}

/** What one pass over the outbox did. */
export interface DeliverySummary {
  /** Messages claimed and attempted. */
  readonly attempted: number;
  readonly sent: number;
  /** Failed this time, scheduled again. */
  readonly retrying: number;
  /** Failed for good (a permanent error, or the give-up horizon passed). */
  readonly failed: number;
  /** Due, but their channel cannot send at all (e.g. SMTP not configured): left pending with the reason. */
  readonly waiting: number;
}

/** A running delivery worker. */
export interface DeliveryWorker {
  /** Deliver everything due now; resolves when done. Passes never overlap within one worker. */
  runOnce(): Promise<DeliverySummary>;
  /** Look at the outbox right away (call after committing a decision that enqueued notices). */
  wake(): void;
  /** Stop polling and wait for the pass in progress. Transports are the caller's to close. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  org_id: string;
  message_id: string;
  idempotency_key: string;
  case_id: string | null;
  audience: string;
  channel: Channel;
  recipient: string;
  lang: string;
  subject: string;
  body: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
}

type Outcome = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly permanent: boolean; readonly detail: string };

const CHANNELS: readonly Channel[] = ['email', 'webhook', 'sms'];
const MAX_ROUNDS = 20;

/**
 * Start delivering the outbox. Each pass finds the organisations with due messages, claims a batch per
 * organisation with one `UPDATE … WHERE message_id IN (SELECT … FOR UPDATE SKIP LOCKED)` that moves
 * `next_attempt_at` to the end of a lease (so concurrent workers on PostgreSQL never take the same
 * message, and a message whose worker died is taken again when the lease ends), sends outside any
 * transaction, then records the attempt and the new status in one short transaction.
 *
 * A successful send is recorded as `sent` immediately after the receiver accepted it; the only window in
 * which a message can go out twice is a crash (or lost database) between that acceptance and the record.
 * Receivers drop such a copy by its idempotency key (Message-ID / `Idempotency-Key` header).
 *
 * @example
 * const worker = startDelivery(ctx, { transports });
 * await recordDecision(...); worker.wake();
 */
export function startDelivery(ctx: AppContext, options: DeliveryOptions): DeliveryWorker {
  const policy = options.retry ?? defaultRetryPolicy;
  const batchSize = options.batchSize ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  const pollIntervalMs = options.pollIntervalMs === undefined ? 5_000 : options.pollIntervalMs;
  const db = ctx.database.db;

  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wakePending = false;

  const runOnce = (): Promise<DeliverySummary> => {
    const pass = chain.then(() => deliverDue());
    chain = pass.catch(() => undefined);
    return pass;
  };

  async function deliverDue(): Promise<DeliverySummary> {
    const totals = { attempted: 0, sent: 0, retrying: 0, failed: 0, waiting: 0 };
    const now = ctx.clock.now();
    const available = CHANNELS.filter((c) => options.transports[c].unavailable() === null);
    // Organisations with anything due; the EXISTS probe uses the (org_id, next_attempt_at) index per organisation.
    const orgs = await sql<{ org_id: string }>`
      SELECT o.org_id FROM orgs o
      WHERE EXISTS (SELECT 1 FROM outbox m WHERE m.org_id = o.org_id AND m.status = 'pending' AND m.next_attempt_at <= ${now})
      ORDER BY o.org_id`.execute(db);
    for (const { org_id: orgId } of orgs.rows) {
      totals.waiting += await markWaiting(orgId, now);
      if (available.length === 0) continue;
      for (let round = 0; round < MAX_ROUNDS && !stopped; round++) {
        const claimed = await claim(orgId, available, ctx.clock.now());
        if (claimed.rows.length === 0) break;
        totals.attempted += claimed.rows.length;
        const outcomes = await mapLimited(claimed.rows, concurrency, (row) => attempt(row, claimed.lease));
        for (const o of outcomes) totals[o] += 1;
        if (claimed.rows.length < batchSize) break;
      }
    }
    if (totals.attempted) ctx.logger.info(totals, 'outbox delivery pass');
    return totals;
  }

  /** Due messages of channels that cannot send at all get the reason as their last error, once. */
  async function markWaiting(orgId: string, now: Date): Promise<number> {
    let waiting = 0;
    for (const channel of CHANNELS) {
      const reason = options.transports[channel].unavailable();
      if (reason === null) continue;
      await sql`UPDATE outbox SET last_error = ${reason}
        WHERE org_id = ${orgId} AND status = 'pending' AND channel = ${channel} AND next_attempt_at <= ${now}
          AND last_error IS DISTINCT FROM ${reason}`.execute(db);
      const due = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox
        WHERE org_id = ${orgId} AND status = 'pending' AND channel = ${channel} AND next_attempt_at <= ${now}`.execute(db);
      waiting += due.rows[0]?.n ?? 0;
    }
    return waiting;
  }

  async function claim(orgId: string, channels: readonly Channel[], now: Date): Promise<{ rows: ClaimedRow[]; lease: Date }> {
    const lease = new Date(now.getTime() + leaseMs);
    const result = await sql<ClaimedRow>`
      UPDATE outbox SET next_attempt_at = ${lease}
      WHERE org_id = ${orgId} AND message_id IN (
        SELECT message_id FROM outbox
        WHERE org_id = ${orgId} AND status = 'pending' AND NOT dry_run AND next_attempt_at <= ${now}
          AND channel IN (${sql.join(channels)})
        ORDER BY next_attempt_at, message_id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING org_id, message_id, idempotency_key, case_id, audience, channel, recipient, lang, subject, body, payload, attempts, created_at`.execute(db);
    return { rows: result.rows, lease };
  }

  async function attempt(row: ClaimedRow, lease: Date): Promise<'sent' | 'retrying' | 'failed'> {
    const message: DeliveryMessage = {
      orgId: row.org_id,
      messageId: row.message_id,
      idempotencyKey: row.idempotency_key,
      caseId: row.case_id,
      audience: row.audience as Audience,
      channel: row.channel,
      recipient: row.recipient,
      lang: row.lang as NoticeLang,
      subject: row.subject,
      body: row.body,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
      createdAt: new Date(row.created_at),
      attempt: row.attempts + 1,
    };
    const startedAt = ctx.clock.now();
    let outcome: Outcome;
    try {
      const result = await options.transports[row.channel].send(message);
      outcome = { ok: true, detail: clip(result.detail, 1000) };
    } catch (error) {
      if (!DeliveryError.is(error)) ctx.logger.warn({ err: error, messageId: row.message_id }, 'unexpected error while sending an outbox message');
      outcome = { ok: false, permanent: DeliveryError.is(error) && error.permanent, detail: clip(error instanceof Error ? error.message : String(error), 1000) };
    }
    return record(row, lease, startedAt, outcome);
  }

  /** The attempt row and the message's new status, in one transaction right after the send. */
  async function record(row: ClaimedRow, lease: Date, startedAt: Date, outcome: Outcome): Promise<'sent' | 'retrying' | 'failed'> {
    return db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const current = (
        await sql<{ attempts: number; status: string; next_attempt_at: Date; window_started_at: Date | null }>`
          SELECT attempts, status, next_attempt_at, window_started_at FROM outbox
          WHERE org_id = ${row.org_id} AND message_id = ${row.message_id} FOR UPDATE`.execute(tx)
      ).rows[0];
      if (!current) throw new Error(`outbox message ${row.message_id} vanished`);
      const attemptNo = current.attempts + 1;
      const windowStart = current.window_started_at ? new Date(current.window_started_at) : startedAt;
      // Another worker took the message over after our lease ended: record our attempt, leave its schedule alone.
      const ours = current.status === 'pending' && new Date(current.next_attempt_at).getTime() === lease.getTime();
      let result: 'sent' | 'retrying' | 'failed';
      if (outcome.ok) {
        result = 'sent';
        await sql`UPDATE outbox SET status = 'sent', sent_at = COALESCE(sent_at, ${now}), attempts = ${attemptNo}, last_attempt_at = ${startedAt},
            last_error = NULL, window_started_at = ${windowStart}
          WHERE org_id = ${row.org_id} AND message_id = ${row.message_id}`.execute(tx);
      } else if (!ours) {
        result = current.status === 'sent' ? 'sent' : current.status === 'failed' ? 'failed' : 'retrying';
        await sql`UPDATE outbox SET attempts = ${attemptNo}, last_attempt_at = ${startedAt}
          WHERE org_id = ${row.org_id} AND message_id = ${row.message_id}`.execute(tx);
      } else if (outcome.permanent || windowExhausted(policy, windowStart, now)) {
        result = 'failed';
        const hours = Math.round(policy.giveUpAfterMs / 3_600_000);
        const why = outcome.permanent ? outcome.detail : `gave up after ${hours} h of retries / 重试 ${hours} 小时后放弃: ${outcome.detail}`;
        await sql`UPDATE outbox SET status = 'failed', attempts = ${attemptNo}, last_attempt_at = ${startedAt}, last_error = ${why},
            next_attempt_at = ${now}, window_started_at = ${windowStart}
          WHERE org_id = ${row.org_id} AND message_id = ${row.message_id}`.execute(tx);
      } else {
        result = 'retrying';
        const next = new Date(now.getTime() + retryDelayMs(policy, attemptNo, random));
        await sql`UPDATE outbox SET attempts = ${attemptNo}, last_attempt_at = ${startedAt}, last_error = ${outcome.detail},
            next_attempt_at = ${next}, window_started_at = ${windowStart}
          WHERE org_id = ${row.org_id} AND message_id = ${row.message_id}`.execute(tx);
      }
      await tx
        .insertInto('outbox_attempts')
        .values({ org_id: row.org_id, message_id: row.message_id, attempt: attemptNo, at: startedAt, ok: outcome.ok, detail: outcome.detail })
        .execute();
      return result;
    });
  }

  const schedule = () => {
    if (stopped || pollIntervalMs === null) return;
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .catch((error: unknown) => ctx.logger.error({ err: error }, 'outbox delivery pass failed; retrying at the next poll'))
        .finally(schedule);
    }, pollIntervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    wake() {
      if (stopped || wakePending) return;
      wakePending = true;
      setImmediate(() => {
        wakePending = false;
        if (stopped) return;
        runOnce().catch((error: unknown) => ctx.logger.error({ err: error }, 'outbox delivery pass failed; retrying at the next poll'));
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}

/** `fn` over `items` with at most `limit` in flight, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

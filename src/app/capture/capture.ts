import { type Selectable, sql, type Transaction } from 'kysely';
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import { CHECKPOINT_BLOCK_SIZE, type SignedCheckpoint, createCheckpoint } from '../../core/ledger/checkpoint.ts';
import { entryHash } from '../../core/ledger/entry-hash.ts';
import type { LedgerSigner } from '../../core/ledger/ledger-signer.ts';
import type { CaptureJobsTable, Schema } from '../../store/schema.ts';
import { type Actor, recordAudit } from '../audit.ts';
import { safeText } from '../../core/text-guard.ts';
import type { AppContext } from '../context.ts';
import type { PreparedDocument, RejectedDocument } from './prepare.ts';
import { storeTrace } from '../trace/store-trace.ts';

/** A capture job as the EPCIS REST binding shows it (EPCISCaptureJob), plus Lotline's counts. */
export interface CaptureJob {
  readonly captureID: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly running: boolean;
  readonly success: boolean;
  readonly captureErrorBehaviour: 'rollback';
  readonly errors: readonly ErrorDetail[];
  readonly eventCount: number;
  readonly storedCount: number;
  readonly duplicateCount: number;
}

type Tx = Transaction<Schema>;

/**
 * Store a prepared document atomically: every new event, its ledger entry and index keys, the job
 * record and the audit entry commit together or not at all. Events already stored (same hash ID)
 * are recognised and not stored twice.
 */
export async function storeCapture(ctx: AppContext, signer: LedgerSigner, actor: Actor, prepared: PreparedDocument): Promise<CaptureJob> {
  const captureId = ctx.ids.next('cap');
  const recordTime = ctx.clock.now();
  try {
    const job = await ctx.database.db.transaction().execute(async (tx) => writeCapture(ctx, tx, signer, actor, prepared, captureId, recordTime));
    if (job.storedCount > 0) {
      await ctx.database.noteWrites('epcis_events', job.storedCount);
      // The trace tables grow with the events (a few rows per event): keep their statistics too, or
      // PGlite's planner, which has no autovacuum, scans them.
      for (const table of ['trace_moves', 'trace_units', 'trace_links', 'trace_readings']) await ctx.database.noteWrites(table, job.storedCount);
    }
    return job;
  } catch (error) {
    // A unique eventID violation: explain it after the rollback (the failed transaction cannot be queried).
    if ((error as { code?: string }).code === '23505') throw await eventIdConflict(ctx, actor.orgId, prepared);
    throw error;
  }
}

/**
 * Store a prepared document inside the caller's transaction (the recall workflow records returns and
 * dispositions with the decision that caused them). The caller handles statistics and retries.
 */
export async function writeCapture(ctx: AppContext, tx: Tx, signer: LedgerSigner, actor: Actor, prepared: PreparedDocument, captureId: string, recordTime: Date): Promise<CaptureJob> {
  const head = await sql<{ seq: number; entry_hash: string; checkpointed_seq: number; last_checkpoint_hash: string }>`
    SELECT seq, entry_hash, checkpointed_seq, last_checkpoint_hash FROM ledger_heads WHERE org_id = ${actor.orgId} FOR UPDATE`.execute(tx);
  const h = head.rows[0];
  if (!h) throw new DomainError('NoSuchResourceException', `organisation ${actor.orgId} has no ledger`);

  // Most documents are new: insert optimistically, and only when the unique hash index objects
  // (a re-sent event) roll back to the savepoint and leave out the events already stored.
  await sql`SAVEPOINT capture_insert`.execute(tx);
  let plan = planLedger(actor.orgId, h, prepared, new Set());
  try {
    await insertEvents(tx, actor.orgId, prepared, plan, recordTime, captureId);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await sql`ROLLBACK TO SAVEPOINT capture_insert`.execute(tx);
    plan = planLedger(actor.orgId, h, prepared, await alreadyStored(tx, actor.orgId, prepared));
    await insertEvents(tx, actor.orgId, prepared, plan, recordTime, captureId);
  }
  const storedCount = plan.newHashes.length;
  if (storedCount > 0) await storeTrace(tx, actor.orgId, prepared, plan.seqs);
  if (storedCount > 0) await cutCheckpoints(ctx, tx, signer, actor.orgId, { ...h, seq: h.seq + storedCount }, h.seq, plan.newHashes);

  const duplicateCount = prepared.events.length - storedCount;
  await tx
    .insertInto('capture_jobs')
    .values({
      org_id: actor.orgId,
      capture_id: captureId,
      status: 'success',
      submitted_by: actor.tokenId,
      created_at: recordTime,
      finished_at: recordTime,
      event_count: prepared.events.length,
      stored_count: storedCount,
      duplicate_count: duplicateCount,
      errors: '[]',
      context: JSON.stringify(prepared.context),
    })
    .execute();
  await recordAudit(tx, actor, { action: 'epcis.capture', targetType: 'capture', targetId: captureId, detail: { events: prepared.events.length, stored: storedCount, duplicates: duplicateCount } });
  return {
    captureID: captureId,
    createdAt: recordTime.toISOString(),
    finishedAt: recordTime.toISOString(),
    running: false,
    success: true,
    captureErrorBehaviour: 'rollback',
    errors: [],
    eventCount: prepared.events.length,
    storedCount,
    duplicateCount,
  };
}

/** Keep a record of a rejected capture, so `GET /epcis/capture/{id}` can show its errors. */
export async function recordRejectedCapture(ctx: AppContext, actor: Actor, rejected: RejectedDocument): Promise<string> {
  const captureId = ctx.ids.next('cap');
  const now = ctx.clock.now();
  // Error messages may quote the offending input: keep them storable.
  const errors = rejected.errors.slice(0, 1000).map((e) => ({ ...e, pointer: safeText(e.pointer), message: safeText(e.message) }));
  await ctx.database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('capture_jobs')
      .values({ org_id: actor.orgId, capture_id: captureId, status: 'failed', submitted_by: actor.tokenId, created_at: now, finished_at: now, errors: JSON.stringify(errors), context: null })
      .execute();
    await recordAudit(tx, actor, { action: 'epcis.capture.rejected', targetType: 'capture', targetId: captureId, detail: { code: rejected.code, errors: errors.length, first: errors[0] ?? null } });
  });
  return captureId;
}

/** A capture job of the caller's organisation. */
export async function getCaptureJob(ctx: AppContext, orgId: string, captureId: string): Promise<CaptureJob> {
  const row = await ctx.database.db.selectFrom('capture_jobs').selectAll().where('org_id', '=', orgId).where('capture_id', '=', captureId).executeTakeFirst();
  if (!row) throw new DomainError('NoSuchResourceException', `capture job ${captureId} not found`);
  return toJob(row);
}

/** The organisation's capture jobs, newest first. */
export async function listCaptureJobs(ctx: AppContext, orgId: string, limit: number): Promise<CaptureJob[]> {
  const rows = await ctx.database.db.selectFrom('capture_jobs').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map(toJob);
}

function toJob(row: Selectable<CaptureJobsTable>): CaptureJob {
  return {
    captureID: row.capture_id,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    running: row.status === 'running',
    success: row.status === 'success',
    captureErrorBehaviour: 'rollback',
    errors: row.errors as ErrorDetail[],
    eventCount: row.event_count,
    storedCount: row.stored_count,
    duplicateCount: row.duplicate_count,
  };
}

/** Ledger positions and entry hashes of the events to store (null for events already stored or repeated). */
interface LedgerPlan {
  readonly seqs: readonly (number | null)[];
  readonly entryHashes: readonly (string | null)[];
  readonly newHashes: readonly string[];
}

function planLedger(orgId: string, head: { seq: number; entry_hash: string }, prepared: PreparedDocument, stored: ReadonlySet<string>): LedgerPlan {
  const seqs: (number | null)[] = [];
  const entryHashes: (string | null)[] = [];
  const newHashes: string[] = [];
  const seen = new Set<string>();
  let seq = head.seq;
  let prev = head.entry_hash;
  for (const e of prepared.events) {
    const identity = `${e.hashId}|${e.declaresError}`;
    if (stored.has(identity) || seen.has(identity)) {
      seqs.push(null);
      entryHashes.push(null);
      continue;
    }
    seen.add(identity);
    seq += 1;
    prev = entryHash({ orgId, seq, eventHashId: e.hashId, contentHash: e.contentHash, prevHash: prev });
    seqs.push(seq);
    entryHashes.push(prev);
    newHashes.push(prev);
  }
  return { seqs, entryHashes, newHashes };
}

/** One statement for all the document's new events: rows from the prepared JSON, ledger columns from the plan. */
async function insertEvents(tx: Tx, orgId: string, prepared: PreparedDocument, plan: LedgerPlan, recordTime: Date, captureId: string): Promise<void> {
  if (plan.newHashes.length === 0) return;
  await sql`
    INSERT INTO epcis_events (org_id, seq, event_id, hash_id, declares_error, event_type, event_time, record_time, capture_id, keys, doc, entry_hash)
    SELECT ${orgId}, l.seq, x.event_id, x.hash_id, x.declares_error, x.event_type, x.event_time, ${recordTime}, ${captureId}, x.keys, x.doc, l.entry_hash
    FROM ROWS FROM (jsonb_to_recordset(${prepared.rowsJson}::jsonb)
           AS (event_id text, hash_id text, declares_error boolean, event_type text, event_time timestamptz, keys text[], doc jsonb))
         WITH ORDINALITY AS x(event_id, hash_id, declares_error, event_type, event_time, keys, doc, ord)
    JOIN unnest(${plan.seqs}::bigint[], ${plan.entryHashes}::text[]) WITH ORDINALITY AS l(seq, entry_hash, ord) ON l.ord = x.ord
    WHERE l.seq IS NOT NULL`.execute(tx);
}

async function alreadyStored(tx: Tx, orgId: string, prepared: PreparedDocument): Promise<Set<string>> {
  const hashes = [...new Set(prepared.events.map((e) => e.hashId))];
  // A join on the unnested list makes the planner probe the unique hash index once per hash,
  // even without table statistics (PGlite has no autovacuum).
  const r = await sql<{ hash_id: string; declares_error: boolean }>`
    SELECT e.hash_id, e.declares_error FROM unnest(${hashes}::text[]) AS h(hash_id)
    JOIN epcis_events e ON e.org_id = ${orgId} AND e.hash_id = h.hash_id`.execute(tx);
  return new Set(r.rows.map((row) => `${row.hash_id}|${row.declares_error}`));
}

/** An eventID already used by a different event: name the offending events. */
async function eventIdConflict(ctx: AppContext, orgId: string, prepared: PreparedDocument): Promise<DomainError> {
  const ids = prepared.events.map((e) => e.eventId);
  const taken = await sql<{ event_id: string; hash_id: string; declares_error: boolean }>`
    SELECT coalesce(event_id, hash_id) AS event_id, hash_id, declares_error FROM epcis_events
    WHERE org_id = ${orgId} AND (event_id = ANY(${ids}::text[]) OR (event_id IS NULL AND hash_id = ANY(${ids}::text[])))`.execute(ctx.database.db);
  const byId = new Map(taken.rows.map((r) => [`${r.event_id}|${r.declares_error}`, r.hash_id]));
  const details: ErrorDetail[] = [];
  const firstInDoc = new Map<string, string>();
  for (const e of prepared.events) {
    const key = `${e.eventId}|${e.declaresError}`;
    const storedHash = byId.get(key);
    if (storedHash !== undefined && storedHash !== e.hashId) {
      details.push({ pointer: `${e.pointer}/eventID`, message: `eventID ${e.eventId} is already used by a different event`, rule: 'uniqueEventID' });
    }
    const earlier = firstInDoc.get(key);
    if (earlier !== undefined && earlier !== e.hashId) {
      details.push({ pointer: `${e.pointer}/eventID`, message: `eventID ${e.eventId} appears twice in this document for different events`, rule: 'uniqueEventID' });
    }
    firstInDoc.set(key, e.hashId);
  }
  return new DomainError('ValidationException', 'an eventID is used by two different events; nothing was stored', details);
}

/** Cut signed checkpoints for every full block of CHECKPOINT_BLOCK_SIZE entries. */
async function cutCheckpoints(
  ctx: AppContext,
  tx: Tx,
  signer: LedgerSigner,
  orgId: string,
  head: { seq: number; entry_hash: string; checkpointed_seq: number; last_checkpoint_hash: string },
  oldSeq: number,
  newHashes: readonly string[],
): Promise<void> {
  let checkpointed = head.checkpointed_seq;
  let lastCheckpoint = head.last_checkpoint_hash;
  const newHead = newHashes[newHashes.length - 1] ?? head.entry_hash;
  if (head.seq - checkpointed >= CHECKPOINT_BLOCK_SIZE) {
    const earlier = await sql<{ entry_hash: string }>`
      SELECT entry_hash FROM epcis_events WHERE org_id = ${orgId} AND seq > ${checkpointed} AND seq <= ${oldSeq} ORDER BY seq`.execute(tx);
    const hashes = [...earlier.rows.map((r) => r.entry_hash), ...newHashes];
    let offset = 0;
    while (head.seq - checkpointed >= CHECKPOINT_BLOCK_SIZE) {
      const block = hashes.slice(offset, offset + CHECKPOINT_BLOCK_SIZE);
      const cp = createCheckpoint({ orgId, fromSeq: checkpointed + 1, entryHashes: block, prevCheckpointHash: lastCheckpoint, createdAt: ctx.clock.now() }, signer);
      if (!cp.ok) throw new Error(`cannot cut checkpoint: ${cp.error}`);
      await insertCheckpoint(tx, cp.value);
      checkpointed = cp.value.body.toSeq;
      lastCheckpoint = cp.value.checkpointHash;
      offset += CHECKPOINT_BLOCK_SIZE;
    }
  }
  await sql`UPDATE ledger_heads SET seq = ${head.seq}, entry_hash = ${newHead}, checkpointed_seq = ${checkpointed}, last_checkpoint_hash = ${lastCheckpoint} WHERE org_id = ${orgId}`.execute(tx);
}

/** Store a signed checkpoint. */
export async function insertCheckpoint(tx: Tx, cp: SignedCheckpoint): Promise<void> {
  await tx
    .insertInto('ledger_checkpoints')
    .values({
      org_id: cp.body.orgId,
      to_seq: cp.body.toSeq,
      from_seq: cp.body.fromSeq,
      body: JSON.stringify(cp.body),
      checkpoint_hash: cp.checkpointHash,
      signature: cp.signature,
      key_id: cp.keyId,
      public_key_pem: cp.publicKeyPem,
    })
    .execute();
}

import { sql } from 'kysely';
import { type ChainFailure, type ChainReport, createChainVerifier, describeChainFailure } from '../../core/ledger/chain-verifier.ts';
import { type SignedCheckpoint, createCheckpoint } from '../../core/ledger/checkpoint.ts';
import { contentHash } from '../../core/ledger/content-hash.ts';
import { type InclusionProof, buildInclusionProof } from '../../core/ledger/inclusion-proof.ts';
import type { LedgerSigner } from '../../core/ledger/ledger-signer.ts';
import { ZERO_HASH } from '../../core/ledger/hash-hex.ts';
import { DomainError } from '../../core/errors.ts';
import { insertCheckpoint } from '../capture/capture.ts';
import type { AppContext } from '../context.ts';

/** A chain that disagrees with the head row, which records how long the chain was. */
export interface HeadMismatch {
  readonly kind: 'headMismatch';
  readonly seq: number;
  readonly headSeq: number;
}

/** The outcome of verifying one organisation's ledger. */
export type LedgerVerification =
  | { readonly ok: true; readonly orgId: string; readonly report: ChainReport }
  | { readonly ok: false; readonly orgId: string; readonly firstBadSeq: number; readonly failure: ChainFailure | HeadMismatch; readonly message: string };

const PAGE = 5_000;

/**
 * Re-read every stored event of `orgId` in ledger order, recompute its content hash from the stored
 * document, and check the hash chain and every signed checkpoint. Names the first bad entry.
 */
export async function verifyLedger(ctx: AppContext, signer: LedgerSigner, orgId: string, onProgress?: (seq: number) => void): Promise<LedgerVerification> {
  const cps = await ctx.database.db.selectFrom('ledger_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('from_seq').execute();
  const verifier = createChainVerifier(orgId, {
    checkpoints: cps.map(toSignedCheckpoint),
    trustedKeys: new Map([[signer.keyId, signer.publicKeyPem]]),
  });
  let after = 0;
  let prev = ZERO_HASH;
  for (;;) {
    const rows = await sql<{ seq: number; hash_id: string; doc: unknown; entry_hash: string }>`
      SELECT seq, hash_id, doc, entry_hash FROM epcis_events
      WHERE org_id = ${orgId} AND seq > ${after} ORDER BY seq LIMIT ${PAGE}`.execute(ctx.database.db);
    if (rows.rows.length === 0) break;
    const entries = rows.rows.map((r) => {
      const entry = { seq: r.seq, eventHashId: r.hash_id, contentHash: contentHash(r.doc), storedPrevHash: prev, storedEntryHash: r.entry_hash };
      prev = r.entry_hash;
      return entry;
    });
    const fed = verifier.feed(entries);
    if (!fed.ok) return failed(orgId, fed.error);
    after = rows.rows[rows.rows.length - 1]!.seq;
    onProgress?.(after);
  }
  const head = await sql<{ seq: number; entry_hash: string }>`SELECT seq, entry_hash FROM ledger_heads WHERE org_id = ${orgId}`.execute(ctx.database.db);
  const finished = verifier.finish();
  if (!finished.ok) return failed(orgId, finished.error);
  const h = head.rows[0];
  if (h && (h.seq !== finished.value.lastSeq || (h.seq > 0 && h.entry_hash !== finished.value.headHash))) {
    // The head row remembers how long the chain was: a cut-off tail shows here.
    return {
      ok: false,
      orgId,
      firstBadSeq: finished.value.lastSeq + 1,
      failure: { kind: 'headMismatch', seq: finished.value.lastSeq + 1, headSeq: h.seq },
      message: `the ledger head records ${h.seq} entries, but the chain ends at ${finished.value.lastSeq}: entries were removed from the end`,
    };
  }
  return { ok: true, orgId, report: finished.value };
}

/**
 * An inclusion proof for the event `eventId` that a third party can check offline
 * (scripts/verify-proof.mjs). Entries not yet under a checkpoint get one cut now.
 */
export async function inclusionProof(ctx: AppContext, signer: LedgerSigner, orgId: string, eventId: string): Promise<{ proof: InclusionProof; event: unknown }> {
  const row = await sql<{ seq: number; hash_id: string; doc: unknown; entry_hash: string }>`
    SELECT seq, hash_id, doc, entry_hash FROM epcis_events
    WHERE org_id = ${orgId} AND (event_id = ${eventId} OR hash_id = ${eventId}) ORDER BY declares_error, seq LIMIT 1`.execute(ctx.database.db);
  const e = row.rows[0];
  if (!e) throw new DomainError('NoSuchResourceException', `no event with eventID ${eventId}`);
  await ensureCheckpointed(ctx, signer, orgId, e.seq);
  const cpRow = await ctx.database.db.selectFrom('ledger_checkpoints').selectAll().where('org_id', '=', orgId).where('from_seq', '<=', e.seq).where('to_seq', '>=', e.seq).executeTakeFirstOrThrow();
  const checkpoint = toSignedCheckpoint(cpRow);
  // The block and the entry before it (the previous block's last, for the first entry of a block).
  const from = Math.max(1, checkpoint.body.fromSeq - 1);
  const rows = await sql<{ seq: number; entry_hash: string }>`
    SELECT seq, entry_hash FROM epcis_events WHERE org_id = ${orgId} AND seq BETWEEN ${from} AND ${checkpoint.body.toSeq} ORDER BY seq`.execute(ctx.database.db);
  const block = rows.rows.filter((r) => r.seq >= checkpoint.body.fromSeq);
  const prev = e.seq === 1 ? ZERO_HASH : (rows.rows.find((r) => r.seq === e.seq - 1)?.entry_hash ?? '');
  const proof = buildInclusionProof(
    { orgId, seq: e.seq, eventHashId: e.hash_id, contentHash: contentHash(e.doc), prevHash: prev, entryHash: e.entry_hash },
    block.map((r) => r.entry_hash),
    checkpoint,
  );
  if (!proof.ok) throw new DomainError('InvalidStateException', `the ledger does not prove this event: ${proof.error}; run lotline verify`);
  return { proof: proof.value, event: e.doc };
}

/** The organisation's signed checkpoints, newest first. */
export async function listCheckpoints(ctx: AppContext, orgId: string, limit: number): Promise<SignedCheckpoint[]> {
  const rows = await ctx.database.db.selectFrom('ledger_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('to_seq', 'desc').limit(limit).execute();
  return rows.map(toSignedCheckpoint);
}

/** Cut a checkpoint over every entry after the last one, so that `seq` is covered. */
async function ensureCheckpointed(ctx: AppContext, signer: LedgerSigner, orgId: string, seq: number): Promise<void> {
  await ctx.database.db.transaction().execute(async (tx) => {
    const head = await sql<{ seq: number; checkpointed_seq: number; last_checkpoint_hash: string }>`
      SELECT seq, checkpointed_seq, last_checkpoint_hash FROM ledger_heads WHERE org_id = ${orgId} FOR UPDATE`.execute(tx);
    const h = head.rows[0];
    if (!h || h.checkpointed_seq >= seq) return;
    const rows = await sql<{ entry_hash: string }>`
      SELECT entry_hash FROM epcis_events WHERE org_id = ${orgId} AND seq > ${h.checkpointed_seq} AND seq <= ${h.seq} ORDER BY seq`.execute(tx);
    const cp = createCheckpoint({ orgId, fromSeq: h.checkpointed_seq + 1, entryHashes: rows.rows.map((r) => r.entry_hash), prevCheckpointHash: h.last_checkpoint_hash, createdAt: ctx.clock.now() }, signer);
    if (!cp.ok) throw new Error(`cannot cut checkpoint: ${cp.error}`);
    await insertCheckpoint(tx, cp.value);
    await sql`UPDATE ledger_heads SET checkpointed_seq = ${cp.value.body.toSeq}, last_checkpoint_hash = ${cp.value.checkpointHash} WHERE org_id = ${orgId}`.execute(tx);
  });
}

function toSignedCheckpoint(row: { body: unknown; checkpoint_hash: string; signature: string; key_id: string; public_key_pem: string }): SignedCheckpoint {
  return { body: row.body as SignedCheckpoint['body'], checkpointHash: row.checkpoint_hash, signature: row.signature, keyId: row.key_id, publicKeyPem: row.public_key_pem };
}

function failed(orgId: string, failure: ChainFailure): LedgerVerification {
  // A gap means the entry that should have come next is missing: that entry is the first bad one.
  const firstBadSeq = failure.kind === 'seqGap' ? failure.expectedSeq : failure.seq;
  return { ok: false, orgId, firstBadSeq, failure, message: describeChainFailure(failure) };
}

import { createCheckpoint, type SignedCheckpoint } from './checkpoint.ts';
import type { ChainEntry } from './chain-verifier.ts';
import { contentHash } from './content-hash.ts';
import { ZERO_HASH } from './hash-hex.ts';
import { appendEntry, GENESIS_HEAD, type LedgerEntry } from './ledger-entry.ts';
import type { LedgerSigner } from './ledger-signer.ts';

/** A small EPCIS 2.0 ObjectEvent, different for each `i`, as tests store it. */
export function fixtureEvent(i: number): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: new Date(Date.UTC(2025, 8, 3, 8, 0, i % 60)).toISOString(),
    eventTimeZoneOffset: '+08:00',
    epcList: [`urn:epc:id:sgtin:0614141.107346.${2017 + i}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
    quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200 + i, uom: 'KGM' }],
    'example:note': '星辰月饼 batch',
  };
}

/** A chain of `count` fixture events for `orgId`, cut into checkpoints of the given block sizes (the rest stays uncheckpointed). */
export function fixtureLedger(orgId: string, count: number, blockSizes: readonly number[], signer: LedgerSigner) {
  const docs = Array.from({ length: count }, (_, i) => fixtureEvent(i + 1));
  const entries: LedgerEntry[] = [];
  let head = GENESIS_HEAD;
  for (const [i, doc] of docs.entries()) {
    const entry = appendEntry(orgId, head, `ni:///sha-256;${String(i + 1).padStart(64, '0')}?ver=CBV2.0`, doc);
    entries.push(entry);
    head = entry;
  }
  const checkpoints: SignedCheckpoint[] = [];
  let fromSeq = 1;
  let prevCheckpointHash = ZERO_HASH;
  for (const size of blockSizes) {
    const block = entries.slice(fromSeq - 1, fromSeq - 1 + size).map((e) => e.entryHash);
    const cut = createCheckpoint({ orgId, fromSeq, entryHashes: block, prevCheckpointHash, createdAt: new Date(Date.UTC(2025, 8, 3, 9, 0, checkpoints.length)) }, signer);
    if (!cut.ok) throw new Error(cut.error);
    checkpoints.push(cut.value);
    prevCheckpointHash = cut.value.checkpointHash;
    fromSeq += size;
  }
  return { docs, entries, checkpoints };
}

/** The chain verifier's view of stored rows: content hashes recomputed from the documents. */
export function chainRows(entries: readonly LedgerEntry[], docs: readonly unknown[]): ChainEntry[] {
  return entries.map((e, i) => ({
    seq: e.seq,
    eventHashId: e.eventHashId,
    contentHash: contentHash(docs[i]),
    storedPrevHash: e.prevHash,
    storedEntryHash: e.entryHash,
  }));
}

/** Every copy of `text` with exactly one bit flipped, decoded as UTF-8 (a flip may break the encoding: that is a change too). */
export function* singleBitFlips(text: string): Generator<{ at: number; bit: number; text: string }> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at++) {
    for (let bit = 0; bit < 8; bit++) {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 1 << bit;
      yield { at, bit, text: copy.toString('utf8') };
    }
  }
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { contentHash } from './content-hash.ts';
import { entryHash, GENESIS_PREV_HASH } from './entry-hash.ts';
import { appendEntry, GENESIS_HEAD } from './ledger-entry.ts';

// Expected values computed outside this code base (Python hashlib and json.dumps(sort_keys=True, separators=(',', ':'))).
const doc = { type: 'ObjectEvent', eventTime: '2025-09-03T08:00:00.000Z', action: 'OBSERVE', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], bizStep: 'shipping', quantity: 1.5, note: '星辰月饼' };
const docContentHash = 'a7039826be835ebb76d4dc7bbc0fdc782830949f982e2d285eac6c726ebf7faf';
const entry1Hash = '223a6002c36a67e52070b350fcc9008c1c00f0f2a20e5b0b1022bf79fb10202d';
const entry2Hash = '5bafcc558e24c4ed96baa9b740e680282184fc583f2b8f984406ec877d1ad4b5';

describe('contentHash and entryHash', () => {
  it('hash the canonical JSON of the document', () => {
    expect(canonicalJson(doc)).toBe('{"action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sgtin:0614141.107346.2017"],"eventTime":"2025-09-03T08:00:00.000Z","note":"星辰月饼","quantity":1.5,"type":"ObjectEvent"}');
    expect(contentHash(doc)).toBe(docContentHash);
  });

  it('hash the documented line format', () => {
    expect(GENESIS_PREV_HASH).toBe('0'.repeat(64));
    const parts = { orgId: 'org-1', seq: 1, eventHashId: 'ni:///sha-256;0a1b2c?ver=CBV2.0', contentHash: docContentHash, prevHash: GENESIS_PREV_HASH };
    expect(entryHash(parts)).toBe(entry1Hash);
    const preimage = `lotline-ledger-v1\norg-1\n1\nni:///sha-256;0a1b2c?ver=CBV2.0\n${docContentHash}\n${'0'.repeat(64)}`;
    expect(entryHash(parts)).toBe(createHash('sha256').update(preimage, 'utf8').digest('hex'));
  });

  it('appendEntry chains from the head', () => {
    const first = appendEntry('org-1', GENESIS_HEAD, 'ni:///sha-256;0a1b2c?ver=CBV2.0', doc);
    expect(first).toEqual({ orgId: 'org-1', seq: 1, eventHashId: 'ni:///sha-256;0a1b2c?ver=CBV2.0', contentHash: docContentHash, prevHash: GENESIS_PREV_HASH, entryHash: entry1Hash });
    const second = appendEntry('org-1', first, 'ni:///sha-256;0a1b2d?ver=CBV2.0', { ...doc });
    expect(second.seq).toBe(2);
    expect(second.entryHash).toBe(entry2Hash);
  });

  it('refuses parts that would make the line format ambiguous or malformed', () => {
    const parts = { orgId: 'org-1', seq: 1, eventHashId: 'ni:///x', contentHash: docContentHash, prevHash: GENESIS_PREV_HASH };
    expect(() => entryHash({ ...parts, orgId: 'org\n2' })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, eventHashId: 'a\nb' })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, orgId: '' })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, seq: 0 })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, seq: 1.5 })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, contentHash: docContentHash.toUpperCase() })).toThrow(RangeError);
    expect(() => entryHash({ ...parts, prevHash: 'ab' })).toThrow(RangeError);
  });
});

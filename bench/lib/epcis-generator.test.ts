import { describe, expect, it } from 'vitest';
import { prepareCapture } from '../../src/app/capture/prepare.ts';
import { canonicalDigitalLink } from '../../src/core/epcis/event-hash.ts';
import { parseGtin, parseSscc } from '../../src/core/gs1/keys.ts';
import { BakeryEventKind, type JsonObject, createBakeryGenerator } from './epcis-generator.ts';

const eventsOf = (doc: JsonObject): JsonObject[] => ((doc.epcisBody as JsonObject).eventList as JsonObject[]);

describe('bakery EPCIS generator', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    const a = JSON.stringify(createBakeryGenerator({ seed: 7 }).document(300));
    const b = JSON.stringify(createBakeryGenerator({ seed: 7 }).document(300));
    const c = JSON.stringify(createBakeryGenerator({ seed: 8 }).document(300));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('makes documents that the capture path accepts, with no event repeated', () => {
    const gen = createBakeryGenerator({ seed: 1 });
    const hashIds = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const outcome = prepareCapture(JSON.stringify(gen.document(1000)), 'document', 50_000);
      expect(outcome.ok ? [] : outcome.errors).toEqual([]);
      if (outcome.ok) for (const e of outcome.events) hashIds.add(e.hashId);
    }
    expect(hashIds.size).toBe(4000);
  });

  it('mixes every kind of event, with unit-level sales the most common and transformations rare', () => {
    const gen = createBakeryGenerator({ seed: 3 });
    const events = gen.events(20_000);
    const counts = gen.counts();
    for (const kind of BakeryEventKind.all) expect(counts[kind], kind).toBeGreaterThan(0);
    const classified = Object.fromEntries(BakeryEventKind.all.map((k) => [k, 0])) as Record<BakeryEventKind, number>;
    for (const e of events) classified[BakeryEventKind.of(e)]++;
    expect(classified).toEqual(counts);
    const total = BakeryEventKind.all.reduce((s, k) => s + counts[k], 0);
    expect(total).toBe(20_000);
    expect(counts.retailSelling / total).toBeGreaterThan(0.5);
    expect(counts.production / total).toBeLessThan(0.01);
    expect(counts.shipping).toBe(counts.storeReceiving);
  });

  it('uses GS1 keys with valid check digits, in EPC URN and Digital Link form', () => {
    const events = createBakeryGenerator({ seed: 5, digitalLinkShare: 0.5 }).events(3000);
    const ids = events.flatMap((e) => [
      ...((e.epcList as string[] | undefined) ?? []),
      ...((e.childEPCs as string[] | undefined) ?? []),
      ...(typeof e.parentID === 'string' ? [e.parentID] : []),
    ]);
    expect(ids.some((id) => id.startsWith('https://'))).toBe(true);
    expect(ids.some((id) => id.startsWith('urn:epc:id:sgtin:'))).toBe(true);
    for (const id of ids) {
      const link = canonicalDigitalLink(id);
      expect(link, id).not.toBeNull();
      const gtin = /\/01\/(\d{14})\//.exec(link ?? '')?.[1];
      const sscc = /\/00\/(\d{18})$/.exec(link ?? '')?.[1];
      if (gtin !== undefined) expect(parseGtin(gtin).ok, id).toBe(true);
      else expect(sscc !== undefined && parseSscc(sscc).ok, id).toBe(true);
    }
  });

  it('sells only units that a store has received', () => {
    const events = createBakeryGenerator({ seed: 9 }).events(5000);
    const packed = new Map<string, readonly string[]>();
    const inStore = new Set<string>();
    for (const e of events) {
      if (e.bizStep === 'packing') packed.set(e.parentID as string, e.childEPCs as string[]);
      if (e.bizStep === 'receiving' && e.type === 'ObjectEvent' && e.epcList) {
        for (const sscc of e.epcList as string[]) for (const unit of packed.get(sscc) ?? []) inStore.add(unit);
      }
      if (e.bizStep === 'retail_selling') {
        const [unit] = e.epcList as string[];
        expect(inStore.has(unit as string), unit).toBe(true);
        inStore.delete(unit as string);
      }
    }
  });
});

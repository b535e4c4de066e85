import { describe, expect, it } from 'vitest';
import { canonicalDigitalLink } from '../../src/core/epcis/hash/canonical-digital-link.ts';
import { validateEpcisDocument } from '../../src/core/epcis/validate.ts';
import { parseAnyCode, toCanonicalDigitalLink } from '../../src/core/gs1/any-code.ts';
import { parseGln, parseGtin } from '../../src/core/gs1/keys.ts';
import { cherryBlossom } from '../../src/demo/cherry-blossom.ts';
import type { Json, JsonObject } from '../../src/demo/documents.ts';
import { giaiLink, giaiUrn, gln, graiLink, graiUrn, lgtinUrn, lotLink, pglnLink, pglnUrn, sglnLink, sglnUrn, ssccLink, ssccUrn, sgtinUrn, tradeItem, unitLink } from '../../src/demo/keys.ts';
import { mooncake } from '../../src/demo/mooncake.ts';
import { CO_EXPOSURE_RULES, type Scenario, scopeMembership } from '../../src/demo/scenario.ts';

const scenarios: readonly Scenario[] = [mooncake, cherryBlossom];

const events = (s: Scenario): JsonObject[] => s.documents.flatMap((d) => ((d.epcisBody as JsonObject).eventList as JsonObject[]));

/** Every identifier an event names: EPCs, classes, parents, places, parties, vehicles. */
function identifiers(e: JsonObject): string[] {
  const out: string[] = [];
  const list = (v: Json | undefined): void => {
    if (Array.isArray(v)) for (const x of v) out.push(typeof x === 'string' ? x : String((x as JsonObject).epcClass));
  };
  for (const k of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList', 'quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']) list(e[k]);
  for (const k of ['parentID', 'lotline:vehicle']) if (typeof e[k] === 'string') out.push(e[k]);
  for (const k of ['readPoint', 'bizLocation']) if (e[k]) out.push(String((e[k] as JsonObject).id));
  for (const s of (e.sourceList as JsonObject[] | undefined) ?? []) out.push(String(s.source));
  for (const d of (e.destinationList as JsonObject[] | undefined) ?? []) out.push(String(d.destination));
  return out;
}

describe('key builders', () => {
  it('give the canonical Digital Link of each EPC URN they build', () => {
    const item = tradeItem('6901234', '56789');
    expect(item.gtin).toBe('06901234567892');
    const place = gln('6901234', '10001');
    const pairs: [string, string][] = [
      [sgtinUrn(item, '1010001'), unitLink(item, '1010001')],
      [lgtinUrn(item, '250905-B-AM-002'), lotLink(item, '250905-B-AM-002')],
      [sglnUrn(place), sglnLink(place)],
      [sglnUrn(place, 'VAN01'), sglnLink(place, 'VAN01')],
      [pglnUrn(place), pglnLink(place)],
      [ssccUrn('6901234', 0, 3001), ssccLink('6901234', 0, 3001)],
      [ssccUrn('6901234', 1, 1), ssccLink('6901234', 1, 1)],
      [graiUrn('6937712', '00101', '1001'), graiLink('6937712', '00101', '1001')],
      [giaiUrn('6937712', 'VAN02'), giaiLink('6937712', 'VAN02')],
    ];
    for (const [urn, link] of pairs) expect(canonicalDigitalLink(urn)).toBe(link);
  });
});

describe.each(scenarios)('$name fixtures', (s) => {
  it('are EPCISDocuments that pass validation, each under a few thousand events', () => {
    for (const [i, doc] of s.documents.entries()) {
      const r = validateEpcisDocument(doc);
      expect(r.ok ? [] : r.error, `document ${i}`).toEqual([]);
      expect(((doc.epcisBody as JsonObject).eventList as Json[]).length).toBeLessThanOrEqual(3000);
    }
  });

  it('are in capture order: event times never go back within or across documents', () => {
    const times = events(s).map((e) => Date.parse(String(e.eventTime)));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });

  it('name everything with valid GS1 keys', () => {
    const seen = new Set(events(s).flatMap(identifiers));
    for (const id of seen) expect(canonicalDigitalLink(id), id).not.toBeNull();
    for (const p of s.masterData.products) expect(parseGtin(String(p.gtin)).ok, String(p.gtin)).toBe(true);
    for (const rec of [...s.masterData.locations, ...s.masterData.parties]) if (rec.gln !== undefined) expect(parseGln(String(rec.gln)).ok, String(rec.gln)).toBe(true);
  });

  it('have query codes that resolve to the suspect unit and batch', () => {
    const qr = parseAnyCode(s.codes.unitQr);
    expect(qr.ok && qr.value.kind).toBe('gtin');
    // The QR carries the lot beside the serial; the unit's key (what events index) is GTIN + serial.
    expect(qr.ok && toCanonicalDigitalLink(qr.value)).toMatchObject({ ok: true, value: expect.stringContaining(`/10/${s.expected.upstream.batch.lotNumber}/21/`) });
    expect(canonicalDigitalLink(s.codes.unitQr)).toBe(s.expected.upstream.unit);
    expect(canonicalDigitalLink(s.codes.batchLgtin)).toBe(s.codes.batchLink);
    expect(s.codes.batchLink).toBe(s.expected.downstream.lot);
  });

  it('expect lots that exist, and keep out-of-scope lots out of every rule', () => {
    const produced = new Set(
      events(s)
        .filter((e) => e.type === 'TransformationEvent')
        .map((e) => {
          const out = (e.outputQuantityList as JsonObject[] | undefined)?.[0]?.epcClass;
          if (typeof out === 'string') return canonicalDigitalLink(out);
          const unit = canonicalDigitalLink(String((e.outputEPCList as string[])[0]));
          return unit?.replace(/\/21\/.*$/, `/10/${String((e.ilmd as JsonObject)['cbvmda:lotNumber'])}`);
        }),
    );
    const members = scopeMembership(s.expected.scope);
    expect(members.has(s.expected.scope.lot)).toBe(false);
    for (const lot of [...members.keys(), ...Object.keys(s.expected.scope.outOfScope), s.expected.scope.lot]) expect(produced.has(lot), lot).toBe(true);
    for (const lot of Object.keys(s.expected.scope.outOfScope)) expect(members.has(lot), lot).toBe(false);
    for (const rule of CO_EXPOSURE_RULES) expect(s.expected.scope.byRule[rule].length, rule).toBeGreaterThan(0);
  });

  it('expect a mass balance that closes: everything produced is sold, pulled, destroyed or on hand', () => {
    const m = s.expected.massBalance;
    expect(m.sold + m.returned + m.destroyed + m.disposed + m.wasted + m.onHand + m.inTransit).toBe(m.produced);
    expect(Object.values(m.locations).every((r) => r.onHand >= 0)).toBe(true);
    const stores = Object.values(s.expected.downstream.stores);
    expect(stores.reduce((n, r) => n + r.received, 0)).toBe(m.produced);
    expect([...new Set(stores.map((r) => r.city))].sort()).toEqual([...s.expected.downstream.cities].sort());
  });
});

describe('the seeds, as told', () => {
  it('月华坊: 2,000 boxes of 250905-B-AM-002 went to exactly 35 stores in exactly 3 cities', () => {
    const d = mooncake.expected.downstream;
    expect(mooncake.expected.massBalance.produced).toBe(2000);
    expect(Object.keys(d.stores)).toHaveLength(35);
    expect(d.cities).toHaveLength(3);
    expect(mooncake.expected.upstream.rawLots).toHaveProperty([lotLink(tradeItem('6978905', '90011'), 'HX250901-07')]);
  });

  it('时光印记: 251203-SS-PM-002 from LOT25S-45, 24 pieces to 城市书房, 18 sold', () => {
    const cityStudy = Object.values(cherryBlossom.expected.downstream.stores).find((r) => r.nameZh === '城市书房');
    expect(cherryBlossom.expected.upstream.batch).toMatchObject({ lotNumber: '251203-SS-PM-002', operators: ['WANG-03'], equipment: ['OVEN-03'], shift: 'PM' });
    expect(Object.values(cherryBlossom.expected.upstream.rawLots).map((r) => r.lotNumber)).toContain('LOT25S-45');
    expect(cityStudy).toMatchObject({ received: 24, sold: 18, onHand: 6 });
  });
});

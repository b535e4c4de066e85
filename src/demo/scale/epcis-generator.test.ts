import { describe, expect, it } from 'vitest';
import { prepareCapture } from '../../app/capture/prepare.ts';
import { canonicalDigitalLink } from '../../core/epcis/event-hash.ts';
import { entities, type EntityKind } from '../../app/master-data/definitions.ts';
import { validateRecord } from '../../app/master-data/validate-record.ts';
import { validateEpcisDocument } from '../../core/epcis/validate.ts';
import { withCheckDigit } from '../../core/gs1/check-digit.ts';
import { parseGtin, parseSscc } from '../../core/gs1/keys.ts';
import { BAKERY_CONTEXT, BakeryEventKind, type JsonObject, createBakeryGenerator } from './epcis-generator.ts';


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
    for (const kind of BakeryEventKind.all) {
      if (BakeryEventKind.inWorld('capture').includes(kind)) expect(counts[kind], kind).toBeGreaterThan(0);
      else expect(counts[kind], kind).toBe(0);
    }
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

describe('bakery EPCIS generator, trace world', () => {
  const traceEvents = (seed: number, count: number): { gen: ReturnType<typeof createBakeryGenerator>; events: JsonObject[] } => {
    const gen = createBakeryGenerator({ seed, world: 'trace' });
    return { gen, events: gen.events(count) };
  };

  it('is deterministic for a seed, samples included, and differs between seeds', () => {
    const a = createBakeryGenerator({ seed: 11, world: 'trace' });
    const b = createBakeryGenerator({ seed: 11, world: 'trace' });
    const c = createBakeryGenerator({ seed: 12, world: 'trace' });
    const docA = JSON.stringify(a.document(3000));
    expect(JSON.stringify(b.document(3000))).toBe(docA);
    expect(JSON.stringify(c.document(3000))).not.toBe(docA);
    expect(b.samples()).toEqual(a.samples());
    expect(b.stats()).toEqual(a.stats());
    expect(JSON.stringify(b.masterData())).toBe(JSON.stringify(a.masterData()));
  });

  it('makes documents that pass validateEpcisDocument and the capture path, with no event repeated', () => {
    const gen = createBakeryGenerator({ seed: 2, world: 'trace' });
    const hashIds = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const doc = gen.document(2000);
      const validated = validateEpcisDocument(doc);
      expect(validated.ok ? [] : validated.error).toEqual([]);
      const outcome = prepareCapture(JSON.stringify(doc), 'document', 50_000);
      expect(outcome.ok ? [] : outcome.errors).toEqual([]);
      if (outcome.ok) for (const e of outcome.events) hashIds.add(e.hashId);
    }
    expect(hashIds.size).toBe(6000);
  });

  it('has every kind of event, sales most common, and returns, destruction and non-conformant QC rare', () => {
    // Four days: long enough for the shortest shelf life (egg tarts, 2 days) to expire in some stores.
    const { gen, events } = traceEvents(3, 150_000);
    const counts = gen.counts();
    const classified = Object.fromEntries(BakeryEventKind.all.map((k) => [k, 0])) as Record<BakeryEventKind, number>;
    for (const e of events) classified[BakeryEventKind.of(e)]++;
    expect(classified).toEqual(counts);
    for (const kind of BakeryEventKind.inWorld('trace')) expect(counts[kind], kind).toBeGreaterThan(0);
    expect(counts.retailSelling / events.length).toBeGreaterThan(0.6);
    expect(counts.storeReturn / counts.retailSelling).toBeLessThan(0.01);
    expect(counts.destruction / counts.retailSelling).toBeLessThan(0.02);
    const inspections = events.filter((e) => e.bizStep === 'inspecting');
    const failed = inspections.filter((e) => e.disposition === 'non_conformant').length;
    expect(inspections.every((e) => e.disposition === 'conformant' || e.disposition === 'non_conformant')).toBe(true);
    expect(failed / inspections.length).toBeLessThan(0.05);
    const alarms = events.filter((e) => e.bizStep === 'sensor_reporting' && e.epcList === undefined && JSON.stringify(e).includes('ALARM_CONDITION'));
    expect(alarms.length).toBeGreaterThan(0);
  });

  it('puts line, shift, operator, equipment and session on production under the declared bakery: prefix', () => {
    const { events } = traceEvents(4, 20_000);
    const productions = events.filter((e) => e.type === 'TransformationEvent');
    expect(productions.length).toBeGreaterThan(10);
    expect(Object.keys(BAKERY_CONTEXT[1] as JsonObject)).toContain('bakery');
    for (const p of productions) {
      expect(p['bakery:line']).toMatch(/^SH-L[123]$/);
      expect(['AM', 'PM', 'NT']).toContain(p['bakery:shift']);
      expect((p['bakery:operator'] as string[]).length).toBeGreaterThan(0);
      const [oven, sealer, ...rest] = p['bakery:equipment'] as string[];
      expect(oven).toMatch(/^OVEN-L[123]-[AB]$/);
      expect(sealer).toMatch(/^SEALER-[12]$/);
      expect(rest).toEqual([]);
      expect(p['bakery:session']).toBe(`${(p.ilmd as JsonObject)['cbvmda:lotNumber']}`.slice(0, 6) + `-${p['bakery:line']}-${p['bakery:shift']}`);
      expect((p.bizTransactionList as JsonObject[])[0]?.type).toBe('prodorder');
    }
  });

  it('uses valid GS1 keys, and labels that carry their lot', () => {
    const { events } = traceEvents(5, 20_000);
    const ids = events.flatMap((e) => [
      ...((e.epcList as string[] | undefined) ?? []),
      ...((e.childEPCs as string[] | undefined) ?? []),
      ...(typeof e.parentID === 'string' ? [e.parentID] : []),
    ]);
    const classes = events.flatMap((e) => ['quantityList', 'inputQuantityList', 'outputQuantityList'].flatMap((k) => ((e[k] as JsonObject[] | undefined) ?? []).map((q) => q.epcClass as string)));
    expect(classes.length).toBeGreaterThan(0);
    for (const id of [...ids, ...classes]) {
      const link = canonicalDigitalLink(id);
      expect(link, id).not.toBeNull();
      const gtin = /\/01\/(\d{14})\//.exec(link ?? '')?.[1];
      const sscc = /\/00\/(\d{18})$/.exec(link ?? '')?.[1];
      if (gtin !== undefined) expect(parseGtin(gtin).ok, id).toBe(true);
      else expect(sscc !== undefined && parseSscc(sscc).ok, id).toBe(true);
    }
    const links = ids.filter((id) => id.startsWith('https://qr.'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/\/01\/\d{14}\/10\/\d{6}-[A-Z]{2}-(AM|PM|NT)-\d{3}\/21\/\d{10}$/);
  });

  it('moves pallets through a regional warehouse, and sells, returns or destroys only units a store received', () => {
    const { gen, events } = traceEvents(9, 40_000);
    const packed = new Map<string, readonly string[]>();
    const pallets = new Map<string, readonly string[]>();
    const palletStep = new Map<string, string>();
    const atStore = new Map<string, string>();
    for (const e of events) {
      if (e.type === 'AggregationEvent' && e.action === 'ADD') {
        const children = e.childEPCs as string[];
        if (children[0]?.startsWith('urn:epc:id:sscc:')) {
          pallets.set(e.parentID as string, children);
          palletStep.set(e.parentID as string, 'packed');
        } else packed.set(e.parentID as string, children);
      }
      if (e.type === 'AggregationEvent' && e.action === 'DELETE') {
        expect(palletStep.get(e.parentID as string)).toBe('received');
        expect(e.childEPCs).toEqual(pallets.get(e.parentID as string));
        palletStep.set(e.parentID as string, 'unpacked');
      }
      const list = (e.epcList as string[] | undefined) ?? [];
      if (e.bizStep === 'shipping' && e.disposition === 'in_transit' && pallets.has(list[0] as string)) {
        expect(palletStep.get(list[0] as string)).toBe('packed');
        expect(e['bakery:vehicle']).toMatch(/TRK\d{3}$/);
        palletStep.set(list[0] as string, 'shipped');
      }
      if (e.bizStep === 'receiving' && e.disposition === 'sellable_not_accessible') {
        expect(palletStep.get(list[0] as string)).toBe('shipped');
        palletStep.set(list[0] as string, 'received');
      }
      if (e.bizStep === 'receiving' && e.disposition === 'sellable_accessible') {
        const store = (e.bizLocation as JsonObject).id as string;
        for (const sscc of list) for (const unit of packed.get(sscc) ?? []) atStore.set(unit, store);
      }
      const [unit] = list;
      const takenOff = e.bizStep === 'retail_selling' || e.disposition === 'returned' || (e.bizStep === 'destroying' && e.epcList !== undefined);
      if (takenOff) {
        const store = atStore.get(unit as string);
        expect(store, unit).toBeDefined();
        const where = e.disposition === 'returned' ? (e.sourceList as JsonObject[])[0]?.source : (e.bizLocation as JsonObject).id;
        expect(where).toBe(store);
        atStore.delete(unit as string);
      }
    }
    expect([...palletStep.values()].filter((s) => s === 'unpacked').length).toBeGreaterThan(0);
    expect(gen.stats().storesReached).toBeGreaterThan(200);
  });

  it('samples codes that emitted events carry', () => {
    const gen = createBakeryGenerator({ seed: 6, world: 'trace', sampleSize: 50 });
    const text = JSON.stringify(gen.events(20_000));
    const s = gen.samples();
    expect(s.units).toHaveLength(50);
    expect(s.batchLots.length).toBeGreaterThan(10);
    expect(s.rawLots.length).toBeGreaterThan(5);
    for (const u of s.units) expect(text.includes(`"${u}"`), u).toBe(true);
    for (const lot of [...s.batchLots, ...s.rawLots]) {
      const lotNumber = decodeURIComponent(/\/10\/([^/]+)$/.exec(lot)?.[1] ?? '');
      expect(text.includes(`"cbvmda:lotNumber":"${lotNumber}"`), lot).toBe(true);
    }
    expect(s.products.map((p) => p.gtin).every((g) => parseGtin(g).ok)).toBe(true);
  });

  it('has master data valid for the master-data API, with 300+ stores in about 50 cities, naming every place, vehicle, device and product the events use', () => {
    const gen = createBakeryGenerator({ seed: 13, world: 'trace' });
    const events = gen.events(30_000);
    const md = gen.masterData();
    const seen = new Map<EntityKind, Set<string>>();
    for (const kind of ['parties', 'locations', 'equipment', 'operators', 'products'] as const) {
      const spec = entities[kind];
      const ids = new Set<string>();
      for (const [i, row] of md[kind].entries()) {
        const checked = validateRecord(spec, row, { source: 'json', partial: false, pointer: (f) => `/${kind}/${i}/${f}` });
        expect(checked.ok ? [] : checked.error, `${kind} ${JSON.stringify(row)}`).toEqual([]);
        // References point at rows already given (so rows can be created in order).
        for (const f of spec.fields) {
          if (f.type.kind !== 'ref' || row[f.name] === undefined) continue;
          const target = f.type.entity === kind ? ids : seen.get(f.type.entity);
          expect(target?.has(row[f.name] as string), `${kind}.${f.name} → ${String(row[f.name])}`).toBe(true);
        }
        ids.add(row[spec.idField] as string);
      }
      expect(ids.size).toBe(md[kind].length);
      seen.set(kind, ids);
    }
    const stores = md.locations.filter((l) => l.type === 'store');
    expect(stores.length).toBeGreaterThanOrEqual(300);
    for (const s of stores) expect(typeof s.city === 'string' && typeof s.region === 'string', String(s.locationId)).toBe(true);
    expect(new Set(stores.map((s) => s.city)).size).toBeGreaterThanOrEqual(45);
    expect(md.locations.some((l) => l.type === 'warehouse')).toBe(true);
    expect(md.locations.filter((l) => l.type === 'vehicle').length).toBeGreaterThan(10);

    const placeKey = (urn: string): string => {
      const m = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(urn);
      if (!m) return urn;
      return `${withCheckDigit(`${m[1]}${m[2]}`)}|${m[3] === '0' ? '' : m[3]}`;
    };
    const knownPlaces = new Set(md.locations.filter((l) => l.gln !== undefined).map((l) => `${l.gln}|${(l.glnExtension as string | undefined) ?? ''}`));
    const knownEpcs = new Set([...md.locations, ...md.equipment].map((r) => (r.attributes as Record<string, unknown> | undefined)?.epc).filter((x): x is string => typeof x === 'string'));
    const gtins = new Set(md.products.map((p) => p.gtin));
    for (const e of events) {
      const places = [
        (e.bizLocation as JsonObject | undefined)?.id,
        ...((e.sourceList as JsonObject[] | undefined) ?? []).filter((s) => s.type === 'location').map((s) => s.source),
        ...((e.destinationList as JsonObject[] | undefined) ?? []).filter((s) => s.type === 'location').map((s) => s.destination),
      ].filter((p): p is string => typeof p === 'string');
      for (const p of places) expect(knownPlaces.has(placeKey(p)), p).toBe(true);
      if (typeof e['bakery:vehicle'] === 'string') expect(knownEpcs.has(e['bakery:vehicle']), e['bakery:vehicle']).toBe(true);
      for (const s of (e.sensorElementList as JsonObject[] | undefined) ?? []) expect(knownEpcs.has((s.sensorMetadata as JsonObject).deviceID as string)).toBe(true);
      if (e.type === 'TransformationEvent') {
        for (const eq of e['bakery:equipment'] as string[]) expect(seen.get('equipment')?.has(eq), eq).toBe(true);
        for (const op of e['bakery:operator'] as string[]) expect(seen.get('operators')?.has(op), op).toBe(true);
        expect(seen.get('locations')?.has(e['bakery:line'] as string)).toBe(true);
      }
      for (const k of ['quantityList', 'inputQuantityList', 'outputQuantityList']) {
        for (const q of (e[k] as JsonObject[] | undefined) ?? []) expect(gtins.has(/\/01\/(\d{14})/.exec(canonicalDigitalLink(q.epcClass as string) ?? '')?.[1]), String(q.epcClass)).toBe(true);
      }
    }
  });
});

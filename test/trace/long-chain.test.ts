import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceCode } from '../../src/app/trace/trace.ts';
import { type TestApp, startTestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

/** A sourdough starter fed every day for 200 days: each feeding is a transformation of yesterday's starter. */
const DAYS = 200;
const starter = (d: number) => `urn:epc:class:lgtin:6901234.030006.S${d}`;
const day = (d: number) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().replace('Z', '+00:00');
const chain = JSON.stringify({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: day(DAYS),
  epcisBody: {
    eventList: Array.from({ length: DAYS }, (_, i) => ({
      type: 'TransformationEvent',
      eventTime: day(i + 1),
      eventTimeZoneOffset: '+00:00',
      inputQuantityList: [{ epcClass: starter(i), quantity: 1, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: starter(i + 1), quantity: 2, uom: 'KGM' }],
      bizStep: 'creating_class_instance',
    })),
  },
});

describe.each(testEngines())('a long production chain on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth(), 'content-type': 'application/ld+json' }, payload: chain });
    expect(res.statusCode, res.body).toBe(202);
  });
  afterAll(async () => t?.close());

  it('is walked to its end in both directions, however many steps it has', async () => {
    const down = await traceCode(t.ctx, 'acme', { code: starter(0), direction: 'downstream' });
    expect(down.truncated).toBe(false);
    expect(down.nodes.filter((n) => n.kind === 'lot')).toHaveLength(DAYS + 1);
    expect(down.nodes.find((n) => n.lot === `S${DAYS}`)?.depth).toBe(2 * DAYS);
    const up = await traceCode(t.ctx, 'acme', { code: starter(DAYS), direction: 'upstream' });
    expect(up.rawLots.map((l) => l.lotNumber)).toEqual(['S0']);
  });
});

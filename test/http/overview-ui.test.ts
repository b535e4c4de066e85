/**
 * The console overview's read API on the 月华坊 demo story: units expiring per place (counted as the
 * trace engine counts them), and recent warnings (excursions beyond the organisation's limits, QC
 * failures, overdue recall tasks), on both engines, with a clock the test moves.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import type { AppContext, Clock } from '../../src/app/context.ts';
import { randomIds } from '../../src/app/context.ts';
import type { ExpiringReport } from '../../src/app/overview/expiring.ts';
import type { WarningsReport } from '../../src/app/overview/warnings.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createAuthenticator, createToken } from '../../src/app/tokens.ts';
import type { MassBalanceReport } from '../../src/app/trace/types.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../src/core/ledger/ed25519.ts';
import { loadDemo } from '../../src/demo/demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { testEngines } from '../support/engines.ts';
import { freshDatabase } from '../support/engines.ts';

const SUSPECT = 'https://id.gs1.org/01/06901234567892/10/250905-B-AM-002';
/** Produced 2025-09-05 10:30 (+08:00), shelf life 504 h: expires 2025-09-26 10:30 (+08:00). */
const SUSPECT_EXPIRES = '2025-09-26T02:30:00.000Z';
const LATER = 'https://id.gs1.org/01/06901234567892/10/250906-B-AM-001';

describe.each(testEngines())('overview API on %s', (engine) => {
  let app: FastifyInstance;
  let ctx: AppContext;
  let close: () => Promise<void>;
  let current = new Date();
  const clock: Clock = { now: () => current };
  const tokens = {} as Record<Role | 'other', string>;
  const call = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, role: Role | 'other' = 'qa', body?: unknown, status = 200): Promise<T> => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${tokens[role]}` }, ...(body === undefined ? {} : { payload: body as object }) });
    expect(res.statusCode, res.body).toBe(status);
    return JSON.parse(res.body) as T;
  };

  beforeAll(async () => {
    const database = await freshDatabase(engine);
    ctx = { database, clock, ids: randomIds, logger: pino({ level: 'silent' }) };
    const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
    const preparer = createPreparer(0);
    await loadDemo({ ctx, signer, preparer }, 'demo', 'mooncake');
    await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', tokenId: 'cli', role: null });
    for (const role of ['qa', 'production', 'viewer', 'store', 'supplier'] as const) tokens[role] = (await createToken(ctx, { orgId: 'demo', role }, { orgId: 'demo', tokenId: 'cli', role: null })).token;
    tokens.other = (await createToken(ctx, { orgId: 'rival', role: 'admin' }, { orgId: 'rival', tokenId: 'cli', role: null })).token;
    app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: 64 * 1024 * 1024, captureLimit: 50_000 });
    await app.ready();
    close = async () => {
      await app.close();
      await preparer.close();
      await database.close();
    };
  }, 120_000);
  afterAll(async () => close?.());

  it('lists the suspect batch on hand in each store the day before it expires, as the mass balance counts it', async () => {
    current = new Date('2025-09-25T12:00:00+08:00');
    const r = await call<ExpiringReport>('GET', '/api/overview/expiring?hours=24');
    const lots = new Set(r.places.flatMap((p) => p.lots.map((l) => l.lot)));
    expect(lots.has(SUSPECT)).toBe(true);
    expect(lots.has(LATER)).toBe(false);
    const suspectAt = r.places.flatMap((p) => p.lots.filter((l) => l.lot === SUSPECT).map((l) => ({ place: p.place, ...l })));
    expect(suspectAt.every((l) => l.expiresAt === SUSPECT_EXPIRES && !l.expired && l.lotNumber === '250905-B-AM-002')).toBe(true);
    expect(suspectAt[0]?.productName?.zh).toBe('星辰月饼');

    // The same units on hand per place as the mass balance of the batch says.
    const mb = await call<MassBalanceReport>('GET', `/api/mass-balance?code=${encodeURIComponent(SUSPECT)}`);
    const expected = mb.locations.filter((l) => l.onHand > 0).map((l) => [l.place.id, l.onHand]).sort();
    expect(suspectAt.map((l) => [l.place.id, l.onHand]).sort()).toEqual(expected);
    expect(suspectAt.length).toBeGreaterThan(10);
    const cities = new Set(suspectAt.map((l) => l.place.city));
    for (const city of ['上海', '杭州', '南京']) expect(cities).toContain(city);
    // Places come earliest expiry first; each place's total is its lots' sum.
    for (let i = 1; i < r.places.length; i++) expect(r.places[i - 1]!.earliestExpiry <= r.places[i]!.earliestExpiry).toBe(true);
    for (const p of r.places) expect(p.onHand).toBeCloseTo(p.lots.reduce((s, l) => s + l.onHand, 0));
    expect(r.totals.places).toBe(r.places.length);
  });

  it('lists nothing when nothing expires in the window, and expired stock still on hand only when asked', async () => {
    current = new Date('2025-09-27T12:00:00+08:00');
    const ahead = await call<ExpiringReport>('GET', '/api/overview/expiring?hours=1');
    expect(ahead.places.flatMap((p) => p.lots.map((l) => l.lot))).not.toContain(SUSPECT);
    const past = await call<ExpiringReport>('GET', '/api/overview/expiring?hours=1&pastHours=48');
    const suspect = past.places.flatMap((p) => p.lots).filter((l) => l.lot === SUSPECT);
    expect(suspect.length).toBeGreaterThan(0);
    expect(suspect.every((l) => l.expired)).toBe(true);
    // A bound on the lots examined says the answer was cut.
    const cut = await call<ExpiringReport>('GET', '/api/overview/expiring?hours=1&pastHours=720&maxLots=1');
    expect(cut.truncated).toBe(true);
    expect(new Set(cut.places.flatMap((p) => p.lots.map((l) => l.lot))).size).toBeLessThanOrEqual(1);
  });

  it('refuses a window out of range with a pointer, and another organisation sees none of the demo', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/overview/expiring?hours=0', headers: { authorization: `Bearer ${tokens.qa}` } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(JSON.parse(res.body).errors)).toContain('hours');
    current = new Date('2025-09-25T12:00:00+08:00');
    const other = await call<ExpiringReport>('GET', '/api/overview/expiring?hours=24&pastHours=720', 'other');
    expect(other.places).toEqual([]);
    const warnings = await call<WarningsReport>('GET', '/api/overview/warnings?hours=720', 'other');
    expect(warnings.excursions).toEqual([]);
    // A store token may not trace: neither overview route is open to it.
    await call('GET', '/api/overview/expiring', 'store', undefined, 403);
    await call('GET', '/api/overview/warnings', 'store', undefined, 403);
  });

  it("warns of readings beyond the organisation's limits as they are set, and of sensor alarms", async () => {
    current = new Date();
    const before = await call<WarningsReport>('GET', '/api/overview/warnings?hours=1');
    // The SEAL-B1 seal-jaw drift carries the sensor's alarm; van humidity (58 %) is within the default 70 %.
    const seal = before.excursions.filter((e) => e.exception !== null && e.place?.id.endsWith('/254/LB'));
    expect(seal.length).toBeGreaterThan(5);
    expect(seal.every((e) => e.value !== null && e.value < 165)).toBe(true);
    expect(before.excursions.some((e) => e.type.endsWith('RelativeHumidity'))).toBe(false);

    await call('PUT', '/api/scope-rules', 'qa', { defaultRules: ['raw_lot'], sessionHours: 4, equipmentHours: 12, vehicleHours: 6, excursionMarginHours: 2, excursionLimits: [{ type: 'RelativeHumidity', max: 50 }] });
    const after = await call<WarningsReport>('GET', '/api/overview/warnings?hours=1&limit=200');
    const humid = after.excursions.filter((e) => e.type.endsWith('RelativeHumidity'));
    expect(humid.length).toBeGreaterThan(10);
    expect(humid.every((e) => e.value === 58 && e.limit?.max === 50)).toBe(true);
    // Newest recorded first, and only the last hour's records: an hour from now, nothing.
    for (let i = 1; i < after.excursions.length; i++) expect(after.excursions[i - 1]!.recordedSeq >= after.excursions[i]!.recordedSeq).toBe(true);
    current = new Date(Date.now() + 2 * 3600_000);
    expect((await call<WarningsReport>('GET', '/api/overview/warnings?hours=1')).excursions).toEqual([]);
  });

  it('warns of a non-conformant QC result just recorded, and of overdue store tasks to those who may read recalls', async () => {
    current = new Date();
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: current.toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2025-09-06T09:00:00+08:00',
            eventTimeZoneOffset: '+08:00',
            action: 'OBSERVE',
            bizStep: 'inspecting',
            disposition: 'non_conformant',
            quantityList: [{ epcClass: SUSPECT, quantity: 5 }],
            readPoint: { id: 'urn:epc:id:sgln:6901234.00001.QC' },
          },
        ],
      },
    };
    const res = await app.inject({ method: 'POST', url: '/epcis/capture', headers: { authorization: `Bearer ${tokens.qa}`, 'content-type': 'application/ld+json' }, payload: JSON.stringify(doc) });
    expect(res.statusCode, res.body).toBe(202);
    const w = await call<WarningsReport>('GET', '/api/overview/warnings?hours=1');
    expect(w.qcFailures.map((q) => [q.item, q.disposition])).toContainEqual([SUSPECT, 'non_conformant']);

    // A recall of the suspect batch: approving its scope gives each store a task due in 4 hours.
    const opened = await call<{ case: { caseId: string } }>('POST', '/api/recalls', 'qa', { title: '封口不严 / seal leak', hazard: 'packaging_seal', origin: 'qc_finding', codes: [SUSPECT] }, 201);
    const id = opened.case.caseId;
    await call('POST', `/api/recalls/${id}/assess`, 'qa', { level: 3, voluntary: true, risks: { safety: 'low', regulatory: 'low', scope: 'high', reputation: 'high' }, reason: 'seal integrity' });
    await call('PUT', `/api/recalls/${id}/notice-plan`, 'qa', { audiences: ['store'], instructions: { 'zh-CN': '下架', en: 'Remove from shelf' }, compensation: ['refund'], ackHours: 4 });
    await call('POST', `/api/recalls/${id}/scope`, 'qa', { rules: ['downstream'], reason: 'the suspect batch' }, 201);
    await call('POST', `/api/recalls/${id}/scope/1/approve`, 'qa', { reason: 'approved' });
    expect((await call<WarningsReport>('GET', '/api/overview/warnings')).overdueTasks).toEqual([]);

    current = new Date(Date.now() + 5 * 3600_000);
    const late = await call<WarningsReport>('GET', '/api/overview/warnings');
    expect(late.overdueTasks?.length).toBeGreaterThan(10);
    expect(late.overdueTasks?.every((t) => t.caseId === id && t.overdueMs > 0 && t.title?.includes('seal leak'))).toBe(true);
    expect(late.overdueTasks?.some((t) => t.location.city === '上海')).toBe(true);
    // Production may trace but not read recalls: no tasks for it.
    expect((await call<WarningsReport>('GET', '/api/overview/warnings', 'production')).overdueTasks).toBeNull();
    expect((await call<WarningsReport>('GET', '/api/overview/warnings', 'viewer')).overdueTasks?.length).toBeGreaterThan(10);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../src/app/orgs.ts';
import { validateEpcisDocument } from '../../src/core/epcis/validate.ts';
import { createToken } from '../../src/app/tokens.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { listConformanceFiles, readConformanceText } from '../support/conformance.ts';
import { testEngines } from '../support/engines.ts';
import { objectEventsDocument } from '../support/epcis-fixtures.ts';

const ld = { 'content-type': 'application/ld+json' };

describe.each(testEngines())('EPCIS capture on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const count = async (): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM epcis_events WHERE org_id = 'acme'`.execute(t.ctx.database.db)).rows[0]!.n;

  it('captures an official example, answers 202 with a capture job, and queries it back', async () => {
    const body = readConformanceText('gs1-epcis/JSON/Example_9.6.1-ObjectEvent.jsonld');
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: body });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toMatch(/^\/epcis\/capture\/cap_/);
    expect(res.json()).toMatchObject({ running: false, success: true, eventCount: 2, storedCount: 2, duplicateCount: 0 });

    const job = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: t.auth('production') });
    expect(job.json()).toMatchObject({ success: true, storedCount: 2 });

    const q = await t.app.inject({ method: 'GET', url: '/epcis/events?MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018&EQ_bizStep=receiving', headers: t.auth('viewer') });
    expect(q.statusCode).toBe(200);
    const events = q.json().epcisBody.queryResults.resultsBody.eventList;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ObjectEvent', bizStep: 'receiving', eventID: 'ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0' });
    expect(typeof events[0].recordTime).toBe('string');
    // The capture's own prefixes travel with its events.
    expect(events[0]['@context']).toEqual([{ example: 'http://ns.example.com/epcis/' }]);
  });

  it('recognises a re-sent document and stores nothing twice', async () => {
    const before = await count();
    const body = readConformanceText('gs1-epcis/JSON/Example_9.6.1-ObjectEvent.jsonld');
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: body });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ storedCount: 0, duplicateCount: 2 });
    expect(await count()).toBe(before);
  });

  it('matches an EPC given as a Digital Link against events captured as URNs', async () => {
    const q = await t.app.inject({ method: 'GET', url: `/epcis/events?MATCH_epc=${encodeURIComponent('https://id.gs1.org/01/10614141073464/21/2018')}`, headers: t.auth('viewer') });
    expect(q.json().epcisBody.queryResults.resultsBody.eventList).toHaveLength(2);
  });

  it('rejects a whole document when one event is invalid, pointing at the field', async () => {
    const before = await count();
    const doc = JSON.parse(objectEventsDocument([1, 2, 3]));
    doc.epcisBody.eventList[2].action = 'CREATE';
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('epcisException:ValidationException');
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/epcisBody/eventList/2/action');
    expect(await count()).toBe(before);
    const job = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: t.auth('production') });
    expect(job.json()).toMatchObject({ running: false, success: false });
    expect(job.json().errors[0].pointer).toBe('/epcisBody/eventList/2/action');
    const audit = await t.app.inject({ method: 'GET', url: '/api/audit?action=epcis.capture.rejected', headers: t.auth('qa') });
    expect(audit.json().items[0]).toMatchObject({ targetId: job.json().captureID, detail: { code: 'ValidationException' } });
  });

  it('titles errors in Chinese for callers who prefer Chinese, keeping the English detail', async () => {
    const doc = JSON.parse(objectEventsDocument([11]));
    doc.epcisBody.eventList[0].action = 'MOVE';
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ title: '输入数据无效', detail: expect.stringContaining('not valid') });
    const en = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld, 'accept-language': 'en-GB,zh;q=0.5' }, payload: JSON.stringify(doc) });
    expect(en.json().title).toContain('not valid');
  });

  it('requires a time-zone offset on eventTime', async () => {
    const doc = JSON.parse(objectEventsDocument([10]));
    doc.epcisBody.eventList[0].eventTime = '2025-09-05T08:00:00';
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/epcisBody/eventList/0/eventTime');
  });

  it('answers malformed JSON, a wrong media type and an empty body with 4xx and a machine-readable type', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: '{"type": "EPCISDocument",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().type).toBe('epcisException:MalformedJsonException');
    const media = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), 'content-type': 'text/plain' }, payload: 'hello' });
    expect(media.statusCode).toBe(415);
    expect(media.json().type).toBe('epcisException:UnsupportedMediaTypeException');
    const empty = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: '' });
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
  });

  it('refuses an eventID already used by a different event, storing nothing of the document', async () => {
    const before = await count();
    const doc = JSON.parse(objectEventsDocument([20, 21]));
    doc.epcisBody.eventList[1].eventID = 'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0';
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/epcisBody/eventList/1/eventID', rule: 'uniqueEventID' })]);
    expect(await count()).toBe(before);
  });

  it('captures a single event with POST /epcis/events', async () => {
    const event = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'ObjectEvent',
      eventTime: '2025-09-06T10:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      epcList: ['urn:epc:id:sgtin:6901234.067890.999'],
      action: 'OBSERVE',
      bizStep: 'retail_selling',
    };
    const res = await t.app.inject({ method: 'POST', url: '/epcis/events', headers: { ...t.auth('store'), ...ld }, payload: JSON.stringify(event) });
    expect(res.statusCode).toBe(202);
    const q = await t.app.inject({ method: 'GET', url: '/epcis/events?EQ_bizStep=retail_selling', headers: t.auth('viewer') });
    const [stored] = q.json().epcisBody.queryResults.resultsBody.eventList;
    expect(stored.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    const byId = await t.app.inject({ method: 'GET', url: `/epcis/events/${encodeURIComponent(stored.eventID)}`, headers: t.auth('viewer') });
    expect(byId.statusCode).toBe(200);
    expect(byId.json().epcisBody.queryResults.resultsBody.eventList[0].epcList).toEqual(event.epcList);
  });

  it('stores an error declaration as a new event beside the original', async () => {
    const body = readConformanceText('gs1-epcis/JSON/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld');
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('qa'), ...ld }, payload: body });
    expect(res.statusCode).toBe(202);
    const declared = await t.app.inject({ method: 'GET', url: '/epcis/events?EXISTS_errorDeclaration=true', headers: t.auth('viewer') });
    const events = declared.json().epcisBody.queryResults.resultsBody.eventList;
    expect(events.map((e: { eventID: string }) => e.eventID)).toEqual(['urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8']);
    const corrective = await t.app.inject({ method: 'GET', url: '/epcis/events?EQ_correctiveEventID=urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8', headers: t.auth('viewer') });
    expect(corrective.json().epcisBody.queryResults.resultsBody.eventList).toHaveLength(1);
  });

  it('pages query results with perPage and nextPageToken, in capture order', async () => {
    const serials = Array.from({ length: 25 }, (_, i) => 1000 + i);
    await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('production'), ...ld }, payload: objectEventsDocument(serials, { bizStep: 'packing' }) });
    const seen: string[] = [];
    let url = '/epcis/events?EQ_bizStep=packing&perPage=10';
    for (let pages = 0; pages < 5; pages++) {
      const res = await t.app.inject({ method: 'GET', url, headers: t.auth('viewer') });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().epcisBody.queryResults.resultsBody.eventList.map((e: { epcList: string[] }) => e.epcList[0]));
      const token = res.json().nextPageToken as string | undefined;
      if (!token) break;
      expect(res.headers.link).toContain('rel="next"');
      url = `/epcis/events?EQ_bizStep=packing&perPage=10&nextPageToken=${token}`;
    }
    expect(seen).toEqual(serials.map((s) => `urn:epc:id:sgtin:6901234.067890.${s}`));
    const tampered = await t.app.inject({ method: 'GET', url: '/epcis/events?EQ_bizStep=shipping&nextPageToken=' + Buffer.from('{"seq":1}').toString('base64url'), headers: t.auth('viewer') });
    expect(tampered.statusCode).toBe(400);
  });

  it('filters by event type and event time, and rejects unknown parameters', async () => {
    const q = await t.app.inject({ method: 'GET', url: '/epcis/events?eventType=TransformationEvent&GE_eventTime=2020-01-01T00:00:00Z&LT_eventTime=2021-01-01T00:00:00Z', headers: t.auth('viewer') });
    expect(q.json().epcisBody.queryResults.resultsBody.eventList.map((e: { eventID: string }) => e.eventID)).toEqual(['urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8']);
    const bad = await t.app.inject({ method: 'GET', url: '/epcis/events?MATCH_everything=1', headers: t.auth('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'epcisException:QueryParameterException', errors: [{ pointer: '/query/MATCH_everything' }] });
    const noZone = await t.app.inject({ method: 'GET', url: '/epcis/events?GE_eventTime=2020-01-01T00:00:00', headers: t.auth('viewer') });
    expect(noZone.statusCode).toBe(400);
  });

  it('answers queries with EPCISQueryDocuments that are valid against the official schema', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/epcis/events?perPage=1000', headers: t.auth('viewer') });
    const doc = res.json();
    expect(doc.epcisBody.queryResults.resultsBody.eventList.length).toBeGreaterThan(20);
    const checked = validateEpcisDocument(doc, { allowQueryDocument: true });
    expect(checked.ok ? [] : checked.error).toEqual([]);
  });

  it('accepts every official EPCIS 2.0 JSON-LD example', async () => {
    const files = listConformanceFiles('gs1-epcis/JSON', ['.jsonld']).filter((f) => !f.endsWith('EPCISQueryDocument.jsonld'));
    expect(files.length).toBeGreaterThanOrEqual(46);
    let i = 0;
    for (const file of files) {
      // Each example in an organisation of its own: examples reuse eventIDs across files.
      const org = `ex-${i++}`;
      await createOrg(t.ctx, org, file, { orgId: org, tokenId: 'cli', role: null });
      const token = (await createToken(t.ctx, { orgId: org, role: 'production' }, { orgId: org, tokenId: 'cli', role: null })).token;
      const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { authorization: `Bearer ${token}`, ...ld }, payload: readConformanceText(file) });
      expect({ file, status: res.statusCode, body: res.statusCode === 202 ? null : res.json() }).toEqual({ file, status: 202, body: null });
    }
  });
});

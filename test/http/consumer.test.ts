/**
 * The consumer page through HTTP, on both engines: a small bakery story captured as EPCIS through the
 * API (two lots of cream puffs, one of egg tarts, a supplier's film, a store), then what a consumer
 * who scans a pack sees (facts, linkset, redirects), what a recall and a drill change, returns,
 * complaints with photos as QA reads them, the scan hint, rate limits, what stays private, and
 * another organisation's token. Real parts only: real engines, the real block index, real forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import { type AppContext, randomIds, systemClock } from '../../src/app/context.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createAuthenticator, createToken } from '../../src/app/tokens.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../src/core/ledger/ed25519.ts';
import { type JsonObject, ms, when } from '../../src/demo/documents.ts';
import { gln, lgtinUrn, lotLink, pglnUrn, sglnUrn, sgtinUrn, tradeItem } from '../../src/demo/keys.ts';
import { buildApp } from '../../src/http/app.ts';
import { freshDatabase, testEngines } from '../support/engines.ts';
import type { Engine } from '../../src/store/database.ts';

const BRAND = '6909999';
const CHOUX = tradeItem(BRAND, '10001');
const TART = tradeItem(BRAND, '10002');
const COOKIE = tradeItem(BRAND, '10003');
const FILM = tradeItem('6978905', '90011');
const PLANT = gln(BRAND, '00001');
const STORE = gln(BRAND, '20001');
const QC = gln(BRAND, '00003');
const BRAND_PARTY = gln(BRAND, '00000');
const SUPPLIER = gln('6978905', '00000');
const SUPPLIER_SITE = gln('6978905', '00001');
const L1 = 'C250905A';
const L2 = 'C250906A';
const T1 = 'T250905A';

/** Secrets of the story that must never reach a consumer. */
const PRIVATE = ['静安寺', "Jing'an", 'store-jingan', 'OP-SECRET-07', '王秘密', '恒信', 'Hengxin', 'plant-sz', 'sup-hengxin', 'HX01', 'acme', 'urn:epc'];

function masterData(): Record<string, JsonObject[]> {
  return {
    parties: [
      { partyId: 'suyu', kind: 'manufacturer', nameZh: '酥语坊', nameEn: 'Suyu Bakery', gln: BRAND_PARTY.gln, city: '苏州' },
      { partyId: 'sup-hengxin', kind: 'supplier', nameZh: '恒信包装材料有限公司', nameEn: 'Hengxin Packaging Materials Co.', gln: SUPPLIER.gln, city: '嘉兴' },
    ],
    locations: [
      { locationId: 'plant-sz', type: 'plant', nameZh: '酥语坊苏州工厂', nameEn: 'Suyu Suzhou plant', gln: PLANT.gln, city: '苏州', region: '江苏', address: '苏州工业园区星湖街 88 号' },
      { locationId: 'store-jingan', type: 'store', nameZh: '酥语坊静安寺店', nameEn: "Suyu Jing'an Temple store", gln: STORE.gln, city: '上海', region: '上海' },
      { locationId: 'qc-sh', type: 'qc_centre', nameZh: '上海质检中心', nameEn: 'Shanghai QC centre', gln: QC.gln, city: '上海', region: '上海' },
      { locationId: 'sup-hengxin-site', type: 'supplier', nameZh: '恒信包装工厂', nameEn: 'Hengxin plant', gln: SUPPLIER_SITE.gln, city: '嘉兴' },
    ],
    products: [
      { productId: 'choux', gtin: CHOUX.gtin, nameZh: '奶油泡芙', nameEn: 'Cream Puff', shelfLifeHours: 72, granularity: 'unit', brand: '酥语坊', attributes: { story: { zh: '每天清晨用新鲜奶油手工灌注。', en: 'Filled by hand with fresh cream every morning.' } } },
      { productId: 'tart', gtin: TART.gtin, nameZh: '蛋挞', nameEn: 'Egg Tart', shelfLifeHours: 48, granularity: 'unit', brand: '酥语坊' },
      { productId: 'cookie', gtin: COOKIE.gtin, nameZh: '曲奇', nameEn: 'Cookie', shelfLifeHours: 720, granularity: 'batch', brand: '酥语坊' },
      { productId: 'rm-film', gtin: FILM.gtin, nameZh: '封口膜', nameEn: 'Sealing film', shelfLifeHours: 8760, granularity: 'batch' },
    ],
    operators: [{ operatorId: 'OP-SECRET-07', name: '王秘密', title: '早班班长', locationId: 'plant-sz' }],
  };
}

const serials = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));

function storyDocument(): JsonObject {
  const at = (date: string, time: string) => when(ms(date, time));
  const make = (item: typeof CHOUX, lot: string, date: string, time: string, first: number, n: number, ilmdExtra: JsonObject): JsonObject[] => [
    {
      type: 'TransformationEvent', ...at(date, time),
      inputQuantityList: [{ epcClass: lgtinUrn(FILM, 'HX01'), quantity: 2, uom: 'MTR' }],
      outputQuantityList: [{ epcClass: lgtinUrn(item, lot), quantity: n }],
      bizStep: 'creating_class_instance', disposition: 'active',
      readPoint: { id: sglnUrn(PLANT, 'L1') }, bizLocation: { id: sglnUrn(PLANT) },
      ilmd: { 'cbvmda:lotNumber': lot },
      'lotline:operator': 'OP-SECRET-07',
    },
    {
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active', ...at(date, `${time.slice(0, 3)}${String(Number(time.slice(3)) + 10).padStart(2, '0')}`),
      epcList: serials(first, n).map((s) => sgtinUrn(item, s)),
      readPoint: { id: sglnUrn(PLANT, 'L1') }, bizLocation: { id: sglnUrn(PLANT) },
      ilmd: { 'cbvmda:lotNumber': lot, ...ilmdExtra },
    },
  ];
  const events: JsonObject[] = [
    { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active', ...at('2025-09-01', '09:00'), quantityList: [{ epcClass: lgtinUrn(FILM, 'HX01'), quantity: 100, uom: 'MTR' }], readPoint: { id: sglnUrn(SUPPLIER_SITE, '1') }, bizLocation: { id: sglnUrn(SUPPLIER_SITE) }, ilmd: { 'cbvmda:lotNumber': 'HX01' } },
    {
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', ...at('2025-09-02', '09:00'),
      quantityList: [{ epcClass: lgtinUrn(FILM, 'HX01'), quantity: 100, uom: 'MTR' }], readPoint: { id: sglnUrn(PLANT) }, bizLocation: { id: sglnUrn(PLANT) },
      sourceList: [{ type: 'owning_party', source: pglnUrn(SUPPLIER) }, { type: 'location', source: sglnUrn(SUPPLIER_SITE) }],
      destinationList: [{ type: 'owning_party', destination: pglnUrn(BRAND_PARTY) }, { type: 'location', destination: sglnUrn(PLANT) }],
    },
    ...make(TART, T1, '2025-09-05', '08:00', 3001, 5, {}),
    ...make(CHOUX, L1, '2025-09-05', '10:30', 1001, 10, { 'cbvmda:itemExpirationDate': '2025-09-08' }),
    { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant', ...at('2025-09-05', '11:00'), quantityList: [{ epcClass: lgtinUrn(CHOUX, L1) }], readPoint: { id: sglnUrn(PLANT, 'QC') }, bizLocation: { id: sglnUrn(PLANT) } },
    { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', ...at('2025-09-05', '14:00'), epcList: serials(1001, 5).map((s) => sgtinUrn(CHOUX, s)), readPoint: { id: sglnUrn(PLANT) }, sourceList: [{ type: 'location', source: sglnUrn(PLANT) }], destinationList: [{ type: 'location', destination: sglnUrn(STORE) }] },
    { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', ...at('2025-09-05', '16:00'), epcList: serials(1001, 5).map((s) => sgtinUrn(CHOUX, s)), readPoint: { id: sglnUrn(STORE) }, bizLocation: { id: sglnUrn(STORE) } },
    ...make(CHOUX, L2, '2025-09-06', '09:00', 2001, 5, {}),
  ];
  return { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { lotline: 'https://ns.lotline.dev/epcis/' }], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-09-06T12:00:00+08:00', epcisBody: { eventList: events } };
}

interface ConsumerTestApp {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  auth(role?: Role | 'other'): { authorization: string };
  close(): Promise<void>;
}

/**
 * test/support/app.ts's app, with the consumer routes registered here until src/http/app.ts does it
 * (then `/01/*` is already there and nothing is added twice).
 */
async function startConsumerApp(engine: Engine): Promise<ConsumerTestApp> {
  const database = await freshDatabase(engine);
  const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
  const cli = { tokenId: 'cli' as const, role: null };
  await createOrg(ctx, 'acme', 'Acme Bakery 酥语坊', { orgId: 'acme', ...cli });
  await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', ...cli });
  const tokens: Record<string, string> = {};
  for (const role of ['admin', 'qa', 'viewer', 'store'] as const) tokens[role] = (await createToken(ctx, { orgId: 'acme', role }, { orgId: 'acme', ...cli })).token;
  tokens.other = (await createToken(ctx, { orgId: 'rival', role: 'qa' }, { orgId: 'rival', ...cli })).token;
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const preparer = createPreparer(0);
  const deps = { ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: 64 * 1024 * 1024, captureLimit: 50_000 };
  const app = await buildApp(deps);
  await app.after();
  await app.ready();
  return {
    app,
    ctx,
    auth: (role = 'admin') => ({ authorization: `Bearer ${tokens[role] as string}` }),
    close: async () => {
      await app.close();
      await preparer.close();
      await database.close();
    },
  };
}

/** A multipart/form-data body with text fields and an optional photo. */
function multipart(fields: Record<string, string>, photo?: { bytes: Buffer; name: string; type: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----lotline-test-7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (photo) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${photo.name}"\r\nContent-Type: ${photo.type}\r\n\r\n`), photo.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really pixels, but a PNG signature')]);
const GIF = Buffer.from('GIF89a....pretend image');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
const testId = (html: string, id: string): string | null => {
  const m = new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(?:p|dd|div|h1|ul|section|strong)>`).exec(html);
  return m ? text(m[1] as string).trim() : null;
};

describe.each(testEngines())('consumer page on %s', (engine) => {
  let t: ConsumerTestApp;
  const unit = `/01/${CHOUX.gtin}/10/${L1}/21/1003`;
  const otherLotUnit = `/01/${CHOUX.gtin}/10/${L2}/21/2003`;
  const tartUnit = `/01/${TART.gtin}/10/${T1}/21/3002`;
  let caseNumber = '';
  let caseId = '';

  const page = (url: string, lang = 'zh-CN', ip = '10.0.0.1', accept = 'text/html,application/xhtml+xml') =>
    t.app.inject({ method: 'GET', url, headers: { accept, 'accept-language': lang, 'user-agent': 'test-phone' }, remoteAddress: ip });
  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, role: Role | 'other' = 'qa') => {
    const res = await t.app.inject({ method, url, headers: { ...t.auth(role), 'accept-language': 'en' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, res };
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, role: Role | 'other' = 'qa') => {
    const r = await api(method, url, payload, role);
    expect(r.status, `${method} ${url}: ${JSON.stringify(r.body).slice(0, 600)}`).toBeLessThan(300);
    return r.body as Record<string, any>;
  };
  const noLeaks = (body: string) => {
    for (const secret of PRIVATE) expect(body, `leaks ${secret}`).not.toContain(secret);
    if (caseId) expect(body).not.toContain(caseId);
  };

  beforeAll(async () => {
    t = await startConsumerApp(engine);
    const md = masterData();
    for (const kind of ['parties', 'locations', 'products', 'operators']) for (const body of md[kind] ?? []) await ok('POST', `/api/${kind}`, body, 'admin');
    const res = await t.app.inject({ method: 'POST', url: '/epcis/capture', headers: { ...t.auth('admin'), 'content-type': 'application/ld+json' }, payload: JSON.stringify(storyDocument()) });
    expect(res.statusCode, res.body).toBe(202);
    const job = await ok('GET', res.headers.location as string, undefined, 'admin');
    expect(job, JSON.stringify(job)).toMatchObject({ success: true, storedCount: 11 });
    // Another organisation claims the cookie's GTIN too.
    await ok('POST', '/api/products', { productId: 'copycat', gtin: COOKIE.gtin, nameZh: '仿冒曲奇', nameEn: 'Copycat cookie', shelfLifeHours: 720, granularity: 'batch' }, 'other');
  }, 300_000);
  afterAll(async () => t?.close());

  it('shows the product, batch, production and expiry times, plant city, QC and story, under a strict CSP', async () => {
    const res = await page(unit);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('<html lang="zh-CN">');
    expect(testId(html, 'product-name')).toBe('奶油泡芙');
    expect(testId(html, 'batch')).toBe(L1);
    expect(testId(html, 'serial')).toBe('1003');
    expect(testId(html, 'produced-at')).toBe('2025-09-05 10:30');
    expect(testId(html, 'expires-at')).toBe('2025-09-08');
    expect(testId(html, 'plant-city')).toBe('苏州');
    expect(testId(html, 'qc-status')).toContain('出厂检验合格');
    expect(testId(html, 'origin-story')).toBe('每天清晨用新鲜奶油手工灌注。');
    expect(testId(html, 'recall-status')).toBe('该批次目前没有召回。');
    expect(html).not.toContain('data-testid="recall-banner"');
    // The CSP allows exactly this response's inline style and script, and nothing else.
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toMatch(/\sstyle="/);
    expect(res.headers['cache-control']).toBe('no-store');
    // Every input has its label.
    for (const id of html.matchAll(/<(?:input|textarea)[^>]*\sid="([^"]+)"/g)) expect(html).toContain(`for="${id[1]}"`);
    noLeaks(html);

    const en = await page(`${unit}?lang=en`, 'zh-CN');
    expect(en.body).toContain('<html lang="en">');
    expect(testId(en.body, 'product-name')).toBe('Cream Puff');
    expect(testId(en.body, 'origin-story')).toBe('Filled by hand with fresh cream every morning.');
    expect(testId(en.body, 'qc-status')).toContain('Passed release inspection');
    expect(en.body).toContain('data-testid="lang-switch"');

    // A serial without its lot, the GTIN in 13 digits: the lot comes from the trace; expiry from the shelf life.
    const bySerial = await page(`/01/${CHOUX.gtin.slice(1)}/21/2003?17=250909`, 'en-US');
    expect(bySerial.statusCode).toBe(200);
    expect(testId(bySerial.body, 'batch')).toBe(L2);
    expect(testId(bySerial.body, 'produced-at')).toBe('2025-09-06 09:00');
    expect(testId(bySerial.body, 'expires-at')).toBe('2025-09-09 09:00');
    // Without a story of its own, the page tells one from the public facts.
    const tart = await page(tartUnit, 'en');
    expect(testId(tart.body, 'origin-story')).toBe('Egg Tart was made fresh in our 苏州 plant on 2025-09-05; the ingredients, production and quality checks of every batch are on record.');
    expect(tart.body).not.toContain('data-testid="qc-status"');

    // The product alone.
    const product = await page(`/01/${CHOUX.gtin}`, 'en');
    expect(testId(product.body, 'product-name')).toBe('Cream Puff');
    expect(product.body).not.toContain('data-testid="batch"');
  });

  it('answers as a GS1 resolver: linkset by Accept or linkType, with a Link header, and 307 to a link type', async () => {
    const res = await page(unit, 'en', '10.0.0.2', 'application/linkset+json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/linkset+json');
    const body = res.json() as { linkset: Record<string, any>[] };
    const entry = body.linkset[0] as Record<string, any>;
    expect(entry.anchor).toMatch(new RegExp(`^https?://[^/]+/01/${CHOUX.gtin}/10/${L1}/21/1003$`));
    for (const type of ['pip', 'recallStatus', 'traceability', 'defaultLink']) {
      const links = entry[`https://gs1.org/voc/${type}`];
      expect(links, type).toHaveLength(1);
      expect(links[0].hreflang).toEqual(['zh-CN', 'en']);
      expect(links[0].href.startsWith(entry.anchor)).toBe(true);
    }
    expect(entry['https://gs1.org/voc/recallStatus'][0].href).toBe(`${entry.anchor}#recall`);
    expect(res.headers.link).toContain(`<${entry.anchor}?linkType=linkset>; rel="linkset"`);
    expect(res.headers.link).toContain('rel="https://gs1.org/voc/recallStatus"');
    noLeaks(res.body);

    const byParam = await page(`${unit}?linkType=linkset`, 'en', '10.0.0.2');
    expect(byParam.json()).toEqual(body);
    // GTIN-13 in the path: the anchor is the GTIN-14 form.
    const short = await page(`/01/${CHOUX.gtin.slice(1)}/10/${L1}/21/1003`, 'en', '10.0.0.2', 'application/linkset+json');
    expect((short.json() as { linkset: { anchor: string }[] }).linkset[0]?.anchor).toBe(entry.anchor);

    const recall = await page(`${unit}?linkType=gs1:recallStatus`, 'en', '10.0.0.2');
    expect(recall.statusCode).toBe(307);
    expect(recall.headers.location).toBe(`${entry.anchor}#recall`);
    const pip = await page(`${unit}?linkType=${encodeURIComponent('https://gs1.org/voc/pip')}`, 'en', '10.0.0.2');
    expect(pip.statusCode).toBe(307);
    expect(pip.headers.location).toBe(entry.anchor);
    const unknownType = await page(`${unit}?linkType=gs1:nutritionalInfo`, 'en', '10.0.0.2');
    expect(unknownType.statusCode).toBe(307);
    expect(unknownType.headers.location).toBe(entry.anchor);
  });

  it('answers unknown codes, and a GTIN two organisations claim, with a friendly 404 in both languages', async () => {
    const unknown = await page('/01/06900000000012/21/1', 'en', '10.0.0.3');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(unknown.body).toContain('data-testid="unknown-product"');
    expect(unknown.body).toContain('Product not found');
    expect(unknown.body).toContain('未找到该产品');
    const malformed = await page('/01/12345/21/1', 'zh-CN', '10.0.0.3');
    expect(malformed.statusCode).toBe(404);
    expect(malformed.body).toContain('<html lang="zh-CN">');
    const ambiguous = await page(`/01/${COOKIE.gtin}/10/K1`, 'en', '10.0.0.3');
    expect(ambiguous.statusCode).toBe(404);
    expect(ambiguous.body).toContain('data-testid="unknown-product"');
    expect(ambiguous.body).not.toContain('Copycat');
    expect(ambiguous.body).not.toContain('Cookie');
    const json = await page('/01/06900000000012', 'en', '10.0.0.3', 'application/linkset+json');
    expect(json.statusCode).toBe(404);
    expect(json.headers['content-type']).toContain('application/problem+json');
  });

  it('changes the authenticity hint as a code is scanned again, and from far apart', async () => {
    const code = `/01/${CHOUX.gtin}/10/${L1}/21/1007`;
    const hint = (html: string) => ({ level: /data-testid="authenticity" data-level="(\w+)"/.exec(html)?.[1], text: testId(html, 'authenticity') });
    expect(hint((await page(code, 'zh-CN', '10.1.1.1')).body)).toEqual({ level: 'first', text: '这是该包装的首次扫码。' });
    // Switching the language is the same visit.
    expect(hint((await page(`${code}?lang=en`, 'zh-CN', '10.1.1.1')).body)).toEqual({ level: 'first', text: "This is the first scan of this pack's code." });
    const second = hint((await page(code, 'en', '10.1.1.1')).body);
    expect(second.level).toBe('repeat');
    expect(second.text).toMatch(/^This code has been scanned 2 times since \d{4}-\d{2}-\d{2}\.$/);
    await page(code, 'en', '10.2.2.2');
    const spread = hint((await page(code, 'zh-CN', '10.3.3.3')).body);
    expect(spread.level).toBe('warn');
    expect(spread.text).toMatch(/已被扫描 4 次，且来自多个不同网络。如果您购买时包装封口已破损，请联系我们。$/);
    // Another pack of the same lot has its own history.
    expect(hint((await page(`/01/${CHOUX.gtin}/10/${L1}/21/1008`, 'en', '10.3.3.3')).body).level).toBe('first');
    // Stored: the scans of the pack, with no address in them.
    const stored = await sql<{ ip_hash: string; unit_node: string }>`SELECT ip_hash, unit_node FROM consumer_scans WHERE org_id = 'acme' AND code = ${`https://id.gs1.org${code}`}`.execute(t.ctx.database.db);
    expect(stored.rows).toHaveLength(4);
    expect(new Set(stored.rows.map((r) => r.ip_hash)).size).toBe(3);
    expect(JSON.stringify(stored.rows)).not.toMatch(/10\.\d+\.\d+/);
  });

  it('shows a recall banner in the browser language for the recalled lot only; a drill and another lot show none', async () => {
    const opened = await ok('POST', '/api/recalls', { title: '泡芙奶油疑似变质 / Cream puff filling may have spoiled', hazard: 'microbial', origin: 'complaint', description: 'cream sour', productGtin: CHOUX.gtin, codes: [lotLink(CHOUX, L1)] });
    caseId = opened.case.caseId;
    caseNumber = opened.case.caseNumber;
    await ok('POST', `/api/recalls/${caseId}/assess`, { level: 3, voluntary: true, risks: { safety: 'medium', regulatory: 'low', scope: 'low', reputation: 'medium' }, reason: 'precaution' });
    await ok('PUT', `/api/recalls/${caseId}/notice-plan`, { audiences: ['consumer'], instructions: { 'zh-CN': '请立即停止食用，扫码申请退款。', en: 'Stop eating it now and scan to get a refund.' }, compensation: ['refund', 'voucher'], ackHours: 4, reason: 'plan' });
    await ok('POST', `/api/recalls/${caseId}/scope`, { rules: ['downstream'], reason: 'the suspect lot' });
    await ok('POST', `/api/recalls/${caseId}/scope/1/approve`, { reason: 'approved' });

    const zh = await page(unit, 'zh-CN,zh;q=0.9', '10.0.0.4');
    expect(zh.body).toMatch(/<div class="alert" role="alert" data-testid="recall-banner" data-case="[^"]+">/);
    expect(zh.body).toContain('召回通知：请勿食用');
    expect(testId(zh.body, 'recall-instructions')).toBe('请立即停止食用，扫码申请退款。');
    expect(testId(zh.body, 'compensation')).toBe('退款 代金券');
    expect(testId(zh.body, 'store-return')).toBe('也可以直接带回任意门店退货，无需小票。');
    expect(zh.body).toContain('data-testid="return-form"');
    expect(zh.body).toContain(caseNumber);
    noLeaks(zh.body);

    const en = await page(unit, 'en-US,en;q=0.8', '10.0.0.4');
    expect(en.body).toContain('data-testid="recall-banner"');
    expect(testId(en.body, 'recall-instructions')).toBe('Stop eating it now and scan to get a refund.');
    expect(testId(en.body, 'store-return')).toBe('Or take it back to any store, no receipt needed.');
    // A pack printed without its lot is matched by its serial.
    expect((await page(`/01/${CHOUX.gtin}/21/1009`, 'en', '10.0.0.4')).body).toContain('data-testid="recall-banner"');
    // The product alone: some lot of it is recalled, so check the pack.
    expect((await page(`/01/${CHOUX.gtin}`, 'en', '10.0.0.4')).body).toContain('data-testid="recall-check-lot"');

    const other = await page(otherLotUnit, 'zh-CN', '10.0.0.4');
    expect(other.body).not.toContain('data-testid="recall-banner"');
    expect(testId(other.body, 'recall-status')).toBe('该批次目前没有召回。');

    const drill = await ok('POST', '/api/drills', { code: lotLink(TART, T1), mode: 'manual' });
    await ok('POST', `/api/recalls/${drill.caseId}/scope`, { rules: ['downstream'], reason: 'drill lot' });
    await ok('POST', `/api/recalls/${drill.caseId}/scope/1/approve`, { reason: 'drill approve' });
    const pos = await ok('GET', `/api/pos/check?code=${encodeURIComponent(`https://id.gs1.org${tartUnit}`)}`, undefined, 'store');
    expect(pos.drill).toBe(true);
    const tart = await page(tartUnit, 'zh-CN', '10.0.0.4');
    expect(tart.body).not.toContain('data-testid="recall-banner"');
    expect(tart.body).not.toContain('演练');
    expect(testId(tart.body, 'recall-status')).toBe('该批次目前没有召回。');
  });

  it('creates a return ticket from the scan-to-return form and shows its reference', async () => {
    const form = new URLSearchParams({ code: unit, lang: 'zh-CN', compensation: 'voucher', quantity: '2', name: '李女士', phone: '13800000000', city: '上海' });
    const res = await t.app.inject({ method: 'POST', url: '/consumer/returns', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: form.toString(), remoteAddress: '10.0.0.5' });
    expect(res.statusCode).toBe(201);
    const reference = testId(res.body, 'return-reference') as string;
    expect(reference).toMatch(/^RT-[2-9A-Z]{8}$/);
    expect(res.body).toContain('退货申请已提交');
    const returns = await ok('GET', `/api/recalls/${caseId}/returns`);
    expect(returns.returns.find((r: { reference: string }) => r.reference === reference)).toMatchObject({ channel: 'consumer', compensation: 'voucher', quantity: 2, code: `https://id.gs1.org${unit}` });

    // By fetch (the page's script): JSON in, JSON out; field errors point at the field.
    const { payload, headers } = multipart({ code: unit, lang: 'en', compensation: 'replacement', quantity: '0', email: 'not-an-email' });
    const bad = await t.app.inject({ method: 'POST', url: '/consumer/returns', headers: { ...headers, accept: 'application/json' }, payload, remoteAddress: '10.0.0.5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/compensation', '/email', '/quantity']);
    expect(bad.json().errors.find((e: { pointer: string }) => e.pointer === '/quantity').message).toBe('The quantity must be a whole number from 1 to 20.');
    const good = multipart({ code: unit, lang: 'en', compensation: 'refund' });
    const json = await t.app.inject({ method: 'POST', url: '/consumer/returns', headers: { ...good.headers, accept: 'application/json' }, payload: good.payload, remoteAddress: '10.0.0.5' });
    expect(json.statusCode).toBe(201);
    expect(json.json().reference).toMatch(/^RT-/);
    // Not recalled: nothing to return.
    const notRecalled = multipart({ code: otherLotUnit, lang: 'en', compensation: 'refund' });
    const refused = await t.app.inject({ method: 'POST', url: '/consumer/returns', headers: { ...notRecalled.headers, accept: 'application/json' }, payload: notRecalled.payload, remoteAddress: '10.0.0.5' });
    expect(refused.statusCode).toBe(409);
  });

  it('validates complaints next to the fields, stores a valid one with its photo, and QA reads it with the exact unit code', async () => {
    const post = (fields: Record<string, string>, photo?: { bytes: Buffer; name: string; type: string }, accept = 'text/html') => {
      const { payload, headers } = multipart(fields, photo);
      return t.app.inject({ method: 'POST', url: '/consumer/complaints', headers: { ...headers, accept }, payload, remoteAddress: '10.0.0.6' });
    };
    const tooBig = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024 - 3)]);
    const empty = await post({ code: unit, lang: 'zh-CN', text: '  ' }, { bytes: tooBig, name: 'big.jpg', type: 'image/jpeg' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<textarea id="complaint-form-text" name="text" aria-describedby="complaint-form-err-text" aria-invalid="true"');
    expect(testId(empty.body, 'complaint-form-error-text')).toBe('请描述您遇到的问题。');
    expect(testId(empty.body, 'complaint-form-error-photo')).toBe('照片不能超过 5 MB。');
    const gif = await post({ code: unit, lang: 'en', text: 'sour cream', email: 'nope' }, { bytes: GIF, name: 'photo.png', type: 'image/png' });
    expect(gif.statusCode).toBe(400);
    expect(testId(gif.body, 'complaint-form-error-photo')).toBe('Please upload a JPEG, PNG or WebP photo.');
    expect(testId(gif.body, 'complaint-form-error-email')).toBe('Please enter a valid email address.');
    expect(gif.body).toContain('sour cream');
    const asJson = await post({ code: unit, lang: 'en', text: '' }, { bytes: GIF, name: 'x.gif', type: 'image/gif' }, 'application/json');
    expect(asJson.statusCode).toBe(400);
    expect(asJson.headers['content-type']).toContain('application/problem+json');
    expect(asJson.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/text', '/photo']);

    const filed = await post({ code: unit, lang: 'zh-CN', text: '奶油有酸味，吃了一口就吐了。', phone: '+86 138 0000 0000', email: 'li@example.com' }, { bytes: PNG, name: 'puff.png', type: 'image/png' }, 'application/json');
    expect(filed.statusCode).toBe(201);
    const { complaintId, code } = filed.json() as { complaintId: string; code: string };
    expect(complaintId).toMatch(/^CP-[2-9A-Z]{8}$/);
    expect(code).toBe(`https://id.gs1.org${unit}`);
    const html = await post({ code: unit, lang: 'en', text: 'The box was crushed.' });
    expect(html.statusCode).toBe(201);
    expect(testId(html.body, 'complaint-done')).toMatch(/^Thank you, we have received your report\. Your reference: CP-[2-9A-Z]{8}\.$/);

    const list = await ok('GET', '/api/complaints?limit=1');
    expect(list.complaints).toHaveLength(1);
    expect(list.nextCursor).toBeTruthy();
    const next = await ok('GET', `/api/complaints?limit=1&cursor=${list.nextCursor}`);
    const all = [...list.complaints, ...next.complaints];
    const mine = all.find((c: { complaintId: string }) => c.complaintId === complaintId);
    expect(mine).toMatchObject({ code: `https://id.gs1.org${unit}`, gtin: CHOUX.gtin, lot: L1, serial: '1003', lotNode: lotLink(CHOUX, L1), text: '奶油有酸味，吃了一口就吐了。', photo: { type: 'image/png', size: PNG.length }, contact: { phone: '+86 138 0000 0000', email: 'li@example.com' }, lang: 'zh-CN', status: 'new' });
    const one = await ok('GET', `/api/complaints/${complaintId}`);
    expect(one.complaintId).toBe(complaintId);
    const photo = await api('GET', `/api/complaints/${complaintId}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.res.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.res.rawPayload, PNG)).toBe(0);
    // Contact details are personal data: a viewer reads the complaint without them.
    const asViewer = await ok('GET', `/api/complaints/${complaintId}`, undefined, 'viewer');
    expect(asViewer).toMatchObject({ contact: null, contactRedacted: true });
    // The audit log has it; QA can open a recall case straight from the complaint's code.
    const audit = await t.ctx.database.db.selectFrom('audit_log').select(['action', 'target_id']).where('org_id', '=', 'acme').where('action', '=', 'consumer.complaint.create').execute();
    expect(audit.map((a) => a.target_id)).toContain(complaintId);
    const opened = await ok('POST', '/api/recalls', { title: 'from a complaint', hazard: 'quality', origin: 'complaint', description: `complaint ${complaintId}`, productGtin: CHOUX.gtin, codes: [one.code] });
    expect(opened.case.codes).toEqual([one.code]);
  });

  it('keeps complaints, photos and settings from another organisation', async () => {
    const mine = await ok('GET', '/api/complaints');
    const id = mine.complaints[0].complaintId as string;
    const other = await ok('GET', '/api/complaints', undefined, 'other');
    expect(other.complaints).toEqual([]);
    expect((await api('GET', `/api/complaints/${id}`, undefined, 'other')).status).toBe(404);
    expect((await api('GET', `/api/complaints/${id}/photo`, undefined, 'other')).status).toBe(404);
    expect((await api('GET', '/api/complaints', undefined, 'store')).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/complaints' })).statusCode).toBe(401);
  });

  it('shows only what the organisation makes public', async () => {
    const before = await ok('GET', '/api/consumer-settings');
    expect(before.public).toEqual({ productionTime: true, expiry: true, plantCity: true, qcStatus: true, originStory: true, scanHistory: true });
    expect((await api('PUT', '/api/consumer-settings', { public: { plantCity: false } }, 'viewer')).status).toBe(403);
    const saved = await ok('PUT', '/api/consumer-settings', { public: { plantCity: false, productionTime: false, qcStatus: false, scanHistory: false } });
    expect(saved.public).toMatchObject({ plantCity: false, productionTime: false, expiry: true });
    const html = (await page(otherLotUnit, 'en', '10.0.0.7')).body;
    for (const hidden of ['plant-city', 'produced-at', 'qc-status', 'authenticity']) expect(html).not.toContain(`data-testid="${hidden}"`);
    expect(html).not.toContain('苏州');
    expect(testId(html, 'expires-at')).toBe('2025-09-09 09:00');
    const tart = (await page(tartUnit, 'en', '10.0.0.7')).body;
    expect(testId(tart, 'origin-story')).toBe('Egg Tart was made fresh in our plant; the ingredients, production and quality checks of every batch are on record.');
    // Another organisation has its own settings.
    expect((await ok('GET', '/api/consumer-settings', undefined, 'other')).version).toBe(0);
    const stale = await t.app.inject({ method: 'PUT', url: '/api/consumer-settings', headers: { ...t.auth('qa'), 'if-match': '"0"' }, payload: { public: { plantCity: true } } });
    expect(stale.statusCode).toBe(409);
    await ok('PUT', '/api/consumer-settings', { public: { plantCity: true, productionTime: true, qcStatus: true, scanHistory: true } });
  });

  it('rate-limits the anonymous routes per IP: 429 as a problem for APIs and a small page for browsers', async () => {
    const posts: LightMyRequestResponse[] = [];
    for (let i = 0; i < 11; i++) {
      posts.push(await t.app.inject({ method: 'POST', url: '/consumer/complaints', headers: { 'content-type': 'application/json', accept: 'application/json' }, payload: { code: unit, text: '' }, remoteAddress: '10.9.9.9' }));
    }
    expect(posts.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(400));
    expect(posts[10]?.statusCode).toBe(429);
    expect(posts[10]?.headers['content-type']).toContain('application/problem+json');
    expect(posts[10]?.json().type).toBe('epcisException:RateLimitedException');
    // Another address is not affected.
    expect((await t.app.inject({ method: 'POST', url: '/consumer/complaints', headers: { 'content-type': 'application/json', accept: 'application/json' }, payload: { code: unit, text: '' }, remoteAddress: '10.9.9.10' })).statusCode).toBe(400);

    let last: LightMyRequestResponse | null = null;
    for (let i = 0; i < 61; i++) last = await page(`${unit}?linkType=gs1:pip`, 'en', '10.8.8.8');
    expect(last?.statusCode).toBe(429);
    const browser = await page(unit, 'zh-CN', '10.8.8.8');
    expect(browser.statusCode).toBe(429);
    expect(browser.headers['content-type']).toContain('text/html');
    expect(browser.body).toContain('data-testid="too-many"');
    expect(browser.body).toContain('请求过于频繁');
    // The API is not rate-limited by the consumer routes' limits.
    expect((await api('GET', '/api/complaints')).status).toBe(200);
  });
});

/**
 * Tenant isolation: nothing of one organisation is ever visible to, or changeable by, another.
 *
 * The routes are read from the app itself, so a new route fails this test until the table below
 * says how to call it. Organisation `acme` gets one of everything through the API. Then `rival`'s
 * admin calls every route with acme's identifiers. Reads of acme's records must answer 404, lists
 * must hold none of acme's rows, and writes aimed at acme's records must answer 404. No answer may
 * contain any of acme's identifiers, names or secrets, unless the request itself sent them. At
 * the end acme's data must be exactly as it was. Every route except an allow-list of public ones
 * must also refuse a missing or bad token with 401. The acknowledgement link of a recall notice
 * (`/ack/{org}.{secret}`) is public: the secret in the link is the proof.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/core/gs1/check-digit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

// ---------------------------------------------------------------------------------------------
// The routes, as the app registered them
// ---------------------------------------------------------------------------------------------

interface Route {
  readonly method: string;
  readonly url: string;
}

/**
 * Every method and URL the app answers, read from Fastify's radix tree (`printRoutes()`). A child
 * node's label continues its parent's path, so a route is the labels from the root joined
 * together. Each parsed route is then checked with `hasRoute`, so a parse error cannot hide a route.
 */
function registeredRoutes(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    if (line.trim() === '') continue;
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) throw new Error(`cannot read this line of app.printRoutes(): ${JSON.stringify(line)}`);
    const depth = (m[1] ?? '').length / 4;
    const url = (depth === 0 ? '' : (stack[depth - 1] ?? '')) + (m[2] ?? '');
    stack.length = depth;
    stack.push(url);
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  for (const r of routes) {
    if (!app.hasRoute({ method: r.method as 'GET', url: r.url })) throw new Error(`parsed route ${r.method} ${r.url} from app.printRoutes(), but the app does not have it`);
  }
  return routes;
}

const routeKey = (r: Route): string => `${r.method} ${r.url}`;

/** Routes that answer without a token. Everything else needs one. */
const isAllowedPublic = (url: string): boolean => url === '/healthz' || url === '/metrics' || url === '/docs' || url.startsWith('/docs/') || url.startsWith('/ack/') || url === '/api/session' || url.startsWith('/01/') || url.startsWith('/consumer/') || url === '/' || url === '/console' || url.startsWith('/console/');

// ---------------------------------------------------------------------------------------------
// Acme's data
// ---------------------------------------------------------------------------------------------

const KINDS = ['products', 'locations', 'parties', 'equipment', 'operators'] as const;
type Kind = (typeof KINDS)[number];

const acmeGtin = withCheckDigit('690123477777');
const acmeGln = withCheckDigit('690123477770');
const acmePartyGln = withCheckDigit('690123477771');

/** One record of each kind, created by acme, in an order that satisfies references. */
const acmeRecords: Readonly<Record<Kind, Readonly<Record<string, unknown>>>> = {
  parties: { partyId: 'acme-partner-x', kind: 'supplier', nameZh: '秘密供应商', nameEn: 'Acme Secret Supplier', gln: acmePartyGln, email: 'secret@acme.example', phone: '+86 512 4711' },
  locations: { locationId: 'acme-plant-x', type: 'plant', nameZh: '秘密工厂', nameEn: 'Acme Hidden Plant', gln: acmeGln, partyId: 'acme-partner-x', address: 'No. 7 Secret Road' },
  products: { productId: 'acme-pie-x', gtin: acmeGtin, nameZh: '绝密月饼', nameEn: 'Acme Secret Pie', shelfLifeHours: 504, granularity: 'unit', brand: 'AcmeSecretBrand' },
  equipment: { equipmentId: 'acme-oven-x', kind: 'oven', nameZh: '秘密烤炉', nameEn: 'Acme Secret Oven', locationId: 'acme-plant-x', serialNo: 'SN-ACME-4711' },
  operators: { operatorId: 'acme-op-x', name: 'Acme Operator Zhang Wei', title: 'Secret Baker', locationId: 'acme-plant-x' },
};

/** How each kind is identified, which of its fields refer to acme's other records, and a field to overwrite. */
const kindInfo: Readonly<Record<Kind, { readonly idField: string; readonly refs: Readonly<Record<string, string>>; readonly nameField: string; readonly uniqueKeys: readonly string[] }>> = {
  parties: { idField: 'partyId', refs: {}, nameField: 'nameEn', uniqueKeys: ['gln'] },
  locations: { idField: 'locationId', refs: { partyId: 'acme-partner-x', parentId: 'acme-plant-x' }, nameField: 'nameEn', uniqueKeys: ['gln'] },
  products: { idField: 'productId', refs: {}, nameField: 'nameEn', uniqueKeys: ['gtin'] },
  equipment: { idField: 'equipmentId', refs: { locationId: 'acme-plant-x' }, nameField: 'nameEn', uniqueKeys: [] },
  operators: { idField: 'operatorId', refs: { locationId: 'acme-plant-x' }, nameField: 'name', uniqueKeys: [] },
};

/** Acme's batch-code schemes and allocation: its patterns and codes are acme's alone. */
const acmeSchemes = {
  _default: { pattern: 'ACMEQ{YYMMDD}{LINE:2}{SHIFT:1}{SEQ:3}', lines: ['A1', 'B2'], shifts: ['D', 'N'] },
  MC: { pattern: 'ACMEMC{YYDDD}{LINE:2}{SHIFT:1}{SEQ:3}' },
} as const;
const allocation = { date: '2025-09-05', line: 'A1', shift: 'D' } as const;
const DEFAULT_BATCH_PATTERN = '{YYMMDD}-{LINE}-{SHIFT}-{SEQ:3}[-{VARIANT}]';

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { acme: 'https://acme.example/epcis/' }];
const acmeEventIds = ['urn:uuid:acac0001-0000-4000-8000-000000000001', 'urn:uuid:acac0001-0000-4000-8000-000000000002', 'urn:uuid:acac0001-0000-4000-8000-000000000003'];
const acmeEpcs = ['urn:epc:id:sgtin:6901234.067890.4711001', 'urn:epc:id:sgtin:6901234.067890.4711002', 'urn:epc:id:sgtin:6901234.067890.4711003'];

function acmeEvent(i: number, bizStep: string): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventID: acmeEventIds[i],
    eventTime: `2025-09-0${i + 1}T08:00:00.000+08:00`,
    eventTimeZoneOffset: '+08:00',
    epcList: [acmeEpcs[i]],
    action: 'ADD',
    bizStep,
    disposition: 'active',
    readPoint: { id: 'urn:epc:id:sgln:6901234.77777.0' },
    'acme:secretNote': `Acme secret recipe 配方 ${i}`,
  };
}

const acmeDocument = JSON.stringify({
  '@context': CONTEXT,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2025-09-05T08:00:00+08:00',
  epcisBody: { eventList: [acmeEvent(0, 'commissioning'), acmeEvent(1, 'packing')] },
});
const acmeSingleEvent = JSON.stringify({ '@context': CONTEXT, ...acmeEvent(2, 'shipping') });
/** A lot of acme's, made at acme's plant: what acme's recall holds. */
const acmeLot = 'urn:epc:class:lgtin:6901234.067890.ACMESECRETLOT';
const acmeLotDocument = JSON.stringify({
  '@context': CONTEXT,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2025-09-05T09:00:00+08:00',
  epcisBody: {
    eventList: [
      { type: 'ObjectEvent', eventTime: '2025-09-05T09:00:00.000+08:00', eventTimeZoneOffset: '+08:00', action: 'ADD', quantityList: [{ epcClass: acmeLot, quantity: 40 }], bizStep: 'commissioning', bizLocation: { id: 'urn:epc:id:sgln:6901234.77777.0' } },
      // A failed QC check with a sensor alarm: acme's overview warnings, which rival must never see.
      {
        type: 'ObjectEvent', eventTime: '2025-09-05T10:00:00.000+08:00', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', quantityList: [{ epcClass: acmeLot, quantity: 2 }],
        bizStep: 'inspecting', disposition: 'non_conformant', readPoint: { id: 'urn:epc:id:sgln:6901234.77777.0' },
        sensorElementList: [{ sensorMetadata: { time: '2025-09-05T10:00:00.000+08:00' }, sensorReport: [{ type: 'Temperature', value: 31, uom: 'CEL', exception: 'ALARM_CONDITION' }] }],
      },
    ],
  },
});
const acmeRecallTitle = 'Acme Secret Recall 秘密召回';

/** Everything of acme's that the walk refers to, and every string that must never reach rival. */
interface Fixture {
  readonly captureIds: readonly string[];
  readonly rejectedCaptureId: string;
  readonly tokenIds: readonly string[];
  /** A person of acme who can sign in (issue 6). */
  readonly userId: string;
  readonly hashIds: readonly string[];
  readonly nextPageToken: string;
  readonly batchCodes: readonly string[];
  readonly markers: readonly string[];
  /** Acme's recall: a case with an approved scope (a held lot), evidence, a webhook endpoint and its queued message. */
  readonly recall: { readonly caseId: string; readonly attachmentId: string; readonly endpointId: string; readonly messageId: string; readonly lotCode: string; readonly complaintId: string };
}

// ---------------------------------------------------------------------------------------------
// How rival calls each route
// ---------------------------------------------------------------------------------------------

/** One request rival makes on a route, and what must come back. */
interface Probe {
  readonly url: string;
  readonly payload?: string | Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Allowed statuses. */
  readonly status: number | readonly number[];
  /** Further checks of the parsed JSON answer (not run for HEAD); return what is wrong. */
  readonly check?: (body: unknown) => string[];
  /** Overrides the route's phase: a write that must be refused runs with the probes, before rival creates anything. */
  readonly phase?: 'probe';
}

/**
 * `probe`: reads, and writes aimed at acme's records, run while rival owns nothing.
 * `create`: writes that create rival's own records (sometimes with acme's keys); they run after every probe.
 * `public`: routes on the allow-list, called with rival's token and with none.
 */
interface RouteCase {
  readonly phase: 'probe' | 'create' | 'public';
  readonly probes: readonly Probe[];
}

const ld = { 'content-type': 'application/ld+json' };
const csv = { 'content-type': 'text/csv' };
const enc = encodeURIComponent;

function field(body: unknown, ...path: (string | number)[]): unknown {
  let v: unknown = body;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** The check that a list (at `path` in the answer) is empty. */
const emptyAt =
  (...path: (string | number)[]) =>
  (body: unknown): string[] => {
    const list = field(body, ...path);
    return Array.isArray(list) && list.length === 0 ? [] : [`expected an empty list at ${path.join('.') || '(root)'}, got ${JSON.stringify(list)?.slice(0, 300)}`];
  };

/** Every item of the list at `path` belongs to rival. */
const allRivalAt =
  (key: string, ...path: (string | number)[]) =>
  (body: unknown): string[] => {
    const list = field(body, ...path);
    if (!Array.isArray(list)) return [`expected a list at ${path.join('.')}`];
    return list.filter((x) => field(x, key) !== 'rival').map((x) => `item of another organisation: ${JSON.stringify(x).slice(0, 300)}`);
  };

const expectField =
  (expected: Readonly<Record<string, unknown>>) =>
  (body: unknown): string[] =>
    Object.entries(expected)
      .filter(([k, v]) => field(body, ...k.split('.')) !== v)
      .map(([k, v]) => `expected ${k} = ${JSON.stringify(v)}, got ${JSON.stringify(field(body, ...k.split('.')))}`);

const hasReferenceError = (body: unknown): string[] => {
  const errors = field(body, 'errors');
  return Array.isArray(errors) && errors.some((e) => field(e, 'rule') === 'reference') ? [] : [`expected a reference error, got ${JSON.stringify(body).slice(0, 300)}`];
};

/** A record of `kind` with rival's own identifier, no references, and acme's unique keys (GTIN, GLN). */
function rivalRecordWithAcmeKeys(kind: Kind): Record<string, unknown> {
  const info = kindInfo[kind];
  const record: Record<string, unknown> = { ...acmeRecords[kind], [info.idField]: `rival-${kind}`, [info.nameField]: 'Rival Record' };
  for (const ref of Object.keys(info.refs)) delete record[ref];
  return record;
}

/** Acme's record of `kind`, changed by rival, without references (so that a 404 cannot hide behind a 400). */
function rivalOverwrite(kind: Kind): Record<string, unknown> {
  const info = kindInfo[kind];
  const record: Record<string, unknown> = { ...acmeRecords[kind], [info.nameField]: 'Rival was here' };
  for (const ref of Object.keys(info.refs)) delete record[ref];
  for (const key of info.uniqueKeys) delete record[key];
  return record;
}

function csvOf(record: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(record);
  const cell = (v: unknown): string => `"${String(v ?? '').replaceAll('"', '""')}"`;
  return `${keys.join(',')}\n${keys.map((k) => cell(record[k])).join(',')}\n`;
}

function masterDataCases(kind: Kind): Record<string, RouteCase> {
  const info = kindInfo[kind];
  const acmeId = String(acmeRecords[kind][info.idField]);
  const one = `/api/${kind}/:id`;
  const idUrl = `/api/${kind}/${enc(acmeId)}`;
  const refQueries = Object.entries(info.refs).map(([name, target]) => `/api/${kind}?${name}=${enc(target)}&includeArchived=true`);
  const uniqueQueries = info.uniqueKeys.map((k) => `/api/${kind}?${k}=${enc(String(acmeRecords[kind][k]))}&includeArchived=true`);
  const refRecord: Record<string, unknown> = { ...rivalRecordWithAcmeKeys(kind), [info.idField]: `rival-${kind}-ref`, ...info.refs };
  for (const key of info.uniqueKeys) delete refRecord[key];
  return {
    [`GET /api/${kind}`]: {
      phase: 'probe',
      probes: [
        `/api/${kind}`,
        `/api/${kind}?includeArchived=true&limit=1000`,
        `/api/${kind}?q=acme&includeArchived=true`,
        `/api/${kind}?q=${enc(String(acmeRecords[kind][info.nameField]))}&includeArchived=true`,
        `/api/${kind}?after=a&includeArchived=true`,
        ...refQueries,
        ...uniqueQueries,
      ].map((url) => ({ url, status: 200, check: emptyAt('items') })),
    },
    [`GET /api/${kind}/template.csv`]: { phase: 'probe', probes: [{ url: `/api/${kind}/template.csv`, status: 200 }] },
    [`GET ${one}`]: { phase: 'probe', probes: [{ url: idUrl, status: 404 }, { url: `/api/${kind}/acme-archived-${kind}`, status: 404 }] },
    [`PUT ${one}`]: {
      phase: 'probe',
      probes: [
        { url: idUrl, payload: rivalOverwrite(kind), status: 404 },
        // A 409 here would tell rival the record exists, and at which version.
        { url: idUrl, payload: rivalOverwrite(kind), headers: { 'if-match': '"1"' }, status: 404 },
        { url: idUrl, payload: rivalOverwrite(kind), headers: { 'if-match': '"99"' }, status: 404 },
      ],
    },
    [`PATCH ${one}`]: {
      phase: 'probe',
      probes: [
        { url: idUrl, payload: { [info.nameField]: 'Rival was here' }, status: 404 },
        { url: idUrl, payload: { [info.nameField]: 'Rival was here' }, headers: { 'if-match': '"1"' }, status: 404 },
        { url: `/api/${kind}/acme-archived-${kind}`, payload: { [info.nameField]: 'Rival was here' }, status: 404 },
      ],
    },
    [`DELETE ${one}`]: { phase: 'probe', probes: [{ url: idUrl, status: 404 }, { url: `/api/${kind}/acme-archived-${kind}`, status: 404 }] },
    [`POST /api/${kind}`]: {
      phase: 'create',
      probes: [
        // GTINs and GLNs are unique per organisation: acme's may be reused, and a conflict would reveal them.
        { url: `/api/${kind}`, payload: rivalRecordWithAcmeKeys(kind), status: 201, check: expectField({ [info.idField]: `rival-${kind}` }) },
        // A reference to acme's record must not resolve (rival owns no record of that name yet).
        ...(Object.keys(info.refs).length ? [{ url: `/api/${kind}`, payload: refRecord, status: 400, check: hasReferenceError, phase: 'probe' as const }] : []),
      ],
    },
    [`POST /api/${kind}/import`]: {
      phase: 'create',
      probes: [
        // Rows are matched by identifier within the caller's organisation: acme's identifier creates a new rival record.
        { url: `/api/${kind}/import`, payload: csvOf({ ...rivalOverwrite(kind), [info.nameField]: 'Rival Import' }), headers: csv, status: 200, check: expectField({ created: 1, updated: 0 }) },
        ...(Object.keys(info.refs).length
          ? [{ url: `/api/${kind}/import`, payload: csvOf({ ...refRecord, [info.idField]: `rival-${kind}-csv` }), headers: csv, status: 400, check: hasReferenceError, phase: 'probe' as const }]
          : []),
      ],
    },
  };
}

/** Every route of one acme recall case, called by rival with acme's case id: 404, and nothing changes. */
function recallCases(f: Fixture): Record<string, RouteCase> {
  const c = `/api/recalls/${enc(f.recall.caseId)}`;
  const probe = (url: string, payload?: Record<string, unknown>): RouteCase => ({ phase: 'probe', probes: [{ url, ...(payload ? { payload } : {}), status: 404 }] });
  const risks = { safety: 'low', regulatory: 'low', scope: 'low', reputation: 'low' };
  return {
    'GET /api/recalls/:caseId': probe(c),
    'GET /api/recalls/:caseId/timeline': probe(`${c}/timeline`),
    'GET /api/recalls/:caseId/tasks': probe(`${c}/tasks`),
    'POST /api/recalls/:caseId/tasks/:locationId/ack': probe(`${c}/tasks/acme-plant-x/ack`, { unitsRemoved: 1 }),
    'POST /api/recalls/:caseId/assess': probe(`${c}/assess`, { level: 1, voluntary: false, risks, reason: 'rival' }),
    'PUT /api/recalls/:caseId/notice-plan': probe(`${c}/notice-plan`, { audiences: ['public'], instructions: { 'zh-CN': 'x', en: 'x' } }),
    'POST /api/recalls/:caseId/scope': probe(`${c}/scope`, { reason: 'rival' }),
    'GET /api/recalls/:caseId/scope': probe(`${c}/scope`),
    'POST /api/recalls/:caseId/scope/:version/approve': probe(`${c}/scope/1/approve`, { reason: 'rival' }),
    'POST /api/recalls/:caseId/evidence': probe(`${c}/evidence`, { fileName: 'x.txt', mediaType: 'text/plain', contentBase64: 'eA==' }),
    'GET /api/recalls/:caseId/evidence/:attachmentId': probe(`${c}/evidence/${enc(f.recall.attachmentId)}`),
    'POST /api/recalls/:caseId/dispositions': probe(`${c}/dispositions`, { class: 'destroy', lots: [f.recall.lotCode], quantity: 1, locationId: 'acme-plant-x', witness: 'rival' }),
    'PUT /api/recalls/:caseId/rca': probe(`${c}/rca`, { categories: { man: ['x'] }, rootCause: 'x' }),
    'POST /api/recalls/:caseId/capas': probe(`${c}/capas`, { kind: 'corrective', action: 'x', owner: 'x', dueDate: '2025-10-01', effectivenessCheck: 'x' }),
    'POST /api/recalls/:caseId/capas/:capaId/complete': probe(`${c}/capas/capa_x/complete`, { effective: true, evidence: 'x' }),
    'POST /api/recalls/:caseId/reconcile': probe(`${c}/reconcile`),
    'POST /api/recalls/:caseId/returns': probe(`${c}/returns`, { channel: 'store', code: f.recall.lotCode, quantity: 1, storeId: 'acme-plant-x' }),
    'GET /api/recalls/:caseId/returns': { phase: 'probe', probes: [{ url: `${c}/returns`, status: 404 }] },
    'GET /api/recalls/:caseId/reports/:kind': { phase: 'probe', probes: ['plan', 'progress', 'summary', 'closing'].flatMap((k) => [{ url: `${c}/reports/${k}`, status: 404 }, { url: `${c}/reports/${k}?format=pdf`, status: 404 }]) },
    'POST /api/recalls/:caseId/cancel': probe(`${c}/cancel`, { reason: 'rival' }),
    'POST /api/recalls/:caseId/close': probe(`${c}/close`, { summary: 'rival' }),
    'GET /api/recalls/:caseId/clocks': probe(`${c}/clocks`),
    'GET /api/recalls/:caseId/progress': probe(`${c}/progress`),
  };
}

/** How rival calls every route. A route of the app missing here fails the test. */
function routeTable(f: Fixture): Record<string, RouteCase> {
  const events = (url: string): Probe => ({ url, status: 200, check: emptyAt('epcisBody', 'queryResults', 'resultsBody', 'eventList') });
  const rivalAudit = (body: unknown): string[] => {
    const items = field(body, 'items');
    return Array.isArray(items) ? items.filter((i) => f.tokenIds.includes(String(field(i, 'actor')))).map((i) => `acme's audit entry: ${JSON.stringify(i)}`) : ['expected items'];
  };
  return {
    // Public routes.
    'GET /healthz': { phase: 'public', probes: [{ url: '/healthz', status: 200 }] },
    'GET /metrics': { phase: 'public', probes: [{ url: '/metrics', status: 200 }] },
    'GET /docs': { phase: 'public', probes: [{ url: '/docs', status: 200 }] },
    'GET /docs/json': { phase: 'public', probes: [{ url: '/docs/json', status: 200 }] },
    'GET /docs/yaml': { phase: 'public', probes: [{ url: '/docs/yaml', status: 200 }] },
    'GET /docs/static/index.html': { phase: 'public', probes: [{ url: '/docs/static/index.html', status: 302 }] },
    'GET /docs/static/swagger-initializer.js': { phase: 'public', probes: [{ url: '/docs/static/swagger-initializer.js', status: 200 }] },
    'GET /docs/static/*': { phase: 'public', probes: [{ url: '/docs/static/swagger-ui.css', status: 200 }, { url: '/docs/static/no-such-file.js', status: 404 }] },

    // Tokens.
    'GET /api/tokens': { phase: 'probe', probes: [{ url: '/api/tokens', status: 200, check: allRivalAt('orgId', 'items') }] },
    'DELETE /api/tokens/:tokenId': { phase: 'probe', probes: f.tokenIds.map((id) => ({ url: `/api/tokens/${enc(id)}`, status: 404 })) },
    'GET /api/users': { phase: 'probe', probes: [{ url: '/api/users', status: 200, check: allRivalAt('orgId', 'items') }] },
    'PATCH /api/users/:userId': {
      phase: 'probe',
      probes: [
        { url: `/api/users/${enc(f.userId)}`, payload: { disabled: true }, status: 404 },
        { url: `/api/users/${enc(f.userId)}`, payload: { password: 'rival chose this 1', role: 'admin' }, status: 404 },
      ],
    },
    'POST /api/users': { phase: 'create', probes: [{ url: '/api/users', payload: { login: 'rival-person', role: 'viewer', password: 'rival password 1' }, status: 201, check: expectField({ orgId: 'rival' }) }] },
    // Sign-in is public: a wrong password for acme's user and an unknown login answer the same 401, naming nothing.
    'POST /api/session': {
      phase: 'public',
      probes: [
        { url: '/api/session', payload: { org: 'acme', login: 'acme-secret-login', password: 'not the password' }, status: 401 },
        { url: '/api/session', payload: { org: 'acme', login: 'nobody-at-all', password: 'not the password' }, status: 401 },
      ],
    },
    // Sign-out is public (it ends the cookie's session, if any): a forged acme cookie ends nothing.
    'DELETE /api/session': {
      phase: 'public',
      probes: [
        { url: '/api/session', status: 204 },
        { url: '/api/session', headers: { cookie: 'lotline_session=acme.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', origin: 'http://localhost' }, status: 204 },
      ],
    },
    'POST /api/tokens': { phase: 'create', probes: [{ url: '/api/tokens', payload: { role: 'viewer', label: 'rival token' }, status: 201, check: expectField({ orgId: 'rival' }) }] },

    // Audit.
    'GET /api/audit': {
      phase: 'probe',
      probes: [
        { url: '/api/audit?limit=500', status: 200, check: rivalAudit },
        { url: '/api/audit?before=1000000&limit=500', status: 200, check: rivalAudit },
        { url: `/api/audit?targetId=${enc(acmeRecords.products.productId as string)}`, status: 200, check: emptyAt('items') },
        { url: '/api/audit?q=acme', status: 200, check: emptyAt('items') },
        { url: '/api/audit?q=Secret', status: 200, check: emptyAt('items') },
        { url: `/api/audit?actor=${enc(f.tokenIds[0] ?? '')}`, status: 200, check: emptyAt('items') },
        { url: '/api/audit?targetType=capture', status: 200, check: emptyAt('items') },
        { url: '/api/audit?action=products.*', status: 200, check: emptyAt('items') },
      ],
    },

    // Master data.
    ...Object.fromEntries(KINDS.flatMap((k) => Object.entries(masterDataCases(k)))),

    // Batch codes: schemes and sequences are per organisation.
    'GET /api/batch-code-schemes': { phase: 'probe', probes: [{ url: '/api/batch-code-schemes', status: 200, check: (b) => [...emptyAt('items')(b), ...expectField({ 'default.pattern': DEFAULT_BATCH_PATTERN })(b)] }] },
    'GET /api/batch-codes/parse': {
      phase: 'probe',
      probes: [
        // Parsed with rival's (default) scheme, acme's codes do not parse; acme's scheme must not be used or shown.
        ...f.batchCodes.map((code) => ({ url: `/api/batch-codes/parse?code=${enc(code)}`, status: 400 })),
        ...f.batchCodes.map((code) => ({ url: `/api/batch-codes/parse?code=${enc(code)}&productLine=MC`, status: 400 })),
        { url: `/api/batch-codes/parse?code=250905-A1-D-001&productLine=MC`, status: 200 },
      ],
    },
    'PUT /api/batch-code-schemes/:productLine': {
      phase: 'create',
      probes: ['MC', '_default'].map((line) => ({ url: `/api/batch-code-schemes/${line}`, payload: { pattern: 'RIV{YYMMDD}{LINE:2}{SHIFT:1}{SEQ:3}' }, status: 200 })),
    },
    // Sequences are per organisation: rival's first code of acme's day, line and shift is number 1.
    'POST /api/batch-codes': { phase: 'create', probes: [{ url: '/api/batch-codes', payload: { ...allocation, count: 1 }, status: 201, check: expectField({ firstSequence: 1 }) }] },

    // Labels: acme's products cannot be printed by rival; a symbol carries only what the request gave.
    'POST /api/labels/batch': {
      phase: 'probe',
      probes: [{ url: '/api/labels/batch', payload: { productId: acmeRecords.products.productId, batchCode: '250905-MC-AM-001', count: 1, layout: 'a4-3x8' }, status: 400 }],
    },
    'GET /api/labels/symbol': { phase: 'probe', probes: [{ url: `/api/labels/symbol?code=${enc('(01)06901234567892(21)1')}`, status: 200 }] },

    // Trace: acme's codes are unknown to rival; rival's rule settings are its own.
    'GET /api/trace': { phase: 'probe', probes: acmeEpcs.flatMap((epc) => ['upstream', 'downstream', 'both'].map((d) => ({ url: `/api/trace?code=${enc(epc)}&direction=${d}`, status: 404 }))) },
    'GET /api/scope': { phase: 'probe', probes: acmeEpcs.map((epc) => ({ url: `/api/scope?code=${enc(epc)}`, status: 404 })) },
    'GET /api/mass-balance': { phase: 'probe', probes: acmeEpcs.map((epc) => ({ url: `/api/mass-balance?code=${enc(epc)}`, status: 400 })) },
    'GET /api/scope-rules': { phase: 'probe', probes: [{ url: '/api/scope-rules', status: 200, check: expectField({ version: 0 }) }] },
    'PUT /api/scope-rules': {
      phase: 'create',
      probes: [{ url: '/api/scope-rules', payload: { defaultRules: ['raw_lot'], sessionHours: 1, equipmentHours: 1, vehicleHours: 1, excursionMarginHours: 1, excursionLimits: [] }, status: 200, check: expectField({ version: 1 }) }],
    },

    // Exports: acme's products are unknown to rival, by id and by GTIN.
    'GET /api/exports/fsma204': {
      phase: 'probe',
      probes: [acmeRecords.products.productId as string, acmeGtin].flatMap((product) =>
        ['xlsx', 'csv'].map((format) => ({ url: `/api/exports/fsma204?product=${enc(product)}&from=2025-09-01T00:00:00%2B08:00&to=2025-10-01T00:00:00%2B08:00&format=${format}`, status: 404 })),
      ),
    },

    // Ledger.
    'GET /api/ledger/verify': { phase: 'probe', probes: [{ url: '/api/ledger/verify', status: 200, check: expectField({ ok: true, orgId: 'rival', 'report.entriesVerified': 0 }) }] },
    'GET /api/ledger/proof/:eventID': { phase: 'probe', probes: [...acmeEventIds, ...f.hashIds].map((id) => ({ url: `/api/ledger/proof/${enc(id)}`, status: 404 })) },
    'GET /api/ledger/checkpoints': { phase: 'probe', probes: [{ url: '/api/ledger/checkpoints?limit=1000', status: 200, check: emptyAt('items') }] },
    // One signing key serves the whole server; it is public by nature, so it is no leak.
    'GET /api/ledger/public-key': { phase: 'probe', probes: [{ url: '/api/ledger/public-key', status: 200 }] },


    // Recall: acme's case, its scope, holds, tasks, evidence and messages are acme's alone.
    ...recallCases(f),
    'GET /api/recalls': { phase: 'probe', probes: [{ url: '/api/recalls', status: 200, check: emptyAt('cases') }, { url: '/api/recalls?drill=true', status: 200, check: emptyAt('cases') }] },
    'POST /api/recalls': { phase: 'create', probes: [{ url: '/api/recalls', payload: { title: 'Rival recall', hazard: 'quality', origin: 'manual', codes: [acmeLot] }, status: 201, check: expectField({ 'case.status': 'open' }) }] },
    'POST /api/returns/:reference/receive': { phase: 'probe', probes: [{ url: '/api/returns/RT-AAAAAAAA/receive', payload: { qcCentreId: 'acme-plant-x' }, status: 404 }] },
    'GET /api/drills': { phase: 'probe', probes: [{ url: '/api/drills', status: 200, check: emptyAt('drills') }] },
    // Rival has no lot of its own, and acme's lot is unknown to it.
    'POST /api/drills': { phase: 'probe', probes: [{ url: '/api/drills', payload: { code: acmeLot }, status: [400, 404] }, { url: '/api/drills', payload: {}, status: 409 }] },
    'GET /api/recall-settings': { phase: 'probe', probes: [{ url: '/api/recall-settings', status: 200, check: expectField({ version: 0, brand: '' }) }] },
    'PUT /api/recall-settings': {
      phase: 'create',
      probes: [{ url: '/api/recall-settings', payload: { publicBaseUrl: 'https://rival.example', brand: 'Rival', escalationHours: [2], escalationContacts: [], defaultLang: 'en' }, status: 200, check: expectField({ version: 1 }) }],
    },
    'POST /api/members': { phase: 'create', probes: [{ url: '/api/members', payload: { members: [{ memberId: 'acme-member-x', email: 'rival@rival.example' }] }, status: 200, check: expectField({ members: 1 }) }] },
    'GET /api/me': { phase: 'probe', probes: [{ url: '/api/me', status: 200, check: expectField({ orgId: 'rival', role: 'admin' }) }] },
    // The console's files are the same for everyone; it signs in with a token.
    'GET /': { phase: 'public', probes: [{ url: '/', status: 302 }] },
    'GET /console': { phase: 'public', probes: [{ url: '/console', status: [200, 503] }] },
    'GET /console/*': { phase: 'public', probes: [{ url: '/console/', status: [200, 503] }, { url: '/console/recalls/x', status: [200, 503] }] },
    'GET /console/assets/*': { phase: 'public', probes: [{ url: '/console/assets/no-such-file.js', status: 404 }] },
    'GET /ack/:token': { phase: 'public', probes: [{ url: '/ack/acme.not-the-secret', status: 404 }, { url: '/ack/nothing', status: 404 }] },
    'POST /ack/:token': { phase: 'public', probes: [{ url: '/ack/acme.not-the-secret', payload: { unitsRemoved: 1 }, status: 404 }] },

    // POS: rival's checks do not see acme's holds; acme's places are unknown to rival.
    'GET /api/pos/check': { phase: 'probe', probes: [{ url: `/api/pos/check?code=${enc(acmeLot)}`, status: 200, check: expectField({ sellable: true, caseId: null }) }] },
    'GET /api/pos/blocklist': { phase: 'probe', probes: [{ url: '/api/pos/blocklist?store=acme-plant-x', status: 404 }] },

    // Outbox and webhooks.
    'GET /api/outbox': { phase: 'probe', probes: [{ url: '/api/outbox', status: 200, check: emptyAt('items') }, { url: `/api/outbox?caseId=${enc(f.recall.caseId)}`, status: 200, check: emptyAt('items') }] },
    'GET /api/outbox/summary': { phase: 'probe', probes: [{ url: `/api/outbox/summary?caseId=${enc(f.recall.caseId)}`, status: 200, check: expectField({ 'total.total': 0 }) }] },
    'GET /api/outbox/:messageId': { phase: 'probe', probes: [{ url: `/api/outbox/${enc(f.recall.messageId)}`, status: 404 }] },
    'POST /api/outbox/:messageId/retry': { phase: 'probe', probes: [{ url: `/api/outbox/${enc(f.recall.messageId)}/retry`, status: 404 }] },
    'GET /api/webhooks': { phase: 'probe', probes: [{ url: '/api/webhooks', status: 200, check: emptyAt('items') }] },
    'POST /api/webhooks': {
      phase: 'create',
      probes: [
        { url: '/api/webhooks', payload: { url: 'https://example.com/hook', topics: ['recall.notice'], locationId: 'acme-plant-x' }, status: 400, phase: 'probe' },
        { url: '/api/webhooks', payload: { url: 'https://example.com/rival-hook', topics: ['recall.notice'] }, status: 201 },
      ],
    },
    'DELETE /api/webhooks/:endpointId': { phase: 'probe', probes: [{ url: `/api/webhooks/${enc(f.recall.endpointId)}`, status: 404 }] },
    'POST /api/webhooks/:endpointId/ping': { phase: 'probe', probes: [{ url: `/api/webhooks/${enc(f.recall.endpointId)}/ping`, status: 404 }] },
    'GET /api/notice-templates': { phase: 'probe', probes: [{ url: '/api/notice-templates', status: 200 }] },
    'PUT /api/notice-templates/:kind/:lang': { phase: 'create', probes: [{ url: '/api/notice-templates/store/en', payload: { subject: 'Rival {{caseNumber}}', body: 'Rival notice {{caseNumber}}' }, status: 200 }] },
    'DELETE /api/notice-templates/:kind/:lang': { phase: 'create', probes: [{ url: '/api/notice-templates/public/en', status: [200, 404] }] },

    // Overview panels: acme's lots, readings, QC failures and overdue tasks are acme's alone.
    'GET /api/overview/expiring': { phase: 'probe', probes: [{ url: '/api/overview/expiring?hours=720&pastHours=720', status: 200, check: emptyAt('places') }] },
    'GET /api/overview/warnings': {
      phase: 'probe',
      probes: [{ url: '/api/overview/warnings?hours=720', status: 200, check: (b) => [...emptyAt('excursions')(b), ...emptyAt('qcFailures')(b), ...emptyAt('overdueTasks')(b)] }],
    },
    'GET /api/tasks': { phase: 'probe', probes: [{ url: '/api/tasks', status: 200, check: emptyAt('tasks') }, { url: '/api/tasks?location=acme-plant-x', status: 200, check: emptyAt('tasks') }] },
    // Field specs and label layouts are the same for every organisation (no organisation data).
    'GET /api/master-data/schema': { phase: 'probe', probes: [{ url: '/api/master-data/schema', status: 200 }] },
    'GET /api/labels/layouts': { phase: 'probe', probes: [{ url: '/api/labels/layouts', status: 200 }] },
    // Demo data: a job is the organisation's own; a bad story is refused before anything starts.
    'POST /api/demo-data': { phase: 'probe', probes: [{ url: '/api/demo-data', payload: { story: 'acme-secret-story' }, status: 400 }] },
    'POST /api/demo-data/scale': { phase: 'probe', probes: [{ url: '/api/demo-data/scale', payload: { events: 1 }, status: 400 }] },
    'GET /api/jobs/:jobId': { phase: 'probe', probes: [{ url: '/api/jobs/job_acme', status: 404 }] },
    // Consumer page and complaints: public pages answer by GTIN (an unknown one here); complaints are read by QA only.
    'GET /01/*': { phase: 'public', probes: [{ url: '/01/09999999999996/10/X1/21/1', status: 404 }] },
    'POST /consumer/complaints': { phase: 'public', probes: [{ url: '/consumer/complaints', payload: { code: '/01/09999999999996/21/1', text: 'hello' }, headers: { accept: 'application/json' }, status: 404 }] },
    'POST /consumer/returns': { phase: 'public', probes: [{ url: '/consumer/returns', payload: { code: '/01/09999999999996/21/1', compensation: 'refund' }, headers: { accept: 'application/json' }, status: 404 }] },
    'GET /api/complaints': { phase: 'probe', probes: [{ url: '/api/complaints', status: 200, check: emptyAt('complaints') }] },
    'GET /api/complaints/:complaintId': { phase: 'probe', probes: [{ url: `/api/complaints/${enc(f.recall.complaintId)}`, status: 404 }] },
    'GET /api/complaints/:complaintId/photo': { phase: 'probe', probes: [{ url: `/api/complaints/${enc(f.recall.complaintId)}/photo`, status: 404 }] },
    'GET /api/consumer-settings': { phase: 'probe', probes: [{ url: '/api/consumer-settings', status: 200, check: expectField({ version: 0 }) }] },
    'PUT /api/consumer-settings': { phase: 'create', probes: [{ url: '/api/consumer-settings', payload: { public: { plantCity: true } }, status: 200 }] },
    // Calendar: acme's own holidays are acme's.
    'GET /api/calendar': {
      phase: 'probe',
      probes: [
        { url: '/api/calendar?year=2027', status: 200, check: expectField({ source: 'none' }) },
        { url: '/api/calendar?year=2025', status: 200, check: expectField({ source: 'built-in' }) },
      ],
    },
    'GET /api/calendar/working-days': { phase: 'probe', probes: [{ url: `/api/calendar/working-days?from=${enc('2027-03-02T10:00:00+08:00')}&days=1`, status: 200, check: expectField({ lastWorkingDay: '2027-03-03' }) }] },
    'PUT /api/calendar/:year': { phase: 'create', probes: [{ url: '/api/calendar/2027', payload: { entries: [{ day: '2027-03-05', kind: 'holiday', name: 'Rival day' }] }, status: 200, check: expectField({ 'calendar.source': 'organisation' }) }] },

    // EPCIS.
    'GET /epcis/capture': { phase: 'probe', probes: [{ url: '/epcis/capture?limit=500', status: 200, check: emptyAt() }] },
    'GET /epcis/capture/:captureID': { phase: 'probe', probes: [...f.captureIds, f.rejectedCaptureId].map((id) => ({ url: `/epcis/capture/${enc(id)}`, status: 404 })) },
    'GET /epcis/events': {
      phase: 'probe',
      probes: [
        events('/epcis/events'),
        events('/epcis/events?perPage=10000'),
        ...acmeEpcs.map((epc) => events(`/epcis/events?MATCH_epc=${enc(epc)}`)),
        events(`/epcis/events?MATCH_anyEPC=${enc('urn:epc:idpat:sgtin:6901234.067890.*')}`),
        events(`/epcis/events?EQ_eventID=${acmeEventIds.map(enc).join(',')}`),
        events(`/epcis/events?EQ_readPoint=${enc('urn:epc:id:sgln:6901234.77777.0')}`),
        events('/epcis/events?EQ_bizStep=commissioning'),
        events('/epcis/events?eventType=ObjectEvent&GE_eventTime=2025-01-01T00:00:00Z'),
        // Acme's page token: rival may get an empty page or a refusal, never acme's events.
        { url: `/epcis/events?perPage=1&nextPageToken=${enc(f.nextPageToken)}`, status: [200, 400], check: (b) => (field(b, 'type') === 'EPCISQueryDocument' ? emptyAt('epcisBody', 'queryResults', 'resultsBody', 'eventList')(b) : []) },
      ],
    },
    'GET /epcis/events/:eventID': { phase: 'probe', probes: [...acmeEventIds, ...f.hashIds].map((id) => ({ url: `/epcis/events/${enc(id)}`, status: 404 })) },
    'GET /epcis/eventTypes': { phase: 'probe', probes: [{ url: '/epcis/eventTypes', status: 200 }] },
    // Event identity (eventID, hash ID) is per organisation: acme's events are new to rival, never duplicates or conflicts.
    'POST /epcis/capture': { phase: 'create', probes: [{ url: '/epcis/capture', payload: acmeDocument, headers: ld, status: 202, check: expectField({ storedCount: 2, duplicateCount: 0 }) }] },
    'POST /epcis/events': { phase: 'create', probes: [{ url: '/epcis/events', payload: acmeSingleEvent, headers: ld, status: 202, check: expectField({ storedCount: 1, duplicateCount: 0 }) }] },
  };
}

// ---------------------------------------------------------------------------------------------
// The walk, on every engine
// ---------------------------------------------------------------------------------------------

describe.each(testEngines())('tenant isolation on %s', (engine) => {
  let t: TestApp;
  let f: Fixture;
  let routes: Route[];

  const inject = (method: string, url: string, headers: Record<string, string>, payload?: string | Readonly<Record<string, unknown>>): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as string }) });

  /** Call as acme's admin and insist on `status`. */
  const asAcme = async (method: string, url: string, status: number, payload?: string | Readonly<Record<string, unknown>>, headers: Record<string, string> = {}): Promise<unknown> => {
    const res = await inject(method, url, { ...t.auth('admin'), ...headers }, payload);
    if (res.statusCode !== status) throw new Error(`setup: ${method} ${url} answered ${res.statusCode}, expected ${status}: ${res.body.slice(0, 500)}`);
    return res.body === '' ? null : (JSON.parse(res.body) as unknown);
  };

  /** Acme's strings found in an answer that the request did not itself send. */
  const leaks = (res: LightMyRequestResponse, requestText: string): string[] => {
    const answer = `${JSON.stringify(res.headers)}\n${res.body}`;
    return f.markers.filter((m) => answer.includes(m) && !requestText.includes(m));
  };

  const requestTextOf = (url: string, payload: unknown, headers: Readonly<Record<string, string>>): string => {
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // keep the raw URL
    }
    return `${url}\n${decoded}\n${typeof payload === 'string' ? payload : JSON.stringify(payload ?? '')}\n${JSON.stringify(headers)}`;
  };

  /** What acme can see of its own data: compared before and after rival's walk. */
  const acmeSnapshot = async (): Promise<Record<string, unknown>> => {
    const urls = [
      ...KINDS.flatMap((k) => [`/api/${k}/${enc(String(acmeRecords[k][kindInfo[k].idField]))}`, `/api/${k}/acme-archived-${k}`, `/api/${k}?includeArchived=true&limit=1000`]),
      '/api/tokens',
      '/api/audit?limit=500',
      '/epcis/capture?limit=500',
      ...[...f.captureIds, f.rejectedCaptureId].map((id) => `/epcis/capture/${enc(id)}`),
      '/epcis/events?perPage=10000',
      ...acmeEventIds.map((id) => `/epcis/events/${enc(id)}`),
      '/api/ledger/checkpoints?limit=1000',
      '/api/ledger/verify',
      '/api/batch-code-schemes',
      ...f.batchCodes.map((code) => `/api/batch-codes/parse?code=${enc(code)}`),
      '/api/scope-rules',
      ...acmeEpcs.map((epc) => `/api/trace?code=${enc(epc)}`),
      `/api/recalls/${enc(f.recall.caseId)}`,
      `/api/recalls/${enc(f.recall.caseId)}/timeline`,
      `/api/recalls/${enc(f.recall.caseId)}/scope`,
      `/api/outbox/${enc(f.recall.messageId)}`,
      '/api/webhooks',
      '/api/recall-settings',
      '/api/calendar?year=2027',
      '/api/notice-templates',
      `/api/pos/check?code=${enc(acmeLot)}`,
      '/api/complaints',
      `/api/complaints/${enc(f.recall.complaintId)}`,
      '/api/consumer-settings',
    ];
    const out: Record<string, unknown> = {};
    for (const url of urls) {
      const res = await inject('GET', url, t.auth('admin'));
      // Times of the answer itself (a POS check's, the clocks' remaining time) move on; they are not acme's data.
      const body = JSON.parse(res.body, (k, v: unknown) => (k === 'checkedAt' || k === 'remainingMs' ? undefined : v)) as Record<string, unknown>;
      // The query document's creationDate is the time of the query; a problem's instance is the request id.
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
        delete body.creationDate;
        delete body.instance;
        delete body.tookMs;
      }
      // A sign-in attempt naming acme is recorded in acme's audit log on purpose (admins see who tried): not a change of acme's data.
      if (url.startsWith('/api/audit') && Array.isArray(body.items)) body.items = (body.items as { action: string }[]).filter((i) => i.action !== 'session.login-failed');
      out[url] = { status: res.statusCode, body };
    }
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    routes = registeredRoutes(t.app);

    // One of everything, through the API, as acme.
    for (const kind of ['parties', 'locations', 'products', 'equipment', 'operators'] as const) {
      await asAcme('POST', `/api/${kind}`, 201, acmeRecords[kind]);
      const info = kindInfo[kind];
      const archived: Record<string, unknown> = { ...acmeRecords[kind], [info.idField]: `acme-archived-${kind}` };
      for (const key of info.uniqueKeys) delete archived[key];
      await asAcme('POST', `/api/${kind}`, 201, archived);
      await asAcme('DELETE', `/api/${kind}/acme-archived-${kind}`, 200);
    }
    for (const [line, scheme] of Object.entries(acmeSchemes)) await asAcme('PUT', `/api/batch-code-schemes/${line}`, 200, scheme);
    const codes = (await asAcme('POST', '/api/batch-codes', 201, { ...allocation, count: 3 })) as { codes: string[] };
    const mcCodes = (await asAcme('POST', '/api/batch-codes', 201, { ...allocation, productLine: 'MC', count: 1 })) as { codes: string[] };
    const captured = (await asAcme('POST', '/epcis/capture', 202, acmeDocument, ld)) as { captureID: string };
    const single = (await asAcme('POST', '/epcis/events', 202, acmeSingleEvent, ld)) as { captureID: string };
    const bad = await inject('POST', '/epcis/capture', { ...t.auth('admin'), ...ld }, acmeDocument.replace('"ADD"', '"CREATE"'));
    if (bad.statusCode !== 400 || typeof bad.headers.location !== 'string') throw new Error(`setup: the invalid capture answered ${bad.statusCode} ${bad.body}`);
    const rejectedCaptureId = bad.headers.location.split('/').pop() ?? '';
    const secret = (await asAcme('POST', '/api/tokens', 201, { role: 'viewer', label: 'acme-secret-label-x' })) as { tokenId: string; token: string };
    const page = (await asAcme('GET', '/epcis/events?perPage=1', 200)) as { nextPageToken: string };
    // Proofs cut a checkpoint, so acme has signed checkpoints too.
    const proofs: { proof: Record<string, unknown> }[] = [];
    for (const id of acmeEventIds) proofs.push((await asAcme('GET', `/api/ledger/proof/${enc(id)}`, 200)) as { proof: Record<string, unknown> });
    const tokens = (await asAcme('GET', '/api/tokens', 200)) as { items: { tokenId: string }[] };
    const user = (await asAcme('POST', '/api/users', 201, { login: 'acme-secret-login', displayName: 'Acme 秘密用户', role: 'qa', password: 'acme secret password 1' })) as { userId: string };
    const signedIn = await inject('POST', '/api/session', {}, { org: 'acme', login: 'acme-secret-login', password: 'acme secret password 1' });
    const acmeSession = /lotline_session=([^;]*)/.exec(String(signedIn.headers['set-cookie']))?.[1];
    if (signedIn.statusCode !== 200 || !acmeSession) throw new Error(`setup: acme's user could not sign in: ${signedIn.statusCode} ${signedIn.body}`);
    const checkpoints = (await asAcme('GET', '/api/ledger/checkpoints', 200)) as { items: { checkpointHash: string; signature: string; body: { merkleRoot: string; headHash: string } }[] };

    // Acme's recall: a lot, a case on it with evidence and an approved scope (the lot is held), a webhook
    // endpoint that the hold's block-list push queued a message for, and an own calendar year.
    await asAcme('POST', '/epcis/capture', 202, acmeLotDocument, ld);
    const endpoint = (await asAcme('POST', '/api/webhooks', 201, { url: 'https://acme.example/secret-hook', topics: ['pos.blocklist'] })) as { endpointId: string; secret: string };
    const opened = (await asAcme('POST', '/api/recalls', 201, { title: acmeRecallTitle, hazard: 'microbial', origin: 'complaint', description: 'Acme secret complaint', codes: [acmeLot] })) as { case: { caseId: string } };
    const caseUrl = `/api/recalls/${opened.case.caseId}`;
    const evidence = (await asAcme('POST', `${caseUrl}/evidence`, 201, { fileName: 'acme-secret-photo.jpg', mediaType: 'image/jpeg', contentBase64: Buffer.from('acme secret photo').toString('base64') })) as { attachmentId: string };
    await asAcme('POST', `${caseUrl}/assess`, 200, { level: 1, voluntary: false, risks: { safety: 'high', regulatory: 'high', scope: 'low', reputation: 'high' }, reason: 'Acme secret reason' });
    await asAcme('PUT', `${caseUrl}/notice-plan`, 200, { audiences: ['public'], instructions: { 'zh-CN': '秘密指示', en: 'Acme secret instruction' } });
    await asAcme('POST', `${caseUrl}/scope`, 201, { rules: ['downstream'], reason: 'Acme secret scope' });
    await asAcme('POST', `${caseUrl}/scope/1/approve`, 200, { reason: 'Acme secret approval' });
    const messages = (await asAcme('GET', `/api/outbox?caseId=${opened.case.caseId}`, 200)) as { items: { messageId: string }[] };
    if (!messages.items[0]) throw new Error('setup: the hold queued no block-list message');
    // Acme's overview shows its warnings (so rival's empty answer below means something).
    const acmeWarnings = (await asAcme('GET', '/api/overview/warnings?hours=720', 200)) as { excursions: unknown[]; qcFailures: unknown[] };
    if (acmeWarnings.qcFailures.length === 0 || acmeWarnings.excursions.length === 0) throw new Error(`setup: acme's warnings are empty: ${JSON.stringify(acmeWarnings).slice(0, 300)}`);
    await asAcme('PUT', '/api/calendar/2027', 200, { entries: [{ day: '2027-03-03', kind: 'holiday', name: 'Acme Secret Day' }] });
    await asAcme('PUT', '/api/recall-settings', 200, { publicBaseUrl: 'https://acme-secret.example', brand: 'AcmeSecretBrand', escalationHours: [4], escalationContacts: ['qa@acme.example'], defaultLang: 'zh-CN' });
    // A consumer's complaint about one of acme's packs (the consumer page is anonymous; the GTIN decides the organisation).
    const complaint = (await asAcme('POST', '/consumer/complaints', 201, { code: `/01/${acmeGtin}/21/4711001`, text: 'Acme secret complaint text: the lid was open' }, { accept: 'application/json' })) as { complaintId: string };
    await asAcme('PUT', '/api/consumer-settings', 200, { public: { plantCity: false } });
    const recall = { caseId: opened.case.caseId, attachmentId: evidence.attachmentId, endpointId: endpoint.endpointId, messageId: messages.items[0].messageId, lotCode: acmeLot, complaintId: complaint.complaintId };

    const hashIds = proofs.map((p) => String(p.proof.eventHashId));
    const recordStrings = KINDS.flatMap((k) =>
      Object.entries(acmeRecords[k])
        .filter(([name]) => !['kind', 'type', 'granularity', 'shelfLifeHours'].includes(name))
        .map(([, v]) => String(v)),
    );
    f = {
      captureIds: [captured.captureID, single.captureID],
      rejectedCaptureId,
      tokenIds: tokens.items.map((i) => i.tokenId),
      userId: user.userId,
      hashIds,
      nextPageToken: page.nextPageToken,
      batchCodes: [...codes.codes, ...mcCodes.codes],
      recall,
      markers: [
        ...new Set([
          '"acme"',
          'Acme Bakery 月华坊',
          ...recordStrings,
          ...KINDS.map((k) => `acme-archived-${k}`),
          ...acmeEventIds,
          ...acmeEpcs,
          'Acme secret recipe',
          'urn:epc:id:sgln:6901234.77777.0',
          captured.captureID,
          single.captureID,
          rejectedCaptureId,
          'acme-secret-label-x',
          user.userId, 'acme-secret-login', 'Acme 秘密用户', acmeSession, acmeSession.split('.')[1] ?? acmeSession,
          'ACMEQ',
          'ACMEMC',
          ...codes.codes,
          ...mcCodes.codes,
          secret.token,
          ...Object.values(t.tokens),
          ...tokens.items.map((i) => i.tokenId),
          ...hashIds,
          ...proofs.flatMap((p) => [String(p.proof.entryHash), String(p.proof.contentHash)]),
          ...checkpoints.items.flatMap((c) => [c.checkpointHash, c.signature, c.body.merkleRoot, c.body.headHash]),
          acmeRecallTitle, 'Acme secret complaint', 'Acme secret reason', 'Acme secret instruction', 'Acme secret scope', 'Acme Secret Day',
          'acme-secret-photo.jpg', 'https://acme.example/secret-hook', 'https://acme-secret.example', 'ACMESECRETLOT', endpoint.secret,
          recall.caseId, recall.attachmentId, recall.endpointId, recall.messageId, recall.complaintId, 'Acme secret complaint text',
        ]),
      ].filter((m) => m !== ''),
    };
    // Rival's own token must not be a marker (rival sees it in its token list).
    f = { ...f, markers: f.markers.filter((m) => m !== t.tokens.other) };
  });
  afterAll(async () => t?.close());

  it('reads the route list from the app', () => {
    expect(routes.length).toBeGreaterThanOrEqual(60);
    expect(routes).toContainEqual({ method: 'POST', url: '/epcis/capture' });
    expect(routes).toContainEqual({ method: 'DELETE', url: '/api/tokens/:tokenId' });
    expect(routes).toContainEqual({ method: 'GET', url: '/docs/static/*' });
  });

  it('knows how to call every route, and names no route the app lacks', () => {
    const table = routeTable(f);
    const missing = routes.filter((r) => !(routeKey(r) in table) && !(r.method === 'HEAD' && `GET ${r.url}` in table)).map(routeKey);
    expect(missing, 'routes with no entry in the tenant-isolation table: add how rival should call them').toEqual([]);
    const stale = Object.keys(table).filter((k) => !routes.some((r) => routeKey(r) === k));
    expect(stale, 'table entries for routes the app does not have').toEqual([]);
  });

  it('answers without a token only on the public allow-list (/healthz, /metrics, /docs*)', async () => {
    const table = routeTable(f);
    const wrong: string[] = [];
    for (const r of routes) {
      const entry = table[routeKey(r)] ?? table[`GET ${r.url}`];
      const url = entry?.probes[0]?.url ?? r.url.replace(/:\w+/g, 'x').replace('*', 'x');
      const res = await inject(r.method, url, {});
      const isPublic = res.statusCode !== 401;
      if (isPublic !== isAllowedPublic(r.url)) wrong.push(`${routeKey(r)} answered ${res.statusCode} without a token (${isAllowedPublic(r.url) ? 'should be public' : 'should need a token'})`);
      if (isPublic !== (entry?.phase === 'public')) wrong.push(`${routeKey(r)}: the table says phase ${entry?.phase ?? '(none)'}, but the route ${isPublic ? 'is' : 'is not'} public`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a missing, malformed, unknown, revoked or expired token on every other route with 401', async () => {
    const revoked = (await asAcme('POST', '/api/tokens', 201, { role: 'admin', label: 'to revoke' })) as { tokenId: string; token: string };
    await asAcme('DELETE', `/api/tokens/${revoked.tokenId}`, 200);
    const expired = (await asAcme('POST', '/api/tokens', 201, { role: 'admin', label: 'expired', expiresAt: '2000-01-01T00:00:00Z' })) as { token: string };
    const badHeaders: Record<string, Record<string, string>> = {
      'no token': {},
      'empty bearer': { authorization: 'Bearer ' },
      'basic auth': { authorization: `Basic ${Buffer.from('acme:admin').toString('base64')}` },
      'unknown token': { authorization: 'Bearer llt_nope_0000000000000000000000000000000000000000000' },
      'acme token with a wrong secret': { authorization: `Bearer ${t.tokens.admin.slice(0, -4)}AAAA` },
      'two tokens': { authorization: `Bearer ${t.tokens.admin} ${t.tokens.other}` },
      'revoked token': { authorization: `Bearer ${revoked.token}` },
      'expired token': { authorization: `Bearer ${expired.token}` },
      'forged session cookie': { cookie: 'lotline_session=acme.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', origin: 'http://localhost' },
      'malformed session cookie': { cookie: 'lotline_session=nonsense' },
    };
    const table = routeTable(f);
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !isAllowedPublic(x.url))) {
      const entry = table[routeKey(r)] ?? table[`GET ${r.url}`];
      const url = entry?.probes[0]?.url ?? r.url.replace(/:\w+/g, 'x');
      for (const [name, headers] of Object.entries(badHeaders)) {
        const res = await inject(r.method, url, headers);
        const body = r.method === 'HEAD' ? null : (JSON.parse(res.body) as unknown);
        if (res.statusCode !== 401) wrong.push(`${r.method} ${url} with ${name}: ${res.statusCode}`);
        else if (body !== null && field(body, 'type') !== 'epcisException:UnauthorizedException') wrong.push(`${r.method} ${url} with ${name}: body ${res.body.slice(0, 200)}`);
        const leaked = leaks(res, requestTextOf(url, undefined, headers));
        if (leaked.length) wrong.push(`${r.method} ${url} with ${name} leaks ${leaked.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("shows and changes nothing of acme's to rival on any route", async () => {
    const table = routeTable(f);
    const before = await acmeSnapshot();
    const wrong: string[] = [];
    const call = async (method: string, probe: Probe, auth: Record<string, string>, label: string): Promise<void> => {
      const headers = { ...auth, ...probe.headers };
      const res = await inject(method, probe.url, headers, probe.payload);
      const allowed = typeof probe.status === 'number' ? [probe.status] : probe.status;
      const where = `${label} ${method} ${probe.url}`;
      if (!allowed.includes(res.statusCode)) wrong.push(`${where}: answered ${res.statusCode}, expected ${allowed.join(' or ')}: ${res.body.slice(0, 300)}`);
      const leaked = leaks(res, requestTextOf(probe.url, probe.payload, headers));
      if (leaked.length) wrong.push(`${where}: the answer contains acme's ${leaked.map((m) => JSON.stringify(m)).join(', ')}`);
      if (method === 'HEAD') {
        if (res.body !== '') wrong.push(`${where}: HEAD answered with a body`);
      } else if (probe.check && allowed.includes(res.statusCode)) {
        let body: unknown;
        try {
          body = JSON.parse(res.body);
        } catch {
          wrong.push(`${where}: not JSON: ${res.body.slice(0, 200)}`);
          return;
        }
        wrong.push(...probe.check(body).map((p) => `${where}: ${p}`));
      }
    };
    for (const phase of ['public', 'probe', 'create'] as const) {
      for (const r of routes) {
        const entry = table[routeKey(r)] ?? table[`GET ${r.url}`];
        for (const probe of entry?.probes ?? []) {
          if ((probe.phase ?? entry?.phase) !== phase) continue;
          await call(r.method, probe, t.auth('other'), 'rival:');
          if (phase === 'public') await call(r.method, probe, {}, 'anonymous:');
        }
      }
    }
    expect(wrong).toEqual([]);
    // Everything of acme's is exactly as it was, and its tokens still work.
    expect(await acmeSnapshot()).toEqual(before);
    // Rival's allocation did not advance acme's sequence (3 codes, then 1 for MC: the next is 5).
    expect(await asAcme('POST', '/api/batch-codes', 201, { ...allocation, count: 1 })).toMatchObject({ firstSequence: 5 });
    for (const token of [t.tokens.admin, t.tokens.viewer]) {
      const res = await inject('GET', '/epcis/eventTypes', { authorization: `Bearer ${token}` });
      expect(res.statusCode).toBe(200);
    }
  });
});

import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidate } from '../../app/pos/hold-signal.ts';
import { type RecallDeps, caseTimeline, getCase, listCases, openCase, runCommand, scopeVersion } from '../../app/recall/cases.ts';
import { caseClocks, clockViews } from '../../app/recall/clocks.ts';
import { drillHistory, proposeScope, reconcile, startDrill } from '../../app/recall/drills.ts';
import { type MemberInput, upsertMembers } from '../../app/recall/members.ts';
import { recoveryProgress } from '../../app/recall/progress.ts';
import { RECALL_SCOPE_RULES } from '../../app/recall/recall-scope.ts';
import { REPORT_KINDS, type RecallReportKind } from '../../app/recall/report-data.ts';
import { renderRecallReport } from '../../app/recall/report-pdf.ts';
import { recallReportData } from '../../app/recall/reports.ts';
import { COMPENSATIONS, createConsumerReturn, createStoreReturn, listReturns, receiveReturn } from '../../app/recall/returns.ts';
import { type RecallSettings, recallSettings, saveRecallSettings } from '../../app/recall/settings.ts';
import { acknowledgeByLink, acknowledgeTask, listTasks, taskByLink } from '../../app/recall/tasks.ts';
import { loadCalendar } from '../../app/calendar.ts';
import { DomainError } from '../../core/errors.ts';
import { LEVEL_COLOURS } from '../../core/recall/levels.ts';
import { AUDIENCES, DISPOSITION_CLASSES, FDA_CLASSES, HAZARDS, ORIGINS, RCA_CATEGORIES, RISK_GRADES, type RecallState } from '../../core/recall/types.ts';
import type { ScopeRule } from '../../app/trace/types.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const enumOf = <T extends string>(values: readonly T[], description?: string) => Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const Reason = Text(2000, 'why: kept in the decision log, never edited');
const CaseParams = Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 100 }) });
const Code = Type.String({ minLength: 1, maxLength: 4096, description: 'any code: Digital Link, element string, EPC URI, GTIN + lot, batch code' });
const Localised = Type.Object({ 'zh-CN': Text(2000), en: Text(2000) }, { additionalProperties: false });
/** Attachments are sent as base64 JSON; 10 MiB of file at most. */
const MAX_ATTACHMENT = 10 * 1024 * 1024;

/** Recall cases, scope, holds, tasks, returns, dispositions, RCA/CAPA, clocks, progress, reports, drills. */
export function registerRecallRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['recall'];
  const recall: RecallDeps = {
    ctx: deps.ctx,
    signer: deps.signer,
    afterCommit: (orgId, changed) => {
      if (changed.holds) invalidate(orgId);
      if (changed.notices) deps.outbox?.wake();
    },
  };
  const caseId = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const done = async (request: FastifyRequest, result: { state: RecallState; outcome: unknown }) => ({ ...(await caseBody(request, result.state)), outcome: result.outcome });
  const caseBody = async (request: FastifyRequest, state: RecallState) => {
    const calendar = await loadCalendar(deps.ctx, principalOf(request).orgId);
    return {
      case: state,
      allowed: (await getCase(deps.ctx, principalOf(request).orgId, state.caseId)).allowed,
      level: state.assessment ? LEVEL_COLOURS[state.assessment.level] : null,
      clocks: clockViews(caseClocks(state, calendar, deps.ctx.clock.now())),
    };
  };

  app.get('/api/recalls', {
    config: { permission: 'recall:read' },
    schema: {
      tags,
      summary: 'Recall cases, newest first',
      querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 40 })), drill: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query as { status?: string; drill?: boolean; limit: number };
    return { cases: await listCases(deps.ctx, principalOf(request).orgId, q) };
  });

  app.post('/api/recalls', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Open a recall case from a complaint, a QC finding, a warning or by hand',
      body: Type.Object(
        {
          title: Text(300),
          hazard: enumOf(HAZARDS),
          origin: enumOf(ORIGINS.filter((o) => o !== 'drill')),
          description: Type.String({ maxLength: 10_000, default: '' }),
          productGtin: Type.Optional(Type.String({ pattern: '^\\d{14}$' })),
          codes: Type.Array(Code, { minItems: 1, maxItems: 200, description: 'the suspected codes' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request, reply) => {
    const body = request.body as { title: string; hazard: RecallState['hazard']; origin: RecallState['origin']; description: string; productGtin?: string; codes: string[] };
    const result = await openCase(recall, principalOf(request), { ...body, productGtin: body.productGtin ?? null }, request.id);
    reply.code(201).header('location', `/api/recalls/${result.state.caseId}`);
    return done(request, result);
  });

  app.get('/api/recalls/:caseId', { config: { permission: 'recall:read' }, schema: { tags, summary: 'A recall case: its state, the commands it accepts now, its level colour and legal clocks', params: CaseParams } }, async (request) =>
    caseBody(request, (await getCase(deps.ctx, principalOf(request).orgId, caseId(request))).state),
  );

  app.get('/api/recalls/:caseId/timeline', { config: { permission: 'recall:read' }, schema: { tags, summary: 'The decision log: every accepted command, who, when and why', params: CaseParams } }, async (request) => ({
    entries: await caseTimeline(deps.ctx, principalOf(request).orgId, caseId(request)),
  }));

  app.post('/api/recalls/:caseId/assess', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Record the risk assessment and decide the level (China 1/2/3, optional FDA class, voluntary); a later assessment supersedes',
      params: CaseParams,
      body: Type.Object(
        {
          level: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
          fdaClass: Type.Optional(enumOf(FDA_CLASSES)),
          voluntary: Type.Boolean({ default: false }),
          risks: Type.Object({ safety: enumOf(RISK_GRADES), regulatory: enumOf(RISK_GRADES), scope: enumOf(RISK_GRADES), reputation: enumOf(RISK_GRADES) }, { additionalProperties: false }),
          reason: Reason,
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const b = request.body as { level: 1 | 2 | 3; fdaClass?: 'I' | 'II' | 'III'; voluntary: boolean; risks: { safety: 'low'; regulatory: 'low'; scope: 'low'; reputation: 'low' }; reason: string };
    return done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'assess', level: b.level, fdaClass: b.fdaClass ?? null, voluntary: b.voluntary, risks: b.risks, reason: b.reason }, { requestId: request.id }));
  });

  app.put('/api/recalls/:caseId/notice-plan', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Set the notice plan: audiences, what to do (zh-CN and en), compensation, hours for stores to acknowledge',
      params: CaseParams,
      body: Type.Object(
        {
          audiences: Type.Array(enumOf(AUDIENCES), { minItems: 1, uniqueItems: true }),
          instructions: Localised,
          compensation: Type.Array(Text(100), { maxItems: 10, default: [] }),
          ackHours: Type.Number({ exclusiveMinimum: 0, maximum: 720, default: 4 }),
          reason: Type.String({ maxLength: 2000, default: '' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const { reason, ...plan } = request.body as { audiences: (typeof AUDIENCES)[number][]; instructions: { 'zh-CN': string; en: string }; compensation: string[]; ackHours: number; reason: string };
    return done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'set_notice_plan', plan, reason }, { requestId: request.id }));
  });

  app.post('/api/recalls/:caseId/scope', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Propose a scope version from the trace engine (downstream and co-exposure rules), with lots added or removed by hand; amendments are new versions with a diff',
      params: CaseParams,
      body: Type.Object(
        {
          codes: Type.Optional(Type.Array(Code, { minItems: 1, maxItems: 200 })),
          rules: Type.Optional(Type.Array(enumOf(RECALL_SCOPE_RULES), { uniqueItems: true })),
          asOf: Type.Optional(Type.String({ maxLength: 64 })),
          include: Type.Optional(Type.Array(Type.Object({ code: Code, reason: Text(1000) }, { additionalProperties: false }), { maxItems: 500 })),
          exclude: Type.Optional(Type.Array(Type.Object({ code: Code, reason: Text(1000) }, { additionalProperties: false }), { maxItems: 500 })),
          reason: Reason,
        },
        { additionalProperties: false },
      ),
    },
  }, async (request, reply) => {
    const b = request.body as { codes?: string[]; rules?: ScopeRule[]; asOf?: string; include?: { code: string; reason: string }[]; exclude?: { code: string; reason: string }[]; reason: string };
    const actor = principalOf(request);
    const { state } = await getCase(deps.ctx, actor.orgId, caseId(request));
    const result = await proposeScope(recall, actor, state, { ...b, asOf: b.asOf === undefined ? null : timeParam(b.asOf, '/asOf') }, request.id);
    reply.code(201);
    return { ...(await done(request, result)), scope: await scopeVersion(deps.ctx, actor.orgId, state.caseId, result.state.scopes.at(-1)?.version) };
  });

  app.get('/api/recalls/:caseId/scope', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'A frozen scope version with the reason for each lot (default: the one in force)', params: CaseParams, querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }) },
  }, async (request) => {
    const scope = await scopeVersion(deps.ctx, principalOf(request).orgId, caseId(request), (request.query as { version?: number }).version);
    if (!scope) throw new DomainError('NoSuchResourceException', 'this case has no scope yet', [{ pointer: '/version', message: 'no scope', rule: 'exists' }]);
    return scope;
  });

  app.post('/api/recalls/:caseId/scope/:version/approve', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Approve a scope version: its lots become not sellable and not shippable, stores and warehouses get tasks, the notice plan is queued',
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 100 }), version: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ reason: Reason }, { additionalProperties: false }),
    },
  }, async (request) => {
    const p = request.params as { caseId: string; version: number };
    return done(request, await runCommand(recall, principalOf(request), p.caseId, { type: 'approve_scope', version: p.version, reason: (request.body as { reason: string }).reason }, { requestId: request.id }));
  });

  app.post('/api/recalls/:caseId/evidence', {
    config: { permission: 'recall:decide' },
    bodyLimit: Math.ceil(MAX_ATTACHMENT * 1.4) + 10_000,
    schema: {
      tags,
      summary: 'Attach evidence (complaint photo, lab report): base64 content, 10 MiB at most',
      params: CaseParams,
      body: Type.Object({ fileName: Text(255), mediaType: Type.String({ pattern: '^[\\w.+-]+/[\\w.+-]+$', maxLength: 100 }), contentBase64: Type.String({ minLength: 1 }), note: Type.String({ maxLength: 2000, default: '' }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const b = request.body as { fileName: string; mediaType: string; contentBase64: string; note: string };
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b.contentBase64)) throw new DomainError('ValidationException', 'contentBase64 is not base64', [{ pointer: '/contentBase64', message: 'base64', rule: 'format' }]);
    const content = Buffer.from(b.contentBase64, 'base64');
    if (content.length > MAX_ATTACHMENT) throw new DomainError('PayloadTooLargeException', 'an attachment is 10 MiB at most', [{ pointer: '/contentBase64', message: '10 MiB at most', rule: 'maxSize' }]);
    const actor = principalOf(request);
    const id = deps.ctx.ids.next('att');
    const sha256 = createHash('sha256').update(content).digest('hex');
    await getCase(deps.ctx, actor.orgId, caseId(request));
    await deps.ctx.database.db
      .insertInto('recall_attachments')
      .values({ org_id: actor.orgId, attachment_id: id, case_id: caseId(request), file_name: b.fileName, media_type: b.mediaType, size: content.length, sha256, content, created_at: deps.ctx.clock.now(), created_by: actor.tokenId })
      .execute();
    const result = await runCommand(recall, actor, caseId(request), { type: 'attach_evidence', attachmentId: id, fileName: b.fileName, sha256, note: b.note }, { requestId: request.id });
    reply.code(201);
    return { attachmentId: id, sha256, size: content.length, ...(await done(request, result)) };
  });

  app.get('/api/recalls/:caseId/evidence/:attachmentId', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'Download an evidence file', params: Type.Object({ caseId: Type.String(), attachmentId: Type.String({ maxLength: 100 }) }) },
  }, async (request, reply) => {
    const p = request.params as { caseId: string; attachmentId: string };
    const row = await deps.ctx.database.db.selectFrom('recall_attachments').selectAll().where('org_id', '=', principalOf(request).orgId).where('case_id', '=', p.caseId).where('attachment_id', '=', p.attachmentId).executeTakeFirst();
    if (!row) throw new DomainError('NoSuchResourceException', `no attachment ${p.attachmentId}`, [{ pointer: '/attachmentId', message: 'not found', rule: 'exists' }]);
    reply.type(row.media_type).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`).header('x-content-sha256', row.sha256).header('x-content-type-options', 'nosniff');
    return reply.send(Buffer.from(row.content));
  });

  app.post('/api/recalls/:caseId/dispositions', {
    config: { permission: 'recall:recover' },
    schema: {
      tags,
      summary: 'Record a disposition of returned stock (rework, recycle, destroy) with quantity, place, witness and evidence; captured as an EPCIS event',
      params: CaseParams,
      body: Type.Object(
        {
          class: enumOf(DISPOSITION_CLASSES),
          lots: Type.Array(Code, { minItems: 1, maxItems: 100, description: 'lot nodes of the approved scope' }),
          quantity: Type.Number({ exclusiveMinimum: 0 }),
          uom: Type.String({ maxLength: 20, default: 'EA' }),
          locationId: Text(100),
          witness: Text(200),
          evidence: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, default: [] }),
          note: Type.String({ maxLength: 2000, default: '' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request, reply) => {
    const b = request.body as { class: 'destroy'; lots: string[]; quantity: number; uom: string; locationId: string; witness: string; evidence: string[]; note: string };
    reply.code(201);
    return done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'record_disposition', id: deps.ctx.ids.next('disp'), ...b }, { requestId: request.id }));
  });

  app.put('/api/recalls/:caseId/rca', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Record the root cause analysis: findings per category (man, machine, material, method, measurement, environment), 5 whys, the root cause',
      params: CaseParams,
      body: Type.Object(
        {
          categories: Type.Object(Object.fromEntries(RCA_CATEGORIES.map((c) => [c, Type.Optional(Type.Array(Text(1000), { maxItems: 20 }))])), { additionalProperties: false }),
          whys: Type.Array(Text(1000), { maxItems: 10, default: [] }),
          rootCause: Text(2000),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const b = request.body as { categories: Record<string, string[]>; whys: string[]; rootCause: string };
    return done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'record_rca', ...b }, { requestId: request.id }));
  });

  app.post('/api/recalls/:caseId/capas', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Add a corrective or preventive action with owner, due date and how its effectiveness will be checked',
      params: CaseParams,
      body: Type.Object({ kind: enumOf(['corrective', 'preventive'] as const), action: Text(2000), owner: Text(200), dueDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), effectivenessCheck: Text(2000) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const b = request.body as { kind: 'corrective' | 'preventive'; action: string; owner: string; dueDate: string; effectivenessCheck: string };
    reply.code(201);
    return done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'add_capa', id: deps.ctx.ids.next('capa'), ...b }, { requestId: request.id }));
  });

  app.post('/api/recalls/:caseId/capas/:capaId/complete', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Complete a CAPA with the result of its effectiveness check',
      params: Type.Object({ caseId: Type.String(), capaId: Type.String({ maxLength: 100 }) }),
      body: Type.Object({ effective: Type.Boolean(), evidence: Text(2000) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const p = request.params as { caseId: string; capaId: string };
    const b = request.body as { effective: boolean; evidence: string };
    return done(request, await runCommand(recall, principalOf(request), p.caseId, { type: 'complete_capa', id: p.capaId, ...b }, { requestId: request.id }));
  });

  app.post('/api/recalls/:caseId/close', {
    config: { permission: 'recall:decide' },
    schema: { tags, summary: 'Close the case (needs the RCA and at least one CAPA); the regulator is told', params: CaseParams, body: Type.Object({ summary: Text(10_000) }, { additionalProperties: false }) },
  }, async (request) => done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'close', summary: (request.body as { summary: string }).summary }, { requestId: request.id })));

  app.post('/api/recalls/:caseId/cancel', {
    config: { permission: 'recall:decide' },
    schema: { tags, summary: 'Cancel a case before its scope is approved (a false alarm)', params: CaseParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }) },
  }, async (request) => done(request, await runCommand(recall, principalOf(request), caseId(request), { type: 'cancel', reason: (request.body as { reason: string }).reason }, { requestId: request.id })));

  app.post('/api/recalls/:caseId/reconcile', {
    config: { permission: 'recall:decide' },
    schema: { tags, summary: "Drills: record the reconciliation figure from the scope's mass balance (stops the drill's clock)", params: CaseParams },
  }, async (request) => done(request, await reconcile(recall, principalOf(request), caseId(request), request.id)));

  app.get('/api/recalls/:caseId/clocks', { config: { permission: 'recall:read' }, schema: { tags, summary: 'Legal clocks: start and completion deadlines for the level, on the working-day calendar', params: CaseParams } }, async (request) => {
    const orgId = principalOf(request).orgId;
    const { state } = await getCase(deps.ctx, orgId, caseId(request));
    return { clocks: caseClocks(state, await loadCalendar(deps.ctx, orgId), deps.ctx.clock.now()) };
  });

  app.get('/api/recalls/:caseId/progress', { config: { permission: 'recall:read' }, schema: { tags, summary: 'Recovery: % of units in scope recovered by store, city and channel over time; sold but not notified; unreconciled remainder', params: CaseParams } }, async (request) => {
    const orgId = principalOf(request).orgId;
    const { state } = await getCase(deps.ctx, orgId, caseId(request));
    const progress = await recoveryProgress(deps.ctx, orgId, state);
    if (!progress) throw new DomainError('InvalidStateException', 'progress starts when a scope is approved', [{ pointer: '/caseId', message: 'no approved scope', rule: 'status' }]);
    return progress;
  });

  app.get('/api/recalls/:caseId/tasks', {
    config: { permission: 'recall:acknowledge' },
    schema: { tags, summary: 'Shelf-removal and quarantine tasks with acknowledgements', params: CaseParams, querystring: Type.Object({ location: Type.Optional(Type.String({ maxLength: 100 })), status: Type.Optional(enumOf(['open', 'acknowledged', 'cancelled'] as const)) }, { additionalProperties: false }) },
  }, async (request) => {
    const q = request.query as { location?: string; status?: string };
    return { tasks: await listTasks(deps.ctx, principalOf(request).orgId, caseId(request), { locationId: q.location, status: q.status }) };
  });

  const AckBody = Type.Object({ unitsRemoved: Type.Number({ minimum: 0, maximum: 1e9 }), note: Type.Optional(Type.String({ maxLength: 2000 })), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
  app.post('/api/recalls/:caseId/tasks/:locationId/ack', {
    config: { permission: 'recall:acknowledge' },
    schema: { tags, summary: 'Acknowledge a task: removed from shelf (or quarantined), N units', params: Type.Object({ caseId: Type.String(), locationId: Type.String({ maxLength: 100 }) }), body: AckBody },
  }, async (request) => {
    const p = request.params as { caseId: string; locationId: string };
    return acknowledgeTask(deps.ctx, principalOf(request), p.caseId, p.locationId, request.body as { unitsRemoved: number }, request.id);
  });

  // The link in a store's notice: a small page and its form, no account needed (the link is the proof).
  const ackPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = (request.params as { token: string }).token;
    const found = await taskByLink(deps.ctx, token);
    const zh = !/^en\b/i.test(request.headers['accept-language'] ?? '');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return ackHtml(found.state, found.task, zh, (request.body as { unitsRemoved?: unknown } | undefined) !== undefined);
  };
  app.get('/ack/:token', { config: { public: true }, schema: { tags, summary: "A store's acknowledgement page (the link of its notice)", params: Type.Object({ token: Type.String({ maxLength: 300 }) }) } }, ackPage);
  app.post('/ack/:token', {
    config: { public: true },
    schema: { tags, summary: 'Acknowledge through the link of a notice (form or JSON)', params: Type.Object({ token: Type.String({ maxLength: 300 }) }), body: Type.Object({ unitsRemoved: Type.Number({ minimum: 0, maximum: 1e9 }), note: Type.Optional(Type.String({ maxLength: 2000 })), name: Type.Optional(Type.String({ maxLength: 200 })) }) },
  }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const task = await acknowledgeByLink(deps.ctx, token, request.body as { unitsRemoved: number; note?: string; name?: string }, request.id);
    if ((request.headers.accept ?? '').includes('application/json')) return task;
    return ackPage(request, reply);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 10_000 }, (_request, body, doneParse) => {
    const form = new URLSearchParams(body as string);
    const units = form.get('unitsRemoved');
    doneParse(null, { unitsRemoved: units === null || units.trim() === '' ? undefined : Number(units), ...(form.get('note') ? { note: form.get('note') } : {}), ...(form.get('name') ? { name: form.get('name') } : {}) });
  });

  app.post('/api/recalls/:caseId/returns', {
    config: { permission: 'recall:recover' },
    schema: {
      tags,
      summary: 'Record a return: a consumer ticket (reference for a prepaid label, compensation) or a store return by code without a receipt (an EPCIS event)',
      params: CaseParams,
      body: Type.Union([
        Type.Object({ channel: Type.Literal('consumer'), code: Code, quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), compensation: enumOf(COMPENSATIONS), contact: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), phone: Type.Optional(Type.String({ maxLength: 40 })), email: Type.Optional(Type.String({ maxLength: 200, format: 'email' })), city: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }) }, { additionalProperties: false }),
        Type.Object({ channel: Type.Literal('store'), code: Code, quantity: Type.Number({ exclusiveMinimum: 0 }), storeId: Text(100), qcCentreId: Type.Optional(Text(100)) }, { additionalProperties: false }),
      ]),
    },
  }, async (request, reply) => {
    const b = request.body as { channel: 'consumer' | 'store' } & Record<string, unknown>;
    const actor = principalOf(request);
    await getCase(deps.ctx, actor.orgId, caseId(request));
    reply.code(201);
    return b.channel === 'consumer'
      ? createConsumerReturn(recall, actor, b as unknown as Parameters<typeof createConsumerReturn>[2], request.id)
      : createStoreReturn(recall, actor, b as unknown as Parameters<typeof createStoreReturn>[2], request.id);
  });

  app.get('/api/recalls/:caseId/returns', { config: { permission: 'recall:read' }, schema: { tags, summary: 'Returns of a case', params: CaseParams } }, async (request) => {
    const orgId = principalOf(request).orgId;
    await getCase(deps.ctx, orgId, caseId(request));
    return { returns: await listReturns(recall, orgId, { caseId: caseId(request) }) };
  });

  app.post('/api/returns/:reference/receive', {
    config: { permission: 'recall:recover' },
    schema: { tags, summary: 'A QC centre receives a return (an EPCIS receiving event there)', params: Type.Object({ reference: Type.String({ maxLength: 40 }) }), body: Type.Object({ qcCentreId: Text(100), quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) }, { additionalProperties: false }) },
  }, async (request) => receiveReturn(recall, principalOf(request), (request.params as { reference: string }).reference, request.body as { qcCentreId: string; quantity?: number }, request.id));

  app.get('/api/recalls/:caseId/reports/:kind', {
    config: { permission: 'recall:read' },
    schema: {
      tags,
      summary: 'Recall plan, progress report, summary report for the regulator, closing report, drill evidence report: PDF or structured JSON',
      params: Type.Object({ caseId: Type.String(), kind: enumOf(REPORT_KINDS) }),
      querystring: Type.Object({ format: Type.Optional(enumOf(['json', 'pdf'] as const)), timeZoneOffset: Type.Optional(Type.String({ pattern: '^[+-](0[0-9]|1[0-4]):[0-5][0-9]$' })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const p = request.params as { caseId: string; kind: RecallReportKind };
    const q = request.query as { format?: 'json' | 'pdf'; timeZoneOffset?: string };
    const data = await recallReportData(deps.ctx, principalOf(request).orgId, p.caseId, p.kind);
    if (p.kind === 'drill' && !data.case.drill) throw new DomainError('ValidationException', 'the drill evidence report is for drills; this is a real case', [{ pointer: '/kind', message: 'plan, progress, summary or closing', rule: 'drill' }]);
    const pdf = q.format === 'pdf' || (q.format === undefined && (request.headers.accept ?? '').includes('application/pdf'));
    reply.header('vary', 'Accept');
    if (!pdf) return data;
    const file = await renderRecallReport(data, { ...(q.timeZoneOffset ? { timeZoneOffset: q.timeZoneOffset } : {}) });
    reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store');
    if (file.warnings.length) reply.header('x-lotline-warnings', encodeURIComponent(file.warnings.join(' | ')));
    return reply.send(file.body);
  });

  app.post('/api/drills', {
    config: { permission: 'recall:decide' },
    schema: {
      tags,
      summary: 'Start a mock-recall drill on a chosen or random lot; every external channel is in dry run. `auto` scopes, holds, reconciles and scores at once',
      body: Type.Object({ code: Type.Optional(Code), mode: Type.Optional(enumOf(['auto', 'manual'] as const)) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    reply.code(201);
    return startDrill(recall, principalOf(request), request.body as { code?: string; mode?: 'auto' | 'manual' }, request.id);
  });
  app.get('/api/drills', { config: { permission: 'recall:read' }, schema: { tags, summary: 'Drill history with scores and the change from the previous drill' } }, async (request) => ({
    drills: await drillHistory(recall, principalOf(request).orgId),
  }));

  const SettingsBody = Type.Object(
    {
      publicBaseUrl: Type.String({ minLength: 1, maxLength: 500 }),
      brand: Type.String({ maxLength: 200 }),
      escalationHours: Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 720 }), { minItems: 1, maxItems: 10 }),
      escalationContacts: Type.Array(Type.String({ format: 'email', maxLength: 200 }), { maxItems: 50 }),
      defaultLang: enumOf(['zh-CN', 'en'] as const),
    },
    { additionalProperties: false },
  );
  app.get('/api/recall-settings', { config: { permission: 'recall:read' }, schema: { tags, summary: 'Recall settings: link base URL, brand, escalation hours and contacts, default language' } }, async (request) =>
    recallSettings(deps.ctx.database.db, principalOf(request).orgId),
  );
  app.put('/api/recall-settings', { config: { permission: 'recall:configure' }, schema: { tags, summary: 'Set the recall settings', body: SettingsBody } }, async (request) =>
    saveRecallSettings(deps.ctx, principalOf(request), request.body as RecallSettings),
  );

  app.post('/api/members', {
    config: { permission: 'members:manage' },
    schema: {
      tags,
      summary: 'Add or update loyalty members and their purchases (by lot or serial), so consumers whose purchases are in scope are told',
      body: Type.Object(
        {
          members: Type.Array(
            Type.Object(
              {
                memberId: Text(100),
                name: Type.Optional(Type.String({ maxLength: 200 })),
                email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
                phone: Type.Optional(Type.String({ maxLength: 40 })),
                lang: Type.Optional(enumOf(['zh-CN', 'en'] as const)),
                purchases: Type.Optional(
                  Type.Array(
                    Type.Object({ purchaseId: Text(100), gtin: Type.String(), lot: Type.Optional(Text(100)), serial: Type.Optional(Text(100)), storeId: Type.Optional(Text(100)), quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), purchasedAt: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
                    { maxItems: 1000 },
                  ),
                ),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 5000 },
          ),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => upsertMembers(deps.ctx, principalOf(request), (request.body as { members: MemberInput[] }).members, request.id));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The acknowledgement page: mobile first, the action in one form, in Chinese or English. */
function ackHtml(state: RecallState, task: { locationName: string | null; locationId: string; unitsExpected: number | null; status: string; unitsRemoved: number | null; kind: string }, zh: boolean, justSent: boolean): string {
  const t = zh
    ? { title: task.kind === 'quarantine' ? '确认隔离封存' : '确认下架', store: '门店', product: '召回', expected: '预计数量', units: '已下架数量', note: '备注', name: '确认人', submit: '提交确认', done: '已确认，谢谢！', again: '如需更正数量，可再次提交。' }
    : { title: task.kind === 'quarantine' ? 'Confirm quarantine' : 'Confirm removal from shelf', store: 'Store', product: 'Recall', expected: 'Expected units', units: 'Units removed', note: 'Note', name: 'Your name', submit: 'Confirm', done: 'Confirmed, thank you!', again: 'Send again to correct the number.' };
  const banner = state.drill ? `<p style="background:#fffbe6;border:1px solid #faad14;padding:8px">${zh ? '【演练】这是召回演练，不是真实召回。' : '[DRILL] This is a recall drill, not a real recall.'}</p>` : '';
  const ack = task.status === 'acknowledged' ? `<p style="background:#f6ffed;border:1px solid #52c41a;padding:8px" role="status">${t.done} ${escapeHtml(String(task.unitsRemoved ?? 0))} — ${t.again}</p>` : '';
  return `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t.title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:auto;padding:1rem;line-height:1.5">
<h1 style="font-size:1.4rem">${t.title}</h1>${banner}${justSent ? '' : ''}${ack}
<p>${t.product}: <strong>${escapeHtml(state.caseNumber)}</strong> — ${escapeHtml(state.title)}<br>${t.store}: <strong>${escapeHtml(task.locationName ?? task.locationId)}</strong><br>${t.expected}: ${escapeHtml(String(task.unitsExpected ?? '-'))}</p>
<p>${escapeHtml((zh ? state.instructions?.['zh-CN'] : state.instructions?.en) ?? '')}</p>
<form method="post"><p><label for="u">${t.units}</label><br><input id="u" name="unitsRemoved" type="number" min="0" step="1" required inputmode="numeric" style="font-size:1.2rem;width:100%"></p>
<p><label for="n">${t.name}</label><br><input id="n" name="name" maxlength="200" style="width:100%"></p>
<p><label for="m">${t.note}</label><br><textarea id="m" name="note" maxlength="2000" style="width:100%"></textarea></p>
<p><button type="submit" style="font-size:1.2rem;padding:.5rem 1.5rem">${t.submit}</button></p></form></body></html>`;
}

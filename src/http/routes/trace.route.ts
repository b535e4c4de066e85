import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../core/errors.ts';
import { massBalance } from '../../app/trace/mass-balance.ts';
import { type TraceExportFormat, exportTraceReport, traceExportFormat } from '../../app/trace/report-export.ts';
import { SCOPE_RULES, type ScopeRuleConfig, coExposureScope, saveScopeRules, scopeRules } from '../../app/trace/scope.ts';
import { traceCode } from '../../app/trace/trace.ts';
import type { ScopeRule, TraceDirection } from '../../app/trace/types.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const Code = Type.String({ minLength: 1, maxLength: 4096, description: 'any code: Digital Link, GS1 element string or scan data, EPC URI, GTIN + lot, batch code' });
const AsOf = Type.Optional(Type.String({ maxLength: 64, description: 'reproduce what was known at this record time (RFC 3339 with offset)' }));
const RuleName = Type.Union(SCOPE_RULES.map((r) => Type.Literal(r)));

const RulesBody = Type.Object(
  {
    defaultRules: Type.Array(RuleName, { maxItems: 5, uniqueItems: true }),
    sessionHours: Type.Number({ minimum: 0, maximum: 72 }),
    equipmentHours: Type.Number({ minimum: 0, maximum: 168 }),
    vehicleHours: Type.Number({ minimum: 0, maximum: 72 }),
    excursionMarginHours: Type.Number({ minimum: 0, maximum: 48 }),
    excursionLimits: Type.Array(
      Type.Object({ type: Type.String({ minLength: 1, maxLength: 200 }), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

/** Parse `rules=raw_lot,session` naming the offending entry. */
function parseRules(value: string | undefined): ScopeRule[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const rules = value.split(',').map((r) => r.trim());
  rules.forEach((r, i) => {
    if (!(SCOPE_RULES as readonly string[]).includes(r)) {
      throw new DomainError('QueryParameterException', `unknown scope rule "${r}"; rules are ${SCOPE_RULES.join(', ')}`, [{ pointer: `/query/rules/${i}`, message: `one of ${SCOPE_RULES.join(', ')}`, rule: 'enum' }]);
    }
  });
  return rules as ScopeRule[];
}

const asOf = (value: string | undefined): Date | null => (value === undefined ? null : timeParam(value, '/query/asOf'));

/** Trace (upstream/downstream), co-exposure scope, mass balance, and the organisation's scope rules. */
export function registerTraceRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['trace'];
  app.get('/api/trace', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: 'Trace any code upstream (raw lots, suppliers, production context) and downstream (containers, shipments, places with quantities)',
      description:
        'JSON by default; `format=csv` (or `Accept: text/csv`) gives one sortable table with a `section` column and bilingual headings, ' +
        '`format=pdf` (or `Accept: application/pdf`) a printable A4 report in Chinese and English. Both are attachments named after the code and date.',
      querystring: Type.Object(
        {
          code: Code,
          direction: Type.Union([Type.Literal('upstream'), Type.Literal('downstream'), Type.Literal('both')], { default: 'both' }),
          asOf: AsOf,
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('pdf')], { description: 'json (default), csv or pdf; without it, the Accept header decides' })),
          timeZoneOffset: Type.Optional(Type.String({ pattern: '^[+-](0[0-9]|1[0-4]):[0-5][0-9]$', description: 'offset for times in CSV and PDF, default +08:00' })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request, reply) => {
    const q = request.query as { code: string; direction: TraceDirection; asOf?: string; format?: TraceExportFormat; timeZoneOffset?: string };
    const orgId = principalOf(request).orgId;
    const format = traceExportFormat(q.format, request.headers.accept);
    reply.header('vary', 'Accept');
    const report = await traceCode(deps.ctx, orgId, { code: q.code, direction: q.direction, asOf: asOf(q.asOf) });
    if (format === 'json') return report;
    const { excursionLimits } = await scopeRules(deps.ctx, orgId);
    const out = await exportTraceReport(report, format, { generatedAt: deps.ctx.clock.now(), timeZoneOffset: q.timeZoneOffset, limits: excursionLimits });
    reply.type(out.contentType).header('content-disposition', `attachment; filename="${out.fileName}"`).header('cache-control', 'no-store');
    if (out.warnings.length) reply.header('x-lotline-warnings', encodeURIComponent(out.warnings.join(' | ')));
    return reply.send(out.body);
  });

  app.get('/api/scope', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: 'Co-exposure scope of a code: its lot, what was made from it, and batches sharing a raw lot, session, equipment run, vehicle trip or excursion',
      querystring: Type.Object({ code: Code, rules: Type.Optional(Type.String({ maxLength: 200, description: `comma-separated: ${SCOPE_RULES.join(',')}` })), asOf: AsOf }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query as { code: string; rules?: string; asOf?: string };
    return coExposureScope(deps.ctx, principalOf(request).orgId, { code: q.code, rules: parseRules(q.rules), asOf: asOf(q.asOf) });
  });

  app.get('/api/mass-balance', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: 'Mass balance of a lot: produced = shipped + on hand + wasted; per place received = sold + on hand + returned + destroyed',
      querystring: Type.Object({ code: Code, asOf: AsOf, transitHours: Type.Optional(Type.Number({ minimum: 0, maximum: 8760 })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query as { code: string; asOf?: string; transitHours?: number };
    return massBalance(deps.ctx, principalOf(request).orgId, { code: q.code, asOf: asOf(q.asOf), transitHours: q.transitHours });
  });

  app.get('/api/scope-rules', { config: { permission: 'trace:read' }, schema: { tags, summary: 'Co-exposure rule settings of the organisation' } }, async (request) =>
    scopeRules(deps.ctx, principalOf(request).orgId),
  );
  app.put('/api/scope-rules', { config: { permission: 'trace:configure' }, schema: { tags, summary: 'Set the co-exposure rule settings', body: RulesBody } }, async (request) =>
    saveScopeRules(deps.ctx, principalOf(request), request.body as ScopeRuleConfig),
  );
}

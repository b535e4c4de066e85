import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { allocateBatchCodes, listSchemes, parseOrgBatchCode, saveScheme, schemeFor } from '../../app/batch-codes.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const Code = Type.String({ pattern: '^[A-Z0-9]{1,6}$' });
const SchemeBody = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. {YYMMDD}-{LINE}-{SHIFT}-{SEQ:3}[-{VARIANT}]' }),
    lines: Type.Optional(Type.Array(Code, { maxItems: 100 })),
    shifts: Type.Optional(Type.Array(Code, { maxItems: 20 })),
    variants: Type.Optional(Type.Array(Code, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const AllocateBody = Type.Object(
  {
    productLine: Type.Optional(Type.String({ maxLength: 20 })),
    date: Type.Optional(Type.String({ format: 'date', description: 'production date; today (in timeZone) when omitted' })),
    timeZone: Type.Optional(Type.String({ maxLength: 64, default: 'Asia/Shanghai' })),
    line: Code,
    shift: Code,
    variant: Type.Optional(Code),
    count: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  },
  { additionalProperties: false },
);

/** Batch-code schemes, atomic allocation of batch codes, and parsing codes back into their parts. */
export function registerBatchCodeRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['batch codes'];
  app.get('/api/batch-code-schemes', { config: { permission: 'masterdata:read' }, schema: { tags, summary: 'Batch-code schemes of the organisation' } }, async (request) => {
    const orgId = principalOf(request).orgId;
    return { items: await listSchemes(deps.ctx, orgId), default: (await schemeFor(deps.ctx, orgId)).config };
  });
  app.put('/api/batch-code-schemes/:productLine', {
    config: { permission: 'masterdata:write' },
    schema: { tags, summary: 'Set the scheme of a product line (use _default for the organisation default)', params: Type.Object({ productLine: Type.String({ maxLength: 20 }) }), body: SchemeBody },
  }, async (request) => {
    const line = (request.params as { productLine: string }).productLine;
    return saveScheme(deps.ctx, principalOf(request), line === '_default' ? '' : line, request.body as { pattern: string });
  });
  app.post('/api/batch-codes', {
    config: { permission: 'events:capture' },
    schema: { tags, summary: 'Allocate the next batch code(s) for a production day, line and shift; never the same code twice', body: AllocateBody },
  }, async (request, reply) => {
    reply.code(201);
    return allocateBatchCodes(deps.ctx, principalOf(request), request.body as { line: string; shift: string; count: number });
  });
  app.get('/api/batch-codes/parse', {
    config: { permission: 'masterdata:read' },
    schema: { tags, summary: 'Split a batch code into date, line, shift, sequence and variant', querystring: Type.Object({ code: Type.String({ maxLength: 40 }), productLine: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }) },
  }, async (request) => {
    const q = request.query as { code: string; productLine?: string };
    return { code: q.code, parts: await parseOrgBatchCode(deps.ctx, principalOf(request).orgId, q.code, q.productLine) };
  });
}

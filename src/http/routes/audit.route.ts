import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { searchAudit } from '../../app/audit-query.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const Query = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    targetType: Type.Optional(Type.String({ maxLength: 100 })),
    targetId: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

/** The searchable audit log: who did what, when. */
export function registerAuditRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/api/audit', { config: { permission: 'audit:read' }, schema: { tags: ['access'], summary: 'Search the audit log, newest first', querystring: Query } }, async (request) => {
    const q = request.query as { q?: string; action?: string; actor?: string; targetType?: string; targetId?: string; from?: string; to?: string; before?: number; limit: number };
    return searchAudit(deps.ctx, principalOf(request).orgId, {
      ...q,
      from: q.from ? timeParam(q.from, '/query/from') : undefined,
      to: q.to ? timeParam(q.to, '/query/to') : undefined,
    });
  });
}

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { expiringUnits } from '../../app/overview/expiring.ts';
import { recentWarnings } from '../../app/overview/warnings.ts';
import { can } from '../../core/access/roles.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

/**
 * What the console's overview needs beyond the existing API (issue 6): units expiring soon per place,
 * and recent warnings (excursions, non-conformant QC results, overdue recall tasks). Read-only.
 */
export function registerOverviewUiRoutes(app: FastifyInstance, deps: Pick<RouteDeps, 'ctx'>): void {
  const tags = ['overview'];
  app.get('/api/overview/expiring', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: 'Units on hand per place whose lot expires soon (production time + the product\'s shelf life), earliest first',
      description: 'On hand is counted as the trace engine counts it (`GET /api/trace` locations). `pastHours` also lists lots that expired in the last hours and are still on hand.',
      querystring: Type.Object(
        {
          hours: Type.Integer({ minimum: 1, maximum: 720, default: 24, description: 'look ahead this many hours' }),
          pastHours: Type.Integer({ minimum: 0, maximum: 720, default: 0, description: 'also lots expired up to this many hours ago' }),
          maxLots: Type.Integer({ minimum: 1, maximum: 500, default: 200, description: 'most lots examined, earliest expiry first' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const q = request.query as { hours: number; pastHours: number; maxLots: number };
    return expiringUnits(deps.ctx, principalOf(request).orgId, q);
  });

  app.get('/api/overview/warnings', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: 'Recent warnings: sensor readings beyond the excursion limits (GET /api/scope-rules) or with an alarm, non-conformant QC results, and overdue recall tasks',
      description: 'Recent means recorded in the last `hours`. Overdue recall tasks are listed only for roles that may read recalls (`overdueTasks` is null otherwise).',
      querystring: Type.Object(
        {
          hours: Type.Integer({ minimum: 1, maximum: 720, default: 24 }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'most warnings of each kind' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const q = request.query as { hours: number; limit: number };
    const principal = principalOf(request);
    return recentWarnings(deps.ctx, principal.orgId, { ...q, includeTasks: can(principal.role, 'recall:read') });
  });
}

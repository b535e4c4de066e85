import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TASK_STATUSES, type TaskStatus, listStoreTasks } from '../../app/recall-ui/store-tasks.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

/**
 * What the web console's recall pages need beyond the recall API: a store's open tasks across every
 * case. Store tokens may acknowledge (`recall:acknowledge`) but not read cases (`recall:read`), and
 * without this list a store could only act through the link in its notice.
 */
export function registerRecallUiRoutes(app: FastifyInstance, deps: Pick<RouteDeps, 'ctx'>): void {
  app.get('/api/tasks', {
    config: { permission: 'recall:acknowledge' },
    schema: {
      tags: ['recall'],
      summary: "Shelf-removal and quarantine tasks across recall cases (a store's work list): case number and title, instructions zh-CN/en, due time, expected units; open first, soonest due first",
      querystring: Type.Object(
        {
          location: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a location id, e.g. store-sh01' })),
          status: Type.Optional(Type.Union(TASK_STATUSES.map((s) => Type.Literal(s)))),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request) => {
    const q = request.query as { location?: string; status?: TaskStatus; limit: number };
    return listStoreTasks(deps.ctx, principalOf(request).orgId, { ...(q.location ? { locationId: q.location } : {}), ...(q.status ? { status: q.status } : {}), limit: q.limit });
  });
}

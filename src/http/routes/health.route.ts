import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

/** `/healthz`: the process is up and the database answers. */
export function registerHealthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/healthz', { config: { public: true }, schema: { tags: ['operations'], summary: 'Liveness and database check', security: [] } }, async (_request, reply) => {
    const started = performance.now();
    try {
      await sql`SELECT 1`.execute(deps.ctx.database.db);
      return { status: 'ok', engine: deps.ctx.database.engine, databaseMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (error) {
      reply.code(503);
      return { status: 'unavailable', engine: deps.ctx.database.engine, error: (error as Error).message };
    }
  });
}

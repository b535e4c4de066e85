import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

/** Placeholder while the routes are written (this session); registers nothing yet. */
export function registerRecallRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}

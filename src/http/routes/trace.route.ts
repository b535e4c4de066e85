import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

export function registerTraceRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}

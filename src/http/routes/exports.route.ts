import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

export function registerExportRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}

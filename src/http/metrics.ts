import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one app instance (its own registry, so several apps can live in one process). */
export interface Metrics {
  readonly registry: Registry;
  readonly capturedEvents: Counter<'outcome'>;
}

/** Create the registry, time every request, and serve it at /metrics. */
export function registerMetrics(app: FastifyInstance): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lotline_' });
  const duration = new Histogram({
    name: 'lotline_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const capturedEvents = new Counter({
    name: 'lotline_epcis_events_total',
    help: 'EPCIS events received, by outcome (stored, duplicate, rejected)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return { registry, capturedEvents };
}

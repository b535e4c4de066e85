import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import type { Preparer } from '../app/capture/prepare-pool.ts';
import type { Authenticator } from '../app/tokens.ts';
import type { LedgerSigner } from '../core/ledger/ledger-signer.ts';
import { registerAuth } from './auth.ts';
import { registerInputGuard } from './input-guard.ts';
import { localise, problem, sendProblem, toProblem } from './errors.ts';
import { type Metrics, registerMetrics } from './metrics.ts';
import { registerAuditRoutes } from './routes/audit.route.ts';
import { registerBatchCodeRoutes } from './routes/batch-codes.route.ts';
import { registerEpcisRoutes } from './routes/epcis.route.ts';
import { registerLabelRoutes } from './routes/labels.route.ts';
import { registerLedgerRoutes } from './routes/ledger.route.ts';
import { registerHealthRoutes } from './routes/health.route.ts';
import { registerMasterDataRoutes } from './routes/master-data.route.ts';
import { registerTokenRoutes } from './routes/tokens.route.ts';
import { registerUserRoutes } from './routes/users.route.ts';
import { registerExportRoutes } from './routes/exports.route.ts';
import { registerTraceRoutes } from './routes/trace.route.ts';
import { registerCalendarRoutes } from './routes/calendar.route.ts';
import { registerOutboxRoutes } from './routes/outbox.route.ts';
import { registerPosRoutes } from './routes/pos.route.ts';
import { registerRecallRoutes } from './routes/recall.route.ts';
import { registerDemoRoutes } from './routes/demo.route.ts';
import { registerAdminUiRoutes } from './routes/admin-ui.route.ts';
import { registerRecallUiRoutes } from './routes/recall-ui.route.ts';
import { registerOverviewUiRoutes } from './routes/overview-ui.route.ts';
import { registerConsumerRoutes } from './routes/consumer.route.ts';
import { registerWebConsole } from './web.ts';

/** `req_<boot>-<n>`: `boot` is random per process, `n` counts. */
function requestIds(boot: string): () => string {
  let n = 0;
  return () => `${boot}-${(++n).toString(36)}`;
}

/** What the HTTP layer needs; built by src/app/services.ts, or by tests. */
export interface AppDeps {
  readonly ctx: AppContext;
  readonly authenticator: Authenticator;
  readonly signer: LedgerSigner;
  readonly preparer: Preparer;
  readonly bodyLimit: number;
  /** Most events accepted in one capture document. */
  readonly captureLimit: number;
  /** The notification outbox worker, woken after a decision queued notices (absent: they wait for its next poll). */
  readonly outbox?: { wake(): void };
  /** Fastify's trustProxy (LOTLINE_TRUST_PROXY): read the client from X-Forwarded-* behind a reverse proxy. */
  readonly trustProxy?: boolean | string;
}

/** Every route file registers through one of these. */
export interface RouteDeps extends AppDeps {
  readonly metrics: Metrics;
}

/** Build the Fastify app (it never listens; main.ts does). Tests use `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.ctx.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit,
    trustProxy: deps.trustProxy ?? false,
    // Request ids come from a per-process counter behind a random boot prefix: unique in the logs without
    // drawing random bytes on every request (a POS check is answered thousands of times a second).
    genReqId: requestIds(deps.ctx.ids.next('req')),
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    // eventIDs are URIs and can be long; EPCIS routes take them as path parameters.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // Errors raised before routing (a malformed URL) are answered as problems too.
    frameworkErrors: (error, request, reply) => {
      const body = localise({ ...problem('ValidationException', `the request URL is not valid: ${error.message}`, [{ pointer: '/url', message: error.message, rule: 'url' }], request.id), status: 400 }, request.headers['accept-language']);
      void sendProblem(reply, body);
    },
  });

  app.setErrorHandler((error, request, reply) => {
    const body = localise(toProblem(error, request), request.headers['accept-language']);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, localise(problem('NoSuchResourceException', `no route ${request.method} ${request.url.split('?')[0]}`, [], request.id), request.headers['accept-language'])),
  );

  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Lotline API', version: '0.1.0', description: 'Traceability and recall for food makers: GS1 EPCIS 2.0 capture and query, master data, ledger. 追溯与召回 API。' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.addHook('onRoute', (route) => {
    // The OpenAPI UI's and the console's static files are public (the console signs in with a token).
    if (route.url.startsWith('/docs') || route.url.startsWith('/console')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  registerInputGuard(app);
  const metrics = registerMetrics(app);
  registerAuth(app, deps.authenticator);
  const routeDeps: RouteDeps = { ...deps, metrics };
  registerHealthRoutes(app, routeDeps);
  registerTokenRoutes(app, routeDeps);
  registerUserRoutes(app, routeDeps);
  registerAuditRoutes(app, routeDeps);
  registerMasterDataRoutes(app, routeDeps);
  registerEpcisRoutes(app, routeDeps);
  registerLedgerRoutes(app, routeDeps);
  registerBatchCodeRoutes(app, routeDeps);
  registerLabelRoutes(app, routeDeps);
  registerTraceRoutes(app, routeDeps);
  registerOverviewUiRoutes(app, routeDeps);
  registerExportRoutes(app, routeDeps);
  registerRecallRoutes(app, routeDeps);
  registerRecallUiRoutes(app, routeDeps);
  registerPosRoutes(app, routeDeps);
  registerOutboxRoutes(app, routeDeps);
  registerCalendarRoutes(app, routeDeps);
  registerConsumerRoutes(app, routeDeps);
  registerAdminUiRoutes(app, routeDeps);
  registerDemoRoutes(app, routeDeps);
  await registerWebConsole(app);
  return app;
}

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { getCaptureJob, listCaptureJobs, recordRejectedCapture, storeCapture } from '../../app/capture/capture.ts';
import type { CaptureShape } from '../../app/capture/prepare.ts';
import { getEventById, queryDocument, queryEvents, type QueryParams } from '../../app/query/event-query.ts';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/access/roles.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const JSON_TYPES = ['application/json', 'application/ld+json'];

/** The EPCIS 2.0 REST binding: capture (documents and single events), capture jobs, and queries. */
export function registerEpcisRoutes(app: FastifyInstance, deps: RouteDeps): void {
  // In this scope bodies stay raw text: they are parsed and validated off the main thread.
  app.register(async (epcis) => {
    epcis.removeContentTypeParser(['application/json', 'text/plain']);
    epcis.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
    epcis.addHook('onSend', async (_request, reply) => {
      reply.header('GS1-EPCIS-Version', '2.0.0').header('GS1-CBV-Version', '2.0.0').header('GS1-EPCIS-Capture-Limit', String(deps.captureLimit)).header('GS1-EPCIS-Capture-File-Size-Limit', String(deps.bodyLimit));
    });
    const tags = ['EPCIS'];

    const capture = async (shape: CaptureShape, principal: Principal, body: unknown, reply: FastifyReply, behaviour: string | undefined): Promise<unknown> => {
      if (behaviour !== undefined && behaviour.toLowerCase() !== 'rollback') {
        throw new DomainError('ValidationException', 'Lotline stores a capture document atomically: only GS1-Capture-Error-Behaviour: rollback is supported', [{ pointer: '/headers/gs1-capture-error-behaviour', message: 'expected rollback', rule: 'enum' }]);
      }
      if (typeof body !== 'string') throw new DomainError('UnsupportedMediaTypeException', 'send the EPCIS document as application/ld+json or application/json');
      const outcome = await deps.preparer.prepare(body, shape, deps.captureLimit);
      if (!outcome.ok) {
        deps.metrics.capturedEvents.inc({ outcome: 'rejected' });
        const captureId = await recordRejectedCapture(deps.ctx, principal, outcome);
        reply.header('location', `/epcis/capture/${captureId}`);
        throw new DomainError(outcome.code, outcome.message, outcome.errors);
      }
      const job = await storeCapture(deps.ctx, deps.signer, principal, outcome);
      deps.metrics.capturedEvents.inc({ outcome: 'stored' }, job.storedCount);
      deps.metrics.capturedEvents.inc({ outcome: 'duplicate' }, job.duplicateCount);
      reply.code(202).header('location', `/epcis/capture/${job.captureID}`);
      return job;
    };

    epcis.post('/epcis/capture', {
      config: { permission: 'events:capture' },
      schema: { tags, summary: 'Capture an EPCISDocument (atomic: all events are stored, or none). Answers 202 with the capture job.', consumes: JSON_TYPES },
    }, async (request, reply) => capture('document', principalOf(request), request.body, reply, header(request.headers['gs1-capture-error-behaviour'])));

    epcis.post('/epcis/events', {
      config: { permission: 'events:capture' },
      schema: { tags, summary: 'Capture a single EPCIS event', consumes: JSON_TYPES },
    }, async (request, reply) => {
      const job = await capture('event', principalOf(request), request.body, reply, header(request.headers['gs1-capture-error-behaviour']));
      return job;
    });

    epcis.get('/epcis/capture', {
      config: { permission: 'events:capture' },
      schema: { tags, summary: 'Recent capture jobs', querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }, { additionalProperties: false }) },
    }, async (request) => listCaptureJobs(deps.ctx, principalOf(request).orgId, (request.query as { limit: number }).limit));

    epcis.get('/epcis/capture/:captureID', {
      config: { permission: 'events:capture' },
      schema: { tags, summary: 'A capture job: status and errors', params: Type.Object({ captureID: Type.String({ maxLength: 100 }) }) },
    }, async (request) => getCaptureJob(deps.ctx, principalOf(request).orgId, (request.params as { captureID: string }).captureID));

    epcis.get('/epcis/events', {
      config: { permission: 'events:read' },
      schema: {
        tags,
        summary: 'Query events (SimpleEventQuery parameters: eventType, GE_eventTime, MATCH_epc, EQ_bizStep, …). Paged with perPage and nextPageToken.',
      },
    }, async (request, reply) => {
      const page = await queryEvents(deps.ctx, principalOf(request).orgId, request.query as QueryParams);
      if (page.nextPageToken) {
        const url = new URL(request.url, 'http://localhost');
        url.searchParams.set('nextPageToken', page.nextPageToken);
        reply.header('link', `<${url.pathname}${url.search}>; rel="next"`).header('gs1-next-page-token', page.nextPageToken);
      }
      reply.type('application/ld+json');
      return { ...queryDocument(page.events, deps.ctx.clock.now()), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    });

    epcis.get('/epcis/events/:eventID', {
      config: { permission: 'events:read' },
      schema: { tags, summary: 'One event by its eventID (URL-encoded)', params: Type.Object({ eventID: Type.String({ maxLength: 2000 }) }) },
    }, async (request, reply) => {
      const event = await getEventById(deps.ctx, principalOf(request).orgId, (request.params as { eventID: string }).eventID);
      reply.type('application/ld+json');
      return queryDocument([event], deps.ctx.clock.now());
    });

    epcis.get('/epcis/eventTypes', { config: { permission: 'events:read' }, schema: { tags, summary: 'The event types this repository stores' } }, async () => ({
      '@set': ['ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'TransactionEvent', 'AssociationEvent'],
    }));
  });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

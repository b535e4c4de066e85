import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createJobRegistry } from '../../app/jobs.ts';
import { DomainError } from '../../core/errors.ts';
import { DEMO_STORIES, type DemoStory, loadDemo } from '../../demo/demo.ts';
import { SCALE_MAX_EVENTS, generateScaleData } from '../../demo/scale.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

/**
 * Demo data from the console: load a seed story (master data with store contacts, its season of EPCIS
 * events) into the caller's organisation as a background job, and watch its progress.
 */
export function registerDemoRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['operations'];
  const jobs = createJobRegistry(deps.ctx.ids, (error) => deps.ctx.logger.warn({ err: error }, 'a background job failed'));

  app.post('/api/demo-data', {
    config: { permission: 'demo:load' },
    schema: {
      tags,
      summary: 'Load a demo brand (月华坊 mooncake or 时光印记 cherry blossom) into this organisation, as a job with progress (GET /api/jobs/{jobId})',
      body: Type.Object({ story: Type.Union(Object.keys(DEMO_STORIES).map((k) => Type.Literal(k))), publicBaseUrl: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { orgId } = principalOf(request);
    const body = request.body as { story: DemoStory; publicBaseUrl?: string };
    const busy = jobs.running(orgId, 'demo-data');
    if (busy) throw new DomainError('ConflictException', `a demo load is already running (job ${busy.jobId})`, [{ pointer: '/story', message: 'wait for the running load', rule: 'busy' }]);
    const total = DEMO_STORIES[body.story].documents.length;
    const job = jobs.start(orgId, 'demo-data', async (progress) => {
      progress(0, total, { 'zh-CN': '正在写入主数据', en: 'Writing master data' });
      return loadDemo(deps, orgId, body.story, {
        publicBaseUrl: body.publicBaseUrl ?? `${request.protocol}://${request.host}`,
        onProgress: (done, of) => progress(done, of, { 'zh-CN': `正在采集 EPCIS 文档 ${done}/${of}`, en: `Capturing EPCIS documents ${done}/${of}` }),
      });
    });
    reply.code(202).header('location', `/api/jobs/${job.jobId}`);
    return job;
  });

  app.post('/api/demo-data/scale', {
    config: { permission: 'demo:load' },
    schema: {
      tags,
      summary: `Generate scale data into this organisation (the benchmarks' bakery world: 320 stores, serialised units, pallets, sensors), up to ${SCALE_MAX_EVENTS.toLocaleString('en-US')} events, as a job with progress`,
      body: Type.Object({ events: Type.Integer({ minimum: 1_000, maximum: SCALE_MAX_EVENTS }), seed: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, default: 1 }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { orgId } = principalOf(request);
    const body = request.body as { events: number; seed: number };
    const busy = jobs.running(orgId, 'demo-data');
    if (busy) throw new DomainError('ConflictException', `a data load is already running (job ${busy.jobId})`, [{ pointer: '/events', message: 'wait for the running load', rule: 'busy' }]);
    const job = jobs.start(orgId, 'demo-data', async (progress) =>
      generateScaleData(deps, orgId, {
        ...body,
        onProgress: (done, total, step) => {
          const n = `${step.done.toLocaleString('en-US')}/${step.total.toLocaleString('en-US')}`;
          progress(done, total, step.phase === 'masterData' ? { 'zh-CN': `正在写入主数据 ${n}`, en: `Writing master data ${n}` } : { 'zh-CN': `已采集事件 ${n}`, en: `Events captured ${n}` });
        },
      }),
    );
    reply.code(202).header('location', `/api/jobs/${job.jobId}`);
    return job;
  });

  app.get('/api/jobs/:jobId', {
    config: { permission: 'session:read' },
    schema: { tags, summary: 'A background job of this organisation: status, progress, result or error', params: Type.Object({ jobId: Type.String({ maxLength: 100 }) }) },
  }, async (request) => {
    const job = jobs.get(principalOf(request).orgId, (request.params as { jobId: string }).jobId);
    if (!job) throw new DomainError('NoSuchResourceException', 'no such job (jobs are kept for an hour after they end)', [{ pointer: '/jobId', message: 'not found', rule: 'exists' }]);
    return job;
  });
}

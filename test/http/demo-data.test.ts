/**
 * Loading a demo brand from the console: a background job with progress, idempotent, the organisation's
 * own, admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('demo data jobs on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const job = async (id: string, role: 'admin' | 'other' = 'admin') => t.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: t.auth(role) });
  const untilDone = async (id: string) => {
    const seen: number[] = [];
    for (let i = 0; i < 600; i++) {
      const body = (await job(id)).json() as { status: string; done: number; total: number | null; result: Record<string, unknown> | null; error: unknown };
      seen.push(body.done);
      if (body.status !== 'running') return { ...body, seen };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the job did not end');
  };

  it('loads the cherry-blossom brand as a job whose progress rises to the end, then its data is there', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/demo-data', headers: t.auth('admin'), payload: { story: 'cherry-blossom' } });
    expect(res.statusCode).toBe(202);
    const started = res.json() as { jobId: string; status: string };
    expect(res.headers.location).toBe(`/api/jobs/${started.jobId}`);
    // Another organisation cannot see the job.
    expect((await job(started.jobId, 'other')).statusCode).toBe(404);
    const ended = await untilDone(started.jobId);
    expect(ended.status, JSON.stringify(ended.error)).toBe('done');
    expect(ended.total).toBeGreaterThan(0);
    expect(ended.done).toBe(ended.total);
    expect([...ended.seen].sort((a, b) => a - b)).toEqual(ended.seen);
    expect(ended.result).toMatchObject({ orgId: 'acme', story: 'cherry-blossom' });
    expect((ended.result as { stored: number; events: number }).stored).toBe((ended.result as { events: number }).events);
    const products = (await t.app.inject({ method: 'GET', url: '/api/products', headers: t.auth('admin') })).json() as { items: unknown[] };
    expect(products.items.length).toBeGreaterThan(0);

    // Again: nothing new is stored.
    const again = (await t.app.inject({ method: 'POST', url: '/api/demo-data', headers: t.auth('admin'), payload: { story: 'cherry-blossom' } })).json() as { jobId: string };
    const second = await untilDone(again.jobId);
    expect(second.result).toMatchObject({ stored: 0, masterData: 0 });
  }, 300_000);

  it('generates scale data through the capture path, with progress over master data and events, deterministic by seed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/demo-data/scale', headers: t.auth('admin'), payload: { events: 3000, seed: 7 } });
    expect(res.statusCode).toBe(202);
    const ended = await untilDone((res.json() as { jobId: string }).jobId);
    expect(ended.status, JSON.stringify(ended.error)).toBe('done');
    expect(ended.result).toMatchObject({ events: 3000, stored: 3000 });
    expect((ended.result as { masterData: number }).masterData).toBeGreaterThan(300);
    const unit = (ended.result as { codes: { unitQr: string } }).codes.unitQr;
    const trace = await t.app.inject({ method: 'GET', url: `/api/trace?code=${encodeURIComponent(unit)}&direction=upstream`, headers: t.auth('admin') });
    expect(trace.statusCode, trace.body.slice(0, 300)).toBe(200);
    // The same seed again: recognised, nothing stored twice.
    const again = await untilDone(((await t.app.inject({ method: 'POST', url: '/api/demo-data/scale', headers: t.auth('admin'), payload: { events: 3000, seed: 7 } })).json() as { jobId: string }).jobId);
    expect(again.result).toMatchObject({ events: 3000, stored: 0, masterData: 0 });
    const tooMany = await t.app.inject({ method: 'POST', url: '/api/demo-data/scale', headers: t.auth('admin'), payload: { events: 99_000_000 } });
    expect(tooMany.statusCode).toBe(400);
    expect(JSON.stringify(tooMany.json())).toContain('/events');
  }, 300_000);

  it('is for admins, and names a bad story', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/demo-data', headers: t.auth('qa'), payload: { story: 'mooncake' } })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/demo-data', headers: t.auth('admin'), payload: { story: 'croissant' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('/story');
    expect((await job('job_nope')).statusCode).toBe(404);
  });
});

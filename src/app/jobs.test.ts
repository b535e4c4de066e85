import { describe, expect, it } from 'vitest';
import { randomIds } from './context.ts';
import { createJobRegistry } from './jobs.ts';

describe('background jobs', () => {
  it('reports progress while running, the result when done, and belongs to one organisation', async () => {
    const jobs = createJobRegistry(randomIds);
    let finish: (v: unknown) => void = () => undefined;
    let report: (done: number, total: number) => void = () => undefined;
    const started = jobs.start('acme', 'load', (progress) => {
      report = (d, t) => progress(d, t, { 'zh-CN': '进行中', en: 'working' });
      return new Promise((resolve) => (finish = resolve));
    });
    expect(jobs.running('acme', 'load')?.jobId).toBe(started.jobId);
    expect(jobs.running('rival', 'load')).toBeNull();
    report(3, 10);
    expect(jobs.get('acme', started.jobId)).toMatchObject({ status: 'running', done: 3, total: 10, step: { en: 'working' } });
    expect(jobs.get('rival', started.jobId)).toBeNull();
    finish({ stored: 10 });
    await new Promise((r) => setTimeout(r, 0));
    expect(jobs.get('acme', started.jobId)).toMatchObject({ status: 'done', result: { stored: 10 } });
    expect(jobs.running('acme', 'load')).toBeNull();
  });

  it('keeps the reason when a job fails', async () => {
    const jobs = createJobRegistry(randomIds);
    const job = jobs.start('acme', 'load', async () => {
      throw Object.assign(new Error('GTIN 06901234567892 is used by another product'), { code: 'ValidationException' });
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(jobs.get('acme', job.jobId)).toMatchObject({ status: 'failed', error: { title: 'ValidationException', detail: 'GTIN 06901234567892 is used by another product' } });
  });
});

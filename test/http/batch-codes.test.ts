import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testEngines } from '../support/engines.ts';

describe.each(testEngines())('batch codes on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  const allocate = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/batch-codes', headers: t.auth('production'), payload: body });

  it('allocates the seed format by default: date, line, shift, sequence and variant', async () => {
    const res = await allocate({ date: '2025-12-15', line: 'CS', shift: 'AM', variant: 'F1', count: 2 });
    expect(res.statusCode).toBe(201);
    expect(res.json().codes).toEqual(['251215-CS-AM-001-F1', '251215-CS-AM-002-F1']);
    const next = await allocate({ date: '2025-12-15', line: 'CS', shift: 'AM', count: 1 });
    expect(next.json().codes).toEqual(['251215-CS-AM-003']);
    const otherShift = await allocate({ date: '2025-12-15', line: 'CS', shift: 'PM', count: 1 });
    expect(otherShift.json().codes).toEqual(['251215-CS-PM-001']);
  });

  it('never gives two concurrent requests the same code', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => allocate({ date: '2025-12-16', line: 'MC', shift: 'AM', count: 3 })));
    const codes = answers.flatMap((a) => a.json().codes as string[]);
    expect(codes).toHaveLength(60);
    expect(new Set(codes).size).toBe(60);
    expect(codes.sort()[59]).toBe('251216-MC-AM-060');
  });

  it('parses a code back into its parts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/batch-codes/parse?code=251215-CS-AM-001-F1', headers: t.auth('viewer') });
    expect(res.json().parts).toEqual({ date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' });
    const bad = await t.app.inject({ method: 'GET', url: '/api/batch-codes/parse?code=251315-CS-AM-001', headers: t.auth('viewer') });
    expect(bad.statusCode).toBe(400);
  });

  it('uses a product line scheme once set, and rejects a bad pattern', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/api/batch-code-schemes/CAKE', headers: t.auth('qa'), payload: { pattern: '{YYMMDD}{NOPE}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/pattern');
    const set = await t.app.inject({ method: 'PUT', url: '/api/batch-code-schemes/CAKE', headers: t.auth('qa'), payload: { pattern: '{YYYYMMDD}{SHIFT:1}{SEQ:4}', shifts: ['A', 'B'] } });
    expect(set.statusCode).toBe(200);
    const res = await allocate({ productLine: 'CAKE', date: '2025-12-15', line: 'CK', shift: 'A', count: 1 });
    expect(res.json().codes).toEqual(['20251215A0001']);
    const notAShift = await allocate({ productLine: 'CAKE', date: '2025-12-15', line: 'CK', shift: 'C', count: 1 });
    expect(notAShift.statusCode).toBe(400);
  });
});

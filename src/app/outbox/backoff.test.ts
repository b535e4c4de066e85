import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, retryDelayMs, windowExhausted } from './backoff.ts';

describe('retry backoff', () => {
  it('doubles from 15 s to the 15 min cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20, 500].map((n) => retryDelayMs(defaultRetryPolicy, n, mid))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000, 900_000,
    ]);
  });

  it('keeps jittered delays within ±20 % and growing until the cap', () => {
    for (let n = 1; n < 7; n++) {
      const highest = retryDelayMs(defaultRetryPolicy, n, () => 0.999999);
      const lowestNext = retryDelayMs(defaultRetryPolicy, n + 1, () => 0);
      expect(lowestNext).toBeGreaterThan(highest);
    }
    expect(retryDelayMs(defaultRetryPolicy, 1, () => 0)).toBe(12_000);
    expect(retryDelayMs(defaultRetryPolicy, 1, () => 0.999999)).toBe(18_000);
  });

  it('gives up only after the horizon', () => {
    const start = new Date('2025-09-01T00:00:00Z');
    expect(windowExhausted(defaultRetryPolicy, start, new Date('2025-09-03T23:59:59Z'))).toBe(false);
    expect(windowExhausted(defaultRetryPolicy, start, new Date('2025-09-04T00:00:00Z'))).toBe(true);
  });
});

/** How long to wait before the next attempt, and when to give up. */
export interface RetryPolicy {
  /** Delay after the first failed attempt; doubles after each further failure. */
  readonly baseMs: number;
  /** Longest delay between two attempts. */
  readonly capMs: number;
  /** Share of the delay that is random, 0..1: spreads retries so a recovering receiver is not hit all at once. */
  readonly jitter: number;
  /** A message still failing this long after its first attempt (or its last manual retry) is given up: status `failed`. */
  readonly giveUpAfterMs: number;
}

/** 15 s doubling to 15 min, ±20 %, for 72 hours: a channel down for a day loses nothing. */
export const defaultRetryPolicy: RetryPolicy = { baseMs: 15_000, capMs: 15 * 60_000, jitter: 0.2, giveUpAfterMs: 72 * 3_600_000 };

/**
 * Delay before attempt `failures + 1`, after `failures` (≥ 1) failed attempts. `random` is in [0, 1).
 * With jitter 0.2 the delays are 12–18 s, 24–36 s, 48–72 s, …: each range lies above the previous one
 * until the cap, so delays grow even with jitter.
 *
 * @example retryDelayMs(defaultRetryPolicy, 3, () => 0.5) // 60_000
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const spread = nominal * policy.jitter;
  return Math.round(nominal - spread + 2 * spread * random());
}

/** Whether a message whose delivery window started at `windowStart` should be given up at `now`. */
export function windowExhausted(policy: RetryPolicy, windowStart: Date, now: Date): boolean {
  return now.getTime() - windowStart.getTime() >= policy.giveUpAfterMs;
}

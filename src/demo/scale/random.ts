/**
 * Seeded randomness for benchmark data: the same seed always gives the same sequence, so generated
 * worlds and the query subjects picked from them are repeatable.
 *
 * @example
 * const rng = seededRandom(42);
 * rng.int(1, 6); // the same die roll on every run
 */

/** A seeded pseudo-random source. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Roughly normal around `mean` (sum of three uniforms). */
  around(mean: number, spread: number): number;
}

/** sfc32, seeded through splitmix32: fast, and good enough for test data. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    around: (mean, spread) => mean + ((next() + next() + next()) / 1.5 - 1) * spread,
  };
}

/** A uniform sample of at most `size` items from a stream of unknown length (Algorithm R), in bounded memory. */
export interface Reservoir<T> {
  offer(item: T): void;
  /** How many items were offered. */
  readonly seen: number;
  /** The sample (a copy). */
  items(): T[];
}

/** A reservoir of `size` items drawing on its own `rng` (so sampling never disturbs another stream). */
export function reservoir<T>(size: number, rng: Random): Reservoir<T> {
  const kept: T[] = [];
  let seen = 0;
  return {
    offer(item) {
      seen++;
      if (kept.length < size) kept.push(item);
      else {
        const j = Math.floor(rng.next() * seen);
        if (j < size) kept[j] = item;
      }
    },
    get seen() {
      return seen;
    },
    items: () => [...kept],
  };
}

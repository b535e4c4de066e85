import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../store/database.ts';

/** The time source; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

/** Where new identifiers come from; tests pass a deterministic generator. */
export interface IdGenerator {
  /** A new random identifier with `prefix`, e.g. `cap_3f9a…`. */
  next(prefix: string): string;
  /** `bytes` random bytes as base64url, for secrets. */
  secret(bytes: number): string;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Random identifiers from the operating system's CSPRNG. */
export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}_${randomBytes(10).toString('base64url')}`,
  secret: (bytes) => randomBytes(bytes).toString('base64url'),
};

/** Everything the use cases need from the outside world. */
export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

import { resolve } from 'node:path';
import type { OutboxConfig } from './app/outbox/runtime.ts';

/** Everything Lotline reads from its environment, parsed once at start. */
export interface Config {
  /** `postgres://…` to use a PostgreSQL server; unset for the embedded PGlite database. */
  readonly databaseUrl: string | null;
  /** Folder of the embedded database and the ledger signing key. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Admin token created at start when set (for scripted set-ups). */
  readonly bootstrapToken: string | null;
  /** Organisation that the bootstrap token belongs to. */
  readonly bootstrapOrg: string;
  /** PEM file of the Ed25519 key that signs ledger checkpoints. */
  readonly ledgerKeyFile: string;
  readonly logLevel: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** Largest number of events in one capture document (EPCIS `GS1-EPCIS-Capture-Limit`). */
  readonly captureLimit: number;
  /** Notice delivery: SMTP, webhook timeout, retry horizon (docs/notifications.md). */
  readonly outbox: OutboxConfig;
  /**
   * LOTLINE_TRUST_PROXY: behind a TLS-terminating reverse proxy, `true` (or the proxy's address/CIDR list)
   * makes the server read the client's address and scheme from X-Forwarded-* (rate limits per consumer,
   * https links on the consumer page). Unset: the direct peer is the client.
   */
  readonly trustProxy: boolean | string;
  /** Milliseconds between two looks for store tasks past their acknowledgement time (LOTLINE_ESCALATION_POLL_MS). */
  readonly escalationPollMs: number;
}

/** Read the configuration from `env` (defaults make `npm start` work with nothing set). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.LOTLINE_DATA_DIR ?? './lotline-data');
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir,
    host: env.HOST ?? '0.0.0.0',
    port: intFrom(env.PORT, 3000),
    bootstrapToken: nonEmpty(env.LOTLINE_BOOTSTRAP_TOKEN),
    bootstrapOrg: env.LOTLINE_BOOTSTRAP_ORG ?? 'default',
    ledgerKeyFile: resolve(env.LOTLINE_LEDGER_KEY_FILE ?? `${dataDir}/ledger-signing-key.pem`),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimit: intFrom(env.LOTLINE_BODY_LIMIT, 64 * 1024 * 1024),
    captureLimit: intFrom(env.LOTLINE_CAPTURE_LIMIT, 50_000),
    outbox: {
      smtpUrl: nonEmpty(env.LOTLINE_SMTP_URL),
      mailFrom: nonEmpty(env.LOTLINE_MAIL_FROM),
      pollIntervalMs: intFrom(env.LOTLINE_OUTBOX_POLL_MS, 5_000),
      giveUpAfterHours: intFrom(env.LOTLINE_OUTBOX_GIVE_UP_HOURS, 72),
      webhookTimeoutMs: intFrom(env.LOTLINE_WEBHOOK_TIMEOUT_MS, 10_000),
    },
    escalationPollMs: intFrom(env.LOTLINE_ESCALATION_POLL_MS, 60_000),
    trustProxy: env.LOTLINE_TRUST_PROXY === 'true' ? true : (nonEmpty(env.LOTLINE_TRUST_PROXY) ?? false),
  };
}

function nonEmpty(v: string | undefined): string | null {
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function intFrom(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive whole number, got ${JSON.stringify(v)}`);
  return n;
}

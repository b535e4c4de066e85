import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { Config } from '../config.ts';
import type { LedgerSigner } from '../core/ledger/ledger-signer.ts';
import { lockDataDir } from '../store/data-dir-lock.ts';
import { type Database, openDatabase } from '../store/database.ts';
import { migrate } from '../store/migrate.ts';
import { type AppContext, randomIds, systemClock } from './context.ts';
import { type Preparer, createPreparer } from './capture/prepare-pool.ts';
import { loadLedgerSigner } from './ledger-key.ts';
import { ensureOrg, listOrgs } from './orgs.ts';
import { type Authenticator, createAuthenticator, createToken, installBootstrapToken } from './tokens.ts';

/** Everything a running Lotline holds: the database, the signing key, the authenticator. */
export interface Services {
  readonly config: Config;
  readonly ctx: AppContext;
  readonly signer: LedgerSigner;
  readonly authenticator: Authenticator;
  /** Validates and hashes capture bodies on worker threads. */
  readonly preparer: Preparer;
  close(): Promise<void>;
}

/** Open the database named by `config` (PGlite in the data folder unless DATABASE_URL is set). */
export async function openConfiguredDatabase(config: Config, logger?: Logger): Promise<Database> {
  if (config.databaseUrl) {
    return openDatabase({ kind: 'postgres', url: config.databaseUrl, onIdleError: (error) => logger?.warn({ err: error }, 'an idle database connection failed; it will be replaced') });
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: join(config.dataDir, 'pglite') });
    return {
      ...database,
      close: async () => {
        await database.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Open the database, apply migrations, load the ledger key and install the bootstrap token. */
export async function openServices(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
  options: { firstRunToken?: (token: string, orgId: string) => void } = {},
): Promise<Services> {
  const database = await openConfiguredDatabase(config, logger);
  try {
    const applied = (await migrate(database)).filter((m) => m.status === 'applied');
    if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
    const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger };
    const signer = loadLedgerSigner(config.ledgerKeyFile);
    const system = { orgId: config.bootstrapOrg, tokenId: 'system' as const, role: null };
    if (config.bootstrapToken) {
      await ensureOrg(ctx, config.bootstrapOrg, config.bootstrapOrg, system);
      await installBootstrapToken(ctx, config.bootstrapOrg, config.bootstrapToken);
    } else if (options.firstRunToken && (await listOrgs(ctx)).length === 0) {
      // A brand-new installation: make the first organisation and show its admin token once.
      await ensureOrg(ctx, config.bootstrapOrg, config.bootstrapOrg, system);
      const created = await createToken(ctx, { orgId: config.bootstrapOrg, role: 'admin', label: 'first start' }, system);
      options.firstRunToken(created.token, config.bootstrapOrg);
    }
    const preparer = createPreparer();
    return {
      config,
      ctx,
      signer,
      preparer,
      authenticator: createAuthenticator(ctx),
      close: async () => {
        await preparer.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Role } from '../../src/core/access/roles.ts';
import type { AppContext } from '../../src/app/context.ts';
import { randomIds, systemClock } from '../../src/app/context.ts';
import { createPreparer } from '../../src/app/capture/prepare-pool.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../src/core/ledger/ed25519.ts';
import type { LedgerSigner } from '../../src/core/ledger/ledger-signer.ts';
import { createAuthenticator, createToken } from '../../src/app/tokens.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Engine } from '../../src/store/database.ts';
import { freshDatabase } from './engines.ts';

/** A test app on a fresh database, with two organisations and a token per role in the first. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  readonly signer: LedgerSigner;
  /** Tokens of organisation `acme` by role, and `other` for an admin of organisation `rival`. */
  readonly tokens: Readonly<Record<Role, string>> & { readonly other: string };
  /** Authorization header for `role` (default admin). */
  auth(role?: Role | 'other'): { authorization: string };
  close(): Promise<void>;
}

const cli = { tokenId: 'cli' as const, role: null };

/** Build the app on `engine` with orgs `acme` and `rival`. */
export async function startTestApp(engine: Engine, options: { threads?: number; bodyLimit?: number; captureLimit?: number } = {}): Promise<TestApp> {
  const database = await freshDatabase(engine);
  const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
  await createOrg(ctx, 'acme', 'Acme Bakery 月华坊', { orgId: 'acme', ...cli });
  await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', ...cli });
  const roleList: Role[] = ['admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer'];
  const tokens = {} as Record<Role, string> & { other: string };
  for (const role of roleList) tokens[role] = (await createToken(ctx, { orgId: 'acme', role }, { orgId: 'acme', ...cli })).token;
  tokens.other = (await createToken(ctx, { orgId: 'rival', role: 'admin' }, { orgId: 'rival', ...cli })).token;
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const preparer = createPreparer(options.threads ?? 0);
  const app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: options.bodyLimit ?? 64 * 1024 * 1024, captureLimit: options.captureLimit ?? 50_000 });
  await app.ready();
  return {
    app,
    ctx,
    tokens,
    auth: (role = 'admin') => ({ authorization: `Bearer ${tokens[role]}` }),
    signer,
    close: async () => {
      await app.close();
      await preparer.close();
      await database.close();
    },
  };
}

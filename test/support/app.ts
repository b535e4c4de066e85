import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Role } from '../../src/core/access/roles.ts';
import type { AppContext } from '../../src/app/context.ts';
import { randomIds, systemClock } from '../../src/app/context.ts';
import { createOrg } from '../../src/app/orgs.ts';
import { createAuthenticator, createToken } from '../../src/app/tokens.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Engine } from '../../src/store/database.ts';
import { freshDatabase } from './engines.ts';

/** A test app on a fresh database, with two organisations and a token per role in the first. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  /** Tokens of organisation `acme` by role, and `other` for an admin of organisation `rival`. */
  readonly tokens: Readonly<Record<Role, string>> & { readonly other: string };
  /** Authorization header for `role` (default admin). */
  auth(role?: Role | 'other'): { authorization: string };
  close(): Promise<void>;
}

const cli = { tokenId: 'cli' as const, role: null };

/** Build the app on `engine` with orgs `acme` and `rival`. */
export async function startTestApp(engine: Engine): Promise<TestApp> {
  const database = await freshDatabase(engine);
  const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
  await createOrg(ctx, 'acme', 'Acme Bakery 月华坊', { orgId: 'acme', ...cli });
  await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', ...cli });
  const roleList: Role[] = ['admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer'];
  const tokens = {} as Record<Role, string> & { other: string };
  for (const role of roleList) tokens[role] = (await createToken(ctx, { orgId: 'acme', role }, { orgId: 'acme', ...cli })).token;
  tokens.other = (await createToken(ctx, { orgId: 'rival', role: 'admin' }, { orgId: 'rival', ...cli })).token;
  const app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), bodyLimit: 64 * 1024 * 1024 });
  await app.ready();
  return {
    app,
    ctx,
    tokens,
    auth: (role = 'admin') => ({ authorization: `Bearer ${tokens[role]}` }),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

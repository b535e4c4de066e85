import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, permissions, roles } from '../../core/access/roles.ts';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, createUser, listUsers, signIn, signOut, updateUser } from '../../app/users.ts';
import type { RouteDeps } from '../app.ts';
import { assertSameOrigin, cookieOf, principalOf } from '../auth.ts';

const RoleSchema = Type.Union(roles.map((r) => Type.Literal(r)));

const SignInBody = Type.Object(
  {
    org: Type.String({ minLength: 1, maxLength: 63 }),
    login: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 100 }),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    role: RoleSchema,
    password: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    password: Type.Optional(Type.String({ maxLength: 1000 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** `Set-Cookie` for the session: HttpOnly, SameSite=Strict, Secure when the request came over https (trustProxy honoured). */
function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * People and their console sessions (issue 6): sign in with organisation, login name and password, sign
 * out, and admins manage their organisation's users. Sign-in is rate-limited per client address and
 * login name, and answers the same 401 whatever was wrong.
 */
export function registerUserRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['access'];

  // Its own scope, so the rate limiter applies to sign-in only (POS checks must never be throttled by it).
  app.register(async (scope) => {
    await scope.register(rateLimit, { global: false, hook: 'preHandler' });
    scope.post(
      '/api/session',
      {
        config: {
          public: true,
          rateLimit: {
            max: 10,
            timeWindow: '1 minute',
            keyGenerator: (request: FastifyRequest) => `${request.ip}|${String((request.body as { login?: unknown } | undefined)?.login ?? '').trim().toLowerCase()}`,
          },
        },
        schema: { tags, summary: 'Sign in to the console with organisation, login name and password; sets the session cookie (登录)', body: SignInBody, security: [] },
      },
      async (request, reply) => {
        // A sign-in posted from another site would sign the browser in to someone else's account.
        if (request.headers.origin !== undefined) assertSameOrigin(request);
        const body = request.body as { org: string; login: string; password: string };
        const session = await signIn(deps.ctx, body, request.id);
        reply.header('set-cookie', sessionCookie(request, session.cookie, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
        reply.header('cache-control', 'no-store');
        const p = session.principal;
        const org = await deps.ctx.database.db.selectFrom('orgs').select('name').where('org_id', '=', p.orgId).executeTakeFirst();
        return {
          orgId: p.orgId,
          orgName: org?.name ?? p.orgId,
          role: p.role,
          tokenId: p.tokenId,
          permissions: permissions.filter((x) => can(p.role, x)),
          user: { userId: session.user.userId, login: session.user.login, displayName: session.user.displayName },
          expiresAt: session.expiresAt.toISOString(),
        };
      },
    );
  });

  app.delete(
    '/api/session',
    { config: { public: true }, schema: { tags, summary: 'Sign out: end the session of the cookie and clear it (退出登录)', security: [] } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const cookie = cookieOf(request, SESSION_COOKIE);
      if (cookie !== null) {
        assertSameOrigin(request);
        await signOut(deps.ctx, cookie, request.id);
        deps.authenticator.invalidate();
      }
      reply.header('set-cookie', sessionCookie(request, '', 0));
      reply.code(204);
      return reply.send();
    },
  );

  app.get('/api/users', { config: { permission: 'tokens:manage' }, schema: { tags, summary: 'List the people who can sign in to the console (never their passwords)' } }, async (request) => {
    return { items: await listUsers(deps.ctx, principalOf(request).orgId) };
  });

  app.post('/api/users', { config: { permission: 'tokens:manage' }, schema: { tags, summary: 'Add a person with a login name, role and password (at least 10 characters, not the login name)', body: CreateBody } }, async (request, reply) => {
    const principal = principalOf(request);
    const created = await createUser(deps.ctx, principal.orgId, request.body as { login: string; displayName?: string; role: string; password: string }, principal);
    reply.code(201);
    return created;
  });

  app.patch(
    '/api/users/:userId',
    {
      config: { permission: 'tokens:manage' },
      schema: { tags, summary: "Change a person's display name, role or password, or disable them (ends their sessions)", params: Type.Object({ userId: Type.String({ maxLength: 100 }) }), body: PatchBody },
    },
    async (request) => {
      const principal = principalOf(request);
      const updated = await updateUser(deps.ctx, principal.orgId, (request.params as { userId: string }).userId, request.body as { displayName?: string; role?: string; password?: string; disabled?: boolean }, principal);
      deps.authenticator.invalidate();
      return updated;
    },
  );
}

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { can, permissions, roles } from '../../core/access/roles.ts';
import { createToken, listTokens, revokeToken } from '../../app/tokens.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const CreateBody = Type.Object(
  {
    role: Type.Union(roles.map((r) => Type.Literal(r))),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** Admins issue, list and revoke their organisation's API tokens. */
export function registerTokenRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['access'];
  app.get('/api/me', { config: { permission: 'session:read' }, schema: { tags, summary: "The caller: organisation, role and the permissions of its token (the console shows what the role may do)" } }, async (request) => {
    const p = principalOf(request);
    const org = await deps.ctx.database.db.selectFrom('orgs').select('name').where('org_id', '=', p.orgId).executeTakeFirst();
    return { orgId: p.orgId, orgName: org?.name ?? p.orgId, role: p.role, tokenId: p.tokenId, permissions: permissions.filter((x) => can(p.role, x)) };
  });
  app.get('/api/tokens', { config: { permission: 'tokens:manage' }, schema: { tags, summary: 'List API tokens (never their secrets)' } }, async (request) => {
    return { items: await listTokens(deps.ctx, principalOf(request).orgId) };
  });
  app.post('/api/tokens', { config: { permission: 'tokens:manage' }, schema: { tags, summary: 'Issue an API token; the secret is shown once', body: CreateBody } }, async (request, reply) => {
    const body = request.body as { role: string; label?: string; expiresAt?: string };
    const principal = principalOf(request);
    const created = await createToken(
      deps.ctx,
      { orgId: principal.orgId, role: body.role, ...(body.label ? { label: body.label } : {}), expiresAt: body.expiresAt ? timeParam(body.expiresAt, '/expiresAt') : null },
      principal,
    );
    reply.code(201);
    return created;
  });
  app.delete('/api/tokens/:tokenId', { config: { permission: 'tokens:manage' }, schema: { tags, summary: 'Revoke an API token', params: Type.Object({ tokenId: Type.String({ maxLength: 100 }) }) } }, async (request) => {
    const principal = principalOf(request);
    const revoked = await revokeToken(deps.ctx, principal.orgId, (request.params as { tokenId: string }).tokenId, principal);
    deps.authenticator.invalidate();
    return revoked;
  });
}

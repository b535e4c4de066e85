import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Permission, type Principal, can } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import type { Authenticator } from '../app/tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one must say `public: true`. */
    permission?: Permission;
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Every route needs a bearer token bound to one organisation and a role that holds the route's permission. */
export function registerAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainError('UnauthorizedException', 'an API token is required: send Authorization: Bearer <token>');
    const principal = await authenticator.authenticate(match[1]!);
    if (!principal) throw new DomainError('UnauthorizedException', 'the API token is unknown, revoked or expired');
    request.principal = principal;
    if (!config.permission) throw new DomainError('SecurityException', 'this route has no permission configured');
    if (!can(principal.role, config.permission)) {
      throw new DomainError('SecurityException', `role ${principal.role} may not do this (needs ${config.permission})`);
    }
  });
}

/** The authenticated caller of a route that has a permission. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UnauthorizedException', 'an API token is required');
  return request.principal;
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Permission, type Principal, can } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import type { Authenticator } from '../app/tokens.ts';
import { SESSION_COOKIE } from '../app/users.ts';

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

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of cookie `name` in the request, if sent. */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

/**
 * Cookies are sent by the browser on its own, so a write authenticated by one must come from a page of
 * this server: its Origin (or, lacking one, its Referer) must name the host the request was sent to
 * (behind a proxy with trustProxy, the forwarded host). SameSite=Strict already stops most cross-site
 * requests; this also covers browsers and sibling subdomains that SameSite does not.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const source = request.headers.origin ?? request.headers.referer;
  let host: string | null = null;
  if (typeof source === 'string' && source !== 'null') {
    try {
      host = new URL(source).host;
    } catch {
      host = null;
    }
  }
  // Through URL on both sides, so a default port (http://host:80) compares equal to its absence.
  let own: string;
  try {
    own = new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    own = request.host;
  }
  if (host === null || host.toLowerCase() !== own.toLowerCase()) {
    throw new DomainError(
      'SecurityException',
      'a write signed in by session cookie must come from the console: its Origin (or Referer) header must match this server (会话请求的 Origin 与本服务器不符；API 客户端请使用 Bearer 令牌)',
      [{ pointer: '/headers/origin', message: host === null ? 'missing Origin header' : `origin ${host} is not ${own}`, rule: 'sameOrigin' }],
    );
  }
}

/**
 * Every route needs a caller bound to one organisation whose role holds the route's permission: a
 * bearer token (API clients, POS) or a console session cookie (people who signed in with a login name
 * and password). A bearer token wins when both are sent.
 */
export function registerAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    let principal: Principal | null;
    if (match) {
      principal = await authenticator.authenticate(match[1]!);
      if (!principal) throw new DomainError('UnauthorizedException', 'the API token is unknown, revoked or expired');
    } else {
      const cookie = header === '' ? cookieOf(request, SESSION_COOKIE) : null;
      if (cookie === null) throw new DomainError('UnauthorizedException', 'an API token is required: send Authorization: Bearer <token>, or sign in to the console');
      principal = await authenticator.authenticateSession(cookie);
      if (!principal) throw new DomainError('UnauthorizedException', 'the session has ended (signed out, expired or the account changed): sign in again (会话已结束，请重新登录)');
      if (UNSAFE.has(request.method)) assertSameOrigin(request);
    }
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

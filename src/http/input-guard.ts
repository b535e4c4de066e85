import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors.ts';
import { unstorableParts } from '../core/text-guard.ts';

/**
 * Refuse, with pointers, path parameters, query values and JSON bodies that hold text PostgreSQL
 * cannot store (NUL, unpaired surrogates) or nesting deep enough to exhaust recursive code.
 * Raw EPCIS capture bodies are checked where they are parsed (app/capture/prepare.ts).
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...unstorableParts(request.params, '/params'),
      ...unstorableParts(request.query, '/query'),
      ...(typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body) ? unstorableParts(request.body, '') : []),
      ...(typeof request.body === 'string' && request.routeOptions.url?.startsWith('/epcis/') !== true ? unstorableParts(request.body, '') : []),
    ];
    if (problems.length) {
      const where = problems[0]!.pointer.startsWith('/query') ? 'QueryParameterException' : 'ValidationException';
      throw new DomainError(where, 'the request holds text that cannot be stored, or is nested too deeply', problems);
    }
  });
}

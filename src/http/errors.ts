import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type ErrorDetail, errorCodes } from '../core/errors.ts';

/** The body of every error answer: RFC 9457 problem details, with EPCIS exception names as the type. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly ErrorDetail[];
}

/** Build the problem body for `code`. */
export function problem(code: ErrorCode, title: string, details: readonly ErrorDetail[] = [], instance?: string): ProblemBody {
  return {
    type: `epcisException:${code}`,
    title,
    status: errorCodes[code],
    ...(instance ? { instance } : {}),
    ...(details.length ? { errors: details } : {}),
  };
}

/** Map any thrown value to a problem answer; user mistakes are never 500. */
export function toProblem(error: unknown, request: FastifyRequest): ProblemBody {
  if (DomainError.is(error)) return problem(error.code, error.message, error.details, request.id);
  const fe = error as FastifyError & { validation?: { instancePath: string; message?: string; keyword: string; params?: Record<string, unknown> }[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext === 'querystring' ? '/query' : fe.validationContext === 'params' ? '/params' : fe.validationContext === 'headers' ? '/headers' : '';
    const details = fe.validation.map((v) => {
      const extra = v.keyword === 'additionalProperties' ? `/${String(v.params?.additionalProperty ?? '')}` : v.keyword === 'required' ? `/${String(v.params?.missingProperty ?? '')}` : '';
      return { pointer: `${where}${v.instancePath}${extra}`, message: v.message ?? v.keyword, rule: v.keyword };
    });
    return problem(fe.validationContext === 'querystring' ? 'QueryParameterException' : 'ValidationException', 'the request is not valid', details, request.id);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('UnsupportedMediaTypeException', `unsupported content type ${request.headers['content-type'] ?? '(none)'}`, [], request.id);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PayloadTooLargeException', 'the request body is too large', [], request.id);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('MalformedJsonException', 'the request body is empty', [{ pointer: '', message: 'expected a JSON body', rule: 'json' }], request.id);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('ValidationException', 'the content length does not match the body', [], request.id);
    default:
      break;
  }
  if (error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problem('MalformedJsonException', `the body is not valid JSON: ${fe.message}`, [{ pointer: '', message: fe.message, rule: 'json' }], request.id);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode = fe.statusCode === 404 ? 'NoSuchResourceException' : fe.statusCode === 429 ? 'RateLimitedException' : fe.statusCode === 415 ? 'UnsupportedMediaTypeException' : fe.statusCode === 413 ? 'PayloadTooLargeException' : fe.statusCode === 406 ? 'NotAcceptableException' : 'ValidationException';
    return { ...problem(code, fe.message, [], request.id), status: fe.statusCode };
  }
  return problem('ImplementationException', 'an internal error occurred; it was logged with this request id', [], request.id);
}

/** Send `body` as application/problem+json. */
export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

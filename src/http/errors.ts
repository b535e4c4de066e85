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

/** A short Chinese title for each error type; the English detail follows in `detail`. */
const zhTitles: Readonly<Record<ErrorCode, string>> = {
  ValidationException: '输入数据无效',
  QueryParameterException: '查询参数无效',
  QueryTooLargeException: '查询结果过多',
  QueryTooComplexException: '查询过于复杂',
  ImplementationException: '服务器内部错误（已记录，请提供请求编号）',
  NoSuchResourceException: '资源不存在',
  NoSuchNameException: '名称不存在',
  SecurityException: '无权执行此操作',
  CaptureLimitExceededException: '超出单次采集上限',
  UnsupportedMediaTypeException: '不支持的内容类型',
  NotAcceptableException: '无法提供所请求的格式',
  MalformedJsonException: 'JSON 格式错误',
  PayloadTooLargeException: '请求体过大',
  UnauthorizedException: '需要登录或有效的 API 令牌',
  ConflictException: '与现有数据冲突',
  RateLimitedException: '请求过于频繁',
  InvalidStateException: '当前状态不允许此操作',
};

/** Whether the caller prefers Chinese (Accept-Language: zh, zh-CN, …). */
export function prefersChinese(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  const first = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith('zh') ?? false;
}

/** Give the problem a Chinese title when the caller prefers Chinese, keeping the English text as detail. */
export function localise(body: ProblemBody, acceptLanguage: string | undefined): ProblemBody {
  if (!prefersChinese(acceptLanguage)) return body;
  const code = body.type.replace(/^epcisException:/, '') as ErrorCode;
  const zh = zhTitles[code];
  return zh ? { ...body, title: zh, detail: body.title } : body;
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

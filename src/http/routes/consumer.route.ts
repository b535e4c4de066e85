import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, type ValidComplaint, complaintPhoto, getComplaint, listComplaints, validateComplaint } from '../../app/consumer/complaints.ts';
import { type ConsumerCode, readConsumerCode } from '../../app/consumer/consumer-code.ts';
import { type FormState, pageCsp, renderConsumerPage, renderTooManyPage, renderUnknownPage } from '../../app/consumer/consumer-page.ts';
import { PUBLIC_FACTS, type PublicFacts, consumerSettings, saveConsumerSettings } from '../../app/consumer/consumer-settings.ts';
import { type ConsumerLang, consumerLang, words } from '../../app/consumer/consumer-text.ts';
import { type ScanOwner, consumerPage, fileComplaint, ownerOf, requestReturn } from '../../app/consumer/consumer.ts';
import { anchorOf, linkHeader, linksOf, linksetOf, readLinkType } from '../../app/consumer/linkset.ts';
import { boundaryOf, readMultipart } from '../../app/consumer/multipart.ts';
import type { OwnedProduct } from '../../app/consumer/unit-facts.ts';
import { createBlockCache } from '../../app/pos/block-cache.ts';
import { invalidate } from '../../app/pos/hold-signal.ts';
import type { RecallDeps } from '../../app/recall/cases.ts';
import { can } from '../../core/access/roles.ts';
import { DomainError } from '../../core/errors.ts';
import { unstorableParts } from '../../core/text-guard.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

/** Per-IP limits of the anonymous routes (requests per minute). */
export interface ConsumerLimits {
  readonly pagesPerMinute: number;
  readonly postsPerMinute: number;
}

export const DEFAULT_CONSUMER_LIMITS: ConsumerLimits = { pagesPerMinute: 60, postsPerMinute: 10 };

/** The largest form post: a 5 MiB photo, its multipart framing and the text fields. */
const FORM_BODY_LIMIT = 8 * 1024 * 1024;

const wantsJson = (request: FastifyRequest) => /application\/(?:[\w.+-]*\+)?json/i.test(request.headers.accept ?? '') && !/text\/html/i.test(request.headers.accept ?? '');
const wantsLinkset = (request: FastifyRequest) => /application\/linkset\+json/i.test(request.headers.accept ?? '') || wantsJson(request);

const nonce = () => randomBytes(16).toString('base64');

/** The headers of every HTML answer: the strict CSP with this response's nonce, no caching, no referrer. */
function htmlReply(reply: FastifyReply, status: number, lang: ConsumerLang, n: string, html: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', pageCsp(n))
    .header('content-language', lang)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'Accept, Accept-Language')
    .send(html);
}

/** What a form post carried: text fields and the photo's bytes (multipart, urlencoded or JSON with base64). */
interface PostedForm {
  readonly fields: Readonly<Record<string, string>>;
  readonly photo: Buffer | null;
}

function readForm(request: FastifyRequest): PostedForm {
  const body = request.body;
  let fields: Record<string, string> = {};
  let photo: Buffer | null = null;
  if (Buffer.isBuffer(body)) {
    const type = request.headers['content-type'] ?? '';
    if (/^multipart\/form-data/i.test(type)) {
      const boundary = boundaryOf(type);
      const form = boundary === null ? null : readMultipart(body, boundary);
      if (form === null) throw new DomainError('ValidationException', 'the form data is not well-formed multipart/form-data', [{ pointer: '', message: 'malformed multipart body', rule: 'multipart' }]);
      fields = { ...form.fields };
      photo = form.files.photo?.bytes ?? null;
    } else {
      fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    }
  } else if (typeof body === 'object' && body !== null) {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
    const b64 = (body as { photoBase64?: unknown }).photoBase64;
    if (typeof b64 === 'string' && b64 !== '') photo = Buffer.from(b64, 'base64');
  }
  delete fields.photoBase64;
  const problems = unstorableParts(fields, '');
  if (problems.length) throw new DomainError('ValidationException', 'the form holds text that cannot be stored', problems);
  return { fields, photo };
}

const text = (form: PostedForm, name: string) => form.fields[name] ?? '';

/** Field errors as a problem: each pointer names the form field, each message is in the page language. */
function fieldProblem(errors: readonly FieldError[], lang: ConsumerLang): DomainError {
  const w = words(lang);
  return new DomainError('ValidationException', 'the form has errors; see errors[]', errors.map((e) => ({ pointer: `/${e.field}`, message: w.errors[e.rule], rule: e.rule })));
}

/**
 * The consumer page (docs/consumer.md): a GS1 Digital Link resolver on Lotline's own host
 * (`/01/{gtin}/10/{lot}/21/{serial}` and shorter), answering a browser with the page and a resolver
 * client with the linkset; complaints and return tickets from the page; and the QA side (complaints,
 * what is public). The anonymous routes are rate-limited per IP, in their own plugin scope.
 */
export function registerConsumerRoutes(app: FastifyInstance, deps: RouteDeps, limits: ConsumerLimits = DEFAULT_CONSUMER_LIMITS): void {
  const cache = createBlockCache(deps.ctx);
  const recall: RecallDeps = {
    ctx: deps.ctx,
    signer: deps.signer,
    afterCommit: (orgId, changed) => {
      if (changed.holds) invalidate(orgId);
      if (changed.notices) deps.outbox?.wake();
    },
  };
  registerQaRoutes(app, deps);

  void app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new DomainError('RateLimitedException', `too many requests from this address; retry in ${context.after}`),
    });
    // A browser that asked too often gets a page, not JSON; everything else goes on to the app's problem answers.
    scope.setErrorHandler((error, request, reply) => {
      if (DomainError.is(error) && error.code === 'RateLimitedException' && !wantsJson(request)) {
        const lang = consumerLang(null, request.headers['accept-language']);
        const n = nonce();
        return htmlReply(reply, 429, lang, n, renderTooManyPage(lang, n));
      }
      throw error;
    });
    // Forms arrive as multipart (with a photo) or urlencoded; both are read in the handler, so the
    // photo's bytes never pass through the JSON input guard.
    if (scope.hasContentTypeParser('application/x-www-form-urlencoded')) scope.removeContentTypeParser('application/x-www-form-urlencoded');
    scope.addContentTypeParser(['multipart/form-data', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => done(null, body));

    const pageLimit = { max: limits.pagesPerMinute, timeWindow: 60_000 };
    const postLimit = { max: limits.postsPerMinute, timeWindow: 60_000 };
    const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

    /** The code and its owner, or the friendly 404 already sent. */
    const resolve = async (request: FastifyRequest, reply: FastifyReply, url: string, lang: ConsumerLang): Promise<{ code: ConsumerCode; product: OwnedProduct; linkType: string | null; langParam: ConsumerLang | null } | null> => {
      const read = readConsumerCode(url);
      const owner: ScanOwner = read.ok ? await ownerOf(deps.ctx, read.value.code) : { kind: 'unknown', reason: 'none' };
      if (read.ok && owner.kind === 'found') return { code: read.value.code, product: owner.product, linkType: read.value.query.linkType, langParam: read.value.query.lang };
      if (wantsJson(request)) {
        throw new DomainError('NoSuchResourceException', read.ok ? 'no product with this GTIN is known here' : `this is not a code Lotline can answer: ${read.error.message}`, [{ pointer: '/code', message: 'unknown code', rule: 'unknownCode' }]);
      }
      const n = nonce();
      htmlReply(reply, 404, lang, n, renderUnknownPage(lang, n));
      return null;
    };

    scope.get('/01/*', {
      config: { public: true, rateLimit: pageLimit },
      schema: {
        tags: ['consumer'],
        summary: 'GS1 Digital Link resolver: the consumer page, the linkset, or a redirect to one link type 扫码页面',
        description:
          '`/01/{gtin}[/10/{lot}][/21/{serial}]` (GTIN-8/12/13/14; data attributes such as `?17=YYMMDD` are accepted). A browser gets the consumer page ' +
          '(Accept-Language or `?lang=zh-CN|en`); `Accept: application/linkset+json` or `?linkType=linkset` gets the RFC 9264 linkset; ' +
          '`?linkType=gs1:recallStatus` (or `gs1:pip`, `gs1:traceability`, `gs1:defaultLink`, or the full URI) answers 307 to that link; an unknown link type to the default link. ' +
          'Anonymous, 60 requests per minute per IP. Unknown codes, and GTINs claimed by more than one organisation, get a 404 page.',
        security: [],
      },
    }, async (request, reply) => {
      const lang0 = consumerLang(null, request.headers['accept-language']);
      const found = await resolve(request, reply, request.url, lang0);
      if (found === null) return reply;
      const anchor = anchorOf(originOf(request), found.code);
      reply.header('link', linkHeader(anchor)).header('vary', 'Accept, Accept-Language');
      if (found.linkType !== null) {
        const asked = readLinkType(found.linkType);
        if (asked.kind === 'linkset') return reply.type('application/linkset+json').header('cache-control', 'no-cache').send(linksetOf(anchor));
        const links = linksOf(anchor);
        return reply.code(307).header('cache-control', 'no-cache').redirect(asked.kind === 'link' ? links[asked.type].href : links.defaultLink.href, 307);
      }
      if (wantsLinkset(request)) return reply.type('application/linkset+json').header('cache-control', 'no-cache').send(linksetOf(anchor));
      const lang = consumerLang(found.langParam, request.headers['accept-language']);
      const n = nonce();
      const model = await consumerPage(deps.ctx, cache, {
        code: found.code,
        product: found.product,
        lang,
        nonce: n,
        // A printed QR code carries no lang: a language switch is the same visit, and HEAD is no visit.
        scanner: { record: request.method === 'GET' && found.langParam === null, ip: request.ip, userAgent: request.headers['user-agent'] },
      });
      return htmlReply(reply, 200, lang, n, renderConsumerPage(model));
    });

    /** Re-render the page after a form post (no scan is recorded: it is the same visit). */
    const pageAfterPost = async (reply: FastifyReply, status: number, found: { code: ConsumerCode; product: OwnedProduct }, lang: ConsumerLang, request: FastifyRequest, forms: { complaint?: FormState<string>; returnForm?: FormState<string> }) => {
      const n = nonce();
      const model = await consumerPage(deps.ctx, cache, { code: found.code, product: found.product, lang, nonce: n, scanner: { record: false, ip: request.ip, userAgent: undefined }, ...forms });
      return htmlReply(reply, status, lang, n, renderConsumerPage(model));
    };

    scope.post('/consumer/complaints', {
      config: { public: true, rateLimit: postLimit },
      bodyLimit: FORM_BODY_LIMIT,
      schema: {
        tags: ['consumer'],
        summary: 'File a complaint about a scanned pack (form post or fetch) 消费者投诉',
        description:
          'multipart/form-data (fields `code`, `text`, `phone`, `email`, `lang`, file `photo`: JPEG/PNG/WebP, at most 5 MiB, checked by its bytes), ' +
          'application/x-www-form-urlencoded (no photo) or JSON (`photoBase64`). With `Accept: application/json`: 201 `{complaintId, code, message}` or a 400 problem ' +
          'whose `errors[].pointer` names the field (`/text`, `/photo`, `/phone`, `/email`) with a message in the page language; otherwise the page again. ' +
          'Anonymous, 10 posts per minute per IP.',
        security: [],
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
      },
    }, async (request, reply) => {
      const form = readForm(request);
      const lang = consumerLang(text(form, 'lang'), request.headers['accept-language']);
      const found = await resolve(request, reply, text(form, 'code'), lang);
      if (found === null) return reply;
      const checked = validateComplaint({ text: text(form, 'text'), phone: text(form, 'phone'), email: text(form, 'email'), photo: form.photo });
      const values = { text: text(form, 'text'), phone: text(form, 'phone'), email: text(form, 'email') };
      if (!checked.ok) {
        if (wantsJson(request)) throw fieldProblem(checked.errors, lang);
        return pageAfterPost(reply, 400, found, lang, request, { complaint: { values, errors: checked.errors, done: null } });
      }
      const { complaintId } = await fileComplaint(deps.ctx, found.product.orgId, found.code, checked.value as ValidComplaint, lang, request.id);
      if (wantsJson(request)) return reply.code(201).send({ complaintId, code: found.code.canonical, message: words(lang).complaintDone(complaintId) });
      return pageAfterPost(reply, 201, found, lang, request, { complaint: { values: {}, errors: [], done: complaintId } });
    });

    scope.post('/consumer/returns', {
      config: { public: true, rateLimit: postLimit },
      bodyLimit: FORM_BODY_LIMIT,
      schema: {
        tags: ['consumer'],
        summary: 'Ask for a return ticket for a recalled pack (scan to return) 扫码退货',
        description:
          'Fields `code`, `compensation` (one the recall offers), `quantity` (1–20), optional `name`, `phone`, `email`, `city`, `lang`. Only while an active, ' +
          'non-drill recall holds the pack (else 409). With `Accept: application/json`: 201 `{reference, message}`; otherwise the page again with the reference. ' +
          'Anonymous, 10 posts per minute per IP.',
        security: [],
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
      },
    }, async (request, reply) => {
      const form = readForm(request);
      const lang = consumerLang(text(form, 'lang'), request.headers['accept-language']);
      const found = await resolve(request, reply, text(form, 'code'), lang);
      if (found === null) return reply;
      const values = { compensation: text(form, 'compensation'), quantity: text(form, 'quantity'), name: text(form, 'name'), phone: text(form, 'phone'), email: text(form, 'email'), city: text(form, 'city') };
      let result: Awaited<ReturnType<typeof requestReturn>>;
      try {
        result = await requestReturn(deps.ctx, recall, cache, found.product.orgId, found.code, values, lang, request.id);
      } catch (error) {
        // Not (or no longer) recalled: a browser sees the page as it is now.
        if (!wantsJson(request) && DomainError.is(error) && error.code === 'ConflictException') return pageAfterPost(reply, 409, found, lang, request, {});
        throw error;
      }
      if (!result.ok) {
        if (wantsJson(request)) throw fieldProblem(result.errors, lang);
        return pageAfterPost(reply, 400, found, lang, request, { returnForm: { values, errors: result.errors, done: null } });
      }
      if (wantsJson(request)) return reply.code(201).send({ reference: result.reference, message: words(lang).returnDone(result.reference) });
      return pageAfterPost(reply, 201, found, lang, request, { returnForm: { values: {}, errors: [], done: result.reference } });
    });
  });
}

const ComplaintView = Type.Object({
  complaintId: Type.String(),
  code: Type.String({ description: 'the scanned code (canonical Digital Link); open a case with POST /api/recalls {codes: [code]}' }),
  gtin: Type.Union([Type.String(), Type.Null()]),
  lot: Type.Union([Type.String(), Type.Null()]),
  serial: Type.Union([Type.String(), Type.Null()]),
  lotNode: Type.Union([Type.String(), Type.Null()]),
  unitNode: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  photo: Type.Union([Type.Object({ type: Type.String(), size: Type.Number(), href: Type.String() }), Type.Null()]),
  contact: Type.Union([Type.Object({ phone: Type.Optional(Type.String()), email: Type.Optional(Type.String()) }), Type.Null()]),
  contactRedacted: Type.Boolean({ description: 'contact withheld: personal data needs members:manage' }),
  lang: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
});

const PublicBody = Type.Object(Object.fromEntries(PUBLIC_FACTS.map((k) => [k, Type.Optional(Type.Boolean())])), { additionalProperties: false });
const SettingsView = Type.Object({ public: Type.Object(Object.fromEntries(PUBLIC_FACTS.map((k) => [k, Type.Boolean()]))), version: Type.Number(), updatedAt: Type.Union([Type.String(), Type.Null()]) });

/** QA's side: the complaints of the organisation, and what its consumer page makes public. */
function registerQaRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['consumer'];
  const Params = Type.Object({ complaintId: Type.String({ minLength: 1, maxLength: 40 }) });

  app.get('/api/complaints', {
    config: { permission: 'recall:read' },
    schema: {
      tags,
      summary: 'Consumer complaints, newest first 消费者投诉列表',
      description: 'Paged with `limit` and the previous answer’s `nextCursor`. Contact details only for roles with members:manage.',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 200 })), lot: Type.Optional(Type.String({ maxLength: 2048, description: 'only complaints about this lot node' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ complaints: Type.Array(ComplaintView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const p = principalOf(request);
    const q = request.query as { limit?: number; cursor?: string; lot?: string };
    return listComplaints(deps.ctx, p.orgId, { limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.lot ? { lot: q.lot } : {}) }, can(p.role, 'members:manage'));
  });

  app.get('/api/complaints/:complaintId', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'One consumer complaint', params: Params, response: { 200: ComplaintView } },
  }, async (request) => {
    const p = principalOf(request);
    return getComplaint(deps.ctx, p.orgId, (request.params as { complaintId: string }).complaintId, can(p.role, 'members:manage'));
  });

  app.get('/api/complaints/:complaintId/photo', {
    config: { permission: 'recall:read' },
    schema: { tags, summary: 'The photo of a consumer complaint (JPEG, PNG or WebP)', params: Params },
  }, async (request, reply) => {
    const photo = await complaintPhoto(deps.ctx, principalOf(request).orgId, (request.params as { complaintId: string }).complaintId);
    // Shown as an image and nothing else, whatever the bytes claim to be.
    return reply
      .type(photo.type)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'inline')
      .send(photo.bytes);
  });

  app.get('/api/consumer-settings', {
    config: { permission: 'recall:configure' },
    schema: { tags, summary: 'What the consumer page shows: production time, expiry, plant city, QC status, origin story, scan history', response: { 200: SettingsView } },
  }, async (request, reply) => {
    const s = await consumerSettings(deps.ctx, principalOf(request).orgId);
    reply.header('etag', `"${s.version}"`);
    return s;
  });

  app.put('/api/consumer-settings', {
    config: { permission: 'recall:configure' },
    schema: {
      tags,
      summary: 'Choose what the consumer page shows (fields left out keep their value) 设置扫码页面公开内容',
      description: 'The product name, the batch and any recall notice are always shown. Send `If-Match: "<version>"` to avoid lost updates.',
      body: Type.Object({ public: PublicBody }, { additionalProperties: false }),
      response: { 200: SettingsView },
    },
  }, async (request, reply) => {
    const ifMatch = request.headers['if-match'];
    const m = typeof ifMatch === 'string' ? /^"?(\d+)"?$/.exec(ifMatch.trim()) : null;
    if (typeof ifMatch === 'string' && m === null) throw new DomainError('ValidationException', 'If-Match must be the version in quotes, e.g. "3"', [{ pointer: '/headers/if-match', message: 'a version', rule: 'ifMatch' }]);
    const s = await saveConsumerSettings(deps.ctx, principalOf(request), { public: (request.body as { public: Partial<PublicFacts> }).public, ...(m ? { ifVersion: Number(m[1]) } : {}) }, request.id);
    reply.header('etag', `"${s.version}"`);
    return s;
  });
}

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createBlockCache } from '../../app/pos/block-cache.ts';
import { createBlockListService } from '../../app/pos/blocklist.ts';
import { checkCode } from '../../app/pos/pos-check.ts';
import { posLang } from '../../app/pos/pos-text.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const Lang = Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'language of reason and instruction; default from Accept-Language, else zh-CN' }));
const NullableText = Type.Union([Type.String(), Type.Null()]);

const CheckQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096, description: 'any code: unit QR / Digital Link (with or without lot), GS1 element string or scan data, EPC URI, GTIN, SSCC, batch code' })),
    gtin: Type.Optional(Type.String({ maxLength: 64, description: 'GTIN, with `lot` (instead of, or completing, `code`)' })),
    lot: Type.Optional(Type.String({ maxLength: 64, description: 'batch/lot number (AI 10)' })),
    lang: Lang,
  },
  { additionalProperties: false },
);

const CheckAnswer = Type.Object({
  sellable: Type.Boolean(),
  shippable: Type.Boolean(),
  reason: Type.String(),
  caseId: NullableText,
  caseNumber: NullableText,
  instruction: NullableText,
  drill: Type.Boolean({ description: 'only a drill matched: informational, nothing is blocked' }),
  match: Type.Union(['lot', 'unit', 'container', 'product', 'batchCode', 'none'].map((m) => Type.Literal(m))),
  code: Type.String(),
  lot: Type.Union([Type.Object({ gtin: NullableText, lot: NullableText }), Type.Null()]),
  checkedAt: Type.String(),
  revision: Type.Number({ description: 'hold revision the answer is based on' }),
  lang: Type.String(),
});

const BlockListQuery = Type.Object(
  {
    store: Type.String({ minLength: 1, maxLength: 200, description: 'location id of the store (master data)' }),
    lang: Lang,
    onHand: Type.Optional(Type.Boolean({ description: 'also count each lot’s units the trace places at the store now' })),
  },
  { additionalProperties: false },
);

const BlockListBody = Type.Object({
  store: Type.Object({ locationId: Type.String(), name: Type.String() }),
  revision: Type.Number(),
  lang: Type.String(),
  lots: Type.Array(
    Type.Object({
      gtin: NullableText,
      lot: NullableText,
      node: Type.String(),
      caseId: Type.String(),
      caseNumber: Type.String(),
      since: Type.String(),
      instruction: Type.String(),
      onHand: Type.Optional(Type.Number()),
    }),
  ),
});

/**
 * POS: may this code be sold or shipped, and the block list a store keeps (docs/pos.md). The check
 * answers from an in-memory index per organisation, revalidated at most every 250 ms: no database
 * work per request in the usual case, so a till can ask for every scan.
 */
export function registerPosRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['pos'];
  const cache = createBlockCache(deps.ctx);
  const blockLists = createBlockListService(deps.ctx, cache);

  app.get('/api/pos/check', {
    config: { permission: 'pos:check' },
    // A till asks on every scan: no per-request log lines (errors are still logged), and instead of
    // helmet's eleven browser-oriented headers the one that matters for a JSON answer (set below).
    logLevel: 'warn',
    helmet: false,
    schema: {
      tags,
      summary: 'May this pack, case or pallet be sold or shipped? 该商品能否销售或发货？',
      description:
        'Any code form; a unit code without its lot is matched by its serial against the commissioned ranges of held lots; an SSCC (case, pallet) ' +
        'is not shippable while it carries a held lot. Unknown codes are sellable ("not in any recall"). Drill holds never block (`drill: true`). ' +
        'Answers lag a hold change made by another process by at most 250 ms.',
      querystring: CheckQuery,
      response: { 200: CheckAnswer },
    },
  }, (request, reply) => {
    const q = request.query as { code?: string; gtin?: string; lot?: string; lang?: string };
    reply.header('cache-control', 'no-store').header('vary', 'Accept-Language').header('x-content-type-options', 'nosniff');
    return checkCode(cache, principalOf(request).orgId, q, posLang(q.lang, request.headers['accept-language']), deps.ctx.clock.now());
  });

  app.get('/api/pos/blocklist', {
    config: { permission: 'pos:check' },
    schema: {
      tags,
      summary: 'The held lots every store must block, with their recall case and instruction 暂停销售清单',
      description:
        'Every active (non-drill) hold of the organisation, for any store. Send `If-None-Match` with the last `ETag` to get `304 Not Modified` ' +
        'until the holds, a case, the store or the language change (with `onHand=true`, also new events).',
      querystring: BlockListQuery,
      response: { 200: BlockListBody, 304: Type.Null({ description: 'not modified: the ETag still matches' }) },
    },
  }, async (request, reply) => {
    const q = request.query as { store: string; lang?: string; onHand?: boolean };
    const lang = posLang(q.lang, request.headers['accept-language']);
    const r = await blockLists.get(principalOf(request).orgId, { store: q.store, lang, onHand: q.onHand === true }, request.headers['if-none-match']);
    reply.header('etag', r.etag).header('cache-control', 'no-cache').header('vary', 'Accept-Language');
    if (r.body === null) return reply.code(304).send();
    return r.body;
  });
}

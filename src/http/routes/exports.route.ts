import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Fsma204Format, MAX_PERIOD_DAYS, exportFsma204 } from '../../app/exports/fsma204.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';
import { timeParam } from '../time-param.ts';

const Fsma204Query = Type.Object(
  {
    product: Type.String({ minLength: 1, maxLength: 200, description: 'product identifier, or its GTIN (8–14 digits, or a GS1 Digital Link)' }),
    from: Type.String({ minLength: 1, maxLength: 40, description: 'start of the period (inclusive), date-time with offset, e.g. 2025-09-01T00:00:00+08:00' }),
    to: Type.String({ minLength: 1, maxLength: 40, description: `end of the period (exclusive), at most ${MAX_PERIOD_DAYS} days after from` }),
    format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' }),
  },
  { additionalProperties: false },
);

/** Regulatory exports: the FSMA 204 electronic sortable spreadsheet. */
export function registerExportRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['exports'];
  app.get('/api/exports/fsma204', {
    config: { permission: 'trace:read' },
    schema: {
      tags,
      summary: "FDA FSMA 204 electronic sortable spreadsheet (XLSX or CSV) of a product's critical tracking events and key data elements over a period",
      querystring: Fsma204Query,
    },
  }, async (request, reply) => {
    const q = request.query as { product: string; from: string; to: string; format: Fsma204Format };
    const from = timeParam(q.from, '/query/from');
    const to = timeParam(q.to, '/query/to');
    const zone = /([+-]\d{2}:\d{2}|[Zz])$/.exec(q.from.trim())?.[1]?.toUpperCase() ?? 'Z';
    const out = await exportFsma204(deps.ctx, principalOf(request).orgId, { product: q.product, from, to, zone }, q.format);
    reply
      .type(out.contentType)
      .header('content-disposition', `attachment; filename="${out.fileName}"`)
      .header('cache-control', 'no-store')
      .header('x-lotline-gtin', out.product.gtin);
    return reply.send(out.body);
  });
}

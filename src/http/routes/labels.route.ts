import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { printBatchLabels, renderSymbol, type PrintRequest } from '../../app/labels.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const PrintBody = Type.Object(
  {
    productId: Type.String({ maxLength: 80 }),
    batchCode: Type.String({ minLength: 1, maxLength: 20, description: 'the batch/lot, AI (10), e.g. 251215-CS-AM-001-F1' }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'new labels: allocate this many fresh serial numbers' })),
    reprint: Type.Optional(Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }, { additionalProperties: false, description: 'reprint serial numbers already printed' })),
    layout: Type.Union([Type.Literal('a4-3x8'), Type.Literal('thermal-60x40')], { default: 'a4-3x8' }),
    symbology: Type.Optional(Type.Union([Type.Literal('qrCode'), Type.Literal('gs1DataMatrix')])),
    producedAt: Type.Optional(Type.String({ maxLength: 40, description: 'production date-time with offset; now when omitted' })),
    timeZoneOffset: Type.Optional(Type.String({ maxLength: 6, default: '+08:00' })),
    digitalLinkStem: Type.Optional(Type.String({ maxLength: 200, description: 'resolver host for the QR Codes; default https://id.gs1.org' })),
  },
  { additionalProperties: false },
);

/** Printable unit labels (PDF) and single barcode symbols (SVG/PNG). */
export function registerLabelRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['labels'];
  app.post('/api/labels/batch', {
    config: { permission: 'events:capture' },
    schema: { tags, summary: 'Print unit labels of a batch as a PDF (A4 3×8 or 60×40 mm thermal), each with a unique serial in its QR Code or GS1 DataMatrix', body: PrintBody },
  }, async (request, reply) => {
    const printed = await printBatchLabels(deps.ctx, principalOf(request), request.body as PrintRequest);
    reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="labels-${encodeURIComponent((request.body as PrintRequest).batchCode)}-${printed.firstSerial}-${printed.lastSerial}.pdf"`)
      .header('x-lotline-serials', `${printed.firstSerial}-${printed.lastSerial}`)
      .header('x-lotline-expires-at', printed.expiresAt);
    if (printed.warnings.length) reply.header('x-lotline-warnings', encodeURIComponent(printed.warnings.join(' | ')));
    return printed.pdf;
  });
  app.get('/api/labels/symbol', {
    config: { permission: 'masterdata:read' },
    schema: {
      tags,
      summary: 'One symbol for any code (Digital Link, element string, EPC URN, GTIN…): QR Code of its Digital Link, GS1 DataMatrix or GS1-128',
      querystring: Type.Object(
        {
          code: Type.String({ minLength: 1, maxLength: 500 }),
          symbology: Type.Union([Type.Literal('qrCode'), Type.Literal('gs1DataMatrix'), Type.Literal('gs1-128')], { default: 'qrCode' }),
          format: Type.Union([Type.Literal('svg'), Type.Literal('png')], { default: 'svg' }),
        },
        { additionalProperties: false },
      ),
    },
  }, async (request, reply) => {
    const q = request.query as { code: string; symbology: 'qrCode' | 'gs1DataMatrix' | 'gs1-128'; format: 'svg' | 'png' };
    const out = await renderSymbol(q.code, q.symbology, q.format);
    reply.type(q.format === 'svg' ? 'image/svg+xml' : 'image/png');
    return out;
  });
}

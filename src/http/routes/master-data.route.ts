import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../core/errors.ts';
import { type EntitySpec, type FieldSpec, entities, entityKinds } from '../../app/master-data/definitions.ts';
import { csvTemplate, importTable, readCsv, readXlsx } from '../../app/master-data/import.ts';
import { archiveRecord, createRecord, getRecord, listRecords, updateRecord } from '../../app/master-data/master-data.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function fieldSchema(f: FieldSpec): TSchema {
  const description = `${f.labelEn} / ${f.labelZh}`;
  switch (f.type.kind) {
    case 'id':
    case 'ref':
      return Type.String({ maxLength: 80, description });
    case 'text':
      return Type.String({ maxLength: f.type.max, description });
    case 'email':
      return Type.String({ maxLength: 200, description });
    case 'enum':
      return Type.Union(f.type.values.map((v) => Type.Literal(v)), { description });
    case 'int':
      return Type.Integer({ minimum: f.type.min, maximum: f.type.max, description });
    case 'number':
      return Type.Number({ minimum: f.type.min, maximum: f.type.max, description });
    case 'gtin':
      return Type.String({ pattern: '^[0-9]{8,14}$', description: `${description} (check digit verified)` });
    case 'gln':
      return Type.String({ pattern: '^[0-9]{13}$', description: `${description} (check digit verified)` });
    case 'json':
      return Type.Record(Type.String(), Type.Unknown(), { description });
    default: {
      const never: never = f.type;
      return never;
    }
  }
}

/** The body of POST (everything required), PUT (the identifier may come from the path) or PATCH (all optional). */
function bodySchema(spec: EntitySpec, mode: 'create' | 'replace' | 'patch'): TSchema {
  const props: Record<string, TSchema> = {};
  for (const f of spec.fields) {
    const s = fieldSchema(f);
    const required = f.required && (mode === 'create' || (mode === 'replace' && f.name !== spec.idField));
    props[f.name] = required ? s : Type.Optional(f.name === spec.idField ? s : Type.Union([s, Type.Null()]));
  }
  return Type.Object(props, { additionalProperties: false });
}

/** CRUD and CSV/XLSX import for products, locations, parties, equipment and operators. */
export function registerMasterDataRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(XLSX, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  for (const kind of entityKinds) {
    const spec = entities[kind];
    const tags = ['master data'];
    const idParams = Type.Object({ id: Type.String({ maxLength: 80 }) });
    const read = { permission: 'masterdata:read' as const };
    const write = { permission: 'masterdata:write' as const };
    const filterable = spec.fields.filter((f) => ['enum', 'ref', 'gtin', 'gln'].includes(f.type.kind) || f.name === 'city' || f.name === 'region');
    const listQuery = Type.Object(
      {
        q: Type.Optional(Type.String({ maxLength: 100, description: 'text search' })),
        includeArchived: Type.Boolean({ default: false }),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        after: Type.Optional(Type.String({ maxLength: 80, description: 'continue after this id (from `next`)' })),
        ...Object.fromEntries(filterable.map((f) => [f.name, Type.Optional(Type.String({ maxLength: 80 }))])),
      },
      { additionalProperties: false },
    );

    app.get(`/api/${kind}`, { config: read, schema: { tags, summary: `List ${spec.labelEn} / ${spec.labelZh}`, querystring: listQuery } }, async (request) => {
      const { q, includeArchived, limit, after, ...where } = request.query as Record<string, string> & { includeArchived: boolean; limit: number };
      return listRecords(deps.ctx, principalOf(request).orgId, kind, { q, includeArchived, limit, after, where });
    });
    app.get(`/api/${kind}/template.csv`, { config: read, schema: { tags, summary: `CSV import template for ${spec.labelEn}` } }, async (_request, reply) => {
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${kind}-template.csv"`);
      return csvTemplate(kind);
    });
    app.get(`/api/${kind}/:id`, { config: read, schema: { tags, summary: `Get one of ${spec.labelEn}`, params: idParams } }, async (request) => {
      return getRecord(deps.ctx, principalOf(request).orgId, kind, (request.params as { id: string }).id);
    });
    app.post(`/api/${kind}`, { config: write, schema: { tags, summary: `Create one of ${spec.labelEn}`, body: bodySchema(spec, 'create') } }, async (request, reply) => {
      const created = await createRecord(deps.ctx, { ...principalOf(request) }, kind, request.body as Record<string, unknown>);
      reply.code(201).header('etag', `"${created.version}"`);
      return created;
    });
    for (const method of ['PUT', 'PATCH'] as const) {
      app.route({
        method,
        url: `/api/${kind}/:id`,
        config: write,
        schema: { tags, summary: `${method === 'PUT' ? 'Replace' : 'Change some fields of'} one of ${spec.labelEn}; send If-Match: "<version>" to guard against lost updates`, params: idParams, body: bodySchema(spec, method === 'PATCH' ? 'patch' : 'replace') },
        handler: async (request, reply) => {
          const ifMatch = request.headers['if-match'];
          const expectedVersion = ifMatch ? Number(String(ifMatch).replace(/^W\//, '').replace(/"/g, '')) : undefined;
          if (expectedVersion !== undefined && !Number.isInteger(expectedVersion)) {
            throw new DomainError('ValidationException', 'If-Match must be a version number in quotes, e.g. "3"', [{ pointer: '/headers/if-match', message: 'expected "<version>"', rule: 'format' }]);
          }
          const updated = await updateRecord(deps.ctx, principalOf(request), kind, (request.params as { id: string }).id, request.body as Record<string, unknown>, {
            partial: method === 'PATCH',
            ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          });
          reply.header('etag', `"${updated.version}"`);
          return updated;
        },
      });
    }
    app.delete(`/api/${kind}/:id`, { config: write, schema: { tags, summary: `Archive one of ${spec.labelEn} (kept for history)`, params: idParams } }, async (request) => {
      return archiveRecord(deps.ctx, principalOf(request), kind, (request.params as { id: string }).id);
    });
    app.post(
      `/api/${kind}/import`,
      {
        config: write,
        schema: {
          tags,
          summary: `Import ${spec.labelEn} from CSV (text/csv) or XLSX; rows are matched by ${spec.idField} and created or updated`,
          querystring: Type.Object({ mode: Type.Union([Type.Literal('atomic'), Type.Literal('valid-rows')], { default: 'atomic' }) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const body = request.body;
        const table = Buffer.isBuffer(body) ? await readXlsx(body) : typeof body === 'string' ? readCsv(body) : null;
        if (!table) throw new DomainError('UnsupportedMediaTypeException', `send the file as text/csv or ${XLSX}`);
        return importTable(deps.ctx, principalOf(request), kind, table, (request.query as { mode: 'atomic' | 'valid-rows' }).mode);
      },
    );
  }
}

import { type Kysely, sql, type Transaction } from 'kysely';
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { type EntityKind, type EntitySpec, entities } from './definitions.ts';
import { type ColumnValues, validateRecord } from './validate-record.ts';

/** A master-data record as the API shows it: its fields plus bookkeeping. */
export type MasterRecord = Record<string, unknown> & {
  readonly archived: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** Filters for listing records. */
export interface ListOptions {
  readonly q?: string;
  readonly includeArchived?: boolean;
  readonly limit: number;
  /** Continue after this identifier (keyset paging). */
  readonly after?: string;
  /** Extra equality filters on enum/ref fields, by API name (e.g. `type=store`). */
  readonly where?: Readonly<Record<string, string>>;
}

type Db = Kysely<Schema> | Transaction<Schema>;

/** Turn a database row into the API shape. */
export function toRecord(spec: EntitySpec, row: Record<string, unknown>): MasterRecord {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) out[f.name] = row[f.column] ?? (f.type.kind === 'json' ? {} : null);
  return {
    ...out,
    archived: row.archived === true,
    version: Number(row.version),
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}

/** One page of records of `kind`, ordered by identifier. */
export async function listRecords(ctx: AppContext, orgId: string, kind: EntityKind, options: ListOptions): Promise<{ items: MasterRecord[]; next: string | null }> {
  const spec = entities[kind];
  const filters = [sql`org_id = ${orgId}`];
  if (!options.includeArchived) filters.push(sql`archived = false`);
  if (options.after) filters.push(sql`${sql.ref(spec.idColumn)} > ${options.after}`);
  if (options.q) {
    const like = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const texts = spec.fields.filter((f) => f.type.kind === 'text' || f.type.kind === 'id' || f.type.kind === 'gtin' || f.type.kind === 'gln');
    filters.push(sql`(${sql.join(texts.map((f) => sql`${sql.ref(f.column)} ILIKE ${like}`), sql` OR `)})`);
  }
  for (const [name, value] of Object.entries(options.where ?? {})) {
    const field = spec.fields.find((f) => f.name === name);
    if (!field || !['enum', 'ref', 'text', 'gtin', 'gln'].includes(field.type.kind)) {
      throw new DomainError('QueryParameterException', `cannot filter ${kind} by ${name}`, [{ pointer: `/query/${name}`, message: 'not a filterable field', rule: 'filter' }]);
    }
    filters.push(sql`${sql.ref(field.column)} = ${value}`);
  }
  const rows = await sql<Record<string, unknown>>`
    SELECT * FROM ${sql.table(spec.table)} WHERE ${sql.join(filters, sql` AND `)}
    ORDER BY ${sql.ref(spec.idColumn)} LIMIT ${options.limit + 1}`.execute(ctx.database.db);
  const items = rows.rows.slice(0, options.limit).map((r) => toRecord(spec, r));
  const last = items[items.length - 1];
  return { items, next: rows.rows.length > options.limit && last ? String(last[spec.idField]) : null };
}

/** One record, or NoSuchResourceException. */
export async function getRecord(ctx: AppContext, orgId: string, kind: EntityKind, id: string): Promise<MasterRecord> {
  const row = await findRow(ctx.database.db, entities[kind], orgId, id);
  if (!row) throw new DomainError('NoSuchResourceException', `${kind} ${id} not found`);
  return toRecord(entities[kind], row);
}

/** Create a record; an existing identifier is a ConflictException. */
export async function createRecord(ctx: AppContext, actor: Actor, kind: EntityKind, input: Readonly<Record<string, unknown>>): Promise<MasterRecord> {
  const spec = entities[kind];
  const values = unwrap(validateRecord(spec, input, { source: 'json', partial: false, pointer: (f) => `/${f}` }));
  return ctx.database.db.transaction().execute(async (tx) => {
    const id = String(values[spec.idColumn]);
    if (await findRow(tx, spec, actor.orgId, id)) {
      throw new DomainError('ConflictException', `${kind} ${id} already exists`, [{ pointer: `/${spec.idField}`, message: 'already exists', rule: 'unique' }]);
    }
    await checkReferences(tx, spec, actor.orgId, [{ values, pointer: (f) => `/${f}` }], new Set());
    const row = await insertRow(tx, spec, actor.orgId, values);
    await recordAudit(tx, actor, { action: `${kind}.create`, targetType: kind, targetId: id, detail: { after: input } });
    return toRecord(spec, row);
  });
}

/**
 * Replace (partial=false) or patch (partial=true) a record.
 * With `expectedVersion`, a record changed meanwhile is a ConflictException (optimistic locking).
 */
export async function updateRecord(
  ctx: AppContext,
  actor: Actor,
  kind: EntityKind,
  id: string,
  input: Readonly<Record<string, unknown>>,
  options: { partial: boolean; expectedVersion?: number },
): Promise<MasterRecord> {
  const spec = entities[kind];
  const body = { ...input, [spec.idField]: input[spec.idField] ?? id };
  if (body[spec.idField] !== id) {
    throw new DomainError('ValidationException', `${spec.idField} cannot be changed`, [{ pointer: `/${spec.idField}`, message: `must be ${id}`, rule: 'const' }]);
  }
  const values = unwrap(validateRecord(spec, body, { source: 'json', partial: options.partial, pointer: (f) => `/${f}` }));
  return ctx.database.db.transaction().execute(async (tx) => {
    const before = await findRow(tx, spec, actor.orgId, id, true);
    if (!before) throw new DomainError('NoSuchResourceException', `${kind} ${id} not found`);
    if (options.expectedVersion !== undefined && Number(before.version) !== options.expectedVersion) {
      throw new DomainError('ConflictException', `${kind} ${id} is at version ${String(before.version)}, not ${options.expectedVersion}`);
    }
    await checkReferences(tx, spec, actor.orgId, [{ values, pointer: (f) => `/${f}` }], new Set());
    const row = await updateRow(tx, spec, actor.orgId, id, values);
    await recordAudit(tx, actor, {
      action: `${kind}.update`,
      targetType: kind,
      targetId: id,
      detail: { before: toRecord(spec, before), change: input },
    });
    return toRecord(spec, row);
  });
}

/** Archive (soft-delete) a record: it stays for history and traces, and leaves lists. */
export async function archiveRecord(ctx: AppContext, actor: Actor, kind: EntityKind, id: string): Promise<MasterRecord> {
  const spec = entities[kind];
  return ctx.database.db.transaction().execute(async (tx) => {
    const before = await findRow(tx, spec, actor.orgId, id, true);
    if (!before) throw new DomainError('NoSuchResourceException', `${kind} ${id} not found`);
    const row = await updateRow(tx, spec, actor.orgId, id, { archived: true });
    await recordAudit(tx, actor, { action: `${kind}.archive`, targetType: kind, targetId: id });
    return toRecord(spec, row);
  });
}

/** A validated record waiting to be written, with where its errors point. */
export interface PendingRecord {
  readonly values: ColumnValues;
  readonly pointer: (field: string) => string;
}

/** References (parentId, partyId, locationId) must name existing records or records written alongside. */
export async function checkReferences(tx: Db, spec: EntitySpec, orgId: string, records: readonly PendingRecord[], alongside: ReadonlySet<string>): Promise<void> {
  const errors: ErrorDetail[] = [];
  for (const field of spec.fields) {
    if (field.type.kind !== 'ref') continue;
    const target = entities[field.type.entity];
    const wanted = [...new Set(records.map((r) => r.values[field.column]).filter((v): v is string => typeof v === 'string'))];
    if (wanted.length === 0) continue;
    const found = await sql<{ id: string }>`
      SELECT ${sql.ref(target.idColumn)} AS id FROM ${sql.table(target.table)}
      WHERE org_id = ${orgId} AND ${sql.ref(target.idColumn)} = ANY(${wanted})`.execute(tx);
    const existing = new Set(found.rows.map((r) => r.id));
    const sameKind = field.type.entity === spec.kind;
    for (const r of records) {
      const v = r.values[field.column];
      if (typeof v === 'string' && !existing.has(v) && !(sameKind && alongside.has(v))) {
        errors.push({ pointer: r.pointer(field.name), message: `${field.name}: no ${field.type.entity} with id ${v}`, rule: 'reference' });
      }
    }
  }
  if (errors.length) throw new DomainError('ValidationException', 'references to unknown records', errors);
}

/**
 * Insert or replace records by identifier, in the caller's transaction (used by imports): one
 * statement per chunk of rows rather than two queries per row. Every record must carry the same
 * columns (validateRecord without `partial` gives all of them). Archived records come back.
 */
export async function upsertRows(tx: Db, spec: EntitySpec, orgId: string, records: readonly ColumnValues[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  const first = records[0];
  if (!first) return { created, updated };
  const cols = Object.keys(first);
  const assignments = cols.filter((c) => c !== spec.idColumn).map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`);
  for (let at = 0; at < records.length; at += UPSERT_CHUNK) {
    const chunk = records.slice(at, at + UPSERT_CHUNK);
    try {
      const r = await sql<{ inserted: boolean }>`
        INSERT INTO ${sql.table(spec.table)} AS t (org_id, ${sql.join(cols.map((c) => sql.ref(c)))})
        VALUES ${sql.join(chunk.map((v) => sql`(${orgId}, ${sql.join(cols.map((c) => v[c] ?? null))})`))}
        ON CONFLICT (org_id, ${sql.ref(spec.idColumn)}) DO UPDATE
        SET ${sql.join([...assignments, sql`archived = false`, sql`version = t.version + 1`, sql`updated_at = now()`])}
        RETURNING (xmax = 0) AS inserted`.execute(tx);
      for (const row of r.rows) {
        if (row.inserted) created++;
        else updated++;
      }
    } catch (error) {
      throw uniqueViolation(spec, error);
    }
  }
  return { created, updated };
}

/** Rows per upsert statement: well under PostgreSQL's 65,535 parameters for every entity. */
const UPSERT_CHUNK = 500;

async function findRow(tx: Db, spec: EntitySpec, orgId: string, id: string, forUpdate = false): Promise<Record<string, unknown> | undefined> {
  const lock = forUpdate ? sql` FOR UPDATE` : sql``;
  const r = await sql<Record<string, unknown>>`
    SELECT * FROM ${sql.table(spec.table)} WHERE org_id = ${orgId} AND ${sql.ref(spec.idColumn)} = ${id}${lock}`.execute(tx);
  return r.rows[0];
}

async function insertRow(tx: Db, spec: EntitySpec, orgId: string, values: ColumnValues): Promise<Record<string, unknown>> {
  const cols = Object.keys(values);
  try {
    const r = await sql<Record<string, unknown>>`
      INSERT INTO ${sql.table(spec.table)} (org_id, ${sql.join(cols.map((c) => sql.ref(c)))})
      VALUES (${orgId}, ${sql.join(cols.map((c) => values[c]))}) RETURNING *`.execute(tx);
    return r.rows[0]!;
  } catch (error) {
    throw uniqueViolation(spec, error);
  }
}

async function updateRow(tx: Db, spec: EntitySpec, orgId: string, id: string, values: ColumnValues): Promise<Record<string, unknown>> {
  const cols = Object.keys(values).filter((c) => c !== spec.idColumn);
  const sets = cols.map((c) => sql`${sql.ref(c)} = ${values[c]}`);
  try {
    const r = await sql<Record<string, unknown>>`
      UPDATE ${sql.table(spec.table)} SET ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])}
      WHERE org_id = ${orgId} AND ${sql.ref(spec.idColumn)} = ${id} RETURNING *`.execute(tx);
    return r.rows[0]!;
  } catch (error) {
    throw uniqueViolation(spec, error);
  }
}

/** Map a unique-index violation (e.g. a GTIN used twice) to a ConflictException on its field. */
function uniqueViolation(spec: EntitySpec, error: unknown): unknown {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code !== '23505') return error;
  const field = /gtin/.test(e.constraint ?? e.message ?? '') ? 'gtin' : /gln/.test(e.constraint ?? e.message ?? '') ? 'gln' : spec.idField;
  return new DomainError('ConflictException', `another ${spec.kind} record already has this ${field}`, [{ pointer: `/${field}`, message: 'already used', rule: 'unique' }]);
}

function unwrap(r: ReturnType<typeof validateRecord>): ColumnValues {
  if (!r.ok) throw new DomainError('ValidationException', 'the record is not valid', r.error);
  return r.value;
}

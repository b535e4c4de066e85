import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { normaliseTimeStamp } from '../../core/epcis/event.ts';
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { type QueryParams, eventFilters, single } from './event-filters.ts';

export type { QueryParams };


/** One page of query results. */
export interface EventPage {
  readonly events: readonly Record<string, unknown>[];
  /** Pass back as `nextPageToken` for the next page; null on the last page. */
  readonly nextPageToken: string | null;
}

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 10_000;

/**
 * Answer an EPCIS SimpleEventQuery over the organisation's events, one page at a time, in capture
 * order (or event time with `orderBy=eventTime`). Unknown parameters are a QueryParameterException.
 */
export async function queryEvents(ctx: AppContext, orgId: string, params: QueryParams): Promise<EventPage> {
  const where: RawBuilder<unknown>[] = [sql`e.org_id = ${orgId}`];
  const problems: ErrorDetail[] = [];
  const bad = (name: string, message: string): void => {
    problems.push({ pointer: `/query/${name}`, message, rule: 'queryParameter' });
  };

  where.push(...eventFilters(params, bad));

  const orderBy = single(params.orderBy) ?? 'recordTime';
  if (orderBy !== 'recordTime' && orderBy !== 'eventTime') bad('orderBy', 'expected eventTime or recordTime');
  const direction = (single(params.orderDirection) ?? 'ASC').toUpperCase();
  if (direction !== 'ASC' && direction !== 'DESC') bad('orderDirection', 'expected ASC or DESC');

  const perPage = intParam(params.perPage, DEFAULT_PER_PAGE, 'perPage', bad);
  if (perPage > MAX_PER_PAGE) bad('perPage', `at most ${MAX_PER_PAGE}`);
  const eventCountLimit = single(params.eventCountLimit) === undefined ? null : intParam(params.eventCountLimit, 0, 'eventCountLimit', bad);
  const maxEventCount = single(params.maxEventCount) === undefined ? null : intParam(params.maxEventCount, 0, 'maxEventCount', bad);
  if (eventCountLimit !== null && maxEventCount !== null) bad('maxEventCount', 'eventCountLimit and maxEventCount cannot be combined');
  if (problems.length) throw new DomainError('QueryParameterException', 'the query parameters are not valid', problems);

  // The page token binds the cursor to the exact same query.
  const fingerprint = createHash('sha256').update(JSON.stringify(Object.entries(params).filter(([k, v]) => k !== 'nextPageToken' && k !== 'perPage' && v !== undefined).sort())).digest('base64url').slice(0, 16);
  const cursor = decodeToken(single(params.nextPageToken), fingerprint);
  const desc = direction === 'DESC';
  const byEventTime = orderBy === 'eventTime';
  const served = cursor?.served ?? 0;
  if (cursor) {
    where.push(
      byEventTime
        ? desc
          ? sql`(e.event_time, e.seq) < (${new Date(cursor.t ?? 0)}, ${cursor.seq})`
          : sql`(e.event_time, e.seq) > (${new Date(cursor.t ?? 0)}, ${cursor.seq})`
        : desc
          ? sql`e.seq < ${cursor.seq}`
          : sql`e.seq > ${cursor.seq}`,
    );
  }
  const limitTotal = eventCountLimit ?? null;
  const pageSize = limitTotal !== null ? Math.max(0, Math.min(perPage, limitTotal - served)) : perPage;
  const dir = sql.raw(desc ? 'DESC' : 'ASC');
  const order = byEventTime ? sql`e.event_time ${dir}, e.seq ${dir}` : sql`e.seq ${dir}`;
  const fetch = maxEventCount !== null ? maxEventCount + 1 : pageSize + 1;

  const rows = await sql<{ seq: number; doc: Record<string, unknown>; record_time: Date; event_time: Date; event_id: string; context: unknown }>`
    SELECT e.seq, e.doc, e.record_time, e.event_time, coalesce(e.event_id, e.hash_id) AS event_id, c.context
    FROM epcis_events e
    LEFT JOIN capture_jobs c ON c.org_id = e.org_id AND c.capture_id = e.capture_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${order}
    LIMIT ${fetch}`.execute(ctx.database.db);

  if (maxEventCount !== null) {
    if (rows.rows.length > maxEventCount) {
      throw new DomainError('QueryTooLargeException', `the query matches more than maxEventCount=${maxEventCount} events`);
    }
  }
  const page = maxEventCount !== null ? rows.rows : rows.rows.slice(0, pageSize);
  const more = maxEventCount === null && rows.rows.length > pageSize && (limitTotal === null || served + pageSize < limitTotal);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => outputEvent(r.doc, r.event_id, r.record_time, r.context)),
    nextPageToken: more && last ? encodeToken({ seq: last.seq, t: byEventTime ? last.event_time.toISOString() : undefined, served: served + page.length, f: fingerprint }) : null,
  };
}

/** One stored event by its eventID (the original; an error declaration for it is found through the query). */
export async function getEventById(ctx: AppContext, orgId: string, eventId: string): Promise<Record<string, unknown>> {
  const r = await sql<{ doc: Record<string, unknown>; record_time: Date; event_id: string; context: unknown }>`
    SELECT e.doc, e.record_time, coalesce(e.event_id, e.hash_id) AS event_id, c.context FROM epcis_events e
    LEFT JOIN capture_jobs c ON c.org_id = e.org_id AND c.capture_id = e.capture_id
    WHERE e.org_id = ${orgId} AND (e.event_id = ${eventId} OR (e.event_id IS NULL AND e.hash_id = ${eventId}))
    ORDER BY e.declares_error LIMIT 1`.execute(ctx.database.db);
  const row = r.rows[0];
  if (!row) throw new DomainError('NoSuchResourceException', `no event with eventID ${eventId}`);
  return outputEvent(row.doc, row.event_id, row.record_time, row.context);
}

/** Wrap events in an EPCISQueryDocument, as the REST binding answers queries. */
export function queryDocument(events: readonly Record<string, unknown>[], now: Date, queryName = 'SimpleEventQuery'): Record<string, unknown> {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: now.toISOString(),
    epcisBody: { queryResults: { queryName, resultsBody: { eventList: events } } },
  };
}

/** An event as queries return it: with its recordTime, its eventID, and any non-standard prefixes of its capture. */
function outputEvent(doc: Record<string, unknown>, eventId: string, recordTime: Date, captureContext: unknown): Record<string, unknown> {
  const extra = Array.isArray(captureContext) ? captureContext.filter((c) => typeof c === 'object' && c !== null) : typeof captureContext === 'object' && captureContext !== null ? [captureContext] : [];
  const out: Record<string, unknown> = {};
  if (extra.length && doc['@context'] === undefined) out['@context'] = extra;
  Object.assign(out, doc);
  out.eventID = doc.eventID ?? eventId;
  out.recordTime = recordTime.toISOString();
  return out;
}



function intParam(value: string | readonly string[] | undefined, fallback: number, name: string, bad: (n: string, m: string) => void): number {
  const v = single(value);
  if (v === undefined) return fallback;
  const n = /^[0-9]{1,9}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    bad(name, 'expected a positive whole number below 1,000,000,000');
    return fallback;
  }
  return n;
}





interface Cursor {
  readonly seq: number;
  readonly t: string | undefined;
  readonly served: number;
  readonly f: string;
}

function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeToken(token: string | undefined, fingerprint: string): Cursor | null {
  if (token === undefined) return null;
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    const okTime = c.t === undefined || (typeof c.t === 'string' && normaliseTimeStamp(c.t) !== null);
    if (Number.isSafeInteger(c.seq) && (c.seq as number) >= 0 && Number.isSafeInteger(c.served) && (c.served as number) >= 0 && okTime && c.f === fingerprint) {
      return c as Cursor;
    }
  } catch {
    // fall through
  }
  throw new DomainError('QueryParameterException', 'nextPageToken is invalid or belongs to a different query', [{ pointer: '/query/nextPageToken', message: 'invalid token', rule: 'queryParameter' }]);
}

/**
 * Consumer complaints: what a consumer reports from the page of the pack they scanned, linked to the
 * exact code (GTIN, lot, serial) and the lot it resolved to, with an optional photo. QA reads them
 * (`GET /api/complaints`) and can open a recall case with the complaint's code (`POST /api/recalls`).
 */
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { ConsumerCode } from './consumer-code.ts';
import type { ConsumerLang, FieldRule } from './consumer-text.ts';
import { MAX_PHOTO_BYTES, type PhotoType, photoType } from './photo.ts';

/** The fields of the complaint form. */
export type ComplaintField = 'text' | 'photo' | 'phone' | 'email';

/** One problem with a form field; the page shows its message next to the field. */
export interface FieldError<F extends string = string> {
  readonly field: F;
  readonly rule: FieldRule;
}

export interface ComplaintInput {
  readonly text: string;
  readonly phone: string;
  readonly email: string;
  readonly photo: Uint8Array | null;
}

/** A complaint that passed validation. */
export interface ValidComplaint {
  readonly text: string;
  readonly contact: { readonly phone?: string; readonly email?: string };
  readonly photo: { readonly bytes: Uint8Array; readonly type: PhotoType } | null;
}

export const MAX_TEXT = 2000;
const PHONE = /^\+?[0-9][0-9 ()-]{4,22}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Check a contact's phone and email (both optional). */
export function validateContact(phone: string, email: string): FieldError<'phone' | 'email'>[] {
  const errors: FieldError<'phone' | 'email'>[] = [];
  if (phone.trim() !== '' && !PHONE.test(phone.trim())) errors.push({ field: 'phone', rule: 'phone' });
  if (email.trim() !== '' && (email.trim().length > 200 || !EMAIL.test(email.trim()))) errors.push({ field: 'email', rule: 'email' });
  return errors;
}

/** Check the form; every problem at once, each on its field. */
export function validateComplaint(input: ComplaintInput): { ok: true; value: ValidComplaint } | { ok: false; errors: FieldError<ComplaintField>[] } {
  const errors: FieldError<ComplaintField>[] = [];
  const text = input.text.trim();
  if (text === '') errors.push({ field: 'text', rule: 'textRequired' });
  else if ([...text].length > MAX_TEXT) errors.push({ field: 'text', rule: 'textTooLong' });
  let photo: ValidComplaint['photo'] = null;
  if (input.photo !== null && input.photo.length > 0) {
    const type = photoType(input.photo);
    if (input.photo.length > MAX_PHOTO_BYTES) errors.push({ field: 'photo', rule: 'photoTooBig' });
    else if (type === null) errors.push({ field: 'photo', rule: 'photoType' });
    else photo = { bytes: input.photo, type };
  }
  errors.push(...validateContact(input.phone, input.email));
  if (errors.length > 0) return { ok: false, errors };
  const contact = { ...(input.phone.trim() ? { phone: input.phone.trim() } : {}), ...(input.email.trim() ? { email: input.email.trim() } : {}) };
  return { ok: true, value: { text, contact, photo } };
}

/** Base32 without look-alikes (as return references): readable over the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const reference = () => `CP-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

/** Store a complaint from the consumer page (anonymous: audited as the system, with the page as source). */
export async function createComplaint(
  ctx: AppContext,
  orgId: string,
  target: { readonly code: ConsumerCode; readonly lotNode: string | null },
  complaint: ValidComplaint,
  lang: ConsumerLang,
  requestId?: string,
): Promise<{ complaintId: string }> {
  const actor: Actor = { orgId, tokenId: 'system', role: null };
  const now = ctx.clock.now();
  for (let attempt = 0; ; attempt++) {
    const complaintId = reference();
    try {
      await ctx.database.db.transaction().execute(async (tx) => {
        await sql`
          INSERT INTO consumer_complaints (org_id, complaint_id, code, unit_node, lot_node, text, photo, photo_type, contact, lang, status, created_at)
          VALUES (${orgId}, ${complaintId}, ${target.code.canonical}, ${target.code.unitNode}, ${target.lotNode}, ${complaint.text},
                  ${complaint.photo?.bytes ?? null}, ${complaint.photo?.type ?? null}, ${JSON.stringify(complaint.contact)}::jsonb, ${lang}, 'new', ${now})`.execute(tx);
        await recordAudit(tx, actor, {
          action: 'consumer.complaint.create',
          targetType: 'consumer_complaint',
          targetId: complaintId,
          detail: { source: 'consumer page', code: target.code.canonical, lot: target.lotNode, photo: complaint.photo ? { type: complaint.photo.type, size: complaint.photo.bytes.length } : null, contactGiven: Object.keys(complaint.contact) },
          requestId,
        });
      });
      return { complaintId };
    } catch (error) {
      // A reference already taken (one in ~10^12): draw another.
      if ((error as { code?: string }).code === '23505' && attempt < 3) continue;
      throw error;
    }
  }
}

/** A complaint as QA reads it. */
export interface ComplaintView {
  readonly complaintId: string;
  /** The code the consumer scanned (canonical Digital Link): give it to `POST /api/recalls` as `codes`. */
  readonly code: string;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly serial: string | null;
  readonly lotNode: string | null;
  readonly unitNode: string | null;
  readonly text: string;
  readonly photo: { readonly type: string; readonly size: number; readonly href: string } | null;
  /** The consumer's phone and email; null for callers without members:manage (personal data). */
  readonly contact: { readonly phone?: string; readonly email?: string } | null;
  readonly contactRedacted: boolean;
  readonly lang: string;
  readonly status: string;
  readonly createdAt: string;
}

interface Row {
  complaint_id: string;
  code: string;
  unit_node: string | null;
  lot_node: string | null;
  text: string;
  photo_type: string | null;
  photo_size: number | null;
  contact: unknown;
  lang: string;
  status: string;
  created_at: Date;
}

function toView(r: Row, withContact: boolean): ComplaintView {
  const m = /\/01\/(\d{14})(?:\/10\/([^/?#]+))?(?:\/21\/([^/?#]+))?$/.exec(r.code);
  const decode = (s: string | undefined) => (s === undefined ? null : decodeURIComponent(s));
  const contact = (typeof r.contact === 'string' ? JSON.parse(r.contact) : r.contact) as ComplaintView['contact'];
  return {
    complaintId: r.complaint_id,
    code: r.code,
    gtin: m?.[1] ?? null,
    lot: decode(m?.[2]),
    serial: decode(m?.[3]),
    lotNode: r.lot_node,
    unitNode: r.unit_node,
    text: r.text,
    photo: r.photo_type === null ? null : { type: r.photo_type, size: Number(r.photo_size), href: `/api/complaints/${encodeURIComponent(r.complaint_id)}/photo` },
    contact: withContact ? contact : null,
    contactRedacted: !withContact,
    lang: r.lang,
    status: r.status,
    createdAt: r.created_at.toISOString(),
  };
}

const COLUMNS = sql`complaint_id, code, unit_node, lot_node, text, photo_type, octet_length(photo)::int AS photo_size, contact, lang, status, created_at`;

function readCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new DomainError('QueryParameterException', 'the cursor is not one this API gave out', [{ pointer: '/query/cursor', message: 'use nextCursor of the previous page', rule: 'cursor' }]);
  }
}

/** The organisation's complaints, newest first, paged by an opaque cursor. */
export async function listComplaints(ctx: AppContext, orgId: string, q: { readonly limit: number; readonly cursor?: string; readonly lot?: string }, withContact: boolean): Promise<{ complaints: ComplaintView[]; nextCursor: string | null }> {
  const after = q.cursor ? readCursor(q.cursor) : null;
  const r = await sql<Row>`
    SELECT ${COLUMNS} FROM consumer_complaints
    WHERE org_id = ${orgId}
      ${after ? sql`AND (created_at, complaint_id) < (${after.at}, ${after.id})` : sql``}
      ${q.lot ? sql`AND lot_node = ${q.lot}` : sql``}
    ORDER BY created_at DESC, complaint_id DESC LIMIT ${q.limit + 1}`.execute(ctx.database.db);
  const rows = r.rows.slice(0, q.limit);
  const last = rows.at(-1);
  const nextCursor = r.rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.complaint_id])).toString('base64url') : null;
  return { complaints: rows.map((x) => toView(x, withContact)), nextCursor };
}

function notFound(id: string): DomainError {
  return new DomainError('NoSuchResourceException', `no complaint ${id}`, [{ pointer: '/complaintId', message: 'not found', rule: 'exists' }]);
}

/** One complaint of the organisation. */
export async function getComplaint(ctx: AppContext, orgId: string, complaintId: string, withContact: boolean): Promise<ComplaintView> {
  const r = await sql<Row>`SELECT ${COLUMNS} FROM consumer_complaints WHERE org_id = ${orgId} AND complaint_id = ${complaintId}`.execute(ctx.database.db);
  const row = r.rows[0];
  if (!row) throw notFound(complaintId);
  return toView(row, withContact);
}

/** The photo of a complaint. */
export async function complaintPhoto(ctx: AppContext, orgId: string, complaintId: string): Promise<{ type: string; bytes: Buffer }> {
  const r = await sql<{ photo: Uint8Array | null; photo_type: string | null }>`
    SELECT photo, photo_type FROM consumer_complaints WHERE org_id = ${orgId} AND complaint_id = ${complaintId}`.execute(ctx.database.db);
  const row = r.rows[0];
  if (!row) throw notFound(complaintId);
  if (row.photo === null || row.photo_type === null) throw new DomainError('NoSuchResourceException', `complaint ${complaintId} has no photo`, [{ pointer: '/complaintId', message: 'no photo', rule: 'photo' }]);
  return { type: row.photo_type, bytes: Buffer.from(row.photo) };
}

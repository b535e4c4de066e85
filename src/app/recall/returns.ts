/**
 * Getting recalled goods back. A consumer scans the pack and gets a return ticket (a reference
 * number for a prepaid label, and the compensation they chose); a store sends back what it took off
 * the shelf, recorded by code without a receipt; regional QC centres receive both. Store shipments and
 * QC receipts are EPCIS events in the ledger, so the trace engine and the mass balance see them.
 */
import { randomInt } from 'node:crypto';
import { DomainError } from '../../core/errors.ts';
import type { RecallState } from '../../core/recall/types.ts';
import { type Actor, recordAudit } from '../audit.ts';
import { classifyNode } from '../trace/identifiers.ts';
import { resolveCode, traceView } from '../trace/view.ts';
import type { RecallDeps } from './cases.ts';
import { captureEvents } from './capture-events.ts';
import { locationById } from './places.ts';

export const COMPENSATIONS = ['refund', 'voucher', 'replacement'] as const;

export interface ReturnView {
  readonly returnId: string;
  readonly reference: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly channel: 'consumer' | 'store';
  readonly code: string;
  readonly lot: string | null;
  readonly quantity: number;
  readonly compensation: string | null;
  readonly locationId: string | null;
  readonly qcCentre: { readonly locationId: string; readonly name: string; readonly address: string | null } | null;
  readonly status: 'issued' | 'in_transit' | 'received';
  readonly eventIds: readonly string[];
  readonly createdAt: string;
}

export interface ConsumerReturnInput {
  readonly code: string;
  readonly quantity?: number;
  readonly compensation: (typeof COMPENSATIONS)[number];
  readonly contact: { readonly name?: string; readonly phone?: string; readonly email?: string; readonly city?: string };
}

export interface StoreReturnInput {
  readonly code: string;
  readonly quantity: number;
  readonly storeId: string;
  readonly qcCentreId?: string;
}

/** Base32 without look-alikes (no 0/O, 1/I/L): readable over the phone and on a label. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const reference = () => `RT-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

/** The lot of a code, and the active case that holds it. */
async function heldLot(deps: RecallDeps, orgId: string, code: string, caseId?: string): Promise<{ lot: string; state: RecallState }> {
  const db = deps.ctx.database.db;
  const view = await traceView(db, orgId, null);
  const resolved = await resolveCode(db, view, code);
  const lot = resolved.cls.kind === 'lot' ? resolved.node : resolved.unitLot;
  if (!lot) throw new DomainError('ValidationException', 'this code names no lot Lotline knows, so it cannot be matched to a recall', [{ pointer: '/code', message: 'a unit or lot code of a recalled product', rule: 'lot' }]);
  let query = db.selectFrom('recall_holds').innerJoin('recall_cases', (j) => j.onRef('recall_cases.org_id', '=', 'recall_holds.org_id').onRef('recall_cases.case_id', '=', 'recall_holds.case_id'))
    .select(['recall_cases.state']).where('recall_holds.org_id', '=', orgId).where('recall_holds.node', '=', lot).where('recall_holds.released_at', 'is', null);
  if (caseId) query = query.where('recall_holds.case_id', '=', caseId);
  // A real recall comes before a drill holding the same lot: a consumer's return belongs to the real one.
  const row = await query.orderBy('recall_cases.drill', 'asc').orderBy('recall_cases.opened_at', 'desc').executeTakeFirst();
  if (!row) throw new DomainError('ConflictException', 'this product is not in an active recall; nothing needs to be returned', [{ pointer: '/code', message: 'not recalled', rule: 'recalled' }]);
  return { lot, state: row.state as RecallState };
}

/** The QC centre for a place: same city, else same region, else any; null when there is none. */
async function qcCentreFor(deps: RecallDeps, orgId: string, city: string | null, region: string | null): Promise<{ location_id: string; name_zh: string; name_en: string; address: string | null } | null> {
  const centres = await deps.ctx.database.db.selectFrom('locations').select(['location_id', 'name_zh', 'name_en', 'address', 'city', 'region']).where('org_id', '=', orgId).where('type', '=', 'qc_centre').where('archived', '=', false).orderBy('location_id').execute();
  return centres.find((c) => city && c.city === city) ?? centres.find((c) => region && c.region === region) ?? centres[0] ?? null;
}

/** A scan-to-return ticket for a consumer (anonymous callers come through the consumer page). */
export async function createConsumerReturn(deps: RecallDeps, actor: Actor, input: ConsumerReturnInput, requestId?: string): Promise<ReturnView> {
  const { lot, state } = await heldLot(deps, actor.orgId, input.code);
  const quantity = input.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) throw new DomainError('ValidationException', 'quantity is a whole number of packs from 1 to 1000', [{ pointer: '/quantity', message: '1..1000', rule: 'range' }]);
  const centre = await qcCentreFor(deps, actor.orgId, input.contact.city ?? null, null);
  const now = deps.ctx.clock.now();
  const returnId = deps.ctx.ids.next('ret');
  const ref = reference();
  await deps.ctx.database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('recall_returns')
      .values({
        org_id: actor.orgId, return_id: returnId, case_id: state.caseId, reference: ref, channel: 'consumer', code: input.code, node: lot, lot,
        quantity, compensation: input.compensation, contact: JSON.stringify(input.contact), location_id: centre?.location_id ?? null, status: 'issued', event_id: null, created_at: now, updated_at: now,
      })
      .execute();
    await recordAudit(tx, actor, { action: 'recall.return.issue', targetType: 'recall_return', targetId: ref, detail: { caseNumber: state.caseNumber, lot, quantity, compensation: input.compensation }, requestId });
  });
  return getReturn(deps, actor.orgId, ref);
}

/** A store sends back what it took off the shelf: a shipping event with disposition `recalled` to the QC centre. */
export async function createStoreReturn(deps: RecallDeps, actor: Actor, input: StoreReturnInput, requestId?: string): Promise<ReturnView> {
  if (!(input.quantity > 0)) throw new DomainError('ValidationException', 'quantity must be positive', [{ pointer: '/quantity', message: 'more than 0', rule: 'exclusiveMinimum' }]);
  const { lot, state } = await heldLot(deps, actor.orgId, input.code);
  const db = deps.ctx.database.db;
  const store = await locationById(db, actor.orgId, input.storeId, '/storeId');
  const centreRow = input.qcCentreId ? null : await qcCentreFor(deps, actor.orgId, store.city, store.region);
  const centreId = input.qcCentreId ?? centreRow?.location_id;
  if (!centreId) throw new DomainError('ConflictException', 'there is no QC centre (a location of type qc_centre) to return to; add one in master data', [{ pointer: '/qcCentreId', message: 'no QC centre', rule: 'exists' }]);
  const centre = await locationById(db, actor.orgId, centreId, '/qcCentreId');
  if (!store.epcisId || !centre.epcisId) {
    throw new DomainError('ConflictException', 'returns are recorded as EPCIS events, which need the GLN of the store and of the QC centre; add it in master data', [{ pointer: store.epcisId ? '/qcCentreId' : '/storeId', message: 'location without a GLN', rule: 'gln' }]);
  }
  const now = deps.ctx.clock.now();
  const ref = reference();
  const returnId = deps.ctx.ids.next('ret');
  const unit = classifyNode(lot).kind === 'lot' ? null : lot;
  await db.transaction().execute(async (tx) => {
    const [eventId] = await captureEvents(deps, tx, actor, [
      {
        type: 'ObjectEvent',
        eventTime: now.toISOString(),
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        ...(unit ? { epcList: [unit] } : { quantityList: [{ epcClass: lot, quantity: input.quantity }] }),
        bizStep: 'shipping',
        disposition: 'recalled',
        readPoint: { id: store.epcisId },
        sourceList: [{ type: 'location', source: store.epcisId }],
        destinationList: [{ type: 'location', destination: centre.epcisId }],
        'lotline:recallCase': state.caseNumber,
        'lotline:returnReference': ref,
      },
    ]);
    await tx
      .insertInto('recall_returns')
      .values({
        org_id: actor.orgId, return_id: returnId, case_id: state.caseId, reference: ref, channel: 'store', code: input.code, node: lot, lot,
        quantity: input.quantity, compensation: null, contact: null, location_id: input.storeId, status: 'in_transit', event_id: eventId ?? null, created_at: now, updated_at: now,
      })
      .execute();
    await recordAudit(tx, actor, { action: 'recall.return.store', targetType: 'recall_return', targetId: ref, detail: { caseNumber: state.caseNumber, lot, quantity: input.quantity, store: input.storeId, qcCentre: centreId, eventId }, requestId });
  });
  return getReturn(deps, actor.orgId, ref);
}

/** A QC centre receives a return (a consumer's parcel or a store's shipment): a receiving event there. */
export async function receiveReturn(deps: RecallDeps, actor: Actor, ref: string, input: { readonly qcCentreId: string; readonly quantity?: number }, requestId?: string): Promise<ReturnView> {
  const db = deps.ctx.database.db;
  const row = await db.selectFrom('recall_returns').selectAll().where('org_id', '=', actor.orgId).where('reference', '=', ref).executeTakeFirst();
  if (!row) throw new DomainError('NoSuchResourceException', `no return ${ref}`, [{ pointer: '/reference', message: 'not found', rule: 'exists' }]);
  if (row.status === 'received') throw new DomainError('ConflictException', `return ${ref} was already received`, [{ pointer: '/reference', message: 'already received', rule: 'status' }]);
  const centre = await locationById(db, actor.orgId, input.qcCentreId, '/qcCentreId');
  if (centre.type !== 'qc_centre') throw new DomainError('ValidationException', `${input.qcCentreId} is a ${centre.type}, not a QC centre`, [{ pointer: '/qcCentreId', message: 'a location of type qc_centre', rule: 'type' }]);
  if (!centre.epcisId) throw new DomainError('ConflictException', 'the QC centre needs a GLN to record the receipt as an EPCIS event', [{ pointer: '/qcCentreId', message: 'location without a GLN', rule: 'gln' }]);
  const quantity = input.quantity ?? row.quantity;
  const now = deps.ctx.clock.now();
  const state = (await db.selectFrom('recall_cases').select('state').where('org_id', '=', actor.orgId).where('case_id', '=', row.case_id).executeTakeFirstOrThrow()).state as RecallState;
  const unit = classifyNode(row.node).kind === 'lot' ? null : row.node;
  await db.transaction().execute(async (tx) => {
    const [eventId] = await captureEvents(deps, tx, actor, [
      {
        type: 'ObjectEvent',
        eventTime: now.toISOString(),
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        ...(unit ? { epcList: [unit] } : { quantityList: [{ epcClass: row.node, quantity }] }),
        bizStep: 'receiving',
        disposition: row.channel === 'consumer' ? 'returned' : 'recalled',
        readPoint: { id: centre.epcisId },
        bizLocation: { id: centre.epcisId },
        'lotline:recallCase': state.caseNumber,
        'lotline:returnReference': ref,
        'lotline:returnChannel': row.channel,
      },
    ]);
    await tx.updateTable('recall_returns').set({ status: 'received', quantity, location_id: row.channel === 'consumer' ? input.qcCentreId : row.location_id, updated_at: now, event_id: eventId ?? row.event_id }).where('org_id', '=', actor.orgId).where('return_id', '=', row.return_id).execute();
    await recordAudit(tx, actor, { action: 'recall.return.receive', targetType: 'recall_return', targetId: ref, detail: { qcCentre: input.qcCentreId, quantity, eventId }, requestId });
  });
  return getReturn(deps, actor.orgId, ref);
}

export async function getReturn(deps: RecallDeps, orgId: string, ref: string): Promise<ReturnView> {
  const list = await listReturns(deps, orgId, { reference: ref });
  if (!list[0]) throw new DomainError('NoSuchResourceException', `no return ${ref}`, [{ pointer: '/reference', message: 'not found', rule: 'exists' }]);
  return list[0];
}

export async function listReturns(deps: RecallDeps, orgId: string, q: { caseId?: string; reference?: string; limit?: number }): Promise<ReturnView[]> {
  const db = deps.ctx.database.db;
  let query = db
    .selectFrom('recall_returns as r')
    .innerJoin('recall_cases as c', (j) => j.onRef('c.org_id', '=', 'r.org_id').onRef('c.case_id', '=', 'r.case_id'))
    .leftJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.location_id', '=', 'r.location_id'))
    .select(['r.return_id', 'r.reference', 'r.case_id', 'c.case_number', 'r.channel', 'r.code', 'r.lot', 'r.quantity', 'r.compensation', 'r.location_id', 'r.status', 'r.event_id', 'r.created_at', 'l.type', 'l.name_zh', 'l.name_en', 'l.address'])
    .where('r.org_id', '=', orgId);
  if (q.caseId) query = query.where('r.case_id', '=', q.caseId);
  if (q.reference) query = query.where('r.reference', '=', q.reference);
  const rows = await query.orderBy('r.created_at', 'desc').limit(q.limit ?? 500).execute();
  return rows.map((r) => ({
    returnId: r.return_id,
    reference: r.reference,
    caseId: r.case_id,
    caseNumber: r.case_number,
    channel: r.channel,
    code: r.code,
    lot: r.lot,
    quantity: r.quantity,
    compensation: r.compensation,
    locationId: r.location_id,
    qcCentre: r.type === 'qc_centre' && r.location_id ? { locationId: r.location_id, name: `${r.name_zh} / ${r.name_en}`, address: r.address } : null,
    status: r.status as ReturnView['status'],
    eventIds: r.event_id ? [r.event_id] : [],
    createdAt: r.created_at.toISOString(),
  }));
}

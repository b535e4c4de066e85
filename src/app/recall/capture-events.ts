/**
 * EPCIS events the recall workflow records itself (returns, receipts at QC centres, dispositions),
 * captured in the transaction of the decision that caused them: validated against the EPCIS schema,
 * hashed, chained into the ledger and derived into the trace graph like any captured event, so the
 * trace engine and the mass balance see them.
 */
import type { Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';
import type { Actor } from '../audit.ts';
import { writeCapture } from '../capture/capture.ts';
import { prepareCapture } from '../capture/prepare.ts';
import type { RecallDeps } from './cases.ts';

export const LOTLINE_CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { lotline: 'https://ns.lotline.dev/epcis/' }];

/** Capture `events` (EPCIS 2.0 JSON-LD event objects) in `tx`; returns their event IDs (hash IDs). */
export async function captureEvents(deps: RecallDeps, tx: Transaction<Schema>, actor: Actor, events: readonly Record<string, unknown>[]): Promise<string[]> {
  const now = deps.ctx.clock.now();
  const document = { '@context': LOTLINE_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: now.toISOString(), epcisBody: { eventList: events } };
  const prepared = prepareCapture(document, 'document', events.length);
  if (!prepared.ok) {
    // The events are built from validated input; a rejection here is a fault of this code, but the
    // user still gets the validator's pointers.
    throw new DomainError('ValidationException', `the recall event could not be recorded: ${prepared.message}`, prepared.errors);
  }
  await writeCapture(deps.ctx, tx, deps.signer, actor, prepared, deps.ctx.ids.next('cap'), now);
  return prepared.events.map((e) => e.eventId);
}

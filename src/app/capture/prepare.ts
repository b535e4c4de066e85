import type { ErrorDetail } from '../../core/errors.ts';
import type { ContextPrefixes } from '../../core/epcis/cbv.ts';
import { contextPrefixes } from '../../core/epcis/cbv.ts';
import { type EpcisEvent, eventIndex } from '../../core/epcis/event.ts';
import { type EpcisContext, buildEpcisContext, epcisContextFromDocument, eventHashId } from '../../core/epcis/event-hash.ts';
import { withEventContext } from '../../core/epcis/hash/epcis-context.ts';
import { validateEpcisDocument, validateEpcisEvent } from '../../core/epcis/validate.ts';
import { contentHash } from '../../core/ledger/content-hash.ts';
import { MAX_JSON_DEPTH, mayHoldUnstorableText, unstorableParts } from '../../core/text-guard.ts';
import { type IdentifierMemo, eventKeys, normaliseIdentifier } from './event-keys.ts';
import { type DerivedTrace, deriveEvent, emptyDerivedTrace } from '../trace/derive.ts';
import { type PendingTrace, splitPending } from '../trace/pending.ts';

/** What the store needs of one event besides its row: identity for de-duplication and the ledger. */
export interface PreparedEvent {
  readonly hashId: string;
  readonly eventId: string;
  readonly declaresError: boolean;
  readonly contentHash: string;
  /** JSON pointer of the event in the submitted document, for error messages. */
  readonly pointer: string;
}

/** A validated document, ready to store: rows as one JSON text (cheap to pass between threads). */
export interface PreparedDocument {
  readonly ok: true;
  readonly events: readonly PreparedEvent[];
  /** JSON array of rows, in event order: {event_id, hash_id, declares_error, event_type, event_time, keys, doc}. */
  readonly rowsJson: string;
  /** The document's @context, kept with the capture job so query results can repeat it. */
  readonly context: unknown;
  /** Trace rows (docs/trace.md) whose lots are known, one JSON array per table; `e` = event position from 1. */
  readonly trace: { readonly links: string; readonly units: string; readonly moves: string; readonly readings: string; readonly retractions: string };
  /** Unit rows whose lot the store must resolve from earlier commissioning. */
  readonly pendingTrace: PendingTrace;
}

/** Why a document cannot be stored. */
export interface RejectedDocument {
  readonly ok: false;
  readonly code: 'MalformedJsonException' | 'ValidationException' | 'CaptureLimitExceededException';
  readonly message: string;
  readonly errors: readonly ErrorDetail[];
}

export type PrepareOutcome = PreparedDocument | RejectedDocument;

/** What is being captured: a whole EPCISDocument or one bare event. */
export type CaptureShape = 'document' | 'event';

/**
 * Parse, validate and index a capture body, and compute each event's CBV hash ID and ledger content hash.
 * Pure CPU work with no I/O, so it can run in a worker thread beside the database.
 */
export function prepareCapture(body: string | unknown, shape: CaptureShape, captureLimit: number): PrepareOutcome {
  try {
    return prepareUnguarded(body, shape, captureLimit);
  } catch (error) {
    // Pathologically nested input exhausts the stack of the recursive validators and hashers.
    if (error instanceof RangeError) {
      const parsed = typeof body === 'string' ? safeParse(body) : body;
      const deep = unstorableParts(parsed).filter((d) => d.rule === 'maxDepth');
      return { ok: false, code: 'ValidationException', message: 'the document is nested too deeply; nothing was stored', errors: deep.length ? deep : [{ pointer: '', message: `values may be nested at most ${MAX_JSON_DEPTH} levels deep`, rule: 'maxDepth' }] };
    }
    throw error;
  }
}

function prepareUnguarded(body: string | unknown, shape: CaptureShape, captureLimit: number): PrepareOutcome {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      // Spreadsheet tools and Windows editors often save JSON with a UTF-8 byte order mark.
      parsed = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
    } catch (error) {
      return { ok: false, code: 'MalformedJsonException', message: `the body is not valid JSON: ${(error as Error).message}`, errors: [{ pointer: '', message: (error as Error).message, rule: 'json' }] };
    }
  }
  // PostgreSQL cannot store NUL or unpaired surrogates; find them (rare) before anything else does.
  if (typeof body !== 'string' || mayHoldUnstorableText(body)) {
    const bad = unstorableParts(parsed);
    if (bad.length) return { ok: false, code: 'ValidationException', message: 'the document holds text that cannot be stored; nothing was stored', errors: bad };
  }
  const items: { event: EpcisEvent; prefixes: ContextPrefixes; hashContext: EpcisContext; pointer: string }[] = [];
  let context: unknown = null;
  if (shape === 'document') {
    const count = eventCount(parsed);
    if (count > captureLimit) {
      return { ok: false, code: 'CaptureLimitExceededException', message: `the document has ${count} events; the capture limit is ${captureLimit}`, errors: [{ pointer: '/epcisBody/eventList', message: `at most ${captureLimit} events per document`, rule: 'captureLimit' }] };
    }
    const validated = validateEpcisDocument(parsed);
    if (!validated.ok) return { ok: false, code: 'ValidationException', message: 'the EPCIS document is not valid; nothing was stored', errors: validated.error };
    context = (parsed as Record<string, unknown>)['@context'] ?? null;
    const documentContext = epcisContextFromDocument(parsed as Record<string, unknown>);
    for (const v of validated.value.events) {
      const own = (v.event as unknown as Record<string, unknown>)['@context'];
      items.push({ event: v.event, prefixes: v.context, hashContext: own === undefined ? documentContext : withEventContext(documentContext, own), pointer: v.pointer });
    }
  } else {
    const validated = validateEpcisEvent(parsed);
    if (!validated.ok) return { ok: false, code: 'ValidationException', message: 'the EPCIS event is not valid; nothing was stored', errors: validated.error };
    context = (parsed as Record<string, unknown>)['@context'] ?? null;
    items.push({ event: validated.value, prefixes: contextPrefixes(context), hashContext: buildEpcisContext(context), pointer: '' });
  }

  const events: PreparedEvent[] = [];
  const rows: string[] = [];
  const memo: IdentifierMemo = new Map();
  const canon = (value: string): string => {
    let c = memo.get(value);
    if (c === undefined) {
      c = normaliseIdentifier(value);
      memo.set(value, c);
    }
    return c;
  };
  const trace: DerivedTrace = emptyDerivedTrace();
  for (const { event, prefixes, hashContext, pointer } of items) {
    const doc = event as unknown as Record<string, unknown>;
    const ix = eventIndex(event, prefixes);
    const hashId = eventHashId(doc, hashContext);
    const declaresError = ix.errorDeclaration !== null;
    const eventId = ix.eventId ?? hashId;
    const hash = contentHash(doc);
    events.push({ hashId, eventId, declaresError, contentHash: hash, pointer });
    deriveEvent(trace, events.length, event, ix, hashId, canon);
    rows.push(
      JSON.stringify({
        // Only an eventID other than the hash ID is stored (and indexed); queries fall back to hash_id.
        event_id: eventId === hashId ? null : eventId,
        hash_id: hashId,
        declares_error: declaresError,
        event_type: ix.type,
        event_time: ix.eventTime,
        keys: eventKeys(ix, memo),
        doc,
      }),
    );
  }
  const { ready, pending } = splitPending(trace);
  return {
    ok: true,
    events,
    rowsJson: `[${rows.join(',')}]`,
    context,
    trace: {
      links: JSON.stringify(ready.links),
      units: JSON.stringify(ready.units),
      moves: JSON.stringify(ready.moves),
      readings: JSON.stringify(ready.readings),
      retractions: JSON.stringify(ready.retractions),
    },
    pendingTrace: pending,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function eventCount(doc: unknown): number {
  const list = (doc as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList;
  return Array.isArray(list) ? list.length : 0;
}

import { hash } from 'node:crypto';
import { DEFAULT_EPCIS_CONTEXT, type EpcisContext } from './hash/epcis-context.ts';
import { preHashString } from './hash/pre-hash.ts';

/**
 * EPCIS Event Hash ID (CBV 2.0 §8.9): a name for an event derived from its content alone, equal for
 * every serialisation of the same event. Compatible with the reference implementation
 * RalphTro/epcis-event-hash-generator; see docs/event-hash.md for what is covered.
 */

export { canonicalDigitalLink } from './hash/canonical-digital-link.ts';
export {
  buildEpcisContext,
  DEFAULT_EPCIS_CONTEXT,
  type EpcisContext,
  epcisContextFromDocument,
} from './hash/epcis-context.ts';
export { epcisDocumentEvents } from './hash/document-events.ts';

/**
 * The canonical pre-hash string of `event` (a JSON/JSON-LD EPCIS event object), whose SHA-256 is the
 * Event Hash ID. `context` carries the document's namespace prefixes; build it once per document
 * with {@link epcisContextFromDocument}.
 */
export function eventHashPreimage(
  event: Readonly<Record<string, unknown>>,
  context: EpcisContext = DEFAULT_EPCIS_CONTEXT,
): string {
  return preHashString(event, context);
}

/**
 * The Event Hash ID of `event`: `ni:///sha-256;<64 hex digits>?ver=CBV2.0` (RFC 6920 form).
 *
 * @example
 * const context = epcisContextFromDocument(doc);
 * const ids = epcisDocumentEvents(doc).map((e) => eventHashId(e, context));
 */
export function eventHashId(event: Readonly<Record<string, unknown>>, context: EpcisContext = DEFAULT_EPCIS_CONTEXT): string {
  return `ni:///sha-256;${hash('sha256', preHashString(event, context), 'hex')}?ver=CBV2.0`;
}

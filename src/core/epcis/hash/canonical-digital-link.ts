import { constrainDigitalLink } from './digital-link.ts';
import { epcUrnToDigitalLink } from './epc-urn.ts';

/**
 * The one canonical form of a GS1 identifier, as the CBV 2.0 Event Hash ID algorithm normalises it:
 * EPC URIs, EPC Class URIs, EPC ID Pattern URIs and GS1 Digital Link URIs (any domain, short names,
 * query strings, CPV, lot beside serial) all become a constrained canonical `https://id.gs1.org/...`
 * URI. Returns null when `id` is not a GS1 identifier this algorithm knows. Index EPCs by this value
 * so that a query in URN form finds events in Digital Link form and vice versa.
 *
 * @example canonicalDigitalLink('urn:epc:id:sgtin:4012345.011111.9876') // 'https://id.gs1.org/01/04012345111118/21/9876'
 * @example canonicalDigitalLink('https://brand.example/01/04012345111118/21/9876?s=1') // same
 */
export function canonicalDigitalLink(id: string): string | null {
  if (typeof id !== 'string') return null;
  const first = id.charCodeAt(0);
  if (first === 117) return id.startsWith('urn:epc:') ? epcUrnToDigitalLink(id) : null; // 'u'
  if (first === 104) return constrainDigitalLink(id); // 'h'
  return null;
}

import type { EventIndex } from '../../core/epcis/event.ts';
import { canonicalDigitalLink } from '../../core/epcis/hash/canonical-digital-link.ts';

/**
 * The role prefixes of the index keys stored with each event (one GIN index serves every
 * EPCIS equality and MATCH_ filter). Identifiers are stored in canonical GS1 Digital Link form
 * where they are GS1 keys, so a query in EPC URN form finds events captured with Digital Links.
 */
export const keyRoles = {
  epc: 'e|',
  parent: 'p|',
  input: 'i|',
  output: 'o|',
  epcClass: 'c|',
  inputClass: 'ic|',
  outputClass: 'oc|',
  bizStep: 'bs|',
  disposition: 'd|',
  readPoint: 'rp|',
  bizLocation: 'bl|',
  transformationId: 'tx|',
  bizTransaction: 'bt|',
  source: 'src|',
  destination: 'dst|',
  persistentDisposition: 'pd|',
  sensorType: 'st|',
  action: 'a|',
} as const;

export type KeyRole = keyof typeof keyRoles;

/** The canonical form an identifier is indexed and matched under. */
export function normaliseIdentifier(id: string): string {
  return canonicalDigitalLink(id) ?? id;
}

/** A per-document memo of normaliseIdentifier: documents repeat the same locations and EPCs many times. */
export type IdentifierMemo = Map<string, string>;

/** Every index key of one event; pass one `memo` for all the events of a document. */
export function eventKeys(ix: EventIndex, memo: IdentifierMemo = new Map()): string[] {
  const keys = new Set<string>();
  const canonical = (value: string): string => {
    let c = memo.get(value);
    if (c === undefined) {
      c = normaliseIdentifier(value);
      memo.set(value, c);
    }
    return c;
  };
  const add = (role: KeyRole, value: string | null | undefined, normalise = true): void => {
    if (value) keys.add(keyRoles[role] + (normalise ? canonical(value) : value));
  };
  for (const e of ix.epcs) add('epc', e);
  add('parent', ix.parentId);
  for (const e of ix.inputEpcs) add('input', e);
  for (const e of ix.outputEpcs) add('output', e);
  for (const q of ix.classes) add('epcClass', q.epcClass);
  for (const q of ix.inputClasses) add('inputClass', q.epcClass);
  for (const q of ix.outputClasses) add('outputClass', q.epcClass);
  add('bizStep', ix.bizStep, false);
  add('disposition', ix.disposition, false);
  add('readPoint', ix.readPoint);
  add('bizLocation', ix.bizLocation);
  add('transformationId', ix.transformationId, false);
  add('action', ix.action, false);
  for (const t of ix.bizTransactions) add('bizTransaction', t.value, false);
  for (const s of ix.sources) add('source', s.value);
  for (const d of ix.destinations) add('destination', d.value);
  for (const p of ix.persistentDispositionSet) add('persistentDisposition', p, false);
  for (const r of ix.sensorReports) add('sensorType', r.type, false);
  return [...keys];
}

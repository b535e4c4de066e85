/**
 * GS1 keys for the scenario fixtures, in the two forms they need: the EPC URN an event carries, and the
 * canonical GS1 Digital Link (`https://id.gs1.org/…`) that trace reports answer with. Check digits come
 * from `withCheckDigit`; `keys.test.ts` checks every form against the product's own canonicaliser.
 *
 * All companies here have 7-digit GS1 company prefixes, so item references have 5 digits (plus the
 * indicator digit 0), location and party references 5 digits, and SSCC serial references 9 digits.
 */
import { withCheckDigit } from '../core/gs1/check-digit.ts';

const DL = 'https://id.gs1.org';

/** A trade item of one company: its GTIN-14 and what its EPC URNs are made of. */
export interface TradeItem {
  readonly prefix: string;
  readonly itemRef: string;
  readonly gtin: string;
}

/** A trade item from a 7-digit company prefix and a 5-digit item reference (indicator digit 0). */
export function tradeItem(prefix: string, itemRef: string): TradeItem {
  if (!/^\d{7}$/.test(prefix) || !/^\d{5}$/.test(itemRef)) throw new Error(`bad trade item ${prefix}/${itemRef}`);
  return { prefix, itemRef, gtin: withCheckDigit(`0${prefix}${itemRef}`) };
}

/** `urn:epc:id:sgtin:…` of one unit. */
export const sgtinUrn = (t: TradeItem, serial: string): string => `urn:epc:id:sgtin:${t.prefix}.0${t.itemRef}.${serial}`;
/** Canonical Digital Link of one unit (the lot is not part of a unit's key). */
export const unitLink = (t: TradeItem, serial: string): string => `${DL}/01/${t.gtin}/21/${serial}`;
/** `urn:epc:class:lgtin:…` of a lot. */
export const lgtinUrn = (t: TradeItem, lot: string): string => `urn:epc:class:lgtin:${t.prefix}.0${t.itemRef}.${lot}`;
/** Canonical Digital Link of a lot: the lot node of trace and scope reports. */
export const lotLink = (t: TradeItem, lot: string): string => `${DL}/01/${t.gtin}/10/${encodeURIComponent(lot)}`;

/** A GLN of one company. */
export interface Gln {
  readonly prefix: string;
  readonly ref: string;
  readonly gln: string;
}

/** A GLN (location or party) from a 7-digit company prefix and a 5-digit reference. */
export function gln(prefix: string, ref: string): Gln {
  if (!/^\d{7}$/.test(prefix) || !/^\d{5}$/.test(ref)) throw new Error(`bad GLN ${prefix}/${ref}`);
  return { prefix, ref, gln: withCheckDigit(`${prefix}${ref}`) };
}

/** `urn:epc:id:sgln:…`; extension `0` is the GLN itself. */
export const sglnUrn = (g: Gln, extension = '0'): string => `urn:epc:id:sgln:${g.prefix}.${g.ref}.${extension}`;
/** Canonical Digital Link of a location (AI 414, with AI 254 unless the extension is 0). */
export const sglnLink = (g: Gln, extension = '0'): string => (extension === '0' ? `${DL}/414/${g.gln}` : `${DL}/414/${g.gln}/254/${extension}`);
/** `urn:epc:id:pgln:…` of a party. */
export const pglnUrn = (g: Gln): string => `urn:epc:id:pgln:${g.prefix}.${g.ref}`;
/** Canonical Digital Link of a party (AI 417). */
export const pglnLink = (g: Gln): string => `${DL}/417/${g.gln}`;

/** `urn:epc:id:sscc:…` of a logistic unit (case or pallet): extension digit and a 9-digit serial reference. */
export function ssccUrn(prefix: string, extension: number, serialRef: number): string {
  return `urn:epc:id:sscc:${prefix}.${extension}${String(serialRef).padStart(9, '0')}`;
}
/** Canonical Digital Link of an SSCC (AI 00). */
export function ssccLink(prefix: string, extension: number, serialRef: number): string {
  return `${DL}/00/${withCheckDigit(`${extension}${prefix}${String(serialRef).padStart(9, '0')}`)}`;
}

/** `urn:epc:id:grai:…` of a returnable asset (a crate): 5-digit asset type and a serial. */
export const graiUrn = (prefix: string, assetType: string, serial: string): string => `urn:epc:id:grai:${prefix}.${assetType}.${serial}`;
/** Canonical Digital Link of a GRAI (AI 8003: a leading 0, the 13-digit GRAI with check digit, the serial). */
export const graiLink = (prefix: string, assetType: string, serial: string): string => `${DL}/8003/0${withCheckDigit(`${prefix}${assetType}`)}${serial}`;

/** `urn:epc:id:giai:…` of an individual asset (a van, an oven). */
export const giaiUrn = (prefix: string, assetRef: string): string => `urn:epc:id:giai:${prefix}.${assetRef}`;
/** Canonical Digital Link of a GIAI (AI 8004). */
export const giaiLink = (prefix: string, assetRef: string): string => `${DL}/8004/${prefix}${assetRef}`;

/** A business transaction URI of the CBV form `urn:epcglobal:cbv:bt:{GLN}:{id}`. */
export const bizTransaction = (owner: Gln, id: string): string => `urn:epcglobal:cbv:bt:${owner.gln}:${id}`;

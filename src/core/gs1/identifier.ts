/**
 * One normalised GS1 identifier: a primary key with its key qualifiers as named fields, and the
 * other AIs as data attributes. This is what every input form (Digital Link, element string,
 * scan data, EPC URI, bare GTIN) is reduced to.
 */
import { err, ok, type Result } from '../result.ts';
import type { AiElement } from './ai-element.ts';
import { selectDlPath } from './dl-key-qualifiers.ts';
import type { Gs1Error } from './gs1-error.ts';

/** AIs that are not part of the key, by AI, e.g. `{ '17': '280426' }`. */
export type AiAttributes = Readonly<Record<string, string>>;

interface Base {
  readonly attributes: AiAttributes;
  /** Length of the GS1 Company Prefix when known (from an EPC URI or supplied by the caller). */
  readonly companyPrefixLength?: number;
}

/** A trade item: GTIN-14 with optional consumer product variant, batch/lot, serial or TPX. */
export interface GtinIdentifier extends Base {
  readonly kind: 'gtin';
  readonly gtin: string;
  readonly cpv?: string;
  readonly lot?: string;
  readonly serial?: string;
  readonly tpx?: string;
}
/** A logistic unit (case, pallet). */
export interface SsccIdentifier extends Base {
  readonly kind: 'sscc';
  readonly sscc: string;
}
/** A physical location (AI 414), with optional GLN extension (254) or UIC with extension (7040). */
export interface GlnIdentifier extends Base {
  readonly kind: 'gln';
  readonly gln: string;
  readonly extension?: string;
  readonly uic?: string;
}
/** A party (AI 417). */
export interface PartyIdentifier extends Base {
  readonly kind: 'party';
  readonly gln: string;
  readonly uic?: string;
}
/** A returnable asset: the 13-digit asset type and optional serial (AI 8003 without its leading 0). */
export interface GraiIdentifier extends Base {
  readonly kind: 'grai';
  readonly grai: string;
  readonly serial?: string;
}
/** An individual asset. */
export interface GiaiIdentifier extends Base {
  readonly kind: 'giai';
  readonly giai: string;
  readonly uic?: string;
}
/** A service relation, of the provider (8017) or the recipient (8018), with optional instance number (8019). */
export interface GsrnIdentifier extends Base {
  readonly kind: 'gsrn';
  readonly gsrn: string;
  readonly role: 'provider' | 'recipient';
  readonly srin?: string;
}
/** A document type (13 digits) and optional serial. */
export interface GdtiIdentifier extends Base {
  readonly kind: 'gdti';
  readonly gdti: string;
  readonly serial?: string;
}
/** A coupon (13 digits) and optional serial. */
export interface GcnIdentifier extends Base {
  readonly kind: 'gcn';
  readonly gcn: string;
  readonly serial?: string;
}
/** A component/part identifier (8010) and optional serial (8011). */
export interface CpidIdentifier extends Base {
  readonly kind: 'cpid';
  readonly cpid: string;
  readonly serial?: string;
}
/** A consignment (401). */
export interface GincIdentifier extends Base {
  readonly kind: 'ginc';
  readonly ginc: string;
}
/** A shipment (402). */
export interface GsinIdentifier extends Base {
  readonly kind: 'gsin';
  readonly gsin: string;
}
/** A piece of a trade item (8006), with the same qualifiers as a GTIN. */
export interface ItipIdentifier extends Base {
  readonly kind: 'itip';
  readonly itip: string;
  readonly cpv?: string;
  readonly lot?: string;
  readonly serial?: string;
}
/** A model number (8013). */
export interface GmnIdentifier extends Base {
  readonly kind: 'gmn';
  readonly gmn: string;
}

/** Every GS1 identifier kind. */
export type Gs1Identifier =
  | GtinIdentifier
  | SsccIdentifier
  | GlnIdentifier
  | PartyIdentifier
  | GraiIdentifier
  | GiaiIdentifier
  | GsrnIdentifier
  | GdtiIdentifier
  | GcnIdentifier
  | CpidIdentifier
  | GincIdentifier
  | GsinIdentifier
  | ItipIdentifier
  | GmnIdentifier;

/** The `kind` values of Gs1Identifier. */
export type Gs1IdentifierKind = Gs1Identifier['kind'];

const KINDS: ReadonlySet<string> = new Set<Gs1IdentifierKind>(['gtin', 'sscc', 'gln', 'party', 'grai', 'giai', 'gsrn', 'gdti', 'gcn', 'cpid', 'ginc', 'gsin', 'itip', 'gmn']);

function valueOf(elements: readonly AiElement[], ai: string): string | undefined {
  for (const e of elements) if (e.ai === ai) return e.value;
  return undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Set an optional field only when it has a value, so identifiers carry no `undefined` keys. */
function opt<T, K extends keyof T>(o: Mutable<T>, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}

/**
 * Reduce validated AI elements to an identifier: the first primary-key AI becomes the key, the
 * AIs on its Digital Link path become qualifier fields, and all other AIs become attributes.
 */
export function identifierFromElements(elements: readonly AiElement[], companyPrefixLength?: number): Result<Gs1Identifier, Gs1Error> {
  const path = selectDlPath(elements);
  if (path === null) {
    return err({ kind: 'unrecognised', position: 0, message: `the AIs ${elements.map((e) => `(${e.ai})`).join('')} contain no GS1 primary key such as (01) GTIN, (00) SSCC or (414) GLN` });
  }
  const attributes: Record<string, string> = {};
  for (const e of elements) if (!path.includes(e.ai) && attributes[e.ai] === undefined) attributes[e.ai] = e.value;
  const q = (ai: string): string | undefined => (path.length > 1 && path.includes(ai) ? valueOf(elements, ai) : undefined);
  const key = path[0] as string;
  const k = valueOf(elements, key) as string;
  let id: Mutable<Gs1Identifier>;
  switch (key) {
    case '01': {
      const g: Mutable<GtinIdentifier> = { kind: 'gtin', gtin: k, attributes };
      opt(g, 'cpv', q('22'));
      opt(g, 'lot', q('10'));
      opt(g, 'serial', q('21'));
      opt(g, 'tpx', q('235'));
      id = g;
      break;
    }
    case '00':
      id = { kind: 'sscc', sscc: k, attributes };
      break;
    case '414': {
      const g: Mutable<GlnIdentifier> = { kind: 'gln', gln: k, attributes };
      opt(g, 'extension', q('254'));
      opt(g, 'uic', q('7040'));
      id = g;
      break;
    }
    case '417': {
      const g: Mutable<PartyIdentifier> = { kind: 'party', gln: k, attributes };
      opt(g, 'uic', q('7040'));
      id = g;
      break;
    }
    case '8003': {
      const g: Mutable<GraiIdentifier> = { kind: 'grai', grai: k.slice(1, 14), attributes };
      if (k.length > 14) g.serial = k.slice(14);
      id = g;
      break;
    }
    case '8004': {
      const g: Mutable<GiaiIdentifier> = { kind: 'giai', giai: k, attributes };
      opt(g, 'uic', q('7040'));
      id = g;
      break;
    }
    case '8017':
    case '8018': {
      const g: Mutable<GsrnIdentifier> = { kind: 'gsrn', gsrn: k, role: key === '8017' ? 'provider' : 'recipient', attributes };
      opt(g, 'srin', q('8019'));
      id = g;
      break;
    }
    case '253': {
      const g: Mutable<GdtiIdentifier> = { kind: 'gdti', gdti: k.slice(0, 13), attributes };
      if (k.length > 13) g.serial = k.slice(13);
      id = g;
      break;
    }
    case '255': {
      const g: Mutable<GcnIdentifier> = { kind: 'gcn', gcn: k.slice(0, 13), attributes };
      if (k.length > 13) g.serial = k.slice(13);
      id = g;
      break;
    }
    case '8010': {
      const g: Mutable<CpidIdentifier> = { kind: 'cpid', cpid: k, attributes };
      opt(g, 'serial', q('8011'));
      id = g;
      break;
    }
    case '401':
      id = { kind: 'ginc', ginc: k, attributes };
      break;
    case '402':
      id = { kind: 'gsin', gsin: k, attributes };
      break;
    case '8006': {
      const g: Mutable<ItipIdentifier> = { kind: 'itip', itip: k, attributes };
      opt(g, 'cpv', q('22'));
      opt(g, 'lot', q('10'));
      opt(g, 'serial', q('21'));
      id = g;
      break;
    }
    case '8013':
      id = { kind: 'gmn', gmn: k, attributes };
      break;
    default:
      return err({ kind: 'unrecognised', position: 0, message: `primary key AI (${key}) has no identifier mapping` });
  }
  if (companyPrefixLength !== undefined) id.companyPrefixLength = companyPrefixLength;
  return ok(id);
}

/** The key AI and qualifier elements of an identifier, in Digital Link path order. */
export function identifierKeyElements(id: Gs1Identifier): AiElement[] {
  const out: AiElement[] = [];
  const add = (ai: string, value: string | undefined): void => {
    if (value !== undefined) out.push({ ai, value });
  };
  switch (id.kind) {
    case 'gtin':
      add('01', id.gtin);
      add('22', id.cpv);
      add('10', id.lot);
      add('21', id.serial);
      add('235', id.tpx);
      break;
    case 'sscc':
      add('00', id.sscc);
      break;
    case 'gln':
      add('414', id.gln);
      add('254', id.extension);
      add('7040', id.uic);
      break;
    case 'party':
      add('417', id.gln);
      add('7040', id.uic);
      break;
    case 'grai':
      add('8003', `0${id.grai}${id.serial ?? ''}`);
      break;
    case 'giai':
      add('8004', id.giai);
      add('7040', id.uic);
      break;
    case 'gsrn':
      add(id.role === 'provider' ? '8017' : '8018', id.gsrn);
      add('8019', id.srin);
      break;
    case 'gdti':
      add('253', id.gdti + (id.serial ?? ''));
      break;
    case 'gcn':
      add('255', id.gcn + (id.serial ?? ''));
      break;
    case 'cpid':
      add('8010', id.cpid);
      add('8011', id.serial);
      break;
    case 'ginc':
      add('401', id.ginc);
      break;
    case 'gsin':
      add('402', id.gsin);
      break;
    case 'itip':
      add('8006', id.itip);
      add('22', id.cpv);
      add('10', id.lot);
      add('21', id.serial);
      break;
    case 'gmn':
      add('8013', id.gmn);
      break;
    default: {
      const never: never = id;
      return never;
    }
  }
  return out;
}

/** All AI elements of an identifier: key, qualifiers, then attributes. */
export function identifierToElements(id: Gs1Identifier): AiElement[] {
  const out = identifierKeyElements(id);
  for (const [ai, value] of Object.entries(id.attributes)) out.push({ ai, value });
  return out;
}

/** Companion of the Gs1Identifier union: type guard and conversions. */
export const Gs1Identifier = Object.freeze({
  /** Whether `value` has the shape of a Gs1Identifier (kind and attributes). */
  is(value: unknown): value is Gs1Identifier {
    return typeof value === 'object' && value !== null && KINDS.has(String((value as { kind?: unknown }).kind)) && typeof (value as { attributes?: unknown }).attributes === 'object';
  },
  fromElements: identifierFromElements,
  toElements: identifierToElements,
});

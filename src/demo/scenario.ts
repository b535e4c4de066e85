/**
 * What a scenario fixture is: master data, EPCIS documents in capture order, the codes a user would
 * scan or type, and the exact answers the trace engine must give (`expected`). The shapes of the
 * answers follow `src/app/trace/types.ts`; identifiers are canonical GS1 Digital Links.
 */
import type { LocationQuantities, ScopeRule } from '../app/trace/types.ts';
import type { JsonObject } from './documents.ts';

/** Master data as JSON bodies for `POST /api/{kind}`, by entity. */
export interface MasterData {
  readonly parties: readonly JsonObject[];
  readonly locations: readonly JsonObject[];
  readonly products: readonly JsonObject[];
  readonly equipment: readonly JsonObject[];
  readonly operators: readonly JsonObject[];
}

/** The order master data must be loaded in (locations refer to parties and parent locations, equipment and operators to locations). */
export const MASTER_DATA_ORDER = ['parties', 'locations', 'products', 'equipment', 'operators'] as const satisfies readonly (keyof MasterData)[];

/** Units of one lot at one place: the numeric part of `LocationQuantities`. */
export type Counts = Omit<LocationQuantities, 'place' | 'uom'>;

/** A store holding units of the lot, with its city. */
export interface ExpectedStore extends Counts {
  readonly nameZh: string;
  readonly city: string;
}

/** The co-exposure rules a scope query asks for (everything except `downstream`). */
export type CoExposureRule = Exclude<ScopeRule, 'downstream'>;
export const CO_EXPOSURE_RULES = ['raw_lot', 'session', 'equipment', 'vehicle', 'excursion'] as const satisfies readonly CoExposureRule[];

/** `GET /api/trace?code={code}&direction=downstream` from the suspect batch. */
export interface ExpectedDownstream {
  readonly code: string;
  readonly lot: string;
  /** By store location (canonical SGLN Digital Link): exactly these stores hold or held units of the lot. */
  readonly stores: Readonly<Record<string, ExpectedStore>>;
  readonly cities: readonly string[];
  /** Every location with units of the lot (plant, warehouses and stores): exactly these. */
  readonly locations: Readonly<Record<string, Counts>>;
  /** Vehicles (canonical Digital Links) of the shipments that carried the lot: exactly these. */
  readonly vehicles: readonly string[];
  /** Number of shipping events that carried units of the lot. */
  readonly shipments: number;
}

/** One raw-material lot upstream of the queried unit. */
export interface ExpectedRawLot {
  readonly lotNumber: string;
  readonly gtin: string;
  /** Canonical PGLN Digital Link of the supplier (the owning party of the receipt's source). */
  readonly supplier: string;
  /** QC of the lot: every record's disposition is `conformant`. */
  readonly qcRecords: number;
}

/** `GET /api/trace?code={unit QR}&direction=upstream`. */
export interface ExpectedUpstream {
  readonly code: string;
  /** The node the QR code resolves to (canonical unit Digital Link). */
  readonly unit: string;
  readonly lot: string;
  /** By lot node: exactly these raw lots. */
  readonly rawLots: Readonly<Record<string, ExpectedRawLot>>;
  readonly suppliers: readonly string[];
  /** The one batch upstream of the unit. */
  readonly batch: {
    readonly lot: string;
    readonly lotNumber: string;
    readonly quantity: number;
    readonly line: string;
    readonly plant: string;
    readonly shift: string;
    readonly session: string;
    readonly operators: readonly string[];
    readonly equipment: readonly string[];
    readonly workOrders: readonly string[];
  };
}

/** `GET /api/scope?code={code}&rules=raw_lot,session,equipment,vehicle,excursion`. */
export interface ExpectedScope {
  readonly code: string;
  /** The query's own lot (first item). */
  readonly lot: string;
  /** Per rule, exactly the other lots it puts in scope (the query's lot is not listed). */
  readonly byRule: Readonly<Record<CoExposureRule, readonly string[]>>;
  /** Lots of the same world that no rule may put in scope, with why (documentation; also asserted absent). */
  readonly outOfScope: Readonly<Record<string, string>>;
}

/** `GET /api/mass-balance?code={code}`. Totals are the sums of the location rows. */
export interface ExpectedMassBalance extends Counts {
  readonly code: string;
  readonly lots: readonly string[];
  readonly uom: string | null;
  readonly inTransit: number;
  /** Used as an input of other transformations (none of the suspect batches is). */
  readonly consumed: number;
  readonly accountedPercent: number;
  readonly locations: Readonly<Record<string, Counts>>;
}

export interface ScenarioExpectation {
  readonly downstream: ExpectedDownstream;
  readonly upstream: ExpectedUpstream;
  readonly scope: ExpectedScope;
  readonly massBalance: ExpectedMassBalance;
}

/** A story as fixtures. */
export interface Scenario {
  readonly name: string;
  readonly masterData: MasterData;
  /** EPCISDocuments in capture order. */
  readonly documents: readonly JsonObject[];
  readonly codes: {
    /** The on-pack QR code of one unit of the suspect batch (a GS1 Digital Link with lot and serial). */
    readonly unitQr: string;
    /** The suspect batch as an EPC class URN. */
    readonly batchLgtin: string;
    /** The suspect batch as a canonical Digital Link. */
    readonly batchLink: string;
  };
  readonly expected: ScenarioExpectation;
}

/** The lots a scope answer must hold, each with exactly the rules that put it there. */
export function scopeMembership(scope: ExpectedScope): Map<string, CoExposureRule[]> {
  const out = new Map<string, CoExposureRule[]>();
  for (const rule of CO_EXPOSURE_RULES) {
    for (const lot of scope.byRule[rule]) out.set(lot, [...(out.get(lot) ?? []), rule]);
  }
  return out;
}

type Kind = Exclude<keyof Counts, 'onHand'>;

/**
 * Unit movements of lots at places, recorded while a builder writes the events that express them:
 * the builder's plan, counted, from which `expected` is read.
 */
export class Tally {
  readonly #rows = new Map<string, Map<string, Record<Kind, number>>>();

  /** Record `n` units of `lot` as `kind` at `place`. */
  add(lot: string, place: string, kind: Kind, n: number): void {
    if (n === 0) return;
    const byPlace = this.#rows.get(lot) ?? new Map<string, Record<Kind, number>>();
    this.#rows.set(lot, byPlace);
    const row = byPlace.get(place) ?? { produced: 0, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0 };
    byPlace.set(place, row);
    row[kind] += n;
  }

  /** Counts of `lot` by place. */
  of(lot: string): Record<string, Counts> {
    const out: Record<string, Counts> = {};
    for (const [place, r] of this.#rows.get(lot) ?? []) {
      out[place] = { ...r, onHand: r.produced + r.received - r.shipped - r.sold - r.returned - r.destroyed - r.disposed - r.wasted };
    }
    return out;
  }
}

/** The sum of `rows`. */
export function total(rows: Readonly<Record<string, Counts>>): Counts {
  const sum = { produced: 0, received: 0, shipped: 0, sold: 0, returned: 0, destroyed: 0, disposed: 0, wasted: 0, onHand: 0 };
  for (const r of Object.values(rows)) for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += r[k];
  return sum;
}

/**
 * The shapes the trace engine answers with (`GET /api/trace`, `/api/scope`, `/api/mass-balance`,
 * `lotline trace`). Identifiers are canonical GS1 Digital Links where they are GS1 keys
 * (`https://id.gs1.org/01/…/10/…` for a lot, `…/01/…/21/…` for a unit, `…/00/…` for an SSCC).
 */

export type TraceDirection = 'upstream' | 'downstream' | 'both';

/** What a trace node stands for. `transformation` nodes are `tx:` + transformation ID or event hash ID. */
export type TraceNodeKind = 'lot' | 'unit' | 'container' | 'transformation' | 'product';

/** One step of a path: the node reached and the event that links it to the previous one. */
export interface TraceStep {
  readonly node: string;
  /** Event ID (or hash ID) of the linking event; null for the query's own node. */
  readonly eventId: string | null;
  /** consumed | produced | packed | member | moved */
  readonly link: string | null;
}

export interface TraceNode {
  readonly id: string;
  readonly kind: TraceNodeKind;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly serial: string | null;
  /** Product name from master data, zh and en, when the GTIN is known. */
  readonly productName: { readonly zh: string | null; readonly en: string | null } | null;
  readonly direction: 'origin' | 'upstream' | 'downstream';
  /** Hops from the query's node. */
  readonly depth: number;
  /** From the query's node to this one (the first path found, shortest first). */
  readonly path: readonly TraceStep[];
}

/** A location as master data knows it (or just its identifier). */
export interface TracePlace {
  readonly id: string;
  readonly name: string | null;
  readonly type: string | null;
  readonly city: string | null;
  readonly region: string | null;
}

export interface SensorReading {
  readonly time: string;
  readonly type: string;
  readonly value: number | null;
  readonly minValue: number | null;
  readonly maxValue: number | null;
  readonly uom: string | null;
  readonly exception: string | null;
  readonly deviceId: string | null;
  readonly place: string | null;
}

export interface QcRecord {
  readonly eventId: string;
  readonly time: string;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly place: string | null;
  readonly certifications: readonly string[];
}

export interface RawLotInfo {
  readonly lot: string;
  readonly gtin: string | null;
  readonly lotNumber: string | null;
  readonly productName: TraceNode['productName'];
  /** The supplier: owning party of the receiving event's source, else where the lot was commissioned. */
  readonly supplier: TracePlace | null;
  readonly received: readonly { readonly time: string; readonly quantity: number | null; readonly uom: string | null; readonly place: string | null }[];
  readonly qc: readonly QcRecord[];
}

export interface BatchInfo {
  readonly lot: string;
  readonly gtin: string | null;
  readonly lotNumber: string | null;
  readonly productName: TraceNode['productName'];
  readonly producedAt: string;
  readonly quantity: number | null;
  readonly uom: string | null;
  readonly line: TracePlace | null;
  readonly plant: TracePlace | null;
  readonly shift: string | null;
  readonly operators: readonly string[];
  readonly equipment: readonly string[];
  readonly session: string | null;
  readonly workOrders: readonly string[];
  /** Extension fields of the production event and its ILMD, and its own sensor reports. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly inputs: readonly { readonly node: string; readonly quantity: number | null; readonly uom: string | null }[];
  readonly qc: readonly QcRecord[];
  /** Sensor readings at the line and plant from 2 hours before to 2 hours after production. */
  readonly environment: readonly SensorReading[];
  readonly eventId: string;
}

export interface ShipmentInfo {
  readonly eventId: string;
  readonly time: string;
  readonly from: TracePlace | null;
  readonly to: TracePlace | null;
  readonly vehicle: string | null;
  /** Traced items (containers or lots) on this shipment. */
  readonly items: readonly string[];
  /** Units of the traced lots on board (null when unknown). */
  readonly units: number | null;
  readonly receivedAt: string | null;
  /** Readings of the vehicle (or of the shipped items) between shipping and receipt. */
  readonly temperature: readonly SensorReading[];
}

export interface LocationQuantities {
  readonly place: TracePlace;
  readonly received: number;
  readonly shipped: number;
  readonly sold: number;
  readonly returned: number;
  readonly destroyed: number;
  readonly disposed: number;
  readonly wasted: number;
  /** received (or produced) − shipped − sold − returned − destroyed − disposed − wasted. */
  readonly onHand: number;
  readonly produced: number;
  readonly uom: string | null;
}

export interface TraceReport {
  readonly query: {
    readonly code: string;
    /** The node the code resolved to. */
    readonly node: string;
    readonly kind: TraceNodeKind;
    readonly direction: TraceDirection;
    readonly asOf: string | null;
  };
  readonly nodes: readonly TraceNode[];
  readonly rawLots: readonly RawLotInfo[];
  readonly batches: readonly BatchInfo[];
  readonly shipments: readonly ShipmentInfo[];
  readonly locations: readonly LocationQuantities[];
  /** True when the graph was too large to walk completely: the answer is incomplete. */
  readonly truncated: boolean;
  /** Milliseconds spent answering. */
  readonly tookMs: number;
}

/** The co-exposure rules. */
export type ScopeRule = 'downstream' | 'raw_lot' | 'session' | 'equipment' | 'vehicle' | 'excursion';

export interface ScopeEvidence {
  readonly rule: ScopeRule;
  /** Human-readable, English; `detailZh` the same in Chinese. */
  readonly detail: string;
  readonly detailZh: string;
  /** What is shared: the raw lot, line, equipment, vehicle or place. */
  readonly shared: string;
  readonly eventIds: readonly string[];
}

export interface ScopeItem {
  /** A lot (batch) node. */
  readonly lot: string;
  readonly gtin: string | null;
  readonly lotNumber: string | null;
  readonly productName: TraceNode['productName'];
  readonly evidence: readonly ScopeEvidence[];
  /** Units of the lot per location (from its movements), for recall planning. */
  readonly locations: readonly LocationQuantities[];
}

export interface ScopeReport {
  readonly query: { readonly code: string; readonly node: string; readonly rules: readonly ScopeRule[]; readonly asOf: string | null };
  /** The lots in scope, the query's own lot(s) first. */
  readonly items: readonly ScopeItem[];
  readonly totals: { readonly lots: number; readonly units: number; readonly locations: number; readonly cities: number };
  readonly tookMs: number;
}

export interface MassBalanceDifference {
  readonly place: TracePlace | null;
  readonly kind: 'negative_stock' | 'in_transit' | 'unshipped_receipt' | 'unaccounted' | 'over_accounted';
  readonly quantity: number;
  readonly detail: string;
  readonly detailZh: string;
}

export interface MassBalanceReport {
  readonly lots: readonly string[];
  readonly uom: string | null;
  readonly produced: number;
  readonly shipped: number;
  readonly received: number;
  readonly inTransit: number;
  readonly sold: number;
  readonly returned: number;
  readonly destroyed: number;
  readonly disposed: number;
  readonly wasted: number;
  /** Used as an input of transformations. */
  readonly consumed: number;
  readonly onHand: number;
  /** Share of produced units whose whereabouts are explained, 0–100. */
  readonly accountedPercent: number;
  readonly locations: readonly LocationQuantities[];
  readonly differences: readonly MassBalanceDifference[];
  readonly tookMs: number;
}

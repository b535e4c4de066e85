/**
 * The columns of the FSMA 204 electronic sortable spreadsheet, headed with the key data element
 * names of 21 CFR 1.1325–1.1350 as the FDA's template uses them (docs/fsma204.md lists them).
 * Headings are in English: the file is for the FDA.
 */
import { Cte, type Fsma204Row, type PlaceRef } from './fsma204-rows.ts';
import type { SheetColumn } from './sheet-columns.ts';

/** Several values in one cell (references, transformation inputs) are separated by this. */
export const LIST_SEPARATOR = '; ';

const text = (header: string, width: number, value: (row: Fsma204Row) => string | null): SheetColumn<Fsma204Row> => ({ header, kind: 'text', width, value });
const description = (place: PlaceRef | null): string | null => place?.description ?? null;
const identifier = (place: PlaceRef | null): string | null => place?.identifier ?? null;
const list = (values: readonly string[]): string | null => (values.length ? values.join(LIST_SEPARATOR) : null);
const amount = (quantity: number | null, unit: string): string => (quantity === null ? unit : `${quantity} ${unit}`);

/** The spreadsheet's columns, in order. */
export const FSMA204_COLUMNS: readonly SheetColumn<Fsma204Row>[] = Object.freeze([
  text('Traceability Lot Code (TLC)', 34, (r) => r.tlc),
  text('Traceability Product Identifier (GTIN)', 17, (r) => r.gtin),
  text('Product Description', 32, (r) => r.productDescription),
  { header: 'Quantity', kind: 'number', width: 11, value: (r) => r.quantity },
  text('Unit of Measure', 10, (r) => r.unitOfMeasure),
  text('Critical Tracking Event (CTE)', 18, (r) => Cte.label(r.cte)),
  { header: 'Date of CTE', kind: 'date', width: 12, value: (r) => r.localDate },
  { header: 'Time of CTE', kind: 'time', width: 10, value: (r) => r.localTime },
  text('Time Zone', 11, (r) => `UTC${r.timeZoneOffset === 'Z' ? '+00:00' : r.timeZoneOffset}`),
  text('Location Description', 40, (r) => description(r.location)),
  text('Location Identifier (GLN)', 16, (r) => identifier(r.location)),
  text('Ship-From Location Description (Immediate Previous Source)', 40, (r) => description(r.shipFrom)),
  text('Ship-From Location Identifier (GLN)', 16, (r) => identifier(r.shipFrom)),
  text('Ship-To Location Description (Immediate Subsequent Recipient)', 40, (r) => description(r.shipTo)),
  text('Ship-To Location Identifier (GLN)', 16, (r) => identifier(r.shipTo)),
  text('Traceability Lot Code Source Location Description', 40, (r) => description(r.tlcSource)),
  text('Traceability Lot Code Source Reference (GLN)', 16, (r) => identifier(r.tlcSource)),
  text('Input Traceability Lot Codes (Transformation)', 40, (r) => list(r.inputs.map((i) => i.tlc))),
  text('Input Product Descriptions (Transformation)', 32, (r) => list(r.inputs.map((i) => i.productDescription ?? ''))),
  text('Input Quantities and Units of Measure (Transformation)', 24, (r) => list(r.inputs.map((i) => amount(i.quantity, i.unitOfMeasure)))),
  text('Reference Document Type', 24, (r) => list(r.references.map((d) => d.type))),
  text('Reference Document Number', 28, (r) => list(r.references.map((d) => d.number))),
  text('EPCIS Event ID', 40, (r) => r.eventId),
]);

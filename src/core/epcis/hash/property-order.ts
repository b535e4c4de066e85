import {
  BIZ_STEP_EXPANSION,
  COMPONENT_EXPANSION,
  DISPOSITION_EXPANSION,
  MEASUREMENT_TYPE_EXPANSION,
  SENSOR_ALERT_EXPANSION,
  type TermExpansion,
} from './cbv-vocabulary.ts';

/**
 * One entry of the CBV 2.0 §8.9 canonical property order, with how its JSON value is written:
 * - `value`: a scalar (or a list of scalars, each written `name=value`), with an optional bare-term
 *   vocabulary and timestamp normalisation;
 * - `identifiers`: a list of identifiers written `name` then each `item=value`, sorted;
 * - `object`: an object (or a list of them) written `name` then its own ordered fields, then its
 *   user extensions; `shorthand` names the field a bare string stands for (`readPoint: "urn:…"`);
 * - `objects`: a `…List` of objects written `name` then each `item…`, sorted.
 */
export type OrderedField =
  | { readonly kind: 'value'; readonly name: string; readonly vocabulary: TermExpansion | null; readonly time: boolean }
  | { readonly kind: 'identifiers'; readonly name: string; readonly item: string }
  | {
      readonly kind: 'object';
      readonly name: string;
      readonly fields: readonly OrderedField[];
      readonly names: ReadonlySet<string>;
      readonly shorthand: OrderedField | null;
    }
  | {
      readonly kind: 'objects';
      readonly name: string;
      readonly item: string;
      readonly fields: readonly OrderedField[];
      readonly names: ReadonlySet<string>;
    };

const namesOf = (fields: readonly OrderedField[]): ReadonlySet<string> => new Set(fields.map((f) => f.name));

/** Constructors for {@link OrderedField}. */
export const OrderedField = Object.freeze({
  /** A scalar field. */
  value: (name: string, options: { vocabulary?: TermExpansion; time?: boolean } = {}): OrderedField => ({
    kind: 'value',
    name,
    vocabulary: options.vocabulary ?? null,
    time: options.time ?? false,
  }),
  /** A list of identifiers (`epcList` → `epc`). */
  identifiers: (name: string, item: string): OrderedField => ({ kind: 'identifiers', name, item }),
  /** An object with its own canonical order. */
  object: (name: string, fields: readonly OrderedField[], shorthand?: string): OrderedField => ({
    kind: 'object',
    name,
    fields,
    names: namesOf(fields),
    shorthand: shorthand === undefined ? null : (fields.find((f) => f.name === shorthand) ?? null),
  }),
  /** A list of objects (`quantityList` → `quantityElement`). */
  objects: (name: string, item: string, fields: readonly OrderedField[]): OrderedField => ({
    kind: 'objects',
    name,
    item,
    fields,
    names: namesOf(fields),
  }),
});

const v = OrderedField.value;
const time = { time: true } as const;

const QUANTITY_ELEMENT: readonly OrderedField[] = [v('epcClass'), v('quantity'), v('uom')];

const SENSOR_METADATA: readonly OrderedField[] = [
  v('time', time), v('startTime', time), v('endTime', time), v('deviceID'), v('deviceMetadata'), v('rawData'),
  v('dataProcessingMethod'), v('bizRules'),
];

const SENSOR_REPORT: readonly OrderedField[] = [
  v('type', { vocabulary: MEASUREMENT_TYPE_EXPANSION }), v('exception', { vocabulary: SENSOR_ALERT_EXPANSION }),
  v('deviceID'), v('deviceMetadata'), v('rawData'), v('dataProcessingMethod'), v('time', time), v('microorganism'),
  v('chemicalSubstance'), v('value'), v('component', { vocabulary: COMPONENT_EXPANSION }), v('stringValue'),
  v('booleanValue'), v('hexBinaryValue'), v('uriValue'), v('minValue'), v('maxValue'), v('meanValue'), v('sDev'),
  v('percRank'), v('percValue'), v('uom'), v('coordinateReferenceSystem'),
];

const SENSOR_ELEMENT: readonly OrderedField[] = [
  OrderedField.object('sensorMetadata', SENSOR_METADATA),
  OrderedField.object('sensorReport', SENSOR_REPORT),
];

/**
 * The canonical property order of every event type, as the reference implementation applies it
 * (its `PROP_ORDER`). `bizTransactionList`, `sourceList` and `destinationList` are not here: the
 * reference writes them among the remaining elements, sorted with ILMD and user extensions, and its
 * expected hashes depend on that.
 */
export const EVENT_PROPERTY_ORDER: readonly OrderedField[] = [
  v('eventTime', time),
  v('eventTimeZoneOffset'),
  v('certificationInfo'),
  v('parentID'),
  OrderedField.identifiers('epcList', 'epc'),
  OrderedField.identifiers('inputEPCList', 'epc'),
  OrderedField.identifiers('childEPCs', 'epc'),
  OrderedField.objects('quantityList', 'quantityElement', QUANTITY_ELEMENT),
  OrderedField.objects('childQuantityList', 'quantityElement', QUANTITY_ELEMENT),
  OrderedField.objects('inputQuantityList', 'quantityElement', QUANTITY_ELEMENT),
  OrderedField.identifiers('outputEPCList', 'epc'),
  OrderedField.objects('outputQuantityList', 'quantityElement', QUANTITY_ELEMENT),
  v('action'),
  v('transformationID'),
  v('bizStep', { vocabulary: BIZ_STEP_EXPANSION }),
  v('disposition', { vocabulary: DISPOSITION_EXPANSION }),
  OrderedField.object('persistentDisposition', [
    v('set', { vocabulary: DISPOSITION_EXPANSION }),
    v('unset', { vocabulary: DISPOSITION_EXPANSION }),
  ]),
  OrderedField.object('readPoint', [v('id')], 'id'),
  OrderedField.object('bizLocation', [v('id')], 'id'),
  OrderedField.objects('sensorElementList', 'sensorElement', SENSOR_ELEMENT),
];

/** Names of {@link EVENT_PROPERTY_ORDER}. */
export const EVENT_PROPERTY_NAMES: ReadonlySet<string> = namesOf(EVENT_PROPERTY_ORDER);

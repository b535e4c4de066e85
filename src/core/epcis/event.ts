/**
 * The EPCIS 2.0 event model: a discriminated union on `type`, and the index the store extracts
 * from each event. Values of these types are the validated JSON objects themselves. Nothing is
 * copied. Build them with `validateEpcisEvent` / `validateEpcisDocument` (validate.ts).
 */
import {
  type CbvVocabularyName,
  type ContextPrefixes,
  expandVocabularyValue,
} from './cbv.ts';

/** The five EPCIS 2.0 event types. */
export type EventType = 'ObjectEvent' | 'AggregationEvent' | 'TransformationEvent' | 'TransactionEvent' | 'AssociationEvent';

/** The five event types, in the order of the standard. */
export const EVENT_TYPES: readonly EventType[] = Object.freeze([
  'ObjectEvent',
  'AggregationEvent',
  'TransformationEvent',
  'TransactionEvent',
  'AssociationEvent',
]);

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

/** An event's action, for every event type except TransformationEvent. */
export type Action = 'ADD' | 'OBSERVE' | 'DELETE';

/** A class-level quantity: `{epcClass, quantity?, uom?}`. */
export interface QuantityElement {
  readonly epcClass: string;
  readonly quantity?: number;
  readonly uom?: string;
}

/** A business transaction reference. `type` is a BTT word or URI. */
export interface BizTransaction {
  readonly type?: string;
  readonly bizTransaction: string;
}

/** A source of the goods. `type` is an SDT word or URI. */
export interface SourceElement {
  readonly type: string;
  readonly source: string;
}

/** A destination of the goods. `type` is an SDT word or URI. */
export interface DestinationElement {
  readonly type: string;
  readonly destination: string;
}

/** A read point or business location (`{id}`, possibly with extensions). */
export interface LocationElement {
  readonly id: string;
}

/** The persistent dispositions an event sets and unsets. */
export interface PersistentDisposition {
  readonly set?: readonly string[];
  readonly unset?: readonly string[];
}

/** An error declaration: this event is declared wrong as of `declarationTime`. */
export interface ErrorDeclaration {
  readonly declarationTime: string;
  readonly reason?: string;
  readonly correctiveEventIDs?: readonly string[];
}

/** Sensor metadata that applies to all reports of one sensor element. */
export interface SensorMetadata {
  readonly time?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly deviceID?: string;
  readonly deviceMetadata?: string;
  readonly rawData?: string;
  readonly dataProcessingMethod?: string;
  readonly bizRules?: string;
}

/** One sensor report. `type` is a measurement type word or URI. */
export interface SensorReport {
  readonly type: string;
  readonly exception?: string;
  readonly deviceID?: string;
  readonly deviceMetadata?: string;
  readonly rawData?: string;
  readonly dataProcessingMethod?: string;
  readonly bizRules?: string;
  readonly time?: string;
  readonly microorganism?: string;
  readonly chemicalSubstance?: string;
  readonly coordinateReferenceSystem?: string;
  readonly value?: number;
  readonly component?: string;
  readonly stringValue?: string;
  readonly booleanValue?: boolean;
  readonly hexBinaryValue?: string;
  readonly uriValue?: string;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly meanValue?: number;
  readonly sDev?: number;
  readonly percRank?: number;
  readonly percValue?: number;
  readonly uom?: string;
}

/** A sensor element: optional metadata and at least one report. */
export interface SensorElement {
  readonly sensorMetadata?: SensorMetadata;
  readonly sensorReport: readonly SensorReport[];
}

/** Fields that every event type has: when, and where and why. */
interface EventBase {
  readonly '@context'?: unknown;
  readonly eventTime: string;
  readonly recordTime?: string;
  readonly eventTimeZoneOffset: string;
  readonly eventID?: string;
  readonly certificationInfo?: string | readonly string[];
  readonly errorDeclaration?: ErrorDeclaration;
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly persistentDisposition?: PersistentDisposition;
  readonly readPoint?: LocationElement;
  readonly bizLocation?: LocationElement;
  readonly bizTransactionList?: readonly BizTransaction[];
  readonly sourceList?: readonly SourceElement[];
  readonly destinationList?: readonly DestinationElement[];
  readonly sensorElementList?: readonly SensorElement[];
}

/** An observation of objects (instances in `epcList`, classes in `quantityList`). */
export interface ObjectEvent extends EventBase {
  readonly type: 'ObjectEvent';
  readonly action: Action;
  readonly epcList?: readonly string[];
  readonly quantityList?: readonly QuantityElement[];
  readonly ilmd?: Readonly<Record<string, unknown>>;
}

/** Children put into, seen inside, or taken out of a parent (pallet, case). */
export interface AggregationEvent extends EventBase {
  readonly type: 'AggregationEvent';
  readonly action: Action;
  readonly parentID?: string;
  readonly childEPCs?: readonly string[];
  readonly childQuantityList?: readonly QuantityElement[];
}

/** Inputs consumed and outputs produced (e.g. a batch of soup from its ingredients). */
export interface TransformationEvent extends EventBase {
  readonly type: 'TransformationEvent';
  readonly inputEPCList?: readonly string[];
  readonly inputQuantityList?: readonly QuantityElement[];
  readonly outputEPCList?: readonly string[];
  readonly outputQuantityList?: readonly QuantityElement[];
  readonly transformationID?: string;
  readonly ilmd?: Readonly<Record<string, unknown>>;
}

/** Objects associated with or dissociated from business transactions. */
export interface TransactionEvent extends EventBase {
  readonly type: 'TransactionEvent';
  readonly action: Action;
  readonly bizTransactionList: readonly BizTransaction[];
  readonly parentID?: string;
  readonly epcList?: readonly string[];
  readonly quantityList?: readonly QuantityElement[];
}

/** Children associated with a parent that is not a container (e.g. a sensor on an asset). */
export interface AssociationEvent extends EventBase {
  readonly type: 'AssociationEvent';
  readonly action: Action;
  readonly parentID: string;
  readonly childEPCs?: readonly string[];
  readonly childQuantityList?: readonly QuantityElement[];
}

/** A validated EPCIS 2.0 event, discriminated on `type`. */
export type EpcisEvent = ObjectEvent | AggregationEvent | TransformationEvent | TransactionEvent | AssociationEvent;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Companion of the `EpcisEvent` union. `is` only checks the discriminator. Use
 * `validateEpcisEvent` to check a whole event.
 */
export const EpcisEvent = Object.freeze({
  types: EVENT_TYPES,
  /** Whether `type` is one of the five event types. */
  isType: (type: unknown): type is EventType => typeof type === 'string' && EVENT_TYPE_SET.has(type),
  /** Whether `value` is an object whose `type` is one of the five event types (shape not checked). */
  is: (value: unknown): value is EpcisEvent =>
    isRecord(value) && typeof value.type === 'string' && EVENT_TYPE_SET.has(value.type),
  /** Narrow to ObjectEvent. */
  isObjectEvent: (e: EpcisEvent): e is ObjectEvent => e.type === 'ObjectEvent',
  /** Narrow to AggregationEvent. */
  isAggregationEvent: (e: EpcisEvent): e is AggregationEvent => e.type === 'AggregationEvent',
  /** Narrow to TransformationEvent. */
  isTransformationEvent: (e: EpcisEvent): e is TransformationEvent => e.type === 'TransformationEvent',
  /** Narrow to TransactionEvent. */
  isTransactionEvent: (e: EpcisEvent): e is TransactionEvent => e.type === 'TransactionEvent',
  /** Narrow to AssociationEvent. */
  isAssociationEvent: (e: EpcisEvent): e is AssociationEvent => e.type === 'AssociationEvent',
});

// ---------------------------------------------------------------------------------------------
// Time stamps
// ---------------------------------------------------------------------------------------------

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Result of reading an EPCIS time stamp. */
export type TimeStampCheck = 'ok' | 'noOffset' | 'invalid';

function parseTime(value: string): { readonly ms: number; readonly hasOffset: boolean } | null {
  const m = TIME_RE.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // Year 0000 is RFC 3339 but not a date PostgreSQL (or the proleptic calendar of most systems) stores.
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31))) return null;
  // Round half up to milliseconds, as CBV 2.0 §8.9 does for the event hash.
  const frac = m[7] ?? '';
  let millis = Number((frac + '000').slice(0, 3));
  if (frac.length > 3 && frac.charCodeAt(3) >= 53 /* '5' */) millis += 1;
  let offsetMinutes = 0;
  const hasOffset = m[8] !== undefined || m[9] !== undefined;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  return { ms: d.getTime() - offsetMinutes * 60_000, hasOffset };
}

/** Check an EPCIS time stamp: RFC 3339 date-time with a `Z` or `±hh:mm` offset. */
export function checkTimeStamp(value: string): TimeStampCheck {
  const t = parseTime(value);
  if (t === null) return 'invalid';
  return t.hasOffset ? 'ok' : 'noOffset';
}

/**
 * Normalise an EPCIS time stamp to ISO-8601 UTC with milliseconds, rounding half up
 * (`2005-04-03T20:33:31.1165-06:00` → `2005-04-04T02:33:31.117Z`). Returns null for anything that
 * is not an RFC 3339 date-time with an offset.
 */
export function normaliseTimeStamp(value: string): string | null {
  const t = parseTime(value);
  return t === null || !t.hasOffset ? null : new Date(t.ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Event index
// ---------------------------------------------------------------------------------------------

/** A sensor report flattened with its element's metadata; vocabulary values as full URIs. */
export interface SensorReportIndex {
  /** Measurement type, full URI (e.g. `https://ref.gs1.org/voc/Temperature`). */
  readonly type: string;
  readonly exception?: string;
  readonly component?: string;
  /** The report's `time`, else the metadata's, in UTC with milliseconds. */
  readonly time?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** The report's `deviceID`, else the metadata's. */
  readonly deviceID?: string;
  readonly deviceMetadata?: string;
  readonly rawData?: string;
  readonly dataProcessingMethod?: string;
  readonly bizRules?: string;
  readonly microorganism?: string;
  readonly chemicalSubstance?: string;
  readonly coordinateReferenceSystem?: string;
  readonly value?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly meanValue?: number;
  readonly sDev?: number;
  readonly percRank?: number;
  readonly percValue?: number;
  readonly stringValue?: string;
  readonly booleanValue?: boolean;
  readonly hexBinaryValue?: string;
  readonly uriValue?: string;
  readonly uom?: string;
}

/** What the store indexes for one event. Vocabulary values are full URIs; identifiers are as given. */
export interface EventIndex {
  readonly type: EventType;
  /** ISO-8601 UTC with milliseconds, e.g. `2025-09-05T08:00:00.000Z`. */
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
  readonly eventId: string | null;
  readonly action: Action | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly persistentDispositionSet: readonly string[];
  readonly persistentDispositionUnset: readonly string[];
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  readonly transformationId: string | null;
  readonly parentId: string | null;
  /** epcList + childEPCs, as given. */
  readonly epcs: readonly string[];
  readonly inputEpcs: readonly string[];
  readonly outputEpcs: readonly string[];
  /** quantityList + childQuantityList. */
  readonly classes: readonly QuantityElement[];
  readonly inputClasses: readonly QuantityElement[];
  readonly outputClasses: readonly QuantityElement[];
  readonly bizTransactions: readonly { readonly type: string | null; readonly value: string }[];
  readonly sources: readonly { readonly type: string; readonly value: string }[];
  readonly destinations: readonly { readonly type: string; readonly value: string }[];
  readonly sensorReports: readonly SensorReportIndex[];
  readonly errorDeclaration: {
    readonly declarationTime: string;
    readonly reason: string | null;
    readonly correctiveEventIds: readonly string[];
  } | null;
  readonly certifications: readonly string[];
}

const EMPTY: readonly never[] = Object.freeze([]);

const vocab = (name: CbvVocabularyName, value: string | undefined, ctx: ContextPrefixes): string | null =>
  value === undefined ? null : expandVocabularyValue(name, value, ctx);

const time = (value: string): string => normaliseTimeStamp(value) ?? value;

function sensorReports(elements: readonly SensorElement[] | undefined, ctx: ContextPrefixes): readonly SensorReportIndex[] {
  if (elements === undefined || elements.length === 0) return EMPTY;
  const out: SensorReportIndex[] = [];
  for (const element of elements) {
    const meta: SensorMetadata = element.sensorMetadata ?? {};
    for (const r of element.sensorReport) {
      // Absent fields stay `undefined` (dropped by JSON.stringify).
      const t = r.time ?? meta.time;
      out.push({
        type: expandVocabularyValue('measurementType', r.type, ctx),
        exception: r.exception === undefined ? undefined : expandVocabularyValue('sensorAlertType', r.exception, ctx),
        component: r.component === undefined ? undefined : expandVocabularyValue('component', r.component, ctx),
        time: t === undefined ? undefined : time(t),
        startTime: meta.startTime === undefined ? undefined : time(meta.startTime),
        endTime: meta.endTime === undefined ? undefined : time(meta.endTime),
        deviceID: r.deviceID ?? meta.deviceID,
        deviceMetadata: r.deviceMetadata ?? meta.deviceMetadata,
        rawData: r.rawData ?? meta.rawData,
        dataProcessingMethod: r.dataProcessingMethod ?? meta.dataProcessingMethod,
        bizRules: r.bizRules ?? meta.bizRules,
        microorganism: r.microorganism,
        chemicalSubstance: r.chemicalSubstance,
        coordinateReferenceSystem: r.coordinateReferenceSystem,
        value: r.value,
        minValue: r.minValue,
        maxValue: r.maxValue,
        meanValue: r.meanValue,
        sDev: r.sDev,
        percRank: r.percRank,
        percValue: r.percValue,
        stringValue: r.stringValue,
        booleanValue: r.booleanValue,
        hexBinaryValue: r.hexBinaryValue,
        uriValue: r.uriValue,
        uom: r.uom,
      });
    }
  }
  return out;
}

/**
 * Extract what the store indexes from a validated event. `ctx` is the event's prefix scope
 * (`ValidatedEvent.context`, or `contextPrefixes(event['@context'])` for a bare event).
 * Vocabulary values (bare CBV words and CURIEs) become full URIs.
 */
export function eventIndex(event: EpcisEvent, ctx: ContextPrefixes): EventIndex {
  let action: Action | null = null;
  let parentId: string | null = null;
  let transformationId: string | null = null;
  let epcs: readonly string[] = EMPTY;
  let classes: readonly QuantityElement[] = EMPTY;
  let inputEpcs: readonly string[] = EMPTY;
  let outputEpcs: readonly string[] = EMPTY;
  let inputClasses: readonly QuantityElement[] = EMPTY;
  let outputClasses: readonly QuantityElement[] = EMPTY;
  switch (event.type) {
    case 'ObjectEvent':
      action = event.action;
      epcs = event.epcList ?? EMPTY;
      classes = event.quantityList ?? EMPTY;
      break;
    case 'AggregationEvent':
    case 'AssociationEvent':
      action = event.action;
      parentId = event.parentID ?? null;
      epcs = event.childEPCs ?? EMPTY;
      classes = event.childQuantityList ?? EMPTY;
      break;
    case 'TransactionEvent':
      action = event.action;
      parentId = event.parentID ?? null;
      epcs = event.epcList ?? EMPTY;
      classes = event.quantityList ?? EMPTY;
      break;
    case 'TransformationEvent':
      transformationId = event.transformationID ?? null;
      inputEpcs = event.inputEPCList ?? EMPTY;
      outputEpcs = event.outputEPCList ?? EMPTY;
      inputClasses = event.inputQuantityList ?? EMPTY;
      outputClasses = event.outputQuantityList ?? EMPTY;
      break;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event type ${String((unreachable as { type?: unknown }).type)}`);
    }
  }
  const pd = event.persistentDisposition;
  const ed = event.errorDeclaration;
  const cert = event.certificationInfo;
  return {
    type: event.type,
    eventTime: time(event.eventTime),
    eventTimeZoneOffset: event.eventTimeZoneOffset,
    eventId: event.eventID ?? null,
    action,
    bizStep: vocab('bizStep', event.bizStep, ctx),
    disposition: vocab('disposition', event.disposition, ctx),
    persistentDispositionSet: pd?.set?.map((d) => expandVocabularyValue('disposition', d, ctx)) ?? EMPTY,
    persistentDispositionUnset: pd?.unset?.map((d) => expandVocabularyValue('disposition', d, ctx)) ?? EMPTY,
    readPoint: event.readPoint?.id ?? null,
    bizLocation: event.bizLocation?.id ?? null,
    transformationId,
    parentId,
    epcs,
    inputEpcs,
    outputEpcs,
    classes,
    inputClasses,
    outputClasses,
    bizTransactions:
      event.bizTransactionList?.map((b) => ({
        type: vocab('bizTransactionType', b.type, ctx),
        value: b.bizTransaction,
      })) ?? EMPTY,
    sources: event.sourceList?.map((s) => ({ type: expandVocabularyValue('sourceDestType', s.type, ctx), value: s.source })) ?? EMPTY,
    destinations:
      event.destinationList?.map((d) => ({
        type: expandVocabularyValue('sourceDestType', d.type, ctx),
        value: d.destination,
      })) ?? EMPTY,
    sensorReports: sensorReports(event.sensorElementList, ctx),
    errorDeclaration:
      ed === undefined
        ? null
        : {
            declarationTime: time(ed.declarationTime),
            reason: vocab('errorReason', ed.reason, ctx),
            correctiveEventIds: ed.correctiveEventIDs ?? EMPTY,
          },
    certifications: cert === undefined ? EMPTY : typeof cert === 'string' ? [cert] : cert,
  };
}

import { type RawBuilder, sql } from 'kysely';
import { STANDARD_PREFIXES, expandVocabularyValue } from '../../core/epcis/cbv.ts';
import { EVENT_TYPES, normaliseTimeStamp } from '../../core/epcis/event.ts';
import { keyRoles, type KeyRole, normaliseIdentifier } from '../capture/event-keys.ts';

/** The EPCIS 2.0 SimpleEventQuery parameters Lotline answers (REST binding names). */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Reports a bad parameter by name; the caller collects them into one QueryParameterException. */
export type ReportBadParameter = (name: string, message: string) => void;

const matchParams: Readonly<Record<string, readonly KeyRole[]>> = {
  MATCH_epc: ['epc'],
  MATCH_parentID: ['parent'],
  MATCH_inputEPC: ['input'],
  MATCH_outputEPC: ['output'],
  MATCH_anyEPC: ['epc', 'parent', 'input', 'output'],
  MATCH_epcClass: ['epcClass'],
  MATCH_inputEPCClass: ['inputClass'],
  MATCH_outputEPCClass: ['outputClass'],
  MATCH_anyEPCClass: ['epcClass', 'inputClass', 'outputClass'],
};

const equalityParams: Readonly<Record<string, { role: KeyRole; vocabulary?: 'bizStep' | 'disposition'; identifier?: boolean }>> = {
  EQ_bizStep: { role: 'bizStep', vocabulary: 'bizStep' },
  EQ_disposition: { role: 'disposition', vocabulary: 'disposition' },
  EQ_persistentDisposition_set: { role: 'persistentDisposition', vocabulary: 'disposition' },
  EQ_readPoint: { role: 'readPoint', identifier: true },
  EQ_bizLocation: { role: 'bizLocation', identifier: true },
  EQ_transformationID: { role: 'transformationId' },
  EQ_action: { role: 'action' },
};

/** Sensor-report fields that EQ_ parameters compare as strings (EPCIS 2.0 §8.2.7.1). */
const sensorStringParams = ['deviceID', 'dataProcessingMethod', 'microorganism', 'chemicalSubstance', 'bizRules', 'stringValue', 'hexBinaryValue', 'uriValue'] as const;

const otherParams = new Set([
  'eventType', 'GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime', 'EQ_eventID', 'EXISTS_errorDeclaration',
  'GE_errorDeclarationTime', 'LT_errorDeclarationTime', 'EQ_errorReason', 'EQ_correctiveEventID', 'orderBy', 'orderDirection',
  'eventCountLimit', 'maxEventCount', 'perPage', 'nextPageToken', 'EQ_type', 'EQ_booleanValue', 'EQ_quantity', 'GT_quantity',
  'GE_quantity', 'LT_quantity', 'LE_quantity', 'GE_startTime', 'LT_startTime', 'GE_endTime', 'LT_endTime',
  'EXISTS_sensorElementList',
  ...sensorStringParams.map((p) => `EQ_${p}`),
]);

const sensorRange = /^(GT|GE|LT|LE|EQ)_(value|minValue|maxValue|meanValue|sDev|percRank|percValue)$/;

/**
 * The SQL conditions (over `epcis_events e`) for every filter parameter of an EPCIS query;
 * unknown parameters and bad values are reported through `bad`.
 */
export function eventFilters(params: QueryParams, bad: ReportBadParameter): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [];
  for (const name of Object.keys(params)) {
    if (params[name] === undefined) continue;
    if (!(name in matchParams) && !(name in equalityParams) && !otherParams.has(name) && !sensorRange.test(name)) {
      bad(name, `unknown query parameter ${name}`);
    }
  }

  for (const [name, roles] of Object.entries(matchParams)) {
    const values = list(params[name], true);
    if (values.length === 0) continue;
    const exact: string[] = [];
    const patterns: string[] = [];
    for (const v of values) {
      const pattern = idPattern(v);
      for (const role of roles) {
        if (pattern) patterns.push(keyRoles[role] + pattern);
        else exact.push(keyRoles[role] + normaliseIdentifier(v));
      }
    }
    const alternatives: RawBuilder<unknown>[] = [];
    if (exact.length) alternatives.push(sql`e.keys && ${exact}::text[]`);
    for (const p of patterns) alternatives.push(sql`EXISTS (SELECT 1 FROM unnest(e.keys) k WHERE k LIKE ${p})`);
    where.push(sql`(${sql.join(alternatives, sql` OR `)})`);
  }

  for (const [name, spec] of Object.entries(equalityParams)) {
    const values = list(params[name], spec.identifier === true);
    if (values.length === 0) continue;
    const keys = values.map((v) => {
      const full = spec.vocabulary ? expandVocabularyValue(spec.vocabulary, v, STANDARD_PREFIXES) : spec.identifier ? normaliseIdentifier(v) : v;
      return keyRoles[spec.role] + full;
    });
    where.push(sql`e.keys && ${keys}::text[]`);
  }
  if (params.EQ_persistentDisposition_unset !== undefined) {
    const uris = list(params.EQ_persistentDisposition_unset, false).map((v) => expandVocabularyValue('disposition', v, STANDARD_PREFIXES));
    where.push(sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(e.doc->'persistentDisposition'->'unset', '[]'::jsonb)) u(v)
      WHERE u.v = ANY(${uris}::text[]) OR ('https://ref.gs1.org/cbv/Disp-' || u.v) = ANY(${uris}::text[]))`);
  }

  const types = list(params.eventType, false);
  for (const t of types) if (!(EVENT_TYPES as readonly string[]).includes(t)) bad('eventType', `unknown event type ${t}`);
  if (types.length) where.push(sql`e.event_type = ANY(${types}::text[])`);

  const time = (name: string, column: 'event_time' | 'record_time', op: '>=' | '<'): void => {
    const v = single(params[name]);
    if (v === undefined) return;
    const d = parseTime(v);
    if (!d) return bad(name, `${name} must be a date-time with a time zone, e.g. 2025-09-05T08:00:00+08:00`);
    where.push(op === '>=' ? sql`${sql.ref(`e.${column}`)} >= ${d}` : sql`${sql.ref(`e.${column}`)} < ${d}`);
  };
  time('GE_eventTime', 'event_time', '>=');
  time('LT_eventTime', 'event_time', '<');
  time('GE_recordTime', 'record_time', '>=');
  time('LT_recordTime', 'record_time', '<');

  const eventIds = list(params.EQ_eventID, true);
  if (eventIds.length) where.push(sql`(e.event_id = ANY(${eventIds}::text[]) OR (e.event_id IS NULL AND e.hash_id = ANY(${eventIds}::text[])))`);

  const exists = single(params.EXISTS_errorDeclaration);
  if (exists !== undefined) where.push(exists === 'false' ? sql`NOT e.declares_error` : sql`e.declares_error`);
  const declTime = (name: string, op: '>=' | '<'): void => {
    const v = single(params[name]);
    if (v === undefined) return;
    const d = parseTime(v);
    if (!d) return bad(name, `${name} must be a date-time with a time zone`);
    // declarationTime was checked at capture (RFC 3339 with an offset, year 1 or later), so the cast is safe.
    where.push(sql`e.declares_error AND (e.doc->'errorDeclaration'->>'declarationTime')::timestamptz ${sql.raw(op)} ${d}`);
  };
  declTime('GE_errorDeclarationTime', '>=');
  declTime('LT_errorDeclarationTime', '<');
  const reasons = list(params.EQ_errorReason, false);
  if (reasons.length) {
    const full = reasons.flatMap((r) => [r, `https://ref.gs1.org/cbv/ER-${r}`]);
    where.push(sql`(e.doc->'errorDeclaration'->>'reason') = ANY(${full}::text[])`);
  }
  const corrective = list(params.EQ_correctiveEventID, true);
  if (corrective.length) where.push(sql`e.doc->'errorDeclaration'->'correctiveEventIDs' ?| ${corrective}::text[]`);

  // Quantities: any quantity element of the event.
  for (const op of ['EQ', 'GT', 'GE', 'LT', 'LE'] as const) {
    const v = single(params[`${op}_quantity`]);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      bad(`${op}_quantity`, 'expected a number');
      continue;
    }
    where.push(sql`jsonb_path_exists(e.doc, ${`$.*[*] ? (exists(@.epcClass)).quantity ? (@ ${jsonPathOp(op)} $n)`}::jsonpath, ${JSON.stringify({ n })}::jsonb, true)`);
  }

  // Sensor data: every condition applies to the same sensor report.
  const report: string[] = [];
  const vars: Record<string, unknown> = {};
  const sensorType = single(params.EQ_type);
  if (sensorType !== undefined) {
    vars.type = expandVocabularyValue('measurementType', sensorType, STANDARD_PREFIXES);
    vars.typeWord = (vars.type as string).replace(/^.*\//, '');
    report.push('(@.type == $type || @.type == $typeWord || @.type == $gs1Type)');
    vars.gs1Type = `gs1:${vars.typeWord as string}`;
  }
  for (const p of sensorStringParams) {
    const v = single(params[`EQ_${p}`]);
    if (v === undefined) continue;
    vars[p] = v;
    report.push(`@.${p} == $${p}`);
  }
  const bool = single(params.EQ_booleanValue);
  if (bool !== undefined) {
    if (bool !== 'true' && bool !== 'false') bad('EQ_booleanValue', 'expected true or false');
    vars.booleanValue = bool === 'true';
    report.push('@.booleanValue == $booleanValue');
  }
  for (const name of Object.keys(params)) {
    const m = sensorRange.exec(name);
    if (!m) continue;
    const n = Number(single(params[name]));
    if (!Number.isFinite(n)) {
      bad(name, 'expected a number');
      continue;
    }
    const varName = `v_${m[1]}_${m[2]}`;
    vars[varName] = n;
    report.push(`@.${m[2]} ${jsonPathOp(m[1] as 'EQ')} $${varName}`);
  }
  if (report.length) {
    where.push(sql`jsonb_path_exists(e.doc, ${`$.sensorElementList[*].sensorReport[*] ? (${report.join(' && ')})`}::jsonpath, ${JSON.stringify(vars)}::jsonb, true)`);
  } else if (single(params.EXISTS_sensorElementList) !== undefined) {
    where.push(single(params.EXISTS_sensorElementList) === 'false' ? sql`NOT (e.doc ? 'sensorElementList')` : sql`e.doc ? 'sensorElementList'`);
  }
  for (const [name, field, op] of [['GE_startTime', 'startTime', '>='], ['LT_startTime', 'startTime', '<'], ['GE_endTime', 'endTime', '>='], ['LT_endTime', 'endTime', '<']] as const) {
    const v = single(params[name]);
    if (v === undefined) continue;
    const d = parseTime(v);
    if (!d) {
      bad(name, `${name} must be a date-time with a time zone`);
      continue;
    }
    where.push(sql`jsonb_path_exists(e.doc, ${`$.sensorElementList[*].sensorMetadata ? (@.${field}.datetime() ${op} $t.datetime())`}::jsonpath, ${JSON.stringify({ t: d.toISOString() })}::jsonb, true)`);
  }

  return where;
}

export function list(value: string | readonly string[] | undefined, identifiers: boolean): string[] {
  if (value === undefined) return [];
  const raw = typeof value === 'string' ? [value] : [...value];
  return raw
    .flatMap((v) => {
      const parts = v.split(',').map((p) => p.trim());
      // Identifiers may contain commas (GS1 AI values): only split when every part is itself a URI.
      return !identifiers || parts.every((p) => /^(urn:|https?:\/\/)/.test(p)) ? parts : [v.trim()];
    })
    .filter((v) => v !== '');
}

export function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[value.length - 1];
}

export function parseTime(v: string): Date | null {
  const iso = normaliseTimeStamp(v);
  return iso === null ? null : new Date(iso);
}

/** `urn:epc:idpat:sgtin:0614141.107346.*` or any value ending in `*`: a LIKE pattern on canonical keys. */
function idPattern(value: string): string | null {
  if (!value.includes('*')) return null;
  const idpat = /^urn:epc:idpat:(sgtin|lgtin):([0-9]+)\.([0-9]+)\.\*$/.exec(value);
  if (idpat) {
    const [, scheme = '', company = '', item = ''] = idpat;
    const sample = normaliseIdentifier(scheme === 'sgtin' ? `urn:epc:id:sgtin:${company}.${item}.0` : `urn:epc:class:lgtin:${company}.${item}.0`);
    const stem = sample.replace(/\/(21|10)\/0$/, '');
    if (stem !== sample) return `${escapeLike(stem)}/${scheme === 'sgtin' ? '21' : '10'}/%`;
  }
  return escapeLike(value.slice(0, value.indexOf('*'))) + '%';
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function jsonPathOp(op: 'EQ' | 'GT' | 'GE' | 'LT' | 'LE'): string {
  return { EQ: '==', GT: '>', GE: '>=', LT: '<', LE: '<=' }[op];
}

import { canonicalTimestamp } from './canonical-timestamp.ts';
import { canonicalValue } from './canonical-value.ts';
import { sortedConcat } from './code-point-order.ts';
import { type EpcisContext, expandCurie, expandMemberName, withEventContext } from './epcis-context.ts';
import { EVENT_PROPERTY_NAMES, EVENT_PROPERTY_ORDER, type OrderedField } from './property-order.ts';
import { isCommentMember, pushRemainingEntries } from './remaining-elements.ts';
import { scalarText } from './scalar-text.ts';

/**
 * The canonical pre-hash string of one EPCIS 2.0 JSON/JSON-LD event (CBV 2.0 §8.9): `eventType=…`,
 * then the fields of the canonical property order, then every remaining element (ILMD, the typed
 * lists, user extensions) in code point order, all concatenated without separators.
 */

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level members that never take part in the hash. */
const IGNORED: ReadonlySet<string> = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', '@context']);

/** `name=value` for one scalar of a `value` field, or '' when it is empty. */
function valueEntry(
  field: Extract<OrderedField, { kind: 'value' }>,
  raw: unknown,
  context: EpcisContext,
): string {
  const text = scalarText(raw)?.trim();
  if (!text) return '';
  if (field.time) return `${field.name}=${canonicalTimestamp(text)}`;
  const term = field.vocabulary?.get(text);
  return `${field.name}=${canonicalValue(term ?? expandCurie(context, text))}`;
}

/**
 * Text of an object with its own canonical order: `name`, its ordered fields, then its remaining
 * members (user extensions) sorted. '' when nothing inside has a value.
 */
function objectText(
  name: string,
  fields: readonly OrderedField[],
  names: ReadonlySet<string>,
  object: Readonly<Record<string, unknown>>,
  context: EpcisContext,
): string {
  let inner = '';
  let declined: string[] | null = null;
  for (const field of fields) {
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    const text = fieldText(field, value, context);
    if (text === undefined) (declined ??= []).push(field.name);
    else inner += text;
  }
  let rest: string[] | null = null;
  for (const key of Object.keys(object)) {
    if ((names.has(key) && !declined?.includes(key)) || isCommentMember(key)) continue;
    rest ??= [];
    pushRemainingEntries(expandMemberName(context, key), object[key], context, rest);
  }
  if (rest !== null && rest.length > 0) inner += sortedConcat(rest);
  return inner === '' ? '' : name + inner;
}

/**
 * Text of one field of the canonical order with its JSON value, '' when it contributes nothing, or
 * undefined when the value does not have the field's shape (it is then written with the remaining
 * elements instead).
 */
function fieldText(field: OrderedField, value: unknown, context: EpcisContext): string | undefined {
  switch (field.kind) {
    case 'value': {
      if (!Array.isArray(value)) return isRecord(value) ? undefined : valueEntry(field, value, context);
      const parts: string[] = [];
      for (const item of value) {
        if (typeof item === 'object' && item !== null) return undefined;
        const text = valueEntry(field, item, context);
        if (text !== '') parts.push(text);
      }
      return parts.length === 0 ? '' : sortedConcat(parts);
    }
    case 'identifiers': {
      const items = Array.isArray(value) ? value : [value];
      const parts: string[] = [];
      for (const item of items) {
        if (typeof item === 'object' && item !== null) return undefined;
        const text = scalarText(item)?.trim();
        if (text) parts.push(`${field.item}=${canonicalValue(expandCurie(context, text))}`);
      }
      return parts.length === 0 ? '' : field.name + sortedConcat(parts);
    }
    case 'object': {
      const items = Array.isArray(value) ? value : [value];
      const parts: string[] = [];
      for (const item of items) {
        let text: string;
        if (isRecord(item)) text = objectText(field.name, field.fields, field.names, item, context);
        else if (field.shorthand !== null && !Array.isArray(item)) {
          const inner = fieldText(field.shorthand, item, context);
          text = inner ? field.name + inner : '';
        } else return undefined;
        if (text !== '') parts.push(text);
      }
      return parts.length === 0 ? '' : sortedConcat(parts);
    }
    case 'objects': {
      const items = Array.isArray(value) ? value : [value];
      const parts: string[] = [];
      for (const item of items) {
        if (isRecord(item)) {
          const text = objectText(field.item, field.fields, field.names, item, context);
          if (text !== '') parts.push(text);
        } else pushRemainingEntries(field.item, item, context, parts);
      }
      return parts.length === 0 ? '' : field.name + sortedConcat(parts);
    }
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

/** The CBV 2.0 §8.9 pre-hash string of one JSON event in `context`. */
export function preHashString(event: Readonly<Record<string, unknown>>, context: EpcisContext): string {
  const ownContext = event['@context'];
  const ctx = ownContext === undefined ? context : withEventContext(context, ownContext);
  let out = `eventType=${scalarText(event.type) ?? ''}`;
  let declined: string[] | null = null;
  for (const field of EVENT_PROPERTY_ORDER) {
    const value = event[field.name];
    if (value === undefined || value === null) continue;
    const text = fieldText(field, value, ctx);
    if (text === undefined) (declined ??= []).push(field.name);
    else out += text;
  }
  const rest: string[] = [];
  for (const key of Object.keys(event)) {
    if (IGNORED.has(key) || isCommentMember(key)) continue;
    if (EVENT_PROPERTY_NAMES.has(key) && !declined?.includes(key)) continue;
    const name = expandMemberName(ctx, key);
    if (ctx.ignoreFields !== undefined && ctx.ignoreFields.size > 0 && ctx.ignoreFields.has(name)) continue;
    pushRemainingEntries(name, event[key], ctx, rest);
  }
  return rest.length === 0 ? out : out + sortedConcat(rest);
}

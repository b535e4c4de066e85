import {
  BIZ_TRANSACTION_TYPE_EXPANSION,
  SOURCE_DESTINATION_TYPE_EXPANSION,
  type TermExpansion,
} from './cbv-vocabulary.ts';
import { canonicalValue } from './canonical-value.ts';
import { sortedConcat } from './code-point-order.ts';
import { type EpcisContext, expandCurie, expandMemberName } from './epcis-context.ts';
import { scalarText } from './scalar-text.ts';

/**
 * Pre-hash entries of the elements outside the canonical property order (CBV 2.0 §8.9 rules 19–21):
 * ILMD, user extensions and, as the reference implementation does, `bizTransactionList`,
 * `sourceList` and `destinationList`. Each element becomes `{namespace}name=value`, or `name`
 * followed by its children's entries in code point order; a `…List` member lists its items under
 * the singular name, as the XML binding does.
 */

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Members left out at every level: JSON-LD comments. */
export const isCommentMember = (key: string): boolean => key === 'rdfs:comment' || key === 'comment';

/** Standard lists whose items pair a `type` with an identifier, written type first (rule 13). */
const TYPED_LISTS: ReadonlyMap<string, readonly [string, TermExpansion]> = new Map([
  ['bizTransactionList', ['bizTransaction', BIZ_TRANSACTION_TYPE_EXPANSION] as const],
  ['sourceList', ['source', SOURCE_DESTINATION_TYPE_EXPANSION] as const],
  ['destinationList', ['destination', SOURCE_DESTINATION_TYPE_EXPANSION] as const],
]);

/** `type=…` then `<item>=…` then any further members of one `bizTransaction` / `source` / `destination`. */
function typedItem(item: string, vocabulary: TermExpansion, value: unknown, context: EpcisContext): string {
  if (!isRecord(value)) {
    const text = scalarText(value)?.trim();
    return text ? `${item}=${canonicalValue(expandCurie(context, text))}` : '';
  }
  let out = '';
  const type = scalarText(value.type)?.trim();
  if (type) out += `type=${canonicalValue(vocabulary.get(type) ?? expandCurie(context, type))}`;
  const id = scalarText(value[item])?.trim();
  if (id) out += `${item}=${canonicalValue(expandCurie(context, id))}`;
  let rest: string[] | null = null;
  for (const key of Object.keys(value)) {
    if (key === 'type' || key === item || isCommentMember(key)) continue;
    rest ??= [];
    pushRemainingEntries(expandMemberName(context, key), value[key], context, rest);
  }
  return rest === null || rest.length === 0 ? out : out + sortedConcat(rest);
}

/**
 * Append to `out` the pre-hash entries of member `name` (already expanded) with JSON `value`.
 * Arrays give one entry per item; null gives none.
 */
export function pushRemainingEntries(name: string, value: unknown, context: EpcisContext, out: string[]): void {
  if (value === null || value === undefined) return;
  if (name.endsWith('List')) {
    const items = Array.isArray(value) ? value : [value];
    const parts: string[] = [];
    const typed = TYPED_LISTS.get(name);
    if (typed !== undefined) {
      for (const item of items) {
        const text = typedItem(typed[0], typed[1], item, context);
        if (text !== '') parts.push(text);
      }
    } else {
      const item = name.slice(0, -4);
      for (const element of items) pushRemainingEntries(item, element, context, parts);
    }
    if (parts.length > 0) out.push(name + sortedConcat(parts));
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) pushRemainingEntries(name, element, context, out);
    return;
  }
  if (isRecord(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      if (isCommentMember(key)) continue;
      pushRemainingEntries(expandMemberName(context, key), value[key], context, parts);
    }
    out.push(parts.length === 0 ? name : name + sortedConcat(parts));
    return;
  }
  const text = scalarText(value)?.trim();
  out.push(text ? `${name}=${canonicalValue(expandCurie(context, text))}` : name);
}

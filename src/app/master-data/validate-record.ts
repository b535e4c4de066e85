import type { ErrorDetail } from '../../core/errors.ts';
import { type Result, err, ok } from '../../core/result.ts';
import { unstorableParts } from '../../core/text-guard.ts';
import { validateGs1Key } from './gs1-key.ts';
import type { EntitySpec, FieldSpec } from './definitions.ts';

/** How a record arrives: typed JSON from the API, or strings from a CSV/XLSX cell. */
export type RecordSource = 'json' | 'cells';

/** Column values ready to write, keyed by column name. */
export type ColumnValues = Record<string, string | number | boolean | null>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Check a record against its entity's fields and turn it into column values.
 * `partial` leaves out fields that are absent (PATCH); `pointer(field)` names where each error points.
 */
export function validateRecord(
  spec: EntitySpec,
  input: Readonly<Record<string, unknown>>,
  options: { source: RecordSource; partial: boolean; pointer: (field: string) => string },
): Result<ColumnValues, ErrorDetail[]> {
  const errors: ErrorDetail[] = [];
  const out: ColumnValues = {};
  const known = new Set(spec.fields.map((f) => f.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push({ pointer: options.pointer(key), message: `unknown field ${key}`, rule: 'additionalProperties' });
  }
  for (const field of spec.fields) {
    const raw = input[field.name];
    const absent = raw === undefined || raw === null || (options.source === 'cells' && raw === '');
    if (absent) {
      if (field.required && !(options.partial && raw === undefined)) {
        errors.push({ pointer: options.pointer(field.name), message: `${field.name} (${field.labelZh}) is required`, rule: 'required' });
      } else if (!options.partial || raw !== undefined) {
        out[field.column] = field.type.kind === 'json' ? '{}' : null;
      }
      continue;
    }
    const checked = checkField(field, raw, options.source);
    if (checked.ok) out[field.column] = checked.value;
    else errors.push({ pointer: options.pointer(field.name), message: checked.error.message, rule: checked.error.rule });
  }
  return errors.length ? err(errors) : ok(out);
}

function checkField(field: FieldSpec, raw: unknown, source: RecordSource): Result<string | number | boolean | null, { message: string; rule: string }> {
  const type = field.type;
  const bad = (message: string, rule: string) => err({ message: `${field.name}: ${message}`, rule });
  const asText = typeof raw === 'string' ? raw.trim() : null;
  switch (type.kind) {
    case 'id':
      if (asText === null) return bad('expected a string', 'type');
      return ID.test(asText) ? ok(asText) : bad('1-80 letters, digits, or . _ : - (starting with a letter or digit)', 'pattern');
    case 'ref':
      if (asText === null) return bad('expected a string', 'type');
      return ID.test(asText) ? ok(asText) : bad('not a valid identifier', 'pattern');
    case 'text':
      if (asText === null) return bad('expected a string', 'type');
      return asText.length <= type.max ? ok(asText) : bad(`at most ${type.max} characters`, 'maxLength');
    case 'email':
      if (asText === null) return bad('expected a string', 'type');
      return EMAIL.test(asText) ? ok(asText) : bad('not an email address', 'format');
    case 'enum':
      if (asText === null) return bad('expected a string', 'type');
      return type.values.includes(asText) ? ok(asText) : bad(`expected one of ${type.values.join(', ')}`, 'enum');
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : source === 'cells' && asText !== null && asText !== '' ? Number(asText) : Number.NaN;
      if (!Number.isFinite(n)) return bad('expected a number', 'type');
      if (type.kind === 'int' && !Number.isInteger(n)) return bad('expected a whole number', 'type');
      if (n < type.min || n > type.max) return bad(`must be between ${type.min} and ${type.max}`, 'range');
      return ok(n);
    }
    case 'gtin':
    case 'gln': {
      const text = typeof raw === 'number' && source === 'cells' ? String(raw) : asText;
      if (text === null) return bad('expected a string of digits', 'type');
      const checked = validateGs1Key(type.kind, text);
      return checked.ok ? ok(checked.value) : bad(checked.error, 'gs1Key');
    }
    case 'json': {
      if (source === 'cells' && asText !== null) {
        try {
          const parsed: unknown = JSON.parse(asText);
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('expected a JSON object', 'type');
          const unstorable = unstorableParts(parsed);
          if (unstorable.length) return bad(`${unstorable[0]!.pointer}: ${unstorable[0]!.message}`, unstorable[0]!.rule ?? 'unstorableText');
          return ok(JSON.stringify(parsed));
        } catch {
          return bad('not valid JSON', 'format');
        }
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('expected an object', 'type');
      return ok(JSON.stringify(raw));
    }
    default: {
      const never: never = type;
      return never;
    }
  }
}

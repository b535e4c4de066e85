/**
 * The master-data entity definitions as the console needs them to build tables and forms: every
 * field's API name, its labels in Chinese and English, its type and limits, whether it is required,
 * and the values an enum allows. Read-only and the same for every organisation: it describes the
 * API, not anyone's data, so the console never keeps its own copy that could drift from the server.
 */
import { type EntityKind, type FieldSpec, entities, entityKinds } from '../master-data/definitions.ts';

/** One field of an entity, as the console shows and checks it. */
export interface FieldView {
  readonly name: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly type: FieldSpec['type']['kind'];
  readonly required: boolean;
  /** Whether this is the record's identifier (fixed once created). */
  readonly identifier: boolean;
  /** Most characters (text). */
  readonly maxLength?: number;
  /** Bounds (int, number). */
  readonly minimum?: number;
  readonly maximum?: number;
  /** Allowed values (enum). */
  readonly values?: readonly string[];
  /** The entity a reference points at (ref). */
  readonly refersTo?: EntityKind;
}

/** One entity with its fields, in the definition's order. */
export interface EntityView {
  readonly kind: EntityKind;
  readonly idField: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly fields: readonly FieldView[];
}

function fieldView(f: FieldSpec, idField: string): FieldView {
  const base = { name: f.name, labelZh: f.labelZh, labelEn: f.labelEn, type: f.type.kind, required: f.required, identifier: f.name === idField };
  switch (f.type.kind) {
    case 'text':
      return { ...base, maxLength: f.type.max };
    case 'int':
    case 'number':
      return { ...base, minimum: f.type.min, maximum: f.type.max };
    case 'enum':
      return { ...base, values: f.type.values };
    case 'ref':
      return { ...base, refersTo: f.type.entity };
    case 'id':
      return { ...base, maxLength: 80 };
    case 'email':
      return { ...base, maxLength: 200 };
    case 'gtin':
    case 'gln':
    case 'json':
      return base;
    default: {
      const never: never = f.type;
      return never;
    }
  }
}

/** Every master-data entity, described for the console (`GET /api/master-data/schema`). */
export function masterDataSchema(): { readonly kinds: readonly EntityView[] } {
  return {
    kinds: entityKinds.map((kind) => {
      const spec = entities[kind];
      return { kind, idField: spec.idField, labelZh: spec.labelZh, labelEn: spec.labelEn, fields: spec.fields.map((f) => fieldView(f, spec.idField)) };
    }),
  };
}

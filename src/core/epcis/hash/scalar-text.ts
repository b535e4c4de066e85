/**
 * The text of a JSON scalar as the pre-hash string starts from: strings as they are, numbers in
 * JavaScript's shortest round-trip form (normalised later), booleans as `true`/`false` (their XML
 * form, so JSON and XML give the same hash). Null, objects and arrays have no text (null).
 */
export function scalarText(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    default:
      return null;
  }
}

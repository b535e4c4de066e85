/** Where an untrusted ledger JSON value (a proof, a checkpoint) breaks its schema. */
export interface ShapeProblem {
  /** Dotted path of the offending member, e.g. `checkpoint.body.toSeq`. */
  readonly field: string;
  readonly reason: string;
}

/** A test for one member of a JSON object and what it requires, in words. */
export type MemberRule = readonly [test: (value: unknown) => boolean, requirement: string];

/** Whether `value` is a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first problem of `value` against `rules`: it must be an object with exactly the members of
 * `rules` (no missing, no extra ones), each passing its test. Undefined when it conforms.
 */
export function shapeProblem(value: unknown, rules: Readonly<Record<string, MemberRule>>, path: string): ShapeProblem | undefined {
  if (!isRecord(value)) return { field: path, reason: 'must be a JSON object' };
  for (const [key, [test, requirement]] of Object.entries(rules)) {
    if (!Object.hasOwn(value, key)) return { field: `${path}.${key}`, reason: 'is missing' };
    if (!test(value[key])) return { field: `${path}.${key}`, reason: `must be ${requirement}` };
  }
  const extra = Object.keys(value).find((key) => !Object.hasOwn(rules, key));
  return extra === undefined ? undefined : { field: `${path}.${extra}`, reason: 'is not a known member' };
}

/** Whether `value` is a positive safe integer (a seq). */
export function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** Whether `value` is a non-empty string without line feeds (an orgId or event hash ID). */
export function isLineText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && !value.includes('\n');
}

/** The exhaustive-switch guard: a compile error when a union case is unhandled, a throw if one slips through at run time. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}

/**
 * Validation of one AI value against its Syntax Dictionary entry: overall length, then each
 * component's character set and linters, in order (GS1 Syntax Engine semantics).
 */
import type { AiDefinition, CharacterSet } from './ai-definition.ts';
import { maxValueLength, minValueLength } from './ai-table.ts';
import type { Gs1Error } from './gs1-error.ts';
import { lintCset39, lintCset64, lintCset82, lintCsetNumeric } from './linters/charset.ts';
import type { Linter, LintFailure } from './linters/lint-failure.ts';
import { lintMessage } from './linters/lint-message.ts';
import { linters, type LinterName } from './linters/linter-registry.ts';

const CSET_LINTER: Readonly<Record<CharacterSet, { readonly name: LinterName; readonly fn: Linter }>> = {
  N: { name: 'csetnumeric', fn: lintCsetNumeric },
  X: { name: 'cset82', fn: lintCset82 },
  Y: { name: 'cset39', fn: lintCset39 },
  Z: { name: 'cset64', fn: lintCset64 },
};

/** Where a value sits in the input, for error positions; -1 when it cannot be located (decoded data). */
export interface ValueLocation {
  readonly aiPosition: number;
  readonly valuePosition: number;
}

function at(loc: ValueLocation, offset: number): number {
  return loc.valuePosition < 0 ? loc.aiPosition : loc.valuePosition + offset;
}

/**
 * Parse-time check of a value's total length and the absence of `^`, which would be conflated
 * with FNC1 in the unbracketed notation. Reports errors before any linter runs.
 */
export function checkValueLength(ai: string, d: AiDefinition, value: string, loc: ValueLocation): Gs1Error | null {
  const min = minValueLength(d);
  const max = maxValueLength(d);
  if (value.length === 0) return { kind: 'syntax', rule: 'emptyValue', ai, position: at(loc, 0), message: `AI (${ai}) has no value` };
  if (value.length < min) {
    return { kind: 'syntax', rule: 'valueTooShort', ai, position: at(loc, 0), message: `AI (${ai}) value "${value}" is too short: ${value.length} characters, at least ${min} required` };
  }
  if (value.length > max) {
    return { kind: 'syntax', rule: 'valueTooLong', ai, position: at(loc, max), message: `AI (${ai}) value is too long: ${value.length} characters, at most ${max} allowed` };
  }
  const caret = value.indexOf('^');
  if (caret >= 0) return { kind: 'syntax', rule: 'illegalCharacter', ai, position: at(loc, caret), message: `AI (${ai}) value contains "^", which is reserved for FNC1` };
  return null;
}

function lintError(ai: string, d: AiDefinition, linter: LinterName, f: LintFailure, component: string, offset: number, loc: ValueLocation): Gs1Error {
  const title = d.title === '' || d.title === 'UNKNOWN' ? '' : ` ${d.title}`;
  return {
    kind: 'lint',
    ai,
    linter,
    code: f.code,
    position: at(loc, offset + f.position),
    length: f.length,
    message: `AI (${ai})${title}: ${lintMessage(f.code, component, f.position, f.length)}`,
  };
}

/**
 * Validate `data` (the characters available for the value, up to the next FNC1 or the end)
 * component by component. Returns the number of characters the AI consumed, or an error.
 * For AIs of predefined length the consumed length may be shorter than `data`.
 */
export function validateAiValue(ai: string, d: AiDefinition, data: string, loc: ValueLocation): Gs1Error | number {
  if (data.length === 0) return { kind: 'syntax', rule: 'emptyValue', ai, position: at(loc, 0), message: `AI (${ai}) has no value` };
  let p = 0;
  for (const c of d.components) {
    const len = Math.min(c.max, data.length - p);
    if (c.optional && len === 0) continue;
    if (len < c.min) {
      return {
        kind: 'syntax',
        rule: 'valueTooShort',
        ai,
        position: at(loc, p),
        message: `AI (${ai}) has the wrong length: component at offset ${p} has ${len} characters, ${c.min === c.max ? `exactly ${c.min}` : `at least ${c.min}`} required`,
      };
    }
    const component = len === data.length ? data : data.slice(p, p + len);
    const cset = CSET_LINTER[c.cset];
    const f0 = cset.fn(component);
    if (f0) return lintError(ai, d, cset.name, f0, component, p, loc);
    for (const name of c.linters) {
      const f = linters[name](component);
      if (f) return lintError(ai, d, name, f, component, p, loc);
    }
    p += len;
  }
  return p;
}

/**
 * GS1 element strings: the human-readable bracketed form `(01)09520123456788(10)ABC` and the
 * raw (unbracketed) form in which FNC1 separates variable-length AIs, as carried by GS1-128,
 * GS1 DataMatrix, GS1 QR Code and GS1 DataBar. In raw data FNC1 is transmitted as GS (U+001D);
 * the GS1 conformance notation writes it `^`.
 */
import { err, ok, type Result } from '../result.ts';
import type { AiElement, LocatedAiElement } from './ai-element.ts';
import { checkAssociations } from './ai-associations.ts';
import { aiAt, aiLengthAt, resolveAi } from './ai-table.ts';
import { checkValueLength, validateAiValue } from './ai-value.ts';
import type { Gs1Error } from './gs1-error.ts';

/** The GS (group separator) character that scanners transmit for FNC1. */
export const GS = '\u001d';

/** Options shared by the element-string parsers. */
export interface AiParseOptions {
  /** Accept AIs missing from the Syntax Dictionary when their length follows from their prefix. Default false. */
  readonly permitUnknownAis?: boolean;
  /** Check the `req=`/`ex=`, repeated-AI and digital-signature rules across the message. Default true. */
  readonly checkAssociations?: boolean;
}

/** Options of the raw (unbracketed) parser. */
export interface RawParseOptions extends AiParseOptions {
  /** The character standing for FNC1: GS by default, `^` in the GS1 conformance notation. */
  readonly fnc1?: string;
  /** Require FNC1 in first position (true for the `^` notation, false for scanner output by default). */
  readonly requireLeadingFnc1?: boolean;
}

function finish(elements: LocatedAiElement[], opts: AiParseOptions): Result<readonly LocatedAiElement[], Gs1Error> {
  if (opts.checkAssociations !== false) {
    const e = checkAssociations(elements);
    if (e) return err(e);
  }
  return ok(elements);
}

/**
 * Parse a bracketed element string such as `(01)09520123456788(17)261231(10)ABC`.
 * A literal `(` inside a value is written `\(`. Every value is validated against the dictionary.
 */
export function parseBracketed(input: string, opts: AiParseOptions = {}): Result<readonly LocatedAiElement[], Gs1Error> {
  const permit = opts.permitUnknownAis === true;
  const elements: LocatedAiElement[] = [];
  const n = input.length;
  if (n === 0) return err({ kind: 'syntax', rule: 'empty', position: 0, message: 'element string is empty' });
  let p = 0;
  while (p < n) {
    if (input.charCodeAt(p) !== 40) {
      return err({ kind: 'syntax', rule: 'expectedAi', position: p, message: `expected "(" to start an AI at position ${p}, found ${JSON.stringify(input[p])}` });
    }
    const close = input.indexOf(')', p + 1);
    if (close < 0) return err({ kind: 'syntax', rule: 'unterminatedAi', position: p, message: `AI starting at position ${p} has no closing ")"` });
    const ai = input.slice(p + 1, close);
    if (ai.length < 2 || ai.length > 4) {
      return err({ kind: 'syntax', rule: 'aiLength', position: p + 1, message: `AI "${ai}" at position ${p + 1} must have 2 to 4 digits` });
    }
    const d = resolveAi(ai, permit);
    if (d === undefined) {
      return /^\d+$/.test(ai)
        ? err({ kind: 'unknownAi', ai, position: p + 1, message: `AI (${ai}) at position ${p + 1} is not in the GS1 Barcode Syntax Dictionary` })
        : err({ kind: 'syntax', rule: 'aiNotNumeric', position: p + 1, message: `AI "${ai}" at position ${p + 1} is not numeric` });
    }
    const valueStart = close + 1;
    let q = valueStart;
    let value = '';
    let escaped = false;
    for (;;) {
      const open = input.indexOf('(', q);
      const end = open < 0 ? n : open;
      if (open > 0 && input.charCodeAt(open - 1) === 92) {
        value += `${input.slice(q, open - 1)}(`;
        escaped = true;
        q = open + 1;
        continue;
      }
      value += input.slice(q, end);
      q = end;
      break;
    }
    const loc = { aiPosition: p + 1, valuePosition: escaped ? -1 : valueStart };
    const lengthError = checkValueLength(ai, d, value, loc);
    if (lengthError) return err(lengthError);
    const consumed = validateAiValue(ai, d, value, loc);
    if (typeof consumed !== 'number') return err(consumed);
    elements.push({ ai, value, position: p + 1, valuePosition: loc.valuePosition });
    p = q;
  }
  return finish(elements, opts);
}

/**
 * Parse a raw element string: AIs and values run together, with FNC1 (GS, or `opts.fnc1`)
 * after each variable-length value that is followed by another AI. A trailing FNC1 is tolerated.
 */
export function parseRaw(input: string, opts: RawParseOptions = {}): Result<readonly LocatedAiElement[], Gs1Error> {
  const fnc1 = (opts.fnc1 ?? GS).charCodeAt(0);
  const permit = opts.permitUnknownAis === true;
  const n = input.length;
  let p = 0;
  if (n > 0 && input.charCodeAt(0) === fnc1) p = 1;
  else if (opts.requireLeadingFnc1 === true) {
    return err({ kind: 'syntax', rule: 'missingFnc1', position: 0, message: 'element string must start with FNC1' });
  }
  if (p >= n) return err({ kind: 'syntax', rule: 'empty', position: p, message: 'element string has no AIs' });
  const elements: LocatedAiElement[] = [];
  while (p < n) {
    const found = aiAt(input, p, permit);
    if (found === undefined) {
      const len = aiLengthAt(input, p);
      return err({
        kind: 'unknownAi',
        ai: input.slice(p, p + (len === 0 ? 2 : len)),
        position: p,
        message: `no known AI at position ${p} ("${input.slice(p, p + 6)}${n - p > 6 ? '…' : ''}")`,
      });
    }
    const { ai, definition: d } = found;
    const valueStart = p + ai.length;
    let r = valueStart;
    while (r < n && input.charCodeAt(r) !== fnc1) r++;
    const loc = { aiPosition: p, valuePosition: valueStart };
    const consumed = validateAiValue(ai, d, input.slice(valueStart, r), loc);
    if (typeof consumed !== 'number') return err(consumed);
    const end = valueStart + consumed;
    if (d.fnc1Required && end !== r) {
      return err({ kind: 'syntax', rule: 'valueTooLong', ai, position: end, message: `AI (${ai}) value is too long: unexpected data at position ${end}` });
    }
    elements.push({ ai, value: input.slice(valueStart, end), position: p, valuePosition: valueStart });
    p = end;
    if (p < n && input.charCodeAt(p) === fnc1) p++;
  }
  return finish(elements, opts);
}

/**
 * Validate elements built in code (not parsed): every AI known (or permitted), every value valid,
 * and the association rules. Returns the first error, or null.
 */
export function validateElements(elements: readonly AiElement[], opts: AiParseOptions = {}): Gs1Error | null {
  const located: LocatedAiElement[] = [];
  for (let i = 0; i < elements.length; i++) {
    const { ai, value } = elements[i] as AiElement;
    const d = resolveAi(ai, opts.permitUnknownAis === true);
    if (d === undefined) return { kind: 'unknownAi', ai, position: i, message: `AI (${ai}) of element ${i} is not in the GS1 Barcode Syntax Dictionary` };
    const loc = { aiPosition: i, valuePosition: -1 };
    const e = checkValueLength(ai, d, value, loc);
    if (e) return e;
    const consumed = validateAiValue(ai, d, value, loc);
    if (typeof consumed !== 'number') return consumed;
    located.push({ ai, value, position: i, valuePosition: -1 });
  }
  return opts.checkAssociations === false ? null : checkAssociations(located);
}

/** Whether an FNC1 separator must follow AI `ai` when another AI comes after it. */
export function needsSeparatorAfter(ai: string): boolean {
  return resolveAi(ai, true)?.fnc1Required ?? true;
}

/** Format elements as a bracketed element string, escaping `(` in values as `\(`. */
export function formatBracketed(elements: readonly AiElement[]): string {
  let out = '';
  for (const e of elements) out += `(${e.ai})${e.value.includes('(') ? e.value.replace(/\(/g, '\\(') : e.value}`;
  return out;
}

/** Format elements as plain human-readable interpretation (HRI) text, e.g. `(01) 09520123456788 (10) ABC`. */
export function formatHri(elements: readonly AiElement[]): string {
  return elements.map((e) => `(${e.ai}) ${e.value}`).join(' ');
}

/**
 * Format elements as raw data: AIs and values concatenated, with `fnc1` (default GS) after each
 * variable-length value that is followed by another AI, and optionally in first position.
 */
export function formatRaw(elements: readonly AiElement[], fnc1: string = GS, leadingFnc1: boolean = false): string {
  let out = leadingFnc1 ? fnc1 : '';
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as AiElement;
    out += e.ai + e.value;
    if (i < elements.length - 1 && needsSeparatorAfter(e.ai)) out += fnc1;
  }
  return out;
}

/**
 * Organisation-specific batch (lot) codes. A scheme is a pattern of fields and literals, set per
 * organisation and product line, e.g. the default `{YYMMDD}-{LINE}-{SHIFT}-{SEQ:3}[-{VARIANT}]`
 * which formats `251215-CS-AM-001-F1`. Codes are always valid GS1 AI (10) values: characters of
 * set 82 and at most 20 characters; a pattern that could produce anything else is rejected.
 *
 * Fields: `{YYMMDD}`, `{YYYYMMDD}`, `{YYDDD}` (ordinal day), `{LINE}`, `{SHIFT}`, `{VARIANT}`
 * (upper-case letters and digits; `{LINE:2}` fixes the width, otherwise the value list or a
 * default maximum applies: 3 for LINE, 2 for SHIFT and VARIANT), `{SEQ:n}` (zero-padded, n digits) or `{SEQ}` (1-6 digits,
 * no leading zero). `[...]` marks one optional trailing group. Other characters are literals.
 */
import { err, ok, type Result } from '../result.ts';
import type { BatchCodeRule, Gs1Error } from './gs1-error.ts';
import { isCset82 } from './linters/charset.ts';

/** Names of the pattern fields. */
export type BatchFieldName = 'YYMMDD' | 'YYYYMMDD' | 'YYDDD' | 'LINE' | 'SHIFT' | 'VARIANT' | 'SEQ';

/** Configuration of a batch-code scheme for one organisation and product line. */
export interface BatchCodeConfig {
  readonly pattern: string;
  /** Allowed line codes; any upper-case code when omitted. */
  readonly lines?: readonly string[];
  /** Allowed shift codes; any upper-case code when omitted. */
  readonly shifts?: readonly string[];
  /** Allowed variant codes; any upper-case code when omitted. */
  readonly variants?: readonly string[];
}

/** The parts of a batch code. `date` is the calendar production date, `YYYY-MM-DD`. */
export interface BatchCodeParts {
  readonly date?: string;
  readonly line?: string;
  readonly shift?: string;
  readonly sequence?: number;
  readonly variant?: string;
}

/** The default scheme: `251215-CS-AM-001` or, with a variant, `251215-CS-AM-001-F1`. */
export const DEFAULT_BATCH_CODE_CONFIG: BatchCodeConfig = { pattern: '{YYMMDD}-{LINE}-{SHIFT}-{SEQ:3}[-{VARIANT}]' };

/** The longest AI (10) batch/lot value. */
export const MAX_BATCH_CODE_LENGTH = 20;

/** Maximum widths of code fields given neither a fixed width nor a list of values. */
const DEFAULT_CODE_WIDTH: Readonly<Record<'LINE' | 'SHIFT' | 'VARIANT', number>> = { LINE: 3, SHIFT: 2, VARIANT: 2 };

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'date'; readonly field: 'YYMMDD' | 'YYYYMMDD' | 'YYDDD'; readonly width: number }
  | { readonly kind: 'code'; readonly field: 'LINE' | 'SHIFT' | 'VARIANT'; readonly fixed: number | null; readonly values: readonly string[] | null }
  | { readonly kind: 'seq'; readonly width: number | null };

/** A validated, compiled batch-code scheme. */
export interface BatchCodeScheme {
  readonly config: BatchCodeConfig;
  readonly required: readonly Segment[];
  readonly optional: readonly Segment[];
  readonly maxLength: number;
}

function batchError(rule: BatchCodeRule, position: number, message: string, field?: string): Gs1Error {
  return field === undefined ? { kind: 'batchCode', rule, position, message } : { kind: 'batchCode', rule, position, message, field };
}

const CODE_RE = /^[A-Z0-9]+$/;
const FIELD_PART: Readonly<Record<'LINE' | 'SHIFT' | 'VARIANT', keyof BatchCodeParts>> = { LINE: 'line', SHIFT: 'shift', VARIANT: 'variant' };

function codeValues(config: BatchCodeConfig, field: 'LINE' | 'SHIFT' | 'VARIANT'): readonly string[] | undefined {
  return field === 'LINE' ? config.lines : field === 'SHIFT' ? config.shifts : config.variants;
}

function segmentMaxLength(s: Segment): number {
  switch (s.kind) {
    case 'literal':
      return s.text.length;
    case 'date':
      return s.width;
    case 'code':
      return s.fixed ?? (s.values === null ? DEFAULT_CODE_WIDTH[s.field] : Math.max(...s.values.map((v) => v.length)));
    case 'seq':
      return s.width ?? 6;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Validate a scheme configuration and compile it. Errors name the pattern position and the rule:
 * unknown or repeated fields, bad brackets, characters outside set 82, fields that cannot be told
 * apart, and patterns whose codes could exceed 20 characters.
 */
export function compileBatchCodeScheme(config: BatchCodeConfig): Result<BatchCodeScheme, Gs1Error> {
  const pattern = config.pattern;
  const required: Segment[] = [];
  const optional: Segment[] = [];
  let target = required;
  let inOptional = false;
  let sawOptional = false;
  const seen = new Set<string>();
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '[') {
      if (inOptional || sawOptional) return err(batchError('pattern', i, `only one optional group "[...]" is allowed (position ${i})`));
      inOptional = true;
      sawOptional = true;
      target = optional;
      i++;
      continue;
    }
    if (c === ']') {
      if (!inOptional) return err(batchError('pattern', i, `"]" at position ${i} closes no optional group`));
      if (i !== pattern.length - 1) return err(batchError('pattern', i, 'the optional group must end the pattern'));
      if (optional.length === 0) return err(batchError('pattern', i, 'the optional group is empty'));
      inOptional = false;
      i++;
      continue;
    }
    if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) return err(batchError('pattern', i, `field starting at position ${i} has no closing "}"`));
      const m = /^(YYMMDD|YYYYMMDD|YYDDD|LINE|SHIFT|VARIANT|SEQ)(?::(\d+))?$/.exec(pattern.slice(i + 1, close));
      if (!m) return err(batchError('field', i, `unknown field "${pattern.slice(i, close + 1)}" at position ${i}; use {YYMMDD}, {YYYYMMDD}, {YYDDD}, {LINE}, {SHIFT}, {VARIANT} or {SEQ:n}`));
      const name = m[1] as BatchFieldName;
      const width = m[2] === undefined ? null : Number(m[2]);
      const family = name === 'YYMMDD' || name === 'YYYYMMDD' || name === 'YYDDD' ? 'DATE' : name;
      if (seen.has(family)) return err(batchError('field', i, `field {${name}} at position ${i} repeats a field already in the pattern`, name));
      seen.add(family);
      if (family === 'DATE') {
        if (width !== null) return err(batchError('field', i, `date field {${name}} takes no width`, name));
        target.push({ kind: 'date', field: name as 'YYMMDD' | 'YYYYMMDD' | 'YYDDD', width: name === 'YYYYMMDD' ? 8 : name === 'YYMMDD' ? 6 : 5 });
      } else if (name === 'SEQ') {
        if (width !== null && (width < 1 || width > 9)) return err(batchError('field', i, `sequence width must be 1 to 9, got ${width}`, name));
        target.push({ kind: 'seq', width });
      } else {
        const field = name as 'LINE' | 'SHIFT' | 'VARIANT';
        const values = codeValues(config, field) ?? null;
        if (values !== null) {
          if (values.length === 0) return err(batchError('field', i, `the list of allowed ${field} codes is empty`, field));
          const bad = values.find((v) => !CODE_RE.test(v) || (width !== null && v.length !== width));
          if (bad !== undefined) return err(batchError('field', i, `allowed ${field} code "${bad}" must be upper-case letters and digits${width === null ? '' : ` of width ${width}`}`, field));
        }
        if (width !== null && (width < 1 || width > 10)) return err(batchError('field', i, `{${field}} width must be 1 to 10`, field));
        target.push({ kind: 'code', field, fixed: width, values });
      }
      i = close + 1;
      continue;
    }
    if (c === '}') return err(batchError('pattern', i, `"}" at position ${i} closes no field`));
    if (!isCset82(c)) return err(batchError('charset', i, `literal ${JSON.stringify(c)} at position ${i} is not allowed in a GS1 batch/lot number (character set 82)`));
    const last = target[target.length - 1];
    if (last !== undefined && last.kind === 'literal') target[target.length - 1] = { kind: 'literal', text: last.text + c };
    else target.push({ kind: 'literal', text: c });
    i++;
  }
  if (inOptional) return err(batchError('pattern', pattern.length, 'the optional group "[" is not closed'));
  if (required.length === 0) return err(batchError('pattern', 0, 'the pattern has no required part'));
  if (!required.some((s) => s.kind !== 'literal')) return err(batchError('pattern', 0, 'the pattern has no fields'));

  // A variable-width field must be followed by a literal (or end the code) so codes can be split.
  const all = [...required, ...optional];
  for (let k = 0; k < all.length; k++) {
    const s = all[k] as Segment;
    const variable = (s.kind === 'code' && s.fixed === null) || (s.kind === 'seq' && s.width === null);
    const next = all[k + 1];
    if (variable && next !== undefined && next.kind !== 'literal') {
      const name = s.kind === 'code' ? s.field : 'SEQ';
      return err(batchError('pattern', 0, `{${name}} has no fixed width, so it must be followed by a literal separator`, name));
    }
  }
  if (optional.length > 0 && optional[0]?.kind !== 'literal') {
    const lastRequired = required[required.length - 1] as Segment;
    const variable = (lastRequired.kind === 'code' && lastRequired.fixed === null) || (lastRequired.kind === 'seq' && lastRequired.width === null);
    if (variable) return err(batchError('pattern', 0, 'the optional group must start with a literal separator after a variable-width field'));
  }

  const maxLength = all.reduce((n, s) => n + segmentMaxLength(s), 0);
  if (maxLength > MAX_BATCH_CODE_LENGTH) {
    return err(batchError('length', 0, `codes of this pattern can be ${maxLength} characters long; GS1 AI (10) allows at most ${MAX_BATCH_CODE_LENGTH}`));
  }
  return ok({ config, required, optional, maxLength });
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Parse `YYYY-MM-DD` into numbers, or null. */
function isoDate(date: string): { readonly y: number; readonly m: number; readonly d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !isLeap(y) ? 28 : (DAYS[mo - 1] as number))) return null;
  return { y, m: mo, d };
}

function dayOfYear(y: number, m: number, d: number): number {
  let n = d;
  for (let k = 1; k < m; k++) n += k === 2 && !isLeap(y) ? 28 : (DAYS[k - 1] as number);
  return n;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Two-digit years are read as 2000-2099. */
function fullYear(yy: number): number {
  return 2000 + yy;
}

function formatSegment(s: Segment, parts: BatchCodeParts): Result<string, Gs1Error> {
  switch (s.kind) {
    case 'literal':
      return ok(s.text);
    case 'date': {
      if (parts.date === undefined) return err(batchError('value', 0, `the pattern needs a production date for {${s.field}}`, s.field));
      const d = isoDate(parts.date);
      if (d === null) return err(batchError('date', 0, `"${parts.date}" is not a calendar date YYYY-MM-DD`, s.field));
      if (s.field !== 'YYYYMMDD' && (d.y < 2000 || d.y > 2099)) return err(batchError('date', 0, `{${s.field}} can only express years 2000-2099, got ${d.y}`, s.field));
      if (s.field === 'YYYYMMDD') return ok(pad(d.y, 4) + pad(d.m, 2) + pad(d.d, 2));
      if (s.field === 'YYMMDD') return ok(pad(d.y % 100, 2) + pad(d.m, 2) + pad(d.d, 2));
      return ok(pad(d.y % 100, 2) + pad(dayOfYear(d.y, d.m, d.d), 3));
    }
    case 'seq': {
      const n = parts.sequence;
      const max = s.width === null ? 999999 : 10 ** s.width - 1;
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > max) {
        return err(batchError('value', 0, `sequence must be a whole number from 1 to ${max}, got ${String(n)}`, 'SEQ'));
      }
      return ok(s.width === null ? String(n) : pad(n, s.width));
    }
    case 'code': {
      const v = parts[FIELD_PART[s.field]];
      if (typeof v !== 'string' || v.length === 0) return err(batchError('value', 0, `the pattern needs a ${s.field.toLowerCase()} code`, s.field));
      const e = checkCode(s, v, 0);
      return e ? err(e) : ok(v);
    }
    default: {
      const never: never = s;
      return never;
    }
  }
}

function checkCode(s: Extract<Segment, { kind: 'code' }>, v: string, position: number): Gs1Error | null {
  if (!CODE_RE.test(v)) return batchError('value', position, `${s.field.toLowerCase()} code "${v}" must be upper-case letters and digits`, s.field);
  if (s.values !== null && !s.values.includes(v)) return batchError('value', position, `${s.field.toLowerCase()} code "${v}" is not one of ${s.values.join(', ')}`, s.field);
  const max = s.fixed ?? DEFAULT_CODE_WIDTH[s.field];
  if (s.values === null && (s.fixed !== null ? v.length !== s.fixed : v.length > max)) {
    return batchError('value', position, `${s.field.toLowerCase()} code "${v}" must have ${s.fixed !== null ? `exactly ${s.fixed}` : `at most ${max}`} characters`, s.field);
  }
  return null;
}

function isProvided(s: Segment, parts: BatchCodeParts): boolean {
  switch (s.kind) {
    case 'literal':
      return false;
    case 'date':
      return parts.date !== undefined;
    case 'seq':
      return parts.sequence !== undefined;
    case 'code':
      return parts[FIELD_PART[s.field]] !== undefined;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Format a batch code from its parts. The optional group is written when all of its fields
 * are given. The result is always a valid AI (10) value.
 * @example formatBatchCode(scheme, { date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' }) // ok('251215-CS-AM-001-F1')
 */
export function formatBatchCode(scheme: BatchCodeScheme, parts: BatchCodeParts): Result<string, Gs1Error> {
  let out = '';
  for (const s of scheme.required) {
    const r = formatSegment(s, parts);
    if (!r.ok) return r;
    out += r.value;
  }
  const optionalGiven = scheme.optional.some((s) => isProvided(s, parts));
  if (optionalGiven) {
    for (const s of scheme.optional) {
      const r = formatSegment(s, parts);
      if (!r.ok) return r;
      out += r.value;
    }
  }
  if (out.length > MAX_BATCH_CODE_LENGTH || !isCset82(out)) {
    return err(batchError('length', 0, `batch code "${out}" is not a valid AI (10) value (set 82, at most ${MAX_BATCH_CODE_LENGTH} characters)`));
  }
  return ok(out);
}

interface Cursor {
  pos: number;
  readonly parts: { date?: string; line?: string; shift?: string; sequence?: number; variant?: string };
}

function readDigits(code: string, at: number, n: number): string | null {
  const s = code.slice(at, at + n);
  return s.length === n && /^\d+$/.test(s) ? s : null;
}

/** Read one segment at the cursor; `next` is the following segment, used to find where a variable field ends. */
function readSegment(code: string, s: Segment, next: Segment | undefined, cur: Cursor): Gs1Error | null {
  const at = cur.pos;
  switch (s.kind) {
    case 'literal':
      if (!code.startsWith(s.text, at)) {
        return batchError('literal', at, `expected "${s.text}" at position ${at}, found ${at >= code.length ? 'the end of the code' : JSON.stringify(code.slice(at, at + s.text.length))}`);
      }
      cur.pos += s.text.length;
      return null;
    case 'date': {
      const digits = readDigits(code, at, s.width);
      if (digits === null) return batchError('date', at, `expected a ${s.width}-digit date {${s.field}} at position ${at}`, s.field);
      let y: number;
      let m: number;
      let d: number;
      if (s.field === 'YYDDD') {
        y = fullYear(Number(digits.slice(0, 2)));
        const doy = Number(digits.slice(2));
        const len = isLeap(y) ? 366 : 365;
        if (doy < 1 || doy > len) return batchError('date', at + 2, `day of year ${digits.slice(2)} at position ${at + 2} is not 001-${len}`, s.field);
        m = 1;
        let left = doy;
        while (left > (m === 2 && !isLeap(y) ? 28 : (DAYS[m - 1] as number))) {
          left -= m === 2 && !isLeap(y) ? 28 : (DAYS[m - 1] as number);
          m++;
        }
        d = left;
      } else {
        const yl = s.field === 'YYYYMMDD' ? 4 : 2;
        y = yl === 4 ? Number(digits.slice(0, 4)) : fullYear(Number(digits.slice(0, 2)));
        m = Number(digits.slice(yl, yl + 2));
        d = Number(digits.slice(yl + 2, yl + 4));
        if (m < 1 || m > 12) return batchError('date', at + yl, `month ${digits.slice(yl, yl + 2)} at position ${at + yl} is not 01-12`, s.field);
        const max = m === 2 && !isLeap(y) ? 28 : (DAYS[m - 1] as number);
        if (d < 1 || d > max) return batchError('date', at + yl + 2, `day ${digits.slice(yl + 2, yl + 4)} at position ${at + yl + 2} does not exist in ${pad(y, 4)}-${pad(m, 2)}`, s.field);
      }
      cur.parts.date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      cur.pos += s.width;
      return null;
    }
    case 'seq': {
      let digits: string | null;
      if (s.width !== null) digits = readDigits(code, at, s.width);
      else {
        const m = /^\d{1,6}/.exec(code.slice(at));
        digits = m ? m[0] : null;
      }
      if (digits === null) return batchError('value', at, `expected a ${s.width ?? '1-6'}-digit sequence number at position ${at}`, 'SEQ');
      const n = Number(digits);
      if (n === 0) return batchError('value', at, `sequence number at position ${at} must not be zero`, 'SEQ');
      if (s.width === null && digits.startsWith('0')) return batchError('value', at, `sequence number at position ${at} must not have a leading zero`, 'SEQ');
      cur.parts.sequence = n;
      cur.pos += digits.length;
      return null;
    }
    case 'code': {
      let v: string;
      if (s.fixed !== null) v = code.slice(at, at + s.fixed);
      else if (s.values !== null) {
        const sorted = [...s.values].sort((a, b) => b.length - a.length);
        v = sorted.find((x) => code.startsWith(x, at) && (next?.kind !== 'literal' || code.startsWith(next.text, at + x.length) || at + x.length === code.length)) ?? '';
        if (v === '') {
          const end = next?.kind === 'literal' ? code.indexOf(next.text, at) : -1;
          v = code.slice(at, end < 0 ? code.length : end);
        }
      } else {
        const end = next?.kind === 'literal' ? code.indexOf(next.text, at) : -1;
        v = code.slice(at, end < 0 ? code.length : end);
      }
      if (v.length === 0) return batchError('value', at, `expected a ${s.field.toLowerCase()} code at position ${at}`, s.field);
      const e = checkCode(s, v, at);
      if (e) return e;
      cur.parts[FIELD_PART[s.field] as 'line' | 'shift' | 'variant'] = v;
      cur.pos += v.length;
      return null;
    }
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Parse a batch code back into its parts, with an error naming the position and the rule broken.
 * @example parseBatchCode(scheme, '251215-CS-AM-001-F1') // ok({ date: '2025-12-15', line: 'CS', shift: 'AM', sequence: 1, variant: 'F1' })
 */
export function parseBatchCode(scheme: BatchCodeScheme, code: string): Result<BatchCodeParts, Gs1Error> {
  if (code.length > MAX_BATCH_CODE_LENGTH) return err(batchError('length', MAX_BATCH_CODE_LENGTH, `batch code has ${code.length} characters; at most ${MAX_BATCH_CODE_LENGTH} are allowed`));
  if (!isCset82(code)) {
    const at = [...code].findIndex((c) => !isCset82(c));
    return err(batchError('charset', at, `character ${JSON.stringify(code[at])} at position ${at} is not allowed in a batch/lot number`));
  }
  const cur: Cursor = { pos: 0, parts: {} };
  const all = [...scheme.required, ...scheme.optional];
  for (let k = 0; k < scheme.required.length; k++) {
    const e = readSegment(code, scheme.required[k] as Segment, all[k + 1], cur);
    if (e) return err(e);
  }
  if (cur.pos < code.length && scheme.optional.length > 0) {
    for (let k = 0; k < scheme.optional.length; k++) {
      const idx = scheme.required.length + k;
      const e = readSegment(code, scheme.optional[k] as Segment, all[idx + 1], cur);
      if (e) return err(e);
    }
  }
  if (cur.pos < code.length) return err(batchError('literal', cur.pos, `unexpected ${JSON.stringify(code.slice(cur.pos))} at position ${cur.pos} after the end of the pattern`));
  return ok(cur.parts);
}

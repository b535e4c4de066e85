/**
 * Runtime lookups over the generated AI dictionary: exact AI lookup, AI at the start of raw
 * data, and the lengths implied by the first two digits of an AI (GS1 General Specifications
 * 3.2: all AIs sharing their first two digits have the same length; some two-digit prefixes
 * have a predefined value length and need no FNC1 separator).
 */
import type { AiDefinition } from './ai-definition.ts';
import { AI_DEFINITIONS } from './ai-dictionary.generated.ts';

const byAi = new Map<string, AiDefinition>();
/** AI length (2-4) by two-digit prefix 00-99, 0 when no AI uses the prefix. */
const aiLengthByPrefix = new Uint8Array(100);

for (const d of AI_DEFINITIONS) {
  byAi.set(d.ai, d);
  const prefix = Number(d.ai.slice(0, 2));
  const previous = aiLengthByPrefix[prefix] as number;
  if (previous !== 0 && previous !== d.ai.length) throw new Error(`AI table is inconsistent: AIs starting ${d.ai.slice(0, 2)} have different lengths`);
  aiLengthByPrefix[prefix] = d.ai.length;
}

/**
 * Value lengths predefined by the two-digit AI prefix (GS1 General Specifications figure
 * 7.8.5-2), used only for AIs missing from the dictionary; 0 means variable length.
 */
const PREDEFINED_VALUE_LENGTH: Readonly<Record<string, number>> = {
  '00': 18, '01': 14, '02': 14, '03': 14, '04': 16,
  '11': 6, '12': 6, '13': 6, '14': 6, '15': 6, '16': 6, '17': 6, '18': 6, '19': 6, '20': 2,
  '31': 6, '32': 6, '33': 6, '34': 6, '35': 6, '36': 6, '41': 13,
};

/** A placeholder definition for AIs missing from the dictionary: set 82, fixed or up to 90 characters. */
function placeholder(fixed: number): AiDefinition {
  return {
    ai: '',
    title: 'UNKNOWN',
    fnc1Required: fixed === 0,
    dlDataAttribute: false,
    components: [{ cset: 'X', min: fixed === 0 ? 1 : fixed, max: fixed === 0 ? 90 : fixed, optional: false, linters: [] }],
    requires: [],
    excludes: [],
    dlPrimaryKey: null,
  };
}

/** Placeholders by predefined value length (0 = variable), built once. */
const UNKNOWN_BY_FIXED_LENGTH: ReadonlyMap<number, AiDefinition> = new Map([0, ...Object.values(PREDEFINED_VALUE_LENGTH)].map((n) => [n, placeholder(n)]));

/** The placeholder definition for an AI missing from the dictionary, by its prefix's predefined length. */
function unknownDefinition(ai: string): AiDefinition {
  return UNKNOWN_BY_FIXED_LENGTH.get(PREDEFINED_VALUE_LENGTH[ai.slice(0, 2)] ?? 0) as AiDefinition;
}

/** Whether `d` is a placeholder for an AI that is not in the dictionary. */
export function isUnknownAi(d: AiDefinition): boolean {
  return d.ai === '';
}

/** All AI definitions, in lexical order. */
export function allAiDefinitions(): readonly AiDefinition[] {
  return AI_DEFINITIONS;
}

/** The definition of exactly `ai`, or undefined when it is not in the dictionary. */
export function aiDefinition(ai: string): AiDefinition | undefined {
  return byAi.get(ai);
}

function digits(s: string, from: number, to: number): boolean {
  if (to > s.length) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** AI length implied by the two digits at `s[at]`, or 0 when unknown. */
export function aiLengthAt(s: string, at: number): number {
  if (!digits(s, at, at + 2)) return 0;
  return aiLengthByPrefix[(s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48)] as number;
}

/**
 * Definition for a complete AI such as `01` or `3103`. With `permitUnknown`, AIs absent from the
 * dictionary are accepted as "unknown" when their length agrees with their prefix and they are
 * not a prefix of (or prefixed by) a known AI; without it they are rejected.
 */
export function resolveAi(ai: string, permitUnknown: boolean): AiDefinition | undefined {
  const known = byAi.get(ai);
  if (known !== undefined) return known;
  if (!permitUnknown || ai.length < 2 || ai.length > 4 || !digits(ai, 0, ai.length)) return undefined;
  for (let len = 2; len <= 4; len++) {
    if (len < ai.length && byAi.has(ai.slice(0, len))) return undefined;
  }
  const byPrefix = aiLengthAt(ai, 0);
  if (byPrefix !== 0 && byPrefix !== ai.length) return undefined;
  if (byPrefix === 0) {
    // No AI uses this prefix: refuse AIs that would be a prefix of a known AI.
    for (const d of AI_DEFINITIONS) if (d.ai.startsWith(ai)) return undefined;
  }
  return unknownDefinition(ai);
}

/**
 * The AI at `s[at]` in raw (unbracketed) data: its definition and the AI string, or undefined.
 * Unknown AIs are only accepted with `permitUnknown` and when their length is implied by their
 * prefix, since otherwise AI and value cannot be told apart.
 */
export function aiAt(s: string, at: number, permitUnknown: boolean): { readonly ai: string; readonly definition: AiDefinition } | undefined {
  const len = aiLengthAt(s, at);
  if (len === 0 || !digits(s, at, at + len)) return undefined;
  const ai = s.slice(at, at + len);
  const d = byAi.get(ai);
  if (d !== undefined) return { ai, definition: d };
  return permitUnknown ? { ai, definition: unknownDefinition(ai) } : undefined;
}

/** Minimum total value length (mandatory components only). */
export function minValueLength(d: AiDefinition): number {
  let n = 0;
  for (const c of d.components) if (!c.optional) n += c.min;
  return n;
}

/** Maximum total value length. */
export function maxValueLength(d: AiDefinition): number {
  let n = 0;
  for (const c of d.components) n += c.max;
  return n;
}

/**
 * Whether `ai` matches an AI pattern of the dictionary such as `01`, `310n` or `35nn`
 * (digits then `n` wildcards, same length).
 */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charCodeAt(i);
    if (p !== 110 && p !== ai.charCodeAt(i)) return false;
  }
  return true;
}

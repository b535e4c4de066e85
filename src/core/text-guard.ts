/**
 * Checks that JSON input can be stored: PostgreSQL text and jsonb refuse the NUL character and
 * unpaired UTF-16 surrogates, and deeply nested values exhaust recursive code. Each problem is
 * reported with a JSON pointer, so the caller answers 400 instead of failing in the database.
 */
import type { ErrorDetail } from './errors.ts';

/** The deepest nesting of arrays and objects accepted in any input. */
export const MAX_JSON_DEPTH = 64;

const SUSPECT_ESCAPE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

/** Whether raw JSON text may contain an escaped NUL or surrogate (a cheap test before walking the value). */
export function mayHoldUnstorableText(jsonText: string): boolean {
  return SUSPECT_ESCAPE.test(jsonText);
}

/** Whether a string holds a NUL or an unpaired surrogate. */
export function isUnstorableString(s: string): boolean {
  return s.includes('\u0000') || !s.isWellFormed();
}

/** Every NUL, unpaired surrogate and too-deep nesting in `value`, with JSON pointers under `base`. */
export function unstorableParts(value: unknown, base = '', limit = 20): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const stack: { v: unknown; p: string; depth: number }[] = [{ v: value, p: base, depth: 0 }];
  while (stack.length > 0 && out.length < limit) {
    const { v, p, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnstorableString(v)) out.push({ pointer: p, message: 'text must not contain NUL characters or unpaired UTF-16 surrogates', rule: 'unstorableText' });
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) {
        out.push({ pointer: p, message: `values may be nested at most ${MAX_JSON_DEPTH} levels deep`, rule: 'maxDepth' });
        continue;
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], p: `${p}/${i}`, depth: depth + 1 });
      } else {
        for (const [k, child] of Object.entries(v)) {
          const key = escapePointer(k);
          if (isUnstorableString(k)) out.push({ pointer: `${p}/${key.toWellFormed().replaceAll('\u0000', '\\u0000')}`, message: 'field names must not contain NUL characters or unpaired UTF-16 surrogates', rule: 'unstorableText' });
          stack.push({ v: child, p: `${p}/${key}`, depth: depth + 1 });
        }
      }
    }
  }
  return out.map((d) => ({ ...d, pointer: safeText(d.pointer) }));
}

/** `s` made storable: unpaired surrogates become U+FFFD and NUL becomes the visible escape `\u0000`. */
export function safeText(s: string): string {
  return s.toWellFormed().replaceAll('\u0000', '\\u0000');
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * AI association rules over a whole message (all carriers on one item): invalid pairings
 * (`ex=`), mandatory associations (`req=`), repeated AIs with differing values, and the
 * digital-signature rule that (253), (255) and (8003) must then carry their serial component.
 */
import type { AiElement } from './ai-element.ts';
import { aiMatchesPattern, minValueLength, resolveAi } from './ai-table.ts';
import type { Gs1Error } from './gs1-error.ts';

/** An element with its position, as needed for error reporting. */
interface Positioned extends AiElement {
  readonly position?: number;
}

function positionOf(e: Positioned): number {
  return e.position ?? 0;
}

/** The first element other than AI `self` that matches `pattern`. */
function findMatch(elements: readonly Positioned[], pattern: string, self: string): Positioned | undefined {
  for (const e of elements) if (e.ai !== self && aiMatchesPattern(e.ai, pattern)) return e;
  return undefined;
}

/** `ex=`: no element may be paired with an AI its definition excludes. */
export function checkMutuallyExclusive(elements: readonly Positioned[]): Gs1Error | null {
  for (const e of elements) {
    const d = resolveAi(e.ai, true);
    if (d === undefined || d.excludes.length === 0) continue;
    for (const pattern of d.excludes) {
      const other = findMatch(elements, pattern, e.ai);
      if (other !== undefined) {
        return {
          kind: 'association',
          rule: 'mutex',
          ai: e.ai,
          related: other.ai,
          position: positionOf(other),
          message: `AI (${e.ai}) must not be used together with AI (${other.ai})`,
        };
      }
    }
  }
  return null;
}

function describeRequirement(alternatives: readonly (readonly string[])[]): string {
  const parts = alternatives.map((alt) => alt.map((p) => `(${p})`).join(' with '));
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1] as string}`;
}

/** `req=`: every element's mandatory associations are satisfied by other elements. */
export function checkRequisites(elements: readonly Positioned[]): Gs1Error | null {
  for (const e of elements) {
    const d = resolveAi(e.ai, true);
    if (d === undefined || d.requires.length === 0) continue;
    for (const req of d.requires) {
      const satisfied = req.some((alt) => alt.every((pattern) => findMatch(elements, pattern, e.ai) !== undefined));
      if (!satisfied) {
        const wanted = describeRequirement(req);
        return {
          kind: 'association',
          rule: 'requisite',
          ai: e.ai,
          related: req.map((alt) => alt.join('+')).join(','),
          position: positionOf(e),
          message: `AI (${e.ai}) requires ${wanted} in the same message`,
        };
      }
    }
  }
  return null;
}

/** Repeated AIs (from several carriers on one label) must carry the same value. */
export function checkRepeats(elements: readonly Positioned[]): Gs1Error | null {
  for (let i = 1; i < elements.length; i++) {
    const e = elements[i] as Positioned;
    for (let j = 0; j < i; j++) {
      const f = elements[j] as Positioned;
      if (f.ai === e.ai && f.value !== e.value) {
        return {
          kind: 'association',
          rule: 'repeat',
          ai: e.ai,
          related: e.ai,
          position: positionOf(e),
          message: `AI (${e.ai}) occurs twice with different values "${f.value}" and "${e.value}"`,
        };
      }
    }
  }
  return null;
}

const SERIALISABLE_WITH_DIGSIG = ['253', '255', '8003'] as const;

/** With a digital signature (8030), the keys (253), (255) and (8003) must include their serial component. */
export function checkDigitalSignatureSerial(elements: readonly Positioned[]): Gs1Error | null {
  if (!elements.some((e) => e.ai === '8030')) return null;
  for (const e of elements) {
    if (!(SERIALISABLE_WITH_DIGSIG as readonly string[]).includes(e.ai)) continue;
    const d = resolveAi(e.ai, false);
    if (d !== undefined && e.value.length === minValueLength(d)) {
      return {
        kind: 'association',
        rule: 'digsigSerial',
        ai: e.ai,
        related: '8030',
        position: positionOf(e),
        message: `AI (${e.ai}) must include its serial component when a digital signature (8030) is present`,
      };
    }
  }
  return null;
}

/** All association rules, in the order of the GS1 Syntax Engine; the first violation is returned. */
export function checkAssociations(elements: readonly Positioned[]): Gs1Error | null {
  return checkMutuallyExclusive(elements) ?? checkRequisites(elements) ?? checkRepeats(elements) ?? checkDigitalSignatureSerial(elements);
}

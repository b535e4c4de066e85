/**
 * The shape of one Application Identifier as described by the GS1 Barcode Syntax
 * Dictionary. The table itself is generated into `ai-dictionary.generated.ts`.
 */
import type { LinterName } from './linters/linter-registry.ts';

/** Component character sets: N numeric, X set 82, Y set 39, Z set 64 (base64url). */
export type CharacterSet = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI value, e.g. `N13,csum,gcppos1` or `[X..17]`. */
export interface AiComponent {
  readonly cset: CharacterSet;
  readonly min: number;
  readonly max: number;
  /** Optional components (`[...]`) may be absent once the data is exhausted. */
  readonly optional: boolean;
  /** Syntax tests applied after the character-set test, in order. */
  readonly linters: readonly LinterName[];
}

/** One AI, with its format, association rules and Digital Link role. */
export interface AiDefinition {
  readonly ai: string;
  readonly title: string;
  /** False for AIs of predefined length (`*` flag), which need no FNC1 separator after them. */
  readonly fnc1Required: boolean;
  /** Whether the AI may be a GS1 Digital Link data attribute (`?` flag). */
  readonly dlDataAttribute: boolean;
  readonly components: readonly AiComponent[];
  /**
   * Mandatory associations: every entry is one `req=` attribute, satisfied when any of its
   * alternatives is; an alternative lists AI patterns (e.g. `31nn`) that must all be present.
   */
  readonly requires: readonly (readonly (readonly string[])[])[];
  /** Invalid pairings: AI patterns that must not occur together with this AI. */
  readonly excludes: readonly string[];
  /**
   * Digital Link primary-key role: `null` when the AI is not a primary key; otherwise the
   * alternative ordered sequences of optional key qualifiers (`[[]]` when none are accepted).
   */
  readonly dlPrimaryKey: readonly (readonly string[])[] | null;
}

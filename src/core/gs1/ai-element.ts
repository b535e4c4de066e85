/**
 * An Application Identifier with its value, the unit of GS1 element strings, Digital Link
 * URIs and scan data.
 */

/** One AI element, e.g. `{ ai: '01', value: '09520123456788' }`. */
export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

/** An element located in its source text, for error positions. */
export interface LocatedAiElement extends AiElement {
  /** Index of the AI's first character in the input. */
  readonly position: number;
  /** Index of the value's first character in the input, or -1 when the value was decoded (percent-escapes). */
  readonly valuePosition: number;
}

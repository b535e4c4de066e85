/**
 * What a container (case, pallet) held at a moment, from the packing links of the trace graph
 * (docs/trace.md): lots carried into it, child containers packed into it (their contents count),
 * minus what was unpacked, and nothing from before a full unpack.
 */
import type { LotQuantity } from './fsma204-rows.ts';

/** A packing link as `trace_links` stores it. */
export interface PackingLink {
  /** A lot (carries / unpacked), a child container (packed / unpacked), or `*` (everything unpacked). */
  readonly src: string;
  /** The container. */
  readonly dst: string;
  readonly link: 'carries' | 'packed' | 'unpacked';
  readonly qty: number | null;
  readonly uom: string | null;
  readonly timeMs: number;
}

/** Nested containers deeper than this (case in pallet in container in…) are not followed. */
const MAX_DEPTH = 4;

/** The contents of containers, as `Fsma204Lookups.contents` asks for them. */
export interface ContainerContents {
  contents(container: string, timeMs: number): LotQuantity[];
}

/**
 * Index packing links by container.
 *
 * @example createContainerContents(links).contents('https://id.gs1.org/00/069012340000000016', Date.parse('2025-09-05T01:00:00Z'))
 */
export function createContainerContents(links: readonly PackingLink[]): ContainerContents {
  const byContainer = new Map<string, PackingLink[]>();
  for (const l of links) {
    let list = byContainer.get(l.dst);
    if (!list) byContainer.set(l.dst, (list = []));
    list.push(l);
  }
  for (const list of byContainer.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  type Sums = Map<string, { lot: string; quantity: number | null; uom: string | null }>;
  const add = (out: Sums, lot: string, quantity: number | null, uom: string | null): void => {
    const key = `${lot}\u0000${uom ?? ''}`;
    const have = out.get(key);
    if (!have) out.set(key, { lot, quantity, uom });
    else have.quantity = have.quantity === null || quantity === null ? null : have.quantity + quantity;
  };
  const walk = (container: string, timeMs: number, depth: number, seen: Set<string>, out: Sums): void => {
    if (depth > MAX_DEPTH || seen.has(container)) return;
    seen.add(container);
    let lots: Sums = new Map();
    let children = new Set<string>();
    for (const l of byContainer.get(container) ?? []) {
      if (l.timeMs > timeMs) break;
      if (l.link === 'carries') add(lots, l.src, l.qty, l.uom);
      else if (l.link === 'packed') children.add(l.src);
      else if (l.src === '*') {
        // Emptied: only what is packed afterwards counts.
        lots = new Map();
        children = new Set();
      } else if (children.has(l.src)) children.delete(l.src);
      else add(lots, l.src, l.qty === null ? null : -l.qty, l.uom);
    }
    for (const q of lots.values()) add(out, q.lot, q.quantity, q.uom);
    for (const child of children) walk(child, timeMs, depth + 1, seen, out);
  };
  return {
    contents(container, timeMs) {
      const out: Sums = new Map();
      walk(container, timeMs, 0, new Set(), out);
      return [...out.values()].filter((q) => q.quantity === null || q.quantity > 0);
    },
  };
}

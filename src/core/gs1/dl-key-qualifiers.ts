/**
 * GS1 Digital Link primary keys and their key-qualifier paths, from the `dlpkey` attributes
 * of the Syntax Dictionary. A path is valid when it is the primary key followed by an
 * order-preserving selection of one of the key's qualifier sequences, e.g. for GTIN
 * `/01/…/22/…/10/…/21/…`, `/01/…/21/…` or `/01/…/235/…`, but not `/01/…/21/…/10/…`.
 */
import { allAiDefinitions } from './ai-table.ts';

const valid = new Set<string>();
const candidatesByKey = new Map<string, (readonly string[])[]>();
const qualifiersByKey = new Map<string, ReadonlySet<string>>();

for (const d of allAiDefinitions()) {
  if (d.dlPrimaryKey === null) continue;
  const seqs: string[][] = [];
  for (const qualifiers of d.dlPrimaryKey) {
    // Every subset of the qualifiers, keeping their order.
    const subsets: string[][] = [[]];
    for (const q of qualifiers) {
      const n = subsets.length;
      for (let i = 0; i < n; i++) subsets.push([...(subsets[i] as string[]), q]);
    }
    for (const s of subsets) {
      const seq = [d.ai, ...s];
      const key = seq.join(' ');
      if (!valid.has(key)) {
        valid.add(key);
        seqs.push(seq);
      }
    }
  }
  seqs.sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1));
  candidatesByKey.set(d.ai, seqs);
  qualifiersByKey.set(d.ai, new Set(d.dlPrimaryKey.flat()));
}

/** Whether `ai` can be the primary key of a Digital Link URI. */
export function isDlPrimaryKey(ai: string): boolean {
  return candidatesByKey.has(ai);
}

/** Whether the AIs, in order, form a valid Digital Link path (primary key then qualifiers). */
export function isValidDlPath(ais: readonly string[]): boolean {
  return valid.has(ais.join(' '));
}

/** Whether `ai` is a key qualifier of primary key `key` in any of its qualifier sequences. */
export function isDlQualifierOf(key: string, ai: string): boolean {
  return qualifiersByKey.get(key)?.has(ai) === true;
}

/** All valid paths starting with primary key `key`, in lexical order of their AIs. */
export function dlPathCandidates(key: string): readonly (readonly string[])[] {
  return candidatesByKey.get(key) ?? [];
}

const alternativesByKey = new Map<string, readonly (readonly string[])[]>();
for (const d of allAiDefinitions()) if (d.dlPrimaryKey !== null) alternativesByKey.set(d.ai, d.dlPrimaryKey);

/**
 * Choose the Digital Link path for a set of elements: the first primary-key AI, and of its valid
 * paths the one matching most of the elements (the first such path in lexical order on ties),
 * as the GS1 Syntax Engine does. Returns null when no element is a primary key.
 */
export function selectDlPath(elements: readonly { readonly ai: string }[]): readonly string[] | null {
  let key: string | undefined;
  for (const e of elements) {
    if (alternativesByKey.has(e.ai)) {
      key = e.ai;
      break;
    }
  }
  if (key === undefined) return null;
  // The best path of each qualifier alternative keeps every qualifier present in the elements.
  let best: readonly string[] = [key];
  let bestCount = 0;
  for (const alternative of alternativesByKey.get(key) as readonly (readonly string[])[]) {
    let count = 0;
    for (const q of alternative) for (const e of elements) if (e.ai === q) count++;
    if (count === 0 || count < bestCount) continue;
    const seq = [key];
    for (const q of alternative) if (elements.some((e) => e.ai === q)) seq.push(q);
    if (count > bestCount || seq.join(' ') < best.join(' ')) {
      best = seq;
      bestCount = count;
    }
  }
  return best;
}

/**
 * `GET /api/pos/check`: may this pack (or case, or pallet) be sold or shipped? Answered from the
 * in-memory block index (block-cache.ts): no database work unless the index is due for revalidation
 * or the code is a container not seen since the last recorded event. Unknown goods are sellable:
 * a till must never block what no recall names. Drills inform and never block.
 */
import { type BlockIndex, type Hold, heldLotsOfUnit, holdsOf, holdsOfAll, holdsOfLot, lotOfHold } from './block-index.ts';
import type { BlockCache } from './block-cache.ts';
import type { ContainerContents } from './block-index.repository.ts';
import { type PosCode, type PosCodeQuery, readPosCode } from './pos-code.ts';
import { type PosLang, type PosMatch, instructionText, reasonText } from './pos-text.ts';

/** The answer of a check. */
export interface PosAnswer {
  readonly sellable: boolean;
  readonly shippable: boolean;
  readonly reason: string;
  readonly caseId: string | null;
  readonly caseNumber: string | null;
  readonly instruction: string | null;
  /** True when only a drill's hold matched: informational, nothing is blocked. */
  readonly drill: boolean;
  /** What matched: the code's lot, its unit serial range, a container's contents, its product, a bare batch code, or nothing. */
  readonly match: PosMatch;
  /** The code as sent. */
  readonly code: string;
  /** The lot the code names, or the held lot it was matched to; null when neither is known. */
  readonly lot: { readonly gtin: string | null; readonly lot: string | null } | null;
  readonly checkedAt: string;
  /** The hold revision the answer is based on. */
  readonly revision: number;
  readonly lang: PosLang;
}

const EMPTY: readonly Hold[] = [];

/** The holds matching a code that needs no database work, or null for a container. */
function directHolds(index: BlockIndex, code: PosCode): { holds: readonly Hold[]; match: PosMatch } | null {
  switch (code.kind) {
    case 'lot':
      return { holds: holdsOfLot(index, code.gtin, code.lot), match: 'lot' };
    case 'unit': {
      // The printed lot and the lot its serial was commissioned into: either held blocks the pack.
      const nodes = heldLotsOfUnit(index, code.series, code.n);
      const printed = code.lot === null ? EMPTY : holdsOfLot(index, code.gtin, code.lot);
      const own = holdsOf(index, code.node);
      if (nodes.length === 0 && own.length === 0) return { holds: printed, match: 'lot' };
      return { holds: holdsOfAll(index, [...nodes, ...printed.map((h) => h.node), code.node]), match: printed.length > 0 ? 'lot' : 'unit' };
    }
    case 'product':
      return { holds: index.byGtin.get(code.gtin) ?? EMPTY, match: 'product' };
    case 'batchCode': {
      const byLot = index.byLotNumber.get(code.lot) ?? EMPTY;
      if (byLot.length > 0 || code.node === null) return { holds: byLot, match: 'batchCode' };
      return null;
    }
    case 'container':
      return null;
    default: {
      const never: never = code;
      return never;
    }
  }
}


function containerHolds(index: BlockIndex, node: string, contents: ContainerContents): readonly Hold[] {
  const nodes = [node, ...contents.lots];
  for (const u of contents.units) nodes.push(...heldLotsOfUnit(index, u.series, u.n));
  return holdsOfAll(index, nodes);
}

function answer(index: BlockIndex, code: PosCode, raw: string, holds: readonly Hold[], match: PosMatch, lang: PosLang, now: Date): PosAnswer {
  const hold = holds[0] ?? null;
  const base = { code: raw, checkedAt: now.toISOString(), revision: index.head.revision, lang };
  const ownLot = code.kind === 'lot' ? { gtin: code.gtin, lot: code.lot } : code.kind === 'unit' && code.lot !== null ? { gtin: code.gtin, lot: code.lot } : null;
  if (hold === null) {
    return { sellable: true, shippable: true, reason: reasonText('none', null, lang), caseId: null, caseNumber: null, instruction: null, drill: false, match: 'none', lot: ownLot, ...base };
  }
  const blocked = !hold.case.drill;
  return {
    sellable: !blocked,
    shippable: !blocked,
    reason: reasonText(match, hold, lang),
    caseId: hold.case.caseId,
    caseNumber: hold.case.caseNumber,
    instruction: instructionText(hold.case, lang),
    drill: !blocked,
    match,
    lot: match === 'product' ? null : (ownLot ?? lotOfHold(hold)),
    ...base,
  };
}

/**
 * Check a code against the organisation's holds. Synchronous when the index is fresh and the code
 * needs no container lookup (the usual case at a till); a promise otherwise.
 * @throws DomainError (400, pointer `/query/code`, `/query/gtin` or `/query/lot`) when the code cannot be read
 */
export function checkCode(cache: BlockCache, orgId: string, q: PosCodeQuery, lang: PosLang, now: Date): PosAnswer | Promise<PosAnswer> {
  const code = readPosCode(q);
  const raw = q.code ?? [q.gtin, q.lot].filter((x) => x !== undefined && x !== '').join(' ');
  const index = cache.index(orgId);
  return index instanceof Promise ? index.then((i) => checkWith(cache, i, code, raw, lang, now)) : checkWith(cache, index, code, raw, lang, now);
}

function checkWith(cache: BlockCache, index: BlockIndex, code: PosCode, raw: string, lang: PosLang, now: Date): PosAnswer | Promise<PosAnswer> {
  const direct = directHolds(index, code);
  if (direct !== null) return answer(index, code, raw, direct.holds, direct.match, lang, now);
  const node = code.kind === 'container' || code.kind === 'batchCode' ? (code.node as string) : '';
  // Without any hold nothing can be blocked: no need to know what the container holds.
  if (index.holds.length === 0) return answer(index, code, raw, EMPTY, 'none', lang, now);
  const contents = cache.contents(index, node, now);
  return contents instanceof Promise
    ? contents.then((c) => answer(index, code, raw, containerHolds(index, node, c), 'container', lang, now))
    : answer(index, code, raw, containerHolds(index, node, contents), 'container', lang, now);
}

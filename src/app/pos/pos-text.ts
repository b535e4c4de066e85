/**
 * What a POS answer says to the person at the till or the dock, in Chinese and English: the reason
 * for the verdict and the instruction (the case's own, else a default per language).
 */
import type { Hold, HoldCase } from './block-index.ts';
import { lotOfHold } from './block-index.ts';

/** The languages of POS answers and block lists. */
export type PosLang = 'zh-CN' | 'en';

/** What matched a code, which decides the wording of the reason. */
export type PosMatch = 'lot' | 'unit' | 'container' | 'product' | 'batchCode' | 'none';

/**
 * The answer's language: `lang` when given, else the caller's first Accept-Language preference
 * (zh… → zh-CN, en… → en), else zh-CN.
 */
export function posLang(lang: string | undefined, acceptLanguage: string | undefined): PosLang {
  if (lang === 'zh-CN' || lang === 'en') return lang;
  if (!acceptLanguage) return 'zh-CN';
  let best = '';
  let bestQ = -1;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.trim().slice(2));
    if (Number.isFinite(q) && q > bestQ && (tag.startsWith('zh') || tag.startsWith('en'))) {
      best = tag;
      bestQ = q;
    }
  }
  return best.startsWith('en') ? 'en' : 'zh-CN';
}

const HAZARDS: Readonly<Record<string, { readonly 'zh-CN': string; readonly en: string }>> = {
  microbial: { 'zh-CN': '微生物污染', en: 'microbial contamination' },
  foreign_matter: { 'zh-CN': '异物', en: 'foreign matter' },
  allergen: { 'zh-CN': '未标示的过敏原', en: 'undeclared allergen' },
  packaging_seal: { 'zh-CN': '包装密封缺陷', en: 'packaging seal defect' },
  chemical: { 'zh-CN': '化学污染', en: 'chemical contamination' },
  quality: { 'zh-CN': '质量问题', en: 'quality defect' },
};

/** The hazard in words (a free-text hazard is shown as given). */
export function hazardText(hazard: string | null, lang: PosLang): string | null {
  if (hazard === null || hazard === '') return null;
  return HAZARDS[hazard]?.[lang] ?? hazard;
}

const DEFAULT_INSTRUCTION: Readonly<Record<PosLang, string>> = {
  'zh-CN': '立即停止销售和发货：将该批次产品下架、单独隔离存放，等待召回处理通知。',
  en: 'Stop selling and shipping now: take this lot off the shelf, keep it apart, and wait for the recall instructions.',
};

const DRILL_INSTRUCTION: Readonly<Record<PosLang, string>> = {
  'zh-CN': '这是召回演练，无需下架，请照常销售。',
  en: 'This is a recall drill: no action is needed, keep selling.',
};

/** What to do about a hold: the case's instruction in `lang`, else the other language's, else the default. */
export function instructionText(c: HoldCase, lang: PosLang): string {
  if (c.drill) return DRILL_INSTRUCTION[lang];
  const other: PosLang = lang === 'en' ? 'zh-CN' : 'en';
  return c.instructions[lang] ?? c.instructions[other] ?? DEFAULT_INSTRUCTION[lang];
}

function lotLabel(hold: Hold): string {
  return lotOfHold(hold).lot ?? hold.node;
}

function about(c: HoldCase, lang: PosLang): string {
  const hazard = hazardText(c.hazard, lang);
  const title = c.title !== null && c.title !== '' ? c.title : null;
  if (title !== null && hazard !== null) return lang === 'en' ? `: ${title} (${hazard})` : `：${title}（${hazard}）`;
  if (title !== null || hazard !== null) return lang === 'en' ? `: ${title ?? hazard}` : `：${title ?? hazard}`;
  return '';
}

/** Why a code may not be sold or shipped, or why it may. `hold` is null when no hold matched. */
export function reasonText(match: PosMatch, hold: Hold | null, lang: PosLang): string {
  if (hold === null) return lang === 'en' ? 'not in any recall' : '不在任何召回中';
  const c = hold.case;
  const lot = lotLabel(hold);
  if (c.drill) {
    return lang === 'en'
      ? `drill only: lot ${lot} is in recall drill ${c.caseNumber}; selling and shipping are not blocked`
      : `仅为演练：批次 ${lot} 在召回演练 ${c.caseNumber} 中，不影响销售和发货`;
  }
  const why = about(c, lang);
  switch (match) {
    case 'container':
      return lang === 'en'
        ? `this case or pallet carries lot ${lot}, on hold in recall ${c.caseNumber}${why}; do not ship or sell its contents`
        : `该箱/托盘装有召回 ${c.caseNumber} 暂停的批次 ${lot}${why}；不得发货或销售其中产品`;
    case 'product':
      return lang === 'en'
        ? `a lot of this product (${lot}) is on hold in recall ${c.caseNumber}${why}; this code does not say which lot: check the lot printed on the pack`
        : `该产品有批次（${lot}）被召回 ${c.caseNumber} 暂停${why}；此编码未含批号，请核对包装上的批号`;
    case 'lot':
    case 'unit':
    case 'batchCode':
    case 'none':
      return lang === 'en'
        ? `lot ${lot} is on hold in recall ${c.caseNumber}${why}; do not sell or ship`
        : `批次 ${lot} 已被召回 ${c.caseNumber} 暂停销售和发货${why}`;
    default: {
      const never: never = match;
      return never;
    }
  }
}

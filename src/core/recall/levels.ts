/** How recall levels are shown: China's levels by colour (一级红色, 二级黄色, 三级蓝色). */
import type { CnLevel, DispositionClass, FdaClass, Hazard } from './types.ts';

export const LEVEL_COLOURS: Readonly<Record<CnLevel, { readonly colour: 'red' | 'yellow' | 'blue'; readonly hex: string; readonly 'zh-CN': string; readonly en: string }>> = {
  1: { colour: 'red', hex: '#cf1322', 'zh-CN': '一级召回（红色）', en: 'Level 1 recall (red)' },
  2: { colour: 'yellow', hex: '#d4b106', 'zh-CN': '二级召回（黄色）', en: 'Level 2 recall (yellow)' },
  3: { colour: 'blue', hex: '#1d39c4', 'zh-CN': '三级召回（蓝色）', en: 'Level 3 recall (blue)' },
};

export const FDA_CLASS_TEXT: Readonly<Record<FdaClass, { readonly 'zh-CN': string; readonly en: string }>> = {
  I: { 'zh-CN': 'FDA I 类召回', en: 'FDA Class I recall' },
  II: { 'zh-CN': 'FDA II 类召回', en: 'FDA Class II recall' },
  III: { 'zh-CN': 'FDA III 类召回', en: 'FDA Class III recall' },
};

export const HAZARD_TEXT: Readonly<Record<Hazard, { readonly 'zh-CN': string; readonly en: string }>> = {
  microbial: { 'zh-CN': '微生物污染', en: 'microbial contamination' },
  foreign_matter: { 'zh-CN': '异物', en: 'foreign matter' },
  allergen: { 'zh-CN': '未标示过敏原', en: 'undeclared allergen' },
  packaging_seal: { 'zh-CN': '包装密封缺陷', en: 'packaging or seal defect' },
  chemical: { 'zh-CN': '化学污染', en: 'chemical contamination' },
  quality: { 'zh-CN': '质量问题', en: 'quality defect' },
};

export const DISPOSITION_TEXT: Readonly<Record<DispositionClass, { readonly 'zh-CN': string; readonly en: string }>> = {
  rework: { 'zh-CN': '返工/重新包装', en: 'rework / repack' },
  recycle: { 'zh-CN': '资源化利用（如饲料）', en: 'recycle (e.g. animal feed)' },
  destroy: { 'zh-CN': '销毁', en: 'destroy' },
};

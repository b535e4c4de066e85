/** How recall levels are shown: China's levels by colour (一级红色, 二级黄色, 三级蓝色). */
import type { CnLevel, FdaClass } from './types.ts';

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

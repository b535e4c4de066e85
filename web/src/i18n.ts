/**
 * Languages of the console: zh-CN by default, en on request (remembered in localStorage). Each feature
 * registers its own strings with `addTranslations(namespace, { 'zh-CN': …, en: … })` when its module
 * loads, so lazy pages bring their texts with them and no shared file grows with every page.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('lotline.lang');
export const initialLang: Lang = stored === 'en' ? 'en' : 'zh-CN';

void i18n.use(initReactI18next).init({
  lng: initialLang,
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: ['common'],
  resources: {},
  interpolation: { escapeValue: false },
  returnNull: false,
});

type Tree = { readonly [key: string]: string | Tree };

/** Register a namespace's strings in both languages (a missing key in one language is a type error). */
export function addTranslations<T extends Tree>(ns: string, texts: { readonly 'zh-CN': T; readonly en: T }): void {
  for (const lang of LANGS) if (!i18n.hasResourceBundle(lang, ns)) i18n.addResourceBundle(lang, ns, texts[lang], true, true);
}

export function setLang(lang: Lang): void {
  localStorage.setItem('lotline.lang', lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;

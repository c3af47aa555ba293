import type { Lang } from '../../src/i18n/text.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

/**
 * The site's own words (buttons, headings, hints), in English and Simplified Chinese. The
 * narration of each step lives in the core's catalogue (src/i18n); this one holds only the
 * interface. A test fails when a key is missing in either language.
 */

export type UiKey = keyof typeof en;

export const UI: Readonly<Record<Lang, Readonly<Record<UiKey, string>>>> = { en, 'zh-CN': zhCN };

export function ui(key: UiKey, lang: Lang, params: Readonly<Record<string, string | number>> = {}): string {
  return UI[lang][key].replace(/\{(\w+)\}/g, (slot, name: string) =>
    name in params ? String(params[name]) : slot,
  );
}

/** The language at first visit: the browser's, when it prefers Chinese; English otherwise. */
export function preferredLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

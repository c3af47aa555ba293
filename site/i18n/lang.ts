import { hasCatalogue, registerCatalogue, type Lang } from '../../src/i18n/text.ts';

/**
 * Chinese narration is fetched only when a reader chooses it (or their browser prefers it), so
 * an English first visit does not load it.
 */
export async function ensureLang(lang: Lang): Promise<void> {
  if (hasCatalogue(lang)) return;
  if (lang === 'zh-CN') registerCatalogue(lang, (await import('../../src/i18n/zh-CN/index.ts')).zhCN);
}

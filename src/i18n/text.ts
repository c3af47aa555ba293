import type { Message, TextRef } from '../model/message.ts';
import { en } from './en/index.ts';

/**
 * The narration catalogue. Every sentence a learner reads about a message lives here, once per
 * language, keyed by the message's narration key (by default its op, `op.reply` for replies),
 * plus keys for phases (`phase.*`), diagram blocks (`block.*`), fidelity notes (`fidelity.*`)
 * and participants (`participant.*`).
 *
 * Glossary:
 * - key: a dotted name; the catalogue for each language must have every key (a test runs every
 *   command and fails on a missing one).
 * - params: values from the message (`{seconds}`, `{ref}`) substituted into `{name}` slots.
 *   The renderer always offers `{call}`, `{status}`, `{from}` and `{to}` as well, so a sentence
 *   can quote the real call without the layer passing it twice.
 */
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];
export type Catalogue = Readonly<Record<string, string>>;

const catalogues: Record<Lang, Catalogue | undefined> = { en, 'zh-CN': undefined };

/**
 * Every catalogue but English is registered when it is needed: Node entries load all of them
 * (src/i18n/index.ts), the site fetches one when the reader picks it. Until a language is
 * registered its text falls back to English, so nothing shows as a raw key while it loads.
 */
export function registerCatalogue(lang: Lang, catalogue: Catalogue): void {
  catalogues[lang] = catalogue;
}

export function hasCatalogue(lang: Lang): boolean {
  return catalogues[lang] !== undefined;
}

/** The registered catalogues (English stands in for one not loaded yet). */
export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = {
  get en() {
    return en;
  },
  get 'zh-CN'() {
    return catalogues['zh-CN'] ?? en;
  },
};

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

/** Substitute `{name}` slots; a slot without a value stays visible rather than vanishing. */
export function format(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) =>
    name in params ? String(params[name]) : slot,
  );
}

/** The text for a reference, or undefined when the language lacks the key. */
export function lookup(
  ref: TextRef,
  lang: Lang,
  extra: Readonly<Record<string, string | number>> = {},
): string | undefined {
  const template = CATALOGUES[lang][ref.key];
  return template === undefined ? undefined : format(template, { ...extra, ...(ref.params ?? {}) });
}

/** The text for a reference; a missing key shows as `⟨key⟩` so it is seen, never hidden. */
export function t(
  ref: TextRef | string,
  lang: Lang,
  extra: Readonly<Record<string, string | number>> = {},
): string {
  const r = typeof ref === 'string' ? { key: ref } : ref;
  return lookup(r, lang, extra) ?? `⟨${r.key}⟩`;
}

/** The implicit params every message narration can use. */
export function messageParams(m: Message, lang: Lang): Record<string, string | number> {
  return {
    call: m.call,
    status: m.status ?? '',
    from: t(`participant.${m.from}`, lang),
    to: t(`participant.${m.to}`, lang),
  };
}

/** One message's narration, with its fidelity note appended when it has one. */
export function narrate(m: Message, lang: Lang): string {
  const extra = messageParams(m, lang);
  const main = t(m.narration, lang, extra);
  return m.fidelity ? `${main} ${t(m.fidelity, lang, extra)}` : main;
}

import { messageParams, t, type Lang } from '../i18n/text.ts';
import type { Message, TextRef } from '../model/message.ts';
import type { Trace } from '../model/trace.ts';
import { registryNarration } from './registryNarration.ts';

/**
 * Narration: one line per step in the reader's language, `n. from → to: sentence`. The sentence
 * comes from the catalogue (the message's narration key with its params, or for a registry
 * request or reply the sentence of its kind: see registryNarration.ts), followed by the
 * fidelity note where the step differs from the popular diagrams.
 */
export function narrationOf(m: Message): TextRef {
  return registryNarration(m) ?? m.narration;
}

/** One message's sentence, with its fidelity note appended when it has one. */
export function narrateMessage(m: Message, lang: Lang): string {
  const extra = messageParams(m, lang);
  const main = t(narrationOf(m), lang, extra);
  return m.fidelity ? `${main} ${t(m.fidelity, lang, extra)}` : main;
}

export function narrationLine(m: Message, lang: Lang): string {
  return `${m.seq}. ${t(`participant.${m.from}`, lang)} → ${t(`participant.${m.kind === 'self' ? m.from : m.to}`, lang)}: ${narrateMessage(m, lang)}`;
}

export function narrationLines(trace: Trace, lang: Lang): string[] {
  return trace.entries.flatMap((e) => (e.type === 'message' ? [narrationLine(e.message, lang)] : []));
}

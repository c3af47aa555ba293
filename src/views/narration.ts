import { narrate, t, type Lang } from '../i18n/text.ts';
import type { Message } from '../model/message.ts';
import type { Trace } from '../model/trace.ts';

/**
 * Narration: one line per step in the reader's language, `n. from → to: sentence`. The sentence
 * comes from the catalogue (the message's narration key with its params), followed by the
 * fidelity note where the step differs from the popular diagrams.
 */
export function narrationLine(m: Message, lang: Lang): string {
  return `${m.seq}. ${t(`participant.${m.from}`, lang)} → ${t(`participant.${m.kind === 'self' ? m.from : m.to}`, lang)}: ${narrate(m, lang)}`;
}

export function narrationLines(trace: Trace, lang: Lang): string[] {
  return trace.entries.flatMap((e) => (e.type === 'message' ? [narrationLine(e.message, lang)] : []));
}

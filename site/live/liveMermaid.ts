import type { Lang } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import { OCCASIONAL, PARTICIPANTS, type Participant } from '../../src/model/participants.ts';
import type { Pending } from '../../src/wire/gate.ts';
import { arrowLine, escapeLabel, participantLine } from '../../src/views/mermaid.ts';

/** Messages drawn at once: Mermaid draws a 40-message window in 70–100 ms whatever the run's length. */
export const WINDOW = 40;

/**
 * The columns a live diagram always has: the layers a real engine's messages pass between. Drawn
 * from the start, before any message, so that a message never waits for a drawing made again
 * to give it a column (see ds-live-diagram.ts).
 */
export const LIVE_COLUMNS: readonly Participant[] = PARTICIPANTS.filter(
  (p) => p !== 'User' && !OCCASIONAL.has(p),
);

/**
 * The live diagram's text: the last WINDOW real messages, numbered by their step on the engine's
 * wire (`autonumber n` again after a gap), in the columns they use, and — while the gate holds
 * one — the held message as a note between its two columns, not yet an arrow. Without
 * `heldLabel` the held message's columns are drawn but not its note (the page adds it, see
 * ds-live-diagram.ts).
 */
export function liveMermaid(
  messages: readonly Message[],
  held: Pending | undefined,
  lang: Lang,
  heldLabel?: string,
): string {
  const shown = messages.slice(-WINDOW);
  const used = new Set<Participant>([...LIVE_COLUMNS, ...shown.flatMap((m) => [m.from, m.to])]);
  if (held) [held.from, held.to].forEach((p) => used.add(p));
  const cols = PARTICIPANTS.filter((p) => used.has(p));
  const lines = ['sequenceDiagram'];
  for (const p of cols) lines.push(`    ${participantLine(p, lang)}`);
  lines.push(...liveArrows(shown, -1));
  if (held && heldLabel !== undefined) lines.push(heldNote(held, heldLabel));
  return `${lines.join('\n')}\n`;
}

/** The statements of `messages`, numbered by their step (`autonumber n` after a gap from `last`). */
export function liveArrows(messages: readonly Message[], last: number): string[] {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.seq !== last + 1) lines.push(`    autonumber ${m.seq}`);
    lines.push(`    ${arrowLine(m, 60)}`);
    last = m.seq;
  }
  return lines;
}

/** The held message as a note between its two columns. */
export function heldNote(held: Pending, label: string): string {
  const span = held.from === held.to ? `right of ${held.from}` : `over ${held.from},${held.to}`;
  return `    Note ${span}: ⏸ ${escapeLabel(label)}`;
}

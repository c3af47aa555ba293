import type { Message, TextRef } from '../model/message.ts';
import { isInitExit, opensApiPhase } from './mermaid.ts';

/**
 * The phases of a run, as the diagram's notes name them: each command starts one, and within
 * it each Engine API request dockerd receives (container creation, image pull, container start,
 * …), a message that carries its own phase note, and the cleanup after a container's init
 * process exits. A phase lasts until the next one starts. Navigation by meaning (next or
 * previous phase, the strip on the scrubber) reads these.
 */
export interface Phase {
  /** First and last step of the phase. */
  first: number;
  last: number;
  label: TextRef;
  command: number;
}

/** The phase a message opens, if any (the command's own first message opens the command's). */
function opens(m: Message, previous: Message | undefined, cleaned: Set<number>): TextRef | undefined {
  if (m.phase) return m.phase;
  if (opensApiPhase(m)) return { key: `phase.${m.op}` };
  if (isInitExit(m) && !cleaned.has(m.command)) {
    cleaned.add(m.command);
    return { key: 'phase.cleanup' };
  }
  // A command's first message is the user's line to the CLI (or the kubelet's first call).
  if (!previous || previous.command !== m.command) return { key: 'phase.command', params: { line: m.call } };
  return undefined;
}

export function phasesOf(messages: readonly Message[]): Phase[] {
  const phases: Phase[] = [];
  const cleaned = new Set<number>();
  let previous: Message | undefined;
  for (const m of messages) {
    const label = opens(m, previous, cleaned);
    const open = phases.at(-1);
    if (label) phases.push({ first: m.seq, last: m.seq, label, command: m.command });
    else if (open) open.last = m.seq;
    previous = m;
  }
  return phases;
}

/** The step a "next phase" goes to from `position`: the first step of the next phase. */
export function nextPhaseStep(phases: readonly Phase[], position: number): number | undefined {
  return phases.find((p) => p.first > position)?.first;
}

/**
 * The step a "previous phase" goes to: the start of the phase holding the position, or of the
 * one before when the position is already at its start (as a player's "previous track").
 */
export function previousPhaseStep(phases: readonly Phase[], position: number): number | undefined {
  const before = phases.filter((p) => p.first < position);
  return before.at(-1)?.first ?? (position > 0 ? 0 : undefined);
}

/** What "play until" looks for: a message to or from a layer, and/or of an operation. */
export interface StepFilter {
  layer?: string;
  op?: string;
}

/** The first step after `position` whose message matches the filter. */
export function nextMatchStep(
  messages: readonly Message[],
  position: number,
  filter: StepFilter,
): number | undefined {
  return messages.find(
    (m) =>
      m.seq > position &&
      (!filter.layer || m.from === filter.layer || m.to === filter.layer) &&
      (!filter.op || m.op === filter.op),
  )?.seq;
}

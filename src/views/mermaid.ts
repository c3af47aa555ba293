import { t, type Lang } from '../i18n/text.ts';
import type { Message, TextRef } from '../model/message.ts';
import { OCCASIONAL, PARTICIPANTS, type Participant } from '../model/participants.ts';
import type { Trace } from '../model/trace.ts';
import { foldPlan, type FoldOptions, type FoldPlan } from './fold.ts';

/**
 * The run as one Mermaid `sequenceDiagram` (https://mermaid.js.org/syntax/sequenceDiagram.html).
 *
 * - Columns in the seeds' order (User, CLI, dockerd, Registry, containerd, shim, runc, Storage,
 *   Network), the kernel last when the run reaches it.
 * - `autonumber` numbers arrows in drawing order; every message is one arrow and notes are not
 *   numbered, so arrow n is step n of the stepper.
 * - Requests are solid arrows (`->>`), replies dotted (`-->>`), one-way events async (`-)`),
 *   work inside a layer an arrow to itself.
 * - Notes: one over all columns per command, one beside dockerd per API phase (as the seeds'
 *   `Note right of Daemon: 容器创建阶段`), one beside containerd when a task's cleanup begins.
 * - Blocks (`loop`, `alt`, `opt`) come from the messages' block marks and never outlive the
 *   command that opened them.
 */
export interface MermaidOptions {
  lang?: Lang;
  /** Draw steps 1..upTo only (the stepper's position); default: the whole run. */
  upTo?: number;
  /** Draw one command's messages only (index into the run's commands). */
  command?: number;
  /** Declare the kernel column even when no message reaches it (keeps widths stable as a run grows). */
  allParticipants?: boolean;
  /** Longest label before it is cut with `…` (Mermaid widens a column to fit its label). */
  maxLabel?: number;
  /**
   * With `command`: draw only the columns that command uses (less the hidden ones), and fold
   * its repeated blocks (see fold.ts). Steps keep their numbers (`autonumber n` after a gap).
   */
  fold?: FoldOptions;
}

/** The API requests that open a phase note beside dockerd. */
export const PHASE_OPS: ReadonlySet<string> = new Set([
  'api.images.create',
  'api.images.list',
  'api.images.delete',
  'api.containers.create',
  'api.containers.start',
  'api.containers.stop',
  'api.containers.kill',
  'api.containers.delete',
  'api.containers.restart',
  'api.containers.pause',
  'api.containers.unpause',
  'api.containers.exec',
  'api.exec.start',
  'api.containers.logs',
  'api.containers.list',
]);

const ICONS: Readonly<Record<Participant, string>> = {
  User: '👤',
  kubelet: '☸️',
  CLI: '🐋',
  VM: '🖥️',
  dockerd: '⚙️',
  Builder: '🏗️',
  Registry: '🌐',
  containerd: '🛠️',
  shim: '🔌',
  runc: '🚀',
  Storage: '💽',
  Network: '🔗',
  Kernel: '🐧',
};

const ARROWS = { request: '->>', reply: '-->>', event: '-)', self: '->>' } as const;

/**
 * Mermaid reads `;` as a statement end and `#…;` as an entity, and a label may not hold a
 * newline; angle brackets would be read as HTML. Entities keep every character visible.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '<': '#lt;',
  '>': '#gt;',
  '\n': ' ⏎ ',
  '\r': '',
};

export function escapeLabel(text: string): string {
  return text.replace(/[#;<>\r\n]/g, (c) => ENTITIES[c] ?? c);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

class DiagramWriter {
  readonly lines: string[] = [];
  private depth = 0;

  constructor(private readonly lang: Lang) {}

  put(line: string): void {
    this.lines.push(`${'    '.repeat(this.depth + 1)}${line}`);
  }

  text(ref: TextRef): string {
    return escapeLabel(t(ref, this.lang));
  }

  open(type: string, label: TextRef): void {
    this.put(`${type} ${this.text(label)}`);
    this.depth++;
  }

  otherwise(label: TextRef): void {
    if (this.depth === 0) return;
    this.depth--;
    this.put(`else ${this.text(label)}`);
    this.depth++;
  }

  close(n = this.depth): void {
    for (let i = 0; i < n && this.depth > 0; i++) {
      this.depth--;
      this.put('end');
    }
  }
}

/**
 * The columns: the seeds' participants always (with `all`, the kernel too, so widths stay put as
 * a run grows); the kernel and the occasional ones (OCCASIONAL) only when the run reaches them.
 * A run the kubelet drives without any docker command (Kubernetes through CRI) has no CLI or
 * dockerd column: there is none on such a node.
 */
function columns(messages: readonly Message[], all: boolean): Participant[] {
  const used = new Set<Participant>();
  for (const m of messages) used.add(m.from).add(m.to);
  const withoutDocker = used.has('kubelet') && !used.has('CLI') && !used.has('dockerd');
  return PARTICIPANTS.filter((p) => {
    if (OCCASIONAL.has(p)) return used.has(p);
    if (p === 'Kernel') return all || used.has(p);
    if (p === 'CLI' || p === 'dockerd') return !withoutDocker;
    return true;
  });
}

/** The columns a folded drawing of one command keeps: those its messages reach, less the hidden. */
function foldedColumns(
  messages: readonly Message[],
  hidden: ReadonlySet<Participant> = new Set(),
): Participant[] {
  const used = new Set<Participant>();
  for (const m of messages) if (!hidden.has(m.from) && !hidden.has(m.to)) used.add(m.from).add(m.to);
  return PARTICIPANTS.filter((p) => used.has(p));
}

/** Whether a message carries a phase note (a folded block never hides one). */
export function notedAt(m: Message): boolean {
  return m.phase !== undefined || opensApiPhase(m) || isInitExit(m);
}

/** The request dockerd receives: from the CLI, or (Docker Desktop) from the proxy in front of it. */
export function opensApiPhase(m: Message): boolean {
  return (
    (m.from === 'CLI' || m.from === 'VM') && m.to === 'dockerd' && m.kind === 'request' && PHASE_OPS.has(m.op)
  );
}

function phaseNotes(
  w: DiagramWriter,
  m: Message,
  cleanupNoted: Set<number>,
  cols: readonly Participant[],
): void {
  // A note beside a column not drawn (a folded drawing) would make Mermaid add the column back.
  const note = (p: Participant, text: TextRef): void => {
    if (cols.includes(p)) w.put(`Note right of ${p}: ${w.text(text)}`);
  };
  if (m.phase) note(m.to, m.phase);
  if (opensApiPhase(m)) note('dockerd', { key: `phase.${m.op}` });
  if (isInitExit(m) && !cleanupNoted.has(m.command)) {
    cleanupNoted.add(m.command);
    note('containerd', { key: 'phase.cleanup' });
  }
}

/** containerd's `/tasks/exit` for a container's init process (an exec's exit carries its exec id). */
export function isInitExit(m: Message): boolean {
  if (m.narration.key !== 'ctrd.event.tasks.exit') return false;
  const p = (m.payload ?? {}) as { id?: unknown; execId?: unknown };
  return p.execId === undefined || p.execId === p.id;
}

/** A column's declaration, with its icon and its name in the reader's language. */
export function participantLine(p: Participant, lang: Lang): string {
  return `participant ${p} as ${ICONS[p]} ${escapeLabel(t(`participant.${p}`, lang))}`;
}

/** One message as a Mermaid arrow line (`dockerd->>containerd: Diff.Apply(…)`). */
export function arrowLine(m: Message, maxLabel = 110): string {
  const to = m.kind === 'self' ? m.from : m.to;
  const failed = m.kind === 'reply' && !m.ok ? '✗ ' : '';
  return `${m.from}${ARROWS[m.kind]}${to}: ${escapeLabel(cut(failed + m.call, maxLabel))}`;
}

/**
 * One message of a folded drawing: a step left out is skipped, a folded block drawn as its
 * first iteration inside a `loop × n`, and numbering resumed at the real step after a gap.
 */
function foldedArrow(
  w: DiagramWriter,
  m: Message,
  plan: FoldPlan,
  maxLabel: number,
  last: { seq: number },
): void {
  const repeat = plan.loopFrom.get(m.seq);
  if (repeat)
    w.open('loop', {
      key: repeat.open ? 'block.repeatOpen' : 'block.repeat',
      params: { count: repeat.count, first: repeat.first, last: repeat.last },
    });
  if (last.seq >= 0 && m.seq !== last.seq + 1) w.put(`autonumber ${m.seq}`);
  w.put(arrowLine(m, maxLabel));
  last.seq = m.seq;
  if (plan.loopTo.has(m.seq)) w.close(1);
}

export function toMermaid(trace: Trace, options: MermaidOptions = {}): string {
  const lang = options.lang ?? 'en';
  const maxLabel = options.maxLabel ?? 110;
  const all = trace.entries.flatMap((e) => (e.type === 'message' ? [e.message] : []));
  const own = options.command === undefined ? all : all.filter((m) => m.command === options.command);
  const plan =
    options.fold && options.command !== undefined ? foldPlan(own, options.fold, notedAt) : undefined;
  const drawn = new Set(plan?.drawn);
  const cols =
    options.fold && options.command !== undefined
      ? foldedColumns(own, options.fold.hidden)
      : columns(all, options.allParticipants ?? false);
  const first = cols[0] ?? 'User';
  const last = cols[cols.length - 1] ?? 'Network';
  const previous = { seq: (own[0]?.seq ?? 1) - 1 };
  const w = new DiagramWriter(lang);
  // One command drawn alone keeps the run's step numbers: `autonumber <first step>`.
  const start = options.command === undefined ? undefined : own[0]?.seq;
  w.lines.push(
    'sequenceDiagram',
    start === undefined || start === 1 ? '    autonumber' : `    autonumber ${start}`,
  );
  for (const p of cols) w.put(participantLine(p, lang));
  const cleanupNoted = new Set<number>();
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  const lastCommand = all.filter((m) => m.seq <= upTo).at(-1)?.command ?? -1;
  for (const e of trace.entries) {
    if (e.type === 'command') {
      if (e.command > lastCommand) break;
      if (options.command !== undefined && e.command !== options.command) continue;
      w.close();
      w.put(`Note over ${first},${last}: ${w.text({ key: 'phase.command', params: { line: e.line } })}`);
    }
    if (
      e.type === 'note' &&
      (options.command === undefined || e.command === options.command) &&
      e.command <= lastCommand
    ) {
      w.put(`Note over ${first},${last}: ${w.text(e.text)}`);
    }
    if (e.type !== 'message') continue;
    const m = e.message;
    if (m.seq > upTo) break;
    if (options.command !== undefined && m.command !== options.command) continue;
    if (m.block?.close) w.close(m.block.close);
    if (m.block?.otherwise) w.otherwise(m.block.otherwise);
    phaseNotes(w, m, cleanupNoted, cols);
    if (m.block?.open) w.open(m.block.open.type, m.block.open.label);
    if (!plan) w.put(arrowLine(m, maxLabel));
    else if (drawn.has(m.seq)) foldedArrow(w, m, plan, maxLabel, previous);
    if (m.block?.closeAfter) w.close(m.block.closeAfter);
  }
  w.close();
  return `${w.lines.join('\n')}\n`;
}

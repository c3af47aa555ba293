import type { Lang } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import type { Trace } from '../../src/model/trace.ts';
import { foldPlan, type FoldOptions, type Repeat } from '../../src/views/fold.ts';
import { notedAt, toMermaid } from '../../src/views/mermaid.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { blockLabels } from './diagramBlocks.ts';
import { wideNotes, type WideNote } from './diagramNotes.ts';

/**
 * The sequence diagram is drawn one command at a time: Mermaid redraws a whole diagram in about
 * 60 ms + 1.7 ms per message, while revealing an already drawn message costs a style change. So
 * each command's messages are rendered once into their own SVG, and stepping only moves a clip
 * and a highlight. After rendering, each message's elements and its bottom edge are indexed.
 */
export interface Chunk {
  command: number;
  first: number;
  last: number;
  text: string;
  host: HTMLDivElement;
  rendered: boolean;
  /** The steps drawn, in drawing order (all of first..last unless folded: see src/views/fold.ts). */
  steps: number[];
  /** Index into the drawn arrows (parts, tops, …) of the one that stands for step `seq`. */
  rowOf: (seq: number) => number;
  /** The repeated blocks a folded drawing draws in a loop (folded or not), by the step their loop opens at. */
  blocks: { at: number; repeat: Repeat }[];
  /** The notes over every column, whose text follows the view sideways (see diagramNotes.ts). */
  notes: WideNote[];
  /** Where each block's loop label is drawn, at natural size, once rendered (see diagramBlocks.ts). */
  labels: { first: number; box: [number, number, number, number] }[];
  /** For drawn arrow i: its arrow, label and number elements, and its top and bottom edges in px. */
  parts: Element[][];
  tops: number[];
  bottoms: number[];
  /** Horizontal extent of each message (its label, arrow and number), in px from the SVG's left. */
  spans: [number, number][];
  /** The SVG's full height and width at its natural size, once rendered. */
  height: number;
  width: number;
  /** Bottom of the row of participant boxes, at natural size. */
  headBottom: number;
  /** The scale the SVG is shown at (fit-to-width times the zoom): geometry above is unscaled. */
  scale: number;
}

type MermaidApi = typeof import('mermaid').default;
let mermaidPromise: Promise<MermaidApi> | undefined;
let theme: boolean | undefined;

/** Mermaid is large: it is loaded only when the first diagram is drawn. */
export async function loadMermaid(dark: boolean): Promise<MermaidApi> {
  if (!mermaidPromise) performance.mark('dockstep:mermaid-import');
  mermaidPromise ??= import('mermaid').then((m) => {
    performance.mark('dockstep:mermaid-loaded');
    return m.default;
  });
  const mermaid = await mermaidPromise;
  if (theme !== dark) {
    theme = dark;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: dark ? 'dark' : 'default',
      sequence: {
        useMaxWidth: false,
        showSequenceNumbers: true,
        mirrorActors: false,
        actorMargin: 30,
        width: 120,
        wrapPadding: 6,
      },
    });
  }
  return mermaid;
}

/**
 * A first command longer than PREVIEW messages is first drawn up to a few steps past the
 * position only: Mermaid's first drawing in a page is slow (its code is not yet optimised), about
 * ten times the cost per message of later ones, so a short first drawing shows soonest.
 */
export const PREVIEW = 24;
export const PREVIEW_AHEAD = 6;

/**
 * On screen a label is cut at this many characters: the full call is in the narration, the
 * event list and the inspector, and long URLs would otherwise spread the columns thousands of
 * pixels apart. The exported Mermaid text keeps every label whole.
 */
export const SCREEN_LABEL = 54;

/**
 * On screen a label is also folded into lines of about this many characters: Mermaid spaces
 * the columns by their widest label, so short lines keep the ten columns close enough together
 * for the whole drawing to fit the width of a laptop's screen at a readable size.
 */
export const SCREEN_LINE = 18;

/**
 * A command's diagram as drawn on screen; `upTo` draws only its messages up to that step. With
 * `fold`, only the columns in play (less the hidden ones) and repeated blocks folded.
 */
export function screenText(
  trace: Trace,
  lang: Lang,
  command: number,
  upTo?: number,
  fold?: FoldOptions,
): string {
  return foldLabels(
    toMermaid(trace, {
      lang,
      command,
      allParticipants: !fold,
      maxLabel: SCREEN_LABEL,
      upTo,
      ...(fold ? { fold } : {}),
    }),
  );
}

/** A message's or a note's label, the part of the statement after `: `. */
const LABELLED =
  /^(\s*(?:[A-Za-z]+(?:->>|-->>|-\))[A-Za-z]+|Note (?:right of|left of|over) [A-Za-z, ]+)): (.*)$/;

/** Fold each message and note label into lines of at most SCREEN_LINE characters (`<br/>`). */
export function foldLabels(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = LABELLED.exec(line);
      return m ? `${m[1]}: ${foldLine(m[2] ?? '', SCREEN_LINE).join('<br/>')}` : line;
    })
    .join('\n');
}

/**
 * Greedy folding at spaces; a longer word (a digest, a path) is cut after a `/`, `,` or `=` or
 * at the width. Mermaid's entities (`#59;`) count as one character and are never cut.
 */
export function foldLine(label: string, width: number): string[] {
  const atoms = label.match(/#\w+;|[\s\S]/gu) ?? [];
  const lines: string[] = [];
  let line: string[] = [];
  let lastBreak = -1;
  for (const atom of atoms) {
    if (line.length === 0 && atom === ' ') continue;
    line.push(atom);
    if (atom === ' ' || atom === '/' || atom === ',' || atom === '=') lastBreak = line.length;
    if (line.length <= width) continue;
    const cut = lastBreak > 0 && lastBreak < line.length ? lastBreak : width;
    lines.push(line.slice(0, cut).join('').trimEnd());
    line = line.slice(cut);
    while (line[0] === ' ') line.shift();
    lastBreak = -1;
  }
  if (line.length) lines.push(line.join('').trimEnd());
  return lines.length ? lines : [''];
}

/** Which drawn arrow stands for each step of a command: the step itself, unless folded. */
function rowsOf(
  messages: readonly Message[],
  fold: FoldOptions | undefined,
): Pick<Chunk, 'steps' | 'rowOf' | 'blocks'> {
  const first = messages[0]?.seq ?? 1;
  if (!fold) return { steps: messages.map((m) => m.seq), rowOf: (seq) => seq - first, blocks: [] };
  const plan = foldPlan(messages, fold, notedAt);
  const index = new Map(plan.drawn.map((seq, i) => [seq, i]));
  return {
    steps: plan.drawn,
    rowOf: (seq) => index.get(plan.shownAs(seq) ?? -1) ?? -1,
    blocks: [...plan.loopFrom].map(([at, repeat]) => ({ at, repeat })),
  };
}

export function chunksOf(trace: Trace, lang: Lang, fold?: FoldOptions): Omit<Chunk, 'host'>[] {
  const byCommand = new Map<number, Message[]>();
  for (const m of messagesOf(trace)) {
    const list = byCommand.get(m.command);
    if (list) list.push(m);
    else byCommand.set(m.command, [m]);
  }
  return [...byCommand].map(([command, messages]) => ({
    command,
    first: messages[0]?.seq ?? 0,
    last: messages.at(-1)?.seq ?? 0,
    text: screenText(trace, lang, command, undefined, fold),
    ...rowsOf(messages, fold),
    rendered: false,
    labels: [],
    notes: [],
    parts: [],
    tops: [],
    bottoms: [],
    spans: [],
    height: 0,
    width: 0,
    headBottom: 0,
    scale: 1,
  }));
}

/**
 * A command's drawing that is still right as far as it goes: the command only gained messages at
 * its end (a container that goes on writing while a new command runs). Its drawing stays on
 * screen, with its geometry, until it is drawn again, so a new command is drawn first.
 */
export function grownFrom(old: Chunk, next: Omit<Chunk, 'host'>): Chunk | undefined {
  if (old.command !== next.command || old.first !== next.first || old.bottoms.length === 0) return undefined;
  const lines = old.text.trimEnd().split('\n');
  while (lines.length > 0 && /^\s*end$/.test(lines.at(-1) ?? '')) lines.pop();
  if (!next.text.startsWith(`${lines.join('\n')}\n`) || old.steps.some((seq, i) => next.steps[i] !== seq))
    return undefined;
  const { host, labels, notes, parts, tops, bottoms, spans, height, width, headBottom, scale } = old;
  const kept = { host, labels, notes, parts, tops, bottoms, spans, height, width, headBottom, scale };
  return { ...next, ...kept, rendered: false };
}

let renderCount = 0;

/**
 * Draw a chunk; `text` draws a shorter version first (the steps near the position), which the
 * full drawing replaces moments later, so a long first command shows without waiting for it.
 */
export async function renderChunk(chunk: Chunk, dark: boolean, text = chunk.text): Promise<void> {
  const mermaid = await loadMermaid(dark);
  const id = `ds-seq-${++renderCount}`;
  performance.mark(`dockstep:render-start:${id}`);
  const { svg } = await mermaid.render(id, text);
  performance.mark(`dockstep:render-end:${id}`);
  chunk.host.innerHTML = svg;
  // The drawing is pictures of text: the diagram's text alternative is the message list beside it.
  const drawn = chunk.host.querySelector('svg');
  drawn?.setAttribute('aria-hidden', 'true');
  if (drawn) extendLifelines(drawn);
  indexChunk(chunk);
  chunk.rendered = true;
}

/** Mermaid ends the lifelines at a fixed depth (2000): carry them down to the last message. */
function extendLifelines(svg: SVGSVGElement): void {
  const vb = svg.viewBox.baseVal;
  if (!vb || vb.height <= 0) return;
  const end = String(Math.floor(vb.y + vb.height - 10));
  for (const line of svg.querySelectorAll('line.actor-line')) line.setAttribute('y2', end);
}

/** Show a drawn chunk at `scale` (its view box keeps the drawing's proportions). */
export function scaleChunk(chunk: Chunk, scale: number): void {
  chunk.scale = scale;
  if (chunk.width <= 0) return;
  // Mermaid's drawing and those appended below it (diagramGrow.ts), each at its own height.
  for (const svg of chunk.host.children) {
    if (!(svg instanceof SVGSVGElement)) continue;
    // Written only on change: a write, even of the same size, has the whole drawing laid out again.
    const size = `${chunk.width * scale}x${Number(svg.getAttribute('height')) * scale}`;
    if (svg.dataset.size === size) continue;
    svg.dataset.size = size;
    svg.style.width = `${chunk.width * scale}px`;
    svg.style.height = `${Number(svg.getAttribute('height')) * scale}px`;
    if (svg.dataset.overlap) svg.style.marginTop = `${-Number(svg.dataset.overlap) * scale}px`;
  }
}

/**
 * Mermaid appends each message as siblings, in this order: its label's lines (one text element
 * per line), its arrow, its number's marker and text. Grouped here by arrow, labels first.
 */
function messageParts(svg: SVGSVGElement): Element[][] {
  const parts: Element[][] = [];
  let labels: Element[] = [];
  for (const e of svg.querySelectorAll(
    'text.messageText, .messageLine0, .messageLine1, text.sequenceNumber',
  )) {
    if (e.matches('text.messageText')) labels.push(e);
    else if (e.matches('text.sequenceNumber')) parts.at(-1)?.push(e);
    else {
      parts.push([...labels, e]);
      labels = [];
    }
  }
  return parts;
}

/** Mermaid appends each message as siblings: label text, arrow, number marker, number text. */
export function indexChunk(chunk: Chunk): void {
  const svg = chunk.host.querySelector('svg');
  if (!svg) return;
  const box = svg.getBoundingClientRect();
  chunk.parts = messageParts(svg);
  const rects = chunk.parts.map((els) => els.map((e) => e.getBoundingClientRect()));
  chunk.tops = rects.map((rs) => Math.min(...rs.map((r) => r.top - box.top)));
  chunk.bottoms = rects.map((rs) => Math.max(...rs.map((r) => r.bottom - box.top)));
  chunk.spans = rects.map((rs) => [
    Math.min(...rs.map((r) => r.left - box.left)),
    Math.max(...rs.map((r) => r.right - box.left)),
  ]);
  chunk.height = box.height;
  chunk.width = box.width;
  const heads = [...svg.querySelectorAll('rect.actor-top')].map(
    (r) => r.getBoundingClientRect().bottom - box.top,
  );
  chunk.headBottom = heads.length ? Math.max(...heads) : 0;
  chunk.labels = blockLabels(svg, box, chunk);
  chunk.notes = wideNotes(svg, box);
  chunk.parts.forEach((els, i) =>
    els.forEach((e) => e.setAttribute('data-step', String(chunk.steps[i] ?? chunk.first + i))),
  );
}

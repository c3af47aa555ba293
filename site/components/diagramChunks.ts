import type { Lang } from '../../src/i18n/text.ts';
import type { Trace } from '../../src/model/trace.ts';
import { toMermaid } from '../../src/views/mermaid.ts';

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
  /** For message first+i: its arrow, label and number elements, and its top and bottom edges in px. */
  parts: Element[][];
  tops: number[];
  bottoms: number[];
  /** Horizontal extent of each message (its label, arrow and number), in px from the SVG's left. */
  spans: [number, number][];
  /** The SVG's full height, once rendered. */
  height: number;
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
      sequence: { useMaxWidth: false, showSequenceNumbers: true, mirrorActors: false },
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
export const SCREEN_LABEL = 64;

/** A command's diagram as drawn on screen; `upTo` draws only its messages up to that step. */
export function screenText(trace: Trace, lang: Lang, command: number, upTo?: number): string {
  return toMermaid(trace, { lang, command, allParticipants: true, maxLabel: SCREEN_LABEL, upTo });
}

export function chunksOf(trace: Trace, lang: Lang): Omit<Chunk, 'host'>[] {
  const ranges = new Map<number, [number, number]>();
  for (const e of trace.entries) {
    if (e.type !== 'message') continue;
    const r = ranges.get(e.message.command);
    ranges.set(e.message.command, r ? [r[0], e.message.seq] : [e.message.seq, e.message.seq]);
  }
  return [...ranges].map(([command, [first, last]]) => ({
    command, first, last, text: screenText(trace, lang, command), rendered: false, parts: [], tops: [], bottoms: [], spans: [], height: 0,
  }));
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
  chunk.host.querySelector('svg')?.setAttribute('aria-hidden', 'true');
  indexChunk(chunk);
  chunk.rendered = true;
}

/** Mermaid appends each message as siblings: label text, arrow, number marker, number text. */
function indexChunk(chunk: Chunk): void {
  const svg = chunk.host.querySelector('svg');
  if (!svg) return;
  const labels = [...svg.querySelectorAll('text.messageText')];
  const arrows = [...svg.querySelectorAll('.messageLine0, .messageLine1')];
  const numbers = [...svg.querySelectorAll('text.sequenceNumber')];
  const box = svg.getBoundingClientRect();
  chunk.parts = labels.map((label, i) => [label, arrows[i], numbers[i]].filter((e): e is Element => e !== undefined));
  const rects = chunk.parts.map((els) => els.map((e) => e.getBoundingClientRect()));
  chunk.tops = rects.map((rs) => Math.min(...rs.map((r) => r.top - box.top)));
  chunk.bottoms = rects.map((rs) => Math.max(...rs.map((r) => r.bottom - box.top)));
  chunk.spans = rects.map((rs) => [Math.min(...rs.map((r) => r.left - box.left)), Math.max(...rs.map((r) => r.right - box.left))]);
  chunk.height = box.height;
  chunk.parts.forEach((els, i) => els.forEach((e) => e.setAttribute('data-step', String(chunk.first + i))));
}

import type { Lang } from '../../src/i18n/text.ts';
import { ui } from '../i18n/ui.ts';
import type { Chunk } from './diagramChunks.ts';

/**
 * Unfolding one repeated block on its own: a folded drawing draws each block that repeats (a
 * pull's per-layer work) as one iteration inside a `loop × n` (src/views/fold.ts). Its label is
 * a picture inside the SVG, so a real button lies over it: a click or Enter on the label unfolds
 * that block alone (and folds it again), and Tab reaches it like any other control.
 */

/** Left, top, right, bottom in px at the drawing's natural size. */
type Box = [number, number, number, number];

/**
 * Where each block's loop label (the tab with "loop" and the text beside it) is drawn, matched
 * to its block by the first arrow below the label: Mermaid draws every loop in a group of its
 * own (lines, label box, label text), in no guaranteed order.
 */
export function blockLabels(svg: SVGSVGElement, box: DOMRect, chunk: Chunk): Chunk['labels'] {
  if (chunk.blocks.length === 0) return [];
  const opening = new Map(chunk.blocks.map((b) => [b.at, b.repeat.first]));
  const labels: Chunk['labels'] = [];
  for (const tab of svg.querySelectorAll('polygon.labelBox')) {
    const group = tab.parentElement;
    if (!group) continue;
    const rects = [tab, ...group.querySelectorAll('text.labelText, text.loopText')].map((e) =>
      e.getBoundingClientRect(),
    );
    const label: Box = [
      Math.min(...rects.map((r) => r.left - box.left)),
      Math.min(...rects.map((r) => r.top - box.top)),
      Math.max(...rects.map((r) => r.right - box.left)),
      Math.max(...rects.map((r) => r.bottom - box.top)),
    ];
    const row = chunk.tops.findIndex((top) => top > label[1]);
    const first = opening.get(chunk.steps[row] ?? -1);
    if (first !== undefined) labels.push({ first, box: label });
  }
  return labels;
}

/**
 * The buttons over a drawn chunk's block labels, at the chunk's scale; made when missing (a
 * drawing replaces the chunk's content). `focus` names a block whose button takes the focus (the
 * one just pressed, drawn anew).
 */
export function placeToggles(chunk: Chunk, lang: Lang, focus?: number): void {
  const k = chunk.scale;
  for (const { first, box } of chunk.labels) {
    const block = chunk.blocks.find((b) => b.repeat.first === first)?.repeat;
    if (!block) continue;
    let button = chunk.host.querySelector<HTMLButtonElement>(`button.block[data-first="${first}"]`);
    if (!button) {
      button = document.createElement('button');
      button.className = 'block';
      button.dataset.first = String(first);
      const params = { count: block.count, first: block.first, last: block.last };
      const text = ui(block.open ? 'diagram.foldBlock' : 'diagram.unfoldBlock', lang, params);
      button.setAttribute('aria-label', text);
      button.title = text;
      button.setAttribute('aria-expanded', String(block.open ?? false));
      button.addEventListener('click', () =>
        button?.dispatchEvent(new CustomEvent('ds-block', { detail: first, bubbles: true, composed: true })),
      );
      chunk.host.append(button);
    }
    const [left, top, right, bottom] = box.map((v) => Math.round(v * k)) as Box;
    Object.assign(button.style, {
      left: `${left - 2}px`,
      top: `${top - 2}px`,
      width: `${right - left + 4}px`,
      height: `${bottom - top + 4}px`,
    });
    if (focus === first) button.focus({ preventScroll: true });
  }
}

/** A block's button is hidden until its loop is revealed (the steps before it), as its label is. */
export function revealToggles(chunks: readonly Chunk[], position: number): void {
  for (const chunk of chunks) {
    for (const b of chunk.blocks) {
      const button = chunk.host.querySelector<HTMLButtonElement>(
        `button.block[data-first="${b.repeat.first}"]`,
      );
      if (button && button.hidden !== position < b.at) button.hidden = position < b.at;
    }
  }
}

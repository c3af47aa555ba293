import type { Chunk } from './diagramChunks.ts';
import { headHeight } from './diagramView.ts';

/**
 * The participant names that stay in view: a copy of the current command's row of participant
 * boxes, in a sticky strip at the top of the scroll area. The copy is an SVG of the same size
 * and view box as the drawing, holding only that row (and Mermaid's styles), so it lines up
 * with the columns at any zoom and scrolls sideways with them. Made once per command shown.
 */
export function fillHeader(strip: HTMLElement, chunk: Chunk | undefined): void {
  const svg = chunk?.host.querySelector('svg');
  if (!chunk || !svg) {
    strip.replaceChildren();
    strip.dataset.for = '';
    return;
  }
  const copy = svg.cloneNode(false) as SVGSVGElement;
  for (const child of svg.children) {
    if (child.tagName === 'style' || child.tagName === 'defs') copy.append(child.cloneNode(true));
  }
  for (const actor of svg.querySelectorAll('g[data-et="participant"]')) copy.append(actor.cloneNode(true));
  // No drop shadows in the strip: a filter is costly to paint, and one that points into the
  // drawing's own <defs> would tie the strip's painting to the drawing's.
  for (const shadowed of copy.querySelectorAll('[filter]')) shadowed.removeAttribute('filter');
  copy.setAttribute('aria-hidden', 'true');
  copy.classList.add('head');
  strip.replaceChildren(copy);
  strip.dataset.for = String(chunk.first);
  sizeHeader(strip, chunk);
}

/** Give the strip the chunk's scale (after a zoom or a resize). */
export function sizeHeader(strip: HTMLElement, chunk: Chunk): void {
  const copy = strip.querySelector('svg');
  if (!copy) return;
  copy.style.width = `${chunk.width * chunk.scale}px`;
  // The copy's own view box: the chunk may hold drawings appended below Mermaid's (diagramGrow.ts).
  copy.style.height = `${Number(copy.getAttribute('height')) * chunk.scale}px`;
  strip.style.height = `${headHeight(chunk)}px`;
}

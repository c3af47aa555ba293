import type { Chunk } from './diagramChunks.ts';

/**
 * How the diagram is fitted and scrolled, as pure arithmetic on geometry measured once per
 * drawing (see diagramChunks.ts): a step only reads these numbers, never the layout.
 */

/**
 * Zoom factors relative to the default scale (fit-to-width, or the readable scale in a narrow
 * box); index FIT_INDEX is that default itself.
 */
export const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4] as const;
export const FIT_INDEX = 2;
/** Never drawn larger than this (a narrow run on a wide projector). */
const MAX_SCALE = 1.5;

/** The visible part of the scroll area, in CSS px. */
export interface View {
  width: number;
  height: number;
  top: number;
  left: number;
}

/**
 * Below this width (a phone) the diagram is not fitted to the box: a docker run's drawing is
 * about 1,900 px wide, and fitted to 360 px its names would be 4 px tall.
 */
export const NARROW_VIEW = 600;
/**
 * The default scale in a narrow box: Mermaid's 16 px names drawn at 11 px, and a message
 * between neighbouring layers (about 150–350 px at natural size) still fits a phone's width.
 * Wider messages are reached by scrolling sideways (scrollFor brings their ends in).
 */
export const READABLE_SCALE = 0.7;

/** Whether a box this wide draws at the readable scale instead of fitting the width. */
export function isNarrow(viewWidth: number): boolean {
  return viewWidth > 0 && viewWidth < NARROW_VIEW;
}

/**
 * The scale that draws `chunk` at `zoom` × the width of the view (minus room for the marker),
 * or, in a narrow box, at `zoom` × the readable scale (never smaller than fitting the width).
 */
export function scaleFor(chunk: Pick<Chunk, 'width'>, viewWidth: number, zoom: number): number {
  if (chunk.width <= 0 || viewWidth <= 0) return 1;
  const fit = Math.max(0.05, (viewWidth - 28) / chunk.width);
  const base = isNarrow(viewWidth) ? Math.max(fit, READABLE_SCALE) : fit;
  return Math.min(MAX_SCALE, base * zoom);
}

/** Height of the sticky row of participant names for a chunk at its scale. */
export function headHeight(chunk: Pick<Chunk, 'headBottom' | 'scale'>): number {
  return chunk.headBottom > 0 ? Math.ceil((chunk.headBottom + 6) * chunk.scale) : 0;
}

/**
 * Where to scroll so message `index` of `chunk` shows whole, below the sticky names and with
 * some history above it: only when it is not already in view (a step never jumps the page),
 * unless `anchor` asks for the message near the bottom anyway.
 * `offset` is how far down the scroll area the chunk starts.
 */
export function scrollFor(
  view: View,
  chunk: Chunk,
  index: number,
  offset: number,
  anchor = false,
): { x: number; y: number } {
  const s = chunk.scale;
  const head = headHeight(chunk);
  const bottom = offset + (chunk.bottoms[index] ?? 0) * s;
  const top = offset + (chunk.tops[index] ?? 0) * s;
  const [l, r] = chunk.spans[index] ?? [0, 0];
  const left = l * s;
  const right = r * s;
  const margin = Math.min(48, view.height / 8);
  let y = view.top;
  // Anchored (a drawing just made, a jump): the message near the bottom, the steps before it above.
  if (anchor || bottom > view.top + view.height - margin) y = bottom - view.height + margin;
  else if (top < view.top + head + margin) y = Math.max(0, top - head - margin);
  let x = view.left;
  const side = 32;
  if (right > view.left + view.width - 8) x = Math.min(left - side, right - view.width + side);
  else if (left < view.left + side) x = Math.max(0, left - side);
  return { x: Math.max(0, x), y: Math.max(0, y) };
}

import type { Chunk } from './diagramChunks.ts';

/** Where a command stands at step `pos`: drawn whole above it, being stepped through, or to come. */
export type ChunkState = 'past' | 'current' | 'future';

export function stateAt(c: Pick<Chunk, 'first' | 'last'>, pos: number): ChunkState {
  return pos < c.first ? 'future' : pos >= c.last ? 'past' : 'current';
}

/**
 * How far down the drawings a chunk starts at step `pos`: the chunks above it are shown whole
 * once past. Worked out from the position, not read from the page, so a step can scroll before
 * it writes anything (see DsDiagram.reveal).
 */
export function offsetOf(chunks: readonly Chunk[], chunk: Chunk, pos: number): number {
  let offset = 0;
  for (const c of chunks) {
    if (c === chunk) break;
    if (stateAt(c, pos) === 'past') offset += c.height * c.scale;
  }
  return offset;
}

/**
 * The two marks a step moves: the curtain that hides the current command's later messages, and
 * the band around the current message. Both are moved only with transforms; their sizes change
 * only when the command changes, so the compositor moves them without a new layout or a repaint
 * of the drawing.
 */
export class StepMarks {
  readonly curtain = Object.assign(document.createElement('div'), { id: 'curtain' });
  readonly band = Object.assign(document.createElement('div'), { id: 'band' });

  /** Take both away (no drawn command holds the position). */
  clear(): void {
    this.curtain.remove();
    this.band.remove();
  }

  /**
   * Move the curtain below message `pos` of `chunk` and the band around it. `layer` is the layer
   * over the drawings the band lives in, `offset` how far down the drawings the chunk starts.
   */
  place(chunk: Chunk, pos: number, layer: Element | null, offset: number): void {
    const { curtain, band } = this;
    const k = chunk.scale;
    if (curtain.parentElement !== chunk.host) chunk.host.append(curtain);
    // The band lives in a layer of its own over the drawings, not inside the chunk: resized
    // inside it, it made Chromium paint the visible part of the drawing again on every step.
    if (layer && band.parentElement !== layer) layer.append(band);
    // Compared with what was written last, not read back: the browser rounds what it stores,
    // so a read-back never matches and the write (a new layout and paint) would recur per step.
    const height = `${Math.ceil(chunk.height * k)}px`;
    if (curtain.dataset.height !== height) {
      curtain.dataset.height = height;
      curtain.style.height = height;
    }
    const i = chunk.rowOf(pos);
    // A little room below the message, but never into the next message's label.
    const bottom = Math.min(((chunk.bottoms[i] ?? 0) + 12) * k, ((chunk.tops[i + 1] ?? Infinity) - 1) * k);
    curtain.style.transform = `translateY(${Math.round(bottom)}px)`;
    // Whole pixels: a scaled drawing gives fractions, and a layer moved or sized by a fraction
    // of a pixel makes Chromium paint what lies under it again.
    const [left, right] = (chunk.spans[i] ?? [0, 0]).map((v) => Math.round(v * k)) as [number, number];
    const top = Math.round(((chunk.tops[i] ?? 0) - 6) * k);
    const width = right - left + 16;
    const tall = Math.round(bottom) - top;
    const size = `${width}x${tall}`;
    if (band.dataset.size !== size) {
      band.dataset.size = size;
      band.style.width = `${width}px`;
      band.style.height = `${tall}px`;
    }
    band.style.transform = `translate(${left - 8}px, ${Math.round(offset) + top}px)`;
  }
}

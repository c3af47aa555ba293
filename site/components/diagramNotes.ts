import type { Chunk } from './diagramChunks.ts';
import type { View } from './diagramView.ts';

/**
 * A note over every column (a command's, a lesson's) is as wide as the drawing, and Mermaid
 * centres its text in it: zoomed in and scrolled sideways, the reader saw a blank yellow bar.
 * So its text follows the view: centred in the part of its note in view, never out of the note. Geometry is measured once
 * per drawing; a sideways scroll or a zoom only moves the text (at fit-to-width nothing moves).
 */
export interface WideNote {
  texts: SVGTextElement[];
  /** The note's left edge and width, and half its text's width, in px at natural size. */
  x: number;
  width: number;
  half: number;
  /** The shift applied now, in px at natural size. */
  dx: number;
  /** Drawing units per px at natural size (the SVG's view box against its box). */
  unit: number;
}

/** Room kept between the text and the view's or the note's edge, in px at natural size. */
const PAD = 12;

/** The notes wider than half the drawing, with their text, measured at natural size. */
export function wideNotes(svg: SVGSVGElement, box: DOMRect): WideNote[] {
  const unit = box.width > 0 ? svg.viewBox.baseVal.width / box.width || 1 : 1;
  const notes: WideNote[] = [];
  for (const rect of svg.querySelectorAll('rect.note')) {
    const r = rect.getBoundingClientRect();
    if (r.width < box.width / 2 || !rect.parentElement) continue;
    const texts = [...rect.parentElement.querySelectorAll<SVGTextElement>('text.noteText')];
    const widths = texts.map((t) => t.getBoundingClientRect().width);
    if (texts.length === 0) continue;
    notes.push({ texts, x: r.left - box.left, width: r.width, half: Math.max(...widths) / 2, dx: 0, unit });
  }
  return notes;
}

/** Move each wide note's text into the part of its note in view (see above). */
export function followNotes(chunks: readonly Chunk[], view: View): void {
  for (const chunk of chunks) {
    const k = chunk.scale;
    if (chunk.notes.length === 0 || k <= 0) continue;
    const left = view.left / k;
    const right = (view.left + view.width) / k;
    for (const note of chunk.notes) {
      const centre = note.x + note.width / 2;
      const [from, to] = [Math.max(left, note.x), Math.min(right, note.x + note.width)];
      // Centred in the part of the note in view (none in view: left as drawn).
      const wanted = from < to ? (from + to) / 2 : centre;
      const inNote = Math.min(
        Math.max(wanted, note.x + note.half + PAD),
        note.x + note.width - note.half - PAD,
      );
      const dx = Math.round(inNote - centre);
      if (dx === note.dx) continue;
      note.dx = dx;
      for (const t of note.texts) t.setAttribute('transform', dx ? `translate(${dx * note.unit} 0)` : '');
    }
  }
}

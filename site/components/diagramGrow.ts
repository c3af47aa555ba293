import {
  appendStatements,
  continuation,
  labelsFit,
  parseStatements,
  removeDrawn,
  penFor,
  type Pen,
  type Statement,
} from './diagramAppend.ts';
import { indexChunk, scaleChunk, type Chunk } from './diagramChunks.ts';

/**
 * A command's drawing grown by its new messages only (see diagramAppend.ts): a container that
 * goes on writing while the learner types the next command added a few arrows to a drawing of
 * two hundred, which Mermaid drew again whole — seconds of a blocked page on a slow laptop.
 * Applies when the new text is the old one with statements added after it (no block opened or
 * closed), and the drawing is Mermaid's whole one, not its short first one.
 */
export function appendGrowth(old: Chunk, next: Omit<Chunk, 'host'>): Chunk | undefined {
  if (!old.rendered || old.command !== next.command || old.first !== next.first) return undefined;
  if (!next.text.startsWith(old.text) || old.steps.some((seq, i) => next.steps[i] !== seq)) return undefined;
  const statements = parseStatements(next.text.slice(old.text.length).split('\n'));
  const svgs = drawings(old.host);
  const [first] = svgs;
  const pen = penOf(svgs.at(-1));
  if (!first || !statements || !pen || !statements.every((s) => fits(pen, s))) return undefined;
  const target =
    pen.svg === first || (pens.get(pen.svg)?.count ?? 0) >= PIECE ? continuation(pen) : { svg: pen.svg, pen };
  if (target.svg !== pen.svg) old.host.insertBefore(target.svg, svgs.at(-1)?.nextSibling ?? null);
  const before = { y: target.pen.y, number: target.pen.number };
  const drawn = appendStatements(target.pen, statements) ?? [];
  if (!labelsFit(target.pen, drawn)) {
    // Taken back whole: the command is drawn again by Mermaid, its columns spaced for these labels.
    if (target.svg !== pen.svg) target.svg.remove();
    else removeDrawn(target.pen, drawn.flat(), before.y);
    target.pen.number = before.number;
    return undefined;
  }
  const added = drawn.filter((els) => els.some((e) => e.matches('.messageLine0, .messageLine1')));
  pens.set(target.svg, { pen: target.pen, count: (pens.get(target.svg)?.count ?? 0) + added.length });
  const { host, labels, notes, headBottom, scale, width } = old;
  const chunk: Chunk = { ...next, host, labels, notes, headBottom, scale, width, rendered: true };
  chunk.height = naturalHeight(drawings(host));
  scaleChunk(chunk, scale);
  const geometry = measure(first, added, scale);
  chunk.parts = [...old.parts, ...added];
  chunk.tops = [...old.tops, ...geometry.tops];
  chunk.bottoms = [...old.bottoms, ...geometry.bottoms];
  chunk.spans = [...old.spans, ...geometry.spans];
  added.forEach((els, i) => {
    const step = String(chunk.steps[old.parts.length + i] ?? chunk.first + old.parts.length + i);
    for (const e of els) e.setAttribute('data-step', step);
  });
  return chunk;
}

/** Messages drawn into one drawing below Mermaid's before the next one is begun. */
const PIECE = 24;

/** The pens of the drawings appended below Mermaid's, and how many messages each holds. */
const pens = new WeakMap<SVGSVGElement, { pen: Pen; count: number }>();

function penOf(svg: SVGSVGElement | undefined): Pen | undefined {
  return svg && (pens.get(svg)?.pen ?? penFor(svg));
}

function fits(pen: Pen, s: Statement): boolean {
  if (s.kind === 'arrow') return pen.cols.has(s.from) && pen.cols.has(s.to);
  return s.kind === 'note' ? s.cols.every((c) => pen.cols.has(c)) : true;
}

/** A chunk's drawings: Mermaid's, then the ones appended below it. */
export function drawings(host: HTMLElement): SVGSVGElement[] {
  return [...host.children].filter((e): e is SVGSVGElement => e instanceof SVGSVGElement);
}

/** The height of a chunk's drawings at natural size, less where they overlap. */
export function naturalHeight(svgs: readonly SVGSVGElement[]): number {
  return svgs.reduce(
    (sum, svg) => sum + Number(svg.getAttribute('height')) - Number(svg.dataset.overlap ?? 0),
    0,
  );
}

/** Top, bottom and horizontal extent of each message's elements, at natural size. */
function measure(
  svg: SVGSVGElement,
  parts: Element[][],
  scale: number,
): Pick<Chunk, 'tops' | 'bottoms' | 'spans'> {
  const box = svg.getBoundingClientRect();
  const k = scale > 0 ? scale : 1;
  const rects = parts.map((els) => els.map((e) => e.getBoundingClientRect()));
  return {
    tops: rects.map((rs) => Math.min(...rs.map((r) => r.top - box.top)) / k),
    bottoms: rects.map((rs) => Math.max(...rs.map((r) => r.bottom - box.top)) / k),
    spans: rects.map((rs) => [
      Math.min(...rs.map((r) => r.left - box.left)) / k,
      Math.max(...rs.map((r) => r.right - box.left)) / k,
    ]),
  };
}

/** The participant lines of a command's text: drawings with the same ones share their columns. */
function header(text: string): string {
  return text
    .split('\n')
    .filter((l) => /^\s*participant /.test(l))
    .join('\n');
}

/**
 * A new command drawn by hand on the columns of a command Mermaid already drew with the same
 * participants: its participant row, lifelines, markers and styles copied, its statements
 * appended. A short command (`docker ps`) then shows as soon as it is computed instead of after
 * a whole Mermaid drawing. Only for a text of plain messages and notes (see diagramAppend.ts).
 */
export function drawByHand(chunk: Chunk, drawn: readonly Chunk[]): boolean {
  const statements = parseStatements(
    chunk.text.split('\n').filter((l) => !/^\s*(sequenceDiagram|participant |autonumber\s*$)/.test(l)),
  );
  const head = header(chunk.text);
  const template = drawn
    .find((c) => c !== chunk && c.rendered && header(c.text) === head)
    ?.host.querySelector('svg');
  if (!statements || !template || head === '') return false;
  const svg = template.cloneNode(false) as SVGSVGElement;
  svg.removeAttribute('style');
  delete svg.dataset.size;
  for (const child of template.children) {
    const lifeline = child.tagName === 'g' && child.querySelector(':scope > line.actor-line');
    if (child.tagName === 'style' || child.tagName === 'defs' || lifeline) svg.append(child.cloneNode(true));
  }
  const pen = penFor(svg);
  const templatePen = penFor(template);
  if (!pen || !templatePen) return false;
  const top = Math.max(
    ...[...svg.querySelectorAll('rect.actor-top')].map(
      (r) => Number(r.getAttribute('y')) + Number(r.getAttribute('height')),
    ),
  );
  pen.y = top;
  pen.number = 1;
  pen.margin = templatePen.margin;
  pen.line = templatePen.line;
  pen.arrowBelow = templatePen.arrowBelow;
  const shown = [...chunk.host.childNodes];
  chunk.host.replaceChildren(svg);
  const added = appendStatements(pen, statements);
  if (!added || !labelsFit(pen, added)) {
    // Left to Mermaid; what the chunk showed (a drawing kept while its command grew) stays meanwhile.
    chunk.host.replaceChildren(...shown);
    return false;
  }
  indexChunk(chunk);
  chunk.rendered = true;
  return true;
}

/**
 * Drawing only what is new: messages and notes appended to a sequence diagram Mermaid already
 * drew, at Mermaid's own columns and with its own elements, classes and markers, instead of
 * drawing the whole diagram again. Mermaid lays a diagram out in one pass and cannot add to it,
 * and its cost grows with the diagram (about 60 ms + 1.7 ms per message, 4 × that on a slow
 * laptop): a command that goes on gaining messages (a container that keeps writing) or a live
 * engine's stream would otherwise be drawn whole for every few new messages.
 *
 * The vertical arithmetic follows Mermaid's sequence renderer (boundMessage, drawMessage and
 * drawNote in mermaid/src/diagrams/sequence/sequenceRenderer.ts, with the site's configuration:
 * 16 px labels, boxMargin 10): a message's label starts 13 px below the previous one's end, and a
 * message to itself loops 30 px down. How far apart its label lines are and how far below the
 * last one its arrow is depend on the fonts the language's text is drawn in (Mermaid measures
 * each line: in English 19 px and 35 px, in Chinese lines of 24 px), so they are read from the
 * drawing Mermaid made (see metricsOf). Blocks (loop, alt, …) are never appended: their frames are measured from their whole
 * content, so a text holding one is drawn by Mermaid.
 */

const SVG = 'http://www.w3.org/2000/svg';
/** Mermaid's spacing of English labels: the defaults when a drawing has none to read. */
const LINE = 19;
const ARROW_BELOW = 35;
const TEXT_STYLE = 'font-size: 16px; font-weight: 400;';

/** One statement of a sequence diagram that can be appended. */
export type Statement =
  | {
      kind: 'arrow';
      from: string;
      to: string;
      dashed: boolean;
      head: 'arrowhead' | 'filled-head' | 'crosshead';
      lines: string[];
    }
  | { kind: 'note'; at: 'right' | 'left' | 'over'; cols: string[]; lines: string[] }
  | { kind: 'number'; next: number };

/** Where to go on drawing in a Mermaid drawing: its columns, its depth so far, its next number. */
export interface Pen {
  svg: SVGSVGElement;
  /** Each participant's lifeline, by its id in the Mermaid text. */
  cols: Map<string, number>;
  /** The depth the next statement starts at, in drawing units. */
  y: number;
  /** The number the next message shows. */
  number: number;
  /** Room below the last statement, kept as Mermaid left it. */
  margin: number;
  /** How far apart Mermaid drew a label's lines, and its arrow below the last one (metricsOf). */
  line: number;
  arrowBelow: number;
}

const ARROW = /^\s*([A-Za-z]\w*)(--?>>|--?\)|--?x)([A-Za-z]\w*): ?(.*)$/;
const NOTE = /^\s*Note (right of|left of|over) ([A-Za-z]\w*(?:, ?[A-Za-z]\w*)?): ?(.*)$/;
const NUMBER = /^\s*autonumber (\d+)\s*$/;

/** A label's lines as Mermaid shows them: `<br/>` breaks, entities (`#35;`, `#lt;`) decoded. */
export function labelLines(label: string): string[] {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: '\u00a0' };
  return label
    .split(/<br\s*\/?>/i)
    .map((l) =>
      l.replace(/#(\d+|[a-z]+);/g, (e, c: string) =>
        /^\d+$/.test(c) ? String.fromCodePoint(Number(c)) : (named[c] ?? e),
      ),
    );
}

/** The statements of these lines of Mermaid text, or undefined when one cannot be appended. */
export function parseStatements(lines: readonly string[]): Statement[] | undefined {
  const out: Statement[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const number = NUMBER.exec(line);
    const arrow = ARROW.exec(line);
    const note = NOTE.exec(line);
    if (number) out.push({ kind: 'number', next: Number(number[1]) });
    else if (arrow) {
      const [, from = '', type = '', to = '', label = ''] = arrow;
      const head = type.endsWith(')') ? 'filled-head' : type.endsWith('x') ? 'crosshead' : 'arrowhead';
      out.push({ kind: 'arrow', from, to, dashed: type.startsWith('--'), head, lines: labelLines(label) });
    } else if (note) {
      const [, at = '', cols = '', label = ''] = note;
      const where = at === 'over' ? 'over' : at === 'left of' ? 'left' : 'right';
      out.push({
        kind: 'note',
        at: where,
        cols: cols.split(',').map((c) => c.trim()),
        lines: labelLines(label),
      });
    } else return undefined;
  }
  return out;
}

/** Where statements end in a Mermaid drawing: its last arrow (a loop to itself: its end), note or frame. */
function depthOf(svg: SVGSVGElement): number {
  let y = 0;
  for (const e of svg.querySelectorAll('line.messageLine0, line.messageLine1, line.loopLine')) {
    y = Math.max(y, Number(e.getAttribute('y1')), Number(e.getAttribute('y2')));
  }
  for (const p of svg.querySelectorAll('path.messageLine0, path.messageLine1')) {
    const start = /^M\s*[\d.-]+,([\d.-]+)/.exec(p.getAttribute('d') ?? '');
    if (start) y = Math.max(y, Number(start[1]) + 30);
  }
  for (const r of svg.querySelectorAll('rect.note')) {
    y = Math.max(y, Number(r.getAttribute('y')) + Number(r.getAttribute('height')));
  }
  return y;
}

/** A pen for a drawing Mermaid made (or one this file added to), or undefined without columns. */
export function penFor(svg: SVGSVGElement): Pen | undefined {
  const cols = new Map<string, number>();
  for (const l of svg.querySelectorAll('line.actor-line')) {
    const name = l.getAttribute('name');
    if (name) cols.set(name, Number(l.getAttribute('x1')));
  }
  if (cols.size === 0) return undefined;
  const numbers = svg.querySelectorAll('text.sequenceNumber');
  const last = Number(numbers[numbers.length - 1]?.textContent ?? '0');
  const vb = svg.viewBox.baseVal;
  const y =
    depthOf(svg) ||
    Math.max(...[...svg.querySelectorAll('rect.actor-top')].map((r) => Number(r.getAttribute('height'))), 0);
  const margin = Math.max(20, vb.y + vb.height - y);
  return { svg, cols, y, number: last + 1, margin, ...metricsOf(svg) };
}

/**
 * The spacing of labels in a drawing Mermaid made: the most common distance between two lines of
 * one label, and between a one-line label and its arrow. Drawn at English spacing, Chinese
 * lines (taller) ran into each other.
 */
export function metricsOf(svg: SVGSVGElement): Pick<Pen, 'line' | 'arrowBelow'> {
  const lines: number[] = [];
  const below: number[] = [];
  let label: number[] = [];
  for (const e of svg.querySelectorAll('text.messageText, line.messageLine0, line.messageLine1')) {
    if (e.matches('text')) {
      label.push(Number(e.getAttribute('y')));
      continue;
    }
    label.slice(1).forEach((y, i) => lines.push(y - (label[i] ?? y)));
    // Read from one-line labels: below a longer one Mermaid leaves less room in Chinese.
    const [only] = label;
    if (label.length === 1 && only !== undefined) below.push(Number(e.getAttribute('y1')) - only);
    label = [];
  }
  return { line: mostCommon(lines) ?? LINE, arrowBelow: mostCommon(below) ?? ARROW_BELOW };
}

function mostCommon(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) if (v > 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function label(x: number, y: number, text: string, cls: string): SVGTextElement {
  const t = el('text', {
    x,
    y,
    'text-anchor': 'middle',
    'dominant-baseline': 'middle',
    'alignment-baseline': 'middle',
    class: cls,
    dy: '1em',
    style: TEXT_STYLE,
  });
  t.textContent = text;
  return t;
}

/** An arrow, its label above it and its number: appended in Mermaid's order (label, arrow, number). */
function drawArrow(pen: Pen, s: Extract<Statement, { kind: 'arrow' }>): Element[] | undefined {
  const from = pen.cols.get(s.from);
  const to = pen.cols.get(s.to);
  if (from === undefined || to === undefined) return undefined;
  const id = pen.svg.id;
  const self = from === to;
  const top = pen.y + 13;
  const y = top + pen.line * (s.lines.length - 1) + pen.arrowBelow;
  const rightward = from <= to;
  const [x1, x2] = self ? [from, from] : rightward ? [from + 7, to - 7] : [from + 5, to + 7];
  const mid = self ? from + 1 : (Math.min(from, to) + Math.max(from, to)) / 2 + (rightward ? 0.5 : 0);
  const parts: Element[] = s.lines.map((l, i) => label(mid, top + i * pen.line, l, 'messageText'));
  const style = s.dashed ? 'stroke-dasharray: 3, 3; fill: none;' : 'fill: none;';
  const common = {
    class: s.dashed ? 'messageLine1' : 'messageLine0',
    'data-et': 'message',
    'data-from': s.from,
    'data-to': s.to,
    'stroke-width': 2,
    stroke: 'none',
    'marker-end': `url(#${id}-${s.head})`,
    style,
  };
  parts.push(
    self
      ? el('path', {
          d: `M ${from + 1},${y} C ${from + 61},${y - 10} ${from + 61},${y + 30} ${from + 1},${y + 20}`,
          ...common,
        })
      : el('line', { x1, y1: y, x2, y2: y, ...common }),
  );
  const n = String(pen.number++);
  const size = n.length > 5 ? '7px' : n.length > 3 ? '9px' : '12px';
  pen.svg.append(
    ...parts,
    el('line', {
      x1: from,
      y1: y,
      x2: from,
      y2: y,
      'stroke-width': 0,
      'marker-start': `url(#${id}-sequencenumber)`,
    }),
  );
  const num = el('text', {
    x: from,
    y: y + 4,
    'font-family': 'sans-serif',
    'font-size': size,
    'text-anchor': 'middle',
    class: 'sequenceNumber',
  });
  num.textContent = n;
  pen.svg.append(num);
  parts.push(num);
  pen.y = self ? y + 30 : y;
  return parts;
}

/** A note: its box is sized once its text is in the drawing (one measure of the text). */
function drawNote(pen: Pen, s: Extract<Statement, { kind: 'note' }>): Element[] | undefined {
  const xs = s.cols.map((c) => pen.cols.get(c));
  if (xs.some((x) => x === undefined) || xs.length === 0) return undefined;
  const [a = 0, b = a] = xs as number[];
  const top = pen.y + 10;
  const height = 39 + pen.line * (s.lines.length - 1);
  const group = el('g', { 'data-et': 'note' });
  const rect = el('rect', { y: top, fill: '#EDF2AE', stroke: '#666', height, class: 'note' });
  const texts = s.lines.map((l, i) => label(0, top + 5 + i * pen.line, l, 'noteText'));
  group.append(rect, ...texts);
  pen.svg.append(group);
  const textWidth = Math.max(...texts.map((t) => t.getComputedTextLength()));
  const width = s.at === 'over' && s.cols.length > 1 ? Math.abs(b - a) + 30 : Math.max(120, textWidth + 20);
  const beside =
    s.at === 'right'
      ? a + 15
      : s.at === 'left'
        ? a - 15 - width
        : Math.min(a, b) - (s.cols.length > 1 ? 15 : width / 2);
  // Mermaid widens its drawing for a note beside the last column; a drawing appended to cannot
  // grow sideways (the columns above it would move), so the note is kept inside it instead.
  const vb = pen.svg.viewBox.baseVal;
  const left = Math.max(vb.x, Math.min(beside, vb.x + vb.width - width));
  rect.setAttribute('x', String(left));
  rect.setAttribute('width', String(width));
  for (const t of texts) t.setAttribute('x', String(left + width / 2));
  pen.y = top + height;
  return [group];
}

/**
 * Append statements to the pen's drawing; then grow its lifelines, view box and height to hold
 * them. Returns, per statement, the elements drawn (none for a number), or undefined (nothing
 * changed) when a statement names a column the drawing does not have.
 */
export function appendStatements(pen: Pen, statements: readonly Statement[]): Element[][] | undefined {
  const known = (c: string): boolean => pen.cols.has(c);
  const fits = statements.every((s) =>
    s.kind === 'arrow' ? known(s.from) && known(s.to) : s.kind === 'note' ? s.cols.every(known) : true,
  );
  if (!fits) return undefined;
  const drawn: Element[][] = [];
  for (const s of statements) {
    if (s.kind === 'number') {
      pen.number = s.next;
      drawn.push([]);
    } else drawn.push((s.kind === 'arrow' ? drawArrow(pen, s) : drawNote(pen, s)) ?? []);
  }
  extendTo(pen);
  return drawn;
}

/**
 * Whether each drawn arrow's label lies between its two lifelines. Mermaid spaced the columns
 * for the labels it drew, not for these: a longer one between two close columns ran over its
 * neighbours' lifelines, and the drawing is then left to Mermaid.
 */
export function labelsFit(pen: Pen, drawn: readonly Element[][]): boolean {
  for (const els of drawn) {
    const arrow = els.find((e) => e.matches('.messageLine0, .messageLine1'));
    const from = pen.cols.get(arrow?.getAttribute('data-from') ?? '');
    const to = pen.cols.get(arrow?.getAttribute('data-to') ?? '');
    if (from === undefined || to === undefined || from === to) continue;
    for (const t of els)
      if (t instanceof SVGTextElement && t.getComputedTextLength() > Math.abs(to - from)) return false;
  }
  return true;
}

/** The drawing made as deep as its statements and Mermaid's room below them. */
export function extendTo(pen: Pen): void {
  const { svg } = pen;
  const vb = svg.viewBox.baseVal;
  const height = pen.y + pen.margin - vb.y;
  // Mermaid's height attribute is a little less than its view box's (the drawing is shown
  // slightly smaller, centred): kept in proportion, so appended arrows meet its columns.
  const ratio = ratioOf(svg);
  vb.height = height;
  svg.setAttribute('height', String(height * ratio));
  for (const line of svg.querySelectorAll('line.actor-line'))
    line.setAttribute('y2', String(Math.floor(vb.y + height - 10)));
}

/**
 * A new drawing that goes on below `pen`'s: the same columns (lifelines, styles and markers
 * copied), no participant row, its view box starting at the depth the pen reached. Appending to
 * a drawing of hundreds of messages makes Chromium lay out and paint all of it again; appending
 * to a small one below it does not. It overlaps the room Mermaid left below the drawing above
 * (`data-overlap`, in drawing units), so the arrows follow on at Mermaid's spacing.
 */
export function continuation(pen: Pen): { svg: SVGSVGElement; pen: Pen } {
  const from = pen.svg;
  const svg = from.cloneNode(false) as SVGSVGElement;
  svg.removeAttribute('style');
  delete svg.dataset.size;
  svg.dataset.part = 'more';
  for (const child of from.children) {
    const lifeline = child.tagName === 'g' && child.querySelector(':scope > line.actor-line');
    if (child.tagName !== 'style' && child.tagName !== 'defs' && !lifeline) continue;
    const copy = child.cloneNode(true) as Element;
    for (const p of copy.querySelectorAll('[data-et="participant"]')) p.remove();
    for (const l of copy.querySelectorAll('line.actor-line')) l.setAttribute('y1', String(pen.y));
    svg.append(copy);
  }
  const vb = from.viewBox.baseVal;
  const ratio = ratioOf(from);
  svg.dataset.overlap = String((vb.y + vb.height - pen.y) * ratio);
  svg.setAttribute('viewBox', `${vb.x} ${pen.y} ${vb.width} ${pen.margin}`);
  svg.setAttribute('height', String(pen.margin * ratio));
  const next: Pen = { ...pen, svg };
  extendTo(next);
  return { svg, pen: next };
}

/** A drawing's height at natural size against its view box's (see extendTo). */
export function ratioOf(svg: SVGSVGElement): number {
  const h = svg.viewBox.baseVal.height;
  const attr = Number(svg.getAttribute('height'));
  return h > 0 && attr > 0 ? attr / h : 1;
}

/** Take back what an append drew (a held message's note, replaced by its arrow once released). */
export function removeDrawn(pen: Pen, drawn: readonly Element[], y: number): void {
  for (const e of drawn) e.remove();
  pen.y = y;
  extendTo(pen);
}

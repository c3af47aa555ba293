import { css, html } from 'lit';
import { loadMermaid } from '../components/diagramChunks.ts';
import { LiveElement } from './liveElement.ts';
import {
  appendStatements,
  parseStatements,
  penFor,
  removeDrawn,
  type Pen,
} from '../components/diagramAppend.ts';
import { heldNote, liveArrows, liveMermaid, WINDOW } from './liveMermaid.ts';

let renders = 0;

/**
 * Messages appended by hand before the drawing is made again by Mermaid (in its WINDOW): the
 * drawing of a long stream stays a few hundred arrows deep.
 */
const APPENDED = 200;

/** How long no message comes before a drawing past APPENDED is made again by Mermaid. */
const QUIET_MS = 2000;

/** A Mermaid drawing the page goes on appending to, and the held message's note drawn on it. */
interface Drawn {
  pen: Pen;
  /** The last step drawn. */
  last: number;
  appended: number;
  /** How many messages the drawing shows. */
  shown: number;
  note?: { els: Element[]; y: number; text: string };
}

/**
 * The live sequence diagram: the last WINDOW real messages drawn by Mermaid, then each new
 * message appended to that drawing by hand at Mermaid's columns (see
 * components/diagramAppend.ts): a message is painted in the task that receives it, not after
 * a whole drawing (124–414 ms for a 40-message window on a loaded machine). Mermaid draws the
 * columns (LIVE_COLUMNS) before any message comes, and again only when a message needs a column
 * the drawing lacks, or at a quiet moment after APPENDED messages (at 2 × APPENDED at once);
 * while it does, whatever arrives waits, and is appended once it is done. The held message is a note
 * appended the same way, taken back when the message is released. The message list beside it
 * (visually hidden) is the drawing's text alternative.
 */
export class DsLiveDiagram extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      :host {
        overflow: auto;
        background: var(--ds-diagram-bg);
        padding: 0.5rem;
      }
      .hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
    `,
  ];

  private drawing = false;
  private drawn: Drawn | undefined;
  /** The language the drawing speaks: another one is drawn again. */
  private drawnIn = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // Mermaid is loaded while the page waits for real work, not when the first message comes.
    void loadMermaid(document.documentElement.dataset.theme === 'dark');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.quiet);
  }

  protected override updated(): void {
    if (this.drawnIn !== this.language) this.drawn = undefined;
    this.drawnIn = this.language;
    if (!this.drawing && !this.appendNew()) void this.draw();
  }

  /** Append what is new to the drawing; false when Mermaid must draw it again. */
  private appendNew(): boolean {
    const d = this.drawn;
    if (!d) return false;
    const start = performance.now();
    const fresh = this.client.messages.filter((m) => m.seq > d.last);
    const held = this.client.gate.held?.next;
    const note = held ? heldNote(held, this.t('live.next', { call: held.call })) : '';
    if (fresh.length === 0 && note === (d.note?.text ?? '')) return true;
    if (d.appended + fresh.length > 2 * APPENDED) return false;
    // Past APPENDED, drawn again by Mermaid at the next quiet moment, not while messages come.
    if (d.appended + fresh.length > APPENDED) this.redrawWhenQuiet();
    const arrows = parseStatements(liveArrows(fresh, d.last));
    const noted = parseStatements(note ? [note] : []);
    const known = (p: string): boolean => d.pen.cols.has(p);
    const columns = [...fresh.flatMap((m) => [m.from, m.to]), ...(held ? [held.from, held.to] : [])];
    if (!arrows || !noted || !columns.every(known)) return false;
    if (d.note) removeDrawn(d.pen, d.note.els, d.note.y);
    d.note = undefined;
    appendStatements(d.pen, arrows);
    if (note) {
      const y = d.pen.y;
      d.note = { els: appendStatements(d.pen, noted)?.[0] ?? [], y, text: note };
    }
    d.last = fresh.at(-1)?.seq ?? d.last;
    d.appended += fresh.length;
    d.shown += fresh.length;
    this.scrollTop = this.scrollHeight;
    performance.measure('dockstep:live-append', { start });
    // The count above the drawing.
    if (fresh.length) this.requestUpdate();
    return true;
  }

  private quiet: ReturnType<typeof setTimeout> | undefined;

  private redrawWhenQuiet(): void {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => {
      if (this.drawing) return;
      this.drawn = undefined;
      void this.draw();
    }, QUIET_MS);
  }

  private async draw(): Promise<void> {
    const held = this.client.gate.held?.next;
    const messages = this.client.messages;
    // With no message yet, the columns alone: the first message is then appended too.
    const text = liveMermaid(messages, held, this.language);
    this.drawing = true;
    const start = performance.now();
    try {
      const mermaid = await loadMermaid(document.documentElement.dataset.theme === 'dark');
      const { svg } = await mermaid.render(`ds-live-${++renders}`, text);
      const host = this.renderRoot.querySelector('#svg');
      if (host) host.innerHTML = svg;
      const drawn = host?.querySelector('svg');
      drawn?.setAttribute('aria-hidden', 'true');
      // Every column in view: the drawing is scaled to the panel's width, and grows downwards.
      drawn?.style.setProperty('width', '100%');
      drawn?.style.setProperty('height', 'auto');
      drawn?.style.setProperty('max-width', `${Math.max(drawn.viewBox.baseVal.width, 600)}px`);
      const pen = drawn ? penFor(drawn) : undefined;
      const shown = messages.slice(-WINDOW);
      this.drawn = pen && { pen, last: shown.at(-1)?.seq ?? -1, appended: 0, shown: shown.length };
      this.scrollTop = this.scrollHeight;
      // One drawing's cost, for bench:live.
      performance.measure('dockstep:live-draw', { start });
    } finally {
      this.drawing = false;
    }
    // What came while drawing (and the held message's note) is appended now.
    if (this.drawn && !this.appendNew()) void this.draw();
  }

  override render() {
    const { messages, total } = this.client;
    return html`
      <p id="count">
        ${this.t('live.messages', { count: total, shown: this.drawn?.shown ?? Math.min(total, WINDOW) })}
      </p>
      <div id="svg"></div>
      <ol class="hidden" id="calls" aria-label=${this.t('live.diagram')}>
        ${messages.slice(-WINDOW).map((m) => html`<li value=${m.seq}>${m.from} → ${m.to}: ${m.call}</li>`)}
      </ol>
    `;
  }
}

customElements.define('ds-live-diagram', DsLiveDiagram);

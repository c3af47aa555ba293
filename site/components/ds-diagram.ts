import { css, html, nothing } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { chunksOf, PREVIEW, PREVIEW_AHEAD, renderChunk, screenText, type Chunk } from './diagramChunks.ts';
import './ds-diagram-text.ts';
import { firstDiagramDone } from '../state/phases.ts';


/**
 * The growing sequence diagram: one rendered SVG per command, clipped to the current step, with
 * the current message highlighted and scrolled into view. A command is drawn once; later steps
 * only move the clip and the highlight (see diagramChunks.ts for why).
 */
export class DsDiagram extends SessionElement {
  private chunks: Chunk[] = [];
  private highlighted: Element[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** Counts runs drawn: a drawing for an older run stops (see draw). */
  private generation = 0;
  /** Why Mermaid could not draw the diagram. */
  private failure: string | undefined;
  /** The viewport and scroll position, kept from events: reading them per step would force a layout of the whole SVG. */
  private view = { width: 0, height: 0, top: 0, left: 0 };
  private readonly resize = new ResizeObserver(([entry]) => {
    if (entry) this.view = { ...this.view, width: entry.contentRect.width, height: entry.contentRect.height };
  });

  static override styles = css`
    :host { display: block; overflow: auto; position: relative; background: var(--ds-diagram-bg, #fff); contain: strict; will-change: scroll-position; }
    /* clip, not hidden: the chunk is no scroll container, so its wide SVG still scrolls the
       diagram sideways, and nothing can scroll the clipped steps into view. */
    .chunk { position: relative; width: max-content; min-width: 100%; overflow-x: visible; overflow-y: clip; }
    .chunk[data-state='future'] { height: 0; }
    .loading { padding: 1rem; font-style: italic; }
    /* Per step only these two move, by transform: the compositor does it without a new layout
       or a repaint of the drawing. The curtain hides the current command's later messages. */
    #curtain, #band { position: absolute; left: 0; top: 0; will-change: transform; pointer-events: none; }
    #curtain { width: 100%; background: var(--ds-diagram-bg, #fff); }
    #band { border: 3px solid var(--ds-accent, #c2410c); border-radius: 6px; background: color-mix(in srgb, var(--ds-accent, #c2410c) 10%, transparent); }
    #band::before { content: '▶'; position: absolute; left: -1.4rem; top: 50%; translate: 0 -50%; color: var(--ds-accent, #c2410c); }
    svg text.current { font-weight: 700; }
    .bar { position: sticky; top: 0; left: 0; height: 0; z-index: 1; display: flex; justify-content: flex-end; }
    .bar button { font: inherit; margin: 0.4rem; min-height: 2rem; }
    .bar button:focus-visible, :host(:focus-visible) { outline: 3px solid var(--ds-focus, #1c7ed6); outline-offset: -3px; }
  `;

  static override properties = { ...SessionElement.properties, asText: { state: true } };
  /** Showing the text alternative instead of the drawing. */
  declare asText: boolean;

  constructor() {
    super();
    this.asText = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A scroll container the keyboard can reach, named by the app (aria-label).
    this.setAttribute('role', 'figure');
    this.tabIndex = 0;
    this.resize.observe(this);
    this.addEventListener('scroll', this.onScroll, { passive: true });
    void this.rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.removeEventListener('scroll', this.onScroll);
  }

  /**
   * A new drawing can change how far the diagram can scroll, and the browser clamps the scroll
   * position before telling us: read it again (one layout per drawing, never per step).
   */
  private syncView(): void {
    this.view = { ...this.view, top: this.scrollTop, left: this.scrollLeft };
  }

  private onScroll = (): void => {
    this.view = { ...this.view, top: this.scrollTop, left: this.scrollLeft };
  };

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'position') this.reveal();
    else if (why !== 'play') void this.rebuild(why === 'theme');
  }

  override render() {
    const lang = this.session.state.lang;
    return html`<div class="bar"><button id="as-text" aria-pressed=${String(this.asText)} @click=${() => (this.asText = !this.asText)}>${ui('diagram.alt', lang)}</button></div>
      ${this.asText ? html`<ds-diagram-text .session=${this.session}></ds-diagram-text>` : nothing}
      <div class="loading" role=${this.session.state.error || this.failure ? 'alert' : 'status'} ?hidden=${this.asText || this.chunks.some((c) => c.bottoms.length > 0)}>${this.session.state.error ?? this.failure ?? ui('diagram.loading', lang)}</div>
      <div id="chunks" ?hidden=${this.asText}></div>`;
  }

  /** The whole run's Mermaid text, as exported. */
  get texts(): string[] {
    return this.chunks.map((c) => c.text);
  }

  get svgs(): SVGSVGElement[] {
    return this.chunks.flatMap((c) => [...c.host.querySelectorAll('svg')]);
  }

  private async rebuild(fresh = false): Promise<void> {
    await this.updateComplete;
    if (fresh) this.chunks = [];
    const box = this.renderRoot.querySelector('#chunks');
    if (!box) return;
    const old = new Map(this.chunks.map((c) => [c.text, c]));
    this.chunks = chunksOf(this.session.trace, this.session.state.lang).map((c) => {
      const kept = old.get(c.text);
      if (kept && kept.first === c.first) return kept;
      const host = document.createElement('div');
      host.className = 'chunk';
      return { ...c, host };
    });
    box.replaceChildren(...this.chunks.map((c) => c.host));
    const dark = document.documentElement.dataset.theme === 'dark';
    const pos = this.session.state.position;
    const order = [...this.chunks].sort((a, b) => distance(a, pos) - distance(b, pos));
    if (order.length === 0 && !this.session.state.computing) firstDiagramDone();
    const generation = ++this.generation;
    // An older drawing waiting for a quiet moment gives way at once, not after its wait.
    this.interrupt();
    this.queue = this.queue.then(() => this.draw(order, dark, generation)).catch((e: unknown) => {
      this.failure = e instanceof Error ? e.message : String(e);
      firstDiagramDone();
      this.requestUpdate();
    });
    this.reveal();
    await this.queue;
  }

  /**
   * Draw the chunks nearest the position first; a long first one gets a short drawing first.
   * The other commands are drawn only after a quiet moment, one at a time, and a newer run
   * (a command just typed) makes this drawing stop at the next chunk: Mermaid cannot be
   * interrupted mid-drawing, so the less it has in hand, the sooner the new command shows.
   */
  private async draw(order: Chunk[], dark: boolean, generation: number): Promise<void> {
    const pos = this.session.state.position;
    const [nearest] = order;
    if (nearest && !nearest.rendered && nearest.bottoms.length === 0 && nearest.last - nearest.first > PREVIEW) {
      const upTo = Math.max(pos, nearest.first) + PREVIEW_AHEAD;
      await renderChunk(nearest, dark, screenText(this.session.trace, this.session.state.lang, nearest.command, upTo));
      nearest.rendered = false;
      this.syncView();
      this.reveal(true);
      firstDiagramDone();
      this.requestUpdate();
    }
    for (const chunk of order) {
      if (generation !== this.generation) return;
      if (chunk.rendered) continue;
      // The current command and the next one (a command just typed starts right after) are
      // drawn at once; the others wait.
      if (distance(chunk, pos) > 1) await this.quiet();
      if (generation !== this.generation) return;
      await renderChunk(chunk, dark);
      this.syncView();
      firstDiagramDone();
      this.reveal();
      this.requestUpdate();
      await idle();
    }
  }

  /**
   * Scroll the diagram (never the clipped chunks inside it) so the current message shows, from
   * geometry measured once at render: chunks above the current one are shown whole, so its top
   * is the sum of their heights. Only writes, no layout reads.
   */
  private bringIntoView(chunk: Chunk | undefined, index: number): void {
    if (!chunk || chunk.bottoms.length === 0 || !this.view.height) return;
    let offset = 0;
    for (const c of this.chunks) {
      if (c === chunk) break;
      if (c.host.dataset.state === 'past') offset += c.height;
    }
    const bottom = offset + (chunk.bottoms[index] ?? 0);
    const top = bottom - 64;
    const [left, right] = chunk.spans[index] ?? [0, 0];
    const v = this.view;
    const margin = 48;
    let y = v.top;
    if (bottom > v.top + v.height - margin) y = bottom - v.height + margin;
    else if (top < v.top + margin) y = Math.max(0, top - margin);
    let x = v.left;
    if (right > v.left + v.width) x = Math.min(left - margin, right - v.width + margin);
    else if (left < v.left) x = Math.max(0, left - margin);
    if (y !== v.top) this.scrollTop = y;
    if (x !== v.left) this.scrollLeft = x;
    this.view = { ...v, top: y, left: x };
  }

  /** `preview`: the nearest chunk holds its short first drawing (see renderChunk). */
  private reveal(preview = false): void {
    const pos = this.session.state.position;
    let chunk: Chunk | undefined;
    for (const c of this.chunks) {
      const state = pos < c.first ? 'future' : pos >= c.last ? 'past' : 'current';
      if (pos >= c.first && pos <= c.last) chunk = c;
      // Written only on change: even an unchanged attribute write restyles the drawing.
      if (c.host.dataset.state === state) continue;
      c.host.dataset.state = state;
      c.host.setAttribute('aria-hidden', String(state === 'future'));
    }
    const drawn = chunk && (chunk.rendered || (preview && chunk.bottoms.length > 0));
    this.cover(drawn ? chunk : undefined, pos);
    for (const e of this.highlighted) e.classList.remove('current');
    this.highlighted = (drawn && chunk?.parts[pos - chunk.first]?.slice(0, 1)) || [];
    for (const e of this.highlighted) e.classList.add('current');
    if (chunk) this.bringIntoView(chunk, pos - chunk.first);
    this.dispatchEvent(new CustomEvent('ds-revealed', { detail: { position: pos }, bubbles: true, composed: true }));
  }

  /**
   * Move the curtain below message `pos` and the band around it, inside the current chunk. Both
   * are moved only with transforms; their sizes change only when the command changes.
   */
  private cover(chunk: Chunk | undefined, pos: number): void {
    const curtain = this.curtain;
    const band = this.band;
    if (!chunk) {
      curtain.remove();
      band.remove();
      return;
    }
    if (curtain.parentElement !== chunk.host) {
      curtain.style.height = `${chunk.height}px`;
      chunk.host.append(curtain, band);
    }
    const i = pos - chunk.first;
    // A little room below the message, but never into the next message's label.
    const bottom = Math.min((chunk.bottoms[i] ?? 0) + 12, (chunk.tops[i + 1] ?? Infinity) - 1);
    curtain.style.transform = `translateY(${bottom}px)`;
    const [left, right] = chunk.spans[i] ?? [0, 0];
    const top = (chunk.tops[i] ?? 0) - 6;
    const size = `${Math.round(right - left + 16)}x${Math.round(bottom - top)}`;
    if (band.dataset.size !== size) {
      band.dataset.size = size;
      band.style.width = `${right - left + 16}px`;
      band.style.height = `${bottom - top}px`;
    }
    band.style.transform = `translate(${left - 8}px, ${top}px)`;
  }

  /** Ends the current drawing's wait for a quiet moment (a newer run is to be drawn). */
  private interrupt: () => void = () => undefined;

  /** Other commands than the current one wait QUIET_MS, then for an idle moment, unless interrupted. */
  private quiet(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => void idle().then(resolve), QUIET_MS);
      this.interrupt = () => (clearTimeout(timer), resolve());
    });
  }

  private readonly curtain = Object.assign(document.createElement('div'), { id: 'curtain' });
  private readonly band = Object.assign(document.createElement('div'), { id: 'band' });
}

function distance(c: Chunk, pos: number): number {
  return pos < c.first ? c.first - pos : pos > c.last ? pos - c.last : 0;
}

/** Other commands than the current one wait this long, then for an idle moment. */
const QUIET_MS = 400;

function idle(): Promise<void> {
  return new Promise((resolve) => ('requestIdleCallback' in window ? requestIdleCallback(() => resolve(), { timeout: 200 }) : setTimeout(resolve, 0)));
}

customElements.define('ds-diagram', DsDiagram);

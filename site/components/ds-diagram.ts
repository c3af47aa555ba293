import { css, html } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { chunksOf, renderChunk, type Chunk } from './diagramChunks.ts';

/**
 * The growing sequence diagram: one rendered SVG per command, clipped to the current step, with
 * the current message highlighted and scrolled into view. A command is drawn once; later steps
 * only move the clip and the highlight (see diagramChunks.ts for why).
 */
export class DsDiagram extends SessionElement {
  private chunks: Chunk[] = [];
  private highlighted: Element[] = [];
  private queue: Promise<void> = Promise.resolve();

  static override styles = css`
    :host { display: block; overflow: auto; position: relative; background: var(--ds-diagram-bg, #fff); }
    .chunk { overflow: hidden; transition: height var(--ds-motion, 120ms) ease-out; }
    .chunk[data-state='future'] { height: 0; }
    .loading { padding: 1rem; font-style: italic; }
    svg .current { fill: var(--ds-accent, #d9480f) !important; stroke: var(--ds-accent, #d9480f) !important; font-weight: 700; }
    svg line.current, svg path.current { stroke-width: 3px !important; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.rebuild();
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'position') this.reveal();
    else if (why !== 'play') void this.rebuild(why === 'theme');
  }

  override render() {
    return html`<div class="loading" ?hidden=${this.chunks.some((c) => c.rendered)}>${ui('diagram.loading', this.session.state.lang)}</div><div id="chunks"></div>`;
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
    this.queue = this.queue.then(async () => {
      for (const chunk of order) {
        if (chunk.rendered) continue;
        await renderChunk(chunk, dark);
        this.reveal();
        this.requestUpdate();
        await idle();
      }
    });
    this.reveal();
    await this.queue;
  }

  private bringIntoView(el: Element | undefined): void {
    for (const c of this.chunks) c.host.scrollTop = 0;
    if (el) scrollToShow(this, el);
  }

  private reveal(): void {
    const pos = this.session.state.position;
    for (const c of this.chunks) {
      const state = pos < c.first ? 'future' : pos >= c.last ? 'past' : 'current';
      c.host.dataset.state = state;
      c.host.setAttribute('aria-hidden', String(state === 'future'));
      c.host.style.height = state === 'current' && c.rendered ? `${(c.bottoms[pos - c.first] ?? 0) + 12}px` : '';
    }
    for (const e of this.highlighted) e.classList.remove('current');
    const chunk = this.chunks.find((c) => pos >= c.first && pos <= c.last);
    this.highlighted = chunk?.parts[pos - chunk.first] ?? [];
    for (const e of this.highlighted) e.classList.add('current');
    this.bringIntoView(this.highlighted[0]);
    this.dispatchEvent(new CustomEvent('ds-revealed', { detail: { position: pos }, bubbles: true, composed: true }));
  }
}

/**
 * Scroll the diagram (not the clipped chunks inside it) so the element shows. scrollIntoView
 * would also scroll a chunk's own overflow box and uncover the steps its clip hides.
 */
function scrollToShow(box: HTMLElement, el: Element): void {
  const b = box.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const margin = 48;
  if (r.bottom > b.bottom - margin) box.scrollTop += r.bottom - b.bottom + margin;
  else if (r.top < b.top + margin) box.scrollTop -= b.top + margin - r.top;
  if (r.right > b.right) box.scrollLeft += Math.min(r.right - b.right + margin, r.left - b.left - margin);
  else if (r.left < b.left) box.scrollLeft -= b.left - r.left + margin;
}

function distance(c: Chunk, pos: number): number {
  return pos < c.first ? c.first - pos : pos > c.last ? pos - c.last : 0;
}

function idle(): Promise<void> {
  return new Promise((resolve) => ('requestIdleCallback' in window ? requestIdleCallback(() => resolve(), { timeout: 200 }) : setTimeout(resolve, 0)));
}

customElements.define('ds-diagram', DsDiagram);

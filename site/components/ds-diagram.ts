import { css, html } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { chunksOf, renderChunk, type Chunk } from './diagramChunks.ts';

/** A first command longer than this is first drawn around the position only. */
const PREVIEW = 60;

/**
 * The growing sequence diagram: one rendered SVG per command, clipped to the current step, with
 * the current message highlighted and scrolled into view. A command is drawn once; later steps
 * only move the clip and the highlight (see diagramChunks.ts for why).
 */
export class DsDiagram extends SessionElement {
  private chunks: Chunk[] = [];
  private highlighted: Element[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** The viewport and scroll position, kept from events: reading them per step would force a layout of the whole SVG. */
  private view = { width: 0, height: 0, top: 0, left: 0 };
  private readonly resize = new ResizeObserver(([entry]) => {
    if (entry) this.view = { ...this.view, width: entry.contentRect.width, height: entry.contentRect.height };
  });

  static override styles = css`
    :host { display: block; overflow: auto; position: relative; background: var(--ds-diagram-bg, #fff); }
    /* clip, not hidden: the chunk is no scroll container, so its wide SVG still scrolls the
       diagram sideways, and nothing can scroll the clipped steps into view. */
    .chunk { overflow-x: visible; overflow-y: clip; }
    .chunk[data-state='future'] { height: 0; }
    .loading { padding: 1rem; font-style: italic; }
    svg .current { fill: var(--ds-accent, #d9480f) !important; stroke: var(--ds-accent, #d9480f) !important; font-weight: 700; }
    svg line.current, svg path.current { stroke-width: 3px !important; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
    this.addEventListener('scroll', this.onScroll, { passive: true });
    void this.rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.removeEventListener('scroll', this.onScroll);
  }

  private onScroll = (): void => {
    this.view = { ...this.view, top: this.scrollTop, left: this.scrollLeft };
  };

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'position') this.reveal();
    else if (why !== 'play') void this.rebuild(why === 'theme');
  }

  override render() {
    return html`<div class="loading" ?hidden=${this.chunks.some((c) => c.bottoms.length > 0)}>${ui('diagram.loading', this.session.state.lang)}</div><div id="chunks"></div>`;
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
      const [nearest] = order;
      if (nearest && !nearest.rendered && nearest.last - nearest.first > PREVIEW) {
        const upTo = Math.max(pos, nearest.first) + PREVIEW / 2;
        await renderChunk(nearest, dark, toMermaid(this.session.trace, { lang: this.session.state.lang, command: nearest.command, allParticipants: true, upTo }));
        nearest.rendered = false;
        this.reveal(true);
        markFirstDiagram();
        this.requestUpdate();
      }
      for (const chunk of order) {
        if (chunk.rendered) continue;
        await renderChunk(chunk, dark);
        markFirstDiagram();
        this.reveal();
        this.requestUpdate();
        await idle();
      }
    });
    this.reveal();
    await this.queue;
  }

  /**
   * Scroll the diagram (never the clipped chunks inside it) so the current message shows, from
   * geometry measured once at render: chunks above the current one are shown whole, so its top
   * is the sum of their heights. Only writes, no layout reads.
   */
  private bringIntoView(chunk: Chunk | undefined, index: number): void {
    if (!chunk?.rendered || !this.view.height) return;
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
    for (const c of this.chunks) {
      const state = pos < c.first ? 'future' : pos >= c.last ? 'past' : 'current';
      c.host.dataset.state = state;
      c.host.setAttribute('aria-hidden', String(state === 'future'));
      const drawn = c.rendered || (preview && c.bottoms.length > 0);
      c.host.style.height = state === 'current' && drawn ? `${(c.bottoms[pos - c.first] ?? 0) + 12}px` : '';
    }
    for (const e of this.highlighted) e.classList.remove('current');
    const chunk = this.chunks.find((c) => pos >= c.first && pos <= c.last);
    this.highlighted = chunk?.parts[pos - chunk.first] ?? [];
    for (const e of this.highlighted) e.classList.add('current');
    if (chunk) this.bringIntoView(chunk, pos - chunk.first);
    this.dispatchEvent(new CustomEvent('ds-revealed', { detail: { position: pos }, bubbles: true, composed: true }));
  }
}

/** For bench:site: when the first diagram is on the page. */
function markFirstDiagram(): void {
  if (performance.getEntriesByName('dockstep:first-diagram').length === 0) performance.mark('dockstep:first-diagram');
}

function distance(c: Chunk, pos: number): number {
  return pos < c.first ? c.first - pos : pos > c.last ? pos - c.last : 0;
}

function idle(): Promise<void> {
  return new Promise((resolve) => ('requestIdleCallback' in window ? requestIdleCallback(() => resolve(), { timeout: 200 }) : setTimeout(resolve, 0)));
}

customElements.define('ds-diagram', DsDiagram);

import { css, html } from 'lit';
import { loadMermaid } from '../components/diagramChunks.ts';
import { LiveElement } from './liveElement.ts';
import { liveMermaid, WINDOW } from './liveMermaid.ts';

let renders = 0;

/**
 * The live sequence diagram: the last WINDOW real messages, drawn by Mermaid. Drawing is
 * coalesced: while one drawing runs, whatever arrives waits, and the next drawing takes it all
 * at once — a burst of messages costs one or two drawings, never one per message. The message
 * list beside it (visually hidden) is the drawing's text alternative.
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
  private drawn = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // Mermaid is loaded while the page waits for real work, not when the first message comes.
    void loadMermaid(document.documentElement.dataset.theme === 'dark');
  }

  protected override updated(): void {
    void this.draw();
  }

  private async draw(): Promise<void> {
    const held = this.client.gate.held?.next;
    const label = held ? this.t('live.next', { call: held.call }) : '';
    const text = liveMermaid(this.client.messages, held, this.language, label);
    if (this.drawing || text === this.drawn || this.client.messages.length + (held ? 1 : 0) === 0) return;
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
      this.drawn = text;
      this.scrollTop = this.scrollHeight;
      // One drawing's cost, for bench:live.
      performance.measure('dockstep:live-draw', { start });
    } finally {
      this.drawing = false;
    }
    // What came while drawing is drawn now.
    if (text !== liveMermaid(this.client.messages, this.client.gate.held?.next, this.language, label))
      void this.draw();
  }

  override render() {
    const { messages, total } = this.client;
    return html`
      <p id="count">${this.t('live.messages', { count: total, shown: Math.min(total, WINDOW) })}</p>
      <div id="svg"></div>
      <ol class="hidden" id="calls" aria-label=${this.t('live.diagram')}>
        ${messages.slice(-WINDOW).map((m) => html`<li value=${m.seq}>${m.from} → ${m.to}: ${m.call}</li>`)}
      </ol>
    `;
  }
}

customElements.define('ds-live-diagram', DsLiveDiagram);

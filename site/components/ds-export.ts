import { css, html } from 'lit';
import { toMermaid } from '../../src/views/mermaid.ts';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { markdownTranscript, save, stackSvgs, svgToPng } from './exports.ts';

type Kind = 'mermaid' | 'svg' | 'png' | 'markdown';
const BUTTONS: readonly { kind: Kind; label: UiKey }[] = [
  { kind: 'mermaid', label: 'export.mermaid' },
  { kind: 'svg', label: 'export.svg' },
  { kind: 'png', label: 'export.png' },
  { kind: 'markdown', label: 'export.markdown' },
];

/** The diagram element: `svgs` gives one rendered SVG per command. */
interface DiagramLike extends Element {
  readonly svgs: SVGSVGElement[];
}

/**
 * Export the whole run: its Mermaid text (.mmd), the rendered diagram as SVG or PNG, and a
 * Markdown transcript (narration of every step, the CLI's output, the Mermaid text). The result
 * of each export is announced in a polite live region.
 */
export class DsExport extends SessionElement {
  static override properties = { ...SessionElement.properties, status: { state: true } };
  declare status: string;

  static override styles = css`
    :host { display: block; }
    .buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    button { font: inherit; min-height: 2.2rem; }
    button:focus-visible { outline: 3px solid var(--ds-focus); outline-offset: 2px; }
    p { margin: 0.3rem 0 0; font-size: 0.85rem; }
  `;

  constructor() {
    super();
    this.status = '';
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'lang') this.requestUpdate();
  }

  override render() {
    const lang = this.session.state.lang;
    return html`
      <div class="buttons">
        ${BUTTONS.map(({ kind, label }) => html`<button id=${`export-${kind}`} @click=${() => void this.export(kind)}>${ui(label, lang)}</button>`)}
      </div>
      <p>${ui('export.hint', lang)}</p>
      <p id="export-status" role="status" aria-live="polite">${this.status}</p>
    `;
  }

  /** ds-diagram lives in an outer shadow root: look in each enclosing root in turn. */
  private diagram(): DiagramLike | undefined {
    for (let root: Node = this.getRootNode(); ; ) {
      const found = (root as Document | ShadowRoot).querySelector?.('ds-diagram');
      if (found && 'svgs' in found) return found as DiagramLike;
      if (!(root instanceof ShadowRoot)) return undefined;
      root = root.host.getRootNode();
    }
  }

  private async export(kind: Kind): Promise<void> {
    const { lang } = this.session.state;
    const trace = this.session.trace;
    const parent = this.renderRoot;
    try {
      let file: string;
      if (kind === 'mermaid') {
        file = 'dockstep.mmd';
        save(parent, new Blob([toMermaid(trace, { lang })], { type: 'text/plain;charset=utf-8' }), file);
      } else if (kind === 'markdown') {
        file = 'dockstep-transcript.md';
        save(parent, new Blob([markdownTranscript(trace, lang)], { type: 'text/markdown;charset=utf-8' }), file);
      } else {
        const diagram = this.diagram();
        const svgs = diagram?.svgs ?? [];
        if (!diagram || svgs.length === 0) throw new Error(ui('export.noDiagram', lang));
        const stacked = stackSvgs(svgs, getComputedStyle(diagram).backgroundColor || '#ffffff');
        file = `dockstep.${kind}`;
        const blob = kind === 'svg' ? new Blob([stacked.text], { type: 'image/svg+xml' }) : await svgToPng(stacked.text, stacked.width, stacked.height);
        save(parent, blob, file);
      }
      this.status = ui('export.saved', lang, { file });
    } catch (e) {
      this.status = ui('export.failed', lang, { reason: e instanceof Error ? e.message : String(e) });
    }
  }
}

customElements.define('ds-export', DsExport);

import { css, html } from 'lit';
import { toMermaid } from '../../src/views/mermaid.ts';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { drawWhole, markdownTranscript, save, stackSvgs, svgToPng, traceUpTo } from './exports.ts';
import { focusRing } from './focusRing.ts';

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
 * Export the whole run, or the run up to the current step: its Mermaid text (.mmd), the rendered diagram as SVG or PNG, and a
 * Markdown transcript (narration of every step, the CLI's output, the Mermaid text). The result
 * of each export is announced in a polite live region.
 */
export class DsExport extends SessionElement {
  static override properties = {
    ...SessionElement.properties,
    status: { state: true },
    upToStep: { state: true },
  };
  declare status: string;
  /** Export the run up to the current step rather than whole. */
  declare upToStep: boolean;

  static override styles = css`
    :host {
      display: block;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
    }
    button {
      font: inherit;
      min-height: 2.2rem;
    }
    button:focus-visible {
      ${focusRing}
    }
    p {
      margin: 0.3rem 0 0;
      font-size: 0.85rem;
    }
    label {
      display: block;
      margin-bottom: 0.4rem;
    }
    select {
      font: inherit;
      min-height: 2.2rem;
    }
  `;

  constructor() {
    super();
    this.status = '';
    this.upToStep = false;
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'lang' || (why === 'position' && this.upToStep)) this.requestUpdate();
  }

  override render() {
    const lang = this.session.state.lang;
    return html`
      <label
        >${ui('export.scope', lang)}
        <select
          id="export-scope"
          @change=${(e: Event) => (this.upToStep = (e.target as HTMLSelectElement).value === 'step')}
        >
          <option value="whole" ?selected=${!this.upToStep}>${ui('export.whole', lang)}</option>
          <option value="step" ?selected=${this.upToStep}>
            ${ui('export.upTo', lang, { n: this.session.state.position })}
          </option>
        </select>
      </label>
      <div class="buttons">
        ${BUTTONS.map(({ kind, label }) => html`<button id=${`export-${kind}`} @click=${() => void this.export(kind)}>${ui(label, lang)}</button>`)}
      </div>
      <p>${ui('export.hint', lang)}</p>
      <p id="export-status" role="status" aria-live="polite">${this.status}</p>
    `;
  }

  /** ds-diagram lives in an outer shadow root: look in each enclosing root in turn. */
  private diagram(): DiagramLike | undefined {
    for (let root: Node = this.getRootNode(); ;) {
      const found = (root as Document | ShadowRoot).querySelector?.('ds-diagram');
      if (found && 'svgs' in found) return found as DiagramLike;
      if (!(root instanceof ShadowRoot)) return undefined;
      root = root.host.getRootNode();
    }
  }

  private async export(kind: Kind): Promise<void> {
    const { lang } = this.session.state;
    const whole = this.session.trace;
    const trace = this.upToStep ? traceUpTo(whole, this.session.state.position) : whole;
    const parent = this.renderRoot;
    try {
      let file: string;
      if (kind === 'mermaid') {
        file = 'dockstep.mmd';
        save(parent, new Blob([toMermaid(trace, { lang })], { type: 'text/plain;charset=utf-8' }), file);
      } else if (kind === 'markdown') {
        file = 'dockstep-transcript.md';
        save(
          parent,
          new Blob([markdownTranscript(trace, lang)], { type: 'text/markdown;charset=utf-8' }),
          file,
        );
      } else {
        const diagram = this.diagram();
        const dark = document.documentElement.dataset.theme === 'dark';
        // Up to a step: drawn anew, only what has happened (the page's drawings hold whole commands).
        const svgs = this.upToStep ? [await drawWhole(trace, lang, dark)] : (diagram?.svgs ?? []);
        if (!diagram || svgs.length === 0) throw new Error(ui('export.noDiagram', lang));
        const stacked = stackSvgs(svgs, getComputedStyle(diagram).backgroundColor || '#ffffff');
        file = `dockstep.${kind}`;
        const blob =
          kind === 'svg'
            ? new Blob([stacked.text], { type: 'image/svg+xml' })
            : await svgToPng(stacked.text, stacked.width, stacked.height);
        save(parent, blob, file);
      }
      this.status = ui('export.saved', lang, { file });
    } catch (e) {
      this.status = ui('export.failed', lang, { reason: e instanceof Error ? e.message : String(e) });
    }
  }
}

customElements.define('ds-export', DsExport);

import { css, html, LitElement } from 'lit';
import { t, type Lang } from '../../src/i18n/text.ts';
import type { Participant } from '../../src/model/participants.ts';
import type { FoldOptions } from '../../src/views/fold.ts';
import { ui } from '../i18n/ui.ts';

/**
 * The diagram's folding controls: a Fold toggle (only the layers in play, each repeated block
 * drawn once with "× n"; pressed again, everything unfolds) and a list of the run's layers to
 * choose which columns are drawn. Tells the diagram with `ds-fold` (detail: the options, or
 * undefined for the whole drawing).
 */
export class DsFold extends LitElement {
  static override properties = {
    lang: { attribute: false },
    layers: { attribute: false },
    folded: { state: true },
    left: { state: true },
  };
  declare lang: Lang;
  /** The run's participants, in column order. */
  declare layers: readonly Participant[];
  declare folded: boolean;
  /** The layers left out of the drawing. */
  declare left: ReadonlySet<Participant>;

  static override styles = css`
    :host {
      display: contents;
    }
    button,
    summary {
      font: inherit;
      min-height: 2rem;
    }
    :is(button, summary, input):focus-visible {
      outline: 3px solid var(--ds-focus, #1c7ed6);
      outline-offset: 2px;
    }
    details {
      position: relative;
    }
    summary {
      cursor: pointer;
      display: inline-flex;
      align-items: center;
      padding: 0 0.4rem;
      border: 1px solid var(--ds-border, #999);
      border-radius: 3px;
    }
    .menu {
      position: absolute;
      right: 0;
      z-index: 5;
      background: var(--ds-panel, #fff);
      color: var(--ds-fg, #000);
      border: 1px solid var(--ds-border, #999);
      padding: 0.4rem 0.6rem;
      display: grid;
      gap: 0.2rem;
      white-space: nowrap;
    }
  `;

  constructor() {
    super();
    this.layers = [];
    this.folded = false;
    this.left = new Set();
  }

  /** Fold or unfold (the F key); blocks unfolded on their own are folded again. */
  toggle(): void {
    this.folded = !this.folded;
    this.opened = new Set();
    this.tell();
  }

  /** Blocks unfolded on their own, by their first step (the rest stay folded). */
  private opened: ReadonlySet<number> = new Set();

  /** Unfold one repeated block, or fold it again (its label in the drawing: see diagramBlocks.ts). */
  toggleBlock(first: number): void {
    const opened = new Set(this.opened);
    if (!opened.delete(first)) opened.add(first);
    this.opened = opened;
    this.tell();
  }

  private choose(p: Participant, shown: boolean): void {
    const hidden = new Set(this.left);
    if (shown) hidden.delete(p);
    else hidden.add(p);
    this.left = hidden;
    this.tell();
  }

  private tell(): void {
    const fold: FoldOptions | undefined =
      this.folded || this.left.size > 0
        ? { repeats: this.folded, hidden: this.left, open: this.opened }
        : undefined;
    this.dispatchEvent(new CustomEvent('ds-fold', { detail: fold, bubbles: true, composed: true }));
  }

  override render() {
    const lang = this.lang;
    return html`<button
        id="fold"
        aria-pressed=${String(this.folded)}
        aria-keyshortcuts="F"
        title=${ui('diagram.foldTitle', lang)}
        @click=${() => this.toggle()}
      >
        ${ui('diagram.fold', lang)}
      </button>
      <details id="layers">
        <summary title=${ui('diagram.layersTitle', lang)}>
          ${ui('diagram.layers', lang)}${this.left.size ? ` (−${this.left.size})` : ''}
        </summary>
        <div class="menu" role="group" aria-label=${ui('diagram.layersTitle', lang)}>
          ${this.layers.map(
            (p) =>
              html`<label
                ><input
                  type="checkbox"
                  data-layer=${p}
                  .checked=${!this.left.has(p)}
                  @change=${(e: Event) => this.choose(p, (e.target as HTMLInputElement).checked)}
                />
                ${t(`participant.${p}`, lang)}</label
              >`,
          )}
        </div>
      </details>`;
  }
}

customElements.define('ds-fold', DsFold);

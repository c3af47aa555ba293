import { css, html, LitElement } from 'lit';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { Session } from '../state/session.ts';
import { focusRing } from './focusRing.ts';

const SHORTCUTS: readonly { keys: string[]; action: UiKey }[] = [
  { keys: ['→'], action: 'help.next' },
  { keys: ['←'], action: 'help.back' },
  { keys: ['Space'], action: 'help.play' },
  { keys: ['Home'], action: 'help.first' },
  { keys: ['End'], action: 'help.last' },
  { keys: ['+', '-', '0'], action: 'help.zoom' },
  { keys: ['F'], action: 'help.fold' },
  { keys: ['PageUp', 'PageDown'], action: 'help.phase' },
  { keys: ['U'], action: 'help.until' },
  { keys: ['/'], action: 'help.console' },
  { keys: ['?'], action: 'help.help' },
  { keys: ['↑', '↓', 'Home', 'End'], action: 'help.rows' },
  { keys: ['Enter'], action: 'help.enter' },
  { keys: ['↑', '↓'], action: 'help.recall' },
  { keys: ['Esc'], action: 'help.escape' },
];

/** The element that has focus, looking inside shadow roots. */
function deepActive(): HTMLElement | undefined {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : undefined;
}

/**
 * The keyboard help: a button and a modal `<dialog>` listing the shortcuts. It opens on the
 * `ds-help` event the app dispatches for `?` (or on the button); Escape or Close shuts it, and
 * the focus goes back where it was.
 */
export class DsHelp extends LitElement {
  static override properties = { session: { attribute: false } };
  declare session: Session;
  private returnTo: HTMLElement | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly onHelp = (): void => this.open();

  static override styles = css`
    :host {
      display: block;
    }
    button {
      font: inherit;
      min-height: 2.2rem;
    }
    button:focus-visible {
      ${focusRing}
    }
    dialog {
      color: var(--ds-fg);
      background: var(--ds-panel);
      border: 2px solid var(--ds-border);
      max-width: min(36rem, 92vw);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    h2 {
      margin-top: 0;
      font-size: 1.1rem;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--ds-border);
      vertical-align: top;
    }
    kbd {
      font-family: ui-monospace, monospace;
      border: 1px solid var(--ds-border);
      border-bottom-width: 2px;
      border-radius: 3px;
      padding: 0 0.3rem;
      margin-right: 0.2rem;
    }
    .close {
      margin-top: 0.8rem;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('ds-help', this.onHelp);
    this.unsubscribe = this.session.subscribe((_s, why) => {
      if (why === 'lang') this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('ds-help', this.onHelp);
    this.unsubscribe?.();
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  open(): void {
    const dialog = this.dialog;
    if (!dialog || dialog.open) return;
    this.returnTo = deepActive();
    dialog.showModal();
    dialog.querySelector<HTMLElement>('.close')?.focus();
  }

  private onClose = (): void => {
    const back = this.returnTo;
    this.returnTo = undefined;
    if (back?.isConnected) back.focus();
  };

  override render() {
    const lang = this.session.state.lang;
    return html`
      <button id="help-open" aria-haspopup="dialog" aria-keyshortcuts="?" @click=${() => this.open()}>
        ${ui('help.open', lang)} (?)
      </button>
      <dialog
        id="help"
        aria-labelledby="help-title"
        @close=${this.onClose}
        @keydown=${(e: KeyboardEvent) => e.stopPropagation()}
      >
        <h2 id="help-title">${ui('help.heading', lang)}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">${ui('help.key', lang)}</th>
              <th scope="col">${ui('help.action', lang)}</th>
            </tr>
          </thead>
          <tbody>
            ${SHORTCUTS.map(
              (s) =>
                html`<tr>
                  <td>${s.keys.map((k) => html`<kbd>${k}</kbd>`)}</td>
                  <td>${ui(s.action, lang)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p>${ui('help.note', lang)}</p>
        <button class="close" @click=${() => this.dialog?.close()}>${ui('help.close', lang)}</button>
      </dialog>
    `;
  }
}

customElements.define('ds-help', DsHelp);

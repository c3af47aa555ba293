import { css, html } from 'lit';
import { t } from '../../src/i18n/text.ts';
import { narrateMessage } from '../../src/views/narration.ts';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';

/** What the current step means, in the reader's language; announced to screen readers. */
export class DsNarration extends SessionElement {
  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0.3rem 0;
      font-size: var(--ds-narration-size, 1.05rem);
      line-height: 1.5;
      overflow-wrap: anywhere;
    }
    .who {
      font-weight: 700;
    }
    code {
      font-family: ui-monospace, monospace;
      font-size: 0.9em;
      overflow-wrap: anywhere;
    }
  `;

  protected override sessionChanged(_why: Parameters<SessionListener>[1]): void {
    this.requestUpdate();
  }

  override render() {
    const { lang, position } = this.session.state;
    const m = this.session.current;
    if (!m) {
      const { total, computing } = this.session.state;
      // "Press Next" only when Next can be pressed.
      const key = total > 0 ? 'narration.empty' : computing ? 'narration.computing' : 'narration.nothing';
      return html`<p id="narration" aria-live="polite">${ui(key, lang)}</p>`;
    }
    const to = m.kind === 'self' ? m.from : m.to;
    return html`<p id="narration" aria-live="polite">
        <span class="who"
          >${position}. ${t(`participant.${m.from}`, lang)} → ${t(`participant.${to}`, lang)}</span
        >: ${narrateMessage(m, lang)}
      </p>
      <p><code id="call">${m.call}</code></p>`;
  }
}

customElements.define('ds-narration', DsNarration);

import { css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { t } from '../../src/i18n/text.ts';
import type { Participant } from '../../src/model/participants.ts';
import { ui } from '../i18n/ui.ts';
import { SessionElement } from './sessionElement.ts';

/**
 * The diagram's text alternative: the messages shown so far as an ordered list (step, from → to,
 * the real call), the current one marked with `aria-current="step"`. The drawing itself is hidden
 * from assistive technology: Mermaid's SVG is pictures of text, in no reading order.
 */
export class DsDiagramText extends SessionElement {
  static override styles = css`
    :host {
      display: block;
      padding: 0.5rem 1rem;
    }
    ol {
      margin: 0;
      padding-left: 3.5em;
    }
    li {
      margin: 0.15rem 0;
    }
    li[aria-current='step'] {
      font-weight: 700;
      outline: 2px solid var(--ds-accent, #c2410c);
      outline-offset: 2px;
    }
    li[aria-current='step']::marker {
      content: '▶ ' counter(list-item) '. ';
    }
    code {
      font-family: ui-monospace, monospace;
      overflow-wrap: anywhere;
    }
  `;

  override render() {
    const { lang, position } = this.session.state;
    const shown = this.session.messages.slice(0, position);
    const name = (p: Participant) => t(`participant.${p}`, lang);
    return html`<ol aria-label=${ui('diagram.alt', lang)}>
      ${repeat(
        shown,
        (m) => m.seq,
        (m) =>
          html`<li value=${m.seq} aria-current=${m.seq === position ? 'step' : 'false'}>
            ${name(m.from)} ${m.kind === 'self' ? '↻' : `→ ${name(m.to)}`}: <code>${m.call}</code>
          </li>`,
      )}
    </ol>`;
  }
}

customElements.define('ds-diagram-text', DsDiagramText);

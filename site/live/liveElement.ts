import { css, LitElement } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { LiveClient } from './liveClient.ts';

/** A Lit element that follows the page's LiveClient (redrawn once a frame at most) and speaks the page's language. */
export class LiveElement extends LitElement {
  static override properties = { client: { attribute: false }, language: { attribute: false } };
  declare client: LiveClient;
  declare language: Lang;
  private unsubscribe: (() => void) | undefined;

  static readonly shared = css`
    :host {
      display: block;
    }
    h2 {
      font-size: 1rem;
      margin: 0 0 0.3rem;
    }
    button,
    select,
    input {
      font: inherit;
      min-height: 2rem;
    }
    :is(button, select, input):focus-visible {
      outline: 3px solid var(--ds-focus);
      outline-offset: 2px;
    }
    .notice {
      color: var(--ds-accent);
      font-weight: 600;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.client.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  protected t(key: UiKey, params: Readonly<Record<string, string | number>> = {}): string {
    return ui(key, this.language, params);
  }
}

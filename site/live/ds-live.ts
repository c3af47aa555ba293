import { css, html, LitElement, nothing } from 'lit';
import { isLang, LANGS, type Lang } from '../../src/i18n/text.ts';
import { ensureLang } from '../i18n/lang.ts';
import { preferredLang, ui, type UiKey } from '../i18n/ui.ts';
import { LIVE_ADDRESS, LiveClient, liveToken } from './liveClient.ts';
import './ds-live-compare.ts';
import './ds-live-console.ts';
import './ds-live-diagram.ts';
import './ds-live-evidence.ts';
import './ds-live-gate.ts';
import './ds-live-inspector.ts';

const LANG_KEY = 'dockstep.lang';

/**
 * The page in live mode (opened with the token a real engine printed): the diagram grows from
 * the engine's real messages, every docker CLI's requests interleaved as they happened; beside
 * it the gate and, while a message is held, the kernel evidence.
 */
export class DsLive extends LitElement {
  private readonly client = new LiveClient(liveToken(location.search) ?? '');
  private language: Lang;

  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr);
      height: 100vh;
      color: var(--ds-fg);
    }
    header {
      display: flex;
      gap: 0.8rem;
      align-items: center;
      padding: 0.5rem 1rem;
      border-bottom: 1px solid var(--ds-border);
    }
    h1 {
      font-size: 1.1rem;
      margin: 0 auto 0 0;
    }
    .badge {
      padding: 0.1rem 0.5rem;
      border-radius: 0.3rem;
      font-weight: 700;
      background: var(--ds-border);
    }
    .badge[data-status='live'] {
      background: #b91c1c;
      color: #fff;
    }
    main {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(20rem, 1fr);
      gap: 0.8rem;
      padding: 0.8rem 1rem;
      min-height: 0;
    }
    ds-live-diagram {
      border: 1px solid var(--ds-border);
    }
    aside {
      display: flex;
      flex-direction: column;
      gap: 0.8rem;
      overflow: auto;
    }
    aside > * {
      background: var(--ds-panel);
      border: 1px solid var(--ds-border);
      padding: 0.5rem;
    }
    select {
      font: inherit;
      min-height: 2rem;
    }
  `;

  constructor() {
    super();
    const saved = localStorage.getItem(LANG_KEY) ?? '';
    this.language = isLang(saved) ? saved : preferredLang(navigator.languages);
    // The token stays out of the address bar (and so out of history and screenshots) once read;
    // a reload finds it in the cookie the server set with the page (engine/ui/access.ts).
    history.replaceState(null, '', `${location.pathname}${LIVE_ADDRESS}`);
    this.client.subscribe(() => this.requestUpdate());
    void ensureLang(this.language).then(() => (this.client.connect(), this.requestUpdate()));
  }

  private t(key: UiKey, params: Readonly<Record<string, string | number>> = {}): string {
    return ui(key, this.language, params);
  }

  private setLang(value: string): void {
    if (!isLang(value)) return;
    localStorage.setItem(LANG_KEY, value);
    void ensureLang(value).then(
      () => ((this.language = value), (document.documentElement.lang = value), this.requestUpdate()),
    );
  }

  private status() {
    const c = this.client;
    if (c.status === 'connecting') return html`<p role="status">${this.t('live.connecting')}</p>`;
    if (c.status === 'closed')
      return html`<p role="alert">${this.t('live.closed', { code: c.closeCode })}</p>`;
    return c.total === 0 ? html`<p>${this.t('live.waiting')}</p>` : nothing;
  }

  override render() {
    const c = this.client;
    document.title = this.t('live.title');
    return html`
      <header>
        <h1>${this.t('live.title')}</h1>
        <span class="badge" id="live-badge" data-status=${c.status}>${this.t('live.badge')}</span>
        <label
          >${this.t('settings.lang')}
          <select id="lang" @change=${(e: Event) => this.setLang((e.target as HTMLSelectElement).value)}>
            ${LANGS.map((l) => html`<option value=${l} ?selected=${l === this.language}>${l === 'en' ? 'English' : '简体中文'}</option>`)}
          </select>
        </label>
      </header>
      <main>
        <ds-live-diagram
          .client=${c}
          .language=${this.language}
          role="figure"
          aria-label=${this.t('live.diagram')}
        ></ds-live-diagram>
        <aside>
          ${this.status()}
          <ds-live-gate .client=${c} .language=${this.language}></ds-live-gate>
          <ds-live-evidence .client=${c} .language=${this.language}></ds-live-evidence>
          <ds-live-console .client=${c} .language=${this.language}></ds-live-console>
          <ds-live-inspector .client=${c} .language=${this.language}></ds-live-inspector>
          <ds-live-compare .client=${c} .language=${this.language}></ds-live-compare>
        </aside>
      </main>
    `;
  }
}

customElements.define('ds-live', DsLive);

import { css, html, nothing } from 'lit';
import type { ConsoleLine } from './liveClient.ts';
import { LiveElement } from './liveElement.ts';

/**
 * The live console: a docker command line typed here runs in the engine (with --ui-control),
 * parsed by the same CLI code as the simulation's console and sent as the same Engine API
 * requests; its requests join the diagram like any terminal's, and the docker CLI's output and
 * exit status show here. A read-only page's line is refused, and the refusal is shown with it.
 */
export class DsLiveConsole extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      form {
        display: flex;
        gap: 0.4rem;
      }
      input {
        flex: 1;
        font-family: var(--ds-mono, monospace);
      }
      ol {
        list-style: none;
        margin: 0.3rem 0 0;
        padding: 0;
        max-height: 16rem;
        overflow: auto;
      }
      pre {
        margin: 0 0 0.4rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.85rem;
      }
      .line {
        font-weight: 600;
      }
    `,
  ];

  private submit(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('line') as HTMLInputElement;
    const line = input.value.trim();
    if (line === '') return;
    this.client.run(line);
    input.value = '';
  }

  private status(l: ConsoleLine) {
    if (l.refused !== undefined)
      return html`<p class="notice refused" role="alert">
        ${this.t('live.refused', { reason: l.refused })}
      </p>`;
    if (l.code === undefined) return html`<p class="running">${this.t('live.console.running')}</p>`;
    return html`<p class="exit" data-code=${l.code}>${this.t('live.console.exit', { code: l.code })}</p>`;
  }

  override render() {
    const lines = this.client.console;
    return html`
      <h2>${this.t('live.console')}</h2>
      ${this.client.control ? nothing : html`<p>${this.t('live.console.readOnly')}</p>`}
      <form @submit=${(e: Event) => this.submit(e)}>
        <input
          id="line"
          name="line"
          autocomplete="off"
          spellcheck="false"
          aria-label=${this.t('live.console.line')}
          placeholder="docker ps"
        />
        <button id="run" type="submit">${this.t('live.console.run')}</button>
      </form>
      <ol id="lines" aria-live="polite">
        ${lines.map(
          (l) =>
            html`<li>
              <pre class="line">$ ${l.line}</pre>
              ${l.output === '' ? nothing : html`<pre class="output">${l.output}</pre>`} ${this.status(l)}
            </li>`,
        )}
      </ol>
    `;
  }
}

customElements.define('ds-live-console', DsLiveConsole);

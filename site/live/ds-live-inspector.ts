import { css, html, nothing } from 'lit';
import type { Message } from '../../src/model/message.ts';
import { LiveElement } from './liveElement.ts';
import { inspect, type Inspected } from './liveInspect.ts';

/** Messages offered for inspection: the newest ones, as the diagram draws them. */
const LISTED = 40;

const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? '';

/**
 * The inspector on real data: pick one of the last real messages and see what really crossed
 * the boundary — the HTTP request and dockerd's answer, a shim call's ttrpc request decoded, the
 * argv runc ran with and its exit status — from the records the engine sent.
 */
export class DsLiveInspector extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 10rem;
        overflow: auto;
      }
      li button {
        width: 100%;
        text-align: left;
        min-height: 1.6rem;
        font-size: 0.8rem;
      }
      li button[aria-pressed='true'] {
        font-weight: 700;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.8rem;
        max-height: 14rem;
        overflow: auto;
        margin: 0.2rem 0;
      }
      h3 {
        font-size: 0.9rem;
        margin: 0.4rem 0 0.1rem;
      }
    `,
  ];

  private selected: number | undefined;

  private pick(m: Message): void {
    this.selected = m.seq;
    this.requestUpdate();
  }

  private section(title: string, id: string, m: Message | undefined) {
    if (m === undefined) return nothing;
    return html`<h3>${title}</h3>
      <pre id=${id}>${m.status ?? ''}${m.status ? '\n' : ''}${json(m.payload ?? null)}</pre>`;
  }

  private details(i: Inspected) {
    const { request, reply } = i;
    switch (i.kind) {
      case 'http':
        return html`<h3>${this.t('live.inspect.http')}</h3>
          <pre id="request-line">${i.requestLine}${i.body === undefined ? '' : `\n\n${json(i.body)}`}</pre>
          ${this.section(this.t('live.inspect.answer'), 'reply', reply)}`;
      case 'runc':
        return html`<h3>${this.t('live.inspect.argv')}</h3>
          <pre id="argv">${i.argv?.join(' ') ?? this.t('live.inspect.noArgv')}</pre>
          ${i.exitStatus === undefined ? nothing : html`<p id="exit-status">exit ${i.exitStatus}</p>`}
          ${this.section(this.t('live.inspect.request'), 'request', request)}`;
      case 'ttrpc':
        return html`${this.section(this.t('live.inspect.ttrpc'), 'request', request)}
        ${this.section(this.t('live.inspect.answer'), 'reply', reply)}`;
      default:
        return html`${this.section(this.t('live.inspect.request'), 'request', request)}
        ${this.section(this.t('live.inspect.answer'), 'reply', reply)}`;
    }
  }

  override render() {
    const messages = this.client.messages;
    const listed = messages.slice(-LISTED);
    const chosen = messages.find((m) => m.seq === this.selected);
    return html`
      <h2>${this.t('live.inspect')}</h2>
      <ol id="messages" aria-label=${this.t('live.inspect.pick')}>
        ${listed.map(
          (m) =>
            html`<li>
              <button aria-pressed=${m.seq === this.selected ? 'true' : 'false'} @click=${() => this.pick(m)}>
                ${m.seq}. ${m.from} → ${m.to}: ${m.call}
              </button>
            </li>`,
        )}
      </ol>
      <div id="inspected">
        ${
          chosen === undefined
            ? html`<p>${this.t('live.inspect.none')}</p>`
            : html`<p id="chosen">${chosen.from} → ${chosen.to}: ${chosen.call}</p>
                ${this.details(inspect(chosen, messages))}`
        }
      </div>
    `;
  }
}

customElements.define('ds-live-inspector', DsLiveInspector);

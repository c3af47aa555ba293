import { css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Message } from '../../src/model/message.ts';
import { LiveElement } from './liveElement.ts';
import { inspect, listedOf, type Inspected } from './liveInspect.ts';

const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? '';

/**
 * The inspector on real data: pick one of the last real messages and see what really crossed
 * the boundary — the HTTP request and dockerd's answer, a shim call's ttrpc request decoded, the
 * argv runc ran with and its exit status — from the records the engine sent.
 *
 * Rows are keyed by message id (each message's own on the engine's wire), not by position: while
 * messages of several requests arrive interleaved, a row stays the same element for its message,
 * so the row picked, its expanded details and the keyboard focus stay on that message. The
 * picked message and its exchange are kept here too: they outlive the messages the page keeps.
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

  /** The message picked, and the messages of its exchange seen so far (its request, its reply). */
  private picked: Message | undefined;
  private exchange: Message[] = [];

  private pick(m: Message): void {
    this.picked = m;
    this.exchange = [];
    this.requestUpdate();
  }

  /** Arrow keys move the pick to the row above or below, focus with it. */
  private onKey(e: KeyboardEvent, listed: readonly Message[], at: number): void {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    const next = listed[at + step];
    if (step === 0 || next === undefined) return;
    e.preventDefault();
    this.pick(next);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>(`button[data-id="${next.id}"]`)?.focus(),
    );
  }

  private row(m: Message, listed: readonly Message[], at: number) {
    const on = m.id === this.picked?.id;
    return html`<li>
      <button
        data-id=${m.id}
        aria-pressed=${on ? 'true' : 'false'}
        aria-expanded=${on ? 'true' : 'false'}
        aria-controls="inspected"
        @click=${() => this.pick(m)}
        @keydown=${(e: KeyboardEvent) => this.onKey(e, listed, at)}
      >
        ${m.seq}. ${m.from} → ${m.to}: ${m.call}
      </button>
    </li>`;
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

  /** What the picked message's details show, from its exchange as far as it was seen. */
  private inspected(messages: readonly Message[]): Inspected | undefined {
    const chosen = this.picked;
    if (chosen === undefined) return undefined;
    const found = inspect(chosen, [...this.exchange, ...messages]);
    this.exchange = [found.request, found.reply].filter((m) => m !== undefined);
    return found;
  }

  override render() {
    const messages = this.client.messages;
    const chosen = this.picked;
    const listed = listedOf(messages, chosen);
    const found = this.inspected(messages);
    return html`
      <h2>${this.t('live.inspect')}</h2>
      <ol id="messages" aria-label=${this.t('live.inspect.pick')}>
        ${repeat(
          listed,
          (m) => m.id,
          (m, at) => this.row(m, listed, at),
        )}
      </ol>
      <div id="inspected">
        ${
          chosen === undefined || found === undefined
            ? html`<p>${this.t('live.inspect.none')}</p>`
            : html`<p id="chosen" data-id=${chosen.id}>${chosen.from} → ${chosen.to}: ${chosen.call}</p>
                ${this.details(found)}`
        }
      </div>
    `;
  }
}

customElements.define('ds-live-inspector', DsLiveInspector);

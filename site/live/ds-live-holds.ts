import { css, html, nothing } from 'lit';
import type { Hold } from '../../src/wire/gate.ts';
import type { UiKey } from '../i18n/ui.ts';
import { LiveElement } from './liveElement.ts';

type Say = (key: UiKey, params: Readonly<Record<string, string | number>>) => string;

/** A held message as the page names it: from → to and its call. */
function arrow(h: Hold): { from: string; to: string; call: string } {
  return { from: h.next.from, to: h.next.to, call: h.next.call };
}

/** One held message: its request, from → to, call and why. */
export function holdText(h: Hold, t: Say): string {
  return t('live.heldItem', { root: h.root ?? '?', ...arrow(h), reason: h.reason });
}

/**
 * What the engine's gate holds now: the oldest held message (the one a step lets go), every held
 * message when several requests are held — each naming its request, from → to and call, with a
 * step of its own when the page has control — and what the last step or continue let go, from
 * this page, another or a terminal (`dockstep gate release`).
 */
export class DsLiveHolds extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      .held {
        font-weight: 600;
      }
      li button {
        margin-inline-start: 0.4rem;
      }
    `,
  ];

  private readonly say: Say = (key, params) => this.t(key, params);

  /** Every message held, one per request, each with a step of its own. */
  private list(holds: Hold[]) {
    if (holds.length < 2) return nothing;
    return html`<p>${this.t('live.holds', { count: holds.length })}</p>
      <ol id="holds">
        ${holds.map(
          (h) =>
            html`<li data-id=${h.next.id}>
              <span class="item">${holdText(h, this.say)}</span>
              <button
                class="step-this"
                aria-label=${this.t('live.stepThisLabel', { root: h.root ?? '?', ...arrow(h) })}
                @click=${() => this.client.send({ type: 'step', id: h.next.id })}
              >
                ${this.t('live.stepThis')}
              </button>
            </li>`,
        )}
      </ol>`;
  }

  override render() {
    const { gate, released } = this.client;
    const held = gate.held;
    return html`<p class=${held ? 'held' : ''} role="status" id="held">
        ${held ? this.t('live.held', { ...arrow(held), reason: held.reason }) : this.t('live.running')}
      </p>
      ${this.list(gate.holds)}
      ${
        released.length > 0
          ? html`<p id="released">
              ${this.t('live.released', { list: released.map((h) => holdText(h, this.say)).join('; ') })}
            </p>`
          : nothing
      }`;
  }
}

customElements.define('ds-live-holds', DsLiveHolds);

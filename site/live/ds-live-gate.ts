import { css, html, nothing } from 'lit';
import type { LiveBreakpoint } from '../../src/wire/live.ts';
import type { Breakpoint } from '../../src/wire/breakpoints.ts';
import { holdText } from './ds-live-holds.ts';
import { LiveElement } from './liveElement.ts';

type Kind = 'layer' | 'op' | 'container';

function describe(b: Breakpoint): string {
  if ('layer' in b) return `${b.direction === 'to' ? '→ ' : ''}${b.layer}`;
  if ('op' in b) return `op ${b.op}`;
  if ('call' in b) return `call ${String(b.call)}`;
  return `container ${b.container}`;
}

/**
 * The gate from the page: what is held (ds-live-holds.ts), which message a step lets go and how
 * many a continue does, the breakpoints, and — when the engine allows control — hold, step,
 * continue and breakpoints by layer (a call *to* it: "stop before any shim → runc call"), by op
 * or by container. A read-only page shows the buttons' refusal.
 */
export class DsLiveGate extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      .buttons,
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
        margin: 0.3rem 0;
      }
    `,
  ];

  private kind: Kind = 'layer';

  private add(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (form.elements.namedItem('value') as HTMLInputElement).value.trim();
    if (value === '') return;
    const spec: LiveBreakpoint =
      this.kind === 'layer'
        ? { layer: value, direction: 'to' }
        : this.kind === 'op'
          ? { op: value }
          : { container: value };
    this.client.send({ type: 'break', spec });
  }

  /** Which message a step lets go, and how many a continue does. */
  private stepNext() {
    const { held, holds } = this.client.gate;
    if (!held) return nothing;
    return html`<p id="step-next">
      ${this.t('live.stepNext', { item: holdText(held, (key, params) => this.t(key, params)) })}
      ${holds.length > 1 ? this.t('live.continueAll', { count: holds.length }) : nothing}
    </p>`;
  }

  override render() {
    const c = this.client;
    const held = c.gate.held;
    const list = c.gate.breakpoints.map(describe).join(', ') || this.t('live.none');
    return html`
      <h2>${this.t('live.gate')}</h2>
      <ds-live-holds .client=${c} .language=${this.language}></ds-live-holds>
      ${c.gate.stepMode ? html`<p>${this.t('live.stepMode')}</p>` : nothing}
      <p id="breakpoints">${this.t('live.breakpoints', { list })}</p>
      ${c.control ? nothing : html`<p>${this.t('live.readOnly')}</p>`} ${this.stepNext()}
      <div class="buttons">
        <button id="hold" @click=${() => c.send({ type: 'hold' })}>${this.t('live.hold')}</button>
        <button
          id="step"
          ?disabled=${!held}
          aria-describedby="step-next"
          @click=${() => c.send({ type: 'step' })}
        >
          ${this.t('live.step')}
        </button>
        <button id="continue" aria-describedby="step-next" @click=${() => c.send({ type: 'continue' })}>
          ${this.t('live.continue')}
        </button>
        <button id="clear" @click=${() => c.send({ type: 'clear' })}>${this.t('live.clear')}</button>
      </div>
      <form @submit=${(e: Event) => this.add(e)}>
        <label
          >${this.t('live.breakKind')}
          <select
            id="kind"
            @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as Kind)}
          >
            <option value="layer">${this.t('live.kind.layer')}</option>
            <option value="op">${this.t('live.kind.op')}</option>
            <option value="container">${this.t('live.kind.container')}</option>
          </select>
        </label>
        <input id="value" name="value" aria-label=${this.t('live.breakValue')} placeholder="runc" />
        <button id="add" type="submit">${this.t('live.break')}</button>
      </form>
      ${
        c.notice
          ? html`<p class="notice" role="alert" id="notice">
              ${this.t(c.notice.kind === 'refused' ? 'live.refused' : 'live.error', { reason: c.notice.text, message: c.notice.text })}
            </p>`
          : nothing
      }
      <p><small>${this.t('live.timeouts')}</small></p>
    `;
  }
}

customElements.define('ds-live-gate', DsLiveGate);

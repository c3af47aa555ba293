import { css, html, nothing } from 'lit';
import { t } from '../../src/i18n/text.ts';
import { PARTICIPANTS } from '../../src/model/participants.ts';
import { nextMatchStep, nextPhaseStep, previousPhaseStep, type StepFilter } from '../../src/views/phases.ts';
import { ui } from '../i18n/ui.ts';
import { runPhases } from '../state/runPhases.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';

/**
 * Moving by meaning: previous and next phase (the diagram's phase notes: creation, pull,
 * start, …), and "play until the next message of" a layer and/or an operation (Packet Tracer's
 * event filter), which goes on to the first later message that matches. Every move goes
 * through the session's seek, so a lesson's unanswered question still stops it.
 */
export class DsNavigate extends SessionElement {
  static override properties = { ...SessionElement.properties, missed: { state: true } };
  /** The last "play until" found nothing. */
  declare missed: boolean;
  private filter: StepFilter = {};

  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    button,
    select {
      font: inherit;
      min-height: 2.2rem;
    }
    :is(button, select):focus-visible {
      outline: 3px solid var(--ds-focus, #1c7ed6);
      outline-offset: 2px;
    }
    select {
      max-width: 12rem;
    }
    .none {
      font-style: italic;
    }
  `;

  constructor() {
    super();
    this.missed = false;
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'run' || why === 'lang') this.requestUpdate();
    if (why === 'position' && this.missed) this.missed = false;
  }

  /** Next (+1) or previous (-1) phase: the PageDown and PageUp keys. */
  phase(direction: 1 | -1): void {
    const pos = this.session.state.position;
    const phases = runPhases(this.session.messages);
    const to = direction > 0 ? nextPhaseStep(phases, pos) : previousPhaseStep(phases, pos);
    if (to !== undefined) this.session.seek(to);
  }

  /** Go on to the next message that matches the filter chosen (the U key). */
  until(): void {
    const to = nextMatchStep(this.session.messages, this.session.state.position, this.filter);
    this.missed = to === undefined;
    if (to !== undefined) this.session.seek(to);
  }

  private choose(part: keyof StepFilter, value: string): void {
    this.filter = { ...this.filter, [part]: value || undefined };
  }

  override render() {
    const lang = this.session.state.lang;
    const used = new Set(this.session.messages.flatMap((m) => [m.from, m.to]));
    const ops = [...new Set(this.session.messages.map((m) => m.op))].sort();
    return html`<button id="prev-phase" aria-keyshortcuts="PageUp" @click=${() => this.phase(-1)}>
        ⏮ ${ui('controls.prevPhase', lang)}
      </button>
      <button id="next-phase" aria-keyshortcuts="PageDown" @click=${() => this.phase(1)}>
        ${ui('controls.nextPhase', lang)} ⏭
      </button>
      <label
        >${ui('controls.until', lang)}
        <select
          id="until-layer"
          @change=${(e: Event) => this.choose('layer', (e.target as HTMLSelectElement).value)}
        >
          <option value="">${ui('controls.untilAny', lang)}</option>
          ${PARTICIPANTS.filter((p) => used.has(p)).map((p) => html`<option value=${p} ?selected=${this.filter.layer === p}>${t(`participant.${p}`, lang)}</option>`)}
        </select>
      </label>
      <select
        id="until-op"
        aria-label=${ui('controls.untilAnyOp', lang)}
        @change=${(e: Event) => this.choose('op', (e.target as HTMLSelectElement).value)}
      >
        <option value="">${ui('controls.untilAnyOp', lang)}</option>
        ${ops.map((op) => html`<option value=${op} ?selected=${this.filter.op === op}>${op}</option>`)}
      </select>
      <button id="until" aria-keyshortcuts="U" @click=${() => this.until()}>
        ${ui('controls.untilGo', lang)} ⏩
      </button>
      ${this.missed ? html`<span class="none" role="status">${ui('controls.untilNone', lang)}</span>` : nothing}`;
  }
}

customElements.define('ds-navigate', DsNavigate);

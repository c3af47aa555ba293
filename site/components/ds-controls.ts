import { css, html } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { t as text } from '../../src/i18n/text.ts';
import type { Phase } from '../../src/views/phases.ts';
import { runPhases } from '../state/runPhases.ts';
import './ds-navigate.ts';

/**
 * Back, next, play/pause, speed (0.25×–4×), a scrubber with a tick per step, reset and jump to
 * a step. The keyboard shortcuts (←/→, space, Home/End, ?) are handled by the app so they work
 * wherever the focus is, except in text fields.
 */
const SPEEDS = [0.25, 0.5, 1, 2, 4];

interface Segment {
  phase: Phase;
  name: string;
  title: string;
  style: string;
}

export class DsControls extends SessionElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    button,
    select,
    input {
      font: inherit;
      min-height: 2.2rem;
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--ds-focus, #1c7ed6);
      outline-offset: 2px;
    }
    /* The ticks are a painted gradient, one per step, under the slider: a native datalist of
       hundreds of options is laid out again on every step. */
    .scrub {
      flex: 1 1 12rem;
    }
    /* The slider's thumb moves on every step: inside a box of its own size (the slider's row and
       the phase strip's), moving it lays out only that box, not the page around it. Chromium lays
       out such a box on its own only if it is no flex or grid item, hence the box inside .scrub
       (layout_object.cc, ObjectIsRelayoutBoundary). Its padding, taken back by the margin, keeps
       the slider's focus ring inside what the box paints. */
    .scrub-box {
      display: grid;
      grid-template-rows: 2.2rem 1.4rem;
      height: 3.6rem;
      margin: -5px;
      padding: 5px;
      contain: strict;
    }
    .scrub-box > * {
      grid-area: 1 / 1;
    }
    /* The phase strip: one segment per phase, as wide as its steps, under the slider. */
    .scrub-box > .phases {
      grid-area: 2 / 1;
      position: relative;
      height: 1.4rem;
      margin: 0 8px;
    }
    .phase {
      position: absolute;
      top: 0;
      height: 100%;
      min-height: 0;
      padding: 0 0.2rem;
      border: 1px solid var(--ds-border, #999);
      border-radius: 0;
      background: var(--ds-panel, #f4f4f4);
      color: inherit;
      font-size: 0.75rem;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
      text-align: left;
      cursor: pointer;
    }
    .phase:nth-child(even) {
      background: color-mix(in srgb, var(--ds-accent, #c2410c) 12%, var(--ds-panel, #fff));
    }
    .phase[aria-current='step'] {
      outline: 2px solid var(--ds-accent, #c2410c);
      outline-offset: -2px;
      font-weight: 700;
    }
    ds-navigate {
      flex-basis: 100%;
    }
    .ticks {
      margin: 0 8px;
      align-self: end;
      height: 6px;
      background: repeating-linear-gradient(
        to right,
        var(--ds-border, #999) 0 1px,
        transparent 1px var(--tick)
      );
    }
    input[type='range'] {
      margin: 0;
    }
    /* Its text changes on every step: a box of its own size, so the rest of the controls is not laid out again. */
    .pos {
      font-variant-numeric: tabular-nums;
      display: inline-block;
      width: 12rem;
      height: 1.5em;
      contain: strict;
      white-space: nowrap;
    }
    /* .pos is a flex item, which Chromium never lays out on its own: the box inside it is. */
    .pos-text {
      display: block;
      height: 100%;
      contain: strict;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    input[type='number'] {
      width: 5rem;
    }
    #more {
      display: none;
    }
    /* A phone: one row of back, next, play, the position and "more", the scrubber under it; the
       rest (reset, speed, jump, phases and "play until") behind "more", so the diagram's
       current message is on the first screen. The words of the buttons stay their names. */
    @media (max-width: 600px) {
      #more {
        display: inline-block;
        margin-left: auto;
      }
      :host(:not([more])) .extra {
        display: none;
      }
      .word {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
      button {
        min-width: 2.6rem;
      }
      /* The room left on the row (the stepper's signs and "more" take their own). */
      .pos {
        flex: 1 1 0;
        width: auto;
        min-width: 0;
        text-overflow: ellipsis;
        overflow: hidden;
      }
      .scrub {
        order: 1;
        flex-basis: 100%;
      }
      .extra {
        order: 2;
      }
    }
  `;

  protected override sessionChanged(_why: Parameters<SessionListener>[1]): void {
    this.requestUpdate();
  }

  override render() {
    const s = this.session.state;
    const t = (k: Parameters<typeof ui>[0], p?: Record<string, number>) => ui(k, s.lang, p);
    return html`
      <button id="reset" class="extra" @click=${() => this.session.reset()}>⟲ ${t('controls.reset')}</button>
      ${this.stepper()}
      <label class="extra"
        >${t('controls.speed')}
        <select
          id="speed"
          @change=${(e: Event) => this.changeSpeed(Number((e.target as HTMLSelectElement).value))}
        >
          ${SPEEDS.map((v) => html`<option value=${v} ?selected=${v === s.speed}>${v}×</option>`)}
        </select>
      </label>
      <span class="scrub"
        ><span class="scrub-box">
          <span
            class="ticks"
            style=${`--tick: calc(100% / ${Math.max(1, s.total)})`}
            aria-hidden="true"
          ></span>
          <input
            id="scrubber"
            type="range"
            min="0"
            max=${s.total}
            .value=${String(s.position)}
            aria-label=${t('controls.scrubber')}
            @input=${(e: Event) => this.session.seek(Number((e.target as HTMLInputElement).value))}
          />
          ${this.strip(runPhases(this.session.messages), s.total, s.position)}
        </span></span
      >
      <span class="pos" id="position" aria-live="off"
        ><span class="pos-text">${t('controls.step', { n: s.position, total: s.total })}</span></span
      >
      <label class="extra"
        >${t('controls.jump')}
        <input
          id="jump"
          type="number"
          min="0"
          max=${s.total}
          .value=${String(s.position)}
          @change=${(e: Event) => this.session.seek(Number((e.target as HTMLInputElement).value))}
        />
      </label>
      <button
        id="more"
        aria-expanded=${String(this.hasAttribute('more'))}
        aria-label=${t('controls.more')}
        title=${t('controls.more')}
        @click=${() => (this.toggleAttribute('more'), this.requestUpdate())}
      >
        ⋯
      </button>
      <ds-navigate class="extra" .session=${this.session}></ds-navigate>
    `;
  }

  /** Back, next and play/pause; on a phone their words are names only, the signs show. */
  private stepper() {
    const s = this.session.state;
    const t = (k: Parameters<typeof ui>[0]) => ui(k, s.lang);
    return html`
      <button
        id="back"
        ?disabled=${s.position === 0}
        @click=${() => this.session.back()}
        aria-keyshortcuts="ArrowLeft"
      >
        ◀ <span class="word">${t('controls.back')}</span>
      </button>
      <button
        id="next"
        ?disabled=${s.position >= s.total}
        @click=${() => this.session.next()}
        aria-keyshortcuts="ArrowRight"
      >
        <span class="word">${t('controls.next')}</span> ▶
      </button>
      <button
        id="play"
        aria-pressed=${String(s.playing)}
        @click=${() => this.session.toggle()}
        aria-keyshortcuts="Space"
      >
        ${s.playing ? '❚❚' : '▷'}
        <span class="word">${t(s.playing ? 'controls.pause' : 'controls.play')}</span>
      </button>
    `;
  }

  /** Each phase's name, title and place, worked out once per run and language, not per step. */
  private segments: { for: readonly Phase[]; key: string; list: Segment[] } | undefined;

  private segmentsOf(phases: readonly Phase[], total: number): Segment[] {
    const lang = this.session.state.lang;
    const key = `${lang}:${total}`;
    if (this.segments?.for === phases && this.segments.key === key) return this.segments.list;
    const pct = (n: number) => `${(100 * n) / Math.max(1, total)}%`;
    const list = phases.map((p) => {
      const name = text(p.label, lang);
      return {
        phase: p,
        name,
        title: ui('controls.phase', lang, { name, first: p.first, last: p.last }),
        style: `left: ${pct(p.first - 1)}; width: ${pct(p.last - p.first + 1)}`,
      };
    });
    this.segments = { for: phases, key, list };
    return list;
  }

  /** The phases as segments under the slider; a click goes to a phase's first step. */
  private strip(phases: readonly Phase[], total: number, position: number) {
    const lang = this.session.state.lang;
    return html`<span class="phases" role="group" aria-label=${ui('controls.phases', lang)}>
      ${this.segmentsOf(phases, total).map(({ phase: p, name, title, style }) => {
        const current = position >= p.first && position <= p.last;
        return html`<button
          class="phase"
          style=${style}
          title=${title}
          aria-label=${title}
          aria-current=${current ? 'step' : 'false'}
          @click=${() => this.session.seek(p.first)}
        >
          ${name}
        </button>`;
      })}
    </span>`;
  }

  /** Focus Next (once the run it steps through has arrived), or Play while there is nothing next. */
  async focusStepper(): Promise<void> {
    await this.session.ready;
    await this.updateComplete;
    const next = this.renderRoot.querySelector<HTMLButtonElement>('#next');
    (next && !next.disabled ? next : this.renderRoot.querySelector<HTMLButtonElement>('#play'))?.focus();
  }

  private changeSpeed(speed: number): void {
    this.session.state.speed = speed;
    if (this.session.state.playing) this.session.play(speed);
    else this.requestUpdate();
  }
}

customElements.define('ds-controls', DsControls);

import { css, html, LitElement, nothing } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import type { Question } from '../../src/scenario/index.ts';
import { ui } from '../i18n/ui.ts';
import { focusRing } from './focusRing.ts';

/** Where a learner stands with one question: the wrong choices tried, and how it ended. */
export interface QuestionState {
  tried: string[];
  outcome?: 'right' | 'skipped';
}

/**
 * One "predict, then reveal" question. A wrong choice is crossed out and a hint shown, and the
 * learner tries again; the question ends when answered right or explicitly skipped (which shows
 * the answer). Tells its lesson with `ds-answer` (detail: the choice) and `ds-skip` events.
 */
export class DsQuestion extends LitElement {
  static override properties = {
    question: { attribute: false },
    lang: { attribute: false },
    right: { attribute: false },
    progress: { attribute: false },
    hint: { attribute: false },
    nudge: { type: Boolean },
  };
  declare question: Question;
  declare lang: Lang;
  /** The right answer (from the lesson file or from the run). */
  declare right: string;
  declare progress: QuestionState;
  /** Shown after a wrong choice. */
  declare hint: string;
  /** The learner tried to move on without answering. */
  declare nudge: boolean;

  static override styles = css`
    :host {
      display: block;
      border: 2px solid var(--ds-accent);
      padding: 0.4rem;
      margin: 0.4rem 0;
    }
    p {
      margin: 0.3rem 0;
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
    }
    button {
      font: inherit;
      min-height: 2rem;
    }
    button:focus-visible {
      ${focusRing}
    }
    [aria-pressed='true'] {
      font-weight: 700;
    }
    button.tried {
      text-decoration: line-through;
    }
    .ok::before {
      content: '✓ ';
    }
    .bad::before {
      content: '✗ ';
    }
  `;

  override render() {
    const { lang, progress: p, question: q } = this;
    const open = p.outcome === undefined;
    const last = p.tried.at(-1);
    return html`<div role="group" aria-label=${ui('lesson.predict', lang)} class="question">
      <p><strong>${ui('lesson.predict', lang)}:</strong> ${q.ask[lang]}</p>
      <div class="choices">
        ${q.choices.map((c) => {
          const tried = p.tried.includes(c);
          const chosen = p.outcome === 'right' && c === this.right;
          return html`<button
            data-choice=${c}
            class=${tried ? 'tried' : ''}
            aria-pressed=${String(chosen || tried)}
            ?disabled=${!open || tried}
            @click=${() => this.emit('ds-answer', c)}
          >
            ${c}
          </button>`;
        })}
      </div>
      ${open && this.nudge ? html`<p role="alert">${ui('lesson.answerFirst', lang)}</p>` : nothing}
      ${open && last !== undefined ? html`<p role="status" class="bad" id="retry">${ui('lesson.tryAgain', lang, { choice: last })} ${this.hint}</p>` : nothing}
      ${open ? html`<button id="skip" @click=${() => this.emit('ds-skip')}>${ui('lesson.skip', lang)}</button>` : nothing}
      ${p.outcome === 'right' ? html`<p role="status" class="ok">${ui('lesson.right', lang)} ${q.explain[lang]}</p>` : nothing}
      ${p.outcome === 'skipped' ? html`<p role="status" class="bad">${ui('lesson.skipped', lang, { answer: this.right })} ${q.explain[lang]}</p>` : nothing}
    </div>`;
  }

  private emit(type: 'ds-answer' | 'ds-skip', choice?: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: choice, bubbles: true, composed: true }));
  }
}

customElements.define('ds-question', DsQuestion);

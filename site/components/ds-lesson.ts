import { css, html, nothing, type PropertyValues } from 'lit';
import { t, type Lang } from '../../src/i18n/text.ts';
import type { ScenarioRun } from '../../src/scenario/index.ts';
import { ui } from '../i18n/ui.ts';
import type { Lesson } from '../lessons/library.ts';
import { SessionElement } from './sessionElement.ts';
import { save } from './exports.ts';
import { goalText } from '../lessons/goalText.ts';
import './ds-question.ts';
import type { QuestionState } from './ds-question.ts';
import { focusRing } from './focusRing.ts';

type Library = typeof import('../lessons/library.ts');

/**
 * An open lesson: its title, the step's introduction and notes tied to the current message,
 * "predict, then reveal" questions that hold the next message until answered, hints, and the
 * goal, checked at the end on a run of the lesson's steps plus any line typed in the console.
 */
export class DsLesson extends SessionElement {
  static override properties = {
    ...SessionElement.properties,
    lesson: { attribute: false },
    next: { attribute: false },
    library: { attribute: false },
    nudge: { state: true },
    checked: { state: true },
  };
  declare lesson: Lesson;
  declare library: Library;
  /** The lesson after this one in the list, if any. */
  declare next: Lesson | undefined;
  declare nudge: boolean;
  declare checked: ScenarioRun | undefined;
  private run: ScenarioRun | undefined;
  private progress = new Map<number, QuestionState>();
  private unheld: (() => void) | undefined;

  static override styles = css`
    :host {
      display: block;
    }
    h3 {
      font-size: 1rem;
      margin: 0 0 0.3rem;
    }
    p {
      margin: 0.3rem 0;
    }
    .note {
      border-left: 4px solid var(--ds-accent);
      padding-left: 0.5rem;
    }
    button {
      font: inherit;
      min-height: 2rem;
    }
    :is(button, summary):focus-visible {
      ${focusRing}
    }
    .ok::before {
      content: '✓ ';
    }
    .bad::before {
      content: '✗ ';
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      margin-top: 0.4rem;
    }
    ul {
      margin: 0.2rem 0;
      padding-left: 1.2rem;
    }
  `;

  constructor() {
    super();
    this.nudge = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unheld = this.session.onHeld(() => (this.nudge = true));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unheld?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('lesson') && this.lesson) {
      this.run = this.library.analyse(this.lesson.scenario);
      this.progress.clear();
      this.checked = undefined;
      for (const seq of this.run.questionAt) this.session.hold(seq);
    }
  }

  private stateOf(i: number): QuestionState {
    let p = this.progress.get(i);
    if (!p) this.progress.set(i, (p = { tried: [] }));
    return p;
  }

  /** A right answer ends the question; a wrong one is crossed out, and the question stays. */
  private answer(i: number, choice: string): void {
    const q = this.lesson.scenario.questions[i];
    const seq = this.run?.questionAt[i] ?? 0;
    const p = this.stateOf(i);
    if (!q || p.outcome) return;
    if (choice === this.library.answerOf(q, this.session.messages[seq - 1])) {
      p.outcome = 'right';
      this.session.release(seq);
    } else if (!p.tried.includes(choice)) p.tried = [...p.tried, choice];
    this.nudge = false;
    this.requestUpdate();
  }

  private skip(i: number): void {
    const p = this.stateOf(i);
    p.outcome = 'skipped';
    this.session.release(this.run?.questionAt[i] ?? 0);
    this.nudge = false;
    this.requestUpdate();
  }

  /** After a wrong choice: what the next message says, without naming the answer. */
  private hint(i: number, lang: Lang): string {
    const q = this.lesson.scenario.questions[i];
    const m = this.session.messages[(this.run?.questionAt[i] ?? 0) - 1];
    if (!q || !m || q.kind === 'choice')
      return this.lesson.scenario.hints[0]?.[lang] ?? ui('lesson.hintNarration', lang);
    if (q.kind === 'next-sender')
      return ui('lesson.hintTo', lang, { to: t(`participant.${m.to}`, lang), call: m.call });
    return ui('lesson.hintCall', lang, { call: m.call });
  }

  private openNext(): void {
    if (this.next) this.session.openLesson(this.library.lessonRun(this.next.scenario));
  }

  /** The goal, on a run of the lesson's steps and whatever the reader typed after them. */
  private check(): void {
    const s = this.lesson.scenario;
    const extra = this.session.state.commands.slice(s.steps.length).map((run) => ({ run }));
    // The learner's lines only: a challenge's written solution is for headless runs.
    this.checked = this.library.analyse({ ...s, steps: [...s.steps, ...extra], solution: [] });
    if (this.checked.reached && this.skipped() === 0) this.library.markDone(s.id);
  }

  private skipped(): number {
    return [...this.progress.values()].filter((p) => p.outcome === 'skipped').length;
  }

  private result(lang: Lang): string {
    const { position, total } = this.session.state;
    if (!this.checked) return position < total ? ui('lesson.checkAtEnd', lang) : '';
    if (!this.checked.reached) return ui('lesson.notReached', lang);
    const skipped = this.skipped();
    return skipped > 0 ? ui('lesson.reachedSkipped', lang, { n: skipped }) : ui('lesson.reached', lang);
  }

  override render() {
    const { lang, position, total } = this.session.state;
    const s = this.lesson.scenario;
    const m = this.session.current ?? this.session.messages[0];
    const step = m?.command ?? 0;
    const intro = s.steps[step]?.intro;
    return html`
      <h3 id="lesson-title">${s.title[lang]}</h3>
      <details>
        <summary>${s.summary[lang].slice(0, 60)}…</summary>
        <p>${s.summary[lang]}</p>
      </details>
      ${s.steps.length > 0 ? html`<p id="lesson-step">${ui('lesson.step', lang, { n: Math.min(step + 1, s.steps.length), total: s.steps.length, line: s.steps[step]?.run ?? '' })}</p>` : nothing}
      ${this.challenge(lang)} ${intro ? html`<p>${intro[lang]}</p>` : nothing}
      ${s.notes.map((n, i) => (this.run?.noteAt[i] === position ? html`<p class="note" role="note">${n.text[lang]}</p>` : nothing))}
      ${s.questions.map((_, i) => this.question(i, lang))}
      ${
        s.hints.length
          ? html`<details id="hints">
              <summary>${ui('lesson.hints', lang)}</summary>
              <ul>
                ${s.hints.map((h) => html`<li>${h[lang]}</li>`)}
              </ul>
            </details>`
          : nothing
      }
      <p><strong>${ui('lesson.goal', lang)}</strong></p>
      <ul id="goal">
        ${s.goal.map((g, i) => html`<li class=${this.checked ? (this.checked.goals[i]?.ok ? 'ok' : 'bad') : ''}>${goalText(g, lang)}${this.missing(i, lang)}</li>`)}
      </ul>
      <div class="row">
        <button
          id="check"
          ?disabled=${position < total || this.session.state.computing}
          @click=${() => this.check()}
        >
          ${ui('lesson.check', lang)}
        </button>
        <button
          id="export"
          @click=${() => save(this.renderRoot, new Blob([this.lesson.text], { type: 'text/yaml;charset=utf-8' }), `${s.id}.yaml`)}
        >
          ${ui('lesson.export', lang)}
        </button>
        <button id="leave" @click=${() => this.session.closeLesson()}>${ui('lesson.leave', lang)}</button>
        ${this.next ? html`<button id="next-lesson" @click=${() => this.openNext()}>${ui('lesson.next', lang, { title: this.next.scenario.title[lang] })} ▶</button>` : nothing}
      </div>
      <p id="check-result" role="status">${this.result(lang)}</p>
    `;
  }

  /** A challenge's task, and its solution on demand (Learn Git Branching's "show solution"). */
  private challenge(lang: Lang) {
    const s = this.lesson.scenario;
    if (!s.challenge) return nothing;
    return html`<p id="challenge" class="note">
        <strong>${ui('lesson.challenge', lang)}</strong> ${s.challenge[lang]}
      </p>
      ${
        s.solution?.length
          ? html`<details id="solution">
              <summary>${ui('lesson.solution', lang)}</summary>
              <code>${s.solution.join('\n')}</code>
            </details>`
          : nothing
      }`;
  }

  /** After a check, what a challenge's unmet goal still misses: how its request was answered, or that none was made. */
  private missing(i: number, lang: Lang) {
    const r = this.checked?.goals[i];
    if (!r || r.ok || r.answered === undefined) return nothing;
    const text = r.answered.length
      ? ui('lesson.answeredNot', lang, { replies: r.answered.join(', ') })
      : ui('lesson.noSuchRequest', lang);
    return html`<br /><small class="missing">${text}</small>`;
  }

  /** A question shows while its message is next, and its answer stays once revealed. */
  private question(i: number, lang: Lang) {
    const q = this.lesson.scenario.questions[i];
    const seq = this.run?.questionAt[i] ?? 0;
    const position = this.session.state.position;
    if (!q || (position !== seq - 1 && position !== seq)) return nothing;
    const p = this.stateOf(i);
    return html`<ds-question
      id=${`question-${i}`}
      .question=${q}
      .lang=${lang}
      .right=${this.library.answerOf(q, this.session.messages[seq - 1]) ?? ''}
      .progress=${{ ...p }}
      .hint=${p.tried.length ? this.hint(i, lang) : ''}
      ?nudge=${this.nudge}
      @ds-answer=${(e: CustomEvent<string>) => this.answer(i, e.detail)}
      @ds-skip=${() => this.skip(i)}
    ></ds-question>`;
  }
}

customElements.define('ds-lesson', DsLesson);

import { css, html, nothing, type PropertyValues } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import type { Goal, ScenarioRun } from '../../src/scenario/index.ts';
import { ui } from '../i18n/ui.ts';
import type { Lesson } from '../lessons/library.ts';
import { SessionElement } from './sessionElement.ts';
import { save } from './exports.ts';

type Library = typeof import('../lessons/library.ts');

/**
 * An open lesson: its title, the step's introduction and notes tied to the current message,
 * "predict, then reveal" questions that hold the next message until answered, hints, and the
 * goal, checked at the end on a run of the lesson's steps plus any line typed in the console.
 */
export class DsLesson extends SessionElement {
  static override properties = { ...SessionElement.properties, lesson: { attribute: false }, library: { attribute: false }, nudge: { state: true }, checked: { state: true } };
  declare lesson: Lesson;
  declare library: Library;
  declare nudge: boolean;
  declare checked: ScenarioRun | undefined;
  private run: ScenarioRun | undefined;
  private answers = new Map<number, string>();
  private unheld: (() => void) | undefined;

  static override styles = css`
    :host { display: block; }
    h3 { font-size: 1rem; margin: 0 0 0.3rem; }
    p { margin: 0.3rem 0; }
    .note { border-left: 4px solid var(--ds-accent); padding-left: 0.5rem; }
    .question { border: 2px solid var(--ds-accent); padding: 0.4rem; margin: 0.4rem 0; }
    .choices { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    button { font: inherit; min-height: 2rem; }
    :is(button, summary):focus-visible { outline: 3px solid var(--ds-focus); outline-offset: 2px; }
    [aria-pressed='true'] { font-weight: 700; }
    .ok::before { content: '✓ '; }
    .bad::before { content: '✗ '; }
    .row { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-top: 0.4rem; }
    ul { margin: 0.2rem 0; padding-left: 1.2rem; }
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
      this.answers.clear();
      this.checked = undefined;
      for (const seq of this.run.questionAt) this.session.hold(seq);
    }
  }

  private answer(i: number, choice: string): void {
    this.answers.set(i, choice);
    this.session.release(this.run?.questionAt[i] ?? 0);
    this.nudge = false;
    this.requestUpdate();
  }

  /** The goal, on a run of the lesson's steps and whatever the reader typed after them. */
  private check(): void {
    const s = this.lesson.scenario;
    const extra = this.session.state.commands.slice(s.steps.length).map((run) => ({ run }));
    this.checked = this.library.analyse({ ...s, steps: [...s.steps, ...extra] });
    if (this.checked.reached) this.library.markDone(s.id);
  }

  override render() {
    const { lang, position, total } = this.session.state;
    const s = this.lesson.scenario;
    const m = this.session.current ?? this.session.messages[0];
    const step = m?.command ?? 0;
    const intro = s.steps[step]?.intro;
    return html`
      <h3 id="lesson-title">${s.title[lang]}</h3>
      <details><summary>${s.summary[lang].slice(0, 60)}…</summary><p>${s.summary[lang]}</p></details>
      <p id="lesson-step">${ui('lesson.step', lang, { n: Math.min(step + 1, s.steps.length), total: s.steps.length, line: s.steps[step]?.run ?? '' })}</p>
      ${intro ? html`<p>${intro[lang]}</p>` : nothing}
      ${s.notes.map((n, i) => (this.run?.noteAt[i] === position ? html`<p class="note" role="note">${n.text[lang]}</p>` : nothing))}
      ${s.questions.map((_, i) => this.question(i, lang))}
      ${s.hints.length ? html`<details id="hints"><summary>${ui('lesson.hints', lang)}</summary><ul>${s.hints.map((h) => html`<li>${h[lang]}</li>`)}</ul></details>` : nothing}
      <p><strong>${ui('lesson.goal', lang)}</strong></p>
      <ul id="goal">${s.goal.map((g, i) => html`<li class=${this.checked ? (this.checked.goals[i]?.ok ? 'ok' : 'bad') : ''}>${goalText(g, lang)}</li>`)}</ul>
      <div class="row">
        <button id="check" ?disabled=${position < total || this.session.state.computing} @click=${() => this.check()}>${ui('lesson.check', lang)}</button>
        <button id="export" @click=${() => save(this.renderRoot, new Blob([this.lesson.text], { type: 'text/yaml;charset=utf-8' }), `${s.id}.yaml`)}>${ui('lesson.export', lang)}</button>
        <button id="leave" @click=${() => this.session.closeLesson()}>${ui('lesson.leave', lang)}</button>
      </div>
      <p id="check-result" role="status">${this.checked ? ui(this.checked.reached ? 'lesson.reached' : 'lesson.notReached', lang) : position < total ? ui('lesson.checkAtEnd', lang) : ''}</p>
    `;
  }

  /** A question shows while its message is next, and its answer stays once revealed. */
  private question(i: number, lang: Lang) {
    const q = this.lesson.scenario.questions[i];
    const seq = this.run?.questionAt[i] ?? 0;
    const position = this.session.state.position;
    if (!q || (position !== seq - 1 && position !== seq)) return nothing;
    const chosen = this.answers.get(i);
    const right = this.library.answerOf(q, this.session.messages[seq - 1]) ?? '';
    return html`<div class="question" id=${`question-${i}`} role="group" aria-label=${ui('lesson.predict', lang)}>
      <p><strong>${ui('lesson.predict', lang)}:</strong> ${q.ask[lang]}</p>
      <div class="choices">${q.choices.map((c) => html`<button data-choice=${c} aria-pressed=${String(chosen === c)} ?disabled=${chosen !== undefined} @click=${() => this.answer(i, c)}>${c}</button>`)}</div>
      ${this.nudge && chosen === undefined ? html`<p role="alert">${ui('lesson.answerFirst', lang)}</p>` : nothing}
      ${chosen !== undefined ? html`<p role="status" class=${chosen === right ? 'ok' : 'bad'}>${chosen === right ? ui('lesson.right', lang) : ui('lesson.wrong', lang, { answer: right })} ${q.explain[lang]}</p>` : nothing}
    </div>`;
  }
}

const STATUS_ZH: Record<string, string> = { created: '已创建', running: '运行中', paused: '已暂停', exited: '已退出' };

function goalText(g: Goal, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if ('container' in g) {
    const c = g.container;
    if (c.present === false) return zh ? `容器 ${c.name} 已删除` : `container ${c.name} is removed`;
    const status = c.status ? (zh ? STATUS_ZH[c.status] : c.status) : zh ? '存在' : 'exists';
    const code = c.exitCode === undefined ? '' : zh ? `，退出码 ${c.exitCode}` : `, exit code ${c.exitCode}`;
    return zh ? `容器 ${c.name}：${status}${code}` : `container ${c.name}: ${status}${code}`;
  }
  if ('image' in g) return zh ? `镜像 ${g.image.ref}${g.image.present ? '在本机' : '不在本机'}` : `image ${g.image.ref} ${g.image.present ? 'is on the host' : 'is not on the host'}`;
  if ('exit' in g) return zh ? `第 ${g.exit.step + 1} 步的命令以 ${g.exit.code} 退出` : `step ${g.exit.step + 1}'s command exits with ${g.exit.code}`;
  return zh ? `第 ${g.output.step + 1} 步输出 “${g.output.contains.trim()}”` : `step ${g.output.step + 1} prints “${g.output.contains.trim()}”`;
}

customElements.define('ds-lesson', DsLesson);

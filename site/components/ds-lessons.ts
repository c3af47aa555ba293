import { css, html, nothing, type PropertyValues } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { Lesson } from '../lessons/library.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import './ds-lesson.ts';

type Library = typeof import('../lessons/library.ts');

/**
 * The lesson panel: with no lesson open, the list of lessons (level, title, done) and a way to
 * open a lesson file from disk, whose mistakes are listed line by line; with one open, the
 * lesson itself (ds-lesson). The lesson library (scenario reader, simulation) loads on first use.
 */
export class DsLessons extends SessionElement {
  static override properties = { ...SessionElement.properties, active: { type: Boolean }, lessons: { state: true }, problems: { state: true } };
  /** Shown (its section open): the library is loaded the first time it is. */
  declare active: boolean;
  declare lessons: Lesson[] | undefined;
  declare problems: string[];
  private library: Library | undefined;

  static override styles = css`
    :host { display: block; }
    ul { list-style: none; margin: 0.3rem 0; padding: 0; max-height: 16rem; overflow: auto; }
    li { display: flex; gap: 0.5rem; align-items: baseline; padding: 0.15rem 0; }
    button { font: inherit; min-height: 2rem; text-align: left; }
    :is(button, input):focus-visible { outline: 3px solid var(--ds-focus); outline-offset: 2px; }
    .meta { font-size: 0.8rem; opacity: 0.85; white-space: nowrap; }
    .done::before { content: '✓ '; }
    .problems { color: var(--ds-error, #c92a2a); font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; }
    p { margin: 0.2rem 0; }
  `;

  constructor() {
    super();
    this.active = false;
    this.problems = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.active && !this.loading) this.load();
  }

  private loading = false;

  private load(): void {
    this.loading = true;
    void import('../lessons/library.ts').then((lib) => {
      this.library = lib;
      this.lessons = lib.allLessons();
      this.openFromLink(lib);
    });
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'lang' || why === 'run') this.requestUpdate();
  }

  /** A permalink's `lesson=<id>`: open it at the link's step, with the link's extra lines. */
  private openFromLink(lib: Library): void {
    const wanted = this.session.pendingLesson;
    if (!wanted) return;
    const lesson = this.lessons?.find((l) => l.scenario.id === wanted.id);
    if (lesson) this.session.openLesson(lib.lessonRun(lesson.scenario), wanted.step, wanted.extra);
    this.session.pendingLesson = undefined;
  }

  /** Open the lesson asked for since the library loaded (the welcome's button). */
  openPending(): void {
    if (this.library) this.openFromLink(this.library);
  }

  private open(lesson: Lesson): void {
    if (this.library) this.session.openLesson(this.library.lessonRun(lesson.scenario));
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !this.library) return;
    try {
      const lesson = this.library.importLesson(file.name, await file.text());
      this.problems = [];
      this.lessons = this.library.allLessons();
      this.open(lesson);
    } catch (err) {
      this.problems = this.library.problemsOf(err);
    }
    input.value = '';
  }

  override render() {
    const { lang, lesson } = this.session.state;
    if (!this.lessons) return html`<p>${ui('lesson.loading', lang)}</p>`;
    const open = lesson && this.lessons.find((l) => l.scenario.id === lesson.id);
    if (open) return html`<ds-lesson .session=${this.session} .lesson=${open} .library=${this.library}></ds-lesson>`;
    const done = this.library?.doneLessons() ?? new Set<string>();
    return html`
      <p>${ui('lesson.intro', lang)}</p>
      <ul id="lesson-list">
        ${this.lessons.map(({ scenario: s }) => html`<li>
          <button data-lesson=${s.id} @click=${() => this.open(this.lessons?.find((l) => l.scenario.id === s.id) as Lesson)}>${s.title[lang]}</button>
          <span class="meta ${done.has(s.id) ? 'done' : ''}">${ui('lesson.level', lang, { n: s.level })}${done.has(s.id) ? html` · ${ui('lesson.done', lang)}` : nothing}</span>
        </li>`)}
      </ul>
      <label>${ui('lesson.import', lang)} <input id="import" type="file" accept=".yaml,.yml,text/yaml" @change=${(e: Event) => void this.importFile(e)} /></label>
      ${this.problems.length ? html`<p role="alert">${ui('lesson.importFailed', lang)}</p><div class="problems">${this.problems.join('\n')}</div>` : nothing}
    `;
  }
}

customElements.define('ds-lessons', DsLessons);

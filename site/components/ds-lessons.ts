import { css, html, nothing, type PropertyValues } from 'lit';
import { ui } from '../i18n/ui.ts';
import type { Lesson } from '../lessons/library.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import './ds-lesson.ts';
import { focusRing } from './focusRing.ts';

type Library = typeof import('../lessons/library.ts');

/**
 * The lesson panel: with no lesson open, the lessons grouped by level (with how many of each
 * are done, kept in the browser) and ways to open a lesson file from disk or from a URL, whose
 * mistakes are listed line by line; with one open, the
 * lesson itself (ds-lesson). The lesson library (scenario reader, simulation) loads on first use.
 */
export class DsLessons extends SessionElement {
  static override properties = {
    ...SessionElement.properties,
    active: { type: Boolean },
    lessons: { state: true },
    problems: { state: true },
  };
  /** Shown (its section open): the library is loaded the first time it is. */
  declare active: boolean;
  declare lessons: Lesson[] | undefined;
  declare problems: string[];
  private library: Library | undefined;

  static override styles = css`
    :host {
      display: block;
    }
    #lesson-list {
      max-height: 18rem;
      overflow: auto;
    }
    ul {
      list-style: none;
      margin: 0.2rem 0 0.4rem;
      padding: 0;
    }
    h3.level {
      font-size: 0.9rem;
      margin: 0.4rem 0 0.1rem;
    }
    form.url {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
      margin-top: 0.4rem;
    }
    li {
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      padding: 0.15rem 0;
    }
    button {
      font: inherit;
      min-height: 2rem;
      text-align: left;
    }
    :is(button, input):focus-visible {
      ${focusRing}
    }
    .meta {
      font-size: 0.8rem;
      opacity: 0.85;
      white-space: nowrap;
    }
    .done::before {
      content: '✓ ';
    }
    .problems {
      color: var(--ds-error, #c92a2a);
      font-family: ui-monospace, monospace;
      font-size: 0.8rem;
      white-space: pre-wrap;
    }
    p {
      margin: 0.2rem 0;
    }
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
      const url = this.session.pendingLessonUrl;
      this.session.pendingLessonUrl = undefined;
      if (url) void this.importUrl(url);
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

  private item(lesson: Lesson, done: boolean) {
    const { scenario: s } = lesson;
    const lang = this.session.state.lang;
    return html`<li>
      <button data-lesson=${s.id} @click=${() => this.open(lesson)}>${s.title[lang]}</button>
      ${done ? html`<span class="meta done">${ui('lesson.done', lang)}</span>` : nothing}
    </li>`;
  }

  private get urlInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#lesson-url');
  }

  /**
   * A lesson file from a URL (the panel's field, or a link's `lesson-url=`): fetched, then read
   * and kept like a file opened from disk. The server must allow the page to read it (CORS).
   */
  async importUrl(url: string): Promise<void> {
    if (!this.library || url.trim() === '') return;
    const lang = this.session.state.lang;
    let text: string;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      // A web server's page (a site's fallback for an unknown address) is not a lesson file.
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('text/html')) throw new Error(type);
      text = await response.text();
    } catch (err) {
      this.problems = [
        ui('lesson.urlFailed', lang, { url, reason: err instanceof Error ? err.message : String(err) }),
      ];
      return;
    }
    this.importText(new URL(url, location.href).pathname.split('/').pop() ?? 'lesson.yaml', text);
  }

  private importText(name: string, text: string): void {
    if (!this.library) return;
    try {
      const lesson = this.library.importLesson(name, text);
      this.problems = [];
      this.lessons = this.library.allLessons();
      this.open(lesson);
    } catch (err) {
      this.problems = this.library.problemsOf(err);
    }
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !this.library) return;
    this.importText(file.name, await file.text());
    input.value = '';
  }

  override render() {
    const { lang, lesson } = this.session.state;
    if (!this.lessons) return html`<p>${ui('lesson.loading', lang)}</p>`;
    const open = lesson && this.lessons.find((l) => l.scenario.id === lesson.id);
    if (open) {
      const next = this.lessons[this.lessons.indexOf(open) + 1];
      return html`<ds-lesson
        .session=${this.session}
        .lesson=${open}
        .next=${next}
        .library=${this.library}
      ></ds-lesson>`;
    }
    const done = this.library?.doneLessons() ?? new Set<string>();
    const levels = [...new Set(this.lessons.map((l) => l.scenario.level))].sort((a, b) => a - b);
    return html`
      <p>${ui('lesson.intro', lang)}</p>
      <div id="lesson-list">
        ${levels.map((n) => {
          const group = this.lessons?.filter((l) => l.scenario.level === n) ?? [];
          const count = group.filter((l) => done.has(l.scenario.id)).length;
          return html`<h3 class="level" data-level=${n}>
              ${ui('lesson.levelHeading', lang, { n, done: count, total: group.length })}
            </h3>
            <ul>
              ${group.map((l) => this.item(l, done.has(l.scenario.id)))}
            </ul>`;
        })}
      </div>
      <label
        >${ui('lesson.import', lang)}
        <input
          id="import"
          type="file"
          accept=".yaml,.yml,text/yaml"
          @change=${(e: Event) => void this.importFile(e)}
      /></label>
      <form
        class="url"
        @submit=${(e: Event) => (e.preventDefault(), void this.importUrl(this.urlInput?.value ?? ''))}
      >
        <label
          >${ui('lesson.url', lang)} <input id="lesson-url" type="url" placeholder="https://…/lesson.yaml"
        /></label>
        <button type="submit">${ui('lesson.urlOpen', lang)}</button>
      </form>
      ${
        this.problems.length
          ? html`<p role="alert">${ui('lesson.importFailed', lang)}</p>
              <div class="problems">${this.problems.join('\n')}</div>`
          : nothing
      }
    `;
  }
}

customElements.define('ds-lessons', DsLessons);

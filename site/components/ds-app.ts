import { css, html, LitElement, nothing } from 'lit';
import { hasCatalogue, isLang, LANGS, type Lang } from '../../src/i18n/text.ts';
import { PROFILES, type Profile } from '../../src/model/trace.ts';
import { ensureLang } from '../i18n/lang.ts';
import { preferredLang, ui, type UiKey } from '../i18n/ui.ts';
import { readLink } from '../state/permalink.ts';
import { firstDiagram } from '../state/phases.ts';
import { Session } from '../state/session.ts';
import { pageRunner } from '../state/pageRunner.ts';
import { THEME_KEY } from '../state/theme.ts';
import { appPhoneStyles } from './appPhoneStyles.ts';
import './ds-console.ts';
import './ds-controls.ts';
import type { DsConsole } from './ds-console.ts';
import type { DsControls } from './ds-controls.ts';
import type { DsDiagram } from './ds-diagram.ts';
import type { DsLessons } from './ds-lessons.ts';
import type { DsNavigate } from './ds-navigate.ts';
import './ds-diagram.ts';
import './ds-narration.ts';
import { focusRing } from './focusRing.ts';

const LANG_KEY = 'dockstep.lang';

function initialLang(linkLang: Lang | undefined): Lang {
  if (linkLang) return linkLang;
  const saved = localStorage.getItem(LANG_KEY) ?? '';
  return isLang(saved) ? saved : preferredLang(navigator.languages);
}

/**
 * The page: header (language, profile, theme, presenter, permalink), the controls, the growing
 * diagram and, beside it, narration, console and the inspection panels. It owns the keyboard
 * shortcuts and keeps the URL in step with the state, so the address bar is always a permalink.
 */
export class DsApp extends LitElement {
  private session: Session;
  private ready: boolean;

  static override styles = css`
    /* A fixed frame, like an IDE: the diagram and the side column each scroll on their own, and
       a step that changes one of them lays out nothing else. */
    :host {
      display: grid;
      grid-template-rows: auto auto minmax(0, 1fr);
      height: 100vh;
      color: var(--ds-fg);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6rem;
      align-items: center;
      padding: 0.5rem 1rem;
      border-bottom: 1px solid var(--ds-border);
    }
    h1 {
      font-size: 1.1rem;
      margin: 0 auto 0 0;
    }
    /* The skip link: out of sight until the keyboard reaches it, first on the page. */
    .skip {
      position: absolute;
      left: -100vw;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    .skip:focus {
      left: 1rem;
      top: 0.5rem;
      z-index: 10;
      padding: 0.4rem 0.8rem;
      background: var(--ds-panel);
      color: var(--ds-fg);
      outline: 3px solid var(--ds-focus);
    }
    ds-controls {
      padding: 0.5rem 1rem;
      border-bottom: 1px solid var(--ds-border);
      contain: layout paint;
    }
    main {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(20rem, 1fr);
      gap: 0.8rem;
      padding: 0.8rem 1rem;
      min-height: 0;
    }
    ds-diagram {
      border: 1px solid var(--ds-border);
    }
    aside {
      display: flex;
      flex-direction: column;
      gap: 0.8rem;
      min-width: 0;
      overflow: auto;
      contain: strict;
    }
    aside > * {
      flex-shrink: 0;
      contain: layout paint;
    }
    /* The narration's length changes every step: a box that keeps its height for most steps
       (nine steps in ten of a docker run fit it) does not move the panels below it, which would
       be laid out and painted again on every step. A longer one still grows. */
    section.narration ds-narration {
      min-height: 12.5rem;
    }
    :host(:is([presenter], [embed])) section.narration ds-narration {
      min-height: 0;
    }
    section,
    details.lessons {
      background: var(--ds-panel);
      border: 1px solid var(--ds-border);
      padding: 0.5rem;
    }
    details.lessons > summary {
      cursor: pointer;
    }
    details.lessons > summary > h2 {
      display: inline;
    }
    summary:focus-visible {
      ${focusRing}
    }
    h2 {
      font-size: 1rem;
      margin: 0 0 0.3rem;
    }
    select,
    button {
      font: inherit;
      min-height: 2rem;
    }
    :is(select, button):focus-visible {
      ${focusRing}
    }
    :host([embed]) {
      grid-template-rows: auto minmax(0, 1fr);
    }
    :host([embed]) header,
    :host([embed]) aside > :not(.narration) {
      display: none;
    }
    /* Embedded in a slide: the diagram takes the whole width, the narration sits under it. */
    :host([embed]) main {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 1fr) auto;
    }
    :host([embed]) aside {
      max-height: 30vh;
    }
    /* Presenter: the diagram gets the screen; the inspection panels fold away. */
    :host([presenter]) main {
      grid-template-columns: minmax(0, 3fr) minmax(16rem, 1fr);
      padding: 0.4rem 0.6rem;
    }
    :host([presenter]) ds-panels {
      display: none;
    }
    @media (max-width: 900px) {
      :host {
        height: auto;
      }
      /* One column on a phone, presenter mode too (its two columns left the diagram 28 px wide). */
      main,
      :host([presenter]) main {
        grid-template-columns: 1fr;
      }
      ds-diagram {
        height: 70vh;
      }
      aside {
        contain: none;
        overflow: visible;
      }
    }
    ${appPhoneStyles}
  `;

  constructor() {
    super();
    const link = readLink(location.search);
    const lang = initialLang(link.lang);
    this.session = new Session(link, lang, pageRunner);
    this.session.pendingLessonUrl = new URLSearchParams(location.search).get('lesson-url') ?? undefined;
    this.lessonsOpen = link.commands.length === 0 || link.lesson !== undefined;
    // A reader who starts in Chinese waits for its catalogue (a few ms) rather than seeing English first.
    this.ready = hasCatalogue(lang);
    if (!this.ready) void ensureLang(lang).then(() => ((this.ready = true), this.requestUpdate()));
    this.toggleAttribute('embed', link.embed);
    this.applyRootAttributes();
    this.session.subscribe((_s, why) => this.onChange(why));
    window.addEventListener('keydown', (e) => this.onKey(e));
    this.addEventListener('ds-to-stepper', () => void this.controls?.focusStepper());
    this.addEventListener('ds-example', (e) => {
      this.session.runCommand((e as CustomEvent<string>).detail);
      void this.controls?.focusStepper();
    });
    this.addEventListener('ds-lesson-wanted', (e) => this.wantLesson((e as CustomEvent<string>).detail));
  }

  /** Open a lesson by id (the welcome's button): the lesson panel opens it once its library is in. */
  private wantLesson(id: string): void {
    this.session.pendingLesson = { id, step: 0, extra: [] };
    this.lessonsOpen = true;
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<DsLessons>('ds-lessons')?.openPending?.(),
    );
  }

  private focusConsole(): void {
    this.renderRoot.querySelector<DsConsole>('ds-console')?.focusLine();
  }

  private get controls(): DsControls | null {
    return this.renderRoot.querySelector('ds-controls');
  }

  /**
   * The inspection panels and the lessons are not needed for the first diagram: they load once
   * it is drawn, unless the permalink opens a lesson, which is then what the page waits for.
   */
  protected override firstUpdated(): void {
    void firstDiagram.then(() => import('./ds-panels.ts'));
    void (this.session.pendingLesson ? Promise.resolve() : firstDiagram).then(
      () => import('./ds-lessons.ts'),
    );
  }

  private t(key: UiKey): string {
    return ui(key, this.session.state.lang);
  }

  override render() {
    if (!this.ready) return nothing;
    const s = this.session.state;
    return html`
      <header>
        <a class="skip" href="#" @click=${(e: Event) => (e.preventDefault(), this.focusConsole())}
          >${this.t('app.skip')}</a
        >
        <h1>${this.t('app.title')}</h1>
        <button
          id="settings-toggle"
          aria-expanded=${String(this.hasAttribute('settings-open'))}
          @click=${() => (this.toggleAttribute('settings-open'), this.requestUpdate())}
        >
          ⚙ ${this.t('settings.menu')}
        </button>
        <label
          >${this.t('settings.lang')}
          <select id="lang" @change=${(e: Event) => this.setLang((e.target as HTMLSelectElement).value)}>
            ${LANGS.map((l) => html`<option value=${l} ?selected=${l === s.lang}>${l === 'en' ? 'English' : '简体中文'}</option>`)}
          </select>
        </label>
        <label
          >${this.t('settings.profile')}
          <select
            id="profile"
            @change=${(e: Event) => this.session.setProfile((e.target as HTMLSelectElement).value as Profile)}
          >
            ${PROFILES.map((p) => html`<option value=${p} ?selected=${p === s.profile}>${p}</option>`)}
          </select>
        </label>
        <button id="theme" @click=${() => this.toggleTheme()}>${this.t('settings.theme')}</button>
        <button id="presenter" aria-pressed=${String(s.presenter)} @click=${() => this.togglePresenter()}>
          ${this.t('settings.presenter')}
        </button>
        <button id="copy-link" @click=${() => void this.copyLink()}>
          ${this.copied ? `✓ ${this.t('link.copied')}` : this.t('link.copy')}
        </button>
        <span class="visually-hidden" role="status">${this.copied ? this.t('link.copied') : ''}</span>
      </header>
      <ds-controls .session=${this.session}></ds-controls>
      <main>
        <ds-diagram .session=${this.session} aria-label=${this.t('diagram.heading')}></ds-diagram>
        <aside>
          <section class="console"><ds-console .session=${this.session}></ds-console></section>
          <details class="lessons" ?open=${this.lessonsOpen} @toggle=${this.onLessonsToggle}>
            <summary><h2>${this.t('lesson.heading')}</h2></summary>
            <ds-lessons .session=${this.session} .active=${this.lessonsOpen}></ds-lessons>
          </details>
          <section class="narration">
            <h2>${this.t('narration.heading')}</h2>
            <ds-narration .session=${this.session}></ds-narration>
          </section>
          <ds-panels .session=${this.session}></ds-panels>
        </aside>
      </main>
    `;
  }

  /** The permalink was just copied: the button says so for a moment (and a status is announced). */
  private copied = false;
  private copiedTimer = 0;

  private async copyLink(): Promise<void> {
    // The address bar is written a moment after each change: copy the link as it stands now.
    const link = new URL(this.session.link(), location.href).href;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard (an insecure origin, a denied permission): select the link for copying by hand.
      window.prompt(this.t('link.copy'), link);
    }
    this.copied = true;
    this.requestUpdate();
    clearTimeout(this.copiedTimer);
    this.copiedTimer = window.setTimeout(() => ((this.copied = false), this.requestUpdate()), 2500);
  }

  private setLang(value: string): void {
    if (!isLang(value)) return;
    localStorage.setItem(LANG_KEY, value);
    void ensureLang(value).then(() => this.session.setLang(value));
  }

  private toggleTheme(): void {
    const root = document.documentElement;
    root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, root.dataset.theme);
    this.session.themeChanged();
  }

  private togglePresenter(): void {
    this.session.state.presenter = !this.session.state.presenter;
    this.applyRootAttributes();
    this.onChange('play');
  }

  private applyRootAttributes(): void {
    // Writing these, even unchanged, makes Chromium restyle the whole document: only on change.
    const root = document.documentElement;
    const { lang, presenter } = this.session.state;
    if (root.lang !== lang) root.lang = lang;
    if (root.dataset.presenter !== (presenter ? '1' : '0')) root.dataset.presenter = presenter ? '1' : '0';
    if (this.hasAttribute('presenter') !== presenter) this.toggleAttribute('presenter', presenter);
    const title = ui('app.title', lang);
    if (document.title !== title) document.title = title;
  }

  private linkTimer = 0;
  /** The lesson list is open on a first visit (nothing to run yet) and while a lesson is open. */
  private lessonsOpen = false;

  private onLessonsToggle = (e: Event): void => {
    const open = (e.target as HTMLDetailsElement).open;
    if (open === this.lessonsOpen) return;
    this.lessonsOpen = open;
    this.requestUpdate();
  };

  private onChange(why: string): void {
    this.applyRootAttributes();
    // The address bar is the permalink. Writing it costs about a millisecond with a long run in
    // it, so it is written once the steps settle.
    clearTimeout(this.linkTimer);
    this.linkTimer = window.setTimeout(() => history.replaceState(null, '', this.session.link()), 150);
    if (why !== 'position') this.requestUpdate();
  }

  private get navigate(): DsNavigate | null | undefined {
    return this.controls?.renderRoot.querySelector('ds-navigate');
  }

  private get diagram(): DsDiagram | null {
    return this.renderRoot.querySelector('ds-diagram');
  }

  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0];
    if (
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement
    )
      return;
    const s = this.session;
    const actions: Record<string, () => void> = {
      ArrowRight: () => s.next(),
      ArrowLeft: () => s.back(),
      ' ': () => s.toggle(),
      Home: () => s.seek(0),
      End: () => s.seek(s.state.total),
      '?': () => this.dispatchEvent(new CustomEvent('ds-help', { bubbles: true, composed: true })),
      '+': () => this.diagram?.zoomBy(1),
      '=': () => this.diagram?.zoomBy(1),
      '-': () => this.diagram?.zoomBy(-1),
      '0': () => this.diagram?.zoomBy(0),
      '/': () => this.focusConsole(),
      f: () => this.diagram?.toggleFold(),
      PageDown: () => this.navigate?.phase(1),
      PageUp: () => this.navigate?.phase(-1),
      u: () => this.navigate?.until(),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  }
}

customElements.define('ds-app', DsApp);

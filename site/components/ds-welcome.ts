import { css, html, LitElement } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import { ui } from '../i18n/ui.ts';

/** The commands a first visit offers as buttons: the first of every Docker tutorial, a server, a list. */
export const EXAMPLES = ['docker run hello-world', 'docker run -d --name web nginx', 'docker ps'] as const;
/** The lesson offered first: a whole `docker run`, from a missing image to a running container. */
export const FIRST_LESSON = 'run-nginx';

/**
 * What the diagram's place shows before any command: what this is, example commands as buttons
 * and the first lesson. A button asks the app with `ds-example` (detail: the command line) or
 * `ds-lesson-wanted` (detail: the lesson's id).
 */
export class DsWelcome extends LitElement {
  static override properties = { lang: { attribute: false } };
  declare lang: Lang;

  static override styles = css`
    :host {
      display: block;
      padding: 1rem 1.5rem;
      max-width: 46rem;
    }
    h2 {
      font-size: 1.3rem;
      margin: 0 0 0.5rem;
    }
    p {
      margin: 0.5rem 0;
      line-height: 1.5;
    }
    .examples {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin: 0.5rem 0 1rem;
    }
    button {
      font: inherit;
      min-height: 2.4rem;
      padding: 0.2rem 0.8rem;
    }
    .examples button {
      font-family: ui-monospace, monospace;
    }
    button:focus-visible {
      outline: 3px solid var(--ds-focus, #1c7ed6);
      outline-offset: 2px;
    }
    kbd {
      font-family: ui-monospace, monospace;
      border: 1px solid var(--ds-border, #999);
      border-radius: 3px;
      padding: 0 0.25rem;
    }
  `;

  override render() {
    const lang = this.lang;
    return html`<h2 id="welcome-title">${ui('welcome.title', lang)}</h2>
      <p>${ui('welcome.what', lang)}</p>
      <p>${ui('welcome.try', lang)}</p>
      <div class="examples" role="group" aria-labelledby="welcome-title">
        ${EXAMPLES.map((line) => html`<button data-example=${line} @click=${() => this.emit('ds-example', line)}>${line}</button>`)}
      </div>
      <p>${ui('welcome.lesson', lang)}</p>
      <button id="first-lesson" @click=${() => this.emit('ds-lesson-wanted', FIRST_LESSON)}>
        ${ui('welcome.lessonButton', lang)}
      </button>
      <p>${ui('welcome.keys', lang)}</p>`;
  }

  private emit(type: 'ds-example' | 'ds-lesson-wanted', detail: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('ds-welcome', DsWelcome);

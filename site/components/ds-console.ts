import { css, html, nothing } from 'lit';
import { CATALOGUE_NAMES } from '../../src/sim/catalogue/names.ts';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';

const NEWLINE = '\n';

/**
 * The console: type a docker command, and it joins the run. Output is what the docker CLI
 * would print, command by command, up to the current step (the run's own trace entries); a
 * line the parser refuses prints docker's own error and still becomes a step, as in a shell.
 */
/** docker's error lines: `docker: …`, `Error response from daemon: …`, `Error: …`. */
const ERROR = /(^|\n)(docker: |Error\b|error\b)/;
/** The registry does not have the repository (Docker Hub answers 401 for a name it lacks). */
const MISSING_IMAGE = /pull access denied for |repository does not exist/;

export class DsConsole extends SessionElement {
  private history: string[] = [];
  private cursor = 0;

  static override styles = css`
    :host {
      display: block;
      font-family: ui-monospace, monospace;
    }
    pre {
      margin: 0;
      max-height: 10rem;
      overflow: auto;
      background: var(--ds-term-bg, #111);
      color: var(--ds-term-fg, #eee);
      padding: 0.5rem;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    pre:empty {
      display: none;
    }
    .err {
      color: var(--ds-term-err, #ff8787);
    }
    .stderr {
      color: var(--ds-term-dim, #ced4da);
    }
    .note {
      color: var(--ds-term-note, #8ce99a);
      font-family: system-ui, sans-serif;
    }
    form {
      display: flex;
      gap: 0.4rem;
      margin-top: 0.4rem;
    }
    input {
      flex: 1;
      font: inherit;
      min-height: 2.2rem;
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--ds-focus, #1c7ed6);
      outline-offset: 2px;
    }
    .hint {
      font-family: system-ui, sans-serif;
      font-size: 0.85rem;
      opacity: 0.8;
    }
    .undo {
      display: flex;
      gap: 0.4rem;
      margin-top: 0.3rem;
      font-family: system-ui, sans-serif;
    }
    .undo button {
      font: inherit;
      min-height: 2rem;
    }
  `;

  protected override sessionChanged(_why: Parameters<SessionListener>[1]): void {
    this.requestUpdate();
  }

  override render() {
    const lang = this.session.state.lang;
    return html`
      <pre id="output" aria-live="polite">${this.transcript()}</pre>
      <form @submit=${this.submit}>
        <label for="line" class="hint">${ui('console.label', lang)}</label>
        <input
          id="line"
          aria-keyshortcuts="/"
          autocomplete="off"
          spellcheck="false"
          placeholder=${ui('console.placeholder', lang)}
          @keydown=${this.recall}
        />
        <button type="submit">${ui('console.run', lang)}</button>
      </form>
      <div class="undo">
        <button id="undo" ?disabled=${!this.canUndo()} @click=${() => this.undo(false)}>
          ↶ ${ui('console.undo', lang)}
        </button>
        <button id="edit" ?disabled=${!this.canUndo()} @click=${() => this.undo(true)}>
          ✎ ${ui('console.edit', lang)}
        </button>
      </div>
      <div class="hint">${ui('console.hint', lang)}</div>
    `;
  }

  /** How many pieces of output were shown: the console follows the step only when that changes. */
  private shown = 0;

  /** The console follows the step: the newest output in view (read only when output changed). */
  protected override updated(): void {
    const pre = this.renderRoot.querySelector('#output');
    const count = pre?.childElementCount ?? 0;
    if (!pre || count === this.shown) return;
    this.shown = count;
    pre.scrollTop = pre.scrollHeight;
  }

  /** Prompts and output as far as the run has got: an entry shows once the step before it has. */
  private transcript() {
    const { position } = this.session.state;
    let seq = 0;
    const out = [];
    for (const e of this.session.trace.entries) {
      if (e.type === 'message') {
        if (e.message.seq > position) break;
        seq = e.message.seq;
      }
      // A command line shows with its first step (User → CLI); output shows after the step it follows.
      // The line ends where Enter was pressed: what the command prints starts on the next one
      // (a binding: the template's own text is formatted as HTML, which folds a newline).
      if (e.type === 'command' && seq < position) out.push(html`<span>$ ${e.line}${NEWLINE}</span>`);
      if (e.type === 'output') out.push(this.output(e.stream, e.text));
    }
    return out;
  }

  /**
   * docker writes more than errors to stderr (`Unable to find image`, the progress of the pull
   * inside `docker run`): only an error is red. An image the simulated registry does not hold
   * gets a note, beside docker's own words, naming the ones it does.
   */
  private output(stream: 'stdout' | 'stderr', text: string) {
    const error = stream === 'stderr' && ERROR.test(text);
    const missing = error && MISSING_IMAGE.test(text);
    return html`<span class=${error ? 'err' : stream} data-stream=${stream}>${text}</span>${
        missing
          ? html`<span class="note" role="note"
              >${ui('console.knownImages', this.session.state.lang, { names: CATALOGUE_NAMES.join(', ') })}
            </span>`
          : nothing
      }`;
  }

  private submit(e: Event): void {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#line');
    const line = input?.value.trim() ?? '';
    if (!input || line === '') return;
    this.history.push(line);
    this.cursor = this.history.length;
    input.value = '';
    this.session.runCommand(line);
    this.leave();
  }

  /** A typed command to take back (a lesson's own steps cannot be). */
  private canUndo(): boolean {
    const { commands, lesson } = this.session.state;
    return commands.length > (lesson?.steps.length ?? 0);
  }

  /** Remove the last command from the run; with `edit`, its line goes back into the input. */
  private undo(edit: boolean): void {
    const line = this.session.undoCommand();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#line');
    if (!edit || line === undefined || !input) return;
    input.value = line;
    input.focus();
  }

  /** Put the cursor in the command line (the `/` key). */
  focusLine(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#line')?.focus();
  }

  /** Hand the keyboard back to the stepper, so → steps through what was just typed. */
  private leave(): void {
    this.dispatchEvent(new CustomEvent('ds-to-stepper', { bubbles: true, composed: true }));
  }

  private recall(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.leave();
      return;
    }
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    this.cursor = Math.max(0, Math.min(this.history.length, this.cursor + (e.key === 'ArrowUp' ? -1 : 1)));
    const input = e.target as HTMLInputElement;
    input.value = this.history[this.cursor] ?? '';
  }
}

customElements.define('ds-console', DsConsole);

import { css, html, nothing, type PropertyValues } from 'lit';
import { layerStack, namespaces } from '../../src/views/layerStack.ts';
import { pstree } from '../../src/views/pstree.ts';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { FrameTask } from './frame.ts';
import type { LayerChange } from '../../src/views/stateChanges.ts';
import { changeNote, hostChanges, markedText, type HostView } from './hostChanges.ts';
import { changedMarkStyles } from './stateChangesView.ts';
import { focusRing } from './focusRing.ts';

type View = HostView;
const VIEWS: readonly { id: View; heading: UiKey }[] = [
  { id: 'pstree', heading: 'host.pstree' },
  { id: 'layers', heading: 'host.layers' },
  { id: 'namespaces', heading: 'host.namespaces' },
];

/**
 * The host after the current step, as a learner would inspect it in a shell: `pstree -p`, each
 * container's overlay layers (read-only image layers under one writable layer, shared layers
 * named), and each running container's namespaces and cgroup. The snapshot needs a replay of
 * the world, so it is read only while the panel and at least one view are open, once per frame.
 */
export class DsHost extends SessionElement {
  static override properties = { ...SessionElement.properties, active: { type: Boolean } };
  declare active: boolean;
  private open = new Set<View>();
  private texts: Partial<Record<View, string>> = {};
  /** What the current step changed in each view (see hostChanges.ts); undefined at step 0. */
  private changes: Record<View, LayerChange | undefined> | undefined;
  private error: string | undefined;
  private readonly task = new FrameTask(() => void this.read());

  static override styles = [
    changedMarkStyles,
    css`
      :host {
        display: block;
      }
      details {
        margin: 0.3rem 0;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      pre {
        margin: 0.2rem 0 0;
        max-height: 18rem;
        overflow: auto;
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
        line-height: 1.35;
        background: var(--ds-bg);
        border: 1px solid var(--ds-border);
        padding: 0.4rem;
      }
      /* What the current step changed: marked in place, as in the inspector's layer states. */
      .changes {
        margin: 0.2rem 0;
        font-size: 0.8rem;
        overflow-wrap: anywhere;
      }
      :is(summary, pre):focus-visible {
        ${focusRing}
      }
    `,
  ];

  constructor() {
    super();
    this.active = false;
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'play' || why === 'theme') return;
    this.texts = {};
    if (this.active && this.open.size) this.task.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.task.cancel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('active') && this.active && this.open.size) this.task.schedule();
  }

  /** One replay per frame serves all open views; an answer for a step since left is dropped. */
  private async read(): Promise<void> {
    if (!this.active || this.open.size === 0) return;
    const { lang, position } = this.session.state;
    try {
      const { before, after: host } = await this.session.hostStep();
      if (position !== this.session.state.position) return;
      this.changes = hostChanges(before, host, lang);
      const draw: Record<View, () => string> = {
        pstree: () => pstree(host, lang),
        layers: () => layerStack(host, lang),
        namespaces: () => namespaces(host, lang),
      };
      this.texts = {};
      for (const v of this.open) this.texts[v] = draw[v]();
      this.error = undefined;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.requestUpdate();
  }

  private onToggle(view: View, e: Event): void {
    if ((e.target as HTMLDetailsElement).open) this.open.add(view);
    else this.open.delete(view);
    if (this.open.has(view) && this.texts[view] === undefined) this.task.schedule();
    this.requestUpdate();
  }

  /** One view's text, what the step changed in it said above it and marked in place. */
  private view(id: View, heading: UiKey) {
    const lang = this.session.state.lang;
    const text = this.texts[id];
    if (text === undefined)
      return html`<pre tabindex="0" aria-label=${ui(heading, lang)}>${ui('host.computing', lang)}</pre>`;
    const change = this.changes?.[id];
    return html`${changeNote(change, lang)}
      <pre tabindex="0" aria-label=${ui(heading, lang)}>${markedText(text, change, lang)}</pre>`;
  }

  override render() {
    const lang = this.session.state.lang;
    if (!this.active) return nothing;
    return html`
      ${this.error ? html`<p role="alert">${ui('error.heading', lang)}: ${this.error}</p>` : nothing}
      ${VIEWS.map(
        ({ id, heading }) =>
          html` <details
            id=${`host-${id}`}
            ?open=${this.open.has(id)}
            @toggle=${(e: Event) => this.onToggle(id, e)}
          >
            <summary>${ui(heading, lang)}</summary>
            ${this.open.has(id) ? this.view(id, heading) : nothing}
          </details>`,
      )}
    `;
  }
}

customElements.define('ds-host', DsHost);

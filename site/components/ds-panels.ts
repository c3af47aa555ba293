import { css, html, nothing } from 'lit';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import './ds-architecture.ts';
import './ds-events.ts';
import './ds-export.ts';
import './ds-help.ts';
import './ds-host.ts';
import './ds-inspector.ts';
import { focusRing } from './focusRing.ts';

type Panel = 'events' | 'inspector' | 'arch' | 'host' | 'export';
const PANELS: readonly { id: Panel; heading: UiKey }[] = [
  { id: 'events', heading: 'events.heading' },
  { id: 'inspector', heading: 'inspector.heading' },
  { id: 'arch', heading: 'arch.heading' },
  { id: 'host', heading: 'host.heading' },
  { id: 'export', heading: 'export.heading' },
];

/**
 * The inspection panels beside the diagram, each a collapsible section: the event list and the
 * inspector open, the architecture, host views and export closed. A closed panel's view is told
 * it is inactive and does no work on a step, so stepping costs only what is on screen.
 */
export class DsPanels extends SessionElement {
  private open = new Set<Panel>(['events', 'inspector']);

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.8rem;
      contain: layout paint style;
    }
    section {
      display: flex;
      flex-direction: column;
      gap: 0.8rem;
    }
    details {
      background: var(--ds-panel);
      border: 1px solid var(--ds-border);
      padding: 0.4rem 0.5rem;
      contain: layout paint style;
    }
    summary {
      cursor: pointer;
    }
    summary:focus-visible {
      ${focusRing}
    }
    h2 {
      display: inline;
      font-size: 1rem;
      margin: 0;
    }
    details[open] > summary {
      margin-bottom: 0.4rem;
    }
  `;

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'lang') this.requestUpdate();
  }

  private onToggle(id: Panel, e: Event): void {
    const open = (e.target as HTMLDetailsElement).open;
    if (open === this.open.has(id)) return;
    if (open) this.open.add(id);
    else this.open.delete(id);
    this.requestUpdate();
  }

  private body(id: Panel) {
    const s = this.session;
    const on = this.open.has(id);
    switch (id) {
      case 'events':
        return html`<ds-events .session=${s} .active=${on}></ds-events>`;
      case 'inspector':
        return html`<ds-inspector .session=${s} .active=${on}></ds-inspector>`;
      case 'arch':
        return html`<ds-architecture .session=${s} .active=${on}></ds-architecture>`;
      case 'host':
        return html`<ds-host .session=${s} .active=${on}></ds-host>`;
      case 'export':
        return html`<ds-export .session=${s}></ds-export>`;
    }
  }

  override render() {
    // Embedded (slides): the app hides the panels; render none, so they cost nothing per step.
    if (this.session.state.embed) return nothing;
    const lang = this.session.state.lang;
    return html`
      <section aria-label=${ui('panels.label', lang)}>
        ${PANELS.map(
          ({ id, heading }) =>
            html` <details
              id=${`panel-${id}`}
              ?open=${this.open.has(id)}
              @toggle=${(e: Event) => this.onToggle(id, e)}
            >
              <summary><h2>${ui(heading, lang)}</h2></summary>
              ${this.body(id)}
            </details>`,
        )}
      </section>
      <ds-help .session=${this.session}></ds-help>
    `;
  }
}

customElements.define('ds-panels', DsPanels);

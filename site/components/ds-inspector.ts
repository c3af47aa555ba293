import { css, html, nothing, type PropertyValues } from 'lit';
import { t } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import { EPOCH_MS } from '../../src/wire/clock.ts';
import { ui } from '../i18n/ui.ts';
import type { LayerState } from '../state/layerStates.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { FrameTask } from './frame.ts';
import { payloadViews, pretty } from './payloadViews.ts';
import { stateChanges, type LayerChange } from '../../src/views/stateChanges.ts';
import { sourceLabel, sourceOf, sourceUrl } from '../../src/layers/sources.ts';
import { changedMarkStyles, changesList, machineText, tableText } from './stateChangesView.ts';
import { focusRing } from './focusRing.ts';

/**
 * The current message, in full: its real call, kind, status, ends, virtual time and payload
 * (with HTTP requests and replies, argv, config.json and mounts drawn as such), and, on demand,
 * every layer's machine state and tables. The layer states need a replay of the world, so they
 * are read only while their section is open, at most once per animation frame.
 */
export class DsInspector extends SessionElement {
  static override properties = { ...SessionElement.properties, active: { type: Boolean } };
  declare active: boolean;
  private statesOpen = false;
  private states: LayerState[] | undefined;
  /** What the current step changed in the layers' states (undefined before the first step). */
  private changes: LayerChange[] | undefined;
  private statesError: string | undefined;
  private readonly task = new FrameTask(() => void this.readStates());

  static override styles = [
    changedMarkStyles,
    css`
      :host {
        display: block;
        font-size: 0.9rem;
      }
      /* A fixed-height pane: a longer payload scrolls here instead of resizing the page (and the diagram) each step. */
      .pane {
        height: var(--ds-inspector-height, 26rem);
        overflow: auto;
        contain: strict;
        padding-right: 0.3rem;
      }
      .pane:focus-visible {
        ${focusRing}
      }
      h3 {
        font-size: 0.95rem;
        margin: 0.6rem 0 0.2rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.15rem 0.6rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        min-width: 0;
      }
      code,
      pre {
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
        overflow-wrap: anywhere;
      }
      pre {
        margin: 0;
        max-height: 16rem;
        overflow: auto;
        white-space: pre;
        background: var(--ds-bg);
        border: 1px solid var(--ds-border);
        padding: 0.3rem;
      }
      .call {
        display: block;
        padding: 0.3rem;
        border-left: 4px solid var(--ds-accent);
        background: var(--ds-bg);
      }
      .failed {
        font-weight: 700;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.85em;
      }
      th,
      td {
        border: 1px solid var(--ds-border);
        padding: 0.15rem 0.3rem;
        text-align: left;
        vertical-align: top;
        overflow-wrap: anywhere;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        margin-top: 0.6rem;
      }
      .hint {
        font-size: 0.8rem;
        opacity: 0.85;
        margin: 0.2rem 0;
      }
      :is(summary, pre, button):focus-visible {
        ${focusRing}
      }
      /* What the current step changed: marked in place, and listed above the table. */
      /* Generated content: the layer's name stays its name for the table's readers. */
      tr.changed > th::after {
        content: ' ●';
        color: var(--ds-accent);
      }
      #changes ul {
        margin: 0.2rem 0 0.4rem;
        padding-left: 1.1rem;
      }
      #changes h4 {
        margin: 0.4rem 0 0.1rem;
        font-size: 0.9rem;
      }
      .change {
        overflow-wrap: anywhere;
      }
      .sr {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      button.link {
        font: inherit;
        background: none;
        border: none;
        padding: 0;
        color: inherit;
        text-decoration: underline;
        cursor: pointer;
      }
    `,
  ];

  constructor() {
    super();
    this.active = true;
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'play' || why === 'theme') return;
    if (!this.active) {
      this.states = undefined;
      return;
    }
    this.requestUpdate();
    if (why === 'lang') return;
    if (this.statesOpen) this.task.schedule();
    else this.states = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.task.cancel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('active') && this.active && this.statesOpen) this.task.schedule();
  }

  private async readStates(): Promise<void> {
    if (!this.active || !this.statesOpen) return;
    const position = this.session.state.position;
    try {
      const { before, after } = await this.session.layerStep();
      if (position !== this.session.state.position) return;
      this.states = after;
      this.changes = position > 0 ? stateChanges(before, after) : undefined;
      this.statesError = undefined;
    } catch (e) {
      this.statesError = e instanceof Error ? e.message : String(e);
    }
    this.requestUpdate();
  }

  private onToggle = (e: Event): void => {
    this.statesOpen = (e.target as HTMLDetailsElement).open;
    if (this.statesOpen) this.task.schedule();
    this.requestUpdate();
  };

  override render() {
    if (!this.active) return nothing;
    const lang = this.session.state.lang;
    return html`<div class="pane" tabindex="0" role="region" aria-label=${ui('inspector.heading', lang)}>
      ${this.body()}
    </div>`;
  }

  private body() {
    const lang = this.session.state.lang;
    const m = this.session.current;
    if (!m) return html`<p id="inspector-empty">${ui('inspector.none', lang)}</p>`;
    const views = payloadViews(m, lang);
    return html`
      <h3>${ui('inspector.call', lang)}</h3>
      <code class="call" id="real-call">${m.call}</code>
      ${this.facts(m)} ${views}
      <details id="payload" ?open=${views.length === 0}>
        <summary>${ui('inspector.payload', lang)} (JSON)</summary>
        ${m.payload === undefined ? html`<p>${ui('inspector.noPayload', lang)}</p>` : html`<pre tabindex="0" aria-label=${ui('inspector.payload', lang)}>${pretty(m.payload)}</pre>`}
      </details>
      <details id="states" ?open=${this.statesOpen} @toggle=${this.onToggle}>
        <summary>${ui('inspector.states', lang)}</summary>
        <p class="hint">${ui('inspector.statesHint', lang)}</p>
        ${this.statesOpen ? this.statesTable() : nothing}
      </details>
    `;
  }

  private facts(m: Message) {
    const lang = this.session.state.lang;
    const to = m.kind === 'self' ? m.from : m.to;
    const elapsed = m.at - EPOCH_MS;
    return html`<dl id="facts">
      <dt>${ui('inspector.step', lang, { n: m.seq })}</dt>
      <dd>${t(`participant.${m.from}`, lang)} → ${t(`participant.${to}`, lang)}</dd>
      <dt>${ui('inspector.kind', lang)}</dt>
      <dd>${ui(`events.kind.${m.kind}`, lang)}${this.request(m)}</dd>
      ${
        m.status !== undefined
          ? html`<dt>${ui('inspector.status', lang)}</dt>
              <dd class=${m.ok ? '' : 'failed'}>
                ${m.ok ? '' : `✗ ${ui('inspector.failed', lang)}: `}<code>${m.status}</code>
              </dd>`
          : nothing
      }
      <dt>${ui('inspector.op', lang)}</dt>
      <dd><code>${m.op}</code></dd>
      ${this.source(m)}
      <dt>${ui('inspector.time', lang)}</dt>
      <dd>+${elapsed} ms <small>(${new Date(m.at).toISOString()})</small></dd>
    </dl>`;
  }

  /** Where the real code does it, in the run's profile (src/layers/sources.ts), as a link. */
  private source(m: Message) {
    const lang = this.session.state.lang;
    const s = sourceOf(m.op, this.session.state.profile);
    return html`<dt>${ui('inspector.source', lang)}</dt>
      <dd id="source">
        ${
          s === undefined
            ? ui('inspector.noSource', lang)
            : html`<a href=${sourceUrl(s)} target="_blank" rel="noopener noreferrer"
                ><code>${sourceLabel(s)}</code></a
              >`
        }
      </dd>`;
  }

  /** For a reply, a link to the step of the request it answers. */
  private request(m: Message) {
    if (m.inReplyTo === undefined) return nothing;
    const all = this.session.messages;
    let req: Message | undefined;
    for (let i = m.seq - 2; i >= 0 && !req; i--)
      if (all[i]?.id === m.inReplyTo && all[i]?.kind !== 'reply') req = all[i];
    if (!req) return nothing;
    const seq = req.seq;
    const lang = this.session.state.lang;
    return html` · ${ui('inspector.inReplyTo', lang)}:
      <button class="link" id="request-link" @click=${() => this.session.seek(seq)}>
        ${ui('inspector.step', lang, { n: seq })}
      </button>`;
  }

  /**
   * Only the layers the run has reached (a message to or from them), not every machine the
   * world holds: a plain `docker run` never meets the kubelet, the Desktop VM or the builder.
   */
  private inPlay(states: readonly LayerState[]): readonly LayerState[] {
    const used = new Set(this.session.messages.flatMap((m) => [m.from, m.to]));
    return states.filter((s) => used.has(s.layer));
  }

  /** One layer's row; what the current step changed in it is marked (see stateChangesView.ts). */
  private stateRow(s: LayerState, change: LayerChange | undefined) {
    const lang = this.session.state.lang;
    const mark = ui('inspector.changedMark', lang);
    const machine = new Map(change?.machines.map((m) => [m.id, m]));
    const table = new Map(change?.tables.map((tb) => [tb.name, tb]));
    const marked = (on: unknown, body: unknown) =>
      on ? html`<mark class="changed" title=${mark}>${body}</mark>` : body;
    return html`<tr class=${change ? 'changed' : ''}>
      <th scope="row" title=${change ? mark : nothing}>${t(`participant.${s.layer}`, lang)}</th>
      <td>${marked(change?.value, s.value || '—')}</td>
      <td>
        ${s.machines.map((c) => {
          const m = machine.get(c.id);
          return html`<div>
            ${marked(m, html`<code>${c.id}</code>: ${c.value || '—'}`)}${m ? html`<span class="sr">${machineText(m, lang)}</span>` : nothing}
          </div>`;
        })}
      </td>
      <td>
        ${s.tables.map((tb) => {
          const ch = table.get(tb.name);
          const more = tb.size !== undefined && tb.size > tb.keys.length ? '…, ' : '';
          const keys = tb.keys.length
            ? html`:
                <small
                  >${more}${tb.keys.map((k, i) => html`${i ? ', ' : ''}${marked(ch?.added.includes(k), k)}`)}</small
                >`
            : nothing;
          return html`<div>
            ${marked(ch, html`<code>${tb.name}</code> ${tb.size === undefined ? `= ${tb.value ?? ''}` : `(${tb.size})`}`)}${keys}${ch ? html`<span class="sr">${tableText(ch, lang)}</span>` : nothing}
          </div>`;
        })}
      </td>
    </tr>`;
  }

  private statesTable() {
    const lang = this.session.state.lang;
    if (this.statesError) return html`<p role="alert">${ui('error.heading', lang)}: ${this.statesError}</p>`;
    if (!this.states) return html`<p>${ui('host.computing', lang)}</p>`;
    const changed = new Map((this.changes ?? []).map((c) => [c.layer, c]));
    return html`${changesList(this.changes, lang)}
      <table id="layer-states">
        <thead>
          <tr>
            <th scope="col">${ui('inspector.layer', lang)}</th>
            <th scope="col">${ui('inspector.state', lang)}</th>
            <th scope="col">${ui('inspector.machines', lang)}</th>
            <th scope="col">${ui('inspector.tables', lang)}</th>
          </tr>
        </thead>
        <tbody>
          ${this.inPlay(this.states).map((s) => this.stateRow(s, changed.get(s.layer)))}
        </tbody>
      </table>`;
  }
}

customElements.define('ds-inspector', DsInspector);

import { css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { t } from '../../src/i18n/text.ts';
import type { Message, MessageKind } from '../../src/model/message.ts';
import { PARTICIPANTS, type Participant } from '../../src/model/participants.ts';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import { FrameTask } from './frame.ts';
import { focusRing } from './focusRing.ts';

const KINDS: readonly MessageKind[] = ['request', 'reply', 'event', 'self'];
/** Rows drawn beyond each edge of the visible window. */
const OVERSCAN = 6;
/** Room kept below the last row: a step's new row is in reach before it is drawn (scrollEarly). */
const SPARE_ROWS = 1;

/**
 * The event list: one row per delivered message (step, from → to, kind, call), filtered by layer
 * (either end) and by kind. Only the rows in view are in the DOM (fixed-height rows in a fixed
 * window), keyed by seq, so a step costs the same with 40 messages or 4,000. The list is one tab
 * stop (a listbox with `aria-activedescendant`): ↑/↓, Home/End move the active row, Enter or a
 * click jumps to its step. The layer choices are rebuilt only when the run changes.
 */
export class DsEvents extends SessionElement {
  static override properties = {
    ...SessionElement.properties,
    active: { type: Boolean },
    layer: { state: true },
    kind: { state: true },
  };
  declare active: boolean;
  declare layer: Participant | '';
  declare kind: MessageKind | '';
  private layers: readonly Participant[] = [];
  private layersFor: readonly Message[] | undefined;
  private rows: Message[] = [];
  /** The row the keyboard chose (0: follow the current step) and the one drawn as active. */
  private activeSeq = 0;
  private shownActive = 0;
  private followed = -1;
  private top = 0;
  private rowPx = 0;
  private viewPx = 320;
  private drawn = '';
  /** How many rows the list last drew room for (its scroll height, less the spare row). */
  private drawnRows = 0;
  private pendingScroll = false;
  private readonly frame = new FrameTask(() => this.onFrame());
  /** A new size (or font size, in presenter mode) means measuring again. */
  private readonly resize = new ResizeObserver(() => this.onResize());

  static override styles = css`
    :host {
      display: block;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6rem;
      align-items: center;
      margin-bottom: 0.3rem;
    }
    select {
      font: inherit;
      min-height: 2rem;
    }
    /* Its text changes on every step: a box of its own size, so the panel is not laid out again. */
    .count {
      margin: 0.2rem 0;
      font-size: 0.85rem;
      height: 1.5em;
      contain: strict;
      white-space: nowrap;
    }
    /* An opaque background lets Chromium scroll the list on the compositor: following the
       step scrolls it by a row on most steps, which would otherwise paint it again. */
    #list {
      contain: strict;
      height: var(--ds-events-height, 20rem);
      overflow: auto;
      border: 1px solid var(--ds-border);
      font-size: 0.85rem;
      background: var(--ds-panel);
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      height: 2.8em;
      box-sizing: border-box;
      overflow: hidden;
      display: grid;
      grid-template-columns: 4.6em minmax(0, 1fr) auto;
      column-gap: 0.4rem;
      padding: 0.1rem 0.4rem;
      border-left: 4px solid transparent;
      border-bottom: 1px solid var(--ds-border);
      cursor: pointer;
    }
    .n {
      font-variant-numeric: tabular-nums;
      text-align: right;
      white-space: nowrap;
    }
    .kind {
      font-size: 0.75rem;
      opacity: 0.85;
    }
    .call {
      grid-column: 2 / 4;
      font-family: ui-monospace, monospace;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    li.failed .n::after {
      content: ' ✗';
    }
    li[aria-selected='true'] {
      border-left-color: var(--ds-accent);
      font-weight: 700;
      background: color-mix(in srgb, var(--ds-accent) 14%, transparent);
    }
    li[aria-selected='true'] .n::before {
      content: '▶ ';
    }
    #list:focus-visible {
      ${focusRing}
    }
    #list:focus-visible li.active {
      outline: 3px solid var(--ds-focus);
      outline-offset: -3px;
    }
    select:focus-visible {
      ${focusRing}
    }
  `;

  constructor() {
    super();
    this.active = true;
    this.layer = '';
    this.kind = '';
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (!this.active || why === 'theme' || why === 'play') return;
    this.requestUpdate();
    if (why === 'position') this.scrollEarly();
  }

  /**
   * A step moves the list before any view renders it: the layout is still clean then, so the
   * scroll write costs no layout. Written after the render (as before), it forced a layout of
   * every change the step had made so far (controls, narration, rows), a second one per step.
   * The list keeps a spare row's room below its last row, so a step forward can scroll to its
   * new row before that row is drawn; a longer move (a jump) is written after the render.
   */
  private scrollEarly(): void {
    const list = this.scrolledList;
    if (!list || !this.rowPx || !this.viewPx || this.scrolled < 0) return;
    const shown = this.drawnRows;
    this.filterRows();
    this.followStep(this.session.state.position);
    const room = (shown + SPARE_ROWS) * this.rowHeight - this.viewHeight;
    if (this.top <= room) this.applyScroll(list);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.frame.cancel();
    this.resize.disconnect();
  }

  /** Participants that appear in the run, in column order; recomputed only for a new run. */
  private layerChoices(): readonly Participant[] {
    const all = this.session.messages;
    if (this.layersFor !== all) {
      const seen = new Set<Participant>();
      for (const m of all) seen.add(m.from).add(m.to);
      this.layers = PARTICIPANTS.filter((p) => seen.has(p));
      this.layersFor = all;
    }
    return this.layers;
  }

  private get rowHeight(): number {
    return this.rowPx || 36;
  }

  private get viewHeight(): number {
    return this.viewPx || 320;
  }

  /**
   * Move the window so row `index` is in view (block: 'nearest'). The scroll is written right
   * after this update renders (see updated), in the same frame as the step: written in the next
   * frame, it laid out the page and painted it a second time for each step.
   */
  private reveal(index: number): void {
    const h = this.rowHeight;
    const y = index * h;
    if (y < this.top) this.top = y;
    else if (y + h > this.top + this.viewHeight) this.top = y + h - this.viewHeight;
    this.pendingScroll = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.active) return;
    const { position } = this.session.state;
    this.filterRows();
    if (changed.has('layer') || changed.has('kind') || changed.has('active')) this.followed = -1;
    this.followStep(position);
    this.drawnRows = this.rows.length;
  }

  /** The rows up to the position that pass the filters. */
  private filterRows(): void {
    const { layer, kind } = this;
    const { position } = this.session.state;
    const all = this.session.messages;
    this.rows = [];
    for (let i = 0; i < position && i < all.length; i++) {
      const m = all[i] as Message;
      if ((!layer || m.from === layer || m.to === layer) && (!kind || m.kind === kind)) this.rows.push(m);
    }
  }

  /** The window follows the current step's row (once per position), kept inside the list. */
  private followStep(position: number): void {
    if (position !== this.followed) {
      this.followed = position;
      const at = this.rows.findIndex((m) => m.seq === position);
      this.reveal(at >= 0 ? at : this.rows.length - 1);
    }
    this.top = Math.max(0, Math.min(this.top, this.rows.length * this.rowHeight - this.viewHeight));
  }

  private range(): [number, number] {
    const h = this.rowHeight;
    const start = Math.max(0, Math.floor(this.top / h) - OVERSCAN);
    return [start, Math.min(this.rows.length, Math.ceil((this.top + this.viewHeight) / h) + OVERSCAN)];
  }

  override render() {
    if (!this.active) return nothing;
    const { lang, position } = this.session.state;
    const rows = this.rows;
    const activeSeq = rows.some((m) => m.seq === this.activeSeq)
      ? this.activeSeq
      : rows.some((m) => m.seq === position)
        ? position
        : (rows.at(-1)?.seq ?? 0);
    const [start, end] = this.range();
    this.drawn = `${start}:${end}`;
    this.shownActive = activeSeq;
    const activeIn = rows.slice(start, end).some((m) => m.seq === activeSeq);
    const h = this.rowHeight;
    // Labels once per render, not once per row.
    const names = new Map(this.layerChoices().map((p) => [p, t(`participant.${p}`, lang)]));
    const kinds = new Map(KINDS.map((k) => [k, ui(`events.kind.${k}`, lang)]));
    const route = (m: Message) =>
      m.kind === 'self' ? `${names.get(m.from)} ↻` : `${names.get(m.from)} → ${names.get(m.to)}`;
    return html`
      <div class="filters">
        <label
          >${ui('events.filterLayer', lang)}
          <select
            id="layer"
            @change=${(e: Event) => (this.layer = (e.target as HTMLSelectElement).value as Participant | '')}
          >
            <option value="" ?selected=${!this.layer}>${ui('events.all', lang)}</option>
            ${this.layerChoices().map((p) => html`<option value=${p} ?selected=${p === this.layer}>${names.get(p)}</option>`)}
          </select>
        </label>
        <label
          >${ui('events.filterKind', lang)}
          <select
            id="kind"
            @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as MessageKind | '')}
          >
            <option value="" ?selected=${!this.kind}>${ui('events.all', lang)}</option>
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${kinds.get(k)}</option>`)}
          </select>
        </label>
      </div>
      <p class="count" id="count">${ui('events.count', lang, { shown: rows.length, total: position })}</p>
      <div
        id="list"
        role="listbox"
        tabindex="0"
        aria-label=${ui('events.list', lang)}
        aria-describedby="count"
        aria-activedescendant=${activeIn ? `m${activeSeq}` : nothing}
        @click=${this.onClick}
        @keydown=${this.onKey}
        @focusout=${() => (this.activeSeq = 0)}
        @scroll=${this.onScroll}
      >
        <ol
          role="presentation"
          style="padding-top:${start * h}px;padding-bottom:${(rows.length - end + SPARE_ROWS) * h}px"
        >
          ${repeat(
            rows.slice(start, end),
            (m) => m.seq,
            (m, i) =>
              html`<li
                role="option"
                id=${`m${m.seq}`}
                data-seq=${m.seq}
                aria-posinset=${start + i + 1}
                aria-setsize=${rows.length}
                class=${`${m.kind}${m.ok ? '' : ' failed'}${m.seq === activeSeq ? ' active' : ''}`}
                aria-selected=${m.seq === position ? 'true' : 'false'}
              >
                <span class="n">${m.seq}</span><span class="route">${route(m)}</span
                ><span class="kind">${kinds.get(m.kind)}</span><code class="call">${m.call}</code>
              </li>`,
          )}
        </ol>
      </div>
      ${rows.length === 0 ? html`<p>${ui('events.empty', lang)}</p>` : nothing}
    `;
  }

  /** The top written last, and to which list: an unchanged scroll is not written again (a write lays out the page). */
  private scrolled = -1;
  private scrolledList: HTMLElement | undefined;

  protected override updated(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('#list');
    if (list && list !== this.scrolledList) {
      // A panel closed and opened again draws a new list, scrolled to its top.
      this.scrolledList = list;
      this.scrolled = -1;
      this.resize.observe(list);
    }
    if (list && (!this.rowPx || !this.viewPx)) this.frame.schedule();
    else if (list && this.pendingScroll) this.applyScroll(list);
  }

  /** Writes only: the user's own scrolling reaches `top` through the scroll event, so a step never reads layout. */
  private applyScroll(list: HTMLElement): void {
    this.pendingScroll = false;
    if (this.top === this.scrolled) return;
    this.scrolled = this.top;
    list.scrollTop = this.top;
  }

  /** Once a frame: measure a row, apply a scroll the list asked for, or follow the user's scroll. */
  private onFrame(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('#list');
    if (!list) return;
    const first = list.querySelector('li');
    if (!this.viewPx || (!this.rowPx && first)) {
      this.viewPx = list.clientHeight || 320;
      this.rowPx = first?.getBoundingClientRect().height ?? 0;
      // Sizes changed: follow the current step again with the true sizes.
      this.followed = -1;
      this.requestUpdate();
      return;
    }
    if (this.pendingScroll) this.applyScroll(list);
    const [start, end] = this.range();
    if (`${start}:${end}` !== this.drawn) this.requestUpdate();
  }

  private onScroll = (e: Event): void => {
    if (!this.pendingScroll) this.top = this.scrolled = (e.target as HTMLElement).scrollTop;
    this.frame.schedule();
  };

  private onResize(): void {
    this.viewPx = 0;
    this.rowPx = 0;
    this.frame.schedule();
  }

  private onClick = (e: Event): void => {
    const row = e
      .composedPath()
      .find((n): n is HTMLElement => n instanceof HTMLElement && n.dataset.seq !== undefined);
    if (!row) return;
    this.activeSeq = Number(row.dataset.seq);
    this.session.seek(this.activeSeq);
  };

  private onKey = (e: KeyboardEvent): void => {
    const rows = this.rows;
    if (rows.length === 0) return;
    const at = Math.max(
      0,
      rows.findIndex((m) => m.seq === this.shownActive),
    );
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: at + 10,
      PageUp: at - 10,
    };
    if (e.key === 'Enter' || e.key === ' ') this.session.seek(rows[at]?.seq ?? 0);
    else if (e.key in moves) {
      const next = Math.max(0, Math.min(rows.length - 1, moves[e.key] ?? at));
      this.activeSeq = rows[next]?.seq ?? 0;
      this.reveal(next);
      this.requestUpdate();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };
}

customElements.define('ds-events', DsEvents);

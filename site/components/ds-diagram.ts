import { html, nothing } from 'lit';
import { diagramStyles } from './diagramStyles.ts';
import { ui } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';
import {
  chunksOf,
  grownFrom,
  PREVIEW,
  PREVIEW_AHEAD,
  renderChunk,
  scaleChunk,
  screenText,
  type Chunk,
} from './diagramChunks.ts';
import { fillHeader } from './diagramHeader.ts';
import { appendGrowth, drawByHand } from './diagramGrow.ts';
import { placeToggles, revealToggles } from './diagramBlocks.ts';
import { followNotes } from './diagramNotes.ts';
import { FIT_INDEX, isNarrow, scaleFor, scrollFor, ZOOMS, type View } from './diagramView.ts';
import { offsetOf, stateAt, StepMarks } from './diagramMarks.ts';
import { distance, drawingOrder, idle, QuietWait, stale } from './diagramSchedule.ts';
import { toolsView } from './diagramTools.ts';
import './ds-diagram-text.ts';
import type { DsFold } from './ds-fold.ts';
import './ds-welcome.ts';
import { firstDiagramDone } from '../state/phases.ts';
import type { FoldOptions } from '../../src/views/fold.ts';
import { PARTICIPANTS } from '../../src/model/participants.ts';

/**
 * The growing sequence diagram: one rendered SVG per command, clipped to the current step, with
 * the current message highlighted and scrolled into view. A command is drawn once; later steps
 * only move the clip and the highlight (see diagramChunks.ts for why).
 */
export class DsDiagram extends SessionElement {
  private chunks: Chunk[] = [];
  private highlighted: Element[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** Counts runs drawn: a drawing for an older run stops (see draw). */
  private generation = 0;
  /** Why Mermaid could not draw the diagram. */
  private failure: string | undefined;
  /** A block whose label was just pressed: its button, drawn anew, takes the focus back. */
  private refocus: number | undefined;
  /** How the learner folded the diagram (see ds-fold.ts); undefined draws every column and message. */
  private fold: FoldOptions | undefined;
  /** The viewport and scroll position, kept from events: reading them per step would force a layout of the whole SVG. */
  private view: View = { width: 0, height: 0, top: 0, left: 0 };
  private readonly resize = new ResizeObserver(([entry]) => {
    if (!entry) return;
    const width = entry.contentRect.width;
    const refit = Math.round(width) !== Math.round(this.view.width);
    this.view = { ...this.view, width, height: entry.contentRect.height };
    this.narrow = isNarrow(width);
    if (refit) this.refit();
  });

  static override styles = diagramStyles;

  static override properties = {
    ...SessionElement.properties,
    asText: { state: true },
    zoom: { state: true },
    narrow: { state: true },
  };
  /** Showing the text alternative instead of the drawing. */
  declare asText: boolean;
  /** Index into ZOOMS; FIT_INDEX is fit-to-width. */
  declare zoom: number;
  /** A phone's box: the default zoom is the readable scale, not fit-to-width (see diagramView.ts). */
  declare narrow: boolean;

  constructor() {
    super();
    this.asText = false;
    this.narrow = false;
    this.zoom = FIT_INDEX;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('ds-fold', (e) => {
      this.fold = (e as CustomEvent<FoldOptions | undefined>).detail;
      void this.rebuild();
    });
    this.addEventListener('ds-block', (e) => {
      const first = (e as CustomEvent<number>).detail;
      this.refocus = first;
      this.renderRoot.querySelector<DsFold>('ds-fold')?.toggleBlock(first);
    });
    // Named by the app (aria-label); the scroll area inside is what the keyboard reaches.
    this.setAttribute('role', 'figure');
    void this.rebuild();
  }

  protected override firstUpdated(): void {
    this.scroller.addEventListener('scroll', this.onScroll, { passive: true });
    this.resize.observe(this.scroller);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.scroller.removeEventListener('scroll', this.onScroll);
  }

  private get scroller(): HTMLElement {
    return this.renderRoot.querySelector('#scroll') as HTMLElement;
  }

  /**
   * A new drawing can change how far the diagram can scroll, and the browser clamps the scroll
   * position before telling us: read it again (one layout per drawing, never per step).
   */
  private syncView(): void {
    this.view = { ...this.view, top: this.scroller.scrollTop, left: this.scroller.scrollLeft };
    followNotes(this.chunks, this.view);
  }

  private onScroll = (): void => {
    this.syncView();
  };

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (why === 'position') this.reveal();
    else if (why !== 'play') void this.rebuild(why === 'theme');
    if (why === 'lang' || why === 'run') this.requestUpdate();
  }

  /** Zoom in (+1), out (-1) or back to fit-to-width (0). */
  zoomBy(step: -1 | 0 | 1): void {
    const next = step === 0 ? FIT_INDEX : Math.max(0, Math.min(ZOOMS.length - 1, this.zoom + step));
    if (next === this.zoom) return;
    this.zoom = next;
    this.refit();
  }

  /** Fold or unfold the drawing (the F key). */
  toggleFold(): void {
    this.renderRoot.querySelector<DsFold>('ds-fold')?.toggle();
  }

  override render() {
    const lang = this.session.state.lang;
    const used = new Set(this.session.messages.flatMap((m) => [m.from, m.to]));
    return html`${toolsView({
        lang,
        zoom: this.zoom,
        narrow: this.narrow,
        asText: this.asText,
        layers: PARTICIPANTS.filter((p) => used.has(p)),
        zoomBy: (step) => this.zoomBy(step),
        toggleText: () => (this.asText = !this.asText),
      })}
      <div id="scroll" tabindex="0" aria-label=${ui('diagram.heading', lang)}>
        ${this.asText ? html`<ds-diagram-text .session=${this.session}></ds-diagram-text>` : nothing}
        ${this.placeholder()}
        <div id="head-anchor" ?hidden=${this.asText}><div id="head"></div></div>
        <div id="chunks" ?hidden=${this.asText}></div>
        <div id="marks" ?hidden=${this.asText}></div>
      </div>`;
  }

  /** Before anything is drawn: the welcome (nothing to draw), why (an error), or that it is being drawn. */
  private placeholder() {
    const s = this.session.state;
    const lang = s.lang;
    const hidden = this.asText || this.chunks.some((c) => c.bottoms.length > 0);
    const idle =
      s.commands.length === 0 && !s.computing && !s.error && !s.lesson && !this.session.pendingLesson;
    if (idle && !hidden) return html`<ds-welcome .lang=${lang}></ds-welcome>`;
    // A challenge opens with nothing to run: the learner types the commands.
    const challenge = s.lesson && s.commands.length === 0 && !s.computing && !s.error;
    if (challenge && !hidden)
      return html`<div class="loading" role="status">${ui('diagram.challenge', lang)}</div>`;
    return html`<div class="loading" role=${s.error || this.failure ? 'alert' : 'status'} ?hidden=${hidden}>
      ${s.error ?? this.failure ?? ui('diagram.loading', lang)}
    </div>`;
  }

  /** The whole run's Mermaid text, as exported. */
  get texts(): string[] {
    return this.chunks.map((c) => c.text);
  }

  get svgs(): SVGSVGElement[] {
    return this.chunks.flatMap((c) => [...c.host.querySelectorAll('svg')]);
  }

  private async rebuild(fresh = false): Promise<void> {
    await this.updateComplete;
    if (fresh) this.chunks = [];
    const box = this.renderRoot.querySelector('#chunks');
    if (!box) return;
    const old = new Map(this.chunks.map((c) => [c.text, c]));
    const byCommand = new Map(this.chunks.map((c) => [c.command, c]));
    this.chunks = chunksOf(this.session.trace, this.session.state.lang, this.fold).map((c) => {
      const kept = old.get(c.text);
      if (kept && kept.first === c.first) return kept;
      const grown = byCommand.get(c.command);
      // Only its new messages drawn, else the old drawing kept until it is drawn again.
      const appended = grown && appendGrowth(grown, c);
      if (appended) return appended;
      const stale = grown && grownFrom(grown, c);
      if (stale) return stale;
      const host = document.createElement('div');
      host.className = 'chunk';
      return { ...c, host };
    });
    box.replaceChildren(...this.chunks.map((c) => c.host));
    const dark = document.documentElement.dataset.theme === 'dark';
    const order = drawingOrder(this.chunks, this.session.state.position);
    if (order.length === 0 && !this.session.state.computing) firstDiagramDone();
    const generation = ++this.generation;
    // An older drawing waiting for a quiet moment gives way at once, not after its wait.
    this.quiet.end();
    this.queue = this.queue
      .then(() => this.draw(order, dark, generation))
      .catch((e: unknown) => {
        this.failure = e instanceof Error ? e.message : String(e);
        firstDiagramDone();
        this.requestUpdate();
      });
    this.reveal();
    await this.queue;
  }

  /**
   * Draw the chunks nearest the position first; a long first one gets a short drawing first.
   * The other commands are drawn only after a quiet moment, one at a time, and a newer run
   * (a command just typed) makes this drawing stop at the next chunk: Mermaid cannot be
   * interrupted mid-drawing, so the less it has in hand, the sooner the new command shows.
   */
  private async draw(order: Chunk[], dark: boolean, generation: number): Promise<void> {
    const pos = this.session.state.position;
    const [nearest] = order;
    if (nearest && !nearest.rendered && drawByHand(nearest, this.chunks)) this.drawn(nearest, true);
    if (
      nearest &&
      !nearest.rendered &&
      nearest.bottoms.length === 0 &&
      nearest.last - nearest.first > PREVIEW
    ) {
      const upTo = Math.max(pos, nearest.first) + PREVIEW_AHEAD;
      await renderChunk(
        nearest,
        dark,
        screenText(this.session.trace, this.session.state.lang, nearest.command, upTo, this.fold),
      );
      nearest.rendered = false;
      this.fit(nearest);
      this.syncView();
      this.reveal(true, true);
      firstDiagramDone();
      this.requestUpdate();
    }
    for (const chunk of order) {
      if (generation !== this.generation) return;
      if (chunk.rendered) continue;
      // The current command and the next one (a command just typed starts right after) are
      // drawn at once; the others wait.
      if (distance(chunk, pos) > 1 || stale(chunk)) await this.quiet.wait();
      if (generation !== this.generation) return;
      if (!drawByHand(chunk, this.chunks)) await renderChunk(chunk, dark);
      this.drawn(chunk, chunk === nearest);
      await idle();
    }
  }

  /** A chunk just drawn whole: shown at its scale; the command in view with its current message near the bottom. */
  private drawn(chunk: Chunk, nearest: boolean): void {
    this.fit(chunk);
    this.syncView();
    firstDiagramDone();
    this.reveal(false, nearest);
    this.requestUpdate();
  }

  /** Show a drawn chunk at the zoom's scale for the current width (its names strip too). */
  private fit(chunk: Chunk): void {
    scaleChunk(chunk, scaleFor(chunk, this.view.width, ZOOMS[this.zoom] ?? 1));
    // Whether this is the command's whole drawing or its short first one (renderChunk).
    chunk.host.dataset.drawn = chunk.rendered ? 'whole' : 'part';
    placeToggles(chunk, this.session.state.lang, this.refocus);
    if (chunk.rendered && chunk.labels.some((l) => l.first === this.refocus)) this.refocus = undefined;
    const strip = this.head;
    if (strip && strip.dataset.for === String(chunk.first)) fillHeader(strip, chunk);
  }

  /** After a zoom or a resize: every chunk at its new scale, the current message kept in view. */
  private refit(): void {
    for (const c of this.chunks) if (c.bottoms.length > 0) this.fit(c);
    this.syncView();
    this.reveal(false, true);
  }

  private get head(): HTMLElement | null {
    return this.renderRoot.querySelector('#head');
  }

  /**
   * Scroll the diagram (never the clipped chunks inside it) so the current message shows, from
   * geometry measured once at render: chunks above the current one are shown whole, so its top
   * is the sum of their heights. Only writes, no layout reads.
   */
  private bringIntoView(chunk: Chunk, pos: number, anchor: boolean): void {
    if (chunk.bottoms.length === 0 || !this.view.height) return;
    const index = chunk.rowOf(pos);
    // A message past what is drawn (a drawing kept while its command grew): its last drawn one,
    // not the top of the drawing (a jump, and a layout of the whole drawing to make it).
    const row = index >= 0 && index < chunk.bottoms.length ? index : chunk.bottoms.length - 1;
    const offset = offsetOf(this.chunks, chunk, pos);
    const { x, y } = scrollFor(this.view, chunk, row, offset, anchor);
    if (y !== this.view.top) this.scroller.scrollTop = y;
    if (x !== this.view.left) this.scroller.scrollLeft = x;
    this.view = { ...this.view, top: y, left: x };
  }

  /**
   * Show the step at the position: the scroll, which commands are past, current or to come, the
   * names strip, the curtain and band. `preview`: the nearest chunk holds its short first
   * drawing (see renderChunk).
   *
   * Within a command, a step scrolls before anything on the page is written, and writes the rest
   * once every view has had the step (a microtask): the layout is still clean when the scrolls
   * are written (this one, and the event list's), so they cost none. Written after the step's
   * other writes, each scroll forced a layout of the whole page of its own (on a 4× slower CPU, a
   * third of a step). When the command changes, the drawings above change height first, and the
   * scroll follows them.
   */
  private reveal(preview = false, anchor = false): void {
    const pos = this.session.state.position;
    const chunk = this.chunks.find((c) => pos >= c.first && pos <= c.last);
    const moved = this.chunks.some((c) => c.host.dataset.state !== stateAt(c, pos));
    if (moved) {
      this.showStep(preview);
      if (chunk) this.bringIntoView(chunk, pos, anchor);
      return;
    }
    if (chunk) this.bringIntoView(chunk, pos, anchor);
    this.preview ||= preview;
    if (this.showing) return;
    this.showing = true;
    queueMicrotask(() => {
      this.showing = false;
      this.showStep(this.preview);
      this.preview = false;
    });
  }

  /** A step's writes, waiting for the end of the step (see reveal). */
  private showing = false;
  private preview = false;

  /** Everything a step shows but the scroll (see reveal). */
  private showStep(preview: boolean): void {
    const pos = this.session.state.position;
    const chunk = this.chunks.find((c) => pos >= c.first && pos <= c.last);
    for (const c of this.chunks) {
      const state = stateAt(c, pos);
      // Written only on change: even an unchanged attribute write restyles the drawing.
      if (c.host.dataset.state === state) continue;
      c.host.dataset.state = state;
      c.host.setAttribute('aria-hidden', String(state === 'future'));
    }
    const drawn = chunk && (chunk.rendered || (preview && chunk.bottoms.length > 0));
    // The names strip shows the columns of the command in view (the last drawn one before any).
    const named =
      chunk ?? this.chunks.filter((c) => c.bottoms.length > 0 && c.first <= Math.max(pos, 1)).at(-1);
    const strip = this.head;
    const wanted = named && named.bottoms.length > 0 ? named : undefined;
    if (strip && (strip.dataset.for ?? '') !== String(wanted?.first ?? '')) fillHeader(strip, wanted);
    if (drawn && chunk)
      this.marks.place(
        chunk,
        pos,
        this.renderRoot.querySelector('#marks'),
        offsetOf(this.chunks, chunk, pos),
      );
    else this.marks.clear();
    revealToggles(this.chunks, pos);
    for (const e of this.highlighted) e.classList.remove('current');
    this.highlighted =
      (drawn && chunk?.parts[chunk.rowOf(pos)]?.filter((e) => e.matches('text.messageText'))) || [];
    for (const e of this.highlighted) e.classList.add('current');
    this.dispatchEvent(
      new CustomEvent('ds-revealed', { detail: { position: pos }, bubbles: true, composed: true }),
    );
  }

  /** Other commands than the current one wait for a quiet moment, which a newer run ends. */
  private readonly quiet = new QuietWait();
  private readonly marks = new StepMarks();
}

customElements.define('ds-diagram', DsDiagram);

import { html, nothing, type TemplateResult } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import type { Participant } from '../../src/model/participants.ts';
import { ui } from '../i18n/ui.ts';
import { FIT_INDEX, ZOOMS } from './diagramView.ts';
import './ds-fold.ts';

/** What the diagram's toolbar shows and what its buttons do (see ds-diagram.ts). */
export interface ToolsState {
  lang: Lang;
  /** Index into ZOOMS; FIT_INDEX is fit-to-width (or the readable scale in a narrow box). */
  zoom: number;
  narrow: boolean;
  asText: boolean;
  /** The layers the run's messages pass between, offered for folding. */
  layers: readonly Participant[];
  zoomBy(step: -1 | 0 | 1): void;
  toggleText(): void;
}

/** The toolbar: fold, zoom out, fit (or the zoom in use), zoom in, and the text version. */
export function toolsView(s: ToolsState): TemplateResult {
  const { lang, zoom, narrow } = s;
  const z = ZOOMS[zoom] ?? 1;
  return html`<div class="tools" role="toolbar" aria-label=${ui('diagram.tools', lang)}>
    <ds-fold .lang=${lang} .layers=${s.layers}></ds-fold>
    <button
      id="zoom-out"
      ?disabled=${zoom === 0}
      aria-keyshortcuts="-"
      aria-label=${ui('diagram.zoomOut', lang)}
      title=${ui('diagram.zoomOut', lang)}
      @click=${() => s.zoomBy(-1)}
    >
      −
    </button>
    <button
      id="zoom-fit"
      class="zoom"
      aria-keyshortcuts="0"
      aria-pressed=${String(zoom === FIT_INDEX)}
      title=${ui(narrow ? 'diagram.zoomReadable' : 'diagram.zoomFit', lang)}
      @click=${() => s.zoomBy(0)}
    >
      ${zoom !== FIT_INDEX ? `${Math.round(z * 100)}%` : ui(narrow ? 'diagram.readable' : 'diagram.fit', lang)}
    </button>
    <button
      id="zoom-in"
      ?disabled=${zoom === ZOOMS.length - 1}
      aria-keyshortcuts="+"
      aria-label=${ui('diagram.zoomIn', lang)}
      title=${ui('diagram.zoomIn', lang)}
      @click=${() => s.zoomBy(1)}
    >
      +
    </button>
    <button
      id="as-text"
      aria-pressed=${String(s.asText)}
      aria-label=${narrow ? ui('diagram.alt', lang) : nothing}
      @click=${() => s.toggleText()}
    >
      ${ui(narrow ? 'diagram.altShort' : 'diagram.alt', lang)}
    </button>
  </div>`;
}

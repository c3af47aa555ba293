import { css, html, nothing, svg } from 'lit';
import { t } from '../../src/i18n/text.ts';
import { OCCASIONAL, type Participant } from '../../src/model/participants.ts';
import { ui, type UiKey } from '../i18n/ui.ts';
import type { SessionListener } from '../state/session.ts';
import { SessionElement } from './sessionElement.ts';

/**
 * The layered architecture of seed 000 (`graph TB`): user → docker CLI → dockerd + registry →
 * containerd → runc + shim → storage + network, plus the kernel underneath (and the kubelet, the
 * Desktop VM and the builder in the runs that meet them). The sender and the
 * receiver of the current message are lit, and the current edge is drawn over the static ones.
 * Colour is never the only signal: a lit box has a thick border (dashed for the sender), bold
 * text and a "sends"/"receives" label; the edge is thick, arrowed and numbered.
 */
const BAND_H = 70;
const BAND_GAP = 6;
const NODE_W = 130;
const NODE_H = 40;
const BANDS: readonly { key: UiKey; nodes: readonly Participant[] }[] = [
  { key: 'arch.layer.user', nodes: ['User', 'CLI', 'VM'] },
  { key: 'arch.layer.daemon', nodes: ['kubelet', 'dockerd', 'Builder', 'Registry'] },
  { key: 'arch.layer.high', nodes: ['containerd'] },
  { key: 'arch.layer.low', nodes: ['runc', 'shim'] },
  { key: 'arch.layer.infra', nodes: ['Storage', 'Network'] },
  { key: 'arch.layer.kernel', nodes: ['Kernel'] },
];
const EDGES: readonly [Participant, Participant][] = [
  ['User', 'CLI'],
  ['CLI', 'dockerd'],
  ['CLI', 'VM'],
  ['VM', 'dockerd'],
  ['dockerd', 'Builder'],
  ['dockerd', 'Registry'],
  ['dockerd', 'containerd'],
  ['User', 'kubelet'],
  ['kubelet', 'containerd'],
  ['containerd', 'shim'],
  ['shim', 'runc'],
  ['containerd', 'Storage'],
  ['containerd', 'Network'],
  ['runc', 'Kernel'],
];
const HEIGHT = BANDS.length * (BAND_H + BAND_GAP);

interface Point {
  x: number;
  y: number;
  w?: number;
}

/**
 * Where each box stands: the seed's boxes always, the occasional ones (the kubelet, the Desktop
 * VM, the builder) only in a run that meets them, spread evenly across their band. A node
 * driven by the kubelet alone has no docker CLI or dockerd.
 */
function layout(used: ReadonlySet<Participant>): Map<Participant, Point> {
  const withoutDocker = used.has('kubelet') && !used.has('CLI') && !used.has('dockerd');
  const shown = (p: Participant) =>
    OCCASIONAL.has(p) ? used.has(p) : !(withoutDocker && (p === 'CLI' || p === 'dockerd'));
  return new Map(
    BANDS.flatMap((b, i) => {
      const nodes = b.nodes.filter(shown);
      return nodes.map((p, j): [Participant, Point] => [
        p,
        {
          x: nodes.length === 2 ? 110 + j * 180 : Math.round((400 * (2 * j + 1)) / (2 * nodes.length)),
          y: i * (BAND_H + BAND_GAP) + 26 + NODE_H / 2,
          w: Math.min(NODE_W, 400 / nodes.length - 8),
        },
      ]);
    }),
  );
}

/** Where the line from a's centre towards b leaves a's box. */
function exit(a: Point, b: Point): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const k = Math.min(
    dx ? (a.w ?? NODE_W) / 2 / Math.abs(dx) : Infinity,
    dy ? NODE_H / 2 / Math.abs(dy) : Infinity,
  );
  return { x: a.x + dx * k, y: a.y + dy * k };
}

function line(
  at: ReadonlyMap<Participant, Point>,
  from: Participant,
  to: Participant,
  cls: string,
  marker = false,
) {
  const a = at.get(from);
  const b = at.get(to);
  if (!a || !b) return nothing;
  const p = exit(a, b);
  const q = exit(b, a);
  return svg`<line class=${cls} x1=${p.x} y1=${p.y} x2=${q.x} y2=${q.y} marker-end=${marker ? 'url(#arrow)' : 'none'}></line>`;
}

/** The step number on the current edge, in a disc like the sequence diagram's numbers. */
function step(x: number, y: number, seq: number) {
  return svg`<g class="step"><circle cx=${x} cy=${y} r=${seq > 99 ? 12 : 9}></circle><text x=${x} y=${y}>${seq}</text></g>`;
}

export class DsArchitecture extends SessionElement {
  static override properties = { ...SessionElement.properties, active: { type: Boolean } };
  declare active: boolean;

  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      max-width: 30rem;
      height: auto;
      display: block;
      font-family: inherit;
    }
    .band {
      fill: color-mix(in srgb, var(--ds-focus) 6%, transparent);
      stroke: var(--ds-border);
    }
    .band-label {
      fill: var(--ds-fg);
      font-size: 11px;
      opacity: 0.85;
    }
    .node rect {
      fill: var(--ds-panel);
      stroke: var(--ds-fg);
      stroke-width: 1;
      transition: stroke-width var(--ds-motion, 120ms);
    }
    .node text {
      fill: var(--ds-fg);
      font-size: 13px;
      text-anchor: middle;
      dominant-baseline: central;
    }
    .node.lit rect {
      stroke: var(--ds-accent);
      stroke-width: 3.5;
      fill: color-mix(in srgb, var(--ds-accent) 16%, var(--ds-panel));
    }
    .node.from rect {
      stroke-dasharray: 8 3;
    }
    .node.lit text {
      font-weight: 700;
    }
    .node text.badge {
      font-size: 10.5px;
      font-weight: 400;
      font-style: italic;
    }
    .edge {
      stroke: var(--ds-border);
      stroke-width: 1.5;
    }
    .current {
      stroke: var(--ds-accent);
      stroke-width: 4;
      fill: none;
    }
    #arrow path {
      fill: var(--ds-accent);
    }
    .step circle {
      fill: var(--ds-accent);
      stroke: var(--ds-panel);
      stroke-width: 1.5;
    }
    .step text {
      fill: var(--ds-panel);
      font-size: 10px;
      font-weight: 700;
      text-anchor: middle;
      dominant-baseline: central;
    }
    p {
      margin: 0.3rem 0 0;
      font-size: 0.9rem;
      overflow-wrap: anywhere;
      height: 4.2em;
      overflow: auto;
    }
    @media (prefers-reduced-motion: reduce) {
      .node rect {
        transition: none;
      }
    }
  `;

  constructor() {
    super();
    this.active = false;
  }

  protected override sessionChanged(why: Parameters<SessionListener>[1]): void {
    if (this.active && why !== 'play' && why !== 'theme') this.requestUpdate();
  }

  override render() {
    if (!this.active) return nothing;
    const lang = this.session.state.lang;
    const m = this.session.current;
    const from = m?.from;
    const to = m ? (m.kind === 'self' ? m.from : m.to) : undefined;
    const name = (p: Participant) => t(`participant.${p}`, lang);
    const caption = m
      ? ui('arch.current', lang, { n: m.seq, from: name(m.from), to: name(to as Participant), call: m.call })
      : ui('arch.none', lang);
    const centre = layout(new Set(this.session.messages.flatMap((x) => [x.from, x.to])));
    const badge = (p: Participant) =>
      p === from && p === to
        ? ui('arch.self', lang)
        : p === from
          ? ui('arch.from', lang)
          : p === to
            ? ui('arch.to', lang)
            : '';
    return html`
      <svg id="arch" viewBox="0 0 400 ${HEIGHT}" role="img" aria-labelledby="arch-title arch-caption">
        <title id="arch-title">${ui('arch.label', lang)}</title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z"></path>
          </marker>
        </defs>
        ${BANDS.map(
          (
            b,
            i,
          ) => svg`<rect class="band" x="2" y=${i * (BAND_H + BAND_GAP) + 2} width="396" height=${BAND_H} rx="6"></rect>
          <text class="band-label" x="10" y=${i * (BAND_H + BAND_GAP) + 16}>${ui(b.key, lang)}</text>`,
        )}
        ${EDGES.map(([a, b]) => line(centre, a, b, 'edge'))}
        ${[...centre].map(([p, c]) => {
          const mark = badge(p);
          const cls = `node${mark ? ' lit' : ''}${p === from ? ' from' : ''}${p === to ? ' to' : ''}`;
          return svg`<g class=${cls} data-participant=${p}>
            <rect x=${c.x - (c.w ?? NODE_W) / 2} y=${c.y - NODE_H / 2} width=${c.w ?? NODE_W} height=${NODE_H} rx="4"></rect>
            <text x=${c.x} y=${mark ? c.y - 7 : c.y}>${name(p)}</text>
            ${mark ? svg`<text class="badge" x=${c.x} y=${c.y + 10}>${mark}</text>` : nothing}
          </g>`;
        })}
        ${m && from && to ? this.currentEdge(centre, from, to, m.seq) : nothing}
      </svg>
      <p id="arch-caption">${caption}</p>
    `;
  }

  private currentEdge(
    centre: ReadonlyMap<Participant, Point>,
    from: Participant,
    to: Participant,
    seq: number,
  ) {
    const a = centre.get(from);
    const b = centre.get(to);
    if (!a || !b) return nothing;
    if (from === to) {
      const x = a.x + (a.w ?? NODE_W) / 2;
      return svg`<path class="current" id="current-edge" d="M${x},${a.y - 8} C${x + 30},${a.y - 24} ${x + 30},${a.y + 24} ${x},${a.y + 8}" marker-end="url(#arrow)"></path>
        ${step(x + 42, a.y, seq)}`;
    }
    return svg`<g id="current-edge">${line(centre, from, to, 'current', true)}${step((a.x + b.x) / 2, (a.y + b.y) / 2, seq)}</g>`;
  }
}

customElements.define('ds-architecture', DsArchitecture);

import { html, nothing, type TemplateResult } from 'lit';
import { t, type Lang } from '../../src/i18n/text.ts';
import { humanSize } from '../../src/views/docker/index.ts';
import type { HostContainer, HostSnapshot } from '../../src/views/host.ts';
import type { LayerState } from '../../src/views/layerStates.ts';
import { layerChange, type LayerChange } from '../../src/views/stateChanges.ts';
import { ui } from '../i18n/ui.ts';
import { machineText } from './stateChangesView.ts';

/**
 * "What changed at this step" in the host views (ds-host.ts): each view's things (a process, a
 * container's layers, a running container's namespaces and binds) written as a state record, so
 * the one derivation the inspector uses (src/views/stateChanges.ts) tells what a step added,
 * removed or moved. A record's machine id is the text the view prints for the thing, so the
 * view's lines can mark it where it stands.
 */
export type HostView = 'pstree' | 'layers' | 'namespaces';

/** A container's name as every host view starts its lines about it. */
function head(c: HostContainer): string {
  return `${c.name} (${c.id.slice(0, 12)})`;
}

function shortKey(key: string): string {
  return key.replace(/^sha256:/, '').slice(0, 12);
}

function record(layer: LayerState['layer'], machines: LayerState['machines']): LayerState {
  return { layer, value: '', machines, tables: [] };
}

/** The host as one record per view (see layerStack.ts, pstree.ts for what the views print). */
export function hostRecords(host: HostSnapshot, lang: Lang): Record<HostView, LayerState> {
  const running = host.containers.filter((c) => c.pid > 0);
  return {
    pstree: record(
      'Kernel',
      host.processes.map((p) => ({
        id: `${p.comm}(${p.pid})`,
        value: p.frozen ? t('view.frozen', lang) : '',
      })),
    ),
    layers: record(
      'Storage',
      host.containers.flatMap((c) => [
        { id: head(c), value: t(`view.status.${c.status}`, lang) },
        // As the view prints the layer (`rw  <key>`): the init layer's key starts as the container's.
        ...c.layers.map((l) => ({
          id: `${head(c)} ${l.writable ? 'rw' : 'ro'}  ${shortKey(l.key)}`,
          value: humanSize(l.size),
        })),
      ]),
    ),
    namespaces: record(
      'Kernel',
      running.flatMap((c) => [
        { id: head(c), value: `pid ${c.pid}` },
        ...(c.binds ?? []).map((b) => ({ id: `${head(c)} ${b}`, value: '' })),
      ]),
    ),
  };
}

/** What the step changed in each view; undefined for the first step (nothing before it). */
export function hostChanges(
  before: HostSnapshot | undefined,
  after: HostSnapshot,
  lang: Lang,
): Record<HostView, LayerChange | undefined> | undefined {
  if (!before) return undefined;
  const [was, now] = [hostRecords(before, lang), hostRecords(after, lang)];
  return {
    pstree: layerChange(was.pstree, now.pstree),
    layers: layerChange(was.layers, now.layers),
    namespaces: layerChange(was.namespaces, now.namespaces),
  };
}

/**
 * Where a changed thing shows in a view's text: a process's `comm(pid)` anywhere in the tree; a
 * container's own line (its name first); a layer or bind inside the lines about its container.
 */
interface Spot {
  block: string;
  token: string;
}

function spotOf(id: string): Spot {
  const end = id.indexOf(') ');
  return end < 0 ? { block: '', token: id } : { block: id.slice(0, end + 1), token: id.slice(end + 2) };
}

/** One line, its changed things wrapped in a mark. */
function markLine(line: string, tokens: readonly string[], title: string): TemplateResult | string {
  const found = tokens
    .map((tk) => [line.indexOf(tk), tk] as const)
    .filter(([at]) => at >= 0)
    .sort((a, b) => a[0] - b[0]);
  if (found.length === 0) return line;
  const parts: (TemplateResult | string)[] = [];
  let from = 0;
  for (const [at, tk] of found) {
    if (at < from) continue;
    parts.push(line.slice(from, at), html`<mark class="changed" title=${title}>${tk}</mark>`);
    from = at + tk.length;
  }
  parts.push(line.slice(from));
  return html`${parts}`;
}

/** A view's text with what the step added or moved marked in place (removed things are listed). */
export function markedText(text: string, change: LayerChange | undefined, lang: Lang) {
  const spots = (change?.machines ?? []).filter((m) => m.to !== undefined).map((m) => spotOf(m.id));
  if (spots.length === 0) return text;
  const title = ui('inspector.changedMark', lang);
  let block = '';
  const lines = text.split('\n').map((line) => {
    // The lines about a container start unindented with its name (see layerStack.ts).
    if (line && !line.startsWith(' ')) block = line.slice(0, line.indexOf(')') + 1);
    const tokens = spots.flatMap((s) => (s.block === '' || s.block === block ? [s.token] : []));
    return markLine(line, tokens, title);
  });
  return html`${lines.map((l, i) => html`${i ? '\n' : ''}${l}`)}`;
}

/** Above a view: what the step changed in it, in words (✚ new, ✖ gone, → moved), for every reader. */
export function changeNote(change: LayerChange | undefined, lang: Lang) {
  if (!change || change.machines.length === 0) return nothing;
  return html`<p class="changes">
    <strong>${ui('host.changes', lang)}</strong>
    ${change.machines.map((m) => html`<span class="change">${machineText(m, lang)}</span> `)}
  </p>`;
}

import { css, html, nothing } from 'lit';
import { t, type Lang } from '../../src/i18n/text.ts';
import type { LayerChange, MachineChange, TableChange } from '../../src/views/stateChanges.ts';
import { ui } from '../i18n/ui.ts';

/** The mark on what the current step changed, the same in the inspector and the host views. */
export const changedMarkStyles = css`
  mark.changed {
    background: color-mix(in srgb, var(--ds-accent) 22%, transparent);
    color: inherit;
    border-radius: 2px;
  }
`;

/**
 * "What changed at this step", drawn from the layers' state records before and after it (see
 * src/views/stateChanges.ts): one line per layer that changed, each change marked as new (✚),
 * gone (✖) or moved (→). The layer states table marks the same things in place.
 */
export function changesList(changes: readonly LayerChange[] | undefined, lang: Lang) {
  if (!changes) return nothing;
  return html`<section id="changes" aria-labelledby="changes-heading">
    <h4 id="changes-heading">${ui('inspector.changes', lang)}</h4>
    ${
      changes.length === 0
        ? html`<p class="hint">${ui('inspector.noChanges', lang)}</p>`
        : html`<ul>
            ${changes.map(
              (c) =>
                html`<li data-layer=${c.layer}>
                  <strong>${t(`participant.${c.layer}`, lang)}</strong>${
                    c.value
                      ? html` <span class="change">${c.value[0] || '—'} → ${c.value[1] || '—'}</span>`
                      : nothing
                  }
                  ${c.machines.map((m) => html` <span class="change machine">${machineText(m, lang)}</span>`)}
                  ${c.tables.map((tb) => html` <span class="change table">${tableText(tb, lang)}</span>`)}
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

export function machineText(m: MachineChange, lang: Lang): string {
  if (m.from === undefined) return `✚ ${m.id} (${ui('inspector.new', lang)}: ${m.to || '—'})`;
  if (m.to === undefined) return `✖ ${m.id} (${ui('inspector.gone', lang)})`;
  return `${m.id}: ${m.from || '—'} → ${m.to || '—'}`;
}

export function tableText(tb: TableChange, lang: Lang): string {
  const parts = [
    ...(tb.from !== undefined ? [`${tb.from || '—'} → ${tb.to || '—'}`] : []),
    ...tb.added.map((k) => `✚ ${k}`),
    ...tb.removed.map((k) => `✖ ${k}`),
  ];
  return `${tb.name}: ${parts.join(', ') || ui('inspector.changed', lang)}`;
}

import { css, html, nothing } from 'lit';
import type { LiveEvidence } from '../../src/wire/live.ts';
import { LiveElement } from './liveElement.ts';

/**
 * Kernel evidence while a message is held: the container's bundle and config.json, the mounts
 * under it, the shim, and the init process with its namespaces (its own, or the host's) and
 * cgroup — read from the host by the engine at the hold, and again on request.
 */
export class DsLiveEvidence extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      ul {
        margin: 0.2rem 0;
        padding-left: 1.2rem;
      }
      code {
        overflow-wrap: anywhere;
      }
      h3 {
        font-size: 0.95rem;
        margin: 0.4rem 0 0.2rem;
      }
    `,
  ];

  private init(e: LiveEvidence) {
    if (!e.init) return html`<p id="no-init">${this.t('live.evidence.noInit')}</p>`;
    const i = e.init;
    return html`
      <p id="init">
        ${this.t('live.evidence.init', { pid: i.pid, state: i.state ?? '?', cmdline: i.cmdline ?? '' })}
      </p>
      <h3>${this.t('live.evidence.ns', { pid: i.pid })}</h3>
      <ul id="namespaces">
        ${i.namespaces.map(
          (n) =>
            html`<li>
              <code>${n.type}:[${n.inode}]</code>
              ${this.t(n.fresh ? 'live.evidence.own' : 'live.evidence.host')}
            </li>`,
        )}
      </ul>
      ${i.cgroup ? html`<p>${this.t('live.evidence.cgroup', { path: i.cgroup })}</p>` : nothing}
    `;
  }

  private body(e: LiveEvidence) {
    return html`
      ${e.container ? html`<p>${this.t('live.evidence.container', { id: e.container.slice(0, 12) })}</p>` : nothing}
      ${e.note ? html`<p>${e.note}</p>` : nothing}
      ${e.bundle ? html`<p><code>${this.t('live.evidence.bundle', { path: e.bundle })}</code></p>` : nothing}
      ${
        e.config
          ? html`<p>
              ${this.t('live.evidence.config', { bytes: e.config.bytes, args: (e.config.args ?? []).join(' ') })}
            </p>`
          : nothing
      }
      ${
        e.config?.text === undefined
          ? nothing
          : html`<details id="config-json">
              <summary>${this.t('live.evidence.configJson')}</summary>
              <pre>${e.config.text}</pre>
            </details>`
      }
      ${e.shimPid ? html`<p>${this.t('live.evidence.shim', { pid: e.shimPid })}</p>` : nothing}
      ${
        e.bundle
          ? html`<h3>${this.t('live.evidence.mounts')}</h3>
              <ul id="mounts">
                ${
                  e.mounts.length === 0
                    ? html`<li>${this.t('live.evidence.noMounts')}</li>`
                    : e.mounts.map((m) => html`<li><code>${m}</code></li>`)
                }
              </ul>
              ${this.init(e)}`
          : nothing
      }
    `;
  }

  override render() {
    const { gate, evidence } = this.client;
    return html`
      <h2>${this.t('live.evidence')}</h2>
      ${
        gate.held === null || evidence === null
          ? html`<p>${this.t('live.evidence.none')}</p>`
          : html`${this.body(evidence)}
              <button id="refresh" @click=${() => this.client.send({ type: 'evidence' })}>
                ${this.t('live.evidence.refresh')}
              </button>`
      }
    `;
  }
}

customElements.define('ds-live-evidence', DsLiveEvidence);

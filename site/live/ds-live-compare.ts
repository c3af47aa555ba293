import { css, html, nothing } from 'lit';
import type { Message } from '../../src/model/message.ts';
import { compare, simulate, type Compared } from './liveCompare.ts';
import type { ConsoleLine } from './liveClient.ts';
import { LiveElement } from './liveElement.ts';

/**
 * Sim beside real: the newest console line that has finished, run again in the simulation (after
 * the page's earlier lines), and the two traces side by side. Messages of one side that the other
 * has not (an extra retry, another order, a pull the host did not need) are marked; ids, digests
 * and times are not compared, only who talked to whom and why.
 */
export class DsLiveCompare extends LiveElement {
  static override styles = [
    LiveElement.shared,
    css`
      .sides {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.4rem;
      }
      ol {
        margin: 0;
        padding-left: 1.6rem;
        font-size: 0.75rem;
        max-height: 14rem;
        overflow: auto;
      }
      li[data-shared='false'] {
        background: var(--ds-diff-bg, #fde68a);
        color: #000;
      }
      h3 {
        font-size: 0.9rem;
        margin: 0.3rem 0;
      }
    `,
  ];

  private result: { line: string; real: Compared[]; sim: Compared[] } | undefined;

  private run(target: ConsoleLine): void {
    const lines = this.client.console;
    const before = lines.slice(0, lines.indexOf(target)).flatMap((l) => (l.code === 0 ? [l.line] : []));
    let sim: Message[];
    try {
      sim = simulate(target.line, before);
    } catch (error) {
      sim = [];
      console.warn('the simulation could not run the line', error);
    }
    this.result = { line: target.line, ...compare(target.messages, sim) };
    this.requestUpdate();
  }

  private side(id: string, title: string, list: Compared[]) {
    const differ = list.filter((c) => !c.shared).length;
    return html`<div>
      <h3>${title} (${this.t('live.compare.differ', { count: differ })})</h3>
      <ol id=${id}>
        ${list.map((c) => html`<li data-shared=${c.shared ? 'true' : 'false'}>${c.call}</li>`)}
      </ol>
    </div>`;
  }

  override render() {
    const finished = [...this.client.console].reverse().find((l) => l.code !== undefined);
    const r = this.result;
    return html`
      <h2>${this.t('live.compare')}</h2>
      ${
        finished === undefined
          ? html`<p>${this.t('live.compare.none')}</p>`
          : html`<button id="compare" @click=${() => this.run(finished)}>
              ${this.t('live.compare.run', { line: finished.line })}
            </button>`
      }
      ${
        r === undefined
          ? nothing
          : html`<p id="compared">${r.line}</p>
              <div class="sides">
                ${this.side('real', this.t('live.compare.real'), r.real)}
                ${this.side('sim', this.t('live.compare.sim'), r.sim)}
              </div>`
      }
    `;
  }
}

customElements.define('ds-live-compare', DsLiveCompare);

// The live page in Chromium, watched from inside: each time the diagram changes (a Mermaid
// drawing replaces it, or new messages are appended to it), the step numbers it shows are read;
// a message's paint is the first change that shows its number, and message-to-paint is that
// moment less the message's `at` (the engine's delivery time, same host clock). Messages a burst
// scrolled out of the diagram's window before any drawing showed them were coalesced away:
// counted, not timed.
import type { Browser, Page } from 'playwright-core';

interface Painted {
  redraws: number;
  painted: Record<number, number>;
}

declare global {
  interface Window {
    livePaints?: Painted;
  }
}

/**
 * Installed in the page: observe the diagram's #svg, inside ds-live's and ds-live-diagram's
 * shadow roots. Plain text, not a function of this file: the compiled function would carry the
 * bundler's helpers, which the page does not have.
 */
const OBSERVE = `(() => {
  const state = { redraws: 0, painted: {} };
  window.livePaints = state;
  const attach = () => {
    const host = document.querySelector('ds-live')?.shadowRoot
      ?.querySelector('ds-live-diagram')?.shadowRoot?.querySelector('#svg');
    if (!host) return void setTimeout(attach, 50);
    new MutationObserver((records) => {
      const now = Date.now();
      if (records.some((r) => r.target === host)) state.redraws++;
      for (const n of host.querySelectorAll('.sequenceNumber')) {
        const seq = Number(n.textContent);
        if (Number.isInteger(seq) && state.painted[seq] === undefined) state.painted[seq] = now;
      }
    }).observe(host, { childList: true, subtree: true });
  };
  attach();
})();`;

export async function openPage(browser: Browser, url: URL): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: OBSERVE });
  await page.goto(url.href);
  await page.locator('#live-badge[data-status="live"]').waitFor({ timeout: 60_000 });
  // A class opens the page before the real work starts: the diagram has drawn its columns.
  await page.locator('ds-live-diagram #svg svg').waitFor({ timeout: 60_000 });
  return page;
}

/** What the page drew so far: the drawings made, and when each step number first showed. */
export async function paints(page: Page): Promise<Painted> {
  return page.evaluate('window.livePaints ?? { redraws: 0, painted: {} }');
}

/**
 * How long each Mermaid drawing took (its render and the swap), and each append of new messages
 * to it, as the page measured them.
 */
export async function drawTimes(page: Page): Promise<{ draws: number[]; appends: number[] }> {
  return page.evaluate(`({
    draws: performance.getEntriesByName('dockstep:live-draw').map((e) => e.duration),
    appends: performance.getEntriesByName('dockstep:live-append').map((e) => e.duration),
  })`);
}

import { describe, expect, it } from 'vitest';
import { browserSuite, RUN, until } from './suite.ts';

/**
 * Where the page's simulation runs (site/state/pageRunner.ts): in a worker of its own, and, in a
 * browser that cannot start one, on the page's thread. Either way the run arrives, is drawn and
 * stepped through, and the host's state at a step (a replay asked of the runner) is shown.
 */
const suite = browserSuite('dist-e2e-runner');

describe.skipIf(suite.why !== undefined)('the page’s simulation', () => {
  for (const [name, init] of [
    ['in a worker', ''],
    ['on the page’s thread when there is no worker', 'delete globalThis.Worker;'],
  ] as const)
    it(`runs, draws, steps and replays the host ${name}`, async () => {
      const page = suite.watch(
        await suite.site().browser.newPage({ viewport: { width: 1440, height: 900 } }),
      );
      if (init) await page.addInitScript({ content: init });
      await page.goto(`${suite.site().url}?c=${RUN}&step=3&lang=en`);
      expect(await page.evaluate(() => typeof Worker)).toBe(init ? 'undefined' : 'function');
      await page.locator('ds-diagram .chunk svg').first().waitFor(until);
      await expect
        .poll(() => page.locator('ds-controls #position').innerText(), until)
        .toMatch(/^Step 3 of \d{3}$/);
      await page.locator('ds-controls #next').click();
      await expect
        .poll(() => page.locator('ds-events [aria-selected="true"]').getAttribute('data-seq'), until)
        .toBe('4');
      await page.locator('ds-panels #panel-host > summary').click();
      await page.locator('ds-host #host-pstree > summary').click();
      await expect
        .poll(() => page.locator('ds-host #host-pstree pre').innerText(), until)
        .toContain('dockerd');
      await page.close();
      expect(suite.errors).toEqual([]);
    });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diagramProblems } from './diagramGeometry.ts';
import { browserSuite, RUN, until } from './suite.ts';

/**
 * Drawings the page makes without Mermaid (site/components/diagramGrow.ts): a command drawn by
 * hand on the columns of one Mermaid drew, and the messages a command gains later appended below
 * its drawing. Judged by geometry, in both languages: arrows on the lifelines they name, labels
 * clear of each other, notes inside the drawing, each appended drawing below the one above.
 */
const { why, errors, open } = browserSuite('dist-e2e-appended');

const LATER = ['docker ps', 'docker logs web', 'docker stop web'];

/** How the page drew each command: by Mermaid (its arrows carry ids), by hand, appended to. */
function drawnBy(page: Page): Promise<{ whole: number; byHand: number; appended: number }> {
  return page.locator('ds-diagram').evaluate((d) => {
    const chunks = [...(d.shadowRoot?.querySelectorAll<HTMLElement>('.chunk') ?? [])];
    const first = (c: HTMLElement) => c.querySelector('svg .messageLine0, svg .messageLine1');
    return {
      whole: chunks.filter((c) => c.dataset.drawn === 'whole').length,
      byHand: chunks.filter((c) => first(c) && !first(c)?.hasAttribute('data-id')).length,
      appended: chunks.filter((c) => c.querySelector('svg[data-part="more"]')).length,
    };
  });
}

describe.skipIf(why !== undefined)('drawings made without Mermaid', () => {
  for (const lang of ['en', 'zh-CN'])
    it(`draws commands on another's columns with their arrows on their lifelines, labels apart (${lang})`, async () => {
      const commands = [RUN, ...LATER.map(encodeURIComponent)].map((c) => `c=${c}`).join('&');
      const page = await open(`${commands}&step=9999&lang=${lang}`);
      await expect.poll(async () => (await drawnBy(page)).whole, until).toBe(1 + LATER.length);
      expect((await drawnBy(page)).byHand).toBeGreaterThan(0);
      expect(await diagramProblems(page)).toEqual([]);
      await page.close();
    });

  it('appends what a command gains below its drawing, clear of it (zh-CN, folded)', async () => {
    const page = await open(`c=${RUN}&step=9999&lang=zh-CN`);
    await expect.poll(async () => (await drawnBy(page)).whole, until).toBe(1);
    // Typed while the container goes on writing: its command gains messages as this one runs.
    await page.locator('ds-console #line').fill('docker ps');
    await page.locator('ds-console #line').press('Enter');
    await expect.poll(async () => (await drawnBy(page)).whole, until).toBe(2);
    expect((await drawnBy(page)).appended).toBe(1);
    expect(await diagramProblems(page)).toEqual([]);
    await page.keyboard.press('f');
    await expect
      .poll(() => page.locator('ds-diagram #fold').getAttribute('aria-pressed'), until)
      .toBe('true');
    await expect.poll(async () => (await drawnBy(page)).whole, until).toBe(2);
    expect(await diagramProblems(page)).toEqual([]);
    await page.close();
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

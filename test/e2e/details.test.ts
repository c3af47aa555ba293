import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, RUN, until } from './suite.ts';

/**
 * The smaller things a class meets: the theme kept across reloads, the permalink's feedback,
 * exports up to the step shown, the inspector's layer states for the layers in play, long
 * digests that wrap in the narration, the diagram's own words in Chinese.
 */
const { why, site, errors, watch } = browserSuite('dist-e2e-details');

async function open(page: Page, query: string): Promise<Page> {
  watch(page);
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.goto(`${site().url}?${query}`);
  await expect.poll(() => page.locator('ds-controls #position').innerText(), until).toMatch(/^(Step|第) /);
  return page;
}

describe.skipIf(why !== undefined)('small things', () => {
  it('keeps the dark theme across a reload', async () => {
    const page = await open(await site().browser.newPage(), `c=${RUN}&step=5&lang=en`);
    await page.locator('ds-app #theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), until).toBe('dark');
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), until).toBe('dark');
    await page.close();
  });

  it('says the permalink was copied, and copies the link of the step shown', async () => {
    const context = await site().browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await open(await context.newPage(), `c=${RUN}&step=5&lang=en`);
    // Next, clicked once it can be (a key pressed while the page still loads goes nowhere);
    // the step shown is 6 once the address bar says so (a busy machine takes its time).
    await page.locator('ds-controls #next').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('step'), until).toBe('6');
    await page.locator('ds-app #copy-link').click();
    // The button and the announced status are read in one go: both say so for 2.5 s only, and a
    // busy machine can let that pass between two separate reads.
    const said = () =>
      page.locator('ds-app').evaluate((app) => {
        const text = (selector: string) => app.shadowRoot?.querySelector(selector)?.textContent?.trim() ?? '';
        return `${text('#copy-link')} | ${text('[role="status"]')}`;
      });
    await expect.poll(said, until).toBe('✓ Link copied | Link copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/step=6/);
    await expect.poll(() => page.locator('ds-app #copy-link').innerText(), until).toBe('Copy permalink');
    await context.close();
  });

  it('exports the Mermaid text, the transcript and the SVG up to the step shown, or the whole run', async () => {
    const page = await open(
      await site().browser.newPage(),
      `c=${RUN}&c=${encodeURIComponent('docker ps')}&step=12&lang=en`,
    );
    await page.locator('#panel-export > summary').click();
    const saved = async (id: string): Promise<string> => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`ds-export #${id}`).click(),
      ]);
      return readFileSync(await download.path(), 'utf8');
    };
    const arrows = (text: string) =>
      text.split('\n').filter((l) => /^\s*\w+(-->>|->>|-\))\w+:/.test(l)).length;
    expect(arrows(await saved('export-mermaid'))).toBeGreaterThan(190);
    await page.locator('ds-export #export-scope').selectOption('step');
    const upTo = await saved('export-mermaid');
    expect(arrows(upTo)).toBe(12);
    expect(upTo).not.toContain('docker ps');
    const transcript = await saved('export-markdown');
    expect(transcript).toMatch(/^12\. /m);
    expect(transcript).not.toMatch(/^13\. /m);
    const svg = await saved('export-svg');
    expect(svg.match(/class="messageLine[01]"/g)?.length).toBe(12);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('what the panels show', () => {
  it("lists only the layers in play in the inspector's layer states", async () => {
    const page = await open(await site().browser.newPage(), `c=${RUN}&step=9999&lang=en`);
    await page.locator('ds-inspector #states > summary').click();
    const states = page.locator('ds-inspector #layer-states tbody th');
    await expect
      .poll(() => states.allInnerTexts(), until)
      .toEqual(expect.arrayContaining(['containerd', 'runc']));
    const names = await states.allInnerTexts();
    for (const absent of ['kubelet', 'Docker Desktop VM', 'builder'])
      expect(names.join('|')).not.toMatch(new RegExp(absent, 'i'));
    await page.close();
  });

  it("links the step to the real code that does it, at the profile's release tag", async () => {
    const page = await open(await site().browser.newPage(), `c=${RUN}&step=2&lang=en`);
    const link = page.locator('ds-inspector #source a');
    await expect
      .poll(() => link.getAttribute('href'), until)
      .toBe('https://github.com/moby/moby/blob/docker-v29.0.0/daemon/server/router/system/system_routes.go');
    expect(await link.innerText()).toContain('(*systemRouter).pingHandler');
    await page.close();
  });

  it('wraps long digests in the narration and speaks Chinese in the diagram tools', async () => {
    const page = await open(
      await site().browser.newPage({ viewport: { width: 1366, height: 768 } }),
      `c=${RUN}&step=16&lang=zh-CN`,
    );
    const narration = page.locator('ds-narration #narration');
    await expect.poll(() => narration.innerText(), until).toMatch(/sha256:[0-9a-f]{64}/);
    const fits = (n: Element) =>
      n.scrollWidth <= n.clientWidth + 1 && n.getBoundingClientRect().right <= innerWidth;
    expect(await narration.evaluate(fits)).toBe(true);
    expect(await page.locator('ds-app aside').evaluate((a) => a.scrollWidth <= a.clientWidth + 1)).toBe(true);
    expect(await page.locator('ds-diagram #as-text').innerText()).toBe('时序图的文字版本');
    expect(await page.locator('ds-diagram #fold').innerText()).toBe('折叠');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import mermaid from 'mermaid';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBrowser, openSite, type Site } from './browser.ts';

/**
 * The site in real Chromium: type a command, step, go back, reopen the permalink, switch to
 * Chinese, export the diagram. Screenshots land in test/e2e/screenshots/ (the README shows them).
 */
const why = missingBrowser();
if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
if (why) console.warn(`[e2e] skipped: ${why}`);

const SHOTS = 'test/e2e/screenshots';

/** Polls wait for runs and drawings on a busy machine: they judge behaviour, not speed. */
const until = { timeout: 15_000 };

let site: Site;
const errors: string[] = [];

/** A page that records every console error and uncaught exception into `errors`. */
async function watchedPage(url: string): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  if (why) return;
  mkdirSync(SHOTS, { recursive: true });
  site = await openSite();
}, 120_000);

afterAll(async () => {
  await site?.close();
});

describe.skipIf(why !== undefined)('site in Chromium', () => {
  let page: Page;

  beforeAll(async () => {
    page = await watchedPage(`${site.url}?lang=en`);
  });

  const position = () => page.locator('ds-controls #position').innerText();
  const current = () => page.locator('ds-diagram svg .current[data-step]').first().getAttribute('data-step');

  it('runs a command typed in the console and steps through ten messages', async () => {
    await page.locator('ds-console #line').fill('docker run -d --name web nginx');
    await page.locator('ds-console #line').press('Enter');
    await page.locator('ds-diagram svg').first().waitFor();
    for (let i = 0; i < 10; i++) await page.locator('ds-controls #next').click();
    expect(await position()).toMatch(/^Step 10 of \d+$/);
    await expect.poll(current, until).toBe('10');
    expect(await page.locator('ds-events [data-seq]').count()).toBe(10);
  });

  it('goes back one step', async () => {
    await page.locator('ds-controls #back').click();
    expect(await position()).toMatch(/^Step 9 of /);
    await expect.poll(current, until).toBe('9');
  });

  it('pairs the diagram with a text version of the messages shown', async () => {
    const toggle = page.locator('ds-diagram #as-text');
    await toggle.click();
    const items = page.locator('ds-diagram-text li');
    expect(await items.count()).toBe(9);
    expect(await items.nth(8).getAttribute('aria-current')).toBe('step');
    expect(await page.locator('ds-diagram svg').first().getAttribute('aria-hidden')).toBe('true');
    await toggle.click();
    expect(await items.count()).toBe(0);
  });

  it('reopens the exact state from the permalink', async () => {
    const narration = await page.locator('ds-narration #narration').innerText();
    await expect.poll(() => new URL(page.url()).searchParams.get('step'), until).toBe('9');
    const again = await site.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await again.goto(page.url());
    await again.locator('ds-diagram svg').first().waitFor();
    expect(await again.locator('ds-controls #position').innerText()).toMatch(/^Step 9 of /);
    expect(await again.locator('ds-narration #narration').innerText()).toBe(narration);
    await again.close();
  });

  it('switches to Simplified Chinese: narration and interface', async () => {
    await page.locator('ds-app #lang').selectOption('zh-CN');
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toMatch(/^第 9 步，共 \d+ 步$/);
    expect(await page.locator('ds-narration #narration').innerText()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.title()).toContain('一步一步');
    await page.locator('ds-diagram svg').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/zh-CN.png` });
  });

  it('exports Mermaid text that Mermaid accepts', async () => {
    const texts = await page
      .locator('ds-diagram')
      .evaluate((el) => (el as unknown as { texts: string[] }).texts);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });
});

describe.skipIf(why !== undefined)('inspection panels in Chromium', () => {
  it('shows the host and the layer machines after the run, replayed on demand', async () => {
    const page = await watchedPage(
      `${site.url}?c=${encodeURIComponent('docker run -d --name web nginx')}&step=9999&lang=en`,
    );
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toMatch(/^Step (\d+) of \1$/);
    await page.locator('#panel-host > summary').click();
    await page.locator('#host-pstree > summary').click();
    await expect
      .poll(() => page.locator('#host-pstree pre').innerText(), until)
      .toMatch(/containerd-shim\(\d+\)─+docker-entrypoi/);
    await page.locator('ds-inspector #states > summary').click();
    await expect
      .poll(() => page.locator('ds-inspector #layer-states').innerText(), until)
      .toMatch(/containerd/);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('the diagram in Chromium', () => {
  /** Whether the band around the current message lies inside the diagram's visible box. */
  const bandInView = (page: Page) =>
    page.locator('ds-diagram').evaluate((d) => {
      const band = d.shadowRoot?.querySelector('#band')?.getBoundingClientRect();
      const box = d.getBoundingClientRect();
      return band !== undefined && band.height > 0 && band.top >= box.top && band.bottom <= box.bottom;
    });

  it('keeps the current message in view when the theme changes and the diagram is drawn again', async () => {
    const page = await watchedPage(
      `${site.url}?c=${encodeURIComponent('docker run -d --name web nginx')}&step=80&lang=en`,
    );
    await expect.poll(() => bandInView(page), until).toBe(true);
    await page.locator('ds-app #theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), until).toBe('dark');
    await page.waitForTimeout(500);
    await expect.poll(() => bandInView(page), { timeout: 10_000 }).toBe(true);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('embedded in slides', () => {
  it('shows the controls, the diagram filling the page and the narration only', async () => {
    const page = await watchedPage(
      `${site.url}?c=${encodeURIComponent('docker run -d --name web nginx')}&step=40&embed=1&lang=en`,
    );
    await page.locator('ds-diagram svg').first().waitFor();
    expect(await page.locator('ds-app header').isVisible()).toBe(false);
    expect(await page.locator('ds-panels').isVisible()).toBe(false);
    expect(await page.locator('ds-narration #narration').innerText()).toMatch(/^40\. /);
    const { height, width } = await page.locator('ds-diagram').evaluate((d) => d.getBoundingClientRect());
    expect(height).toBeGreaterThan(600);
    // The whole width of the page (its padding aside), the narration under it.
    expect(width).toBeGreaterThan(1440 * 0.95);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('a lesson in Chromium', () => {
  it('opens from the lesson list, holds the next message for a prediction, and is completed', async () => {
    const page = await watchedPage(`${site.url}?lang=en`);
    await page.locator('ds-lessons button[data-lesson="stop-vs-kill"]').click();
    await expect
      .poll(() => page.locator('ds-lesson #lesson-title').innerText(), until)
      .toMatch(/^docker stop: SIGTERM/);
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toMatch(/^Step 0 of \d+$/);
    await expect.poll(() => new URL(page.url()).searchParams.get('lesson'), until).toBe('stop-vs-kill');
    // Step until the question shows: it asks about the next message, which waits for an answer.
    const question = page.locator('ds-lesson .question');
    for (let i = 0; i < 20 && !(await question.isVisible()); i++)
      await page.locator('ds-controls #next').click();
    const held = await page.locator('ds-controls #position').innerText();
    await page.locator('ds-controls #next').click();
    expect(await page.locator('ds-controls #position').innerText()).toBe(held);
    await expect
      .poll(() => page.locator('ds-lesson [role="alert"]').innerText(), until)
      .toMatch(/Answer the question first/);
    await page.locator('ds-lesson button[data-choice="SIGTERM"]').click();
    await expect
      .poll(() => page.locator('ds-lesson .question [role="status"]').innerText(), until)
      .toMatch(/^Right\./);
    await page.locator('ds-controls #next').click();
    expect(await page.locator('ds-controls #position').innerText()).not.toBe(held);
    await page.screenshot({ path: `${SHOTS}/lesson.png` });
    await page.keyboard.press('End');
    await page.locator('ds-lesson #check').click();
    await expect
      .poll(() => page.locator('ds-lesson #check-result').innerText(), until)
      .toBe('Goal reached. Lesson done.');
    expect(await page.evaluate(() => localStorage.getItem('dockstep.progress'))).toBe('["stop-vs-kill"]');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('a lesson that asks, in Chromium', () => {
  it('stops End at the first unanswered question, takes a wrong answer with a hint, and says when one was skipped', async () => {
    const page = await watchedPage(`${site.url}?lesson=stop-vs-kill&lang=en`);
    await expect
      .poll(() => page.locator('ds-lesson #lesson-title').innerText(), until)
      .toMatch(/^docker stop: SIGTERM/);
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toMatch(/^Step 0 of [1-9]\d*$/);
    const total = Number((await page.locator('ds-controls #position').innerText()).split(' ').at(-1));
    await page.locator('ds-controls #next').focus();
    await page.keyboard.press('End');
    const question = page.locator('ds-lesson ds-question');
    await expect.poll(() => question.isVisible(), until).toBe(true);
    const held = await page.locator('ds-controls #position').innerText();
    expect(held).not.toBe(`Step ${total} of ${total}`);
    await expect
      .poll(() => page.locator('ds-lesson ds-question [role="alert"]').innerText(), until)
      .toMatch(/Answer the question first/);
    // The scrubber and "Jump to step" stop there too.
    await page.locator('ds-controls #jump').fill(String(total));
    await page.locator('ds-controls #jump').press('Enter');
    await page.locator('ds-controls #scrubber').evaluate((el, n) => {
      (el as HTMLInputElement).value = String(n);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, total);
    expect(await page.locator('ds-controls #position').innerText()).toBe(held);
    // A wrong answer is crossed out, with a hint, and the question stays.
    await question.locator('button[data-choice="SIGKILL"]').click();
    await expect
      .poll(() => question.locator('#retry').innerText(), until)
      .toMatch(/^Not SIGKILL: try again\. /);
    expect(await question.locator('button[data-choice="SIGKILL"]').isDisabled()).toBe(true);
    await page.locator('ds-controls #next').click();
    expect(await page.locator('ds-controls #position').innerText()).toBe(held);
    // Skipped explicitly: the way is free, and the goal check says so.
    await question.locator('#skip').click();
    await expect
      .poll(() => question.locator('[role="status"]').innerText(), until)
      .toMatch(/^Skipped: the answer is SIGTERM\./);
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toBe(`Step ${total} of ${total}`);
    await page.locator('ds-lesson #check').click();
    await expect
      .poll(() => page.locator('ds-lesson #check-result').innerText(), until)
      .toMatch(/^Goal reached, but 1 question\(s\) were skipped/);
    expect(await page.evaluate(() => localStorage.getItem('dockstep.progress'))).toBeNull();
    await page.close();
  });

  it('brings a permalink’s step past an unanswered question back to the question', async () => {
    const page = await watchedPage(`${site.url}?lesson=stop-vs-kill&step=9999&lang=en`);
    await expect.poll(() => page.locator('ds-lesson ds-question').isVisible(), until).toBe(true);
    const [n, total] =
      (await page.locator('ds-controls #position').innerText()).match(/\d+/g)?.map(Number) ?? [];
    expect(n).toBeLessThan(total ?? 0);
    await page.close();
  });

  it('reopens a lesson at its step from a permalink', async () => {
    const page = await watchedPage(`${site.url}?lesson=pause&step=5&lang=zh-CN`);
    await expect
      .poll(() => page.locator('ds-lesson #lesson-title').innerText(), until)
      .toBe('docker pause：cgroup 冻结器');
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), until)
      .toMatch(/^第 5 步，共 \d+ 步$/);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

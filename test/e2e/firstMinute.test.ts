import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBrowser, openSite, type Site } from './browser.ts';

/**
 * A first visit: a welcome that says what this is and offers examples and the first lesson
 * (never a "Drawing the diagram…" that stays), the console one key away, and the keyboard
 * handed to the stepper once a command is typed.
 */
const why = missingBrowser();
if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
if (why) console.warn(`[e2e] skipped: ${why}`);

/** Polls wait for runs and drawings on a busy machine: they judge behaviour, not speed. */
const until = { timeout: 15_000 };

let site: Site;
const errors: string[] = [];

beforeAll(async () => {
  if (why) return;
  site = await openSite('dist-e2e-first');
}, 120_000);

afterAll(async () => {
  await site?.close();
});

async function firstVisit(lang: string): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}?lang=${lang}`);
  await page.locator('ds-welcome').waitFor();
  return page;
}

/** The focused element, through the shadow roots: its tag and id. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let e: Element | null = document.activeElement;
    while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
    return e ? `${e.tagName.toLowerCase()}#${e.id}` : '';
  });

describe.skipIf(why !== undefined)('the first minute', () => {
  it('welcomes with what this is, three example commands and the first lesson, and no endless placeholder', async () => {
    const page = await firstVisit('en');
    expect(await page.locator('ds-welcome h2').innerText()).toMatch(/Docker really does/);
    const examples = await page.locator('ds-welcome [data-example]').allInnerTexts();
    expect(examples).toEqual(['docker run hello-world', 'docker run -d --name web nginx', 'docker ps']);
    expect(await page.locator('ds-diagram .loading').isVisible()).toBe(false);
    // Next is disabled: the narration does not ask for it.
    expect(await page.locator('ds-controls #next').isDisabled()).toBe(true);
    expect(await page.locator('ds-narration #narration').innerText()).not.toMatch(/Press Next/);
    await page.locator('ds-welcome [data-example="docker ps"]').click();
    await expect
      .poll(() => page.locator('ds-controls #position').innerText())
      .toMatch(/^Step 0 of [1-9]\d*$/);
    await page.locator('ds-diagram .chunk svg').first().waitFor();
    await expect.poll(() => focused(page), until).toBe('button#next');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('ds-controls #position').innerText(), until).toMatch(/^Step 1 of /);
    await page.close();
  });

  it('goes to the console with /, leaves it with Esc, and hands → to the stepper after Enter', async () => {
    const page = await firstVisit('en');
    await page.keyboard.press('/');
    await expect.poll(() => focused(page), until).toBe('input#line');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page), until).not.toBe('input#line');
    await page.keyboard.press('/');
    await page.keyboard.type('docker run -d --name web nginx');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), until).toBe('button#next');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('ds-controls #position').innerText(), until).toMatch(/^Step 2 of /);
    await page.close();
  });

  it('offers a skip link to the console as the first stop of Tab', async () => {
    const page = await firstVisit('en');
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page), until).toBe('a#');
    expect(await page.locator('ds-app a.skip').innerText()).toBe('Skip to the docker console');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), until).toBe('input#line');
    await page.close();
  });

  it('opens the first lesson from the welcome', async () => {
    const page = await firstVisit('en');
    await page.locator('ds-welcome #first-lesson').click();
    await expect
      .poll(() => page.locator('ds-lesson #lesson-title').innerText())
      .toMatch(/^docker run -d nginx/);
    await expect
      .poll(() => new URL(page.url()).searchParams.get('lesson'), { timeout: 10_000 })
      .toBe('run-nginx');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('the first commands people try', () => {
  it('runs docker run hello-world from the welcome: the pull, then the hello text, and only errors in red', async () => {
    const page = await firstVisit('en');
    await page.locator('ds-welcome [data-example="docker run hello-world"]').click();
    await expect
      .poll(() => page.locator('ds-controls #position').innerText())
      .toMatch(/^Step 0 of [1-9]\d*$/);
    await page.keyboard.press('End');
    const output = page.locator('ds-console #output');
    await expect
      .poll(() => output.innerText())
      .toMatch(/Status: Downloaded newer image for hello-world:latest\n+Hello from Docker!/);
    // The console follows the step: its last line is in view.
    expect(await output.evaluate((pre) => pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 2)).toBe(
      true,
    );
    // The pull's progress is on stderr, as docker run writes it, but it is no error.
    expect(await output.locator('.err').count()).toBe(0);
    expect(await output.locator('[data-stream="stderr"]').first().innerText()).toMatch(
      /^Unable to find image/,
    );
    await page.close();
  });

  it('names the images the simulated registry holds when one is not there', async () => {
    const page = await firstVisit('en');
    await page.keyboard.press('/');
    await page.keyboard.type('docker run -it ubuntu-nosuch bash');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('ds-controls #position').innerText())
      .toMatch(/^Step 0 of [1-9]\d*$/);
    await page.keyboard.press('End');
    const output = page.locator('ds-console #output');
    await expect.poll(() => output.locator('.err').count(), until).toBeGreaterThan(0);
    expect(await output.locator('.err').first().innerText()).toMatch(/pull access denied/);
    expect(await output.locator('.note').innerText()).toMatch(
      /busybox, alpine, nginx, redis, hello-world, ubuntu, debian/,
    );
    await page.close();
  });

  it('speaks Simplified Chinese before any command too', async () => {
    const page = await firstVisit('zh-CN');
    expect(await page.locator('ds-welcome h2').innerText()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('ds-narration #narration').innerText()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('ds-diagram #as-text').innerText()).toBe('时序图的文字版本');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

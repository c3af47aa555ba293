import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, position, RUN, until } from './suite.ts';

/**
 * The diagram read block by block: a folded repeated block unfolds on its own from its label
 * (a click, or Enter with the keyboard), the others stay folded, and stepping keeps it so.
 */
const { why, errors, open } = browserSuite('dist-e2e-blocks');

/** The current command's drawing: how many arrows, and each loop's label. */
function drawing(page: Page) {
  return page.locator('ds-diagram').evaluate((d) => {
    // The command's whole drawing, not its short first one.
    const svg = d.shadowRoot?.querySelector('.chunk[data-state="current"][data-drawn="whole"] svg');
    return {
      arrows: svg?.querySelectorAll('.messageLine0, .messageLine1').length ?? 0,
      // The repeated blocks' loops (a layer's own loops, such as a pull's per-layer one, aside).
      loops: [...(svg?.querySelectorAll('g:has(> .labelBox)') ?? [])]
        .map((g) => [...g.querySelectorAll('.loopText')].map((t) => t.textContent ?? '').join(' '))
        .filter((l) => l.includes('×')),
    };
  });
}

/** The element the keyboard is on, through the shadow roots: its block's first step or its id. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let e: Element | null = document.activeElement;
    while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
    return e instanceof HTMLElement ? (e.dataset.first ?? e.id) : '';
  });
}

describe.skipIf(why !== undefined)('unfolding one block', () => {
  let page: Page;
  let folded: Awaited<ReturnType<typeof drawing>>;
  let one: Awaited<ReturnType<typeof drawing>>;
  let firstStep: string | null;
  let secondStep: string | null;

  it('draws a button over each folded block label, with what it does for its name', async () => {
    page = await open(`c=${RUN}&step=150&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 150 of \d+$/);
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeGreaterThanOrEqual(150);
    await page.keyboard.press('f');
    const toggles = page.locator(
      'ds-diagram .chunk[data-state="current"][data-drawn="whole"] button.block:not([hidden])',
    );
    await expect.poll(() => toggles.count(), until).toBeGreaterThanOrEqual(2);
    folded = await drawing(page);
    expect(folded.loops.length).toBeGreaterThanOrEqual(2);
    expect(folded.loops.every((l) => /one drawn/.test(l))).toBe(true);
    firstStep = await toggles.nth(0).getAttribute('data-first');
    secondStep = await toggles.nth(1).getAttribute('data-first');
    expect(await toggles.nth(0).getAttribute('aria-expanded')).toBe('false');
    expect(await toggles.nth(0).getAttribute('aria-label')).toMatch(
      /^Unfold this block: draw all \d+ repeats/,
    );
  });

  it('is reached with Tab from the drawing; Enter unfolds that block alone and stepping keeps it so', async () => {
    await page.locator('ds-diagram #scroll').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(firstStep);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeGreaterThan(folded.arrows);
    one = await drawing(page);
    expect(one.loops.filter((l) => /all drawn/.test(l))).toHaveLength(1);
    expect(one.loops.filter((l) => /one drawn/.test(l)).length).toBe(folded.loops.length - 1);
    const button = page.locator(`ds-diagram button.block[data-first="${firstStep}"]`);
    await expect.poll(() => button.getAttribute('aria-expanded'), until).toBe('true');
    await expect.poll(() => focused(page), until).toBe(firstStep);
    // Stepping (the arrow keys, Next) leaves the fold as it is.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(page), until).toMatch(/^Step 153 of /);
    expect(await drawing(page)).toEqual(one);
  });

  it('unfolds another block with a click, folds one back, and F folds them all', async () => {
    await page.locator(`ds-diagram button.block[data-first="${secondStep}"]`).click();
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeGreaterThan(one.arrows);
    expect((await drawing(page)).loops.filter((l) => /all drawn/.test(l))).toHaveLength(2);
    await page.locator(`ds-diagram button.block[data-first="${firstStep}"]`).click();
    await expect
      .poll(async () => (await drawing(page)).loops.filter((l) => /all drawn/.test(l)).length, until)
      .toBe(1);
    await page.keyboard.press('f');
    await page.keyboard.press('f');
    await expect.poll(async () => (await drawing(page)).arrows, until).toBe(folded.arrows);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('unfolding one block, in Chinese', () => {
  it('names the label in Chinese', async () => {
    const page = await open(`c=${RUN}&step=150&lang=zh-CN`);
    await expect.poll(() => position(page), until).toMatch(/^第 150 步/);
    await page.keyboard.press('f');
    const toggle = page.locator('ds-diagram button.block:not([hidden])').first();
    await expect.poll(() => toggle.getAttribute('aria-label'), until).toMatch(/^展开这个块/);
    await page.close();
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

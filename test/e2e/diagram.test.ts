import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBrowser, openSite, type Site } from './browser.ts';

/**
 * The diagram a class can read at any step: at a laptop's and a projector's size, at steps
 * early, middle and late in `docker run -d --name web nginx`, with and without presenter mode,
 * every participant's name and both ends of the current message lie inside the diagram's box
 * and the window (bounding boxes of the drawn elements, not pixels).
 */
const why = missingBrowser();
if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
if (why) console.warn(`[e2e] skipped: ${why}`);

const SHOTS = 'test/e2e/screenshots';
const RUN = encodeURIComponent('docker run -d --name web nginx');
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
const STEPS = [15, 60, 157];
/** The states the README shows. */
const SHOWN: Record<string, string> = {
  '1366x768-60-': 'step-60.png',
  '1920x1080-157-presenter': 'presenter-157.png',
};

/** Polls wait for runs and drawings on a busy machine: they judge behaviour, not speed. */
const until = { timeout: 15_000 };

let site: Site;
const errors: string[] = [];

beforeAll(async () => {
  if (why) return;
  mkdirSync(SHOTS, { recursive: true });
  site = await openSite('dist-e2e-diagram');
}, 120_000);

afterAll(async () => {
  await site?.close();
});

/**
 * What is out of view, as a list of sentences (empty when all is in view): the names in the
 * sticky strip and the current message's arrow (its two ends) and number, against the
 * diagram's box below the strip and the window.
 */
function outOfView(page: Page, step: number): Promise<string[]> {
  return page.evaluate((n) => {
    const diagram = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram');
    const root = diagram?.shadowRoot;
    if (!diagram || !root) return ['no diagram'];
    const drawn = root.querySelectorAll('.chunk svg g[data-et="participant"]').length;
    const names = [...root.querySelectorAll('#head text.actor')];
    const arrow = root.querySelector(`.chunk [data-step="${n}"]:is(.messageLine0, .messageLine1)`);
    const band = root.querySelector('#band');
    if (drawn === 0 || !arrow || !band) return ['not drawn yet'];
    const scroll = root.querySelector('#scroll')?.getBoundingClientRect();
    const head = root.querySelector('#head')?.getBoundingClientRect();
    if (!scroll || !head) return ['no scroll area'];
    const out: string[] = [];
    if (names.length !== drawn) out.push(`${names.length} names shown for ${drawn} participants`);
    const inside = (what: string, r: DOMRect, top: number): void => {
      const box = {
        left: Math.max(scroll.left, 0),
        right: Math.min(scroll.right, innerWidth),
        top: Math.max(top, 0),
        bottom: Math.min(scroll.bottom, innerHeight),
      };
      if (r.width === 0 && r.height === 0) out.push(`${what} has no box`);
      if (
        r.left < box.left - 0.5 ||
        r.right > box.right + 0.5 ||
        r.top < box.top - 0.5 ||
        r.bottom > box.bottom + 0.5
      ) {
        out.push(
          `${what} at ${[r.left, r.right, r.top, r.bottom].map(Math.round).join(',')} outside ${[box.left, box.right, box.top, box.bottom].map(Math.round).join(',')}`,
        );
      }
    };
    for (const name of names)
      inside(`name ${name.textContent ?? ''}`, name.getBoundingClientRect(), scroll.top);
    // Below the names: a message hidden under the strip is not in view.
    inside(`message ${n}'s arrow`, arrow.getBoundingClientRect(), head.bottom);
    const number = root.querySelector(`.chunk text.sequenceNumber[data-step="${n}"]`);
    if (number) inside(`message ${n}'s number`, number.getBoundingClientRect(), head.bottom);
    return out;
  }, step);
}

describe.skipIf(why !== undefined)('the diagram at any step', () => {
  for (const size of SIZES) {
    for (const presenter of [false, true]) {
      for (const step of STEPS) {
        const label = `${size.width}×${size.height}${presenter ? ', presenter mode' : ''}, step ${step}`;
        it(`shows every name and both ends of the current message: ${label}`, async () => {
          const page = await site.browser.newPage({ viewport: size });
          page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(`${site.url}?c=${RUN}&step=${step}&lang=en${presenter ? '&presenter=1' : ''}`);
          await expect
            .poll(() => page.locator('ds-controls #position').innerText(), { timeout: 30_000 })
            .toMatch(new RegExp(`^Step ${step} of \\d+$`));
          await expect.poll(() => outOfView(page, step), { timeout: 30_000 }).toEqual([]);
          const shot = SHOWN[`${size.width}x${size.height}-${step}-${presenter ? 'presenter' : ''}`];
          if (shot) await page.screenshot({ path: `${SHOTS}/${shot}` });
          await page.close();
        });
      }
    }
  }
});

describe.skipIf(why !== undefined)('zooming the diagram', () => {
  it('zooms in and out from the keyboard and from its buttons, and fits the width again', async () => {
    const page = await site.browser.newPage({ viewport: SIZES[0] });
    await page.goto(`${site.url}?c=${RUN}&step=60&lang=en`);
    await expect.poll(() => outOfView(page, 60), { timeout: 30_000 }).toEqual([]);
    const width = () =>
      page
        .locator('ds-diagram .chunk svg')
        .first()
        .evaluate((s) => s.getBoundingClientRect().width);
    const fit = await width();
    await page.keyboard.press('+');
    await expect.poll(width, until).toBeGreaterThan(fit * 1.2);
    expect(await page.locator('ds-diagram #zoom-fit').innerText()).toBe('150%');
    // Scrolled sideways, the names strip moves with the columns: each name stays over its own.
    await page.locator('ds-diagram #scroll').evaluate((s) => (s.scrollLeft = 300));
    const misaligned = () =>
      page.locator('ds-diagram').evaluate((d) => {
        const root = d.shadowRoot;
        const heads = [...(root?.querySelectorAll('#head g[data-et="participant"]') ?? [])];
        return heads.filter((h) => {
          const own = root?.querySelector(
            `.chunk g[data-et="participant"][data-id="${h.getAttribute('data-id') ?? ''}"]`,
          );
          return !own || Math.abs(own.getBoundingClientRect().left - h.getBoundingClientRect().left) > 1;
        }).length;
      });
    await expect.poll(misaligned, until).toBe(0);
    expect(await page.locator('ds-diagram #scroll').evaluate((s) => s.scrollLeft)).toBeGreaterThan(0);
    // Zoomed in, the current message is still brought into view when stepping.
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() =>
        page.locator('ds-diagram').evaluate((d) => {
          const band = d.shadowRoot?.querySelector('#band')?.getBoundingClientRect();
          const box = d.shadowRoot?.querySelector('#scroll')?.getBoundingClientRect();
          return (
            band !== undefined &&
            box !== undefined &&
            band.left >= box.left &&
            band.right <= box.right &&
            band.bottom <= box.bottom
          );
        }),
      )
      .toBe(true);
    await page.locator('ds-diagram #zoom-out').click();
    await page.locator('ds-diagram #zoom-out').click();
    await expect.poll(width, until).toBeLessThan(fit * 0.9);
    await page.keyboard.press('0');
    await expect.poll(width, until).toBeCloseTo(fit, 0);
    expect(await page.locator('ds-diagram #zoom-fit').getAttribute('aria-pressed')).toBe('true');
    await page.close();
  });
});

const PHONE = { width: 390, height: 844 };

/**
 * On a phone, what is wrong, as sentences (empty when all is well): the current message's
 * arrow outside the window or the diagram's box below the names, a participant's name shorter
 * than 10 px, or a page wider than the window.
 */
function phoneProblems(page: Page, step: number): Promise<string[]> {
  return page.evaluate((n) => {
    const root = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
    const arrow = root?.querySelector(`.chunk [data-step="${n}"]:is(.messageLine0, .messageLine1)`);
    const names = [...(root?.querySelectorAll('#head text.actor') ?? [])];
    const scroll = root?.querySelector('#scroll')?.getBoundingClientRect();
    const head = root?.querySelector('#head')?.getBoundingClientRect();
    if (!arrow || !scroll || !head || names.length === 0) return ['not drawn yet'];
    const out: string[] = [];
    const r = arrow.getBoundingClientRect();
    const box = {
      left: Math.max(scroll.left, 0),
      right: Math.min(scroll.right, innerWidth),
      top: Math.max(head.bottom, 0),
      bottom: Math.min(scroll.bottom, innerHeight),
    };
    if (
      r.left < box.left - 0.5 ||
      r.right > box.right + 0.5 ||
      r.top < box.top - 0.5 ||
      r.bottom > box.bottom + 0.5
    )
      out.push(
        `message ${n}'s arrow at ${[r.left, r.right, r.top, r.bottom].map(Math.round).join(',')} outside ${[box.left, box.right, box.top, box.bottom].map(Math.round).join(',')}`,
      );
    for (const name of names) {
      const tall = name.getBoundingClientRect().height;
      if (tall < 10) out.push(`name ${name.textContent ?? ''} is ${tall.toFixed(1)} px tall`);
    }
    const wide = document.documentElement.scrollWidth;
    if (wide > innerWidth) out.push(`the page is ${wide} px wide in a ${innerWidth} px window`);
    return out;
  }, step);
}

describe.skipIf(why !== undefined)('on a phone', () => {
  for (const step of STEPS) {
    it(`shows the current message and readable names on the first screen after stepping to ${step} (390×844)`, async () => {
      const page = await site.browser.newPage({ viewport: PHONE });
      page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${site.url}?c=${RUN}&step=${step - 1}&lang=en`);
      await expect
        .poll(() => page.locator('ds-controls #position').innerText(), { timeout: 30_000 })
        .toMatch(new RegExp(`^Step ${step - 1} of \\d+$`));
      await page.locator('ds-controls #next').click();
      await expect
        .poll(() => page.locator('ds-controls #position').innerText(), until)
        .toMatch(new RegExp(`^Step ${step} of \\d+$`));
      await expect.poll(() => phoneProblems(page, step), { timeout: 30_000 }).toEqual([]);
      // The default zoom is the readable one, and it says so.
      await expect.poll(() => page.locator('ds-diagram #zoom-fit').innerText(), until).toBe('Readable');
      await page.close();
    });
  }

  it('keeps the settings and the rarer controls one press away (390×844)', async () => {
    const page = await site.browser.newPage({ viewport: PHONE });
    await page.goto(`${site.url}?c=${RUN}&step=5&lang=en`);
    await expect.poll(() => page.locator('ds-controls #position').innerText(), until).toMatch(/^Step 5 of/);
    expect(await page.locator('ds-app #theme').isVisible()).toBe(false);
    expect(await page.locator('ds-controls #jump').isVisible()).toBe(false);
    await page.locator('ds-app #settings-toggle').click();
    await page.locator('ds-controls #more').click();
    expect(await page.locator('ds-app #theme').isVisible()).toBe(true);
    expect(await page.locator('ds-controls #jump').isVisible()).toBe(true);
    expect(await page.locator('ds-controls #more').getAttribute('aria-expanded')).toBe('true');
    await page.close();
  });

  it('gives the diagram the page’s width in presenter mode (390×844)', async () => {
    const page = await site.browser.newPage({ viewport: PHONE });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.url}?c=${RUN}&step=60&lang=en&presenter=1`);
    await expect
      .poll(() => page.locator('ds-controls #position').innerText(), { timeout: 30_000 })
      .toMatch(/^Step 60 of \d+$/);
    const width = await page.locator('ds-diagram').evaluate((d) => d.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(340);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

// What the browser suites that read one run begin with: the site built and served for the suite
// (its own dist directory, so suites run side by side), a page opener that collects the page's
// errors, the run they open and polls sized for a busy machine.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { missingBrowser, newPage, openSite, type Site } from './browser.ts';

/** The run the suites open: `docker run -d --name web nginx`, as a URL parameter. */
export const RUN = encodeURIComponent('docker run -d --name web nginx');
/** Polls wait for runs and drawings on a busy machine: they judge behaviour, not speed. */
export const until = { timeout: 30_000 };

export interface BrowserSuite {
  /** Why the suite cannot run here (it then skips, and fails on CI), or undefined. */
  why: string | undefined;
  /** The served site, once the suite's beforeAll has built it. */
  site(): Site;
  /** Errors the pages logged or threw. */
  errors: string[];
  /** Collect a page's errors. */
  watch(page: Page): Page;
  /** A new page at `?query`, its errors collected. */
  open(query: string): Promise<Page>;
}

/** Builds and serves the site into `outDir` for this suite, and closes it after. */
export function browserSuite(outDir: string): BrowserSuite {
  const why = missingBrowser();
  if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
  if (why) console.warn(`[e2e] skipped: ${why}`);
  let site: Site | undefined;
  const errors: string[] = [];
  beforeAll(async () => {
    if (why) return;
    site = await openSite(outDir);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });
  const served = (): Site => {
    if (site === undefined) throw new Error(`the site in ${outDir} is not served`);
    return site;
  };
  const watch = (page: Page): Page => {
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  };
  return {
    why,
    site: served,
    errors,
    watch,
    async open(query) {
      const page = watch(await newPage(served().browser));
      await page.goto(`${served().url}?${query}`);
      return page;
    },
  };
}

/** The step counter's text: `Step 5 of 189`. */
export const position = (page: Page): Promise<string> => page.locator('ds-controls #position').innerText();

// Shared set-up for the browser suites: build the site, serve dist/ on loopback, and launch
// Debian's Chromium through playwright-core (no browser download). Network stays on loopback:
// the flags below stop Chromium's own background traffic.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser suites cannot run here, or undefined when they can. */
export function missingBrowser(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

export interface Site {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function openSite(outDir = 'dist-e2e'): Promise<Site> {
  await build({ logLevel: 'warn', build: { outDir: `../${outDir}`, emptyOutDir: true, manifest: true } });
  const server: PreviewServer = await preview({
    logLevel: 'warn',
    build: { outDir: `../${outDir}` },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const address = server.httpServer.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${address.port}/`,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

/**
 * A page with a 1440×900 viewport. Functions handed to page.evaluate are compiled by tsx, which
 * may wrap them in a `__name` helper the page does not have; the init script supplies it.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return page;
}

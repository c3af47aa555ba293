// `npm run bench:site`: the site's speed in headless Chromium, against the goals of the site
// issue, measured on a production build served on loopback. Prints each figure with its goal,
// then one JSON line last.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { missingBrowser, newPage, openSite } from '../test/e2e/browser.ts';

const RUN_400 = ['docker run -d --name web nginx', 'docker stop web', 'docker rm web', 'docker run -d --name sl busybox sleep 1000', 'docker stop -t 1 sl', 'docker rm sl'];
const RUN_200 = ['docker run -d --name web nginx', 'docker ps'];
const GOALS = { stepP95Ms: 16, rerender200P95Ms: 300, coldFirstDiagramMs: 1000, initialJsGzipKB: 100 };

function link(commands: string[], step = 0): string {
  const q = new URLSearchParams();
  for (const c of commands) q.append('c', c);
  q.set('step', String(step));
  q.set('lang', 'en');
  return `?${q.toString()}`;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? Number.NaN;
}

interface ManifestEntry {
  file: string;
  imports?: string[];
}

/**
 * The JS a first visit must load before Mermaid: the entry and its static imports, from the
 * build's manifest (Mermaid and everything it needs come through dynamic imports).
 */
function initialJsGzipKB(outDir: string): number {
  const manifest = JSON.parse(readFileSync(`${outDir}/.vite/manifest.json`, 'utf8')) as Record<string, ManifestEntry>;
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit('index.html');
  const bytes = [...seen].map((k) => gzipSync(readFileSync(`${outDir}/${manifest[k]?.file ?? ''}`), { level: 9 }).length);
  return bytes.reduce((a, b) => a + b, 0) / 1024;
}

/** Cold load: navigation start to the first diagram. */
async function coldLoad(page: Page, url: string): Promise<{ ms: number }> {
  await page.goto(url);
  await page.locator('ds-diagram svg').first().waitFor({ timeout: 20_000 });
  // The page marks the moment its first diagram is inserted; reading the clock from here would
  // add the time the page is busy drawing the next command.
  const ms = await page.evaluate(() => performance.getEntriesByName('dockstep:first-diagram')[0]?.startTime ?? performance.now());
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace(/:ds-seq-\d+/, '')}@${m.startTime.toFixed(0)}`).slice(0, 6).join(' '));
  console.log(`cold load: first diagram at ${ms.toFixed(0)} ms; ${marks}`);
  return { ms };
}

/**
 * Step to paint, over every step of a 400-message run: the step starts at the beginning of a
 * frame (as Chromium delivers input aligned to frames) and ends when that frame has been
 * painted, which is when a task queued from inside the frame runs. The wait for the display's
 * next vsync before the step is not the page's to spend, so it is not counted.
 */
async function stepTimes(page: Page, steps: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const app = document.querySelector('ds-app') as unknown as { session: { next(): void; seek(k: number): void } };
    const settle = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    app.session.seek(0);
    await settle();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      await new Promise<void>((resolve) => requestAnimationFrame(() => {
        const t0 = performance.now();
        app.session.next();
        setTimeout(() => (out.push(performance.now() - t0), resolve()), 0);
      }));
      await settle(); // work a step defers to the next frame (the event list's scroll) is not the next step's
    }
    return out;
  }, steps);
}

/** After a console command at 200 messages: until the new command's diagram is drawn. */
async function rerender(page: Page, url: string, line: string): Promise<number> {
  await page.goto(url);
  await page.locator('ds-diagram svg').first().waitFor({ timeout: 20_000 });
  return page.evaluate(async (l) => {
    const app = document.querySelector('ds-app') as unknown as { session: { runCommand(x: string): void; state: { total: number } } };
    const diagram = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram');
    const before = diagram?.shadowRoot?.querySelectorAll('svg').length ?? 0;
    const t0 = performance.now();
    app.session.runCommand(l);
    await new Promise<void>((resolve) => {
      const check = () => ((diagram?.shadowRoot?.querySelectorAll('svg').length ?? 0) > before ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check));
      check();
    });
    return performance.now() - t0;
  }, line);
}

async function main(): Promise<void> {
  const why = missingBrowser();
  if (why) throw new Error(`bench:site needs Chromium: ${why}`);
  const site = await openSite('dist-bench');
  try {
    const cold: { ms: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await newPage(site.browser);
      cold.push(await coldLoad(page, `${site.url}${link(RUN_400)}`));
      await page.close();
    }
    const page = await newPage(site.browser);
    await page.goto(`${site.url}${link(RUN_400)}`);
    await page.locator('ds-diagram svg').first().waitFor();
    await page.waitForTimeout(3000); // let the idle-time rendering of every command finish
    const total = await page.evaluate(() => (document.querySelector('ds-app') as unknown as { session: { state: { total: number } } }).session.state.total);
    const steps = await stepTimes(page, Math.min(total, 400));
    const rer: number[] = [];
    for (let i = 0; i < 8; i++) rer.push(await rerender(page, `${site.url}${link(RUN_200, 190)}`, 'docker stop web'));
    const result = {
      stepP95Ms: Number(p95(steps).toFixed(1)),
      rerender200P95Ms: Number(p95(rer).toFixed(1)),
      coldFirstDiagramMs: Number(Math.max(...cold.map((c) => c.ms)).toFixed(0)),
      initialJsGzipKB: Number(initialJsGzipKB('dist-bench').toFixed(1)),
    };
    console.log(`run of ${total} messages; ${steps.length} steps timed; ${rer.length} re-renders; ${cold.length} cold loads`);
    for (const [key, goal] of Object.entries(GOALS)) {
      const value = result[key as keyof typeof result];
      console.log(`${key.padEnd(20)} ${String(value).padStart(8)}  goal ≤ ${goal}  ${value <= goal ? 'PASS' : 'FAIL'}`);
    }
    console.log(JSON.stringify(result));
  } finally {
    await site.close();
  }
}

await main();

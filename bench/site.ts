// `npm run bench:site`: the site's speed in headless Chromium, against the goals of the site
// issue, measured on a production build served on loopback. Prints each figure with its goal,
// then one JSON line last.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { messagesOf } from '../src/views/trace.ts';
import { Simulation } from '../src/sim/simulation.ts';
import { PREVIEW_AHEAD, screenText } from '../site/components/diagramChunks.ts';
import { CHROMIUM, CHROMIUM_ARGS, missingBrowser, newPage, openSite } from '../test/e2e/browser.ts';
import { serveFloor } from './floor/serve.ts';

const RUN_400 = [
  'docker run -d --name web nginx',
  'docker stop web',
  'docker rm web',
  'docker run -d --name sl busybox sleep 1000',
  'docker stop -t 1 sl',
  'docker rm sl',
];
const RUN_200 = ['docker run -d --name web nginx', 'docker ps'];
const GOALS = { stepP95Ms: 16, rerender200P95Ms: 300, coldFirstDiagramMs: 1000, initialJsGzipKB: 100 };

function link(commands: string[], step = 0): string {
  const q = new URLSearchParams();
  for (const c of commands) q.append('c', c);
  q.set('step', String(step));
  q.set('lang', 'en');
  return `?${q.toString()}`;
}

/**
 * The reference for the cold load: the first drawing the site makes for RUN_400 at step 0 (its
 * first command, a few steps ahead), drawn by a page that loads nothing but Mermaid.
 */
function floorUrl(base: string): string {
  const trace = new Simulation(RUN_400, { seed: 1, profile: 'v29' }).runToEnd();
  const [first] = messagesOf(trace);
  const text = first ? screenText(trace, 'en', first.command, first.seq + PREVIEW_AHEAD) : '';
  return `${base}?${new URLSearchParams({ text }).toString()}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
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
  const manifest = JSON.parse(readFileSync(`${outDir}/.vite/manifest.json`, 'utf8')) as Record<
    string,
    ManifestEntry
  >;
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit('index.html');
  const bytes = [...seen].map(
    (k) => gzipSync(readFileSync(`${outDir}/${manifest[k]?.file ?? ''}`), { level: 9 }).length,
  );
  return bytes.reduce((a, b) => a + b, 0) / 1024;
}

/**
 * Cold load: navigation start to the first diagram, in a browser just started with an empty
 * profile (no HTTP or code cache). The browser gets a moment to finish its own start-up first:
 * a new window in a running headless Chromium builds its own interface (the omnibox popup's
 * WebUI) at the same time as the page loads, which on a two-core machine adds half a second of
 * noise that no page can avoid.
 */
async function coldLoad(url: string): Promise<number> {
  const profile = mkdtempSync(`${tmpdir()}/dockstep-cold-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.waitForTimeout(1500);
    await page.goto(url);
    await page.waitForFunction(
      () => performance.getEntriesByName('dockstep:first-diagram').length > 0,
      undefined,
      { timeout: 20_000 },
    );
    // The page marks the moment its first diagram is inserted; reading the clock from here would
    // add the time the page is busy drawing the next command.
    const ms = await page.evaluate(
      () => performance.getEntriesByName('dockstep:first-diagram')[0]?.startTime ?? performance.now(),
    );
    const marks = await page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .map((m) => `${m.name.replace(/^dockstep:|:ds-seq-\d+/g, '')}@${m.startTime.toFixed(0)}`)
        .slice(0, 8)
        .join(' '),
    );
    console.log(`cold load: first diagram at ${ms.toFixed(0)} ms (${new URL(url).port}); ${marks}`);
    return ms;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Step to paint, over every step of a 400-message run: the step starts at the beginning of a
 * frame (as Chromium delivers input aligned to frames) and ends when that frame has been
 * painted, which is when a task queued from inside the frame runs. The wait for the display's
 * next vsync before the step is not the page's to spend, so it is not counted.
 */
async function stepTimes(page: Page, steps: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const app = document.querySelector('ds-app') as unknown as {
      session: { next(): void; seek(k: number): void };
    };
    const settle = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    app.session.seek(0);
    await settle();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      await new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          const t0 = performance.now();
          app.session.next();
          setTimeout(() => (out.push(performance.now() - t0), resolve()), 0);
        }),
      );
      await settle(); // work a step defers to the next frame (the event list's scroll) is not the next step's
    }
    return out;
  }, steps);
}

/** After a console command at 200 messages: until the new command's diagram is drawn. */
async function rerender(page: Page, url: string, line: string): Promise<{ ms: number; marks: string }> {
  await page.goto(url);
  await page.locator('ds-diagram svg').first().waitFor({ timeout: 20_000 });
  return page.evaluate(async (l) => {
    const app = document.querySelector('ds-app') as unknown as {
      session: { runCommand(x: string): void; state: { total: number } };
    };
    const diagram = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram');
    const before = diagram?.shadowRoot?.querySelectorAll('svg').length ?? 0;
    const t0 = performance.now();
    app.session.runCommand(l);
    await new Promise<void>((resolve) => {
      const check = () =>
        (diagram?.shadowRoot?.querySelectorAll('svg').length ?? 0) > before
          ? requestAnimationFrame(() => resolve())
          : requestAnimationFrame(check);
      check();
    });
    const ms = performance.now() - t0;
    // Where the time went: the page's own marks since the command was typed.
    const marks = performance
      .getEntriesByType('mark')
      .filter((m) => m.startTime >= t0)
      .map((m) => `${m.name.replace(/^dockstep:|:ds-seq-\d+/g, '')}@${(m.startTime - t0).toFixed(0)}`);
    return { ms, marks: marks.slice(0, 8).join(' ') };
  }, line);
}

async function main(): Promise<void> {
  const why = missingBrowser();
  if (why) throw new Error(`bench:site needs Chromium: ${why}`);
  const site = await openSite('dist-bench');
  try {
    // Cold loads of the site and of the Mermaid-only reference, taken in turns so both see the
    // same machine.
    const floor = await serveFloor();
    const cold: number[] = [];
    const ref: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        for (const [url, into] of [
          [`${site.url}${link(RUN_400)}`, cold],
          [floorUrl(floor.url), ref],
        ] as const)
          into.push(await coldLoad(url));
      }
    } finally {
      await floor.close();
    }
    const page = await newPage(site.browser);
    await page.goto(`${site.url}${link(RUN_400)}`);
    await page.locator('ds-diagram svg').first().waitFor();
    await page.waitForTimeout(3000); // let the idle-time rendering of every command finish
    const total = await page.evaluate(
      () =>
        (document.querySelector('ds-app') as unknown as { session: { state: { total: number } } }).session
          .state.total,
    );
    const steps = await stepTimes(page, Math.min(total, 400));
    const rer: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await rerender(page, `${site.url}${link(RUN_200, 190)}`, 'docker stop web');
      console.log(`re-render: ${r.ms.toFixed(0)} ms; ${r.marks}`);
      rer.push(r.ms);
    }
    console.log(`re-renders: ${rer.map((r) => r.toFixed(0)).join(' ')}`);
    const result = {
      stepP95Ms: Number(p95(steps).toFixed(1)),
      rerender200P95Ms: Number(p95(rer).toFixed(1)),
      coldFirstDiagramMs: Number(Math.max(...cold).toFixed(0)),
      initialJsGzipKB: Number(initialJsGzipKB('dist-bench').toFixed(1)),
    };
    console.log(
      `run of ${total} messages; ${steps.length} steps timed; ${rer.length} re-renders; ${cold.length} cold loads`,
    );
    console.log(
      `cold load, median / worst of ${cold.length}: site ${median(cold).toFixed(0)} / ${Math.max(...cold).toFixed(0)} ms; Mermaid alone (reference) ${median(ref).toFixed(0)} / ${Math.max(...ref).toFixed(0)} ms`,
    );
    for (const [key, goal] of Object.entries(GOALS)) {
      const value = result[key as keyof typeof result];
      console.log(
        `${key.padEnd(20)} ${String(value).padStart(8)}  goal ≤ ${goal}  ${value <= goal ? 'PASS' : 'FAIL'}`,
      );
    }
    console.log(JSON.stringify(result));
  } finally {
    await site.close();
  }
}

await main();

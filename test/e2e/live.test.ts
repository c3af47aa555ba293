// The live page against a real engine, in real Chromium: open the URL `dockstep engine --ui
// --ui-control` printed, set a breakpoint before any call to runc, run `docker run -d` with the
// docker CLI, see the run held before `runc create` (the bundle and its rootfs mount exist, no
// init yet), step to the hold before `runc start` (the init, runc's, has namespaces of its own and
// runs nothing of the image yet), continue, and see it running. While the run is held, a second
// terminal's docker ps and docker images are answered: a hold stops its own request only. A
// second terminal's run held at the same breakpoint is named beside the first, each with its
// request, and a step of its own lets it go. The inspector keeps the message picked (its row, its
// details, the keyboard focus) while other requests' messages arrive interleaved.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, missingBrowser } from './browser.ts';
import { realSuite } from '../engine/helpers/caps.ts';
import { pushTestImages } from '../engine/helpers/daemonImages.ts';
import { startEngine, type RunningEngine } from '../engine/helpers/engine.ts';
import { liveUrl } from '../engine/helpers/live.ts';
import { startRegistry, type Registry } from '../engine/helpers/registry.ts';
import { tempDir } from '../engine/helpers/tmp.ts';
import { teardown } from '../../engine/net/index.ts';
import { engineBridge } from '../../engine/real/world.ts';

const why = missingBrowser();
if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
if (why) console.warn(`[e2e] skipped: ${why}`);

const OUT = 'dist-e2e-live';
const SHOTS = 'test/e2e/screenshots';
const until = { timeout: 60_000 };
const work = tempDir('live-e2e');
const bridge = `dst${Math.random().toString(16).slice(2, 8)}`;
let registry: Registry;
let engine: RunningEngine;
let browser: Browser;

function docker(...args: string[]): ReturnType<RunningEngine['docker']> {
  return engine.docker(args, { timeoutMs: 120_000 });
}

/** A detached `sleep 60` with no network: its start is what the page holds. */
function sleeper(name: string): ReturnType<typeof docker> {
  return docker('run', '-d', '--name', name, '--network', 'none', 'busybox', '/bin/busybox', 'sleep', '60');
}

/**
 * Pick the newest message the inspector lists whose line matches. Other requests' work goes on
 * while one is held (their timers too), so the list may move under the click: pick again until
 * the inspector shows a matching message.
 */
async function inspectLast(page: Page, line: RegExp): Promise<void> {
  await expect
    .poll(async () => {
      await page.locator('ds-live-inspector #messages button').filter({ hasText: line }).last().click();
      return page.locator('ds-live-inspector #chosen').textContent();
    }, until)
    .toMatch(line);
}

/** Held after runc create: its config.json, the argv it ran with, the shim's ttrpc requests. */
async function inspectCreated(page: Page): Promise<void> {
  expect(await page.locator('ds-live-evidence #config-json pre').textContent()).toContain('"ociVersion"');
  await inspectLast(page, /shim → runc: runc .*create/);
  expect(await page.locator('ds-live-inspector #argv').textContent()).toMatch(/runc .*create .*--bundle /);
  expect(await page.locator('ds-live-inspector #exit-status').textContent()).toBe('exit 0');
  // A call to the shim is its ttrpc request, decoded.
  await inspectLast(page, /containerd → shim/);
  expect(await page.locator('ds-live-inspector #request').textContent()).toMatch(/^\s*\{/);
}

async function heldCall(page: Page): Promise<string> {
  return (await page.locator('ds-live-gate #held').textContent()) ?? '';
}

const body = (): void => {
  beforeAll(async () => {
    await build({ logLevel: 'warn', build: { outDir: `../${OUT}`, emptyOutDir: true } });
    registry = await startRegistry();
    await pushTestImages(registry.host, work.path);
    engine = await startEngine({
      args: ['--bridge', bridge, '--ui', '--ui-control', '--ui-site', join(process.cwd(), OUT)],
    });
    expect((await docker('pull', '-q', `${registry.host}/busybox:v1`)).code).toBe(0);
    expect((await docker('tag', `${registry.host}/busybox:v1`, 'busybox')).code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (engine) {
      // Nothing stays held (a failed check may leave the run at the gate), then the container goes.
      await engine.request('DELETE', '/dockstep/v1/gate/breakpoints');
      await engine.request('POST', '/dockstep/v1/gate/step?on=0');
      await engine.request('POST', '/dockstep/v1/gate/release');
      await docker('rm', '-f', 'live', 'live2');
      // The bridge outlives the engine (as docker0 does dockerd): this suite's goes with it.
      await teardown(engineBridge(engine.root, bridge));
    }
    await engine?.stop();
    await registry?.stop();
    work.remove();
    rmSync(OUT, { recursive: true, force: true });
  }, 120_000);

  heldRun();

  consoleLines();

  keyedInspector();
};

if (why) it.skip('the live page (no browser)', () => undefined);
else
  realSuite(
    'the live page against a real engine',
    ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'shim', 'runc'],
    body,
  );

function heldRun(): void {
  it('holds a real docker run before shim → runc, shows the host, and lets it go on', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto((await liveUrl(engine)).href);
    await page.locator('#live-badge[data-status="live"]').waitFor(until);
    await page.locator('ds-live-gate #value').fill('runc');
    await page.locator('ds-live-gate #add').click();
    await expect.poll(() => page.locator('ds-live-gate #breakpoints').textContent(), until).toContain('runc');

    const run = sleeper('live');
    await expect.poll(() => heldCall(page), until).toMatch(/shim → runc runc .* create /);
    // The hold stops this run's start only: a second terminal's docker ps and docker images are
    // answered meanwhile (the container created, not running), and the run is still held.
    const ps = await docker('ps', '-a');
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/ Created +live\n/);
    const images = await docker('images', '--format', '{{.Repository}}');
    expect(images.stdout).toMatch(/^busybox$/m);
    expect(await heldCall(page)).toMatch(/shim → runc runc .* create /);
    await page.locator('ds-live-evidence #no-init').waitFor(until);
    await expect
      .poll(() => page.locator('ds-live-evidence #mounts').textContent(), until)
      .toContain('overlay');

    await page.locator('ds-live-gate #step').click();
    await expect.poll(() => heldCall(page), until).toMatch(/shim → runc runc (.* )?start /);
    await expect
      .poll(() => page.locator('ds-live-evidence #namespaces').textContent(), until)
      .toMatch(/pid:\[\d+\]\s+its own/);
    // Created, not started: the init is runc's, blocked on exec.fifo, not the image's sleep.
    expect(await page.locator('ds-live-evidence #init').textContent()).toMatch(/runc init/);
    // runc create has run, runc start has not: still created, not running.
    expect((await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(
      /^live Created$/m,
    );
    await inspectCreated(page);
    await page.screenshot({ path: `${SHOTS}/live-held.png` });
    const second = await secondHeldRun(page);

    await page.locator('ds-live-gate #clear').click();
    await page.locator('ds-live-gate #continue').click();
    const ran = await run;
    expect(ran.code, ran.stderr).toBe(0);
    const ran2 = await second.run;
    expect(ran2.code, ran2.stderr).toBe(0);
    expect((await docker('ps', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(/^live Up /m);
    await expect.poll(() => heldCall(page), until).toContain('Nothing is held');
    await expect
      .poll(() => page.locator('ds-live-diagram #calls').textContent(), until)
      .toContain('runc start');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
}

/**
 * A second terminal's run, held at the same breakpoint while the first waits before its runc
 * start: the page names both held messages, each with its request, says which one a step lets go,
 * and a step of its own lets the second go on (to its runc start, held again), naming it.
 */
async function secondHeldRun(page: Page): Promise<{ run: ReturnType<typeof docker> }> {
  const run = sleeper('live2');
  const rows = page.locator('ds-live-gate #holds li');
  await expect.poll(() => rows.count(), until).toBe(2);
  const items = (await rows.locator('.item').allTextContents()).map((t) => t.trim());
  // The first run held before its runc start, the second before its runc create.
  expect(items[0]).toMatch(/ start /);
  expect(items[1]).toMatch(/ create /);
  for (const item of items) expect(item).toMatch(/^request \d+: shim → runc runc .*\(breakpoint \d+\)$/);
  expect(new Set(items.map((i) => /^request (\d+)/.exec(i)?.[1])).size).toBe(2);
  const next = (await page.locator('ds-live-gate #step-next').textContent()) ?? '';
  expect(next).toContain(items[0]);
  expect(next).toContain('Continue lets all 2 go');
  await rows.nth(1).locator('.step-this').click();
  await expect.poll(() => page.locator('ds-live-gate #released').textContent(), until).toContain(items[1]);
  // The first run is still held where it was; the second is held again, before its runc start.
  await expect.poll(() => rows.nth(1).locator('.item').textContent(), until).toMatch(/runc (.* )?start /);
  expect((await rows.first().locator('.item').textContent())?.trim()).toBe(items[0]);
  return { run };
}

function consoleLines(): void {
  it('reloads without the token in the address, runs docker commands typed in the console through the engine, and refuses what is no docker command', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto((await liveUrl(engine)).href);
    await page.locator('#live-badge[data-status="live"]').waitFor(until);
    // The address bar holds no token; a reload is still the live page, connected (its cookie).
    expect(new URL(page.url()).search).toBe('?live');
    await page.reload();
    await page.locator('#live-badge[data-status="live"]').waitFor(until);
    const line = page.locator('ds-live-console #line');
    await line.fill("docker ps --format '{{.Names}} {{.Status}}'");
    await line.press('Enter');
    const last = page.locator('ds-live-console #lines li').last();
    await expect.poll(() => last.locator('.exit').getAttribute('data-code'), until).toBe('0');
    expect(await last.locator('.output').textContent()).toMatch(/^live Up /m);
    // Its requests are the engine's like any terminal's: the diagram shows the user's line.
    await expect
      .poll(() => page.locator('ds-live-diagram #calls').textContent(), until)
      .toContain('/containers/json');
    // The inspector shows that request as HTTP, and dockerd's real answer.
    await inspectLast(page, /CLI → dockerd: GET \/v[\d.]+\/containers\/json/);
    expect(await page.locator('ds-live-inspector #request-line').textContent()).toMatch(
      /^GET \/v[\d.]+\/containers\/json/,
    );
    expect(await page.locator('ds-live-inspector #reply').textContent()).toContain('"Names"');
    // The same line in the simulation, beside the host's trace: they agree on the ping and the list.
    await page.locator('ds-live-compare #compare').click();
    await page.locator('ds-live-compare #sim li').first().waitFor(until);
    expect(await page.locator('ds-live-compare #real li[data-shared="true"]').count()).toBeGreaterThan(2);
    expect(await page.locator('ds-live-compare #sim li').allTextContents()).toContainEqual(
      expect.stringMatching(/CLI → dockerd: GET \/v[\d.]+\/containers\/json/),
    );
    await line.fill('docker bogus');
    await line.press('Enter');
    await expect.poll(() => last.locator('.exit').getAttribute('data-code'), until).not.toBe('0');
    await line.fill('ls /');
    await line.press('Enter');
    await expect
      .poll(() => page.locator('ds-live-console #lines li').last().locator('.refused').textContent(), until)
      .toContain('docker commands only');
    await page.close();
  }, 120_000);
}

/** The inspector's rows, the one picked and the details shown. */
function inspector(page: Page) {
  const rows = page.locator('ds-live-inspector #messages button');
  return {
    rows,
    chosen: page.locator('ds-live-inspector #chosen'),
    probe: rows.and(page.locator('[data-probe]')),
  };
}

function keyedInspector(): void {
  it('keeps the inspector on the message picked, its row, details and focus, while two requests arrive interleaved', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto((await liveUrl(engine)).href);
    await page.locator('#live-badge[data-status="live"]').waitFor(until);
    const { rows, chosen, probe } = inspector(page);
    // A full list (40 rows): from now on each arrival moves every row's position.
    while ((await rows.count()) < 40) expect((await docker('ps', '-a')).code).toBe(0);
    // A run that lasts: its messages come before, between and after the other terminal's.
    const run = docker('run', '--rm', '--network', 'none', 'busybox', '/bin/busybox', 'sleep', '3');
    await rows
      .filter({ hasText: /shim → runc: runc .*start/ })
      .last()
      .waitFor(until);
    expect((await docker('ps', '-a')).code).toBe(0);
    // Pick, with the keyboard, the other terminal's request: docker ps's GET /containers/json.
    const picked = rows.filter({ hasText: /CLI → dockerd: GET \/v[\d.]+\/containers\/json/ }).last();
    await picked.evaluate((b) => b.setAttribute('data-probe', ''));
    const [id, text] = [await picked.getAttribute('data-id'), await picked.textContent()];
    await picked.press('Enter');
    await expect.poll(() => chosen.getAttribute('data-id'), until).toBe(id);
    const first = await rows.first().getAttribute('data-id');
    expect((await docker('images')).code).toBe(0);
    expect((await run).code).toBe(0);
    // The run's exit and docker images came after the pick: the list moved under it.
    await expect.poll(() => rows.first().getAttribute('data-id'), until).not.toBe(first);
    const after = await probe.evaluate((b) => {
      const texts: string[] = [];
      for (let li = b.closest('li')?.nextElementSibling; li; li = li.nextElementSibling)
        texts.push(li.textContent ?? '');
      return texts;
    });
    expect(after.join('\n')).toMatch(/shim → containerd|→ runc/);
    expect(after.join('\n')).toMatch(/GET \/v[\d.]+\/images\/json/);
    // The same element still shows the same message, picked, expanded and focused.
    expect(await probe.getAttribute('data-id')).toBe(id);
    expect(await probe.textContent()).toBe(text);
    expect(await probe.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('ds-live-inspector #messages [aria-pressed="true"]').count()).toBe(1);
    expect(await probe.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
    expect(await chosen.getAttribute('data-id')).toBe(id);
    expect(await page.locator('ds-live-inspector #request-line').textContent()).toMatch(
      /^GET \/v[\d.]+\/containers\/json/,
    );
    // The arrow keys move the pick, focus with it.
    await page.keyboard.press('ArrowDown');
    const next = await probe.evaluate(
      (b) => b.closest('li')?.nextElementSibling?.querySelector('button')?.getAttribute('data-id') ?? null,
    );
    await expect.poll(() => chosen.getAttribute('data-id'), until).toBe(next);
    expect(
      await page
        .locator(`ds-live-inspector #messages button[data-id="${next}"]`)
        .evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b),
    ).toBe(true);
    await page.close();
  }, 180_000);
}

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, position, RUN, until } from './suite.ts';

/**
 * Reading a long run: folding the diagram (layers in play, repeated blocks drawn once), moving
 * by phase and to the next message of a layer, the narration of each registry request, and the
 * console at the step shown.
 */
const { why, errors, open } = browserSuite('dist-e2e-reading');

/** The drawn diagram: its arrows, its columns' names, its loop labels, the step marked current. */
function drawing(page: Page) {
  return page.locator('ds-diagram').evaluate((d) => {
    const root = d.shadowRoot;
    const svg = root?.querySelector('.chunk svg');
    return {
      arrows: svg?.querySelectorAll('.messageLine0, .messageLine1').length ?? 0,
      names: [...(svg?.querySelectorAll('g[data-et="participant"]') ?? [])].map(
        (g) => g.getAttribute('data-id') ?? '',
      ),
      loops: [...(svg?.querySelectorAll('.loopText') ?? [])].map((t) => t.textContent ?? ''),
      current: root?.querySelector('.chunk .current[data-step]')?.getAttribute('data-step') ?? '',
    };
  });
}

describe.skipIf(why !== undefined)('folding the diagram', () => {
  it('folds to the layers in play and the repeated per-layer work to one iteration marked × n, and unfolds again', async () => {
    const page = await open(`c=${RUN}&step=60&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 60 of \d+$/);
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeGreaterThanOrEqual(180);
    const whole = await drawing(page);
    expect(whole.names).toContain('Kernel');
    await page.keyboard.press('f');
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeLessThan(whole.arrows - 40);
    const folded = await drawing(page);
    expect(folded.loops.some((l) => /× \d+/.test(l))).toBe(true);
    // Step 60 lies in a folded iteration: the arrow standing for it is marked, with a lower number.
    expect(Number(folded.current)).toBeLessThan(60);
    expect(await page.locator('ds-diagram #fold').getAttribute('aria-pressed')).toBe('true');
    // A layer left out: its column goes, and so do its messages.
    await page.locator('ds-diagram #layers summary').click();
    await page.locator('ds-diagram input[data-layer="Storage"]').uncheck();
    await expect.poll(async () => (await drawing(page)).names, until).not.toContain('Storage');
    await page.locator('ds-diagram input[data-layer="Storage"]').check();
    await page.locator('ds-diagram #fold').click();
    await expect.poll(async () => (await drawing(page)).arrows, until).toBe(whole.arrows);
    expect((await drawing(page)).current).toBe('60');
    await page.close();
  });

  it('draws a command that never reaches the kernel without its column once folded', async () => {
    const page = await open(`c=${encodeURIComponent('docker ps')}&step=3&lang=en`);
    await expect.poll(async () => (await drawing(page)).arrows, until).toBeGreaterThan(2);
    await page.keyboard.press('f');
    await expect.poll(async () => (await drawing(page)).names, until).not.toContain('Kernel');
    expect((await drawing(page)).names).not.toContain('runc');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('moving by meaning', () => {
  it('goes phase by phase with PageDown and PageUp, and to a phase from the strip under the scrubber', async () => {
    const page = await open(`c=${RUN}&step=0&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 0 of \d+$/);
    const phases = page.locator('ds-controls .phases .phase');
    await expect.poll(() => phases.count(), until).toBeGreaterThanOrEqual(5);
    expect(await phases.allInnerTexts()).toEqual(expect.arrayContaining(['image pull', 'container start']));
    await page.locator('ds-controls #next').focus();
    for (const step of [1, 4, 8]) {
      await page.keyboard.press('PageDown');
      await expect.poll(() => position(page), until).toMatch(new RegExp(`^Step ${step} of `));
    }
    await page.keyboard.press('PageUp');
    await expect.poll(() => position(page), until).toMatch(/^Step 4 of /);
    await page.locator('ds-controls .phase', { hasText: 'container start' }).click();
    await expect.poll(() => position(page), until).toMatch(/^Step 159 of /);
    expect(await page.locator('ds-controls .phase[aria-current="step"]').innerText()).toBe('container start');
    await page.close();
  });

  it('plays until the next message of the layer or the operation chosen', async () => {
    const page = await open(`c=${RUN}&step=8&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 8 of /);
    const nav = page.locator('ds-controls ds-navigate');
    await nav.locator('#until-layer').selectOption('runc');
    await nav.locator('#until').click();
    await expect.poll(() => position(page), until).toMatch(/^Step 172 of /);
    await nav.locator('#until-layer').selectOption('');
    await nav.locator('#until-op').selectOption('kernel.execve');
    await page.keyboard.press('u');
    await expect.poll(() => position(page), until).toMatch(/^Step 187 of /);
    await page.keyboard.press('u');
    await expect
      .poll(() => nav.locator('[role="status"]').innerText(), until)
      .toBe('No later message matches.');
    expect(await position(page)).toMatch(/^Step 187 of /);
    await page.close();
  });

  it('lists the new keys in the help', async () => {
    const page = await open(`c=${RUN}&step=1&lang=zh-CN`);
    await expect.poll(() => position(page), until).toMatch(/^第 1 步/);
    await page.keyboard.press('?');
    const help = page.locator('ds-help #help');
    await expect.poll(() => help.innerText(), until).toContain('PageDown');
    expect(await help.innerText()).toContain('上一个或下一个阶段');
    expect(await help.innerText()).toContain('折叠或展开时序图');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('narration of the registry requests', () => {
  it('narrates the token reply and the manifest list with their own sentences and facts, in both languages', async () => {
    const page = await open(`c=${RUN}&step=14&lang=en`);
    const narration = page.locator('ds-narration #narration');
    await expect.poll(() => narration.innerText(), until).toContain('bearer token valid for 300 s');
    expect(await narration.innerText()).not.toContain('checks every manifest and blob');
    // The HEAD that names the digest and its answer, then the GET of the index by digest.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => narration.innerText(), until)
      .toMatch(/manifest list \(application\/vnd\.oci\.image\.index\.v1\+json, 2658 bytes/);
    await page.locator('#lang').selectOption('zh-CN');
    await expect
      .poll(() => narration.innerText(), until)
      .toMatch(/清单列表（application\/vnd\.oci\.image\.index\.v1\+json，2658 bytes/);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('the console', () => {
  const output = (page: Page) => page.locator('ds-console #output').innerText();

  it('shows the output written up to the step shown, stdout and stderr apart', async () => {
    const page = await open(
      `c=${encodeURIComponent('docker pull alpine')}&c=${encodeURIComponent('docker run hello-world')}&step=3&lang=en`,
    );
    await expect.poll(() => position(page), until).toMatch(/^Step 3 of /);
    expect(await output(page)).toContain('$ docker pull alpine');
    expect(await output(page)).not.toContain('Hello from Docker!');
    // The run arrives in two parts (the command holding the step first): End until the whole is in.
    const atEnd = async () => (await page.keyboard.press('End'), output(page));
    await expect.poll(atEnd, until).toContain('Hello from Docker!');
    // docker pull's progress goes to stdout; docker run's "Unable to find image" to stderr, not red.
    const streams = await page.locator('ds-console #output [data-stream]').evaluateAll((spans) =>
      spans.map((s) => ({
        stream: s.getAttribute('data-stream'),
        text: s.textContent ?? '',
        cls: s.className,
      })),
    );
    expect(streams.find((s) => s.text.includes('Pull complete'))?.stream).toBe('stdout');
    const unable = streams.find((s) => s.text.includes('Unable to find image'));
    expect(unable).toMatchObject({ stream: 'stderr', cls: 'stderr' });
    await page.keyboard.press('Home');
    await expect.poll(() => output(page), until).toBe('');
    await page.close();
  });

  it('takes back the last command, or puts it back in the line to edit', async () => {
    const page = await open(`c=${RUN}&c=${encodeURIComponent('docker ps')}&step=0&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 0 of \d+$/);
    const total = async () => Number(/of (\d+)/.exec(await position(page))?.[1]);
    await expect.poll(total, until).toBeGreaterThan(204);
    await page.locator('ds-console #undo').click();
    await expect.poll(total, until).toBeLessThanOrEqual(204);
    // The address bar (the permalink) is written a moment after the change.
    await expect.poll(() => page.url(), until).not.toContain('docker+ps');
    await page.locator('ds-console #edit').click();
    await expect
      .poll(() => page.locator('ds-console #line').inputValue(), until)
      .toBe('docker run -d --name web nginx');
    await expect.poll(total, until).toBe(0);
    expect(await page.locator('ds-console #undo').isDisabled()).toBe(true);
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

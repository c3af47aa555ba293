import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, position, RUN, until } from './suite.ts';

/**
 * Reading one step: the inspector marks what the current message changed in the layers' state
 * (a new snapshot, a process, an endpoint, an image name), worked out from the state records
 * before and after it; and the diagram's phase notes and lifelines as the drawing shows them.
 */
const { why, errors, open } = browserSuite('dist-e2e-marks');

/** The inspector's list of what changed, one text per layer. */
function changes(page: Page) {
  return page.locator('ds-inspector #changes li').allInnerTexts();
}

/** The names and keys marked in the layer states table. */
function marked(page: Page) {
  return page.locator('ds-inspector #layer-states mark.changed').allInnerTexts();
}

describe.skipIf(why !== undefined)('what changed at this step', () => {
  it('marks a new snapshot, then a process, an endpoint and an image name, at the steps that make them', async () => {
    // Step 32: containerd asks the snapshotter to prepare the first layer's snapshot.
    const page = await open(`c=${RUN}&step=32&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 32 of /);
    await page.locator('ds-inspector #states > summary').click();
    await expect
      .poll(() => changes(page), until)
      .toEqual([expect.stringMatching(/^storage driver .*✚ snapshot-/)]);
    expect((await changes(page))[0]).toMatch(/snapshots: 0 → 1, ✚ extract-/);
    await expect
      .poll(() => marked(page), until)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^extract-/)]));
    expect(await page.locator('ds-inspector #layer-states tr.changed th').allInnerTexts()).toEqual([
      'storage driver',
    ]);

    // Step 33, a reply the snapshotter sends: nothing new in the snapshotter any more.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(page), until).toMatch(/^Step 33 of /);
    await expect.poll(async () => (await changes(page)).join('|'), until).not.toMatch(/storage driver/);

    // The network endpoint (net.connect), then the image name (Images.Create), as steps are reached.
    for (const [step, text] of [
      [182, /^network driver .*endpoints: 0 → 1/],
      [137, /^containerd .*images: 0 → 1, ✚ docker\.io\/library\/nginx:latest/],
      [169, /^shim .*✚ shim-.*serving/],
    ] as const) {
      await page.locator('ds-controls #jump').fill(String(step));
      await page.locator('ds-controls #jump').press('Enter');
      await expect.poll(() => position(page), until).toMatch(new RegExp(`^Step ${step} of `));
      await expect
        .poll(() => changes(page), until)
        .toEqual(expect.arrayContaining([expect.stringMatching(text)]));
    }
    await page.close();
  });

  it('says so when a step changed nothing, in Chinese too', async () => {
    const page = await open(`c=${RUN}&step=2&lang=zh-CN`);
    await expect.poll(() => position(page), until).toMatch(/^第 2 步/);
    await page.locator('ds-inspector #states > summary').click();
    await expect
      .poll(() => page.locator('ds-inspector #changes').innerText(), until)
      .toMatch(/这一步改变了什么/);
    expect(await page.locator('ds-inspector #changes').innerText()).toMatch(/没有改变任何层的状态/);
    await page.close();
  });
});

/** The host panel's view `id` (pstree, layers, namespaces): its marked things and its note of changes. */
function hostView(page: Page, id: string) {
  return {
    marked: () => page.locator(`ds-host #host-${id} pre mark.changed`).allInnerTexts(),
    note: () =>
      page
        .locator(`ds-host #host-${id} .changes`)
        .allInnerTexts()
        .then((t) => t.join('')),
  };
}

async function jump(page: Page, step: number): Promise<void> {
  await page.locator('ds-controls #jump').fill(String(step));
  await page.locator('ds-controls #jump').press('Enter');
  await expect.poll(() => position(page), until).toMatch(new RegExp(`^(Step|第) ${step} `));
}

describe.skipIf(why !== undefined)('what changed at this step, on the host', () => {
  it('marks a new process, a process replaced by exec, a new container layer stack and its namespaces', async () => {
    // Step 172: the shim has run runc create, whose init process now waits in the new namespaces.
    const page = await open(`c=${RUN}&step=172&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 172 of /);
    await page.locator('ds-panels #panel-host > summary').click();
    for (const id of ['pstree', 'layers', 'namespaces'])
      await page.locator(`ds-host #host-${id} > summary`).click();
    const [pstree, layers, namespaces] = ['pstree', 'layers', 'namespaces'].map((id) => hostView(page, id));
    await expect
      .poll(() => pstree?.marked(), until)
      .toEqual([expect.stringMatching(/^runc:\[2:INIT\]\(\d+\)$/)]);
    expect(await pstree?.note()).toMatch(/What changed at this step:.*✚ runc:\[2:INIT\]\(\d+\) \(new/);
    expect(await layers?.marked()).toEqual([]);

    // The next step changed nothing on the host: no marks.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(page), until).toMatch(/^Step 173 of /);
    await expect.poll(() => pstree?.marked(), until).toEqual([]);
    expect(await pstree?.note()).toBe('');

    // Step 186: runc's init has exec'd the image's entrypoint: same pid, a new program.
    await jump(page, 186);
    await expect
      .poll(() => pstree?.marked(), until)
      .toEqual([expect.stringMatching(/^docker-entrypoi\(\d+\)$/)]);
    expect(await pstree?.note()).toMatch(/✖ runc:\[2:INIT\]\(\d+\) \(gone\)/);

    // Step 177: the container's namespaces; step 142: docker create made its writable layer.
    await jump(page, 177);
    await expect
      .poll(() => namespaces?.marked(), until)
      .toEqual([expect.stringMatching(/^web \([0-9a-f]{12}\)$/)]);
    await jump(page, 142);
    await expect
      .poll(() => layers?.marked(), until)
      .toEqual([
        expect.stringMatching(/^web \([0-9a-f]{12}\)$/),
        expect.stringMatching(/^rw {2}[0-9a-f]{12}$/),
      ]);
    await page.close();
  });

  it('says what changed in Chinese too', async () => {
    const page = await open(`c=${RUN}&step=172&lang=zh-CN`);
    await expect.poll(() => position(page), until).toMatch(/^第 172 步/);
    await page.locator('ds-panels #panel-host > summary').click();
    await page.locator('ds-host #host-pstree > summary').click();
    await expect
      .poll(() => hostView(page, 'pstree').note(), until)
      .toMatch(/这一步改变了什么.*✚ runc:\[2:INIT\]\(\d+\) \(新建: —\)/);
    await page.close();
  });
});

/** The command note's text lines and the scroll area's visible box, in the window's px. */
function noteInView(page: Page) {
  return page.locator('ds-diagram').evaluate((d) => {
    const root = d.shadowRoot;
    const scroll = root?.querySelector('#scroll')?.getBoundingClientRect();
    // The command's note: the first one, over every column.
    const note = root?.querySelector('.chunk[data-state="current"] svg rect.note')?.parentElement;
    const texts = [...(note?.querySelectorAll('text.noteText') ?? [])]
      .map((t) => t.getBoundingClientRect())
      .filter((r) => r.width > 0);
    const first = texts[0];
    if (!scroll || !first) return 'not drawn yet';
    const left = Math.min(...texts.map((r) => r.left));
    const right = Math.max(...texts.map((r) => r.right));
    return left >= scroll.left && right <= scroll.right
      ? 'in view'
      : `text ${left}–${right}, view ${scroll.left}–${scroll.right}`;
  });
}

describe.skipIf(why !== undefined)('phase notes and lifelines', () => {
  it("keeps a wide note's label in view when zoomed in and scrolled sideways", async () => {
    const page = await open(`c=${RUN}&step=2&lang=en`);
    await expect.poll(() => position(page), until).toMatch(/^Step 2 of /);
    await expect.poll(() => noteInView(page), until).toBe('in view');
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    await expect.poll(() => page.locator('ds-diagram #zoom-fit').innerText(), until).toBe('300%');
    await expect.poll(() => noteInView(page), until).toBe('in view');
    for (const left of [0, 1200, 99999]) {
      await page.locator('ds-diagram #scroll').evaluate((el, x) => el.scrollTo({ left: x }), left);
      await expect.poll(() => noteInView(page), until).toBe('in view');
    }
    await page.close();
  });

  it('carries the lifelines down to the last arrow (the rm lesson, at its end)', async () => {
    const page = await open('lesson=rm&step=0&lang=en');
    await expect.poll(() => position(page), until).toMatch(/^Step 0 of [1-9]/);
    await page.keyboard.press('End');
    await page.locator('ds-lesson ds-question #skip').click();
    await page.keyboard.press('End');
    const total = (await position(page)).split(' ').at(-1);
    await expect.poll(() => position(page), until).toBe(`Step ${total} of ${total}`);
    const short = () =>
      page.locator('ds-diagram').evaluate((d) => {
        const svg = d.shadowRoot?.querySelector('.chunk[data-drawn="whole"] svg');
        if (!svg) return 'not drawn yet';
        const bottom = (e: Element) => e.getBoundingClientRect().bottom;
        const last = Math.max(...[...svg.querySelectorAll('.messageLine0, .messageLine1')].map(bottom));
        const lines = [...svg.querySelectorAll('line.actor-line')].map(bottom);
        return lines.length > 0 && lines.every((b) => b >= last)
          ? 'reach'
          : `${lines.join(',')} above ${last}`;
      });
    await expect.poll(short, until).toBe('reach');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('console', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBrowser, newPage, openSite, type Site } from './browser.ts';

/** The lesson list by level with progress kept in the browser, "next lesson", a lesson from a URL. */
const why = missingBrowser();
if (why && process.env.CI) throw new Error(`browser suite cannot run on CI: ${why}`);
if (why) console.warn(`[e2e] skipped: ${why}`);

const until = { timeout: 30_000 };
let site: Site;
const errors: string[] = [];

const REMOTE = `# yaml-language-server: $schema=./lesson.schema.json
id: from-afar
level: 2
title: { en: A lesson from afar, zh-CN: 远方的一课 }
summary: { en: Fetched from a URL, zh-CN: 从网址取来 }
steps:
  - run: docker ps
goal:
  - image: { ref: nginx, present: false }
`;

beforeAll(async () => {
  if (why) return;
  site = await openSite('dist-e2e-lessons');
}, 120_000);

afterAll(async () => {
  await site?.close();
});

async function open(query: string, setup?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await newPage(site.browser);
  page.on('console', (m) =>
    m.type() === 'error' && !/404|Failed to load resource/.test(m.text()) ? errors.push(m.text()) : undefined,
  );
  page.on('pageerror', (e) => errors.push(e.message));
  await setup?.(page);
  await page.goto(`${site.url}?${query}`);
  return page;
}

const title = (page: Page) => page.locator('ds-lesson #lesson-title').innerText();

describe.skipIf(why !== undefined)('lessons', () => {
  it('lists the lessons by level with how many of each are done, kept in the browser', async () => {
    const page = await open('lang=en', (p) =>
      p.addInitScript({ content: "localStorage.setItem('dockstep.progress', JSON.stringify(['pull']))" }),
    );
    const levels = page.locator('ds-lessons h3.level');
    await expect.poll(() => levels.count(), until).toBe(4);
    expect(await levels.first().innerText()).toMatch(/^Level 1 · 1 of \d+ done$/);
    expect(await levels.nth(1).innerText()).toMatch(/^Level 2 · 0 of \d+ done$/);
    expect(await page.locator('ds-lessons li:has(button[data-lesson="pull"]) .done').count()).toBe(1);
    await page.close();
  });

  it('goes on to the next lesson of the list', async () => {
    const page = await open('lesson=pull&lang=en');
    await expect.poll(() => title(page), until).toMatch(/docker pull alpine/);
    const next = page.locator('ds-lesson #next-lesson');
    const label = await next.innerText();
    expect(label).toMatch(/^Next lesson: /);
    await next.click();
    await expect.poll(() => title(page), until).toBe(label.replace(/^Next lesson: /, '').replace(/ ▶$/, ''));
    await expect.poll(() => new URL(page.url()).searchParams.get('lesson'), until).not.toBe('pull');
    await page.close();
  });

  it('opens a lesson from a URL, typed in the panel or given in the link', async () => {
    const route = async (p: Page) =>
      p.route('**/remote/from-afar.yaml', (r) => r.fulfill({ body: REMOTE, contentType: 'text/yaml' }));
    const page = await open('lang=en', route);
    await page.locator('ds-lessons #lesson-url').fill(`${site.url}remote/from-afar.yaml`);
    await page.locator('ds-lessons form.url button').click();
    await expect.poll(() => title(page), until).toBe('A lesson from afar');
    await page.close();
    const linked = await open(
      `lang=zh-CN&lesson-url=${encodeURIComponent(`${site.url}remote/from-afar.yaml`)}`,
      route,
    );
    await expect.poll(() => title(linked), until).toBe('远方的一课');
    await linked.close();
    const gone = async (p: Page) =>
      p.route('**/remote/none.yaml', (r) => r.fulfill({ status: 404, body: 'not found' }));
    const missing = await open(
      `lang=en&lesson-url=${encodeURIComponent(`${site.url}remote/none.yaml`)}`,
      gone,
    );
    // allInnerTexts does not wait for the element: each poll looks again.
    await expect
      .poll(async () => (await missing.locator('ds-lessons .problems').allInnerTexts()).join('\n'), until)
      .toMatch(/^Could not fetch .*none\.yaml: 404/);
    await missing.close();
  });
});

/** Type a line in the console and go to the end of the run it makes. */
async function type(page: Page, line: string): Promise<void> {
  const before = await page.locator('ds-controls #position').innerText();
  await page.locator('ds-console #line').fill(line);
  await page.locator('ds-console #line').press('Enter');
  await expect.poll(() => page.locator('ds-controls #position').innerText(), until).not.toBe(before);
  await page.keyboard.press('End');
  await expect
    .poll(async () => {
      const [, at, total] =
        /(\d+)\D+(\d+)/.exec(await page.locator('ds-controls #position').innerText()) ?? [];
      return at === total && !(await page.locator('ds-lesson #check').isDisabled());
    }, until)
    .toBe(true);
}

const goal = (page: Page) => page.locator('ds-lesson #goal li').allInnerTexts();
const result = (page: Page) => page.locator('ds-lesson #check-result').innerText();

describe.skipIf(why !== undefined)('challenge lessons', () => {
  it('asks for a command that makes a step fail, says what is missing, and is done once it fails', async () => {
    const page = await open('lang=en');
    await page.locator('ds-lessons button[data-lesson="challenge-missing-tag"]').click();
    await expect.poll(() => title(page), until).toBe('Challenge: make the registry answer 404');
    expect(await page.locator('ds-lesson #challenge').innerText()).toMatch(/^Challenge: Make this step fail/);
    await expect
      .poll(() => page.locator('ds-diagram .loading').innerText(), until)
      .toBe('This lesson is a challenge: type its commands in the console.');
    expect(await goal(page)).toEqual([
      'a request “HEAD /v2/library/nginx/manifests/…” (dockerd → registry) fails with 404',
    ]);
    // A pull that works: the manifest request is answered, not refused.
    await type(page, 'docker pull nginx');
    await page.locator('ds-lesson #check').click();
    await expect.poll(() => result(page), until).toBe('Goal not reached yet.');
    expect((await goal(page))[0]).toMatch(
      /Still missing: that request was answered 401 Unauthorized, 200 OK, not with this failure/,
    );
    await type(page, 'docker pull nginx:no-such-tag');
    await page.locator('ds-lesson #check').click();
    await expect.poll(() => result(page), until).toBe('Goal reached. Lesson done.');
    // Kept as done in the browser, as every lesson's progress.
    expect(await page.evaluate(() => localStorage.getItem('dockstep.progress'))).toContain(
      'challenge-missing-tag',
    );
    await page.close();
  });

  it('takes a docker rm without -f of a running container, in Chinese', async () => {
    const page = await open('lesson=challenge-rm-running&lang=zh-CN');
    await expect.poll(() => title(page), until).toBe('挑战：让 dockerd 拒绝一次 docker rm');
    await type(page, 'docker ps');
    await page.locator('ds-lesson #check').click();
    await expect.poll(() => result(page), until).toBe('目标尚未达成。');
    expect((await goal(page))[0]).toMatch(/还差一点：运行中还没有这样的请求/);
    await type(page, 'docker rm web');
    // As the docker CLI prints it, under the line typed (moby daemon/delete.go's words).
    await expect
      .poll(() => page.locator('ds-console #output').innerText(), until)
      .toMatch(
        /\$ docker rm web\nError response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove/,
      );
    await page.locator('ds-lesson #check').click();
    await expect.poll(() => result(page), until).toBe('目标达成。本课完成。');
    await page.locator('ds-lesson #solution summary').click();
    expect(await page.locator('ds-lesson #solution code').innerText()).toBe('docker rm web');
    await page.close();
  });
});

describe.skipIf(why !== undefined)('every page above', () => {
  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

// What the engine answers where dockerd 20.10 was measured doing something particular:
// `rmi` of a repository's last tag untags that repository's digest name too (and keeps the
// image while a name elsewhere is left), by id it conflicts on two tags even in one
// repository; a push answers 200 and "The push refers to repository […]" before it finds the
// image missing ("tag does not exist: …", "An image does not exist locally with the tag: …").
import { expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { PushedImages } from './helpers/daemonImages.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { useImageEngine } from './helpers/imageEngine.ts';
import type { Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let registry: Registry;
let engine: RunningEngine;
let images: PushedImages;
const work = tempDir('daemon-refs');
const noAuth = { headers: { 'X-Registry-Auth': 'e30=' } };

const lines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

function pushTests(): void {
  it('answers a push of what is not here with 200, the first line, then the error', async () => {
    const h = registry.host;
    expect((await engine.docker(['pull', '-q', `${h}/busybox:v1`])).code).toBe(0);
    const cases: [string, string][] = [
      [`${h}/busybox/push?tag=nope`, `tag does not exist: ${h}/busybox:nope`],
      [`${h}/nosuch/push?tag=x`, `An image does not exist locally with the tag: ${h}/nosuch`],
      [`${h}/nosuch/push`, `An image does not exist locally with the tag: ${h}/nosuch`],
    ];
    for (const [path, message] of cases) {
      const r = await engine.request('POST', `/images/${path}`, noAuth);
      expect(r.status).toBe(200);
      const repo = path.slice(0, path.indexOf('/push'));
      expect(lines(r.text)).toEqual([
        { status: `The push refers to repository [${repo}]` },
        { errorDetail: { message }, error: message },
      ]);
    }
  });
}

function rmiTests(): void {
  it('untags the digest name with the repository’s last tag, and keeps the image while names are left', async () => {
    const h = registry.host;
    const id = images.busybox.config.digest;
    expect((await engine.docker(['tag', `${h}/busybox:v1`, `${h}/busybox:two`])).code).toBe(0);
    const byId = await engine.request('DELETE', `/images/${id}`);
    expect(byId.status).toBe(409);
    expect(JSON.parse(byId.text)).toEqual({
      message: `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    });
    // Another tag of the repository is left: only the name goes.
    expect(JSON.parse((await engine.request('DELETE', `/images/${h}/busybox:v1`)).text)).toEqual([
      { Untagged: `${h}/busybox:v1` },
    ]);
    expect((await engine.docker(['tag', `${h}/busybox:two`, `${h}/copy:a`])).code).toBe(0);
    expect((await engine.docker(['push', `${h}/copy:a`])).code).toBe(0);
    const gone = await engine.request('DELETE', `/images/${h}/copy:a`);
    expect(JSON.parse(gone.text)).toEqual([
      { Untagged: `${h}/copy:a` },
      { Untagged: expect.stringMatching(new RegExp(`^${h}/copy@sha256:[0-9a-f]{64}$`)) as unknown },
    ]);
    const left = await engine.docker(['images', '-q', '--no-trunc', `${h}/busybox`]);
    expect(left.stdout.trim()).toBe(id);
  });
}

realSuite(
  'dockstep engine references',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker'],
  () => {
    useImageEngine(work, (up) => ({ registry, images, engine } = up));
    pushTests();
    rmiTests();
  },
);

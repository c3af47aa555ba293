// A real pull through the layer machines: the dockerd machine's pull operation against a real
// docker-registry with the silly token flow, the real actions doing the work, and the trace that
// results drawn like a simulated one, with the registry's real address, digests and sizes.
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageRoot } from '../../engine/image/root.ts';
import type { Progress } from '../../engine/image/progress.ts';
import { pullThroughMachines } from '../../engine/real/pull.ts';
import { loadTrace } from '../../engine/real/traces.ts';
import { goldenLines } from '../../src/views/trace.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import { busyboxLayout, skopeoCopy, type BuiltImage } from './helpers/images.ts';
import { startRegistry, startTokenServer, type Registry, type TokenServer } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let tokens: TokenServer;
let registry: Registry;
let image: BuiltImage;
const work = tempDir('machine-pull');
let root: ImageRoot;
const SHOW = process.env.SHOW_TRACE === '1';

realSuite(
  'a real pull through the layer machines',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr'],
  () => {
    beforeAll(async () => {
      tokens = await startTokenServer();
      registry = await startRegistry({ realm: tokens.realm });
      const layout = join(work.path, 'layout');
      image = busyboxLayout(layout);
      await skopeoCopy(layout, 'v1', `${registry.host}/busybox:oci`);
      root = await ImageRoot.open(join(work.path, 'root'), { unpackWorkers: 1 });
    }, 120_000);

    afterAll(async () => {
      await root?.close();
      await registry?.stop();
      await tokens?.stop();
      work.remove();
    });

    it('pulls with the machines: token flow, blobs into the content store, layers as committed snapshots', async () => {
      const progress: Progress[] = [];
      const result = await pullThroughMachines(
        root,
        { fromImage: `${registry.host}/busybox`, tag: 'oci' },
        { onProgress: (p) => progress.push(p) },
      );
      expect(result.error).toBeUndefined();
      expect(result.status).toBe(200);
      const record = root.images.get(`${registry.host}/busybox:oci`);
      expect(record?.manifest.digest).toBe(image.manifest.digest);
      expect(record?.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
      const chain = record?.layers.map((l) => root.snapshots.stat(l.chainId)) ?? [];
      expect(chain.map((s) => s?.kind)).toEqual(['committed', 'committed', 'committed', 'committed']);
      const third = root.snapshots.fsPath(record?.layers[2]?.chainId ?? '');
      expect(lstatSync(join(third, 'etc/old.conf')).isCharacterDevice()).toBe(true);
      expect(progress.filter((p) => p.kind === 'layer' && p.status === 'Pull complete')).toHaveLength(4);
      await expectOnlyReferenced(root);
    });

    traceTests();
    traceCommandTests();
    failureTests();
  },
);

function traceTests(): void {
  it('keeps the trace: real URLs, digests and sizes, drawn as the simulation draws it', async () => {
    const trace = await loadTrace(root.root);
    const lines = goldenLines(trace);
    if (SHOW) process.stdout.write(`${lines.join('\n')}\n`);
    const text = lines.join('\n');
    expect(lines[0]).toBe(
      `CLI -> dockerd: POST /v1.44/images/create?fromImage=${encodeURIComponent(`${registry.host}/busybox`)}&tag=oci`,
    );
    expect(text).toContain(`dockerd -> Registry: GET http://${registry.host}/v2/`);
    expect(text).toContain('Registry --> dockerd: 401 Unauthorized');
    expect(text).toContain(`GET http://${tokens.realm.replace(/^http:\/\//, '')}`);
    expect(text).toContain(`HEAD http://${registry.host}/v2/busybox/manifests/oci`);
    for (const l of image.layers)
      expect(text).toContain(`Content.Write(${l.digest.slice(7, 19)}, ${l.size} bytes, verify sha256)`);
    expect(text).toContain(`${root.root}/content`);
    expect(text).toMatch(/Storage --> containerd: untar [0-9a-f]{12} \(gzip, \d+ bytes, diff id checked\)/);
    expect(text).toContain('containerd --> dockerd: OK');
    expect(lines.at(-1)).toMatch(/^dockerd --> CLI: 200 OK/);
    const mermaid = toMermaid(trace);
    expect(mermaid).toContain('sequenceDiagram');
    expect(mermaid).toContain(image.layers[0]?.digest.slice(7, 19) ?? 'no layer');
  });

  it('answers a second pull from what is there: no layer lines, as dockerd sends it for an image it has', async () => {
    const result = await pullThroughMachines(root, { fromImage: `${registry.host}/busybox`, tag: 'oci' });
    const statuses = (result.body as { status?: string }[]).map((m) => m.status);
    expect(statuses.filter((s) => s === 'Already exists' || s === 'Pull complete')).toEqual([]);
    expect(statuses.at(-1)).toBe(`Status: Image is up to date for ${registry.host}/busybox:oci`);
    expect(goldenLines(result.trace).join('\n')).not.toContain('Diff.Apply');
  });
}

function traceCommandTests(): void {
  it('draws the last operation with dockstep trace, in every format it offers', () => {
    const run = (...args: string[]): string =>
      execFileSync(process.execPath, [
        '--import',
        'tsx',
        'engine/cli/main.ts',
        'trace',
        '--root',
        root.root,
        ...args,
      ]).toString();
    const mermaid = run('--format', 'mermaid');
    expect(mermaid).toMatch(/^sequenceDiagram/m);
    expect(mermaid).toContain(registry.host);
    const json = JSON.parse(run('--format', 'json')) as { commands: string[] };
    expect(json.commands).toEqual([`docker pull ${registry.host}/busybox:oci`]);
    expect(run('--format', 'golden').split('\n')[0]).toMatch(
      /^CLI -> dockerd: POST \/v1\.44\/images\/create/,
    );
    expect(run('--format', 'narration', '--lang', 'zh-CN').length).toBeGreaterThan(0);
  });
}

function failureTests(): void {
  it('says what went wrong for an unknown tag and a registry that is down, and leaves nothing behind', async () => {
    const missing = await pullThroughMachines(root, { fromImage: `${registry.host}/busybox`, tag: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      // Engine 29's words (containerd's resolver), as its pull answers an unknown tag.
      message: `failed to resolve reference "${registry.host}/busybox:nope": ${registry.host}/busybox:nope: not found`,
    });
    const down = await pullThroughMachines(root, { fromImage: '127.0.0.1:1/busybox', tag: 'x' });
    expect(down.status).toBe(500);
    expect(String((down.body as { message?: string }).message)).toBe(
      'failed to resolve reference "127.0.0.1:1/busybox:x": Head "http://127.0.0.1:1/v2/busybox/manifests/x": dial tcp 127.0.0.1:1: connect: connection refused',
    );
    await expectOnlyReferenced(root);
  });
}

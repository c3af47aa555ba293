// `dockstep trace --follow` against a running `dockstep engine`: two docker CLIs pull at once,
// and the follower prints both requests' messages as the engine delivered them, interleaved,
// each line tagged with its request and naming its real call.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { DOCKSTEP, startEngine, type RunningEngine } from './helpers/engine.ts';
import { serveImage, startFakeRegistry, type FakeRegistry } from './helpers/fakeRegistry.ts';
import { buildLayer, busyboxImage, writeImage, type BuiltImage } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';
import { follow } from './helpers/follow.ts';

const work = tempDir('follow');
let registry: FakeRegistry;
let engine: RunningEngine;
let bbImage: BuiltImage;

realSuite('dockstep trace --follow', ['root', 'overlay', 'busybox', 'attr', 'docker'], () => {
  beforeAll(async () => {
    registry = await startFakeRegistry();
    bbImage = busyboxImage(join(work.path, 'layout'));
    serveImage(registry, 'busybox', 'v1', bbImage);
    const solo = writeImage(join(work.path, 'solo'), [
      buildLayer([
        { entry: { path: 'solo.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('solo\n') },
      ]),
    ]);
    serveImage(registry, 'solo', 'v1', solo);
    const third = writeImage(join(work.path, 'third'), [
      buildLayer([
        { entry: { path: 'third.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('third\n') },
      ]),
    ]);
    serveImage(registry, 'third', 'v1', third);
    engine = await startEngine();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await registry?.stop();
    work.remove();
  });

  it('shows two concurrent pulls from two docker CLIs, interleaved, each message naming its real call', async () => {
    const follower = await follow(engine.host);
    try {
      // busybox's first layer waits at the registry until solo's pull is done: interleaved for sure.
      const first = bbImage.layers[0]?.digest ?? '';
      registry.fault = (path) => (path.endsWith(first) ? 'held' : undefined);
      const a = engine.docker(['pull', `${registry.host}/busybox:v1`]);
      await until(() => registry.seen.some((r) => r.endsWith(first)), 'the held blob request');
      const b = await engine.docker(['pull', `${registry.host}/solo:v1`]);
      registry.release();
      expect([(await a).code, b.code], (await a).stderr + b.stderr).toEqual([0, 0]);
      await until(
        () => (follower.out().match(/dockerd --> CLI: 200 OK/g) ?? []).length >= 2,
        'both answers on the stream',
      );
    } finally {
      await follower.stop();
    }
    const lines = follower.out().trim().split('\n');
    const roots = lines.map((l) => /^\[(\d+)\] /.exec(l)?.[1] ?? '');
    expect(roots.every((r) => r !== '')).toBe(true);
    const requests = [...new Set(roots)];
    expect(requests).toHaveLength(2);
    const of = (r: string): string => lines.filter((l) => l.startsWith(`[${r}] `)).join('\n');
    const [busybox, solo] = of(requests[0] ?? '').includes('/v2/busybox/')
      ? [of(requests[0] ?? ''), of(requests[1] ?? '')]
      : [of(requests[1] ?? ''), of(requests[0] ?? '')];
    expect(busybox).toMatch(/CLI -> dockerd: POST \/v1\.\d+\/images\/create\?fromImage=.*busybox/);
    expect(busybox).toContain(`dockerd -> Registry: HEAD http://${registry.host}/v2/busybox/manifests/v1`);
    expect(busybox).toMatch(/dockerd -> containerd: Diff\.Apply\([0-9a-f]{12}/);
    expect(busybox).toMatch(
      /Storage --> containerd: untar [0-9a-f]{12} \(gzip, \d+ bytes, diff id checked\)/,
    );
    expect(solo).toContain(`dockerd -> Registry: HEAD http://${registry.host}/v2/solo/manifests/v1`);
    expect(solo).not.toContain('/v2/busybox/');
    // Interleaved: solo's whole pull happens inside busybox's.
    const bb = roots[0] ?? '';
    const inside = roots.slice(roots.indexOf(bb), roots.lastIndexOf(bb));
    expect(inside.filter((r) => r !== bb).length).toBe(lines.filter((l) => !l.startsWith(`[${bb}] `)).length);
  });

  tagThroughMachines();
  saveLoadRmiThroughMachines();
  stepFromTerminal();
  gateRefusals();
  noEngine();
});

function noEngine(): void {
  it('says clearly when no engine answers on the socket', async () => {
    const follower = spawn(process.execPath, [
      ...DOCKSTEP,
      'trace',
      '--follow',
      '-H',
      `unix://${join(work.path, 'nobody.sock')}`,
    ]);
    let err = '';
    follower.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => follower.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/^dockstep: cannot connect to the dockstep engine at .*nobody\.sock: ENOENT\n$/);
  });
}

function tagThroughMachines(): void {
  it('serves docker tag through the machines: the last trace shows the tag operation, from the API request to containerd', async () => {
    const tag = await engine.docker(['tag', `${registry.host}/busybox:v1`, 'mine:v2']);
    expect(tag.code, tag.stderr).toBe(0);
    const run = spawn(process.execPath, [...DOCKSTEP, 'trace', '--root', engine.root, '--format', 'golden']);
    let out = '';
    run.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((r) => run.once('exit', r));
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^CLI -> dockerd: POST \/v1\.\d+\/images\/.*busybox.*\/tag\?.*repo=.*mine/);
    expect(out).toContain(`dockerd -> containerd: Images.Get(${registry.host}/busybox:v1)`);
    expect(out).toContain('dockerd -> containerd: Images.Create(docker.io/library/mine:v2');
    expect(lines.at(-1)).toBe('dockerd --> CLI: 201 Created');
    const bad = await engine.docker(['tag', 'nothere:1', 'x:1']);
    expect(bad.stderr.trim()).toBe('Error response from daemon: No such image: nothere:1');
  });
}

/** `dockstep trace --format golden` of the last operation. */
async function lastTrace(format = 'golden'): Promise<string> {
  const run = spawn(process.execPath, [...DOCKSTEP, 'trace', '--root', engine.root, '--format', format]);
  let out = '';
  run.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => run.once('exit', r));
  return out;
}

function saveLoadRmiThroughMachines(): void {
  it('serves save, load and rmi through the machines: their traces name containerd’s calls and dockerd’s own work', async () => {
    const name = `${registry.host}/busybox:v1`;
    const tar = join(work.path, 'saved.tar');
    expect((await engine.docker(['save', '-o', tar, name])).code).toBe(0);
    const saved = await lastTrace();
    expect(saved).toMatch(/^CLI -> dockerd: GET \/v1\.\d+\/images\/get\?names=/);
    expect(saved.match(/^dockerd -> containerd: Content\.Read\(sha256:/gm)?.length).toBe(
      bbImage.layers.length + 2,
    );
    expect((await engine.docker(['tag', name, 'keep:1'])).code).toBe(0);
    const rmi = await engine.docker(['rmi', name]);
    expect(rmi.stdout).toBe(
      `Untagged: ${name}\nUntagged: ${registry.host}/busybox@${bbImage.manifest.digest}\n`,
    );
    expect(await lastTrace()).toContain(`dockerd -> containerd: Images.Delete(${name}, sync)`);
    const load = await engine.docker(['load', '-i', tar]);
    expect(load.stdout).toBe(`Loaded image: ${name}\n`);
    const loaded = await lastTrace();
    expect(loaded.match(/^dockerd -> containerd: Content\.Write\(/gm)?.length).toBe(
      bbImage.layers.length + 1,
    );
    // dockerd's own work, a self message (the golden lines show messages between layers only).
    expect(await lastTrace('json')).toContain('read the archive: 1 image(s)');
    expect(loaded).toContain(`dockerd -> containerd: Images.Create(${name}`);
    // The layers were there (keep:1 held them): nothing unpacked again.
    expect(loaded).not.toContain('Diff.Apply');
    expect((await engine.docker(['rmi', 'keep:1'])).code).toBe(0);
  });
}

function stepFromTerminal(): void {
  it('holds a real pull at a breakpoint set with dockstep gate: nothing of the layer on disk until released', async () => {
    const gate = (...args: string[]) =>
      spawnSync(process.execPath, [...DOCKSTEP, 'gate', '-H', engine.host, ...args], { encoding: 'utf8' });
    expect(gate('break', 'op=ctrd.Diff.Apply').status).toBe(0);
    const follower = await follow(engine.host);
    try {
      const pull = engine.docker(['pull', `${registry.host}/third:v1`]);
      await until(
        () =>
          follower.out().includes('⏸ held at the gate (breakpoint 1): dockerd -> containerd: Diff.Apply('),
        'the hold on the stream',
      );
      const snapshots = join(engine.root, 'snapshots');
      expect(readdirSync(snapshots).filter((d) => existsSync(join(snapshots, d, 'fs', 'third.txt')))).toEqual(
        [],
      );
      const status = JSON.parse(gate().stdout) as {
        held: { next: { op: string } } | null;
        breakpoints: unknown[];
      };
      expect(status.held?.next.op).toBe('ctrd.Diff.Apply');
      expect(status.breakpoints).toEqual([{ op: 'ctrd.Diff.Apply', id: 1 }]);
      // Released once, the request goes: the layer is unpacked, and its answer, which carries
      // the same op, is held next. Clearing the breakpoint lets that go too, and the pull ends.
      expect(gate('release').status).toBe(0);
      await until(
        () => follower.out().includes('⏸ held at the gate (breakpoint 1): containerd --> dockerd: '),
        'the answer held',
      );
      expect(gate('clear').status).toBe(0);
      expect((await pull).code).toBe(0);
      expect(
        readdirSync(snapshots).filter((d) => existsSync(join(snapshots, d, 'fs', 'third.txt'))),
      ).toHaveLength(1);
      await until(
        () => follower.out().includes('▶ the gate lets the held message go'),
        'the release on the stream',
      );
      const again = gate('release');
      expect([again.status, again.stderr]).toEqual([1, 'dockstep: no message is held at the gate\n']);
    } finally {
      await follower.stop();
    }
  });
}

function gateRefusals(): void {
  it('refuses a malformed breakpoint or step request with a 400 that says why, and changes nothing', async () => {
    const cases: [string, string, string | undefined, RegExp][] = [
      ['POST', '/dockstep/v1/gate/breakpoints', '{"layer":"docker"}', /^unknown layer "docker"$/],
      [
        'POST',
        '/dockstep/v1/gate/breakpoints',
        '{"op":"a","call":"b"}',
        /names one of layer, op, call, container/,
      ],
      ['POST', '/dockstep/v1/gate/breakpoints', '[1]', /is a JSON object/],
      ['POST', '/dockstep/v1/gate/breakpoints', '{"colour":"red"}', /unknown breakpoint field "colour"/],
      ['POST', '/dockstep/v1/gate/breakpoints', '{"container":"ab"}', /too short/],
      ['POST', '/dockstep/v1/gate/step', undefined, /on=1 or on=0/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await engine.request(
        method,
        path,
        body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json' } },
      );
      expect(r.status, path).toBe(400);
      expect(String((JSON.parse(r.text) as { message?: string }).message)).toMatch(message);
    }
    const status = JSON.parse((await engine.request('GET', '/dockstep/v1/gate')).text) as unknown;
    expect(status).toEqual({ stepMode: false, breakpoints: [], held: null, holds: [] });
  });
}

// The gate in real mode: a real pull held before `Diff.Apply` of its second layer has not
// unpacked that layer — no file of it is on disk — while the rest of the pull goes on; released,
// the pull completes; another client's request is answered meanwhile. And one long-lived world
// serves concurrent pulls, each trace its own. A hold stops its own request's time only: while a
// `docker run` is held before `runc create`, another terminal's `docker stop -t 1` sees its grace
// period run out and kills, as on dockerd (engine/real/clock.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageRoot } from '../../engine/image/root.ts';
import { pullThroughMachines } from '../../engine/real/pull.ts';
import type { TraceRecord } from '../../engine/real/traceHub.ts';
import { RealSession } from '../../engine/real/session.ts';
import { RealWorld } from '../../engine/real/world.ts';
import { draft } from '../../src/layers/post.ts';
import type { Hold } from '../../src/wire/gate.ts';
import { goldenLines } from '../../src/views/trace.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { busyboxLayout, skopeoCopy, type BuiltImage } from './helpers/images.ts';
import { startRegistry, startTokenServer, type Registry, type TokenServer } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let tokens: TokenServer;
let registry: Registry;
let image: BuiltImage;
const work = tempDir('gate');
let root: ImageRoot;

/** Every snapshot directory of the root that holds `path`. */
function holders(path: string): string[] {
  const dir = root.snapshots.root;
  return readdirSync(dir).filter((id) => existsSync(join(dir, id, 'fs', path)));
}

realSuite('the gate holds real work', ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr'], () => {
  beforeAll(async () => {
    tokens = await startTokenServer();
    registry = await startRegistry({ realm: tokens.realm });
    const layout = join(work.path, 'layout');
    image = busyboxLayout(layout);
    await skopeoCopy(layout, 'v1', `${registry.host}/busybox:v1`);
    await skopeoCopy(layout, 'v1', `${registry.host}/other:v1`);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
    work.remove();
  });

  heldPull();
  twoPulls();
  boundedWorld();
});

function heldPull(): void {
  it('holds a pull before Diff.Apply of its second layer: nothing of that layer is on disk, an image list is answered; released, the pull completes', async () => {
    root = await ImageRoot.open(join(work.path, 'root-held'), { unpackWorkers: 1 });
    const world = new RealWorld(root);
    const second = image.layers[1]?.digest ?? '';
    world.scheduler.gate.set('lesson', (next) =>
      next.op === 'ctrd.Diff.Apply' &&
      next.kind === 'request' &&
      JSON.stringify(next.payload).includes(second)
        ? 'before the second layer'
        : undefined,
    );
    const held = new Promise<Hold>((resolve) =>
      world.scheduler.gate.onChange((hold) => hold && resolve(hold)),
    );
    const pull = pullThroughMachines(root, { fromImage: `${registry.host}/busybox`, tag: 'v1' }, { world });
    const hold = await held;
    expect(hold).toMatchObject({
      policy: 'lesson',
      next: { from: 'dockerd', to: 'containerd', op: 'ctrd.Diff.Apply' },
    });
    // The first layer's files may be unpacked by now; none of the second's is, anywhere.
    for (const path of ['etc/passwd', 'home/nobody/owned', 'etc/conf.d/a.conf'])
      expect(holders(path)).toEqual([]);
    // Still held while the rest settles: the real work behind the message has not started.
    await new Promise((r) => setTimeout(r, 300));
    expect(world.scheduler.held?.next.id).toBe(hold.next.id);
    expect(holders('etc/passwd')).toEqual([]);
    // The hold stops the pull's own work only: another client's `docker images` is answered
    // meanwhile (the image is not there yet), and the pull is still held after it.
    expect(await listImages(world, root)).toBe(0);
    expect(world.scheduler.held?.next.id).toBe(hold.next.id);
    expect(holders('etc/passwd')).toEqual([]);
    world.scheduler.release();
    const result = await pull;
    expect(result.error).toBeUndefined();
    const record = root.images.get(`${registry.host}/busybox:v1`);
    expect(record?.layers.map((l) => root.snapshots.stat(l.chainId)?.kind)).toEqual([
      'committed',
      'committed',
      'committed',
      'committed',
    ]);
    expect(holders('etc/passwd')).toHaveLength(1);
    expect(goldenLines(result.trace).join('\n')).toContain(`Diff.Apply(${second.slice(7, 19)}`);
    world.stop();
    await expectOnlyReferenced(root);
    await root.close();
  });
}

function twoPulls(): void {
  it('serves two pulls at once in one long-lived world, each with its own trace, interleaved on the stream', async () => {
    root = await ImageRoot.open(join(work.path, 'root-two'), { unpackWorkers: 1 });
    const world = new RealWorld(root);
    const records: TraceRecord[] = [];
    world.trace.follow((r) => records.push(r));
    const [a, b] = await Promise.all([
      pullThroughMachines(root, { fromImage: `${registry.host}/busybox`, tag: 'v1' }, { world }),
      pullThroughMachines(root, { fromImage: `${registry.host}/other`, tag: 'v1' }, { world }),
    ]);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    expect(goldenLines(a.trace)[0]).toContain('busybox');
    expect(goldenLines(b.trace)[0]).toContain('other');
    expect(goldenLines(a.trace).join('\n')).not.toContain('/v2/other/');
    expect(goldenLines(b.trace).join('\n')).not.toContain('/v2/busybox/');
    const roots = records.flatMap((r) =>
      'entry' in r && r.entry.type === 'message' && r.root !== undefined ? [r.root] : [],
    );
    // Every record crosses a socket as it is: JSON and back gives the same record.
    expect(JSON.parse(JSON.stringify(records))).toStrictEqual(records);
    // Each step carries the state of the layer it reached: the snapshots Storage holds, for one.
    const storage = records.flatMap((r) => ('state' in r && r.state.layer === 'Storage' ? [r.state] : []));
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.some((s) => s.tables.some((t) => t.name === 'snapshots' && (t.size ?? 0) > 0))).toBe(true);
    const first = roots[0];
    const switches = roots.filter((r, i) => i > 0 && r !== roots[i - 1]).length;
    expect(new Set(roots).size).toBe(2);
    expect(switches).toBeGreaterThan(1);
    expect(roots.lastIndexOf(first ?? -1)).toBeGreaterThan(roots.findIndex((r) => r !== first));
    // Nothing is kept once both are answered: the world's memory does not grow with requests.
    expect(world.trace.kept).toBe(0);
    expect(world.running).toBe(0);
    expect(world.wire.trace).toEqual([]);
    world.stop();
    await expectOnlyReferenced(root);
    await root.close();
  });
}

/** What the world holds in memory for requests: the wire's tables, the machines' job tables, the trace. */
function footprint(world: RealWorld): Record<string, number> {
  const ctx = (layer: 'Registry' | 'Storage' | 'containerd' | 'dockerd'): Record<string, unknown> =>
    (world.actors[layer].getSnapshot() as { context: Record<string, unknown> }).context;
  const size = (v: unknown): number => (v instanceof Map ? v.size : Object.keys(v as object).length);
  return {
    ...world.wire.held(),
    kept: world.trace.kept,
    running: world.running,
    registryJobs: size(ctx('Registry').jobs),
    storageJobs: size(ctx('Storage').jobs),
    containerdJobs: size(ctx('containerd').jobs),
    containerdProxied: size(ctx('containerd').proxied),
    operations: Object.keys(world.actors.dockerd.getSnapshot().children).length,
    storageChildren: Object.keys(world.actors.Storage.getSnapshot().children).length,
    registryChildren: Object.keys(world.actors.Registry.getSnapshot().children).length,
  };
}

/** `docker images`, as the gateway sends it (a monitor polling the engine). */
async function listImages(world: RealWorld, root: ImageRoot): Promise<number> {
  const session = new RealSession(root);
  const call = world.request(
    'GET /images/json',
    draft('CLI', 'dockerd', 'api.images.list', 'GET /v1.44/images/json', {
      payload: { method: 'GET', path: '/v1.44/images/json', query: {} },
    }),
    session,
  );
  const reply = await call.answer;
  world.end(call.id);
  await session.finish(true);
  return Array.isArray(reply.payload) ? reply.payload.length : -1;
}

function boundedWorld(): void {
  it('does not grow with the requests it serves: 40 more pulls and 200 image lists leave it holding what it held after one pull', async () => {
    root = await ImageRoot.open(join(work.path, 'root-bounded'), { unpackWorkers: 1 });
    const world = new RealWorld(root);
    const pull = (): ReturnType<typeof pullThroughMachines> =>
      pullThroughMachines(root, { fromImage: `${registry.host}/busybox`, tag: 'v1' }, { world });
    expect((await pull()).error).toBeUndefined();
    const after1 = footprint(world);
    for (let i = 0; i < 40; i++) expect((await pull()).error).toBeUndefined();
    expect(footprint(world)).toEqual(after1);
    // A monitor asking for the images 200 times leaves nothing behind either.
    for (let i = 0; i < 200; i++) expect(await listImages(world, root)).toBe(1);
    expect(footprint(world)).toEqual(after1);
    expect(after1).toMatchObject({
      queued: 0,
      roots: 0,
      cancelled: 0,
      proxied: 0,
      kept: 0,
      running: 0,
      registryJobs: 0,
      storageJobs: 0,
      containerdJobs: 0,
    });
    const daemon = (world.actors.dockerd.getSnapshot() as { context: { daemon: { events: unknown[] } } })
      .context.daemon;
    expect(daemon.events.length).toBeLessThanOrEqual(256);
    world.stop();
    await root.close();
  });
}

const runs = suiteEngine('gate-run', 'dsg');

realSuite(
  'a hold stops its own request’s clock only',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    let engine: RunningEngine | undefined;
    let busybox = '';
    beforeAll(async () => {
      ({ engine, image: busybox } = await runs.start());
    }, 180_000);
    afterAll(async () => {
      if (engine !== undefined) await releaseEverything(engine);
      await engine?.docker(['rm', '-f', 'held', 'stopped'], { timeoutMs: 60_000 });
      await runs.stop();
    }, 120_000);

    it('lets another terminal’s docker stop -t 1 run out its grace period and kill while a docker run is held; released, the run starts', async () => {
      const e = engine;
      if (e === undefined) throw new Error('no engine');
      const docker = (...args: string[]): ReturnType<RunningEngine['docker']> =>
        e.docker(args, { timeoutMs: 120_000 });
      const sleeper = ['--network', 'none', busybox, '/bin/busybox', 'sleep', '1000'];
      const started = await docker('run', '-d', '--name', 'stopped', ...sleeper);
      expect(started.code, started.stderr).toBe(0);
      const mark = await e.request('POST', '/dockstep/v1/gate/breakpoints', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ op: 'runc.create' }),
      });
      expect(mark.status, mark.text).toBe(201);
      const run = docker('run', '-d', '--name', 'held', ...sleeper);
      const [hold] = await held(e);
      expect(hold).toMatchObject({ next: { to: 'runc', op: 'runc.create' } });
      expect(hold?.root).toBeGreaterThan(0);
      // Another terminal stops the other container meanwhile: busybox sleep, PID 1, ignores
      // SIGTERM, so the stop ends only when its 1 s grace period runs out and dockerd kills.
      const stop = await docker('stop', '-t', '1', 'stopped');
      expect(stop.code, stop.stderr).toBe(0);
      expect((await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(
        /^stopped Exited \(137\)/m,
      );
      // The run is still held where it was, its container created and not started.
      expect((await heldNow(e)).map((h) => h.next.id)).toEqual([hold?.next.id]);
      expect((await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(
        /^held Created$/m,
      );
      await releaseEverything(e);
      const ran = await run;
      expect(ran.code, ran.stderr).toBe(0);
      expect((await docker('ps', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(/^held Up /m);
    }, 240_000);
  },
);

/** The messages held at the engine's gate once one is (checked a bounded number of times). */
async function held(engine: RunningEngine): Promise<Hold[]> {
  for (let i = 0; i < 1200; i++) {
    const holds = await heldNow(engine);
    if (holds.length > 0) return holds;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gave up waiting for a message held at the gate');
}

/** The messages held at the engine's gate now. */
async function heldNow(engine: RunningEngine): Promise<Hold[]> {
  const status = JSON.parse((await engine.request('GET', '/dockstep/v1/gate')).text) as { holds: Hold[] };
  return status.holds;
}

/** No breakpoint, no step mode, nothing held: the suite's containers can go. */
async function releaseEverything(engine: RunningEngine): Promise<void> {
  await engine.request('DELETE', '/dockstep/v1/gate/breakpoints');
  await engine.request('POST', '/dockstep/v1/gate/step?on=0');
  while ((await heldNow(engine)).length > 0) await engine.request('POST', '/dockstep/v1/gate/release');
}

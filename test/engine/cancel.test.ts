// A pull whose client hangs up is cancelled through the machines, as dockerd cancels a pull when
// its last client goes: the trace shows the client closing and dockerd cancelling, the stalled
// download is closed, and nothing of the pull stays (no image, no partial blob, no snapshot).
// In-process through the world, then through `dockstep engine` with the real docker CLI killed
// mid-pull.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageRoot } from '../../engine/image/root.ts';
import { pullThroughMachines } from '../../engine/real/pull.ts';
import { loadTrace } from '../../engine/real/traces.ts';
import { GatewayCancelled, RealWorld } from '../../engine/real/world.ts';
import { goldenLines } from '../../src/views/trace.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import { DOCKER, startEngine } from './helpers/engine.ts';
import { serveImage, startFakeRegistry, type FakeRegistry } from './helpers/fakeRegistry.ts';
import { busyboxImage, type BuiltImage } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const work = tempDir('cancel');
let image: BuiltImage;
let fake: FakeRegistry;

realSuite('a pull whose client hangs up', ['root', 'overlay', 'attr', 'docker'], () => {
  beforeAll(async () => {
    fake = await startFakeRegistry();
    image = busyboxImage(join(work.path, 'layout'));
    serveImage(fake, 'app', 'v1', image);
    const stalled = image.layers[0]?.digest ?? '';
    fake.fault = (path) => (path.endsWith(stalled) ? 'hang' : undefined);
  });
  afterAll(async () => {
    await fake?.stop();
    work.remove();
  });

  it('is cancelled through the machines: the trace says so and nothing of it stays', async () => {
    const root = await ImageRoot.open(join(work.path, 'root'), { unpackWorkers: 1 });
    const world = new RealWorld(root);
    const stalled = image.layers[0]?.digest ?? '';
    const client = new AbortController();
    const pull = pullThroughMachines(
      root,
      { fromImage: `${fake.host}/app`, tag: 'v1' },
      { world, signal: client.signal },
    );
    await until(() => fake.seen.some((r) => r.endsWith(stalled)), 'the stalled blob request');
    client.abort();
    await expect(pull).rejects.toBeInstanceOf(GatewayCancelled);
    const lines = goldenLines(await loadTrace(root.root)).join('\n');
    expect(lines).toMatch(/CLI -> dockerd: connection closed: request \d+ cancelled/);
    expect(lines).toMatch(/dockerd -> dockerd: context canceled: request \d+/);
    expect(root.images.list()).toEqual([]);
    expect(root.snapshots.list().filter((s) => s.kind !== 'committed')).toEqual([]);
    await expectOnlyReferenced(root);
    expect(world.running).toBe(0);
    world.stop();
    await root.close();
  });

  it('docker pull killed mid-pull against the engine leaves no image and no partial download', async () => {
    const engine = await startEngine();
    try {
      const stalled = image.layers[0]?.digest ?? '';
      const before = fake.seen.filter((r) => r.endsWith(stalled)).length;
      const cli = spawn(DOCKER, ['pull', `${fake.host}/app:v1`], {
        env: { ...process.env, DOCKER_HOST: engine.host },
        stdio: 'ignore',
      });
      await until(
        () => fake.seen.filter((r) => r.endsWith(stalled)).length > before,
        'the stalled blob request',
      );
      const exited = new Promise((r) => cli.once('exit', r));
      process.kill(cli.pid ?? 0, 'SIGKILL');
      await exited;
      const ingests = join(engine.root, 'content', 'ingest');
      await until(() => readdirSync(ingests).length === 0, 'the partial download to go');
      // The last operation's trace is the cancelled pull's (read before any other request).
      const run = spawn(process.execPath, [
        '--import',
        'tsx',
        'engine/cli/main.ts',
        'trace',
        '--root',
        engine.root,
        '--format',
        'golden',
      ]);
      let out = '';
      run.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((r) => run.once('exit', r));
      expect(out).toMatch(/CLI -> dockerd: connection closed/);
      const images = await engine.request('GET', '/images/json');
      expect(JSON.parse(images.text)).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});

// The engine under load and after a crash, with the docker CLI: twenty containers started at
// once and removed in one `rm -f`, then nothing left on the host; `kill -9` of the engine (with
// --live-restore) while five containers run and a sixth `docker run` is half way: the next engine
// finds the five with their pids, their logs and their stop, the sixth running or cleanly failed;
// the container files dockerd 20.10 keeps (config.v2.json, hostconfig.json). Leaks are counted
// from /proc and /sys before and after (helpers/hostLeaks.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { pushTestImages } from './helpers/daemonImages.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';
import { hostLeaks, shimsOf, type HostLeaks } from './helpers/hostLeaks.ts';
import { startRegistry, type Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';
import { teardown } from '../../engine/net/index.ts';
import { engineBridge } from '../../engine/real/world.ts';

const work = tempDir('reliability');
let registry: Registry;
let engine: RunningEngine;
let image: string;
let baseline: HostLeaks;
const bridge = `dsr${Math.random().toString(16).slice(2, 8)}`;
const ARGS = ['--bridge', bridge, '--live-restore'];

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 180_000 });
}

/** `docker run -d` of a sleeper on the engine's bridge. */
function sleeper(name: string): ReturnType<typeof docker> {
  return docker('run', '-d', '--name', name, image, '/bin/busybox', 'sleep', '1000');
}

const idsOf = (out: string): string[] => out.split('\n').filter((l) => l !== '');

async function leaks(ids: readonly string[]): Promise<HostLeaks> {
  return hostLeaks(engine.dir, engine.root, bridge, ids);
}

async function expectNoLeaks(ids: readonly string[]): Promise<void> {
  await until(() => shimsOf(engine.dir).length === 0, 'the shims to exit');
  expect(await leaks(ids)).toEqual(baseline);
  for (const id of ids) expect(existsSync(`${engine.root}/containers/${id}`)).toBe(false);
}

/** SIGKILL of the engine, and a new one on the same root, socket and bridge. */
async function killAndRestart(): Promise<void> {
  const exited = new Promise((resolve) => {
    const check = setInterval(() => {
      if (!existsSync(`/proc/${engine.pid}`)) resolve(clearInterval(check));
    }, 20);
  });
  process.kill(engine.pid, 'SIGKILL');
  await exited;
  engine = await startEngine({ base: engine.dir, args: ARGS });
}

const pidOf = async (name: string): Promise<number> =>
  Number((await docker('inspect', '-f', '{{.State.Pid}}', name)).stdout.trim());

realSuite(
  'reliability: many containers, a crashed engine',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      registry = await startRegistry();
      await pushTestImages(registry.host, work.path);
      engine = await startEngine({ args: ARGS });
      image = `${registry.host}/busybox:v1`;
      const pulled = await docker('pull', '-q', image);
      expect(pulled.code, pulled.stderr).toBe(0);
      baseline = await leaks([]);
    }, 180_000);
    afterAll(async () => {
      const left = idsOf((await docker('ps', '-a', '-q')).stdout);
      if (left.length > 0) await docker('rm', '-f', ...left);
      const root = engine?.root;
      await engine?.stop();
      if (root !== undefined) await teardown(engineBridge(root, bridge));
      await registry?.stop();
      work.remove();
    }, 180_000);

    it('20 concurrent docker run -d all run; one rm -f of all leaves nothing on the host', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `many${i}`);
      const runs = await Promise.all(names.map((n) => sleeper(n)));
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const ids = runs.map((r) => r.stdout.trim());
      const ps = await docker('ps', '--format', '{{.Names}} {{.State}}');
      expect(idsOf(ps.stdout).sort()).toEqual(names.map((n) => `${n} running`).sort());
      const during = await leaks(ids);
      expect({ shims: during.shims, veths: during.veths, cgroups: during.cgroups > 0 }).toEqual({
        shims: 20,
        veths: baseline.veths + 20,
        cgroups: true,
      });
      // dockerd 20.10's files, as it keeps them (test/fixtures/real-engine/u-container-files.txt).
      const stored = JSON.parse(readFileSync(`${engine.root}/containers/${ids[0]}/config.v2.json`, 'utf8')) as {
        ID: string;
        State: { Running: boolean; Pid: number };
        Name: string;
      };
      expect(stored.ID).toBe(ids[0]);
      expect(stored.State.Running).toBe(true);
      expect(stored.State.Pid).toBeGreaterThan(0);
      expect(existsSync(`${engine.root}/containers/${ids[0]}/hostconfig.json`)).toBe(true);
      const rm = await docker('rm', '-f', ...names);
      expect(rm.code, rm.stderr).toBe(0);
      expect((await docker('ps', '-a', '-q')).stdout.trim()).toBe('');
      await expectNoLeaks(ids);
    }, 300_000);

    it('kill -9 of the engine with five running and a sixth run half way: the next engine keeps the five', async () => {
      const names = Array.from({ length: 5 }, (_, i) => `kept${i}`);
      const ids = (await Promise.all(names.map((n) => sleeper(n)))).map((r) => r.stdout.trim());
      const pids = await Promise.all(names.map((n) => pidOf(n)));
      const bundles = `${engine.dir}/run/dockstep.sock.run/tasks/moby`;
      const sixth = sleeper('sixth');
      // Half way: its shim has been started in its bundle, its start not yet answered.
      await until(() => existsSync(bundles) && readdirSync(bundles).length === 6, 'the sixth bundle');
      await killAndRestart();
      await sixth;
      expect(await Promise.all(names.map((n) => pidOf(n)))).toEqual(pids);
      for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(true);
      const ps = await docker('ps', '-a', '--format', '{{.Names}} {{.State}}');
      for (const n of names) expect(ps.stdout).toContain(`${n} running`);
      const state = (await docker('inspect', '-f', '{{.State.Status}}', 'sixth')).stdout.trim();
      expect(['running', 'created', 'exited']).toContain(state);
      if (state !== 'running') expect(shimsOf(engine.dir)).toHaveLength(5);
      // The reconnected shims serve stop, and the logs still follow the json-file log.
      const stop = await docker('stop', '-t', '1', 'kept0');
      expect(stop.code, stop.stderr).toBe(0);
      expect((await docker('inspect', '-f', '{{.State.ExitCode}}', 'kept0')).stdout.trim()).toBe('137');
      expect((await docker('logs', 'kept1')).code).toBe(0);
      const sixthId = (await docker('inspect', '-f', '{{.Id}}', 'sixth')).stdout.trim();
      const rm = await docker('rm', '-f', ...names, 'sixth');
      expect(rm.code, rm.stderr).toBe(0);
      await expectNoLeaks([...ids, sixthId]);
    }, 300_000);
  },
);

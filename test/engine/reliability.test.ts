// The engine under load and after a crash, with the docker CLI: twenty containers started at
// once and removed in one `rm -f`, then nothing left on the host; `kill -9` of the engine (with
// --live-restore) while five containers run and a sixth `docker run` is half way: the next engine
// finds the five with their pids, their logs and their stop, the sixth running or cleanly failed;
// the container files dockerd 20.10 keeps (config.v2.json, hostconfig.json). Leaks are counted
// from /proc and /sys before and after (helpers/hostLeaks.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';
import { hostLeaks, netnsOf, shimsOf, type HostLeaks } from './helpers/hostLeaks.ts';
import { childrenOf, engineProcess, peakRss, readLog, stateOf } from './helpers/procs.ts';
import { runDetached, sh, SLEEP } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';

/** An engine on a bridge of this suite's own (`dsr…`), so it never meets another engine's. */
const suite = suiteEngine('reliability', 'dsr');
const { bridge } = suite;
let engine: RunningEngine;
let image: string;
let baseline: HostLeaks;
const LIVE = ['--bridge', bridge, '--live-restore'];
const NO_NETWORK = ['--network', 'none'];
let args = LIVE;

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 180_000 });
}

/** `docker run -d` of a sleeper on the engine's bridge. */
function sleeper(name: string): ReturnType<typeof docker> {
  return runDetached(engine, name, image);
}

const idsOf = (out: string): string[] => out.split('\n').filter((l) => l !== '');

/** netns files seen for containers while they ran, by container id. */
const netnsSeen = new Map<string, string[]>();

async function leaks(ids: readonly string[]): Promise<HostLeaks> {
  for (const id of ids) {
    const seen = netnsOf(engine.root, bridge, [id]);
    if (seen.length > 0) netnsSeen.set(id, seen);
  }
  const files = ids.flatMap((id) => netnsSeen.get(id) ?? []);
  return hostLeaks(engine.dir, engine.root, bridge, ids, files);
}

async function expectNoLeaks(ids: readonly string[]): Promise<void> {
  await until(() => shimsOf(engine.dir).length === 0, 'the shims to exit');
  expect(await leaks(ids)).toEqual(baseline);
  for (const id of ids) expect(existsSync(`${engine.root}/containers/${id}`)).toBe(false);
}

/** SIGKILL of the engine (not a graceful stop). */
async function killEngine(): Promise<void> {
  const pid = engineProcess(engine.pid);
  process.kill(pid, 'SIGKILL');
  process.kill(engine.pid, 'SIGKILL');
  await until(() => !existsSync(`/proc/${pid}`) && !existsSync(`/proc/${engine.pid}`), 'the engine to die');
}

/** SIGKILL of the engine, and a new one on the same root, socket and bridge. */
async function killAndRestart(next: string[] = LIVE): Promise<void> {
  await killEngine();
  args = next;
  engine = await startEngine({ base: engine.dir, args });
}

/** The container events between two instants (unix seconds), as `type action attributes`. */
async function eventsBetween(since: number, name: string): Promise<string[]> {
  const out = await docker(
    'events',
    '--since',
    since.toFixed(3),
    '--until',
    (Date.now() / 1000 + 1).toFixed(3),
    '--filter',
    `container=${name}`,
    '--format',
    '{{.Action}} signal={{index .Actor.Attributes "signal"}} exitCode={{index .Actor.Attributes "exitCode"}}',
  );
  return idsOf(out.stdout);
}

const pidOf = async (name: string): Promise<number> =>
  Number((await docker('inspect', '-f', '{{.State.Pid}}', name)).stdout.trim());

realSuite(
  'reliability: many containers, a crashed engine',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      ({ engine, image } = await suite.start(['--live-restore']));
      baseline = await leaks([]);
    }, 180_000);
    afterAll(() => suite.stop(engine), 180_000);

    it('20 concurrent docker run -d all run; one rm -f of all leaves nothing on the host', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `many${i}`);
      const runs = await Promise.all(names.map((n) => sleeper(n)));
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const ids = runs.map((r) => r.stdout.trim());
      const ps = await docker('ps', '--format', '{{.Names}} {{.State}}');
      expect(idsOf(ps.stdout).sort()).toEqual(names.map((n) => `${n} running`).sort());
      const during = await leaks(ids);
      expect({
        shims: during.shims,
        veths: during.veths,
        netns: during.netns,
        cgroups: during.cgroups > 0,
      }).toEqual({
        shims: 20,
        veths: baseline.veths + 20,
        netns: 20,
        cgroups: true,
      });
      // dockerd 20.10's files, as it keeps them (test/fixtures/real-engine/u-container-files.txt).
      const stored = JSON.parse(
        readFileSync(`${engine.root}/containers/${ids[0]}/config.v2.json`, 'utf8'),
      ) as {
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
      const before = existsSync(bundles) ? readdirSync(bundles).length : 0;
      const sixth = sleeper('sixth');
      // Half way: its shim has been started in its bundle, its start not yet answered.
      await until(() => existsSync(bundles) && readdirSync(bundles).length > before, 'the sixth bundle');
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

    it('a container keeps writing its log while no engine runs; logs -f follows it after the restart', async () => {
      const ticks = sh('i=0; while true; do i=$((i+1)); echo tick $i; /bin/busybox sleep 0.1; done');
      const run = await runDetached(engine, 'ticker', image, ticks, NO_NETWORK);
      expect(run.code, run.stderr).toBe(0);
      await until(
        () => existsSync(`${engine.root}/containers/${run.stdout.trim()}/${run.stdout.trim()}-json.log`),
        'the log',
      );
      await killAndRestart();
      const before = idsOf((await docker('logs', 'ticker')).stdout).length;
      const follow = docker('logs', '-f', 'ticker');
      await new Promise((r) => setTimeout(r, 500));
      expect((await docker('stop', '-t', '1', 'ticker')).code).toBe(0);
      const followed = idsOf((await follow).stdout);
      // Every line once, in order, from before the crash to the stop.
      expect(followed.length).toBeGreaterThan(before);
      expect(followed).toEqual(followed.map((_, i) => `tick ${i + 1}`));
      expect((await docker('rm', 'ticker')).code).toBe(0);
      await expectNoLeaks([run.stdout.trim()]);
    }, 300_000);

    it('without --live-restore the next engine stops what it finds running (kill 15, kill 9, die 137, stop)', async () => {
      const run = await runDetached(engine, 'stopped', image, SLEEP, ['--stop-timeout', '1', ...NO_NETWORK]);
      expect(run.code, run.stderr).toBe(0);
      const pid = await pidOf('stopped');
      const since = Date.now() / 1000;
      await killAndRestart(['--bridge', bridge]);
      // Requests wait until the restore is done: by then the container has been stopped.
      expect((await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(
        /^stopped Exited \(137\)/m,
      );
      expect(existsSync(`/proc/${pid}`)).toBe(false);
      // As a private dockerd 20.10 (test/fixtures/real-engine/k-daemon-and-faults.txt, 2).
      expect(await eventsBetween(since, 'stopped')).toEqual([
        'kill signal=15 exitCode=',
        'kill signal=9 exitCode=',
        'die signal= exitCode=137',
        'stop signal= exitCode=',
      ]);
      expect((await docker('rm', 'stopped')).code).toBe(0);
      await killAndRestart();
      await expectNoLeaks([run.stdout.trim()]);
    }, 300_000);

    it('a shim killed while no engine ran: the next engine cleans it up and marks the container exited (137)', async () => {
      const run = await sleeper('orphaned');
      expect(run.code, run.stderr).toBe(0);
      const id = run.stdout.trim();
      const pid = await pidOf('orphaned');
      const shim = shimsOf(engine.dir).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id));
      await killEngine();
      process.kill(shim ?? 0, 'SIGKILL');
      await until(() => !existsSync(`/proc/${shim ?? 0}`), 'the shim to die');
      // The container runs on without its shim (re-parented to PID 1).
      expect(existsSync(`/proc/${pid}`)).toBe(true);
      engine = await startEngine({ base: engine.dir, args });
      expect(
        (await docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'orphaned')).stdout.trim(),
      ).toBe('exited 137');
      await until(() => !existsSync(`/proc/${pid}`), 'the container to be killed');
      expect((await docker('rm', 'orphaned')).code).toBe(0);
      await expectNoLeaks([id]);
    }, 300_000);

    it('processes that exit at once, or fork and exit: the status is the init’s, no zombie is left under a shim', async () => {
      const quick = await runDetached(engine, 'quick', image, ['/bin/busybox', 'true'], NO_NETWORK);
      expect(quick.code, quick.stderr).toBe(0);
      expect((await docker('wait', 'quick')).stdout.trim()).toBe('0');
      // The init leaves five children behind: the kernel kills them with it, and the shim, their
      // subreaper, reaps them (a zombie would stay as the shim's child).
      const fork5 = sh('for i in 1 2 3 4 5; do /bin/busybox sleep 100 & done; exit 7');
      const forks = await runDetached(engine, 'forks', image, fork5, NO_NETWORK);
      expect(forks.code, forks.stderr).toBe(0);
      expect((await docker('wait', 'forks')).stdout.trim()).toBe('7');
      const zombies = () =>
        shimsOf(engine.dir).flatMap((shim) => childrenOf(shim).filter((c) => stateOf(c) === 'Z'));
      expect(zombies()).toEqual([]);
      expect((await docker('rm', 'quick', 'forks')).code).toBe(0);
      await expectNoLeaks([quick.stdout.trim(), forks.stdout.trim()]);
    }, 300_000);

    it('a process that ignores SIGTERM: stop -t 1 ends in SIGKILL, 137', async () => {
      const ignoresTerm = sh('trap "" TERM; while true; do /bin/busybox sleep 1; done');
      const run = await runDetached(engine, 'stubborn', image, ignoresTerm, NO_NETWORK);
      expect(run.code, run.stderr).toBe(0);
      const since = Date.now() / 1000;
      expect((await docker('stop', '-t', '1', 'stubborn')).code).toBe(0);
      expect((await docker('inspect', '-f', '{{.State.ExitCode}}', 'stubborn')).stdout.trim()).toBe('137');
      expect(await eventsBetween(since, 'stubborn')).toEqual([
        'kill signal=15 exitCode=',
        'kill signal=9 exitCode=',
        'die signal= exitCode=137',
        'stop signal= exitCode=',
      ]);
      expect((await docker('rm', 'stubborn')).code).toBe(0);
      await expectNoLeaks([run.stdout.trim()]);
    }, 300_000);

    it('a process that outgrows -m is OOM-killed: oom and die 137, OOMKilled true', async () => {
      const since = Date.now() / 1000;
      // As recorded on dockerd 20.10 (test/fixtures/real-engine/e-oom.txt).
      const run = await docker(
        'run',
        '--name',
        'oom1',
        '-m',
        '8m',
        '--network',
        'none',
        image,
        '/bin/sh',
        '-c',
        'x=a; while true; do x=$x$x; done',
      );
      expect(run.code).toBe(137);
      // The shim reports the OOM kill (memory cgroup event) and the exit (SIGCHLD) from two
      // goroutines: the oom event can come a moment after the exit, so it is waited for.
      const state = () =>
        docker(
          'inspect',
          '-f',
          '{{.State.Status}} OOMKilled={{.State.OOMKilled}} ExitCode={{.State.ExitCode}}',
          'oom1',
        );
      let seen = (await state()).stdout.trim();
      for (let i = 0; i < 40 && seen !== 'exited OOMKilled=true ExitCode=137'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        seen = (await state()).stdout.trim();
      }
      expect(seen).toBe('exited OOMKilled=true ExitCode=137');
      const events = (await eventsBetween(since, 'oom1')).filter((e) => /^(oom|die) /.test(e));
      expect(events.sort()).toEqual(['die signal= exitCode=137', 'oom signal= exitCode=']);
      const id = (await docker('inspect', '-f', '{{.Id}}', 'oom1')).stdout.trim();
      expect((await docker('rm', 'oom1')).code).toBe(0);
      await expectNoLeaks([id]);
    }, 300_000);

    it('100 MB to stdout: the json-file log has every line, the engine’s memory stays bounded', async () => {
      const engineRss = () => peakRss(engineProcess(engine.pid));
      const before = engineRss();
      const loud = sh(
        'l=aaaaaaaaaa; l=$l$l$l$l$l$l$l$l$l$l; l=$l$l$l$l$l$l$l$l$l$l; /bin/busybox yes $l | /bin/busybox head -n 100000',
      );
      const run = await runDetached(engine, 'loud', image, loud, NO_NETWORK);
      expect(run.code, run.stderr).toBe(0);
      const id = run.stdout.trim();
      expect((await docker('wait', 'loud')).stdout.trim()).toBe('0');
      const log = `${engine.root}/containers/${id}/${id}-json.log`;
      // The copier drains the FIFO after the exit (dockerd waits for it before the task goes).
      let seen = await readLog(log);
      for (let i = 0; i < 60 && seen.count < 100_000; i++) {
        await new Promise((r) => setTimeout(r, 500));
        seen = await readLog(log);
      }
      const { count, intact } = seen;
      expect({ count, intact }).toEqual({ count: 100_000, intact: true });
      // 100 MB went through the engine; its peak resident memory grew by far less.
      expect(engineRss() - before).toBeLessThan(64 * 1024 * 1024);
      expect((await docker('rm', 'loud')).code).toBe(0);
      await expectNoLeaks([id]);
    }, 300_000);
  },
);

// Volumes, docker cp, rename, update, restart policies and the host and none networks of real
// containers, through the machines: the docker CLI against `dockstep engine`, checked against what
// a private dockerd 20.10 answered for the same commands (test/fixtures/real-engine/
// u-volumes-in-containers.txt, v-cp-archive.txt, w-update.txt, q-volumes-prune.txt,
// r-rename-port.txt, o-restart-policies.txt). The local driver's directories
// are real, under the engine's root; every test leaves no shim, no mount and no scratch directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { cgroupFile, eventually, hostileTar } from './helpers/hostChecks.ts';
import { mountsUnder, shimsOf } from './helpers/hostLeaks.ts';
import { runDetached, SLEEP } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';

/** An engine on a bridge of this suite's own (`dsv…`), so it never meets another engine's. */
const suite = suiteEngine('volumes', 'dsv');
const { work } = suite;
let engine: RunningEngine;
let image: string;
const shimCount = (dir: string): number => shimsOf(dir).length;

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 120_000 });
}

/** `docker run --rm --network none IMAGE sh -c SCRIPT` with `flags` before the image. */
function sh(flags: string[], script: string): ReturnType<typeof docker> {
  return docker('run', '--rm', '--network', 'none', ...flags, image, 'sh', '-c', script);
}

const volumeDir = (name: string): string => join(engine.root, 'volumes', name);

/** The events of the last `since` seconds as `type action id attributes` lines. */
async function eventsSince(since: number): Promise<string[]> {
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  const r = await docker(
    'events',
    '--since',
    String(since),
    '--until',
    until,
    '--format',
    '{{.Type}} {{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}',
  );
  return r.stdout.trim().split('\n').filter(Boolean);
}

realSuite(
  'volumes, rename, restart policies and networks of real containers',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      ({ engine, image } = await suite.start());
    }, 180_000);
    afterAll(() => suite.stop(), 120_000);

    it('a named volume outlives its containers, is in use while one exists, and goes with volume rm', async () => {
      const since = Math.floor(Date.now() / 1000);
      const first = await docker(
        'run',
        '--name',
        'w1',
        '--network',
        'none',
        '-v',
        'data1:/data',
        image,
        'sh',
        '-c',
        'echo hello > /data/f; ls /data',
      );
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe('f\n');
      expect(readFileSync(join(volumeDir('data1'), '_data', 'f'), 'utf8')).toBe('hello\n');
      const mounts = JSON.parse((await docker('inspect', '-f', '{{json .Mounts}}', 'w1')).stdout) as unknown;
      expect(mounts).toEqual([
        {
          Type: 'volume',
          Name: 'data1',
          Source: join(volumeDir('data1'), '_data'),
          Destination: '/data',
          Driver: 'local',
          Mode: 'z',
          RW: true,
          Propagation: '',
        },
      ]);
      expect((await sh(['-v', 'data1:/data'], 'cat /data/f')).stdout).toBe('hello\n');
      const id = (await docker('inspect', '-f', '{{.Id}}', 'w1')).stdout.trim();
      const inUse = await docker('volume', 'rm', 'data1');
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toBe(`Error response from daemon: remove data1: volume is in use - [${id}]\n`);
      expect((await docker('rm', 'w1')).code).toBe(0);
      expect((await docker('volume', 'rm', 'data1')).stdout).toBe('data1\n');
      expect(existsSync(volumeDir('data1'))).toBe(false);
      // dockerd's order: the volume is made before the container, mounted before its start, unmounted after its death.
      const lines = (await eventsSince(since)).filter((l) => l.includes(id) || l.startsWith('volume'));
      const actions = lines.map((l) => l.split(' ').slice(0, 2).join(' '));
      expect(actions.slice(0, 7)).toEqual([
        'volume create',
        'container create',
        'container attach',
        'volume mount',
        'container start',
        'container die',
        'volume unmount',
      ]);
      expect(lines[3]).toContain(
        `"destination":"/data","driver":"local","propagation":"","read/write":"true"`,
      );
    }, 180_000);

    it('an empty volume is filled from the image unless nocopy; anonymous volumes go with rm -v', async () => {
      const copied = await sh(['-v', 'etcvol:/etc'], 'ls /etc');
      expect(copied.stdout.split('\n')).toEqual(
        expect.arrayContaining(['conf.d', 'passwd', 'hostname', 'hosts']),
      );
      expect(readdirSync(join(volumeDir('etcvol'), '_data'))).toEqual(
        expect.arrayContaining(['conf.d', 'passwd']),
      );
      const empty = await sh(['--mount', 'type=volume,source=mvol,target=/etc,volume-nocopy'], 'ls /etc');
      expect(empty.stdout).not.toContain('passwd');
      const created = await docker(
        'create',
        '--name',
        'w2',
        '-v',
        '/anon',
        '-v',
        'keep:/keep',
        image,
        'true',
      );
      expect(created.code, created.stderr).toBe(0);
      const anon = (
        await docker(
          'inspect',
          '-f',
          '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}',
          'w2',
        )
      ).stdout.trim();
      expect(anon).toMatch(/^[0-9a-f]{64}$/);
      expect(existsSync(volumeDir(anon))).toBe(true);
      expect((await docker('rm', '-v', 'w2')).code).toBe(0);
      expect(existsSync(volumeDir(anon))).toBe(false);
      expect((await docker('volume', 'ls', '-q')).stdout.split('\n').filter(Boolean).sort()).toEqual([
        'etcvol',
        'keep',
        'mvol',
      ]);
      // API 1.44: prune takes only anonymous volumes unless -a (dockerd 20.10's API 1.41 takes all).
      expect((await docker('volume', 'prune', '-f')).stdout).toBe('Total reclaimed space: 0B\n');
      const all = await docker('volume', 'prune', '-af');
      expect(all.stdout).toMatch(/^Deleted Volumes:\n(etcvol|keep|mvol)\n/);
      expect((await docker('volume', 'ls', '-q')).stdout).toBe('');
      expect(readdirSync(join(engine.root, 'volumes'))).toEqual([]);
    }, 180_000);

    it('volume create, inspect and rm answer as dockerd', async () => {
      expect((await docker('volume', 'create', 'v1')).stdout).toBe('v1\n');
      const inspect = await docker(
        'volume',
        'inspect',
        '-f',
        '{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Scope}}',
        'v1',
      );
      expect(inspect.stdout).toBe(`v1 local ${join(volumeDir('v1'), '_data')} local\n`);
      const missing = await docker('volume', 'inspect', 'nosuch');
      expect(missing.stderr).toBe('Error response from daemon: get nosuch: no such volume\n');
      expect((await docker('volume', 'rm', 'nosuch')).stderr).toBe(
        'Error response from daemon: get nosuch: no such volume\n',
      );
      expect((await docker('volume', 'rm', 'v1')).stdout).toBe('v1\n');
      const bad = await sh(['-v', 'bad@name:/x'], 'true');
      expect(bad.stderr).toContain(
        'Error response from daemon: create bad@name: "bad@name" includes invalid characters for a local volume name',
      );
      // A -v bind's missing host directory is made; a --mount bind's is refused at create (u-volumes-in-containers.txt).
      const made = join(work.path, 'made', 'dir');
      expect((await sh(['-v', `${made}:/h`], 'ls /h')).code).toBe(0);
      expect(existsSync(made)).toBe(true);
      const refused = await sh(['--mount', `type=bind,source=${join(work.path, 'none')},target=/h`], 'true');
      expect(refused.code).toBe(125);
      expect(refused.stderr).toContain(
        `Error response from daemon: invalid mount config for type "bind": bind source path does not exist: ${join(work.path, 'none')}\n`,
      );
    }, 60_000);

    it('rename, container prune, and restart policies: on-failure counts, always ends at stop', async () => {
      const made = await docker('create', '--name', 'r1', '--network', 'none', image, 'true');
      expect(made.code, made.stderr).toBe(0);
      expect((await docker('rename', 'r1', 'r2')).code).toBe(0);
      expect((await docker('ps', '-a', '--format', '{{.Names}}')).stdout).toBe('r2\n');
      expect((await docker('rename', 'r2', 'r2')).stderr).toMatch(
        /^Error response from daemon: Renaming a container with the same name as its current name\n/,
      );
      const failing = await docker(
        'run',
        '-d',
        '--name',
        'rf',
        '--network',
        'none',
        '--restart',
        'on-failure:2',
        image,
        'sh',
        '-c',
        'exit 3',
      );
      expect(failing.code, failing.stderr).toBe(0);
      await eventually(
        async () =>
          (await docker('inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'rf')).stdout ===
          '2 exited\n',
        'two restarts',
      );
      const always = await docker(
        'run',
        '-d',
        '--name',
        'ra',
        '--network',
        'none',
        '--restart',
        'always',
        image,
        'sh',
        '-c',
        'exit 1',
      );
      expect(always.code, always.stderr).toBe(0);
      await eventually(
        async () => Number((await docker('inspect', '-f', '{{.RestartCount}}', 'ra')).stdout) >= 2,
        'restarts',
      );
      expect((await docker('stop', 'ra')).code).toBe(0);
      const count = (await docker('inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'ra')).stdout;
      expect(count).toMatch(/ exited\n$/);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await docker('inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'ra')).stdout).toBe(count);
      const pruned = await docker('container', 'prune', '-f');
      expect(pruned.stdout).toMatch(/^Deleted Containers:\n/);
      expect(pruned.stdout.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l))).toHaveLength(3);
      expect((await docker('ps', '-aq')).stdout).toBe('');
    }, 180_000);

    it('docker cp both ways, and the path stat as dockerd gives it', async () => {
      const local = join(work.path, 'cp');
      mkdirSync(join(local, 'd', 'sub'), { recursive: true });
      writeFileSync(join(local, 'in.txt'), 'payload\n');
      writeFileSync(join(local, 'd', 'sub', 'y'), 'y\n');
      const run = await runDetached(engine, 'cp1', image, SLEEP, ['--network', 'none']);
      expect(run.code, run.stderr).toBe(0);
      expect((await docker('cp', join(local, 'in.txt'), 'cp1:/tmp/')).code).toBe(0);
      expect((await docker('cp', join(local, 'd'), 'cp1:/tmp/d')).code).toBe(0);
      expect((await docker('cp', 'cp1:/tmp/d', join(local, 'back'))).code).toBe(0);
      expect(readFileSync(join(local, 'back', 'sub', 'y'), 'utf8')).toBe('y\n');
      expect((await docker('cp', 'cp1:/tmp/in.txt', join(local, 'out.txt'))).code).toBe(0);
      expect(readFileSync(join(local, 'out.txt'), 'utf8')).toBe('payload\n');
      const missing = await docker('cp', 'cp1:/nosuch', join(local, 'x'));
      expect(missing.stderr).toBe(
        'Error response from daemon: Could not find the file /nosuch in container cp1\n',
      );
      // The stat header is dockerd's, byte for byte (v-cp-archive.txt: /bin/sh links to /bin/busybox).
      const head = await engine.request('HEAD', '/v1.41/containers/cp1/archive?path=/bin/sh');
      const stat = JSON.parse(
        Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString(),
      );
      expect(stat).toEqual({
        name: 'sh',
        size: 7,
        mode: 134218239,
        mtime: '2023-11-14T22:13:20Z',
        linkTarget: '/bin/busybox',
      });
    }, 180_000);

    it('docker cp never writes outside the container, and copies into a stopped one', async () => {
      const local = join(work.path, 'cp');
      // `..` and links lead nowhere outside: a tar whose link points at a host directory and
      // whose next entry goes through it lands in the container's own directory.
      const outside = join(work.path, 'host-side');
      const put = await engine.request('PUT', '/v1.41/containers/cp1/archive?path=/tmp', {
        body: hostileTar(local, outside),
      });
      expect(put.status, put.text).toBe(200);
      expect((await docker('cp', join(local, 'in.txt'), 'cp1:/../../../../up.txt')).code).toBe(0);
      expect(readdirSync(outside)).toEqual([]);
      expect(existsSync('/up.txt')).toBe(false);
      expect((await docker('stop', '-t', '0', 'cp1')).code).toBe(0);
      expect((await docker('cp', join(local, 'in.txt'), 'cp1:/stopped.txt')).code).toBe(0);
      for (const [from, to] of [
        ['cp1:/up.txt', 'up.txt'],
        ['cp1:/stopped.txt', 'stopped.txt'],
        [`cp1:${outside}/x`, 'x'],
      ] as const) {
        const back = await docker('cp', from, join(local, to));
        expect(back.code, back.stderr).toBe(0);
      }
      expect(readFileSync(join(local, 'stopped.txt'), 'utf8')).toBe('payload\n');
      expect(readFileSync(join(local, 'x'), 'utf8')).toBe('x\n');
      expect((await docker('rm', 'cp1')).code).toBe(0);
    }, 180_000);

    it('docker update: the limits reach the cgroup files through the shim, refusals as dockerd 20.10', async () => {
      const run = await docker(
        'run',
        '-d',
        '--name',
        'u1',
        '--network',
        'none',
        '-m',
        '64m',
        image,
        '/bin/busybox',
        'sleep',
        '1000',
      );
      expect(run.code, run.stderr).toBe(0);
      const id = run.stdout.trim();
      const updated = await docker('update', '--memory', '100m', '--cpus', '0.5', 'u1');
      expect(updated.code, updated.stderr).toBe(0);
      expect(updated.stdout).toBe('u1\n');
      expect(cgroupFile(id, 'memory', 'memory.limit_in_bytes', 'memory.max')).toBe(String(100 * 2 ** 20));
      expect(cgroupFile(id, 'cpu', 'cpu.cfs_quota_us', 'cpu.max')).toMatch(/^50000( 100000)?$/);
      const inspect = await docker(
        'inspect',
        '-f',
        '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}',
        'u1',
      );
      expect(inspect.stdout).toBe(`${100 * 2 ** 20} ${128 * 2 ** 20}\n`);
      // Above the swap limit it has (twice the -m it was made with), memory alone is refused (w-update.txt).
      const refused = await docker('update', '--memory', '200m', 'u1');
      expect(refused.stderr).toBe(
        `Error response from daemon: Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n`,
      );
      expect((await docker('update', '--memory', '1m', 'u1')).stderr).toBe(
        'Error response from daemon: Minimum memory limit allowed is 6MB\n',
      );
      expect((await docker('rm', '-f', 'u1')).code).toBe(0);
    }, 120_000);

    it('--network host shares the host network namespace, none has only lo', async () => {
      const host = await docker(
        'run',
        '--rm',
        '--network',
        'host',
        image,
        '/bin/busybox',
        'readlink',
        '/proc/self/ns/net',
      );
      expect(host.stdout.trim()).toBe(readlinkSync('/proc/self/ns/net'));
      const none = await sh([], 'ls /sys/class/net');
      expect(none.stdout).toBe('lo\n');
      await until(() => shimCount(engine.dir) === 0, 'the shims to exit');
      // The rootfs is unmounted after the shim exits, off the answer's path (engine/image/offThread.ts).
      await until(() => mountsUnder(engine.dir).length === 0, 'the rootfs to be unmounted');
    }, 120_000);
  },
);

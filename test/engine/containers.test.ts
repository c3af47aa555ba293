// Real containers through the machines: the docker CLI against `dockstep engine` runs, lists,
// inspects, stops and removes containers that are real processes under the real
// containerd-shim-runc-v2 and runc, with the engine's own paths (its run directory, its cgroup
// parent /dockstep). The trace's runc messages carry the argv the recorder saw and what /proc
// showed of the init; a SIGTERM to the engine stops its containers as dockerd does. Every test
// ends with nothing left: no shim, no mount under the engine's directory, no cgroup.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { follow } from './helpers/follow.ts';
import { cgroupsOf, mountsUnder, netnsOf, shimsOf as shims } from './helpers/hostLeaks.ts';
import type { Registry } from './helpers/registry.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';
import { countLeaks, teardown } from '../../engine/net/index.ts';
import { engineBridge } from '../../engine/real/world.ts';

/** An engine on a bridge of this suite's own (`dst…`), so it never meets another engine's. */
const suite = suiteEngine('containers', 'dst');
const { bridge } = suite;
let registry: Registry;
let engine: RunningEngine;
let image: string;
const port = 20_000 + Math.floor(Math.random() * 5_000);

/** The body of the first answer from `url` (the server in the container may still be starting). */
async function firstAnswer(url: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const body = await fetch(url).then(
      (r) => r.text(),
      () => undefined,
    );
    if (body !== undefined) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer from ${url}`);
}

/** `docker run -d` of a busybox sleep with no network, named `name`. */
function sleeper(name: string): ReturnType<typeof docker> {
  return docker('run', '-d', '--name', name, '--network', 'none', image, '/bin/busybox', 'sleep', '1000');
}

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 120_000 });
}

realSuite(
  'real containers through the machines',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      ({ registry, engine, image } = await suite.start());
    }, 180_000);
    afterAll(() => suite.stop(), 120_000);

    it('runs a container for real: ps, inspect, stop, rm, and nothing is left', async () => {
      const run = await sleeper('sleeper');
      expect(run.code, run.stderr).toBe(0);
      const id = run.stdout.trim();
      const ps = await docker('ps', '--format', '{{.Names}} {{.Status}}');
      expect(ps.stdout).toMatch(/^sleeper Up /m);
      const pid = Number((await docker('inspect', '-f', '{{.State.Pid}}', 'sleeper')).stdout.trim());
      expect(pid).toBeGreaterThan(0);
      // The process is real: busybox sleep, in a cgroup under the engine's parent, not Docker's.
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual([
        '/bin/busybox',
        'sleep',
        '1000',
        '',
      ]);
      expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/dockstep/${id}`);
      // Docker's defaults, as a private dockerd 20.10 gave its container here (fixtures s-security.txt).
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      expect(status).toMatch(/^CapEff:\s+00000000a80425fb$/m);
      expect(status).toMatch(/^Seccomp:\s+2$/m);
      expect(status).toMatch(/^NoNewPrivs:\s+0$/m);
      expect(shims(engine.dir)).toHaveLength(1);
      expect(mountsUnder(engine.dir)).toHaveLength(1);
      // PID 1 ignores SIGTERM it has no handler for: the stop ends in SIGKILL, 137 (as dockerd's).
      const stop = await docker('stop', '-t', '1', 'sleeper');
      expect(stop.code, stop.stderr).toBe(0);
      expect((await docker('ps', '-a', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(
        /^sleeper Exited \(137\)/m,
      );
      expect(existsSync(`/proc/${pid}`)).toBe(false);
      expect((await docker('rm', 'sleeper')).code).toBe(0);
      expect((await docker('ps', '-a', '-q')).stdout.trim()).toBe('');
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
      // The rootfs is unmounted after the shim exits, off the answer's path (engine/image/offThread.ts).
      await until(() => mountsUnder(engine.dir).length === 0, 'the rootfs to be unmounted');
      expect(cgroupsOf(id)).toEqual([]);
    }, 180_000);

    it('docker logs: both streams from the json-file log, -f until the container ends, --tail', async () => {
      const script = 'echo out1; echo err1 >&2; /bin/busybox sleep 1; echo out2';
      const run = await docker(
        'run',
        '-d',
        '--name',
        'talker',
        '--network',
        'none',
        image,
        '/bin/sh',
        '-c',
        script,
      );
      expect(run.code, run.stderr).toBe(0);
      const followed = await docker('logs', '-f', 'talker');
      expect(followed.code, followed.stderr).toBe(0);
      expect(followed.stdout).toBe('out1\nout2\n');
      expect(followed.stderr).toBe('err1\n');
      expect((await docker('logs', '--tail', '1', 'talker')).stdout).toBe('out2\n');
      const stamped = await docker('logs', '-t', 'talker');
      expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out1$/m);
      const id = run.stdout.trim();
      // The two streams are two FIFOs, copied side by side: their lines interleave as they come.
      const lines = readFileSync(`${engine.root}/containers/${id}/${id}-json.log`, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { log: string; stream: string });
      expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.log)).toEqual(['out1\n', 'out2\n']);
      expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.log)).toEqual(['err1\n']);
      expect((await docker('rm', 'talker')).code).toBe(0);
      expect(existsSync(`${engine.root}/containers/${id}`)).toBe(false);
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
    }, 180_000);

    it('a foreground docker run --rm: its output through the attach, its exit status, nothing left', async () => {
      const snapshots = readdirSync(`${engine.root}/snapshots`).length;
      const run = await docker(
        'run',
        '--rm',
        '--network',
        'none',
        image,
        '/bin/sh',
        '-c',
        'echo hello; echo oops >&2; exit 4',
      );
      expect(run).toEqual({ stdout: 'hello\n', stderr: 'oops\n', code: 4 });
      expect((await docker('ps', '-a', '-q')).stdout.trim()).toBe('');
      // dockerd's auto-remove (its own operation, no client's) removed the writable layer too.
      await until(() => readdirSync(`${engine.root}/snapshots`).length === snapshots, 'the snapshot to go');
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
      // The rootfs is unmounted after the shim exits, off the answer's path (engine/image/offThread.ts).
      await until(() => mountsUnder(engine.dir).length === 0, 'the rootfs to be unmounted');
    }, 180_000);

    it('a process that exits at once: docker wait gives its status', async () => {
      const run = await docker(
        'run',
        '-d',
        '--name',
        'quick',
        '--network',
        'none',
        image,
        '/bin/sh',
        '-c',
        'exit 3',
      );
      expect(run.code, run.stderr).toBe(0);
      const wait = await docker('wait', 'quick');
      expect(wait.stdout.trim()).toBe('3');
      expect(
        (await docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'quick')).stdout.trim(),
      ).toBe('exited 3');
      expect((await docker('rm', 'quick')).code).toBe(0);
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
    }, 180_000);

    it('the trace shows the runc calls that really ran, and the init as /proc showed it', async () => {
      const follower = await follow(engine.host);
      try {
        const run = await sleeper('traced');
        expect(run.code, run.stderr).toBe(0);
        await until(() => /publish \/tasks\/start/.test(follower.out()), 'the start in the trace');
        const lines = follower.out();
        const runDir = `${engine.dir}/run/dockstep.sock.run`;
        expect(lines).toContain(
          `runc --> shim: runc --root ${runDir}/runc/moby create --bundle ${runDir}/tasks/moby/`,
        );
        expect(lines).toMatch(
          /runc -> Kernel: runc init pid \d+ in new namespaces \([A-Z_|]*CLONE_NEWNS[A-Z_|]*\): .*mount:\[\d+\]/,
        );
        expect(lines).toMatch(/runc -> Kernel: pivot_root: \/ of pid \d+ is overlay .*lowerdir=/);
        expect(lines).toContain('execve(/bin/busybox sleep 1000)');
        expect(lines).toMatch(
          /shim --> containerd: \/usr\/bin\/containerd-shim-runc-v2 -namespace moby -address \S+ -id \w+ start → unix:\/\/\/run\/containerd\/s\/\w+ \(shim pid \d+/,
        );
      } finally {
        await follower.stop();
        // Removed even when a check failed: the next cases count shims and containers.
        expect((await docker('rm', '-f', 'traced')).code).toBe(0);
      }
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
    }, 180_000);

    it('refuses bad requests as dockerd does, and keeps serving', async () => {
      const unknown = await docker('create', '--name', 'nope', `${registry.host}/missing:v1`);
      expect(unknown.code).not.toBe(0);
      const created = await docker('create', '--name', 'twice', image, '/bin/busybox', 'true');
      expect(created.code, created.stderr).toBe(0);
      const clash = await docker('create', '--name', 'twice', image, '/bin/busybox', 'true');
      expect(clash.stderr).toContain('Conflict. The container name "/twice" is already in use');
      const body = await engine.request('POST', '/containers/create', {
        body: '[1,2',
        headers: { 'content-type': 'application/json' },
      });
      // dockerd 20.10 answers Go's decoder error untyped: 500 (u-create-refusals.txt).
      expect({ status: body.status, text: body.text }).toEqual({
        status: 500,
        text: '{"message":"unexpected EOF"}\n',
      });
      const missing = await docker('start', 'nosuch');
      expect(missing.stderr).toContain('No such container: nosuch');
      expect((await docker('rm', 'twice')).code).toBe(0);
      expect((await docker('ps', '-a', '-q')).stdout.trim()).toBe('');
    }, 180_000);

    it('a container on the bridge: its address, /etc/hosts, a port published on loopback; rm leaves no veth, netns or rule', async () => {
      const run = await docker(
        'run',
        '-d',
        '--name',
        'web',
        '-p',
        `127.0.0.1:${port}:8080`,
        image,
        '/bin/busybox',
        'httpd',
        '-f',
        '-p',
        '8080',
        '-h',
        '/etc',
      );
      expect(run.code, run.stderr).toBe(0);
      const [ip = '', pidText = ''] = (
        await docker('inspect', '-f', '{{.NetworkSettings.IPAddress}} {{.State.Pid}}', 'web')
      ).stdout
        .trim()
        .split(' ');
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const hosts = readFileSync(`/proc/${pidText}/root/etc/hosts`, 'utf8');
      expect(hosts).toContain(`${ip}\t${run.stdout.trim().slice(0, 12)}`);
      // The container's own web server answers on the host's loopback through the published port.
      const answer = await firstAnswer(`http://127.0.0.1:${port}/hostname`);
      expect(answer.trim()).toBe(run.stdout.trim().slice(0, 12));
      const net = engineBridge(engine.root, bridge);
      expect((await countLeaks(net.cfg)).veths).toBe(1);
      // The netns directory is shared by every engine on the host: only this container's file counts.
      const netns = netnsOf(engine.root, bridge, [run.stdout.trim()]);
      expect(netns).toHaveLength(1);
      expect((await docker('rm', '-f', 'web')).code).toBe(0);
      const after = await countLeaks(net.cfg);
      const netnsLeft = netns.filter((f) => existsSync(f)).length;
      expect({ veths: after.veths, netns: netnsLeft, rules: after.portRules }).toEqual({
        veths: 0,
        netns: 0,
        rules: 0,
      });
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
      await teardown(net);
      expect((await countLeaks(net.cfg)).bridge).toBe(false);
    }, 180_000);

    it('SIGTERM to the engine stops its containers, as dockerd without live-restore', async () => {
      const run = await sleeper('last');
      expect(run.code, run.stderr).toBe(0);
      const pid = Number((await docker('inspect', '-f', '{{.State.Pid}}', 'last')).stdout.trim());
      const dir = engine.dir;
      await engine.stop();
      expect(existsSync(`/proc/${pid}`)).toBe(false);
      expect(shims(dir)).toEqual([]);
      expect(mountsUnder(dir)).toEqual([]);
      expect(cgroupsOf(run.stdout.trim())).toEqual([]);
    }, 180_000);
  },
);

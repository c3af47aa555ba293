// docker exec, top and stats for real: the docker CLI against `dockstep engine`, whose machines
// drive the real containerd-shim-runc-v2 (Exec, Start with the exec id, Pids, Stats, ResizePty,
// Delete of the exec) and runc (`runc exec`, its argv in the trace). What the CLI prints and
// exits with is what a private dockerd 20.10 gave for the same commands
// (test/fixtures/real-engine/f-exec.txt, w-exec-top-stats.txt). One container serves the whole
// suite; at the end nothing is left: no shim, no mount, no FIFO.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { DOCKER, type RunningEngine } from './helpers/engine.ts';
import { follow } from './helpers/follow.ts';
import { mountsUnder, shimsOf as shims } from './helpers/hostLeaks.ts';
import type { Registry } from './helpers/registry.ts';
import { runDetached, SLEEP } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
/** An engine on a bridge of this suite's own (`dsx…`), so it never meets another engine's. */
const suite = suiteEngine('exec', 'dsx');
let registry: Registry;
let engine: RunningEngine;

function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 120_000 });
}

/** The docker CLI with `input` on its stdin. */
async function dockerWithInput(args: string[], input: string): Promise<{ stdout: string; code: number }> {
  const env = { ...process.env, DOCKER_HOST: engine.host, DOCKER_CONFIG: join(engine.dir, 'docker-config') };
  const child = run(DOCKER, args, { env, timeout: 120_000 });
  child.child.stdin?.end(input);
  try {
    return { stdout: (await child).stdout, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; code?: number };
    return { stdout: e.stdout ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}

/** The first `count` lines of a streamed answer, then the connection is closed. */
function firstLines(path: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: engine.socket, method: 'GET', path }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const lines = text.split('\n').slice(0, -1);
        if (lines.length < count) return;
        req.destroy();
        resolve(lines.slice(0, count));
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

/** The docker CLI with a terminal (`script` gives it a pty), fed `input`. */
async function dockerInPty(command: string, input: string): Promise<{ out: string; code: number }> {
  const env = { ...process.env, DOCKER_HOST: engine.host, DOCKER_CONFIG: join(engine.dir, 'docker-config') };
  const child = run('script', ['-qec', `${DOCKER} ${command}`, '/dev/null'], { env, timeout: 120_000 });
  child.child.stdin?.end(input);
  try {
    return { out: (await child).stdout, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; code?: number };
    return { out: e.stdout ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}

realSuite(
  'docker exec, top and stats through the machines',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      const started = await suite.start();
      ({ registry, engine } = started);
      const { image } = started;
      const web = await runDetached(engine, 'web', image, SLEEP, ['--network', 'none']);
      expect(web.code, web.stderr).toBe(0);
    }, 180_000);
    afterAll(() => suite.stop(), 120_000);

    it('docker exec prints the output of both streams and exits with the process, as dockerd 20.10', async () => {
      const ls = await docker('exec', 'web', 'ls', '/');
      expect(ls.code, ls.stderr).toBe(0);
      expect(ls.stdout.split('\n')).toEqual(expect.arrayContaining(['bin', 'etc', 'proc', 'tmp']));
      const five = await docker('exec', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 5');
      expect(five).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 5 });
      // f-exec.txt: the error inside the stream, on stdout, ended with CR LF; exit 126.
      const missing = await docker('exec', 'web', 'nosuchcmd');
      expect(missing).toEqual({
        stdout:
          'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\r\n',
        stderr: '',
        code: 126,
      });
      expect(await docker('exec', 'nosuch', 'echo', 'hi')).toEqual({
        stdout: '',
        stderr: 'Error response from daemon: No such container: nosuch\n',
        code: 1,
      });
    }, 180_000);

    it('-e, -w and -u: the environment, the directory and the user of the container’s /etc/passwd', async () => {
      const script = 'echo $A $HOSTNAME; pwd; /bin/busybox id';
      const r = await docker('exec', '-e', 'A=1', '-w', '/tmp', '-u', 'nobody', 'web', 'sh', '-c', script);
      expect(r.code, r.stderr).toBe(0);
      const [env = '', cwd = '', id = ''] = r.stdout.split('\n');
      expect(env).toMatch(/^1 [0-9a-f]{12}$/);
      expect(cwd).toBe('/tmp');
      expect(id).toMatch(/^uid=65534\(nobody\) gid=65534/);
      expect((await docker('exec', '-u', '4242:7', 'web', '/bin/busybox', 'id')).stdout).toMatch(
        /^uid=4242 gid=7/,
      );
      // w-exec-top-stats.txt: an unknown name fails before the process is made.
      expect(await docker('exec', '-u', 'nosuchuser', 'web', 'true')).toEqual({
        stdout: 'unable to find user nosuchuser: no matching entries in passwd file\r\n',
        stderr: '',
        code: 126,
      });
    }, 180_000);

    it('docker exec -d runs in the background; a detached missing program is the answer, 400', async () => {
      const d = await docker('exec', '-d', 'web', 'sh', '-c', 'echo done > /tmp/detached');
      expect(d).toEqual({ stdout: '', stderr: '', code: 0 });
      let seen = '';
      for (let i = 0; i < 200 && seen !== 'done\n'; i++)
        seen = (await docker('exec', 'web', 'cat', '/tmp/detached')).stdout;
      expect(seen).toBe('done\n');
      const missing = await docker('exec', '-d', 'web', 'nosuchcmd');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        'Error response from daemon: OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\n',
      );
    }, 180_000);

    it('docker exec -i: the client’s input is the process’s stdin, its end the process’s end of input', async () => {
      const r = await dockerWithInput(['exec', '-i', 'web', 'sh', '-c', 'cat; echo eof'], 'hello\nworld\n');
      expect(r).toEqual({ stdout: 'hello\nworld\neof\n', code: 0 });
    }, 180_000);

    it('docker exec -it: an interactive shell on the shim’s console', async () => {
      const r = await dockerInPty('exec -it web /bin/sh', 'tty; echo hi-$((40+2)); exit 7\n');
      expect(r.code).toBe(7);
      expect(r.out).toMatch(/\/dev\/pts\/\d+/);
      expect(r.out).toContain('hi-42');
    }, 180_000);

    it('docker run -i, -t and -it, and docker start -a -i: stdin, the console, the exit status', async () => {
      const image = `${registry.host}/busybox:v1`;
      const none = ['--rm', '--network', 'none', image];
      expect(await dockerWithInput(['run', '-i', ...none, 'sh', '-c', 'cat; echo end'], 'hello\n')).toEqual({
        stdout: 'hello\nend\n',
        code: 0,
      });
      // A TTY is one stream, the console's: CR LF line ends, stderr on it too.
      const tty = await docker('run', '-t', ...none, 'sh', '-c', 'echo out; echo err >&2; exit 3');
      expect(tty).toEqual({ stdout: 'out\r\nerr\r\n', stderr: '', code: 3 });
      const it = await dockerInPty(`run -it ${none.join(' ')} /bin/sh`, 'echo hi-$((40+2)); exit 9\n');
      expect(it.code).toBe(9);
      expect(it.out).toContain('hi-42');
      const created = await docker('create', '-i', '--name', 'later', '--network', 'none', image, 'cat');
      expect(created.code, created.stderr).toBe(0);
      expect(await dockerWithInput(['start', '-a', '-i', 'later'], 'again\n')).toEqual({
        stdout: 'again\n',
        code: 0,
      });
      expect((await docker('rm', 'later')).code).toBe(0);
    }, 180_000);

    it('docker top: the task’s pids from the shim, ps as dockerd runs it', async () => {
      const pid = (await docker('inspect', '-f', '{{.State.Pid}}', 'web')).stdout.trim();
      const top = await docker('top', 'web');
      expect(top.code, top.stderr).toBe(0);
      const [head = '', ...rows] = top.stdout.trim().split('\n');
      expect(head.split(/\s+/)).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
      expect(rows.map((r) => r.split(/\s+/)[1])).toEqual([pid]);
      expect(rows[0]).toMatch(/ \/bin\/busybox sleep 1000$/);
      const picked = await docker('top', 'web', '-o', 'pid,comm');
      expect(
        picked.stdout
          .trim()
          .split('\n')
          .map((l) => l.trim().split(/\s+/)),
      ).toEqual([
        ['PID', 'COMMAND'],
        [pid, 'busybox'],
      ]);
    }, 180_000);

    it('docker stats --no-stream: the shim’s cgroup metrics in dockerd’s shape', async () => {
      const stats = await docker('stats', '--no-stream', '--format', '{{json .}}', 'web');
      expect(stats.code, stats.stderr).toBe(0);
      const row = JSON.parse(stats.stdout) as Record<string, string>;
      expect(row.Name).toBe('web');
      expect(row.PIDs).toBe('1');
      expect(row.MemUsage).not.toMatch(/^0B \//);
      const raw = await engine.request('GET', '/containers/web/stats?stream=false');
      expect(raw.status).toBe(200);
      const body = JSON.parse(raw.text) as {
        name: string;
        read: string;
        preread: string;
        memory_stats: { usage: number; limit: number };
        cpu_stats: { online_cpus: number; system_cpu_usage: number; cpu_usage: { total_usage: number } };
        precpu_stats: { system_cpu_usage: number };
      };
      expect(body.name).toBe('/web');
      expect(body.memory_stats.usage).toBeGreaterThan(0);
      expect(body.memory_stats.limit).toBeGreaterThan(0);
      expect(body.cpu_stats.online_cpus).toBeGreaterThan(0);
      expect(body.cpu_stats.system_cpu_usage).toBeGreaterThan(body.precpu_stats.system_cpu_usage);
      expect(Date.parse(body.read)).toBeGreaterThan(Date.parse(body.preread));
      // A stream is one JSON value per line, as Go's json.Decoder reads it (docker stats); it
      // goes on until the client leaves (cpStats.test.ts): two frames are read here.
      const frames = (await firstLines('/containers/web/stats?stream=true', 2)).map(
        (l) => JSON.parse(l) as { name: string },
      );
      expect(frames.length).toBe(2);
      expect(frames.every((f) => f.name === '/web')).toBe(true);
    }, 180_000);

    it('the trace shows the shim’s Exec and Start and the runc exec that ran', async () => {
      const follower = await follow(engine.host);
      try {
        expect((await docker('exec', 'web', '/bin/busybox', 'true')).code).toBe(0);
        await until(() => /exec_die|Task\/Delete\(exec_id/.test(follower.out()), 'the exec in the trace');
        const lines = follower.out();
        expect(lines).toContain('containerd.task.v2.Task/Exec(exec_id=');
        expect(lines).toMatch(
          /runc --> shim: runc --root \S+ exec --process \S+ --detach --pid-file \S+ \w+/,
        );
      } finally {
        await follower.stop();
      }
    }, 180_000);

    it('rm -f leaves no shim, mount or FIFO behind', async () => {
      const id = (await docker('inspect', '-f', '{{.Id}}', 'web')).stdout.trim();
      expect((await docker('rm', '-f', 'web')).code).toBe(0);
      await until(() => shims(engine.dir).length === 0, 'the shim to exit');
      // The rootfs is unmounted after the shim exits, off the answer's path (engine/image/offThread.ts).
      await until(() => mountsUnder(engine.dir).length === 0, 'the rootfs to be unmounted');
      expect(existsSync(`${engine.dir}/run/dockstep.sock.run/fifo/${id}`)).toBe(false);
    }, 180_000);
  },
);

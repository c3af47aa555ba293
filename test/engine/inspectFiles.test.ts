// `docker inspect` of a container names the files the engine really keeps for it, as dockerd 20.10
// names its own (g-inspect-container-running.json, x-restore-cp-stats.txt part 5): the json log,
// the /etc files bind-mounted into the container (each the very file the container reads; on the
// host's network copies of the host's), and its
// snapshot's directories, under the engine's root; binds in the order the create body gave them.
import { existsSync, mkdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { runDetached, SLEEP } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';

const suite = suiteEngine('inspect-files', 'dsi');
let engine: RunningEngine;
let image: string;

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });

interface Inspected {
  Id: string;
  State: { Pid: number };
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  HostConfig: { Binds: string[] | null };
  NetworkSettings: { IPAddress: string };
  Config: Record<string, unknown>;
}

async function inspect(name: string): Promise<Inspected> {
  const out = await docker('inspect', name);
  expect(out.code, out.stderr).toBe(0);
  const [first] = JSON.parse(out.stdout) as Inspected[];
  if (first === undefined) throw new Error(`inspect ${name}: no answer`);
  return first;
}

/** POST /containers/create with `body` as given (the docker CLI sends -v binds in a map's order). */
function createRaw(name: string, body: object): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: engine.socket,
        method: 'POST',
        path: `/v1.41/containers/create?name=${name}`,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function runningCase(): void {
  it('a running container: its log and /etc files under <root>/containers/<id>, the very files it reads', async () => {
    const run = await runDetached(engine, 'f1', image, ['sh', '-c', 'echo hi; echo x > /marker; sleep 1000']);
    expect(run.code, run.stderr).toBe(0);
    const c = await inspect('f1');
    const dir = join(engine.root, 'containers', c.Id);
    expect(c.LogPath).toBe(join(dir, `${c.Id}-json.log`));
    expect(c.ResolvConfPath).toBe(join(dir, 'resolv.conf'));
    expect(c.HostnamePath).toBe(join(dir, 'hostname'));
    expect(c.HostsPath).toBe(join(dir, 'hosts'));
    const seen = (file: string): string => readFileSync(`/proc/${c.State.Pid}/root/etc/${file}`, 'utf8');
    expect(readFileSync(c.HostnamePath, 'utf8')).toBe(`${c.Id.slice(0, 12)}\n`);
    expect(seen('hostname')).toBe(readFileSync(c.HostnamePath, 'utf8'));
    expect(seen('hosts')).toBe(readFileSync(c.HostsPath, 'utf8'));
    expect(readFileSync(c.HostsPath, 'utf8')).toContain(
      `${c.NetworkSettings.IPAddress}\t${c.Id.slice(0, 12)}\n`,
    );
    expect(seen('resolv.conf')).toBe(readFileSync(c.ResolvConfPath, 'utf8'));
    expect((await docker('logs', 'f1')).stdout).toBe('hi\n');
    expect(readFileSync(c.LogPath, 'utf8')).toContain('"log":"hi\\n"');
  }, 120_000);
}

function graphDriverCase(): void {
  it("GraphDriver: the snapshot's directories, the container's writes in UpperDir, MergedDir its root while it runs", async () => {
    const c = await inspect('f1');
    expect(c.GraphDriver.Name).toBe('overlayfs');
    const data = c.GraphDriver.Data ?? {};
    expect(readFileSync(join(data.UpperDir ?? '', 'marker'), 'utf8')).toBe('x\n');
    expect(existsSync(data.WorkDir ?? '')).toBe(true);
    const lowers = (data.LowerDir ?? '').split(':');
    expect(lowers.length).toBeGreaterThan(0);
    expect(lowers.every((l) => existsSync(l))).toBe(true);
    expect(readFileSync(join(data.MergedDir ?? '', 'marker'), 'utf8')).toBe('x\n');
    expect((await docker('stop', '-t', '0', 'f1')).code).toBe(0);
    const stopped = await inspect('f1');
    expect(stopped.GraphDriver.Data?.MergedDir).toBeUndefined();
    expect(stopped.GraphDriver.Data?.UpperDir).toBe(data.UpperDir);
    // The files outlive the task, as dockerd's do; rm takes them with the directory.
    expect(
      [stopped.HostsPath, stopped.HostnamePath, stopped.ResolvConfPath, stopped.LogPath].every(existsSync),
    ).toBe(true);
    expect((await docker('rm', 'f1')).code).toBe(0);
    expect(existsSync(join(engine.root, 'containers', c.Id))).toBe(false);
  }, 120_000);
}

function noFilesCase(): void {
  it('a container never started names no file', async () => {
    expect((await docker('create', '--name', 'f2', image, 'true')).code).toBe(0);
    const created = await inspect('f2');
    expect([created.ResolvConfPath, created.HostnamePath, created.HostsPath, created.LogPath]).toEqual([
      '',
      '',
      '',
      '',
    ]);
    expect((await docker('rm', 'f2')).code).toBe(0);
  }, 120_000);
}

function hostNetworkCase(): void {
  it("--network host: copies of the host's /etc/hosts and resolv.conf and its name in hostname, under <root>/containers/<id>, the very files the container reads", async () => {
    // z2-host-inspect.txt part 1 (dockerd 20.10.24): the three paths named, mode 0644, the same
    // bytes as the host's files, bind-mounted over the container's; Config.Hostname the host's.
    const run = await runDetached(engine, 'f3', image, SLEEP, ['--network', 'host']);
    expect(run.code, run.stderr).toBe(0);
    const c = await inspect('f3');
    const dir = join(engine.root, 'containers', c.Id);
    expect([c.ResolvConfPath, c.HostnamePath, c.HostsPath]).toEqual(
      ['resolv.conf', 'hostname', 'hosts'].map((f) => join(dir, f)),
    );
    expect(c.Config.Hostname).toBe(hostname());
    expect(readFileSync(c.HostnamePath, 'utf8')).toBe(`${hostname()}\n`);
    const host = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    expect(readFileSync(c.HostsPath, 'utf8')).toBe(host('/etc/hosts'));
    expect(readFileSync(c.ResolvConfPath, 'utf8')).toBe(host('/etc/resolv.conf'));
    for (const path of [c.ResolvConfPath, c.HostnamePath, c.HostsPath])
      expect(statSync(path).mode & 0o777, path).toBe(0o644);
    const seen = (file: string): string => readFileSync(`/proc/${c.State.Pid}/root/etc/${file}`, 'utf8');
    expect(seen('hostname')).toBe(readFileSync(c.HostnamePath, 'utf8'));
    expect(seen('hosts')).toBe(readFileSync(c.HostsPath, 'utf8'));
    expect(seen('resolv.conf')).toBe(readFileSync(c.ResolvConfPath, 'utf8'));
    expect((await docker('exec', 'f3', '/bin/busybox', 'hostname')).stdout).toBe(`${hostname()}\n`);
    expect((await docker('rm', '-f', 'f3')).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);
}

function bindsCase(): void {
  it('HostConfig.Binds in the order the create body gave them', async () => {
    const dirs = ['b', 'a', 'c'].map((n) => join(suite.work.path, `bind-${n}`));
    dirs.forEach((d) => mkdirSync(d, { recursive: true }));
    const binds = dirs.map((d, i) => `${d}:/m${String(2 - i)}`);
    const made = await createRaw('f4', { Image: image, Cmd: ['true'], HostConfig: { Binds: binds } });
    expect(made.status, made.text).toBe(201);
    expect((await inspect('f4')).HostConfig.Binds).toEqual(binds);
    // The docker CLI sends -v binds in a Go map's order (docker/cli cli/command/container/opts.go
    // parse ranges over copts.volumes.GetMap()): dockerd 20.10 got h2, h3, h1 once for -v h1 -v h2
    // -v h3 (z-inspect-files.txt). The set is what the CLI can promise.
    const cli = await docker('create', '--name', 'f7', ...binds.flatMap((b) => ['-v', b]), image, 'true');
    expect(cli.code, cli.stderr).toBe(0);
    expect([...((await inspect('f7')).HostConfig.Binds ?? [])].sort()).toEqual([...binds].sort());
    expect((await docker('rm', 'f4', 'f7')).code).toBe(0);
  }, 120_000);
}

function configCase(): void {
  it('Config: -u, -w, --label and the entrypoint as dockerd 20.10 shows them; -w is the process cwd', async () => {
    const flags = ['-u', '0', '-w', '/tmp', '--label', 'k=v', '-e', 'A=1'];
    const run = await runDetached(engine, 'f5', image, SLEEP, flags);
    expect(run.code, run.stderr).toBe(0);
    const c = await inspect('f5');
    // x-restore-cp-stats.txt part 5, the same flags on dockerd 20.10.24.
    expect(c.Config).toMatchObject({
      User: '0',
      Env: expect.arrayContaining(['A=1']) as unknown,
      Cmd: ['/bin/busybox', 'sleep', '1000'],
      Volumes: null,
      WorkingDir: '/tmp',
      Entrypoint: null,
      OnBuild: null,
      Labels: { k: 'v' },
    });
    expect(readlinkSync(`/proc/${c.State.Pid}/cwd`)).toBe('/tmp');
    const ep = await docker('create', '--name', 'f6', '--entrypoint', 'sh', image, '-c', 'exit 0');
    expect(ep.code, ep.stderr).toBe(0);
    const e = await inspect('f6');
    expect([e.Config.Entrypoint, e.Config.Cmd, e.Config.WorkingDir, e.Config.User]).toEqual([
      ['sh'],
      ['-c', 'exit 0'],
      '',
      '',
    ]);
    expect((await docker('rm', '-f', 'f5', 'f6')).code).toBe(0);
  }, 120_000);
}

function userCase(): void {
  it('run -u: the init runs as the user of the container’s /etc/passwd; an unknown name fails the start', async () => {
    const named = await docker('run', '--rm', '-u', 'nobody', image, '/bin/busybox', 'id');
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/^uid=65534\(nobody\) gid=65534/);
    // A number need not be in the files; without a group the gid is 0 (moby getUser).
    const numbered = await docker('run', '--rm', '-u', '4242', image, '/bin/busybox', 'id');
    expect(numbered.stdout).toMatch(/^uid=4242 gid=0/);
    const missing = await docker('run', '--name', 'f8', '-u', 'nosuchuser', image, 'true');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('unable to find user nosuchuser: no matching entries in passwd file');
    expect((await docker('inspect', '-f', '{{.State.Status}}', 'f8')).stdout.trim()).toBe('created');
    expect((await docker('rm', 'f8')).code).toBe(0);
  }, 120_000);
}

realSuite(
  'inspect names the files the engine keeps',
  [
    'root',
    'overlay',
    'registry',
    'skopeo',
    'busybox',
    'attr',
    'docker',
    'shim',
    'runc',
    'iproute2',
    'iptables',
  ],
  () => {
    beforeAll(async () => {
      ({ engine, image } = await suite.start());
    }, 180_000);
    afterAll(() => suite.stop(), 120_000);

    runningCase();
    graphDriverCase();
    noFilesCase();
    hostNetworkCase();
    bindsCase();
    configCase();
    userCase();
  },
);

// docker diff, docker export and docker import with the docker CLI against `dockstep engine`, as
// a private dockerd 20.10 answered the same commands (test/fixtures/real-engine/
// y-diff-export-import.txt, recorded by record-diff-import.sh): diff lists what a container
// added (A), changed (C) and deleted (D) against its image, running or stopped; export streams
// the container's whole root as a tar; import makes a one-layer image of a tar (from the request
// or a loopback URL) with the config changes asked for, and a hostile tar writes nothing outside
// the new layer. dockerd lists a diff in a Go map's order: compared sorted.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { tarOf } from '../../engine/image/archive/writer.ts';
import { realSuite } from './helpers/caps.ts';
import { DOCKER, type RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { mountsUnder } from './helpers/hostLeaks.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';

const suite = suiteEngine('diff-import', 'ddi');
const work = suite.work;
let engine: RunningEngine;

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');
const sorted = (out: string): string[] => lines(out).sort();

/** A root file system with files to change and delete: busybox, /etc/passwd and group, /data. */
function rootfsTar(): string {
  const root = join(work.path, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'data']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  execFileSync('chmod', ['755', join(root, 'bin', 'busybox')]);
  for (const a of ['sh', 'sleep', 'cat', 'echo', 'rm', 'mkdir', 'ls', 'touch', 'readlink'])
    if (!existsSync(join(root, 'bin', a))) symlinkSync('busybox', join(root, 'bin', a));
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\n');
  writeFileSync(join(root, 'data', 'under'), 'under\n');
  writeFileSync(join(root, 'data', 'keep'), 'keep\n');
  const tar = join(work.path, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return tar;
}

/** The docker CLI against the engine, for a shell line. */
const DOCKER_CMD = (): string => `DOCKER_HOST=${engine.host} ${DOCKER}`;

async function run(...args: string[]): Promise<string> {
  const r = await docker('run', '-d', '--network', 'none', ...args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

function diffCases(): void {
  it('docker diff: C /tmp and A /tmp/x after a write; nothing for a container that wrote nothing; a stopped one still answers (s-top-diff)', async () => {
    await run('--name', 't1', 'busybox', 'sleep', '1000');
    await run('--name', 't2', 'busybox', 'sh', '-c', 'echo hi > /tmp/x; sleep 1000');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await docker('diff', 't2')).toEqual({ stdout: 'C /tmp\nA /tmp/x\n', stderr: '', code: 0 });
    expect(await docker('diff', 't1')).toEqual({ stdout: '', stderr: '', code: 0 });
    await docker('stop', '-t', '0', 't1', 't2');
    expect(await docker('diff', 't1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await docker('diff', 't2')).stdout).toBe('C /tmp\nA /tmp/x\n');
    expect(await docker('diff', 'nosuch')).toMatchObject({
      stderr: 'Error response from daemon: No such container: nosuch\n',
      code: 1,
    });
  }, 180_000);
}

/** What the container in y-diff-export-import.txt wrote, plus an opaque /data (rm -rf, mkdir). */
const WRITES =
  'echo hi > /tmp/x; mkdir -p /new/deep; echo n > /new/deep/f; echo more >> /etc/passwd; rm /etc/group; rm -rf /data; mkdir /data; echo x > /data/new; sleep 1000';
const EXPECTED = [
  'A /data/new',
  'A /new',
  'A /new/deep',
  'A /new/deep/f',
  'A /tmp/x',
  'C /data',
  'C /etc',
  'C /etc/passwd',
  'C /tmp',
  'D /data/keep',
  'D /data/under',
  'D /etc/group',
];

/** The events since `since` (unix seconds) that `filter` keeps, one `format` line each. */
async function eventsSince(since: number, filter: string, format: string): Promise<string[]> {
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  const args = ['--since', String(since), '--until', until, '--filter', filter, '--format', format];
  return lines((await docker('events', ...args)).stdout);
}

/** The image events since `since` (unix seconds), as `action name` lines. */
const imageEvents = (since: number): Promise<string[]> =>
  eventsSince(since, 'type=image', '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.k}}');

function diffOfImportCase(): void {
  it('docker import of a file: the image id, tag then import events; diff of added, changed and deleted files, running and stopped', async () => {
    const tar = rootfsTar();
    const imported = await docker('import', tar, 'img:v1');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect((await docker('image', 'inspect', '-f', '{{.Id}} {{.Comment}}', 'img:v1')).stdout).toBe(
      `${imported.stdout.trim()} Imported from -\n`,
    );
    await run('--name', 'df', 'img:v1', 'sh', '-c', WRITES);
    await new Promise((r) => setTimeout(r, 1000));
    const running = await docker('diff', 'df');
    expect(sorted(running.stdout), running.stderr).toEqual(EXPECTED);
    // A directory comes before what changed under it.
    const order = lines(running.stdout).map((l) => l.slice(2));
    for (const [i, path] of order.entries())
      expect(order.indexOf(path.slice(0, path.lastIndexOf('/')) || '/')).toBeLessThan(i === 0 ? 1 : i);
    await docker('stop', '-t', '0', 'df');
    expect(sorted((await docker('diff', 'df')).stdout)).toEqual(EXPECTED);
  }, 180_000);
}

function exportImportCase(): void {
  it("export then import: the container's root as a tar (no ./ prefix), an image of it with -m and -c, run again", async () => {
    await run(
      '--name',
      'ex',
      'busybox',
      'sh',
      '-c',
      'echo hi > /tmp/x; mkdir -p /new/deep; echo n > /new/deep/f; sleep 1000',
    );
    await new Promise((r) => setTimeout(r, 1000));
    const file = join(work.path, 'ex.tar');
    expect(await docker('export', '-o', file, 'ex')).toEqual({ stdout: '', stderr: '', code: 0 });
    const names = lines(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }));
    expect(names).toEqual(expect.arrayContaining(['bin/', 'bin/busybox', 'tmp/x', 'new/deep/f']));
    expect(names.filter((n) => n.startsWith('./') || n.startsWith('/'))).toEqual([]);
    await docker('stop', '-t', '0', 'ex');
    const stopped = join(work.path, 'ex-stopped.tar');
    expect((await docker('export', '-o', stopped, 'ex')).code).toBe(0);
    expect(lines(execFileSync('tar', ['-tf', stopped], { encoding: 'utf8' }))).toContain('tmp/x');
    expect(await docker('export', 'nosuch')).toMatchObject({
      stderr: 'Error response from daemon: No such container: nosuch\n',
      code: 1,
    });
    const changes = ['-c', 'CMD ["cat", "/tmp/x"]', '-c', 'ENV A=1', '-c', 'WORKDIR /tmp', '-c', 'LABEL k=v'];
    const since = Math.floor(Date.now() / 1000) - 1;
    const imported = await docker('import', '-m', 'from ex', ...changes, file, 'again:v1');
    expect(imported.code, imported.stderr).toBe(0);
    // tag with the name as given, then import named by the id; both carry the image's labels.
    const id = imported.stdout.trim();
    expect(await imageEvents(since)).toEqual(['tag again:v1 v', `import ${id} v`]);
    const inspect = await docker(
      'image',
      'inspect',
      '-f',
      '{{json .Config.Cmd}} {{json .Config.Env}} {{.Config.WorkingDir}} {{json .Config.Labels}} {{.Comment}} {{len .RootFS.Layers}}',
      'again:v1',
    );
    expect(inspect.stdout).toBe('["cat","/tmp/x"] ["A=1"] /tmp {"k":"v"} from ex 1\n');
    const again = await docker('run', '--rm', '--network', 'none', 'again:v1');
    expect(again).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect(await docker('import', '-c', 'RUN true', file, 'bad:v1')).toMatchObject({
      stderr: 'Error response from daemon: run is not a valid change command\n',
      code: 1,
    });
  }, 180_000);
}

/**
 * Each export and each `cp` out of a running container is one whole tar and one event, however
 * tar's exit and the end of its output are ordered (its output may close before its exit is
 * seen: that tar was once taken for a failed one, and its event lost behind a whole answer).
 */
function repeatedExportCase(): void {
  it('ten exports and ten cp of a running container: ten whole tars and ten events of each', async () => {
    const id = await run('--name', 'rx', 'busybox', 'sleep', '1000');
    const since = Math.floor(Date.now() / 1000) - 1;
    const file = join(work.path, 'rx.tar');
    for (let i = 0; i < 10; i++) {
      expect(await docker('export', '-o', file, 'rx')).toEqual({ stdout: '', stderr: '', code: 0 });
      expect(lines(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }))).toContain('bin/busybox');
      expect(await docker('cp', 'rx:/bin/busybox', join(work.path, 'rx-busybox'))).toMatchObject({ code: 0 });
    }
    const actions = await eventsSince(since, `container=${id}`, '{{.Action}}');
    const count = (action: string) => actions.filter((a) => a === action).length;
    expect([count('export'), count('archive-path')]).toEqual([10, 10]);
  }, 180_000);
}

function importSourcesCase(): void {
  it('import from stdin, gzip, an empty input, a loopback URL (Downloading from, then the id), a 404 and input that is no tar, as dockerd answers', async () => {
    const tar = join(work.path, 'rootfs.tar');
    const fromStdin = execFileSync('sh', ['-c', `gzip -c ${tar} | ${DOCKER_CMD()} import - gz:v1`], {
      encoding: 'utf8',
    });
    expect(fromStdin).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect((await docker('run', '--rm', '--network', 'none', 'gz:v1', 'cat', '/data/keep')).stdout).toBe(
      'keep\n',
    );
    expect(
      execFileSync('sh', ['-c', `printf '' | ${DOCKER_CMD()} import - empty:v1`], { encoding: 'utf8' }),
    ).toMatch(/^sha256:/);
    const server = http.createServer((req, res) => {
      if (req.url === '/rootfs.tar') res.end(readFileSync(tar));
      else {
        res.statusCode = 404;
        res.statusMessage = 'File not found';
        res.end('nothing here\n');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const fromUrl = await docker('import', `${base}/rootfs.tar`, 'fromurl:v1');
      expect(fromUrl.code, fromUrl.stderr).toBe(0);
      expect(fromUrl.stdout).toMatch(
        new RegExp(`^Downloading from ${base}/rootfs.tar\nsha256:[0-9a-f]{64}\n$`),
      );
      expect((await docker('image', 'inspect', '-f', '{{.Comment}}', 'fromurl:v1')).stdout).toBe(
        `Imported from ${base}/rootfs.tar\n`,
      );
      expect(await docker('import', `${base}/missing.tar`, 'fromurl:v2')).toMatchObject({
        stderr: `Error response from daemon: failed to GET ${base}/missing.tar with status 404 File not found: nothing here\n`,
        code: 1,
      });
    } finally {
      server.close();
    }
    const bad = execFileSync(
      'sh',
      ['-c', `echo not a tar at all | ${DOCKER_CMD()} import - bad:v1 2>&1; echo "exit $?"`],
      { encoding: 'utf8' },
    );
    expect(bad).toBe(
      'Error response from daemon: Error processing tar file(exit status 1): unexpected EOF\nexit 1\n',
    );
    expect((await docker('image', 'inspect', 'bad:v1')).code).toBe(1);
  }, 180_000);
}

/** One hostile entry each (after a harmless one), so every kind reaches the unpacker. */
function hostileTars(target: string): Record<string, Buffer> {
  const ok = { entry: { path: 'ok' }, data: Buffer.from('fine\n') };
  const file = (path: string) => ({ entry: { path }, data: Buffer.from('hostile\n') });
  const up = '../../../../../../../..';
  return {
    absolute: tarOf([ok, file('/abs-dockstep')]),
    dotdot: tarOf([ok, file('../up-dockstep'), file('a/../../up2-dockstep')]),
    symlinkOut: tarOf([ok, { entry: { path: 'out', typeflag: '2', linkpath: target } }, file('out/escaped')]),
    relativeOut: tarOf([
      ok,
      { entry: { path: 'rel', typeflag: '2', linkpath: `${up}${target}` } },
      file('rel/escaped'),
    ]),
    hardlinkOut: tarOf([ok, { entry: { path: 'hard', typeflag: '1', linkpath: `${up}/etc/passwd` } }]),
    device: tarOf([ok, { entry: { path: 'null', typeflag: '3', devmajor: 1, devminor: 3, mode: 0o666 } }]),
  };
}

function hostileCases(): void {
  it('hostile tars (absolute names, .., links out of the root and files through them, a hard link out, a device node) write nothing outside the new layer', async () => {
    const target = join(work.path, 'hostile-target');
    mkdirSync(target, { recursive: true });
    const passwd = readFileSync('/etc/passwd', 'utf8');
    for (const [name, bytes] of Object.entries(hostileTars(target))) {
      const tar = join(work.path, `${name}.tar`);
      writeFileSync(tar, bytes);
      const imported = await docker('import', tar, `hostile:${name.toLowerCase()}`);
      expect(readdirSync(target), name).toEqual([]);
      expect(readFileSync('/etc/passwd', 'utf8'), name).toBe(passwd);
      for (const p of ['/abs-dockstep', '/up-dockstep', '/up2-dockstep'])
        expect(existsSync(p), `${name}: ${p}`).toBe(false);
      // Refused with an error, or confined to the layer: then the image holds the entry inside it.
      if (imported.code !== 0) expect(imported.stderr, name).toMatch(/^Error response from daemon: /);
      else expect((await docker('image', 'inspect', `hostile:${name.toLowerCase()}`)).code, name).toBe(0);
    }
  }, 180_000);
}

async function removeAll(): Promise<void> {
  const ids = lines((await docker('ps', '-aq')).stdout);
  if (ids.length > 0) await docker('rm', '-f', ...ids);
}

realSuite(
  'docker diff, export and import against the engine',
  ['root', 'overlay', 'skopeo', 'busybox', 'attr', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      engine = await suite.startEngine();
      const archive = await fixtureBusyboxArchive(work.path);
      expect((await docker('load', '-i', archive)).code).toBe(0);
    }, 180_000);
    afterEach(removeAll, 120_000);
    afterAll(async () => {
      await removeAll();
      // No export or diff left a snapshot mounted, no import a temporary file.
      const left = mountsUnder(engine.dir);
      const tmp = readdirSync(join(engine.dir), { recursive: true }).filter((p) =>
        /(^|\/)(import|export)-/.test(String(p)),
      );
      await suite.stop();
      expect(left).toEqual([]);
      expect(tmp).toEqual([]);
    }, 120_000);

    diffCases();
    diffOfImportCase();
    exportImportCase();
    repeatedExportCase();
    importSourcesCase();
    hostileCases();
  },
);

// `dockstep engine` refuses a start that cannot work with one line and exit status 1 — not a
// Node stack trace, a hang or wrong files: run as a user other than root, a socket path that is
// a directory, a root on a read-only file system or in /proc. Two engines whose sockets share a
// directory each keep their own run directory.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { checkStart, StartError } from '../../engine/daemon/startChecks.ts';
import { realSuite } from './helpers/caps.ts';
import { DOCKSTEP, spawnEngine, startEngine } from './helpers/engine.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('engine-start');

/** Engines still running when the suite ends (one that hangs where it should refuse) are killed. */
const running = new Set<ChildProcess>();

interface Ended {
  code: number | null;
  output: string;
}

/** Runs `dockstep engine ARGS` (behind `prefix`, e.g. setpriv) to its end. */
function runEngine(args: string[], prefix: string[] = []): Promise<Ended> {
  const argv = [...prefix, process.execPath, ...DOCKSTEP, 'engine', ...args];
  const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

/** One line on stderr, naming the engine, and nothing of a stack trace. */
function expectRefusal(ended: Ended, text: RegExp): void {
  expect(ended.code, ended.output).toBe(1);
  expect(ended.output).toMatch(new RegExp(`^dockstep engine: ${text.source}\\n$`));
  expect(ended.output).not.toMatch(/\n\s+at |Error:|node:internal/);
}

function refusalTests(): void {
  it('refuses to run as a user other than root, before it makes any file', async () => {
    const dir = join(work.path, 'nobody');
    mkdirSync(dir, { mode: 0o777 });
    const args = ['--root', join(dir, 'root'), '--socket', join(dir, 'd.sock')];
    const ended = await runEngine(args, [
      'setpriv',
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      '--',
    ]);
    expectRefusal(ended, /must run as root, not as uid 65534: .*/);
    expect(readdirSync(dir)).toEqual([]);
    // The same check, for any uid.
    expect(() => checkStart({ root: join(dir, 'root'), socket: join(dir, 'd.sock') }, 1000)).toThrow(
      StartError,
    );
  });

  it('refuses a socket path that is a directory', async () => {
    const dir = join(work.path, 'sockdir');
    mkdirSync(join(dir, 'api.sock'), { recursive: true });
    const ended = await runEngine(['--root', join(dir, 'root'), '--socket', join(dir, 'api.sock')]);
    expectRefusal(
      ended,
      /socket \S+\/api\.sock is a directory: give --socket the path of a socket to create/,
    );
  });

  it('refuses a root or socket on a read-only file system, and a root that is a file', async () => {
    const ro = join(work.path, 'ro');
    mkdirSync(ro);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'dockstep-test', ro]);
    try {
      const root = await runEngine(['--root', join(ro, 'root'), '--socket', join(work.path, 'ro.sock')]);
      expectRefusal(root, /root \S+\/ro\/root is on a read-only file system \(\S+\/ro\)/);
      const socket = await runEngine(['--root', join(work.path, 'ro-root'), '--socket', join(ro, 'd.sock')]);
      expectRefusal(socket, /socket directory \S+\/ro is on a read-only file system \(\S+\/ro\)/);
    } finally {
      execFileSync('umount', [ro]);
    }
    writeFileSync(join(work.path, 'plain'), '');
    const file = await runEngine(['--root', join(work.path, 'plain'), '--socket', join(work.path, 'f.sock')]);
    expectRefusal(file, /root \S+\/plain is a file, not a directory/);
  });

  it('refuses a root in /proc or /sys instead of spinning', async () => {
    for (const [root, tree] of [
      ['/proc/dockstep-root', '/proc'],
      ['/sys/fs/cgroup/dockstep-root', '/sys'],
    ] as const) {
      const ended = await runEngine(['--root', root, '--socket', join(work.path, 'p.sock')]);
      expectRefusal(ended, new RegExp(`root ${root} is in ${tree}, the kernel's own tree, .*`));
      expect(existsSync(root)).toBe(false);
    }
  });
}

function sharedDirTests(): void {
  it('gives two engines with sockets in one directory a run directory each', async () => {
    const dir = join(work.path, 'two');
    const first = await startEngine({ base: dir });
    try {
      const mine = `${first.socket}.run`;
      expect(existsSync(mine)).toBe(true);
      writeFileSync(join(mine, 'still-here'), '');
      const { child, output } = spawnEngine([
        '--root',
        join(dir, 'root2'),
        '--socket',
        join(dir, 'run', 'b.sock'),
      ]);
      try {
        while (!output().includes('listening') && child.exitCode === null)
          await new Promise((r) => setTimeout(r, 50));
        expect(output()).toContain('listening');
        expect(readdirSync(mine)).toContain('still-here');
        expect(existsSync(join(dir, 'run', 'b.sock.run'))).toBe(true);
        expect((await first.request('GET', '/_ping')).status).toBe(200);
      } finally {
        const exited = new Promise((r) => child.once('exit', r));
        if (child.exitCode === null) process.kill(child.pid ?? 0, 'SIGTERM');
        await exited;
      }
      // The second engine took only its own run directory away.
      expect(existsSync(join(dir, 'run', 'b.sock.run')), output()).toBe(false);
      expect(readdirSync(mine)).toContain('still-here');
    } finally {
      await first.stop();
    }
  });
}

realSuite('dockstep engine start', ['root', 'overlay'], () => {
  afterAll(() => {
    for (const child of running) if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    work.remove();
  });
  refusalTests();
  sharedDirTests();
});

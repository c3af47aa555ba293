// A private place to run the real containerd-shim-runc-v2 and runc: its own namespace, its own
// containerd -address (only hashed into the shim's socket name), its own runc root, cgroup parent
// and events socket, under one temp dir; a busybox root file system from Debian's busybox-static.
// Nothing here meets a real containerd or Docker. `counts` lists what a test could leak.
import { execFile } from 'node:child_process';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  rmdir,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { writeBundle, type BundleOptions } from '../../engine/shim/bundle.ts';
import { cleanupDeadShim } from '../../engine/shim/cleanup.ts';
import { SHIM_SOCKET_DIR } from '../../engine/shim/binaries.ts';
import { cgroupDirsOf, removeCgroup } from '../../engine/shim/evidence/cgroup.ts';
import { ShimEvents } from '../../engine/shim/events.ts';
import { openFifoReader } from '../../engine/shim/fifo.ts';
import { RUNC_LOG_ENV, writeRecorder } from '../../engine/shim/recorder.ts';
import type { ShimIdentity } from '../../engine/shim/shim.ts';
import { startShim } from '../../engine/shim/start.ts';
import type { Shim } from '../../engine/shim/shim.ts';

const run = promisify(execFile);

export interface Lab {
  dir: string;
  namespace: string;
  address: string;
  runcRoot: string;
  cgroupParent: string;
  recorder: string;
  runcLog: string;
  rootfs: string;
  events: ShimEvents;
  eventsPath: string;
  /** The shim makes /run/containerd/s; a lab that found none removes it when empty. */
  madeSocketDir: boolean;
}

const APPLETS = ['sh', 'sleep', 'echo', 'cat', 'true', 'ls', 'dd', 'tty', 'stty'];

async function busyboxRootfs(dir: string): Promise<void> {
  for (const d of ['bin', 'proc', 'sys', 'dev', 'etc', 'tmp']) await mkdir(join(dir, d), { recursive: true });
  await copyFile('/bin/busybox', join(dir, 'bin', 'busybox'));
  for (const a of APPLETS) await symlink('busybox', join(dir, 'bin', a));
  await writeFile(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
}

export async function makeLab(): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'dockstep-shim-'));
  const tag = dir
    .slice(-6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const rootfs = join(dir, 'rootfs');
  await busyboxRootfs(rootfs);
  const eventsPath = join(dir, 'events.sock');
  return {
    dir,
    namespace: `dockstep-test-${tag}`,
    address: join(dir, 'containerd.sock'),
    runcRoot: join(dir, 'runc'),
    cgroupParent: `/dockstep-test-${tag}`,
    recorder: await writeRecorder(dir),
    runcLog: join(dir, 'runc.log'),
    rootfs,
    events: await ShimEvents.listen(eventsPath),
    eventsPath,
    madeSocketDir: !(await stat(SHIM_SOCKET_DIR).then(
      () => true,
      () => false,
    )),
  };
}

/** A bundle directory named after the container id (the shim's `delete` looks for that). */
export async function makeBundle(
  lab: Lab,
  id: string,
  options: Partial<BundleOptions> & { args: string[] },
): Promise<ShimIdentity & { stdout: string; stderr: string }> {
  const bundle = join(lab.dir, 'bundles', id);
  await mkdir(bundle, { recursive: true });
  await writeBundle(bundle, {
    rootfs: lab.rootfs,
    cgroupsPath: `${lab.cgroupParent}/${id}`,
    hostname: id,
    ...options,
  });
  return {
    id,
    namespace: lab.namespace,
    bundle,
    address: lab.address,
    stdout: join(bundle, 'stdout'),
    stderr: join(bundle, 'stderr'),
  };
}

export function startLabShim(lab: Lab, identity: ShimIdentity): Promise<Shim> {
  return startShim({ ...identity, eventsAddress: lab.eventsPath, env: { [RUNC_LOG_ENV]: lab.runcLog } });
}

export const runcOptions = (lab: Lab): { binaryName: string; root: string } => ({
  binaryName: lab.recorder,
  root: lab.runcRoot,
});

/** Shim processes started with this lab's namespace. */
export async function shimPids(lab: Lab): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    const argv = cmd.split('\0');
    if (argv[0]?.endsWith('containerd-shim-runc-v2') && argv.includes(lab.namespace))
      found.push(Number(name));
  }
  return found;
}

export interface Counts {
  shims: number;
  runcStates: number;
  cgroupDirs: number;
  mounts: number;
  sockets: string[];
}

export async function counts(lab: Lab, sockets: string[] = []): Promise<Counts> {
  const states = await readdir(join(lab.runcRoot, lab.namespace)).catch((): string[] => []);
  const cgroups = await Promise.all(
    (await cgroupDirsOf(lab.cgroupParent)).map((d) => readdir(d, { withFileTypes: true }).catch(() => [])),
  );
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const present = await readdir(SHIM_SOCKET_DIR).catch((): string[] => []);
  return {
    shims: (await shimPids(lab)).length,
    runcStates: states.length,
    cgroupDirs: cgroups.flat().filter((e) => e.isDirectory()).length,
    mounts: mountinfo.split('\n').filter((l) => l.includes(lab.dir)).length,
    sockets: sockets.filter((s) => present.includes(s.split('/').pop() ?? '')),
  };
}

/**
 * A suite's lab, made before its tests and taken down after them (call it in the suite's body):
 * `prepare` runs on the new lab first (the counts the suite compares with, applets it adds). The
 * function returned gives the tests the lab.
 */
export function labForSuite(prepare: (lab: Lab) => Promise<void>): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await makeLab();
    await prepare(lab);
  });
  afterAll(async () => {
    if (lab !== undefined) await closeLab(lab);
  });
  return () => {
    if (lab === undefined) throw new Error('no lab');
    return lab;
  };
}

/** Takes the lab down, whatever a failed test left: shims killed, each bundle's container
 * removed with the shim's own `delete`, sockets, events server, cgroup parent, temp dir. */
export async function closeLab(lab: Lab): Promise<void> {
  await lab.events.close();
  for (const pid of await shimPids(lab)) process.kill(pid, 'SIGKILL');
  const bundles = join(lab.dir, 'bundles');
  for (const id of await readdir(bundles).catch((): string[] => [])) {
    const identity = { id, namespace: lab.namespace, bundle: join(bundles, id), address: lab.address };
    await cleanupDeadShim(identity, { [RUNC_LOG_ENV]: lab.runcLog }).catch(() => undefined);
    const socket = await readFile(join(identity.bundle, 'address'), 'utf8').catch(() => '');
    if (socket.startsWith('unix://')) await rm(socket.slice('unix://'.length), { force: true });
  }
  await removeCgroup(lab.cgroupParent).catch(() => undefined);
  await run('umount', ['-R', '-l', lab.dir]).catch(() => undefined);
  await rm(lab.dir, { recursive: true, force: true });
  if (lab.madeSocketDir) {
    // Only when empty (another suite's shim may be using it) and only what the shim made.
    await rmdir(SHIM_SOCKET_DIR).catch(() => undefined);
    await rmdir(dirname(SHIM_SOCKET_DIR)).catch(() => undefined);
  }
}

export async function gone(pid: number, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Gone, or a zombie waiting for PID 1 (which reaps orphans only every second or two here).
    if (stat === '' || / Z /.test(stat)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A container's stdout or stderr FIFO, read as it comes (the shim's copy of a pipe; FIFOs keep
 * the two streams apart, where `file://` sends both to the stdout's file). */
export async function collect(path: string): Promise<{ text(): string; close(): void }> {
  const socket = await openFifoReader(path);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return { text: () => Buffer.concat(chunks).toString('utf8'), close: () => socket.destroy() };
}

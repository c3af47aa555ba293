// `docker cp`'s real work (src/layers/dockerd/ops/containerArchive.ts), as dockerd does it in its
// own process (moby v20.10.24 daemon/archive.go): on the container's root file system — the
// running container's mounted rootfs, or its snapshot mounted for the moment when it is not
// running — every path resolved inside that root (rootPath.ts). `archiveStat` answers the
// X-Docker-Container-Path-Stat header (Go's FileMode bits, RFC 3339 time, the link's target in
// the container), `archiveRead` streams a tar of the path (GNU tar, which never follows the links
// it meets), `archiveWrite` unpacks the request's tar into a directory (untarInRoot.ts).
import { spawn } from 'node:child_process';
import { lstatSync, type BigIntStats } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { WorkPayload } from '../../src/layers/operation.ts';
import type { ImageRoot } from '../image/root.ts';
import { mountAll, unmount } from '../image/snapshot/mount.ts';
import type { RealWorks } from './archive.ts';
import { resolveUser } from './execUser.ts';
import { cpMountsOf, mountOf, READ_ONLY, withMountPoints } from './cpMounts.ts';
import { resolveInRootSync } from './rootPath.ts';
import type { RealSession } from './session.ts';
import type { RealTasks } from './tasks.ts';
import { untarInRoot, UntarRefused } from './untarInRoot.ts';

/** Go's os.FileMode type bits (io/fs), above the permission bits. */
const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  pipe: 2 ** 25,
  socket: 2 ** 24,
  char: 2 ** 21,
};
const GO_SPECIAL = { setuid: 2 ** 23, setgid: 2 ** 22, sticky: 2 ** 20 };

function goMode(s: BigIntStats): number {
  const mode = Number(s.mode);
  let out = mode & 0o777;
  if (mode & 0o4000) out += GO_SPECIAL.setuid;
  if (mode & 0o2000) out += GO_SPECIAL.setgid;
  if (mode & 0o1000) out += GO_SPECIAL.sticky;
  if (s.isDirectory()) out += GO_MODE.dir;
  else if (s.isSymbolicLink()) out += GO_MODE.symlink;
  else if (s.isFIFO()) out += GO_MODE.pipe;
  else if (s.isSocket()) out += GO_MODE.socket;
  else if (s.isCharacterDevice()) out += GO_MODE.device + GO_MODE.char;
  else if (s.isBlockDevice()) out += GO_MODE.device;
  return out;
}

/** Go's time.RFC3339Nano in UTC: nanoseconds with trailing zeros trimmed, none when whole. */
function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}${frac === '' ? '' : `.${frac}`}Z`;
}

interface Located {
  host: string;
  stat: BigIntStats;
  header: string;
}

/** The path's host location and its stat header, or undefined when nothing is there. */
function locate(rootfs: string, path: string): Located | undefined {
  const host = resolveInRootSync(rootfs, path, false);
  let stat: BigIntStats;
  try {
    stat = lstatSync(host, { bigint: true });
  } catch {
    return undefined;
  }
  const linkTarget = stat.isSymbolicLink()
    ? `/${relative(rootfs, resolveInRootSync(rootfs, path, true))}`
    : '';
  const name = host === rootfs ? '/' : basename(host);
  const doc = {
    name,
    size: Number(stat.size),
    mode: goMode(stat),
    mtime: rfc3339Nano(stat.mtimeNs),
    linkTarget,
  };
  return { host, stat, header: Buffer.from(JSON.stringify(doc)).toString('base64') };
}

/**
 * Runs `fn` on the container's root file system (the running one's, or its snapshot mounted for
 * the while) with its mount points bound in it (cpMounts.ts).
 */
async function onRootfs<T>(
  root: ImageRoot,
  tasks: RealTasks,
  scratch: string,
  input: WorkPayload,
  work: (rootfs: string) => Promise<T>,
): Promise<T> {
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const fn = (rootfs: string) => withMountPoints(rootfs, scratch, cpMountsOf(input), work);
  const live = tasks.live.get(String(input.id));
  if (live?.rootfsMounted === true) return fn(live.rootfs);
  const rootfs = await mkdtemp(join(scratch, 'cp-'));
  try {
    await mountAll(root.snapshots.mounts(String(input.key)), rootfs);
    try {
      return await fn(rootfs);
    } finally {
      await unmount(rootfs);
    }
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

function stat(session: RealSession, rootfs: string, input: WorkPayload): Promise<WorkPayload> {
  const found = locate(rootfs, String(input.path));
  if (found === undefined) return Promise.resolve({ missing: true });
  if (session.raw !== undefined) session.raw.headers['X-Docker-Container-Path-Stat'] = found.header;
  return Promise.resolve({});
}

/** A tar of the path, named after its base name, streamed into the answer as tar writes it. */
async function read(session: RealSession, rootfs: string, input: WorkPayload): Promise<WorkPayload> {
  const found = locate(rootfs, String(input.path));
  const sink = session.raw;
  if (found === undefined) return { missing: true };
  if (sink === undefined) throw new Error(`archive of ${String(input.path)}: no answer to write it to`);
  sink.headers['X-Docker-Container-Path-Stat'] = found.header;
  const [dir, base] = found.host === rootfs ? [rootfs, '.'] : [dirname(found.host), basename(found.host)];
  const tar = spawn('tar', ['--numeric-owner', '-C', dir, '-cf', '-', '--', base], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  tar.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => tar.once('close', (code) => resolve(code ?? 1)));
  sink.begin();
  try {
    for await (const chunk of tar.stdout as AsyncIterable<Buffer>) await sink.write(chunk);
  } catch (error) {
    // The client went away: tar would block on a pipe nobody reads.
    tar.kill();
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`tar of ${String(input.path)}: ${stderr.trim() || `exit status ${code}`}`);
  return {};
}

async function write(session: RealSession, rootfs: string, input: WorkPayload): Promise<WorkPayload> {
  const path = String(input.path);
  const host = resolveInRootSync(rootfs, path, true);
  let isDir: boolean;
  try {
    isDir = lstatSync(host).isDirectory();
  } catch {
    return { missing: true };
  }
  if (!isDir) return { error: 'extraction point is not a directory', code: 500 };
  if (session.body === undefined) throw new Error(`extract into ${path}: the request has no body`);
  const dest = `/${relative(rootfs, host)}`;
  if (mountOf(cpMountsOf(input), dest)?.rw === false) return { error: READ_ONLY, code: 500 };
  try {
    await untarInRoot(session.body, rootfs, dest, input.noOverwriteDirNonDir === true);
  } catch (error) {
    if (error instanceof UntarRefused) return { error: error.message, code: 400 };
    throw error;
  }
  return {};
}

export function realArchiveWorks(root: ImageRoot, tasks: RealTasks, scratch: string): RealWorks {
  const on =
    (fn: (session: RealSession, rootfs: string, input: WorkPayload) => Promise<WorkPayload>) =>
    (session: RealSession, input: WorkPayload) =>
      onRootfs(root, tasks, scratch, input, (rootfs) => fn(session, rootfs, input));
  // `run -u`: the user looked up in the container's files while dockerd builds the spec, before
  // the task exists (specUser.ts); the snapshot is mounted for the read as for a `docker cp`.
  const containerUser = on(async (_session, rootfs, input) => ({
    ...(await resolveUser(rootfs, String(input.user ?? ''))),
  }));
  return { archiveStat: on(stat), archiveRead: on(read), archiveWrite: on(write), containerUser };
}

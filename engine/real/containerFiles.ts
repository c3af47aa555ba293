// `docker cp`'s real work (src/layers/dockerd/ops/containerArchive.ts), as dockerd does it in its
// own process (moby v20.10.24 daemon/archive.go): on the container's root file system — the
// running container's mounted rootfs, or its snapshot mounted for the moment when it is not
// running — every path resolved inside that root (rootPath.ts). `archiveStat` answers the
// X-Docker-Container-Path-Stat header from the storage driver's stat of the path (rootfsStat.ts:
// Go's FileMode bits, RFC 3339 time, the link's target in the container), `archiveRead` streams
// a tar of the path (GNU tar, which never follows the links it meets), `archiveWrite` unpacks the
// request's tar into a directory (untarInRoot.ts).
import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import type { WorkPayload } from '../../src/layers/operation.ts';
import type { ImageRoot } from '../image/root.ts';
import type { RealWorks } from './archive.ts';
import { resolveUser } from './execUser.ts';
import { cpMountsOf, mountOf, READ_ONLY } from './cpMounts.ts';
import { onContainerRootfs, statInRoot, type RootfsTarget } from './rootfsStat.ts';
import { resolveInRootSync } from './rootPath.ts';
import type { RealSession } from './session.ts';
import type { RealTasks } from './tasks.ts';
import { untarInRoot, UntarRefused } from './untarInRoot.ts';

/** The work's input as the container root to work on. */
const targetOf = (input: WorkPayload): RootfsTarget => ({
  id: String(input.id),
  key: String(input.key),
  mounts: cpMountsOf(input),
});

const headerOf = (stat: unknown): string => Buffer.from(JSON.stringify(stat)).toString('base64');

/** The header from the storage driver's stat of the path (storage.stat: rootfsStat.ts), no second look. */
function stat(session: RealSession, input: WorkPayload): Promise<WorkPayload> {
  if (typeof input.stat !== 'object' || input.stat === null) return Promise.resolve({ missing: true });
  if (session.raw !== undefined) session.raw.headers['X-Docker-Container-Path-Stat'] = headerOf(input.stat);
  return Promise.resolve({});
}

/** A tar of the path, named after its base name, streamed into the answer as tar writes it. */
async function read(session: RealSession, rootfs: string, input: WorkPayload): Promise<WorkPayload> {
  const found = statInRoot(rootfs, String(input.path));
  const sink = session.raw;
  if (found === undefined) return { missing: true };
  if (sink === undefined) throw new Error(`archive of ${String(input.path)}: no answer to write it to`);
  sink.headers['X-Docker-Container-Path-Stat'] = headerOf(found.stat);
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
      onContainerRootfs(root, tasks, scratch, targetOf(input), (rootfs) => fn(session, rootfs, input));
  // `run -u`: the user looked up in the container's files while dockerd builds the spec, before
  // the task exists (specUser.ts); the snapshot is mounted for the read as for a `docker cp`.
  const containerUser = on(async (_session, rootfs, input) => ({
    ...(await resolveUser(rootfs, String(input.user ?? ''))),
  }));
  return { archiveStat: stat, archiveRead: on(read), archiveWrite: on(write), containerUser };
}

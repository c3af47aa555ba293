import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram, WorkPayload } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { isDirMode, type PathStat } from '../../storage/pathStat.ts';
import type { MountPoint } from './mounts.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `docker cp` and `docker export` (moby v20.10.24 daemon/archive.go, daemon/export.go,
 * api/server/router/container/copy.go): dockerd works on the container's root file system itself,
 * running or not — the storage driver mounts it when it is not mounted — with no containerd,
 * shim or runc asked. Every path is resolved inside that root, links followed as the container
 * sees them. The Storage messages show the driver's part (the lstat on the mounted rootfs, the
 * files landing in the container's own layer); the file work itself is dockerd's `work` effect
 * (archiveStat, archiveRead, archiveWrite): the simulation answers from the storage driver's
 * stat, real mode reads and writes the real files (engine/real/containerFiles.ts: the stat
 * header from the driver's stat, the tar streamed, the request's tar unpacked). Recorded:
 * v-cp-commit-export.txt, v-cp-archive.txt.
 */

const clean = (path: string): string => `/${path.split('/').filter(Boolean).join('/')}`;

type PathKind = 'dir' | 'file' | undefined;

const driverOf = (d: Daemon): 'overlay2' | 'overlayfs' =>
  d.profile === 'classic' ? 'overlay2' : 'overlayfs';

/** What the storage driver's lstat found: the stat (null: nothing there), or why it failed. */
type Looked = { stat: PathStat | null } | { error: string };

/**
 * dockerd mounts the container's rootfs (the image's layers under its own), binds its mount
 * points in it and lstats the path there, links followed inside that root (moby v20.10.24
 * daemon/archive.go containerStatPath, container/archive.go StatPath): the storage driver's
 * `stat` of that one path.
 */
function* statPath(d: Daemon, c: ContainerRecord, path: string): Generator<Effect, Looked, unknown> {
  const want = clean(path);
  const reply = asMessage(
    yield d.call('Storage', 'storage.stat', `lstat ${want} in ${short(c.id)}…'s mounted rootfs`, {
      payload: {
        driver: driverOf(d),
        key: c.rwKey,
        path,
        mounts: c.mounts.map((m) => ({ source: m.Source, destination: m.Destination, rw: m.RW })),
      },
      narration: 'storage.statPath',
      params: { path: want },
    }),
  );
  const payload = (reply?.payload ?? {}) as JsonObject;
  if (reply?.ok !== true) return { error: String(payload.error ?? `lstat ${want}: no answer`) };
  return { stat: pathStatOf(payload.stat) };
}

function pathStatOf(value: JsonValue | undefined): PathStat | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { name, size, mode, mtime, linkTarget } = value;
  if (typeof name !== 'string' || typeof size !== 'number' || typeof mode !== 'number') return null;
  return {
    name,
    size,
    mode,
    mtime: typeof mtime === 'string' ? mtime : '',
    linkTarget: typeof linkTarget === 'string' ? linkTarget : '',
  };
}

const kindOf = (stat: PathStat | null): PathKind =>
  stat === null ? undefined : isDirMode(stat.mode) ? 'dir' : 'file';

/** The mount point a path is under, the deepest (daemon/archive.go checkIfPathIsInAVolume). */
function mountOf(c: ContainerRecord, path: string): MountPoint | undefined {
  const under = (m: MountPoint) => path === m.Destination || path.startsWith(`${clean(m.Destination)}/`);
  return c.mounts
    .filter(under)
    .sort((a, b) => a.Destination.length - b.Destination.length)
    .pop();
}

const notFound = (path: string, target: string) => `Could not find the file ${path} in container ${target}`;

type Work = 'archiveStat' | 'archiveRead' | 'archiveWrite';
type Done = { refused: { code: number; message: string } } | { output: WorkPayload };

/**
 * dockerd's work on the container's root: the storage driver lstats the path first (what the
 * simulation's answer rests on: missing, a directory or a file; the stat header real mode
 * writes), then the work is done — real mode's on the real files, whose answer rules.
 */
function* onRoot(d: Daemon, c: ContainerRecord, req: Message, work: Work): Generator<Effect, Done, unknown> {
  const { target, query } = apiRequest(req);
  const path = work === 'archiveWrite' ? clean(query.path ?? '/') : (query.path ?? '/');
  const looked = yield* statPath(d, c, path);
  if ('error' in looked) return { refused: { code: 500, message: looked.error } };
  const kind = kindOf(looked.stat);
  const sim = (): WorkPayload => {
    if (kind === undefined) return { missing: true };
    if (work === 'archiveWrite' && kind !== 'dir')
      return { error: 'extraction point is not a directory', code: 500 };
    if (work === 'archiveWrite' && mountOf(c, clean(path))?.RW === false)
      return { error: 'mounted volume is marked read-only', code: 500 };
    return { name: clean(path).split('/').pop() ?? '', dir: kind === 'dir' };
  };
  const input = {
    id: c.id,
    key: c.rwKey,
    path,
    running: c.actor.getSnapshot().matches('running'),
    // dockerd binds each mount point over the rootfs before it works on it (mountVolumes).
    mounts: c.mounts.map((m) => ({ source: m.Source, destination: m.Destination, rw: m.RW })),
    noOverwriteDirNonDir: query.noOverwriteDirNonDir === 'true' || query.noOverwriteDirNonDir === '1',
    // The storage driver's stat: the X-Docker-Container-Path-Stat header of a HEAD.
    stat: looked.stat === null ? null : { ...looked.stat },
  };
  const done = yield* d.work(work, input, sim);
  if (!done.ok) return { refused: { code: 500, message: done.error } };
  if (done.output.missing === true) return { refused: { code: 404, message: notFound(path, target) } };
  if (typeof done.output.error === 'string')
    return { refused: { code: Number(done.output.code ?? 500), message: done.output.error } };
  return { output: done.output };
}

/**
 * `HEAD /containers/{id}/archive?path=`: the path's stat, in the X-Docker-Container-Path-Stat
 * header (real mode writes it), or 404 (daemon/archive.go ContainerStatPath). No event.
 */
export function* archiveHead(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const path = query.path ?? '/';
  const done = yield* onRoot(d, c, req, 'archiveStat');
  if ('refused' in done) return d.error(req, done.refused.code, done.refused.message);
  const name = clean(path).split('/').pop() ?? '';
  d.reply(req, 200, { name, dir: done.output.dir === true }, { params: { path } });
}

/**
 * `PUT /containers/{id}/archive?path=DIR` (daemon/archive.go ContainerExtractToDir): dockerd
 * mounts the container's rootfs, checks DIR is a directory there, untars into it — the files
 * land in the container's own layer, running or not, with no containerd or runc — and logs
 * `extract-to-dir`. Engine 29 does the same on the container's containerd snapshot
 * (moby docker-v29.0.0 daemon/archive_unix.go).
 */
export function* archivePut(d: Daemon, req: Message): OperationProgram {
  const { target, query, body } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const dir = clean(query.path ?? '/');
  const done = yield* onRoot(d, c, req, 'archiveWrite');
  if ('refused' in done) return d.error(req, done.refused.code, done.refused.message);
  // The simulation's CLI names the tar's files; the real one sends the tar itself.
  const files = ((body.files ?? []) as { path: string; size: number }[]).map((f) => ({
    path: clean(`${dir}/${f.path}`),
    size: f.size,
  }));
  if (files.length > 0)
    yield d.call(
      'Storage',
      'storage.write',
      `untar ${files.map((f) => f.path).join(', ')} into ${short(c.id)}…'s layer`,
      {
        payload: { driver: driverOf(d), key: c.rwKey, files },
        narration: 'storage.extractToDir',
        params: { count: files.length, dir },
      },
    );
  d.containerEvent(c, 'extract-to-dir');
  d.reply(req, 200, undefined, { params: { count: files.length } });
}

/** `GET /containers/{id}/archive?path=`: the path as a tar (daemon/archive.go ContainerArchivePath), `archive-path`. */
export function* archiveGet(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const path = query.path ?? '/';
  const done = yield* onRoot(d, c, req, 'archiveRead');
  if ('refused' in done) return d.error(req, done.refused.code, done.refused.message);
  d.self('dockerd.archivePath', `tar ${clean(path)} from the mounted rootfs into the answer`, {
    params: { path: clean(path) },
  });
  d.containerEvent(c, 'archive-path');
  d.reply(req, 200, undefined, { params: { path } });
}

/**
 * `GET /containers/{id}/export` (daemon/export.go ContainerExport): the whole rootfs — every
 * image layer with the container's own on top, as overlayfs shows it — as one tar, then `export`.
 */
export function* containerExport(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  d.self(
    'dockerd.export',
    `mount ${short(c.id)}…'s rootfs; tar all of it (${c.image.layers.length} image layer(s) + its own)`,
    {
      params: { layers: c.image.layers.length },
    },
  );
  // The tar itself is dockerd's own work: real mode streams the real root's (containerExport.ts).
  const input = { id: c.id, key: c.rwKey, running: c.actor.getSnapshot().matches('running') };
  const done = yield* d.work('containerExport', input, () => ({}));
  if (!done.ok) return d.error(req, 500, done.error);
  d.containerEvent(c, 'export');
  d.reply(req, 200, undefined, { params: { layers: c.image.layers.length } });
}

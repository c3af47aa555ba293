import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * What every image of the catalogue has, and what dockerd itself puts in each container's
 * rootfs (/etc/hostname, /etc/hosts, /etc/resolv.conf, /.dockerenv): the paths a copy can
 * find besides the container's own writes.
 */
const IMAGE_DIRS = [
  '/',
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/root',
  '/run',
  '/sbin',
  '/tmp',
  '/usr',
  '/var',
];
const IMAGE_FILES = [
  '/bin/sh',
  '/etc/passwd',
  '/etc/group',
  '/etc/hostname',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/.dockerenv',
];

const clean = (path: string): string => `/${path.split('/').filter(Boolean).join('/')}`;

type PathKind = 'dir' | 'file' | undefined;

const driverOf = (d: Daemon): 'overlay2' | 'overlayfs' =>
  d.profile === 'classic' ? 'overlay2' : 'overlayfs';

/**
 * dockerd mounts the container's rootfs (the image's layers under its own) and lstats the path
 * there (moby v20.10.24 daemon/archive.go containerStatPath): the storage driver lists the
 * container's own layer; the image's paths are the catalogue's.
 */
function* statPath(d: Daemon, c: ContainerRecord, path: string): Generator<Effect, PathKind, unknown> {
  const want = clean(path);
  const reply = asMessage(
    yield d.call('Storage', 'storage.diff', `lstat ${want} in ${short(c.id)}…'s mounted rootfs`, {
      payload: { driver: driverOf(d), key: c.rwKey },
      narration: 'storage.statPath',
      params: { path: want },
    }),
  );
  const written = ((((reply?.payload ?? {}) as JsonObject).changes ?? []) as { path: string }[]).map(
    (f) => f.path,
  );
  if (IMAGE_DIRS.includes(want) || written.some((p) => p.startsWith(`${want}/`))) return 'dir';
  if (IMAGE_FILES.includes(want) || written.includes(want)) return 'file';
  return undefined;
}

const notFound = (path: string, target: string) => `Could not find the file ${path} in container ${target}`;

/** `HEAD /containers/{id}/archive?path=`: the path's stat (a header), or 404 (daemon/archive.go ContainerStatPath). */
export function* archiveHead(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const path = query.path ?? '/';
  const kind = yield* statPath(d, c, path);
  if (kind === undefined) return d.error(req, 404, notFound(path, target));
  d.reply(req, 200, { name: clean(path).split('/').pop() ?? '', dir: kind === 'dir' }, { params: { path } });
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
  if ((yield* statPath(d, c, dir)) !== 'dir') return d.error(req, 404, notFound(dir, target));
  const files = ((body.files ?? []) as { path: string; size: number }[]).map((f) => ({
    path: clean(`${dir}/${f.path}`),
    size: f.size,
  }));
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
  if ((yield* statPath(d, c, path)) === undefined) return d.error(req, 404, notFound(path, target));
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
  yield* [];
  d.containerEvent(c, 'export');
  d.reply(req, 200, undefined, { params: { layers: c.image.layers.length } });
}

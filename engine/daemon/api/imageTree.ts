// GET /dockstep/v1/images/{name}/tree?path=/abs/dir — a dockstep endpoint for the image tree
// lesson: the image's root file system as a container will see it, from a real read-only
// overlay mount of its committed layers (lowerdir = the chain, topmost first; whiteouts and
// opaque directories applied by the kernel, https://docs.kernel.org/filesystems/overlayfs.html),
// mounted under the engine's run dir and unmounted before the answer. 200 text/plain: every
// path under `path` (not `path` itself; `path` alone when it is not a directory), absolute,
// sorted, one a line, directories included, symlinks not followed. A relative path or a `..`
// is 400; an absent image or path 404, in the Engine API's error shape.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf } from '../../image/errors.ts';
import { mountAll, unmount, type Mount } from '../../image/snapshot/mount.ts';
import type { Call, Route } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { findImage } from '../names.ts';

export function checkTreePath(path: string): string {
  if (!path.startsWith('/')) throw badRequest(`path ${JSON.stringify(path)} is not absolute`);
  if (path.split('/').includes('..')) throw badRequest(`path ${JSON.stringify(path)} has a ".." component`);
  if (path.includes('\0')) throw badRequest('path has a nul byte');
  return `/${path
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/')}`;
}

async function walk(base: string, rel: string, out: string[]): Promise<void> {
  for (const e of await readdir(join(base, rel), { withFileTypes: true })) {
    const child = rel === '/' ? `/${e.name}` : `${rel}/${e.name}`;
    out.push(child);
    if (e.isDirectory()) await walk(base, child, out);
  }
}

/** A symlink in the middle of `path` would resolve against the host's root: refused. */
async function noSymlinkOnTheWay(target: string, path: string): Promise<void> {
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 1; i < parts.length; i++) {
    const prefix = `/${parts.slice(0, i).join('/')}`;
    if ((await lstat(join(target, prefix))).isSymbolicLink())
      throw badRequest(`path ${path} goes through the symlink ${prefix}: give the path it points to`);
  }
}

async function withImageMount<T>(
  call: Call,
  lowers: string[],
  body: (target: string) => Promise<T>,
): Promise<T> {
  const target = join(call.engine.runDir, 'tree', randomBytes(6).toString('hex'));
  await mkdir(target, { recursive: true });
  const overlay: Mount[] = [
    { type: 'overlay', source: 'overlay', options: ['ro', `lowerdir=${lowers.join(':')}`] },
  ];
  try {
    try {
      await mountAll(overlay, target);
    } catch (error) {
      // A kernel that wants two lower dirs for a read-only overlay: one layer is a plain view.
      if (lowers.length !== 1) throw error;
      await mountAll([{ type: 'bind', source: lowers[0] ?? '', options: ['ro'] }], target);
    }
    try {
      return await body(target);
    } finally {
      await unmount(target);
    }
  } finally {
    await rmdir(target).catch(() => undefined);
  }
}

async function tree(call: Call): Promise<void> {
  const path = checkTreePath(call.query.get('path') ?? '/');
  const found = findImage(call.engine.root, call.params['name'] ?? '');
  const record = found.named ?? found.records[0];
  const top = record?.layers.at(-1)?.chainId;
  const lowers = top === undefined ? [] : call.engine.root.snapshots.lowers(top);
  if (lowers.length === 0) throw notFound(`image ${call.params['name'] ?? ''} has no layers`);
  const lines = await withImageMount(call, lowers, async (target) => {
    const at = join(target, path);
    let isDir: boolean;
    try {
      await noSymlinkOnTheWay(target, path);
      isDir = (await lstat(at)).isDirectory();
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR')
        throw notFound(`no such file or directory in image ${call.params['name'] ?? ''}: ${path}`);
      throw error;
    }
    const out: string[] = [];
    if (isDir) await walk(target, path, out);
    else out.push(path);
    return out.sort();
  });
  const body = lines.map((l) => `${l}\n`).join('');
  call.res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  call.res.end(body);
}

export const routes: Route[] = [{ method: 'GET', path: '/dockstep/v1/images/{name*}/tree', handler: tree }];

// `docker diff`'s real work: the Storage participant's Changes of a container's snapshot, what
// dockerd 20.10's overlay2 driver answers (moby v20.10.24 daemon/graphdriver/overlay2/overlay.go
// Changes → pkg/archive/changes.go, changes_linux.go). This host's dockerd uses the naive diff
// (archive.ChangesDirs of the layer against its parent), so the kinds follow it: a path new to
// the image is A (1), one whose mode, owner, device or — not for a directory — size or mtime
// differs is C (0), one gone is D (2); a directory with a change below it is C, listed before
// what is under it; the deletions of a directory come after its other changes. The snapshot's
// upper dir holds everything the container wrote, so only it is walked: a whiteout (a 0/0
// character device) is a deletion; an opaque directory (trusted.overlay.opaque=y) hides all the
// lower entries it does not hold again, each a deletion. dockerd compares against the container's
// init layer (daemon/initlayer/setup_unix.go): the mount points it makes are no change here either.
// Recorded: s-top-diff.txt, y-diff-export-import.txt.
import { execFile } from 'node:child_process';
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DiffEvidence, StorageInput } from '../../src/layers/storage/storageEffects.ts';
import type { RealSession } from './session.ts';

const execFileP = promisify(execFile);

/** Docker's change kinds (pkg/archive/changes.go ChangeType). */
export const CHANGE = { modify: 0, add: 1, delete: 2 } as const;

export interface Change {
  path: string;
  size: number;
  kind: number;
}

/** The container's init layer: files and directories dockerd makes for every container. */
const INIT_FILES = new Set([
  '/.dockerenv',
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/hostname',
  '/etc/mtab',
  '/dev/console',
]);
const INIT_DIRS = new Set(['/dev', '/dev/pts', '/dev/shm', '/proc', '/sys', '/etc']);

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

const isWhiteout = (s: Stats): boolean => s.isCharacterDevice() && s.rdev === 0;

/** Directories of the upper dir marked opaque, by their path in the container. */
async function opaqueDirs(upper: string): Promise<Set<string>> {
  let out: string;
  try {
    ({ stdout: out } = await execFileP(
      'getfattr',
      ['-R', '-P', '--absolute-names', '-n', 'trusted.overlay.opaque', '-e', 'text', upper],
      { maxBuffer: 64 << 20 },
    ));
  } catch (error) {
    // Exit status 1 when some entry lacks the attribute: what it printed is still the answer.
    out = (error as { stdout?: string }).stdout ?? '';
  }
  const dirs = new Set<string>();
  let file = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('# file: ')) file = line.slice('# file: '.length);
    else if (line === 'trusted.overlay.opaque="y"' && file.startsWith(upper))
      dirs.add(file.slice(upper.length) || '/');
  }
  return dirs;
}

/** What the image (the lower dirs, topmost first) has at `path`; a whiteout there hides it. */
async function lowerStat(lowers: readonly string[], path: string): Promise<Stats | undefined> {
  for (const dir of lowers) {
    const s = await lstatOrUndefined(join(dir, path));
    if (s !== undefined) return isWhiteout(s) ? undefined : s;
  }
  return undefined;
}

/** The names the image shows in directory `path`. */
async function lowerNames(lowers: readonly string[], path: string): Promise<string[]> {
  const seen = new Map<string, boolean>();
  for (const dir of lowers) {
    const names = await readdir(join(dir, path)).catch(() => [] as string[]);
    for (const name of names) {
      if (seen.has(name)) continue;
      const s = await lstatOrUndefined(join(dir, path, name));
      seen.set(name, s !== undefined && !isWhiteout(s));
    }
  }
  return [...seen].filter(([, visible]) => visible).map(([name]) => name);
}

/** pkg/archive/changes_unix.go statDifferent: size and mtime count for non-directories only. */
function statDifferent(a: Stats, b: Stats): boolean {
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev) return true;
  return !a.isDirectory() && (a.size !== b.size || a.mtimeMs !== b.mtimeMs);
}

interface Walk {
  upper: string;
  lowers: readonly string[];
  opaque: Set<string>;
}

const childPath = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** Everything under a directory the image did not have: each an addition. */
async function added(w: Walk, dir: string): Promise<Change[]> {
  const out: Change[] = [];
  for (const name of (await readdir(join(w.upper, dir))).sort()) {
    const path = childPath(dir, name);
    const s = await lstat(join(w.upper, path));
    if (isWhiteout(s)) continue;
    out.push({ path, size: s.isDirectory() ? 0 : s.size, kind: CHANGE.add });
    if (s.isDirectory()) out.push(...(await added(w, path)));
  }
  return out;
}

/** The changes under `dir`, a directory of the upper dir; `hides`: the image's entries are hidden there. */
async function changesIn(w: Walk, dir: string, hides: boolean): Promise<Change[]> {
  const out: Change[] = [];
  const deleted: Change[] = [];
  const names = (await readdir(join(w.upper, dir))).sort();
  for (const name of names) {
    const path = childPath(dir, name);
    const s = await lstat(join(w.upper, path));
    const old = await lowerStat(w.lowers, path);
    if (isWhiteout(s)) {
      if (old !== undefined && !hides) deleted.push({ path, size: 0, kind: CHANGE.delete });
      continue;
    }
    if (INIT_FILES.has(path)) continue;
    const init = INIT_DIRS.has(path) && s.isDirectory();
    if (old === undefined && !init) {
      out.push({ path, size: s.isDirectory() ? 0 : s.size, kind: CHANGE.add });
      if (s.isDirectory()) out.push(...(await added(w, path)));
      continue;
    }
    const changed = old !== undefined && statDifferent(old, s);
    if (changed) out.push({ path, size: s.isDirectory() ? 0 : s.size, kind: CHANGE.modify });
    if (!s.isDirectory()) continue;
    const below = await changesIn(w, path, hides || w.opaque.has(path));
    if (below.length > 0 && !changed) out.push({ path, size: 0, kind: CHANGE.modify });
    out.push(...below);
  }
  if (hides) {
    const kept = new Set(names);
    for (const name of (await lowerNames(w.lowers, dir)).sort())
      if (!kept.has(name)) deleted.push({ path: childPath(dir, name), size: 0, kind: CHANGE.delete });
  }
  return [...out, ...deleted];
}

/** The changes of an upper dir against the lower dirs below it (topmost first). */
export async function overlayChanges(upper: string, lowers: readonly string[]): Promise<Change[]> {
  return changesIn({ upper, lowers, opaque: await opaqueDirs(upper) }, '/', false);
}

/** The storage machine's `diffSnapshot` effect, real: an active snapshot's changes. */
export async function snapshotChanges(session: RealSession, p: StorageInput): Promise<DiffEvidence> {
  const snapshots = session.root.snapshots;
  const key = session.realKey(p.key);
  const info = snapshots.stat(key);
  if (info === undefined) throw new Error(`snapshot ${p.key} does not exist`);
  if (info.kind !== 'active') throw new Error(`snapshot ${p.key} is ${info.kind}: no upper dir to walk`);
  const upper = snapshots.fsPath(key);
  const lowers = info.parent === undefined ? [] : snapshots.lowers(info.parent);
  const changes = await overlayChanges(upper, lowers);
  const bytes = changes.reduce((n, c) => n + c.size, 0);
  return { changes, bytes, whole: false, walked: upper };
}

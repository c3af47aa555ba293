/**
 * Finding argv[0] the way runc does before it execs the container's process.
 *
 * runc's `runc init` (libcontainer/standard_init_linux.go) sets the container's environment and
 * then calls Go's `exec.LookPath(args[0])`, so the search uses the container's PATH
 * (https://pkg.go.dev/os/exec#LookPath, src/os/exec/lp_unix.go):
 *   - a name containing '/' is checked as is: `stat` must succeed, it must not be a directory
 *     (Go ≥ 1.20 says EISDIR, "is a directory"; Go ≤ 1.19, which built Debian 12's runc 1.1.5,
 *     says EACCES), and it must have an execute bit (else EACCES);
 *   - otherwise each PATH entry is tried in order, skipping what is missing, a directory or not
 *     executable; nothing found → exec.ErrNotFound.
 * The error text is Go's `exec.Error`: `exec: "NAME": ERR`. dockerd maps it to an exit code in
 * `translateContainerdStartErr` (moby daemon/start.go): "executable file not found" and "no such
 * file or directory" → 127, "permission denied" → 126, and "is a directory" → 126 with
 * ": permission denied" appended by dockerd (so the docker CLI, which looks for EACCES, exits 126).
 */

import type { DirectoryError } from './types.ts';

/** Directories every image has (FHS), besides the parents of its executables. */
const STANDARD_DIRS = [
  '/',
  '/bin',
  '/sbin',
  '/usr',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/lib',
  '/etc',
  '/var',
  '/tmp',
  '/root',
  '/home',
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/mnt',
  '/opt',
  '/srv',
];
/** Regular, non-executable files present in every container (docker bind-mounts the first three). */
const STANDARD_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/etc/passwd', '/etc/group'];

export type Lookup = { ok: true; path: string } | { ok: false; code: 126 | 127; message: string };

function directoriesOf(executables: readonly string[]): Set<string> {
  const dirs = new Set(STANDARD_DIRS);
  for (const exe of executables) {
    for (let i = exe.lastIndexOf('/'); i > 0; i = exe.lastIndexOf('/', i - 1)) dirs.add(exe.slice(0, i));
  }
  return dirs;
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** Go's findExecutable on `name` (as given, resolved against cwd): undefined when it can be exec'd. */
function check(
  name: string,
  cwd: string,
  executables: readonly string[],
  dirs: Set<string>,
  dirError: DirectoryError = 'is a directory',
): string | undefined {
  const p = normalise(name.startsWith('/') ? name : `${cwd}/${name}`);
  if (executables.includes(p)) return undefined;
  if (dirs.has(p)) return dirError;
  if (STANDARD_FILES.includes(p)) return 'permission denied';
  return `stat ${name}: no such file or directory`;
}

export function envValue(env: readonly string[], key: string): string | undefined {
  const prefix = key + '=';
  // The last assignment wins, as with getenv over a list with duplicates built by docker.
  for (let i = env.length - 1; i >= 0; i--) {
    const entry = env[i];
    if (entry?.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return undefined;
}

export function lookPath(
  name: string,
  env: readonly string[],
  executables: readonly string[],
  cwd = '/',
  dirError: DirectoryError = 'is a directory',
): Lookup {
  const dirs = directoriesOf(executables);
  const fail = (err: string, code: 126 | 127): Lookup => ({
    ok: false,
    code,
    message: `exec: "${name}": ${err}`,
  });
  if (name.includes('/')) {
    const err = check(name, cwd, executables, dirs, dirError);
    if (err === undefined)
      return { ok: true, path: normalise(name.startsWith('/') ? name : `${cwd}/${name}`) };
    return fail(err, err.startsWith('stat ') ? 127 : 126);
  }
  const path = envValue(env, 'PATH') ?? '';
  // filepath.SplitList("") is empty: no PATH, no search. An empty entry means the working directory.
  for (const dir of path === '' || name === '' ? [] : path.split(':')) {
    const candidate = `${dir === '' ? '.' : dir}/${name}`;
    if (check(candidate, cwd, executables, dirs) === undefined)
      return { ok: true, path: normalise(`${dir === '' ? cwd : dir}/${name}`) };
  }
  return fail('executable file not found in $PATH', 127);
}

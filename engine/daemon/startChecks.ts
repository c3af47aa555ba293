// What `dockstep engine` checks before it touches anything, so that a start that cannot work ends
// with one clear line and exit status 1 instead of a Node stack trace, a half-made root or a hang:
// it runs as root (it mounts overlay file systems and writes files owned by every user an image
// names — run as another user it would start and write wrong files); its root and socket
// directory are on a writable, disk-like file system (not /proc, /sys or another kernel pseudo
// file system: mount(8), proc(5), sysfs(5)); the socket path is not a directory or a file.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class StartError extends Error {}

/** Kernel file systems that hold no files of ours (proc(5), sysfs(5), cgroups(7), …). */
const PSEUDO = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'devtmpfs',
  'debugfs',
  'tracefs',
  'securityfs',
  'configfs',
  'pstore',
  'bpf',
  'fusectl',
  'mqueue',
  'binfmt_misc',
  'autofs',
  'efivarfs',
  'nsfs',
  'selinuxfs',
  'rpc_pipefs',
]);

interface MountEntry {
  target: string;
  fsType: string;
  readOnly: boolean;
}

/** /proc/self/mountinfo (proc(5)): mount point is field 5, its options 6, the type after " - ". */
export function parseMountInfo(text: string): MountEntry[] {
  const unescape = (s: string): string =>
    s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left = '', right = ''] = line.split(' - ');
    const fields = left.split(' ');
    const [fsType = '', , superOptions = ''] = right.split(' ');
    if (fields.length < 6 || fsType === '') continue;
    const options = `${fields[5] ?? ''},${superOptions}`.split(',');
    out.push({ target: unescape(fields[4] ?? ''), fsType, readOnly: options.includes('ro') });
  }
  return out;
}

/** The path with symlinks resolved as far as it exists (a root that does not exist yet is made later). */
function resolveExisting(path: string): string {
  let rest = '';
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return join(realpathSync(dir), rest);
    } catch {
      if (dir === dirname(dir)) return path;
      rest = join(basename(dir), rest);
    }
  }
}

/** The mount a path is (or would be) on: the longest mount point above it, the last one mounted. */
function mountOf(path: string, mounts: readonly MountEntry[]): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const above = m.target === '/' || path === m.target || path.startsWith(`${m.target}/`);
    if (above && (best === undefined || m.target.length >= best.target.length)) best = m;
  }
  return best;
}

/** The kernel's trees: whatever is mounted below them (a cgroup v1 tmpfs in /sys/fs/cgroup) is its too. */
const KERNEL_TREES = ['/proc', '/sys'];

/** Refuses a directory on a kernel pseudo file system or a read-only mount. */
export function checkWritableDir(what: string, path: string, mountInfo: string): void {
  const real = resolveExisting(path);
  const tree = KERNEL_TREES.find((t) => real === t || real.startsWith(`${t}/`));
  if (tree !== undefined)
    throw new StartError(
      `${what} ${path} is in ${tree}, the kernel's own tree, which cannot hold it: choose a directory on a disk`,
    );
  const mount = mountOf(real, parseMountInfo(mountInfo));
  if (mount === undefined) return;
  if (PSEUDO.has(mount.fsType))
    throw new StartError(
      `${what} ${path} is on the kernel's ${mount.fsType} file system (${mount.target}), which cannot hold it: choose a directory on a disk`,
    );
  if (mount.readOnly) throw new StartError(`${what} ${path} is on a read-only file system (${mount.target})`);
}

function kindOf(path: string): string | undefined {
  try {
    const st = lstatSync(path);
    if (st.isSocket()) return 'socket';
    return st.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}

export interface StartPaths {
  root: string;
  socket: string;
}

/** Every check, in the order a user fixes them; `uid` and `mountInfo` are the host's unless given. */
export function checkStart(
  paths: StartPaths,
  uid: number | undefined = process.getuid?.(),
  mountInfo: string = readFileSync('/proc/self/mountinfo', 'utf8'),
): void {
  if (uid !== 0)
    throw new StartError(
      `must run as root, not as uid ${uid ?? 'unknown'}: the engine mounts overlay file systems and writes files owned by the users its images name`,
    );
  const rootKind = kindOf(paths.root);
  if (rootKind !== undefined && rootKind !== 'directory')
    throw new StartError(`root ${paths.root} is a ${rootKind}, not a directory`);
  checkWritableDir('root', paths.root, mountInfo);
  const socketKind = kindOf(paths.socket);
  if (socketKind !== undefined && socketKind !== 'socket')
    throw new StartError(
      `socket ${paths.socket} is a ${socketKind}: give --socket the path of a socket to create`,
    );
  checkWritableDir('socket directory', dirname(paths.socket), mountInfo);
}

/** A system call's failure in one line: `mkdir /x/y: permission denied (EACCES)`. */
export function systemErrorLine(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string')
    return undefined;
  const what = /^\w+: ([^,]+)/.exec(error.message)?.[1] ?? e.code;
  return `${e.syscall}${e.path === undefined ? '' : ` ${e.path}`}: ${what} (${e.code})`;
}

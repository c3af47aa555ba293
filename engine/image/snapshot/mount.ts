// Mounting what the snapshotter describes, with mount(8): Node has no mount(2). An overlay
// mount is `mount -t overlay overlay -o lowerdir=A:B,upperdir=U,workdir=W TARGET`; a read-only
// view of several layers is lowerdir alone; of one layer, a read-only bind mount (overlayfs
// needs two lower dirs without an upper). The kernel takes at most one page of mount options,
// so a long lowerdir is made relative to the snapshots directory and mount runs there — the
// trick containerd's overlay snapshotter uses for deep images.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { runOffThread } from '../offThread.ts';
import { run } from '../tools.ts';

export interface Mount {
  type: 'overlay' | 'bind';
  source: string;
  options: string[];
}

const OPTIONS_MAX = 4000;

function compact(options: string[], base: string): string[] {
  return options.map((o) => {
    const eq = o.indexOf('=');
    if (eq < 0) return o;
    const key = o.slice(0, eq);
    if (key !== 'lowerdir' && key !== 'upperdir' && key !== 'workdir') return o;
    return `${key}=${o
      .slice(eq + 1)
      .split(':')
      .map((p) => relative(base, p))
      .join(':')}`;
  });
}

export async function mountAll(mounts: readonly Mount[], target: string): Promise<void> {
  for (const m of mounts) {
    if (m.type === 'bind') {
      await run('mount', ['--bind', ...(m.options.includes('ro') ? ['-o', 'ro'] : []), m.source, target]);
      continue;
    }
    let options = m.options;
    let cwd: string | undefined;
    if (options.join(',').length > OPTIONS_MAX) {
      const upper = options.find((o) => o.startsWith('upperdir=') || o.startsWith('lowerdir='));
      cwd = dirname(dirname(upper?.slice(upper.indexOf('=') + 1).split(':')[0] ?? '/'));
      options = compact(options, cwd);
    }
    await run(
      'mount',
      ['-t', 'overlay', 'overlay', '-o', options.join(','), target],
      cwd === undefined ? {} : { cwd },
    );
  }
}

/** A target waiting for umount(8), and who waits for it. */
interface Unmount {
  target: string;
  done: (error?: unknown) => void;
}

const waiting: Unmount[] = [];
let unmounting = 0;
/** umount processes at once; what is asked for meanwhile waits for the next. */
const UNMOUNTERS = 2;

/**
 * Unmounts `target` with umount(8). Targets asked for while umount runs go together in the next
 * one (`umount A B …`, which unmounts each in turn): a `docker rm -f` of fifty containers costs a
 * few processes, not fifty.
 */
export function unmount(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    waiting.push({ target, done: (error) => (error === undefined ? resolve() : reject(error)) });
    if (unmounting < UNMOUNTERS) void unmountWaiting();
  });
}

async function unmountWaiting(): Promise<void> {
  unmounting++;
  try {
    for (let batch = waiting.splice(0); batch.length > 0; batch = waiting.splice(0)) {
      const error = await runOffThread(
        'umount',
        batch.map((u) => u.target),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error === undefined) batch.forEach((u) => u.done());
      else if (batch.length === 1) batch[0]?.done(error);
      else await unmountAlone(batch);
    }
  } finally {
    unmounting--;
  }
}

/** A batch failed: what it unmounted is done, the rest is unmounted alone, for its own error. */
async function unmountAlone(batch: Unmount[]): Promise<void> {
  const mounted = mountPoints();
  for (const u of batch) {
    if (!mounted.has(u.target)) u.done();
    else
      await runOffThread('umount', [u.target]).then(
        () => u.done(),
        (e: unknown) => u.done(e),
      );
  }
}

/** The mount points of this mount namespace (/proc/self/mounts escapes space, tab, newline, backslash). */
function mountPoints(): Set<string> {
  const unescape = (p: string): string =>
    p.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return new Set(
    readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => unescape(line.split(' ')[1] ?? '')),
  );
}

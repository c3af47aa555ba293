// Mounting what the snapshotter describes, with mount(8): Node has no mount(2). An overlay
// mount is `mount -t overlay overlay -o lowerdir=A:B,upperdir=U,workdir=W TARGET`; a read-only
// view of several layers is lowerdir alone; of one layer, a read-only bind mount (overlayfs
// needs two lower dirs without an upper). The kernel takes at most one page of mount options,
// so a long lowerdir is made relative to the snapshots directory and mount runs there — the
// trick containerd's overlay snapshotter uses for deep images.
import { dirname, relative } from 'node:path';
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

export async function unmount(target: string): Promise<void> {
  await run('umount', [target]);
}

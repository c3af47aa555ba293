// The file system both stores live on during bench:pull: a new ext4 (mkfs.ext4's defaults, with a
// journal, as a lab machine's /var/lib has) in a sparse file, loop-mounted, and removed at the
// end. Why not the host's own disk: on a journal-less ext4, every file create skips the inodes
// freed in the last one to five minutes (fs/ext4/ialloc.c, recently_deleted), so whatever the
// machine deleted just before — a test run, a previous bench — slowed both sides' unpacks by up
// to 4× (measured), and the figures said more about the machine's past than about the pulls.
// `--fs host` keeps the stores on the host's /var/tmp instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchFs {
  /** Where the stores go. */
  path: string;
  /** What it is, for the bench's header line. */
  what: string;
  remove(): void;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim();
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(
      `bench: ${cmd} ${args.join(' ')} failed: ${stderr || (error as Error).message} (try --fs host)`,
      { cause: error },
    );
  }
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === path);
}

/**
 * A fresh ext4 of `gib` GiB mounted at `dir`/mnt, its image file beside it. A mount left there by
 * an interrupted run is unmounted first (call this before removing `dir`).
 */
export function freshExt4(dir: string, gib: number): BenchFs {
  const image = join(dir, 'fs.img');
  const mnt = join(dir, 'mnt');
  if (mounted(mnt)) run('umount', [mnt]);
  rmSync(image, { force: true });
  mkdirSync(mnt, { recursive: true });
  run('truncate', ['-s', `${gib}G`, image]);
  run('mkfs.ext4', ['-q', '-F', image]);
  // Direct I/O: the loop device writes the image file without a second copy in the host's page
  // cache, so no host writeback of the image competes with the pulls (losetup(8)).
  const device = run('losetup', ['--find', '--show', '--direct-io=on', image]);
  try {
    run('mount', [device, mnt]);
  } finally {
    // Detached as soon as it is unmounted.
    run('losetup', ['--detach', device]);
  }
  return {
    path: mnt,
    what: `a fresh ext4 (${gib} GiB on ${device}, direct I/O)`,
    remove: () => {
      run('umount', [mnt]);
      rmSync(image, { force: true });
    },
  };
}

export function hostFs(dir: string): BenchFs {
  mkdirSync(dir, { recursive: true });
  return { path: dir, what: `the host's ${dir}`, remove: () => undefined };
}

// The two marks overlayfs reads in a lower directory (https://docs.kernel.org/filesystems/overlayfs.html,
// "whiteouts and opaque directories"), made the way Docker's overlay2 and containerd's overlay
// snapshotter make them when they apply a layer:
//   `.wh.NAME` in the tar  → NAME becomes a character device 0/0 (a whiteout: NAME is deleted)
//   `.wh..wh..opq` in DIR  → DIR gets the xattr trusted.overlay.opaque=y (lower contents hidden)
// Node has neither mknod(2) nor setxattr(2). One mknod(1) per whiteout costs a process each
// (2.7 ms measured here, against 0.01 ms for a hard link); instead one 0/0 device is made once per snapshotter root and every whiteout is a
// hard link to it — overlayfs itself shares one whiteout inode this way since Linux 5.8
// (fs/overlayfs/dir.c, ovl_whiteout), and the kernel tests only the type and device number.
// Xattrs (opaque marks, and SCHILY.xattr records of the layer) go through one
// `setfattr -h --restore=-` per layer: 3.8 ms for 100 directories, against 2.7 ms for each
// setfattr -n call.
import { linkSync, lstatSync } from 'node:fs';
import { errnoOf, ImageError } from '../errors.ts';
import { run } from '../tools.ts';

export interface XattrSet {
  /** Path relative to the layer root. */
  path: string;
  name: string;
  value: Buffer;
}

/** A character device 0/0 at `path`, made with mknod(1) if missing, checked either way. */
export async function ensureWhiteoutDevice(path: string): Promise<void> {
  try {
    lstatSync(path);
  } catch {
    await run('mknod', ['-m', '000', path, 'c', '0', '0']);
  }
  const s = lstatSync(path);
  if (!s.isCharacterDevice() || s.rdev !== 0)
    throw new ImageError('server', `whiteout template ${path} is not a 0/0 character device`);
}

/** Makes whiteouts as hard links to a 0/0 device (or one mknod each without a template). */
export class Whiteouts {
  private readonly pending: string[] = [];

  constructor(private readonly template: string | undefined) {}

  /** `abs` must not exist. */
  make(abs: string): void {
    if (this.template === undefined) {
      this.pending.push(abs);
      return;
    }
    try {
      linkSync(this.template, abs);
    } catch (error) {
      // ext4 allows 65000 links to an inode, and links never cross file systems: mknod then.
      if (errnoOf(error) !== 'EMLINK' && errnoOf(error) !== 'EXDEV') throw error;
      this.pending.push(abs);
    }
  }

  /** The whiteouts deferred for lack of a template. */
  async flush(): Promise<void> {
    for (const abs of this.pending.splice(0)) await run('mknod', [abs, 'c', '0', '0']);
  }
}

/** setfattr's quoting (attr's libmisc/quote.c): bytes outside printable ASCII, `\` and `=` as \ooo. */
function quotePath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    out +=
      byte > 0x20 && byte < 0x7f && byte !== 0x5c && byte !== 0x3d
        ? String.fromCharCode(byte)
        : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** All xattrs of one layer in one setfattr process, run in the layer root on relative paths. */
export async function setXattrs(root: string, sets: readonly XattrSet[]): Promise<void> {
  if (sets.length === 0) return;
  let dump = '';
  let last: string | undefined;
  for (const s of sets) {
    if (s.path !== last)
      dump += `${last === undefined ? '' : '\n'}# file: ${quotePath(s.path === '' ? '.' : s.path)}\n`;
    last = s.path;
    dump += `${s.name}=0x${s.value.toString('hex')}\n`;
  }
  await run('setfattr', ['-h', '--restore=-'], { cwd: root, input: `${dump}\n` });
}

// Hostile layers, built byte by byte: each is refused with a clear error and nothing outside the
// layer directory changes (REFERENCE.md "Layer unpacking": CVE-2014-6407, CVE-2014-9356,
// CVE-2021-32760, CVE-2017-14992). Plus the tricky but legal entries that must work.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { tarEnd, tarEntry, tarOf, type WriteEntry } from '../../engine/image/archive/writer.ts';
import { sha256 } from '../../engine/image/digest.ts';
import { isImageError } from '../../engine/image/errors.ts';
import { pull } from '../../engine/image/pull.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { Whiteouts } from '../../engine/image/unpack/marks.ts';
import { LayerUnpacker, type UnpackLimits } from '../../engine/image/unpack/unpack.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import { serveImage, startFakeRegistry } from './helpers/fakeRegistry.ts';
import { buildLayer, writeImage } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';

type Spec = { entry: WriteEntry; data?: Buffer }[];

/** Every path under `dir` with its type, mode, owner and content hash. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      const s = lstatSync(join(dir, path));
      const hash = s.isFile()
        ? createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex')
            .slice(0, 12)
        : s.isSymbolicLink()
          ? readlinkSync(join(dir, path))
          : '';
      out.push(`${path} ${s.mode.toString(8)} ${s.uid}:${s.gid} ${hash}`);
      if (s.isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}

const work = tempDir('unpack');
let outside = '';
let n = 0;
let before: string[] = [];

async function unpack(
  spec: Spec | Buffer,
  options: { diffId?: string; limits?: Partial<UnpackLimits> } = {},
): Promise<{ dir: string; result: Awaited<ReturnType<LayerUnpacker['end']>> }> {
  const dir = join(work.path, 'layers', String(++n));
  mkdirSync(dir, { recursive: true });
  const blob = Buffer.isBuffer(spec) ? spec : gzipSync(tarOf(spec));
  const u = new LayerUnpacker(dir, {
    layer: sha256(blob),
    chown: true,
    whiteouts: new Whiteouts(undefined),
    ...(options.diffId ? { expectedDiffId: options.diffId } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  for (let i = 0; i < blob.length; i += 65536) if (!u.write(blob.subarray(i, i + 65536))) await u.drained();
  return { dir, result: await u.end() };
}

async function refused(
  spec: Spec | Buffer,
  message: RegExp,
  options: { diffId?: string; limits?: Partial<UnpackLimits> } = {},
): Promise<void> {
  let error: unknown;
  try {
    await unpack(spec, options);
  } catch (e) {
    error = e;
  }
  expect(isImageError(error), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
  expect(snapshot(outside)).toEqual(before);
}

const file = (path: string, text = 'pwned\n', mode = 0o644): { entry: WriteEntry; data: Buffer } => ({
  entry: { path, mode },
  data: Buffer.from(text),
});
const symlink = (path: string, target: string): { entry: WriteEntry } => ({
  entry: { path, typeflag: '2', linkpath: target },
});
const hardlink = (path: string, target: string): { entry: WriteEntry } => ({
  entry: { path, typeflag: '1', linkpath: target },
});

function unpackTests1(): void {
  it('refuses ../ paths', async () => {
    await refused(
      [file('../../outside/secret')],
      /^layer entry "\.\.\/\.\.\/outside\/secret" climbs out of the layer with "\.\.": refused$/,
    );
    await refused([file('a/../../../outside/evil')], /climbs out of the layer/);
  });

  it('refuses absolute paths', async () => {
    await refused(
      [file(`${outside}/evil`)],
      /^layer entry ".*\/outside\/evil" is an absolute path: refused$/,
    );
  });

  it('refuses a write through an absolute symlink', async () => {
    await refused(
      [symlink('link', outside), file('link/secret', 'overwritten\n')],
      /^layer entry "link\/secret" goes through a symlink at "link": refused$/,
    );
  });

  it('refuses a write through a relative symlink that climbs out', async () => {
    await refused([symlink('rel', '../../outside'), file('rel/evil')], /goes through a symlink at "rel"/);
    await refused(
      [
        { entry: { path: 'd', typeflag: '5' } },
        symlink('d/up', '../../../outside'),
        { entry: { path: 'd/up/etc', typeflag: '5' } },
      ],
      /goes through a symlink at "d\/up"/,
    );
  });

  it('refuses hard links to host files and to anything not made by the layer', async () => {
    await refused(
      [hardlink('h', '/etc/passwd')],
      /^layer hard link target "\/etc\/passwd" is an absolute path: refused$/,
    );
    await refused(
      [hardlink('h', '../../outside/secret')],
      /hard link target "\.\.\/\.\.\/outside\/secret" climbs out/,
    );
    await refused(
      [symlink('s', outside), hardlink('h', 's/secret')],
      /^layer hard link "h" points at "s\/secret", which is not a file of this layer: refused$/,
    );
    await refused([hardlink('h', 'nothing')], /which is not a file of this layer/);
  });
}

function unpackTests2(): void {
  it('refuses device nodes other than whiteouts', async () => {
    await refused(
      [{ entry: { path: 'sda', typeflag: '4', devmajor: 8, devminor: 0 } }],
      /^layer entry "sda" is a block device 8:0: device nodes are refused$/,
    );
    await refused(
      [{ entry: { path: 'mem', typeflag: '3', devmajor: 1, devminor: 1 } }],
      /is a char device 1:1: device nodes are refused/,
    );
  });

  it('never changes modes or owners through a symlink (CVE-2021-32760)', async () => {
    const { dir } = await unpack([
      symlink('s', join(outside, 'secret')),
      { entry: { path: 's', typeflag: '5', mode: 0o777, uid: 1000, gid: 1000 } },
      symlink('t', join(outside, 'etc')),
      { ...file('t', 'file now\n', 0o4777), entry: { path: 't', mode: 0o4777, uid: 1000 } },
    ]);
    expect(lstatSync(join(dir, 's')).isDirectory()).toBe(true);
    expect(lstatSync(join(dir, 't')).isFile()).toBe(true);
    expect(statSync(join(dir, 't')).mode & 0o7777).toBe(0o4777);
    // beforeEach/refused compare the outside tree; check here too.
    expect(snapshot(outside)).toEqual(before);
  });

  it('refuses overlayfs xattrs carried by the layer', async () => {
    await refused(
      [{ entry: { path: 'd', typeflag: '5', xattrs: { 'trusted.overlay.redirect': '/elsewhere' } } }],
      /carries the overlayfs xattr trusted\.overlay\.redirect: refused/,
    );
  });

  it('refuses a gzip bomb by ratio (defaults) and by size', async () => {
    // 1 GiB of zeros in ~1 MB: one gzip member per 16 MiB of zeros, concatenated.
    const header = Buffer.concat(tarEntry({ path: 'zeros', size: 2 ** 30 }).slice(0, 1));
    const zeros = gzipSync(Buffer.alloc(16 << 20));
    const bomb = Buffer.concat([
      gzipSync(header),
      ...Array.from({ length: 64 }, () => zeros),
      gzipSync(tarEnd()),
    ]);
    expect(bomb.length).toBeLessThan(2 << 20);
    await refused(
      bomb,
      /^layer [0-9a-f]{12} expands more than 250x \(\d+ bytes from \d+\): refused as a gzip bomb$/,
    );
    await refused(
      gzipSync(tarOf([file('big', 'x'.repeat(4 << 20))])),
      /expands beyond 1048576 bytes: refused$/,
      { limits: { maxBytes: 1 << 20 } },
    );
  });
}

function unpackTests3(): void {
  it('refuses a layer whose diff id is not the one in the config', async () => {
    await refused(
      [file('a')],
      /^layer [0-9a-f]{12} has diff id sha256:[0-9a-f]{64}, the image config says sha256:0{64}: refused$/,
      { diffId: `sha256:${'0'.repeat(64)}` },
    );
  });

  it('refuses malformed tars: a bad checksum, a cut entry, unsupported types', async () => {
    const tar = tarOf([file('a')]);
    tar[10] = 0x41;
    await refused(gzipSync(tar), /^layer tar: bad header checksum/);
    await refused(
      gzipSync(tarOf([file('a', 'x'.repeat(2000))]).subarray(0, 1024)),
      /^layer tar is truncated in entry "a"$/,
    );
    await refused([{ entry: { path: 'sparse', typeflag: 'S' } }], /unsupported type "S" \(gnu sparse file\)/);
    await refused([{ entry: { path: 'x/.wh..', typeflag: '0' } }], /whiteout "x\/\.wh\.\." names no file/);
  });

  it('applies what is legal: later entries win, whiteouts, opaque dirs, fifos, hard links, odd names with xattrs', async () => {
    const odd = 'dir/odd name=é\\x';
    const { dir, result } = await unpack([
      file('a', 'one\n'),
      file('a', 'two\n'),
      { entry: { path: 'dir', typeflag: '5', mode: 0o2775, gid: 50 } },
      { ...file(odd, 'odd\n'), entry: { path: odd, xattrs: { 'user.k': 'v' } } },
      { entry: { path: 'dir/.wh.gone' } },
      { entry: { path: 'dir/.wh..wh..opq' } },
      { entry: { path: 'pipe', typeflag: '6', mode: 0o600 } },
      hardlink('b', 'a'),
      { entry: { path: 'a', typeflag: '3', devmajor: 0, devminor: 0 } },
    ]);
    expect(result).toMatchObject({ whiteouts: 2, opaques: 1, gzip: true });
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('two\n');
    const wh = lstatSync(join(dir, 'a'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    expect(lstatSync(join(dir, 'dir/gone')).isCharacterDevice()).toBe(true);
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
    expect(statSync(join(dir, 'dir')).mode & 0o7777).toBe(0o2775);
    // The tar says 0:0: the setgid parent's group (inherited at create) must not stay.
    expect(statSync(join(dir, odd)).gid).toBe(0);
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.k', join(dir, odd)]).toString()).toBe('v');
    expect(
      execFileSync('getfattr', [
        '--only-values',
        '-n',
        'trusted.overlay.opaque',
        join(dir, 'dir'),
      ]).toString(),
    ).toBe('y');
  });
}

function unpackTests4(): void {
  it('a hostile image pulled from a registry leaves nothing behind', async () => {
    const fake = await startFakeRegistry();
    const root = await ImageRoot.open(join(work.path, 'root'));
    try {
      const image = writeImage(join(work.path, 'bad-layout'), [
        buildLayer([file('ok')]),
        buildLayer([symlink('link', outside), file('link/secret', 'overwritten\n')]),
      ]);
      serveImage(fake, 'bad', 'v1', image);
      await expect(pull(root, `${fake.host}/bad:v1`)).rejects.toThrow(
        /goes through a symlink at "link": refused/,
      );
      await expectOnlyReferenced(root);
      expect(root.snapshots.list()).toEqual([]);
      expect(await root.content.list()).toEqual([]);
    } finally {
      await root.close();
      await fake.stop();
    }
  });
}

realSuite('layer unpacking refuses hostile layers', ['root', 'attr'], () => {
  beforeAll(() => {
    outside = join(work.path, 'outside');
    mkdirSync(join(outside, 'etc'), { recursive: true });
    writeFileSync(join(outside, 'secret'), 'secret\n', { mode: 0o600 });
    writeFileSync(join(outside, 'etc', 'passwd'), 'root:x:0:0::/:/bin/sh\n');
    before = snapshot(outside);
  });
  beforeEach(() => expect(snapshot(outside)).toEqual(before));
  afterAll(() => work.remove());

  unpackTests1();
  unpackTests2();
  unpackTests3();
  unpackTests4();
});

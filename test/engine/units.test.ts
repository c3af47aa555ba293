// The pure parts of the image plumbing: the tar reader against GNU tar's own archives (pax,
// gnu long names, any chunking), references as docker normalises them, platform choice in an
// index, WWW-Authenticate challenges, chain ids.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TarReader, type TarEntry } from '../../engine/image/archive/reader.ts';
import { tarOf } from '../../engine/image/archive/writer.ts';
import { chainIds, sha256 } from '../../engine/image/digest.ts';
import { choosePlatform, hostPlatform } from '../../engine/image/platform.ts';
import { familiarName, formatReference, parseReference } from '../../engine/image/reference.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('units');
afterAll(() => work.remove());

function read(tar: Buffer, step: number): { entries: (Omit<TarEntry, 'xattrs'> & { data: string })[] } {
  const entries: (Omit<TarEntry, 'xattrs'> & { data: string })[] = [];
  let data: Buffer[] = [];
  const reader = new TarReader({
    entry: ({ xattrs: _x, ...e }) => {
      data = [];
      entries.push({ ...e, data: '' });
    },
    data: (c) => data.push(Buffer.from(c)),
    done: () => {
      const last = entries.at(-1);
      if (last) last.data = Buffer.concat(data).toString();
    },
  });
  for (let i = 0; i < tar.length; i += step) reader.write(tar.subarray(i, i + step));
  reader.end();
  return { entries };
}

describe('tar reader', () => {
  const src = join(work.path, 'src');
  const long = `${'d'.repeat(120)}/${'f'.repeat(130)}`;
  mkdirSync(join(src, 'd'.repeat(120)), { recursive: true });
  writeFileSync(join(src, long), 'long\n');
  symlinkSync('t'.repeat(150), join(src, 'longlink'));
  writeFileSync(join(src, 'ünïcode'), 'u\n');

  for (const format of ['gnu', 'pax', 'ustar'] as const) {
    it(`reads GNU tar's ${format} format in any chunking`, () => {
      const args = ['--format', format, '-cf', '-', '-C', src, '--sort=name', '.'];
      if (format === 'ustar') args.splice(args.indexOf('.'), 1, 'ünïcode');
      const tar = execFileSync('tar', args, { maxBuffer: 1 << 24 });
      for (const step of [1, 7, 512, 100_000]) {
        const { entries } = read(tar, step);
        if (format === 'ustar') {
          expect(entries.map((e) => [e.path, e.data])).toEqual([['ünïcode', 'u\n']]);
          continue;
        }
        const byPath = new Map(entries.map((e) => [e.path.replace(/^\.\//, ''), e]));
        expect(byPath.get(long)).toMatchObject({ type: 'file', data: 'long\n', size: 5 });
        expect(byPath.get('longlink')).toMatchObject({ type: 'symlink', linkpath: 't'.repeat(150) });
        expect(byPath.get('ünïcode')?.data).toBe('u\n');
      }
    });
  }

  it('reads what the writer writes: pax names, xattrs, devices, and GNU base-256 numbers', () => {
    const tar = tarOf([
      {
        entry: { path: 'x/'.repeat(80) + 'y', xattrs: { 'user.a': 'b' }, uid: 70000, mtime: 1.5e9 },
        data: Buffer.from('abc'),
      },
      { entry: { path: 'dev', typeflag: '3', devmajor: 4, devminor: 64 } },
    ]);
    const { entries } = read(tar, 3);
    expect(entries[0]).toMatchObject({ path: 'x/'.repeat(80) + 'y', data: 'abc', uid: 70000, mtime: 1.5e9 });
    expect(entries[1]).toMatchObject({ type: 'char', devmajor: 4, devminor: 64 });
    const b256 = Buffer.from(tarOf([{ entry: { path: 'big' } }]));
    b256.fill(0, 108, 116);
    b256[108] = 0x80;
    b256.writeUInt32BE(1_000_000, 112);
    b256.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += b256[i] ?? 0;
    b256.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    expect(read(b256, 512).entries[0]?.uid).toBe(1_000_000);
  });
});

describe('references', () => {
  it('normalises like docker', () => {
    expect(formatReference(parseReference('busybox'))).toBe('docker.io/library/busybox:latest');
    expect(formatReference(parseReference('user/app:1.0'))).toBe('docker.io/user/app:1.0');
    expect(formatReference(parseReference('localhost:5000/a/b@sha256:' + 'a'.repeat(64)))).toBe(
      `localhost:5000/a/b@sha256:${'a'.repeat(64)}`,
    );
    expect(parseReference('127.0.0.1:5000/app')).toMatchObject({
      domain: '127.0.0.1:5000',
      path: 'app',
      tag: 'latest',
    });
    expect(familiarName(parseReference('docker.io/library/busybox:1'))).toBe('busybox:1');
  });

  it('refuses bad names with docker-style messages', () => {
    expect(() => parseReference('Busybox')).toThrow(
      'invalid reference format: repository name must be lowercase ("Busybox")',
    );
    expect(() => parseReference('a:b:c')).toThrow(/^invalid reference format/);
    expect(() => parseReference('app:bad tag')).toThrow(/bad tag/);
    expect(() => parseReference('')).toThrow('invalid reference format ("")');
    expect(() => parseReference(`app@sha256:${'a'.repeat(40)}`)).toThrow(
      `invalid reference format: invalid checksum digest length ("app@sha256:${'a'.repeat(40)}")`,
    );
  });
});

describe('platforms, chain ids', () => {
  const d = (arch: string, os = 'linux', variant?: string) => ({
    mediaType: 'm',
    digest: sha256(arch + os + (variant ?? '')),
    size: 1,
    platform: { os, architecture: arch, ...(variant ? { variant } : {}) },
  });

  it('maps node arch names to the oci ones and picks the host entry, never an attestation', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    const list = [d('unknown', 'unknown'), d('arm', 'linux', 'v7'), d('arm64'), d('amd64')];
    expect(choosePlatform(list, { os: 'linux', architecture: 'amd64' }, 'x').platform?.architecture).toBe(
      'amd64',
    );
    expect(
      choosePlatform(list, { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'x').platform?.architecture,
    ).toBe('arm64');
    expect(() => choosePlatform(list, { os: 'linux', architecture: 's390x' }, 'r/x:1')).toThrow(
      'no matching manifest for linux/s390x in the manifest list entries of r/x:1 (offered: linux/arm/v7, linux/arm64, linux/amd64)',
    );
  });

  it('computes chain ids as the image spec defines them', () => {
    const [a, b] = [sha256('a'), sha256('b')];
    expect(chainIds([a, b])).toEqual([a, sha256(`${a} ${b}`)]);
  });
});

import { words, type Arch, type LayerSpec, type Step } from './build.ts';

/**
 * The `debian:bookworm-slim` base (Debian 12.9) that `nginx:latest` and `redis:latest` are
 * built `FROM`. Both images list this very layer, with the same digest and diff id: a pull of
 * the second finds it `Already exists`, and the snapshotter keeps one copy of it (its chain id
 * is its diff id). The official image is built by debuerreotype from a snapshot of the Debian
 * archive, so its only history entry is the debian.sh invocation with the snapshot's epoch
 * (https://github.com/debuerreotype/docker-debian-artifacts).
 */

export const DEBIAN_CREATED = '2025-02-03T00:00:00Z';

/** The GNU triplet of the multiarch library directory. */
export function triplet(arch: Arch): string {
  return arch === 'amd64' ? 'x86_64-linux-gnu' : 'aarch64-linux-gnu';
}

/**
 * The files a full Debian-family root file system (Debian, Ubuntu) shows the process model: a
 * merged /usr (/bin and /lib are symlinks into it), bash, dash as /bin/sh, apt, the C library and
 * the distribution's release file (`/etc/debian_version`, `/etc/lsb-release`).
 */
export function usrMergedFiles(arch: Arch, releaseFile: string): NonNullable<LayerSpec['files']> {
  return [
    { path: '/bin', kind: 'symlink', target: 'usr/bin' },
    { path: '/lib', kind: 'symlink', target: 'usr/lib' },
    { path: '/usr/bin/bash', kind: 'file' },
    { path: '/usr/bin/dash', kind: 'file' },
    { path: '/usr/bin/sh', kind: 'symlink', target: 'dash' },
    { path: '/usr/bin/apt-get', kind: 'file' },
    { path: `/usr/lib/${triplet(arch)}/libc.so.6`, kind: 'file' },
    { path: releaseFile, kind: 'file' },
    { path: '/etc/os-release', kind: 'symlink', target: '../usr/lib/os-release' },
    { path: '/var/lib/dpkg/status', kind: 'file' },
  ];
}

function baseLayer(arch: Arch): LayerSpec {
  const lib = `/usr/lib/${triplet(arch)}`;
  return {
    label: `debian bookworm-slim rootfs (debian.sh 20250203, linux/${arch})`,
    size: arch === 'amd64' ? 28_227_259 : 28_044_162,
    uncompressedSize: arch === 'amd64' ? 74_829_312 : 72_488_960,
    // Bookworm has a merged /usr: /bin, /sbin and /lib are symlinks into /usr.
    files: [
      { path: '/bin', kind: 'symlink', target: 'usr/bin' },
      { path: '/lib', kind: 'symlink', target: 'usr/lib' },
      { path: '/usr/bin/bash', kind: 'file', size: 1_265_648 },
      { path: '/usr/bin/dash', kind: 'file', size: 125_640 },
      { path: '/usr/bin/sh', kind: 'symlink', target: 'dash' },
      { path: '/usr/bin/apt-get', kind: 'file', size: 51_376 },
      { path: `${lib}/libc.so.6`, kind: 'file', size: 1_922_136 },
      { path: '/etc/debian_version', kind: 'file', size: 5 },
      { path: '/etc/os-release', kind: 'symlink', target: '../usr/lib/os-release' },
      { path: '/etc/apt/sources.list.d/debian.sources', kind: 'file', size: 430 },
      { path: '/var/lib/dpkg/status', kind: 'file', size: 72_683 },
      // Illustrative: gives nginx's package layer a lower file to white out (see nginx.ts).
      { path: '/var/lib/apt/lists/auxfiles', kind: 'dir' },
    ],
  };
}

/** The base's history entry and layer, as the config of an image built FROM it records them. */
export function debianBase(arch: Arch): Step {
  return {
    created: DEBIAN_CREATED,
    createdBy: `# debian.sh --arch '${arch}' out/ 'bookworm' '@1738540800'`,
    comment: 'debuerreotype 0.15',
    layer: baseLayer(arch),
  };
}

export const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A sample of the programs in /usr/bin of bookworm-slim (coreutils, bash, dash, apt, …); no procps. */
const USR_BIN = words(`
  apt apt-get awk basename bash cat chgrp chmod chown cp cut dash date dd df dirname dpkg du echo env expr
  false find grep gzip head hostname id ln ls mkdir mktemp mv nice nohup printenv printf pwd readlink rm
  rmdir sed seq sh sleep sort stat tail tar tee test timeout touch tr true uname uniq wc whoami xargs yes`);
const USR_SBIN = words('groupadd ldconfig nologin useradd usermod');

/**
 * Paths of those programs. With the merged /usr, `/bin/sleep` and `/usr/bin/sleep` are the same
 * file, and both directories are on the default PATH, so both spellings are listed.
 */
export const DEBIAN_EXECUTABLES: readonly string[] = [
  ...USR_BIN.flatMap((p) => [`/usr/bin/${p}`, `/bin/${p}`]),
  ...USR_SBIN.flatMap((p) => [`/usr/sbin/${p}`, `/sbin/${p}`]),
];

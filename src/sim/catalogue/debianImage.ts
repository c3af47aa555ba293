import type { Arch, ImageSpec } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, triplet } from './debian.ts';

/**
 * `debian:latest` as Debian 12 (bookworm), the full image rather than the `-slim` base that
 * nginx and redis are built on (debian.ts): one layer made by debuerreotype from a snapshot of
 * the Debian archive, so its only history entry is the debian.sh invocation with the snapshot's
 * epoch (https://github.com/debuerreotype/docker-debian-artifacts). Sources of the figures:
 * - history, created time and compressed layer sizes: docker-library/repo-info,
 *   repos/debian/remote/12.md, snapshot @1785715200 (linux/amd64 layer
 *   sha256:3af9207d3799…, 48 497 091 bytes; linux/arm64 sha256:c6cbf97176c5…, 48 383 380 bytes);
 * - uncompressed size: repos/debian/local/12.md, "Virtual Size: ~ 116.57 Mb" (amd64, the next
 *   snapshot, rounded to 10 kB there); arm64's is not published and is scaled from it by the
 *   ratio of the compressed sizes.
 * The simulated layer's digests are sha256 of a label (see build.ts), not the real ones above.
 */

const CREATED = '2026-08-03T00:00:00Z';
const UNCOMPRESSED_AMD64 = 116_570_000;

export const DEBIAN: ImageSpec = {
  name: 'debian',
  tag: 'latest',
  executables: DEBIAN_EXECUTABLES,
  platform: (arch: Arch) => ({
    created: CREATED,
    config: { Env: [PATH_ENV], Cmd: ['bash'] },
    steps: [
      {
        created: CREATED,
        createdBy: `# debian.sh --arch '${arch}' out/ 'bookworm' '@1785715200'`,
        comment: 'debuerreotype 0.15',
        layer: {
          label: `debian bookworm rootfs (debian.sh @1785715200, linux/${arch})`,
          size: arch === 'amd64' ? 48_497_091 : 48_383_380,
          uncompressedSize:
            arch === 'amd64'
              ? UNCOMPRESSED_AMD64
              : Math.round((UNCOMPRESSED_AMD64 * 48_383_380) / 48_497_091),
          files: [
            { path: '/bin', kind: 'symlink', target: 'usr/bin' },
            { path: '/lib', kind: 'symlink', target: 'usr/lib' },
            { path: '/usr/bin/bash', kind: 'file' },
            { path: '/usr/bin/dash', kind: 'file' },
            { path: '/usr/bin/sh', kind: 'symlink', target: 'dash' },
            { path: '/usr/bin/apt-get', kind: 'file' },
            { path: `/usr/lib/${triplet(arch)}/libc.so.6`, kind: 'file' },
            { path: '/etc/debian_version', kind: 'file' },
            { path: '/etc/os-release', kind: 'symlink', target: '../usr/lib/os-release' },
            { path: '/var/lib/dpkg/status', kind: 'file' },
          ],
        },
      },
    ],
    annotations: {
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.url': 'https://hub.docker.com/_/debian',
      'org.opencontainers.image.version': '12',
    },
  }),
};

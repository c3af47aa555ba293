import type { Arch, ImageSpec } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, triplet } from './debian.ts';

/**
 * `ubuntu:latest` as Ubuntu 24.04 LTS (noble), which the tag named until 26.04: one layer, the
 * Ubuntu base root file system, added by Canonical's Launchpad build. Sources of the figures:
 * - history, created times and compressed layer sizes: docker-library/repo-info,
 *   repos/ubuntu/remote/noble-20260911.md (linux/amd64 layer sha256:edd1ed89f0d4…,
 *   29 764 116 bytes, image id sha256:6232b3879100…; linux/arm64 sha256:8a38824eedc5…,
 *   28 941 580 bytes);
 * - uncompressed size: repos/ubuntu/local/noble.md, "Virtual Size: ~ 78.18 Mb" for that
 *   amd64 image id (rounded to 10 kB there); arm64's is not published and is scaled from it by
 *   the ratio of the compressed sizes.
 * The simulated layer's digests are sha256 of a label (see build.ts), not the real ones above.
 */

const CREATED: Record<Arch, { args: string; add: string }> = {
  amd64: { args: '2026-09-11T11:44:03Z', add: '2026-09-11T11:44:06Z' },
  arm64: { args: '2026-09-11T11:53:33Z', add: '2026-09-11T11:53:37Z' },
};
/** The `ADD file:…` hashes of the history, as repo-info lists them. */
const ADDED: Record<Arch, string> = {
  amd64: 'file:43d479b270bbaf47965cfc86b37f4c517bda83ddefda6f708f98c3b2b7d15396',
  arm64: 'file:ff1ce8d2ee022926eb353ff9248358531fbe1661ef12d8784e68fbc52738ed34',
};
const UNCOMPRESSED_AMD64 = 78_180_000;

export const UBUNTU: ImageSpec = {
  name: 'ubuntu',
  tag: 'latest',
  // Like Debian's: a merged /usr with coreutils, bash, dash and apt (see debian.ts).
  executables: DEBIAN_EXECUTABLES,
  platform: (arch) => {
    const t = CREATED[arch];
    return {
      created: t.add,
      config: {
        Env: [PATH_ENV],
        Cmd: ['/bin/bash'],
        Labels: { 'org.opencontainers.image.version': '24.04' },
      },
      steps: [
        { created: t.args, createdBy: '/bin/sh -c #(nop)  ARG RELEASE' },
        { created: t.args, createdBy: '/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH' },
        { created: t.args, createdBy: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=24.04' },
        {
          created: t.add,
          createdBy: `/bin/sh -c #(nop) ADD ${ADDED[arch]} in / `,
          layer: {
            label: `ubuntu noble-20260911 rootfs, linux/${arch}`,
            size: arch === 'amd64' ? 29_764_116 : 28_941_580,
            uncompressedSize:
              arch === 'amd64'
                ? UNCOMPRESSED_AMD64
                : Math.round((UNCOMPRESSED_AMD64 * 28_941_580) / 29_764_116),
            files: [
              { path: '/bin', kind: 'symlink', target: 'usr/bin' },
              { path: '/lib', kind: 'symlink', target: 'usr/lib' },
              { path: '/usr/bin/bash', kind: 'file' },
              { path: '/usr/bin/dash', kind: 'file' },
              { path: '/usr/bin/sh', kind: 'symlink', target: 'dash' },
              { path: '/usr/bin/apt-get', kind: 'file' },
              { path: `/usr/lib/${triplet(arch)}/libc.so.6`, kind: 'file' },
              { path: '/etc/lsb-release', kind: 'file' },
              { path: '/etc/os-release', kind: 'symlink', target: '../usr/lib/os-release' },
              { path: '/var/lib/dpkg/status', kind: 'file' },
            ],
          },
        },
        { created: t.add, createdBy: '/bin/sh -c #(nop)  CMD ["/bin/bash"]' },
      ],
      annotations: {
        'org.opencontainers.image.created': t.add,
        'org.opencontainers.image.url': 'https://hub.docker.com/_/ubuntu',
        'org.opencontainers.image.version': '24.04',
      },
    };
  },
};

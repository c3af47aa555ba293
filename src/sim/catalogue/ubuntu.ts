import type { Arch, ImageSpec } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, usrMergedFiles } from './debian.ts';

/**
 * `ubuntu:latest` as Ubuntu 24.04 LTS (noble), the tag's image before the simulated clock's
 * epoch (2026-01-01): one layer, the Ubuntu base root file system, added by Canonical's
 * Launchpad build. Sources of the figures:
 * - history, created times and compressed layer sizes: docker-library/repo-info,
 *   repos/ubuntu/remote/noble-20251013.md (linux/amd64 layer sha256:20043066d3d5…,
 *   29 724 688 bytes, image id sha256:c3a134f2ace4…; linux/arm64 sha256:97dd3f0ce510…,
 *   28 861 957 bytes);
 * - uncompressed size: repos/ubuntu/local/noble-20251013.md, "Virtual Size: ~ 78.12 Mb" for
 *   that amd64 image (rounded to 10 kB there; `docker images` prints 78.1MB); arm64's is not
 *   published and is scaled from it by the ratio of the compressed sizes.
 * The simulated layer's digests are sha256 of a label (see build.ts), not the real ones above.
 */

const CREATED: Record<Arch, { args: string; add: string }> = {
  amd64: { args: '2025-10-16T19:23:01Z', add: '2025-10-16T19:23:03Z' },
  arm64: { args: '2025-10-16T19:26:52Z', add: '2025-10-16T19:26:58Z' },
};
/** The `ADD file:…` hashes of the history, as repo-info lists them. */
const ADDED: Record<Arch, string> = {
  amd64: 'file:ddf1aa62235de6657123492b19d27d937c25668011b5ebf923a3f019200f8540',
  arm64: 'file:44fdb45bd3a8d9bd9c66b716aa0bb6ee11b6fbcceb59ee0eb54165785a35dfcb',
};
const SIZE: Record<Arch, number> = { amd64: 29_724_688, arm64: 28_861_957 };
const UNCOMPRESSED_AMD64 = 78_120_000;

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
        { created: t.args, createdBy: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.ref.name=ubuntu' },
        { created: t.args, createdBy: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=24.04' },
        {
          created: t.add,
          createdBy: `/bin/sh -c #(nop) ADD ${ADDED[arch]} in / `,
          layer: {
            label: `ubuntu noble-20251013 rootfs, linux/${arch}`,
            size: SIZE[arch],
            uncompressedSize: Math.round((UNCOMPRESSED_AMD64 * SIZE[arch]) / SIZE.amd64),
            files: usrMergedFiles(arch, '/etc/lsb-release'),
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

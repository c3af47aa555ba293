import type { Arch, ImageSpec } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, usrMergedFiles } from './debian.ts';

/**
 * `debian:latest` as Debian 13 (trixie), the tag's image before the simulated clock's epoch
 * (2026-01-01): the full image, not the bookworm `-slim` base that nginx and redis are built on
 * (debian.ts). One layer made by debuerreotype from a snapshot of the Debian archive, so its only
 * history entry is the debian.sh invocation with the snapshot's epoch
 * (https://github.com/debuerreotype/docker-debian-artifacts). Sources of the figures:
 * - history, created time and compressed layer sizes: docker-library/repo-info,
 *   repos/debian/remote/trixie-20251229.md, snapshot @1766966400 (linux/amd64 layer
 *   sha256:281b80c799de…, 49 289 587 bytes, image id sha256:ba695bc5c414…; linux/arm64
 *   sha256:5785abec2864…, 49 650 193 bytes);
 * - uncompressed size: not published for that snapshot; the nearest is repos/debian/local's
 *   report for `debian:trixie` of 2025-02-03, "Virtual Size: ~ 117.89 Mb" (amd64); arm64's is
 *   scaled from it by the ratio of the compressed sizes.
 * The simulated layer's digests are sha256 of a label (see build.ts), not the real ones above.
 */

const CREATED = '2025-12-29T00:00:00Z';
const SIZE: Record<Arch, number> = { amd64: 49_289_587, arm64: 49_650_193 };
const UNCOMPRESSED_AMD64 = 117_890_000;

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
        createdBy: `# debian.sh --arch '${arch}' out/ 'trixie' '@1766966400'`,
        layer: {
          label: `debian trixie rootfs (debian.sh @1766966400, linux/${arch})`,
          size: SIZE[arch],
          uncompressedSize: Math.round((UNCOMPRESSED_AMD64 * SIZE[arch]) / SIZE.amd64),
          files: usrMergedFiles(arch, '/etc/debian_version'),
        },
      },
    ],
    annotations: {
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.url': 'https://hub.docker.com/_/debian',
      'org.opencontainers.image.version': '13',
    },
  }),
};

import { BUILDKIT, type ImageSpec } from './build.ts';

/**
 * `hello-world:latest`: one tiny layer holding the static `/hello` program, built by buildkit
 * from `FROM scratch` / `COPY hello /` / `CMD ["/hello"]`
 * (https://github.com/docker-library/hello-world), as Docker Hub served it before the simulated
 * clock's epoch (2026-01-01). Sources of the figures:
 * - created time: `docker inspect` of that build (image id sha256:74cc54e27dc4…, layer
 *   sha256:e6590344b1a5…, diff id sha256:63a41026379f…): 2025-01-21T23:32:32Z; used for arm64 too;
 * - uncompressed size: `docker images` prints 10.1kB for image id 74cc54e27dc4, so 10 100 bytes;
 * - compressed sizes: not at hand for that build; those of its 2026-03 rebuild of the same
 *   program (docker-library/repo-info, repos/hello-world/remote/latest.md: linux/amd64 2415 bytes,
 *   linux/arm64 3149 bytes) stand for them.
 * As for every catalogue image, the simulated layer's digests are sha256 of a label (see
 * build.ts), not the real ones quoted above.
 */

const CREATED = '2025-01-21T23:32:32Z';

export const HELLO_WORLD: ImageSpec = {
  name: 'hello-world',
  tag: 'latest',
  executables: ['/hello'],
  platform: (arch) => ({
    created: CREATED,
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/hello'],
    },
    steps: [
      {
        created: CREATED,
        createdBy: 'COPY hello / # buildkit',
        comment: BUILDKIT,
        layer: {
          label: `hello-world /hello, linux/${arch}`,
          size: arch === 'amd64' ? 2_415 : 3_149,
          uncompressedSize: 10_100,
          // The program's own size is not published: left out.
          files: [{ path: '/hello', kind: 'file' }],
        },
      },
      { created: CREATED, createdBy: 'CMD ["/hello"]', comment: BUILDKIT },
    ],
    annotations: {
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.url': 'https://hub.docker.com/_/hello-world',
    },
  }),
};

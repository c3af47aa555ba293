import { BUILDKIT, type Arch, type ImageSpec } from './build.ts';

/**
 * `hello-world:latest`: one tiny layer holding the static `/hello` program, built by buildkit
 * from `FROM scratch` / `COPY hello /` / `CMD ["/hello"]`
 * (https://github.com/docker-library/hello-world). Sources of the figures:
 * - created times, history and compressed layer sizes: docker-library/repo-info,
 *   repos/hello-world/remote/latest.md (linux/amd64 layer sha256:4f55086f7dd0…, 2415 bytes;
 *   linux/arm64 sha256:58dee6a49ef1…, 3149 bytes; amd64 image id sha256:e2ac70e7319a…).
 * - uncompressed size: not published there; `docker images` prints 10.1kB for image id
 *   e2ac70e7319a, so 10 100 bytes stands for it (for arm64 too, whose size is not published).
 * As for every catalogue image, the simulated layer's digests are sha256 of a label (see
 * build.ts), not the real ones quoted above.
 */

const CREATED: Record<Arch, string> = { amd64: '2026-03-23T21:33:59Z', arm64: '2026-03-23T21:34:00Z' };

export const HELLO_WORLD: ImageSpec = {
  name: 'hello-world',
  tag: 'latest',
  executables: ['/hello'],
  platform: (arch) => ({
    created: CREATED[arch],
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/hello'],
    },
    steps: [
      {
        created: CREATED[arch],
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
      { created: CREATED[arch], createdBy: 'CMD ["/hello"]', comment: BUILDKIT },
    ],
    annotations: {
      'org.opencontainers.image.created': CREATED[arch],
      'org.opencontainers.image.url': 'https://hub.docker.com/_/hello-world',
    },
  }),
};

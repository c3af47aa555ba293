import { BUILDKIT, type ImageSpec } from './build.ts';

/**
 * `registry.k8s.io/pause:3.10.1`, the pod sandbox image containerd 2.2's CRI plugin uses by
 * default (internal/cri/config DefaultSandboxImage). Kubernetes builds it with buildx from
 * build/pause/Dockerfile: `FROM scratch` (BASE), `ADD bin/pause-linux-${ARCH} /pause`,
 * `USER 65535:65535`, `ENTRYPOINT ["/pause"]` — one layer holding one static binary
 * (build/pause/linux/pause.c). It is not a Docker Hub official image: no bashbrew annotations,
 * no attestation manifests. Digests are computed from these documents like every catalogue
 * image's; the sizes are those of the real layer, give or take.
 * https://github.com/kubernetes/kubernetes/tree/master/build/pause
 */
const CREATED = '2025-05-15T08:21:06Z';

export const PAUSE: ImageSpec = {
  name: 'pause',
  tag: '3.10.1',
  domain: 'registry.k8s.io',
  repository: 'pause',
  official: false,
  executables: ['/pause'],
  platform: (arch) => ({
    created: CREATED,
    config: {
      User: '65535:65535',
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Entrypoint: ['/pause'],
      WorkingDir: '/',
    },
    steps: [
      { created: CREATED, createdBy: 'ARG ARCH', comment: BUILDKIT },
      {
        created: CREATED,
        createdBy: `ADD bin/pause-linux-${arch} /pause # buildkit`,
        comment: BUILDKIT,
        layer: {
          label: `pause 3.10.1 /pause, linux/${arch}`,
          size: arch === 'amd64' ? 320_368 : 300_212,
          uncompressedSize: arch === 'amd64' ? 727_040 : 663_552,
          files: [{ path: '/pause', kind: 'file', size: 722_944 }],
        },
      },
      { created: CREATED, createdBy: 'USER 65535:65535', comment: BUILDKIT },
      { created: CREATED, createdBy: 'ENTRYPOINT ["/pause"]', comment: BUILDKIT },
    ],
    annotations: {},
  }),
};

import { BUILDKIT, words, type Arch, type ImageSpec, type LayerSpec, type Step } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, debianBase, triplet } from './debian.ts';

/**
 * `nginx:latest` as Docker Hub served it for nginx 1.27.4 (mainline, Debian bookworm), built by
 * buildkit from https://github.com/nginxinc/docker-nginx/blob/master/mainline/debian/Dockerfile:
 * the Debian base, one big package layer, five COPY layers, and metadata-only instructions
 * (ENV, LABEL, ENTRYPOINT, EXPOSE, STOPSIGNAL, CMD) recorded as `empty_layer` history.
 */

const CREATED = '2025-02-05T21:27:16Z';
const NGINX_VERSION = '1.27.4';
const NJS_VERSION = '0.8.9';

/**
 * The package RUN instruction as buildkit records it: the Dockerfile's continuation lines
 * joined, so `set -x \` + `    && groupadd` becomes `set -x     && groupadd`. Abridged in the
 * middle (the signing-key fetch and the source build for other architectures).
 */
const RUN_PACKAGES = [
  'RUN /bin/sh -c set -x',
  'groupadd --system --gid 101 nginx',
  'useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx',
  'apt-get update',
  'apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates',
  'apt-get remove --purge --auto-remove -y gnupg1 && rm -rf /var/lib/apt/lists/*',
  'dpkgArch="$(dpkg --print-architecture)"',
  'echo "deb [signed-by=$NGINX_GPGKEY_PATH] https://nginx.org/packages/mainline/debian/ bookworm nginx" >> /etc/apt/sources.list.d/nginx.list',
  'apt-get update',
  'apt-get install --no-install-recommends --no-install-suggests -y nginx=${NGINX_VERSION}-${PKG_RELEASE} nginx-module-njs=${NGINX_VERSION}+${NJS_VERSION}-${NJS_RELEASE} gettext-base curl',
  'apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list',
  'ln -sf /dev/stdout /var/log/nginx/access.log',
  'ln -sf /dev/stderr /var/log/nginx/error.log',
  'mkdir /docker-entrypoint.d # buildkit',
].join('     && ');

function packagesLayer(arch: Arch): LayerSpec {
  return {
    label: `nginx ${NGINX_VERSION} packages (nginx, njs, gettext-base, curl), linux/${arch}`,
    size: arch === 'amd64' ? 43_866_217 : 42_015_833,
    uncompressedSize: arch === 'amd64' ? 117_061_120 : 113_203_712,
    files: [
      { path: '/usr/sbin/nginx', kind: 'file', size: 1_334_184 },
      { path: '/usr/sbin/nginx-debug', kind: 'file', size: 1_432_488 },
      { path: '/etc/nginx/nginx.conf', kind: 'file', size: 644 },
      { path: '/etc/nginx/conf.d/default.conf', kind: 'file', size: 1_093 },
      { path: '/etc/nginx/mime.types', kind: 'file', size: 5_349 },
      { path: '/usr/share/nginx/html/index.html', kind: 'file', size: 615 },
      { path: '/usr/lib/nginx/modules/ngx_http_js_module.so', kind: 'file', size: 1_623_392 },
      { path: '/var/log/nginx/access.log', kind: 'symlink', target: '/dev/stdout' },
      { path: '/var/log/nginx/error.log', kind: 'symlink', target: '/dev/stderr' },
      { path: `/usr/lib/${triplet(arch)}/libcurl.so.4.8.0`, kind: 'file', size: 742_024 },
      { path: '/docker-entrypoint.d', kind: 'dir' },
      // `rm -rf /var/lib/apt/lists/*` deletes a directory the base layer has: the layer
      // records a whiteout (`/var/lib/apt/lists/.wh.auxfiles`). Illustrative, see debian.ts.
      { path: '/var/lib/apt/lists/auxfiles', kind: 'whiteout' },
    ],
  };
}

/** A COPY of one script: a tar with the file (and its parent directory) and nothing else. */
function copyStep(source: string, dir: string, size: number, sizes: [number, number]): Step {
  const path = dir === '/' ? `/${source}` : `${dir}/${source}`;
  const dirs = dir === '/' ? [] : [{ path: dir, kind: 'dir' as const }];
  return {
    created: CREATED,
    createdBy: `COPY ${source} ${dir} # buildkit`,
    comment: BUILDKIT,
    layer: {
      label: `nginx ${NGINX_VERSION} COPY ${source}`,
      size: sizes[0],
      uncompressedSize: sizes[1],
      files: [...dirs, { path, kind: 'file', size }],
    },
  };
}

function meta(createdBy: string): Step {
  return { created: CREATED, createdBy, comment: BUILDKIT };
}

function steps(arch: Arch): Step[] {
  return [
    debianBase(arch),
    meta('LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>'),
    meta(`ENV NGINX_VERSION=${NGINX_VERSION}`),
    meta(`ENV NJS_VERSION=${NJS_VERSION}`),
    meta('ENV NJS_RELEASE=1~bookworm'),
    meta('ENV PKG_RELEASE=1~bookworm'),
    meta('ENV DYNPKG_RELEASE=1~bookworm'),
    { created: CREATED, createdBy: RUN_PACKAGES, comment: BUILDKIT, layer: packagesLayer(arch) },
    copyStep('docker-entrypoint.sh', '/', 1_620, [627, 3_584]),
    copyStep('10-listen-on-ipv6-by-default.sh', '/docker-entrypoint.d', 2_125, [955, 4_608]),
    copyStep('15-local-resolvers.envsh', '/docker-entrypoint.d', 389, [405, 2_560]),
    copyStep('20-envsubst-on-templates.sh', '/docker-entrypoint.d', 3_018, [1_210, 5_120]),
    copyStep('30-tune-worker-processes.sh', '/docker-entrypoint.d', 4_620, [1_398, 7_168]),
    meta('ENTRYPOINT ["/docker-entrypoint.sh"]'),
    meta('EXPOSE map[80/tcp:{}]'),
    meta('STOPSIGNAL SIGQUIT'),
    meta('CMD ["nginx" "-g" "daemon off;"]'),
  ];
}

export const NGINX: ImageSpec = {
  name: 'nginx',
  tag: 'latest',
  executables: [
    ...DEBIAN_EXECUTABLES,
    ...words('/usr/sbin/nginx /usr/sbin/nginx-debug /usr/bin/envsubst /bin/envsubst /usr/bin/curl /bin/curl'),
    '/docker-entrypoint.sh',
    ...words(`/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh /docker-entrypoint.d/20-envsubst-on-templates.sh
      /docker-entrypoint.d/30-tune-worker-processes.sh`),
  ],
  platform: (arch) => ({
    created: CREATED,
    config: {
      ExposedPorts: { '80/tcp': {} },
      Env: [
        PATH_ENV,
        `NGINX_VERSION=${NGINX_VERSION}`,
        `NJS_VERSION=${NJS_VERSION}`,
        'NJS_RELEASE=1~bookworm',
        'PKG_RELEASE=1~bookworm',
        'DYNPKG_RELEASE=1~bookworm',
      ],
      Entrypoint: ['/docker-entrypoint.sh'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
      StopSignal: 'SIGQUIT',
    },
    steps: steps(arch),
    annotations: {
      'org.opencontainers.image.base.name': 'debian:bookworm-slim',
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.source': 'https://github.com/nginxinc/docker-nginx.git',
      'org.opencontainers.image.url': 'https://hub.docker.com/_/nginx',
      'org.opencontainers.image.version': NGINX_VERSION,
    },
  }),
};
